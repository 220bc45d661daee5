"""Peers side by side: this project's staffing math against pyworkforce's (PyPI; issue 25, point 4).

    python benchmarks/peers.py erlang [--grid]
    python benchmarks/peers.py shifts [--position police_ct] [--time-limit 60]

`erlang`: the sample week's call-taking queues (inputs/center.xlsx, inputs/rules.toml,
forecasts/sample-week-2026-11-30.csv from 2026-11-30: calls and call-weighted handle time per hour, as
`scheduler staffing` pools them) staffed by pyworkforce's ErlangC and by ours (scheduler.staffing.queue_seats,
what `build` uses), at the rules' targets, occupancy cap and shrinkage. pyworkforce takes one service target
per call, so its seats for several targets are the most any one target needs (each target's service level
rises with the seats, so that is the least meeting all). Rows: per queue, with the rules' targets and with the
first alone, the seat-hours of each, the hours that differ and the milliseconds each took; then every hour
that differs, with why. `--grid` adds a sweep over loads, handle times, targets, caps and shrinkage beyond the
sample's, counting where the two differ and why.

`shifts`: the sample week cut to one position (that position, its qualified staff, the same rules and
requirement) covered by pyworkforce's shift-covering models (scheduling.MinAbsDifference and
MinRequiredResources) and by ours (roster.build_roster), each measured against the same requirement
(uncovered and overstaffed seat-hours). pyworkforce answers shifts per day and template, not people: its
counts are then given to people greedily and that roster is checked by our checker (roster.check_roster).

pyworkforce is optional, never a test dependency: install it in a separate environment with this project's
requirements and run this checkout's code there:

    python3 -m venv /tmp/pwf && /tmp/pwf/bin/pip install pyworkforce "ortools>=9.10,<10" pandas openpyxl \\
        defusedxml click holidays matplotlib distributed
    PYTHONPATH=. /tmp/pwf/bin/python benchmarks/peers.py erlang

Results: benchmarks/RESULTS.md ("pyworkforce side by side").
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter
from dataclasses import replace
from datetime import date
from itertools import combinations
from pathlib import Path

import numpy as np

from scheduler.agents_needed import agents_needed
from scheduler.domain import Assignment, Rules
from scheduler.domain.roster import on_duty
from scheduler.model.settings import SolverSettings
from scheduler.pipeline import load_inputs
from scheduler.plan import Plan
from scheduler.roster import build_roster, check_roster
from scheduler.staffing import queue_seats

ROOT = Path(__file__).resolve().parent.parent
INSTALL = ('python3 -m venv /tmp/pwf && /tmp/pwf/bin/pip install pyworkforce "ortools>=9.10,<10" pandas '
           "openpyxl defusedxml click holidays matplotlib distributed; then PYTHONPATH=. /tmp/pwf/bin/python "
           "benchmarks/peers.py erlang")
TOL = 1e-9  # a ratio this close above a whole number is that number in exact arithmetic


def pyworkforce_seats(calls: float, aht: float, targets, occupancy_cap: float, shrinkage: float
                      ) -> tuple[int, int]:
    """pyworkforce's (on-phone, scheduled) agents for one hour, the most any single target needs. It refuses
    an hour without calls (ValueError): no calls need no one, as in ours."""
    from pyworkforce.queuing import ErlangC

    if calls <= 0:
        return 0, 0
    answers = [ErlangC(transactions=calls, aht=aht / 60, asa=seconds / 60, interval=60, shrinkage=shrinkage)
               .required_positions(service_level=fraction, max_occupancy=occupancy_cap)
               for fraction, seconds in targets]
    return max(a["raw_positions"] for a in answers), max(a["positions"] for a in answers)


def why(load: float, ours_raw: int, theirs_raw: int, occupancy_cap: float, shrinkage: float) -> str:
    """The reason the two answers differ, found from the inputs (the cases the sweep meets)."""
    if theirs_raw != ours_raw:
        exact = load / occupancy_cap
        if theirs_raw == math.ceil(exact) and abs(exact - round(exact)) < TOL:
            return (f"occupancy: load / cap = {exact!r}, a whole number in exact arithmetic; pyworkforce's "
                    "ceil() takes the float's excess as one more agent, ours allows 1e-12")
        return "on-phone agents differ for another reason (not met in the sweep)"
    exact = ours_raw / (1 - shrinkage)
    if abs(exact - round(exact)) < TOL:
        return (f"shrinkage: {ours_raw} / (1 - {shrinkage:g}) = {exact!r}, a whole number in exact "
                "arithmetic; pyworkforce's ceil() adds one, ours allows 1e-12")
    return "scheduled agents differ for another reason (not met in the sweep)"


def sample_queues():
    inputs = load_inputs(ROOT / "inputs/center.xlsx", ROOT / "inputs/rules.toml",
                         ROOT / "forecasts/sample-week-2026-11-30.csv", date(2026, 11, 30), 7)
    return inputs.rules, inputs.requirements


def erlang(grid: bool) -> None:
    rules, requirements = sample_queues()
    if rules.queue_model != "C":
        raise SystemExit("Error: the comparison is of Erlang C; the rules' [service] model must be \"C\"")
    target_sets = {"rules' targets": rules,
                   "first target alone": replace(rules, service_targets=rules.service_targets[:1])}
    print(f"Sample week 2026-11-30, occupancy at most {rules.occupancy_cap:g}, "
          f"shrinkage {rules.shrinkage:g}, Erlang C, no ASA cap")
    queue_seats(next(iter(requirements.queues.values())), rules)  # warm up: the first call's imports
    print("| queue | targets | hours | calls | seat-hours ours | seat-hours pyworkforce | hours that differ "
          "| ms ours | ms pyworkforce |")
    print("|---|---|---|---|---|---|---|---|---|")
    differing = []
    for position, queue in requirements.queues.items():
        for label, set_rules in target_sets.items():
            started = time.perf_counter()
            ours = queue_seats(queue, set_rules)
            ours_ms = 1000 * (time.perf_counter() - started)
            targets = [(t.fraction, t.seconds) for t in set_rules.service_targets]
            started = time.perf_counter()
            theirs = [pyworkforce_seats(c, h, targets, rules.occupancy_cap, rules.shrinkage)
                      for c, h in zip(queue.calls, queue.aht, strict=True)]
            theirs_ms = 1000 * (time.perf_counter() - started)
            scheduled = np.array([s for _, s in theirs])
            hours = np.flatnonzero(scheduled != ours)
            print(f"| {position} | {_targets(set_rules)} | {len(ours)} | {queue.calls.sum():,.0f} "
                  f"| {ours.sum():,} | {scheduled.sum():,} | {len(hours)} | {ours_ms:.1f} "
                  f"| {theirs_ms:.1f} |")
            differing += [(position, label, int(h), queue, set_rules, theirs[h]) for h in hours]
    print(f"\nHours that differ: {len(differing)}")
    if differing:
        _print_differing(differing, requirements.horizon)
    if grid:
        sweep()


def _targets(rules: Rules) -> str:
    return " and ".join(f"{t.fraction:.0%} in {t.seconds:g} s" for t in rules.service_targets)


def _print_differing(differing, horizon) -> None:
    print("| queue | targets | hour | calls | handle s | ours | pyworkforce | why |")
    print("|---|---|---|---|---|---|---|---|")
    for position, label, h, queue, set_rules, (theirs_raw, theirs) in differing:
        targets = [(t.fraction, t.seconds) for t in set_rules.service_targets]
        ours_raw = int(agents_needed(queue.calls[h], queue.aht[h], targets, set_rules.occupancy_cap))
        ours = int(queue_seats(queue, set_rules)[h])
        load = queue.calls[h] * queue.aht[h] / 3600
        print(f"| {position} | {label} | {horizon.slot_start(h):%a %H:%M} | {queue.calls[h]:.2f} "
              f"| {queue.aht[h]:.1f} | {ours} | {theirs} "
              f"| {why(load, ours_raw, theirs_raw, set_rules.occupancy_cap, set_rules.shrinkage)} |")


SWEEP = {"aht_seconds": (60, 120, 180, 240, 300), "targets": ((0.90, 15), (0.95, 20), (0.80, 20)),
         "occupancy_cap": (0.85, 1.0), "shrinkage": (0.0, 0.1, 0.3)}


def sweep() -> None:
    """Calls 0.5 to 600 an hour in steps of 0.5 under every combination of SWEEP."""
    calls = np.arange(0.5, 600.25, 0.5)
    cases, reasons, example = 0, {}, {}
    for aht in SWEEP["aht_seconds"]:
        for target in SWEEP["targets"]:
            for cap in SWEEP["occupancy_cap"]:
                for shrinkage in SWEEP["shrinkage"]:
                    ours_raw = agents_needed(calls, aht, (target,), cap)
                    ours = agents_needed(calls, aht, (target,), cap, shrinkage)
                    for i, c in enumerate(calls):
                        theirs_raw, theirs = pyworkforce_seats(c, aht, (target,), cap, shrinkage)
                        cases += 1
                        if theirs != ours[i]:
                            reason = why(c * aht / 3600, ours_raw[i], theirs_raw, cap, shrinkage)
                            key = (reason.split(":")[0], int(theirs - ours[i]))
                            reasons[key] = reasons.get(key, 0) + 1
                            example.setdefault(key, (c, aht, target, cap, shrinkage, ours[i], theirs))
    print(f"\nSweep: {cases:,} hours (calls 0.5-600 by 0.5 x handle time x target x cap x shrinkage)")
    print("| why | pyworkforce minus ours | hours | example: calls, handle s, target, cap, shrinkage, ours, "
          "pyworkforce |\n|---|---|---|---|")
    for (reason, delta), count in sorted(reasons.items()):
        c, aht, (fraction, seconds), cap, shrinkage, ours, theirs = example[(reason, delta)]
        print(f"| {reason} | {delta:+d} | {count:,} | {c:g}, {aht}, {fraction:.0%} in {seconds:g} s, "
              f"{cap:g}, {shrinkage:g}, {ours}, {theirs} |")


def single_position_plan(inputs, position: str) -> Plan:
    """The sample week cut to one position: the center with only that position, its Minimums and the staff
    qualified for it (their leave, requests, preferences and patterns), the same rules and requirement. Those
    staff work only this position here, so the roster is the position's best, not the whole center's."""
    center = inputs.center
    kept = center.positions_by_id[position]
    staff = tuple(e for e in center.staff if kept.qualification in e.qualifications)
    ids = {e.id for e in staff}

    def theirs(rows):
        return tuple(r for r in rows if r.employee_id in ids)

    center = replace(center, staff=staff, positions=(kept,),
                     minimums=tuple(m for m in center.minimums if m.position == position),
                     leave=theirs(center.leave), requests=theirs(center.requests),
                     pins=tuple(p for p in theirs(center.pins) if p.position == position),
                     preferences=theirs(center.preferences), patterns=theirs(center.patterns))
    requirements = inputs.requirements

    def only(table):
        return {position: table[position]} if position in table else {}

    requirements = replace(requirements, required=only(requirements.required), floor=only(requirements.floor),
                           queues=only(requirements.queues))
    return Plan(center, inputs.rules, requirements)


def shift_patterns(plan: Plan) -> dict[tuple[int, str], np.ndarray]:
    """Every (day, template) of the plan as a 0/1 row over its hours, by Horizon.covered_slots (the week a
    cycle: a Sunday night's hours past the end cover Monday's first). pyworkforce's own shape, days x periods
    of a day, cannot hold a shift past midnight, so it gets one day of all the week's hours instead."""
    horizon = plan.horizon
    patterns = {}
    for day in range(horizon.days):
        for template in plan.center.shifts:
            row = np.zeros(horizon.n_slots, dtype=int)
            row[list(horizon.covered_slots(*horizon.shift_window(day, template), None))] = 1
            patterns[(day, template.code)] = row
    return patterns


def pyworkforce_counts(model: str, plan: Plan, position: str, patterns, seconds: float
                       ) -> tuple[str, dict]:
    """pyworkforce's shifts per (day, template): MinAbsDifference (least |scheduled - required| summed over
    the hours) or MinRequiredResources (fewest shifts with every hour covered); with the solve's status."""
    from pyworkforce.scheduling import MinAbsDifference, MinRequiredResources

    names = {f"{code}@{day}": (day, code) for day, code in patterns}
    solver = {"MinAbsDifference": MinAbsDifference, "MinRequiredResources": MinRequiredResources}[model]
    people = sum(not e.is_trainee for e in plan.center.staff)
    solution = solver(num_days=1, periods=plan.horizon.n_slots,
                      shifts_coverage={name: patterns[key].tolist() for name, key in names.items()},
                      required_resources=[plan.requirements.required[position].tolist()],
                      max_period_concurrency=people, max_shift_concurrency=people,
                      max_search_time=float(seconds), num_search_workers=2).solve()
    if solution["status"] not in ("OPTIMAL", "FEASIBLE"):
        raise SystemExit(f"Error: pyworkforce {model} found no solution ({solution['status']})")
    return solution["status"], {names[row["shift"]]: row["resources"] for row in solution["resources_shifts"]
                                if row["resources"]}


def most_shifts(plan: Plan, employee, templates) -> int:
    """The most shifts of `templates` one person could work this week under the hard rules counted alone:
    one a day on days without leave, at most max_consecutive_days of them, hours within contract plus the
    overtime cap."""
    workable = [t.hours for t in templates if employee.can_work(t)]
    if employee.is_trainee or not workable:
        return 0
    horizon, rules = plan.horizon, plan.rules
    free_days = sum(not plan.center.on_leave(employee.id, horizon.day(d)) for d in range(horizon.days))
    by_hours = int((employee.contract_hours + rules.overtime_cap(employee)) // min(workable))
    return min(free_days, rules.max_consecutive_days, by_hours)


def unstaffable(plan: Plan, counts: dict) -> tuple[int, tuple[str, ...]]:
    """Shifts no roster of these people could staff, whatever the assignment: the largest excess, over every
    set of templates, of the shifts asked of the set over the most its eligible people could work (Hall's
    condition, per week; days, rest and the rest of the rules only add to it). With the set."""
    asked = Counter()
    for (_, code), n in counts.items():
        asked[code] += n
    templates = plan.center.shifts
    worst = (0, ())
    for size in range(1, len(templates) + 1):
        for subset in combinations(templates, size):
            need = sum(asked[t.code] for t in subset)
            most = sum(most_shifts(plan, e, subset) for e in plan.center.staff)
            if need - most > worst[0]:  # strictly: of equal excesses, the smallest set names it
                worst = (need - most, tuple(t.code for t in subset))
    return worst


def assign_greedily(plan: Plan, position: str, counts: dict) -> tuple[list[Assignment], int]:
    """pyworkforce's counts given to people, earliest shift first, each to the eligible person with the
    fewest hours so far (then by id). Eligible: not a trainee, may work the template (Employee.can_work), not
    on leave that day, no shift that day, the rules' rest since the last shift, and the hours within contract
    plus the overtime cap. The week's wrap (Sunday night to Monday) and the other rules are left to the
    checker. Returns the shifts and how many of the counts no one could take."""
    horizon, center = plan.horizon, plan.center
    instances = sorted(((*horizon.shift_window(day, center.shifts_by_code[code]), day, code)
                        for (day, code), n in counts.items() for _ in range(n)), key=lambda i: (i[0], i[3]))
    state = {"hours": Counter(), "last_end": {}, "days": set()}
    shifts, unfilled = [], 0
    for start, end, day, code in instances:
        template = center.shifts_by_code[code]
        candidates = sorted((state["hours"][e.id], e.id) for e in center.staff
                            if _may_take(plan, state, e, template, day, start))
        if not candidates:
            unfilled += 1
            continue
        chosen = candidates[0][1]
        state["hours"][chosen] += template.hours
        state["last_end"][chosen] = end
        state["days"].add((chosen, day))
        shifts.append(Assignment(chosen, horizon.day(day), code, position, start, end))
    return shifts, unfilled


def _may_take(plan: Plan, state: dict, employee, template, day: int, start) -> bool:
    rules, last_end = plan.rules, state["last_end"].get(employee.id)
    return (not employee.is_trainee and employee.can_work(template)
            and not plan.center.on_leave(employee.id, plan.horizon.day(day))
            and (employee.id, day) not in state["days"]
            and (last_end is None or (start - last_end).total_seconds() >= 3600 * rules.min_rest_hours)
            and state["hours"][employee.id] + template.hours
            <= employee.contract_hours + rules.overtime_cap(employee))


def profile_gaps(required: np.ndarray, scheduled: np.ndarray) -> tuple[int, int]:
    """Uncovered and overstaffed seat-hours of a count of seats against the requirement."""
    return int(np.maximum(required - scheduled, 0).sum()), int(np.maximum(scheduled - required, 0).sum())


def shifts(position: str, seconds: float) -> None:
    """The table: each pyworkforce model's counts and those counts given to people, then our roster."""
    inputs = load_inputs(ROOT / "inputs/center.xlsx", ROOT / "inputs/rules.toml",
                         ROOT / "forecasts/sample-week-2026-11-30.csv", date(2026, 11, 30), 7)
    plan = single_position_plan(inputs, position)
    required = plan.requirements.required[position]
    patterns = shift_patterns(plan)
    print(f"Sample week 2026-11-30, {position} only: {required.sum():,} required seat-hours over "
          f"{len(required)} hours, {len(plan.center.staff)} qualified staff, {len(plan.center.shifts)} "
          f"templates x {plan.horizon.days} days; {seconds:g} s each (pyworkforce wall-clock, ours "
          "deterministic), 2 workers")
    print("| model | status | shifts | people | uncovered seat-hours | overstaffed seat-hours | seconds "
          "| shifts no roster could staff | checker violations |")
    print("|---|---|---|---|---|---|---|---|---|")
    for model in ("MinAbsDifference", "MinRequiredResources"):
        started = time.perf_counter()
        status, counts = pyworkforce_counts(model, plan, position, patterns, seconds)
        elapsed = time.perf_counter() - started
        scheduled = sum(n * patterns[key] for key, n in counts.items())
        under, over = profile_gaps(required, scheduled)
        missing, templates = unstaffable(plan, counts)
        print(f"| pyworkforce {model} | {status} | {sum(counts.values())} | counts, no people | {under:,} "
              f"| {over:,} | {elapsed:.1f} | {missing} (of {'+'.join(templates)}) | not a roster |")
        roster, unfilled = assign_greedily(plan, position, counts)
        under, over = profile_gaps(required, on_duty(roster, plan.center, plan.horizon, None)[position])
        violations = check_roster(plan, roster, [], None, None).violations
        people = len({s.employee_id for s in roster})
        print(f"| its counts given greedily to people | roster | {len(roster)} | {people} | {under:,} "
              f"| {over:,} | - | {unfilled} left unstaffed | {_by_rule(violations)} |")
    started = time.perf_counter()
    roster = build_roster(plan, SolverSettings(time_limit_s=seconds))
    elapsed = time.perf_counter() - started
    assignments = list(roster.result.assignments)
    under, over = profile_gaps(required, on_duty(assignments, plan.center, plan.horizon, None)[position])
    print(f"| ours (roster.build_roster) | {roster.result.status} | {len(assignments)} "
          f"| {len({s.employee_id for s in assignments})} | {under:,} | {over:,} | {elapsed:.1f} | 0 "
          f"| {_by_rule(roster.violations)} |")
    floor = contract_floor(plan)
    print(f"\nThe hard rule \"weekly hours min\" asks {floor:,.0f} h of these staff (contract hours in whole "
          f"shifts, less leave days) against {required.sum():,} required seat-hours: every legal roster of "
          f"them overstaffs at least {floor - required.sum():,.0f} seat-hours more than it leaves uncovered.")


def contract_floor(plan: Plan) -> float:
    """The hours the hard rule "weekly hours min" asks of the plan's non-trainee staff in its one week (the
    checker's floor: Employee.min_weekly_hours less a shift per leave day)."""
    horizon = plan.horizon
    return sum(max(0.0, e.min_weekly_hours - e.shift_length * sum(
        plan.center.on_leave(e.id, horizon.day(d)) for d in range(horizon.days)))
        for e in plan.center.staff if not e.is_trainee)


def _by_rule(violations) -> str:
    counts = Counter(v.rule for v in violations)
    return ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items())) or "0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    erlang_parser = commands.add_parser("erlang", help="Erlang C seats per hour, pyworkforce against ours")
    erlang_parser.add_argument("--grid", action="store_true", help="also sweep loads and settings")
    shifts_parser = commands.add_parser("shifts", help="shift covering of one position, pyworkforce and ours")
    shifts_parser.add_argument("--position", default="police_ct", help="the sample center's position")
    shifts_parser.add_argument("--time-limit", type=float, default=60.0, help="seconds for each solve")
    args = parser.parse_args()
    try:
        import pyworkforce  # noqa: F401
    except ImportError:
        print(f"Error: pyworkforce is not installed here (it is optional). Fix: {INSTALL}", file=sys.stderr)
        sys.exit(2)
    if args.command == "erlang":
        erlang(args.grid)
    else:
        shifts(args.position, args.time_limit)


if __name__ == "__main__":
    main()
