"""The fairness pass (model/solve.py, fairness_pass): the main solve leaves the fairness and stability terms
out; after it they alone are minimized with every other term held at no worse than the roster found. It runs
only when those rules are on. `stopped_at` makes the main solve end at a chosen roster, as a search out of
time does on the sample week, so that what the pass starts from is known."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from scheduler.model import cpsat
from scheduler.model import solve as solve_module
from scheduler.model.build import build_model
from scheduler.model.settings import PhasedSettings, SolverSettings
from scheduler.weights import NIGHT_SPREAD, Weights
from tests.checked import OT, OVER, SETTINGS, SHORT, add, shifts, solve_checked
from tests.factory import center, employee, hours, model_data, rules
from tests.test_rule_fairness import FAIRNESS, NIGHTS_MON_TUE, NO_FAIRNESS
from tests.test_rule_stability import STABLE


def stopped_at(monkeypatch, data, pinned: list[tuple[str, int, str]]) -> None:
    """Make solve's main (direct) solve end at the best roster that has the `pinned` (employee, day index,
    shift code) shifts, unproven, the way a time limit ends it: the model is hinted with that roster (every
    variable) and the search stops at its first solution. The fairness pass and everything after run as
    usual."""
    model, roster, _ = build_model(data, Weights())
    for employee_id, day, code in pinned:
        model.add(roster.works_shift(employee_id, day, code) == 1)
    pinned_solver = cp_model.CpSolver()
    assert pinned_solver.solve(model) == cp_model.OPTIMAL
    values = cpsat.solution(pinned_solver)  # a solution of the unpinned model too: same variables
    run = cpsat.run

    def main_stops_early(model, settings, limit, report, phase, started, bound=None, lp=True, focused=False):
        if phase != "solve":
            return run(model, settings, limit, report, phase, started, bound, lp, focused)
        cpsat.hint(model, values)
        solver = cp_model.CpSolver()
        settings.apply(solver, limit, lp, focused)
        solver.parameters.stop_after_first_solution = True
        return solver, solver.solve(model)

    monkeypatch.setattr(solve_module, "run", main_stops_early)


def test_pass_evens_out_nights_at_the_same_coverage_and_overtime(monkeypatch):
    # Two N8s (Mon, Tue), A and B alike, no overtime either way. The main solve (fairness left out) stops at A
    # working both: 7 overstaffed hours (Tuesday's N8 runs on to 07:00 into Monday's unrequired hours, the
    # plan being a cycle) whoever works it, and a night spread of 2 (2 x 2 = 4). Giving one night to B covers
    # the same hours with the same overstaffing and (no) overtime, so the pass, holding those at 7, finds 1/1:
    # spread 0, the whole objective 11 -> 7; the main solve's bound (on the other terms) is kept.
    data = model_data(center([employee("A"), employee("B")]), days=2, required={"radio": NIGHTS_MON_TUE},
                      r=FAIRNESS)
    stopped_at(monkeypatch, data, [("A", 0, "N8"), ("A", 1, "N8")])
    result = solve_checked(data, optimal=False)
    main, fairness = result.phases
    # The main solve: no fairness.
    assert (main.name, main.objective, fairness.name) == ("solve", 7, "fairness")
    assert fairness.objective == fairness.best_bound == 0  # the pass proves the spread can reach 0
    assert sorted(e for e, _, code, _ in shifts(result) if code == "N8") == ["A", "B"]
    assert result.penalties[NIGHT_SPREAD] == 0
    assert (result.penalties[SHORT], result.penalties[OVER], result.penalties[OT]) == (0, 7, 0)
    assert result.objective == 7 and result.best_bound == main.best_bound


def test_pass_cannot_even_out_nights_that_cost_overtime(monkeypatch):
    # B's contract is 0 h, so a night of B is 8 overtime hours (120). The main solve stops at A working both
    # (the 7 overstaffed hours above, and a night spread of 2: 4); the pass holds the other terms' weighted
    # sum at 7, which B's night (120 of overtime) would break, so it cannot move a night to B, and the roster
    # stays as found.
    data = model_data(A_NOT_B, days=2, required={"radio": NIGHTS_MON_TUE}, r=FAIRNESS)
    stopped_at(monkeypatch, data, [("A", 0, "N8"), ("A", 1, "N8")])
    result = solve_checked(data, optimal=False)
    assert [p.name for p in result.phases] == ["solve", "fairness"]
    assert shifts(result) == [("A", 0, "N8", "radio"), ("A", 1, "N8", "radio")]
    assert (result.penalties[NIGHT_SPREAD], result.penalties[SHORT], result.penalties[OT]) == (2 * 2, 0, 0)
    assert result.objective == 4 + 7


PHASED = SolverSettings(time_limit_s=10, workers=1, strategy="phased", phased=PhasedSettings(window_days=1))
# Any shift of B: overtime.
A_NOT_B = center([employee("A", contract_hours=16), employee("B", contract_hours=0)])
# 3 days: A works both, one start change (2).
DAY_THEN_EVENING = add(hours(0, 7, 15, 72), hours(1, 15, 23, 72))


@pytest.mark.parametrize(("settings", "main_phases"),
                         [(SETTINGS, ["solve"]), (PHASED, ["shortfall", "polish"])])
def test_phases_name_the_pass_only_when_its_rules_are_on(settings, main_phases):
    # Solved to optimality, direct and phased. Fairness on (A's two nights: spread 2) or stability on (A's D8
    # and E8: one start change), positive after the main solve and unavoidable without overtime: the pass
    # runs, proves that and keeps the roster. Both off: no pass, and the direct solve names no phase, as
    # before.
    for r, days, required, phases in ((FAIRNESS, 2, NIGHTS_MON_TUE, [*main_phases, "fairness"]),
                                      (STABLE, 3, DAY_THEN_EVENING, [*main_phases, "fairness"]),
                                      (NO_FAIRNESS, 2, NIGHTS_MON_TUE,
                                       main_phases if settings is PHASED else [])):
        result = solve_checked(model_data(A_NOT_B, days=days, required={"radio": required}, r=r),
                               settings=settings)
        assert [p.name for p in result.phases] == phases, r
        # The pass's own objective: the fairness or stability terms, as the main solve left them.
        if r is not NO_FAIRNESS:
            assert result.phases[-1].objective == result.phases[-1].best_bound == (
                2 * 2 if r is FAIRNESS else 2)
        assert result.penalties[OT] == 0


def test_no_pass_when_fairness_is_already_zero():
    # Rules on, but nothing to work: no shift, every spread and start change 0, so the pass does not run.
    data = model_data(center([employee("A"), employee("B")]), days=2, r=FAIRNESS)
    result = solve_checked(data)
    assert [p.name for p in result.phases] == ["solve"] and result.assignments == () and result.objective == 0


def test_the_pass_takes_its_share_out_of_the_limit():
    # The main solve gets (1 - fairness_share) of the limit: a larger share leaves the main solve less.
    settings = SolverSettings(time_limit_s=10, workers=1, fairness_share=0.25)
    data = model_data(A_NOT_B, days=2, required={"radio": NIGHTS_MON_TUE}, r=rules(fair_nights=True))
    seen = []
    run = cpsat.run

    def recording(model, settings_, limit, *args, **kwargs):
        seen.append((args[1], limit))
        return run(model, settings_, limit, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(solve_module, "run", recording)
        solve_checked(data, settings=settings)
    main = [limit for phase, limit in seen if phase == "solve"]
    assert main == [7.5] and [limit for phase, limit in seen if phase == "fairness"] == [2.5]
