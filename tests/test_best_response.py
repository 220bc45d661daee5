"""The best-response start (model/best_response.py) and the phased strategy's phases built on it, on tiny
centers."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

from scheduler.domain import Repair
from scheduler.model.best_response import Coverage, Plan, shadows
from scheduler.model.chains import best_responses
from scheduler.model.settings import PhasedSettings, SolverSettings, StartSettings
from scheduler.model.solve import solve
from scheduler.weights import Weights
from tests.checked import SHORT, solve_checked
from tests.factory import CALLS, DAY8, RADIO, center, employee, model_data, rules

FLAT = Weights(coverage="flat")
# The radio seat on D8's hours, 7 days.
EVERY_DAY = [1 if 7 <= hour % 24 < 15 else 0 for hour in range(7 * 24)]
START = SolverSettings(time_limit_s=10, workers=1, strategy="phased", phased=PhasedSettings(window_days=3),
                       start=StartSettings(above=0))
ROOT = Path(__file__).resolve().parent.parent


def week(*staff, r=None, required=EVERY_DAY):
    """A week of one radio seat from 07:00 to 15:00 each day, day shifts only, no days-off rule."""
    return model_data(center(staff, shifts=(DAY8,)), days=7, required={"radio": required},
                      r=r or rules(min_days_off=0))


TWO = week(employee("A"), employee("B"), r=rules(min_days_off=0, max_consecutive_days=5))


def test_coverage_values_a_shift_by_the_hours_it_would_fill():
    data = week(employee("A"))
    coverage = Coverage(data)
    assert coverage.uncovered() == 56  # 8 hours a day, 7 days
    assert coverage.values()[0, "D8", "radio"] == 8.0  # all 8 of its hours are short
    coverage.add([(0, "D8", "radio")], +1)
    # Its hours are now exactly at need: each worth only the spare-seat tie-break
    assert coverage.values()[0, "D8", "radio"] == 8 * coverage.spare and coverage.uncovered() == 48
    coverage.grow(2.0)  # each uncovered hour now weighs 1 + 2
    assert coverage.values()[1, "D8", "radio"] == 24.0
    assert coverage.spare == 0.5 / 168  # all 168 hours of the plan together: half an uncovered hour


def test_one_dispatcher_leaves_a_day_uncovered():
    """A works at most 6 days in a row and 40 + 12 h a week (six 8-hour shifts): one day's 8 hours stay
    open."""
    plan = best_responses(week(employee("A")), budget=10**6)
    assert plan.uncovered == 8
    assert len(plan.schedules["A"]) == 6


def test_two_dispatchers_cover_every_day_and_stop():
    """B takes the day A leaves: the passes stop as soon as a plan covers every hour."""
    plan = best_responses(week(employee("A"), employee("B")), budget=10**9)
    assert plan.uncovered == 0
    assert plan.passes == 1  # A takes six days, B the seventh, in the first pass
    assert {day for shifts in plan.schedules.values() for day, _, _ in shifts} == set(range(7))


def test_a_vacancy_cap_makes_its_seats_come_first():
    """A alone, for the radio (4 hours a day needed, inside D8) or the call-takers (all 8 hours of D8):
    uncapped, the call-takers' 8 hours are worth more than the radio's 4, so A takes them every day and the
    radio stays short; with the radio capped at 0 short, its 4 hours are must-haves and A takes the radio on
    every day it works (6: at most 6 in a row), the cap then missed only on the seventh day."""
    radio = [1 if 9 <= hour % 24 < 13 else 0 for hour in range(7 * 24)]
    staff = (employee("A", quals="RAD,CT"),)
    required = {"radio": radio, "ct": EVERY_DAY}

    def plan(r):
        return best_responses(model_data(center(staff, shifts=(DAY8,), positions=(RADIO, CALLS)), days=7,
                                         required=required, r=r), budget=10**6)

    free = plan(rules(min_days_off=0))
    assert {position for _, _, position in free.schedules["A"]} == {"ct"} and free.missing == 0
    capped = plan(rules(min_days_off=0, max_shortfall=(("radio", 0),)))
    assert {position for _, _, position in capped.schedules["A"]} == {"radio"}
    assert len(capped.schedules["A"]) == 6
    # The seventh day's radio hours, every ct hour.
    assert capped.missing == 4 and capped.uncovered == 4 + 7 * 8


def test_a_trainee_follows_its_cto():
    data = week(employee("A", cto=True), employee("T", job_class="trainee"))
    assert set(shadows(data)) == {"A"}
    plan = best_responses(data, budget=10**6)
    assert plan.schedules["T"] == plan.schedules["A"] and plan.pairs == {"A": "T"}


def test_the_phased_strategy_starts_from_best_responses_and_passes_the_checker():
    """A alone: the start's roster is already optimal (8 uncovered hours, no cheaper way to cover them)."""
    result = solve_checked(week(employee("A")), FLAT, START, optimal=False)
    assert [p.name for p in result.phases][:2] == ["best responses", "completion"]
    assert result.penalties[SHORT] == 8 * 1000


def test_a_start_that_breaks_the_overtime_budget_is_completed_by_cp_sat():
    """The schedules do not see the overtime budget: A's sixth shift (8 h of overtime) breaks a budget of 0,
    so the completion frees A and CP-SAT finds the roster with 5 shifts (16 uncovered hours)."""
    data = week(employee("A"), r=rules(min_days_off=0, overtime_budget_hours=0))
    result = solve_checked(data, FLAT, START, optimal=False)
    assert [p.name for p in result.phases][:2] == ["best responses", "completion"]
    assert result.penalties[SHORT] == 16 * 1000


def test_the_start_is_skipped_where_the_schedules_cannot_state_the_rules():
    """A 7-day cycle with 7 work days in a row allowed: the search needs a day off, so the phases run as
    before."""
    data = week(employee("A"), r=rules(min_days_off=0, max_consecutive_days=7))
    result = solve(data, FLAT, START)
    assert "best responses" not in [p.name for p in result.phases]


def test_auto_is_phased_where_it_starts_from_best_responses_else_direct():
    """auto runs the phased strategy from best responses where they apply (here on a model above start.above
    0), else the direct solve: on a model no larger than start.above, and on a repair, whose search starts
    from the published roster (A published on every day; nothing changes, and nothing is left uncovered but
    the day A must rest). Nor does the phased strategy start a repair from best responses: they ignore the
    published roster."""
    data = week(employee("A"))
    auto = replace(START, strategy="auto")
    started = solve_checked(data, FLAT, auto, optimal=False)
    assert started.strategy == "phased" and started.phases[0].name == "best responses"
    direct = solve_checked(data, FLAT, replace(auto, start=StartSettings(above=10**6)))
    assert direct.strategy == "direct" and direct.phases == ()
    repair = Repair(started.assignments, data.horizon.local_midnight(0))
    repaired = solve_checked(replace(data, repair=repair), FLAT, auto)
    assert repaired.strategy == "direct" and repaired.phases == ()
    assert repaired.assignments == started.assignments
    assert repaired.penalties[SHORT] == 8 * 1000
    phased = solve_checked(replace(data, repair=repair), FLAT, replace(START), optimal=False)
    assert "best responses" not in [p.name for p in phased.phases]


def test_the_start_is_reproducible():
    data = week(employee("A"), employee("B"), employee("C"))
    first, second = solve(data, FLAT, START), solve(data, FLAT, replace(START))
    assert first.assignments == second.assignments


def _alone() -> tuple[Plan, list[int]]:
    """The plan two chains should keep (seeds 0 and 1, each run alone) and each chain's work."""
    alone = [best_responses(TWO, budget=10**5, seed=seed) for seed in (0, 1)]
    return min(alone, key=lambda plan: plan.uncovered), [plan.work for plan in alone]


def test_chains_side_by_side_keep_the_best_chain():
    """Two chains: the first runs here with seed 0, the second in a process of its own with seed 1. The plan
    kept is the better one (the first on a tie), exactly as each seed gives alone; its work is the longer
    chain's."""
    both = best_responses(TWO, budget=10**5, seed=0, chains=2)
    kept, works = _alone()
    assert (both.schedules, both.uncovered) == (kept.schedules, kept.uncovered)
    assert both.work == max(works)


def _two_chains() -> tuple:
    plan = best_responses(TWO, budget=10**5, chains=2)
    return plan.uncovered, plan.schedules, plan.work


def test_a_daemonic_caller_runs_every_chain_itself():
    """A pool's worker is daemonic and may start no process: both chains run in it, one after the other, to
    the same plan, and its work is the longer chain's, as side by side (the later phases get the same
    budget)."""
    with multiprocessing.get_context("fork").Pool(1) as pool:
        uncovered, schedules, work = pool.apply(_two_chains)
    kept, works = _alone()
    assert (schedules, uncovered) == (kept.schedules, kept.uncovered)
    assert work == max(works)


def test_the_start_with_two_workers_is_reproducible():
    """Two chains side by side and two interleaved CP-SAT workers: the same roster on every run."""
    data = week(employee("A"), employee("B"), employee("C"))
    settings = replace(START, workers=2)
    assert solve(data, FLAT, settings).assignments == solve(data, FLAT, settings).assignments


def test_the_roster_is_the_same_with_chains_in_processes_or_here():
    """StartSettings.processes False runs both chains in this process: the start is charged the same work as
    side by side (the longer chain's), so every later phase gets the same budget and the roster is the
    same."""
    data = week(employee("A"), employee("B"), employee("C"))
    settings = replace(START, workers=2)
    here = replace(settings, start=replace(settings.start, processes=False))
    apart, alone = solve(data, FLAT, settings), solve(data, FLAT, here)
    assert alone.assignments == apart.assignments

    def start(result) -> float:
        return next(p.deterministic_seconds for p in result.phases if p.name == "best responses")

    assert start(alone) == start(apart) > 0


def test_a_chain_whose_process_cannot_start_runs_here(tmp_path):
    """Under spawn a worker imports the caller's main module again: a script without a main guard makes it
    fail (it would start workers of its own while importing). The chain then runs in the calling process after
    the first: the plan and its work are the same as with working processes."""
    script = tmp_path / "no_guard.py"
    script.write_text(textwrap.dedent("""
        import scheduler.model.chains as chains
        from tests.test_best_response import TWO
        chains.START_METHOD = "spawn"
        plan = chains.best_responses(TWO, budget=10**5, chains=2)
        print(plan.uncovered, sorted(plan.schedules.items()), plan.work)
    """))
    run = subprocess.run([sys.executable, str(script)], check=False, capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "bootstrapping phase" in run.stderr  # the worker did fail (multiprocessing's error, in the worker)
    plan, works = best_responses(TWO, budget=10**5, chains=2), _alone()[1]
    work = max(works)
    assert run.stdout.splitlines()[-1] == f"{plan.uncovered} {sorted(plan.schedules.items())} {work}"
