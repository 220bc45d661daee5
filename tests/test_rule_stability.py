"""Shift-start stability: start times beyond the first in an employee's week (soft, rules/stability.py)."""

from datetime import timedelta

import pytest

from scheduler.domain import Assignment
from scheduler.model.registry import recompute_penalties
from scheduler.weights import START_CHANGES, Weights
from tests.checked import OT, SHORT, add, case_of, shifts, solve_checked
from tests.factory import START, center, employee, hours, model_data, rules

STABLE = rules(start_stability=True)


@pytest.mark.binds
def test_stability_binds_forced_change_costs_one_start():
    # One employee, D8 needed on day 0 and E8 on day 1 of a 3-day plan: covering both (16 seat-hours, 16,000
    # if not) costs one start time too many, 2 (start_change): the change is made, never a seat left open.
    c = center([employee("A")])
    need = add(hours(0, 7, 15, 72), hours(1, 15, 23, 72))
    result = solve_checked(model_data(c, days=3, required={"radio": need}, r=STABLE))
    assert shifts(result) == [("A", 0, "D8", "radio"), ("A", 1, "E8", "radio")]
    assert result.penalties[START_CHANGES] == 2
    assert result.objective == 2


def test_stability_binds_each_keeps_one_start():
    # D8 and E8 needed on days 0 and 2; A and B can each work either. Swapping (A: D8 then E8) covers the same
    # hours but costs 2 per employee; the rule picks one start time each: penalty 0.
    c = center([employee("A"), employee("B")])
    need = add(hours(0, 7, 23, 72), hours(2, 7, 23, 72))
    result = solve_checked(model_data(c, days=3, required={"radio": need}, r=STABLE))
    by_employee = {}
    for eid, _, code, _ in shifts(result):
        by_employee.setdefault(eid, set()).add(code)
    assert sorted(map(sorted, by_employee.values())) == [["D8"], ["E8"]]
    assert result.penalties[START_CHANGES] == 0


def test_stability_never_buys_overtime():
    # D8 on day 0 and E8 on day 1. A (16 h contract) can work both, at one start change (2); the other way is
    # B's E8, all of it overtime (contract 0): 8 x 15 = 120. Stability weighs less than one overtime hour.
    c = center([employee("A", contract_hours=16), employee("B", shift_codes=("E8",), contract_hours=0,
                                                           max_overtime_hours=8)])
    need = add(hours(0, 7, 15, 72), hours(1, 15, 23, 72))
    result = solve_checked(model_data(c, days=3, required={"radio": need}, r=STABLE))
    assert shifts(result) == [("A", 0, "D8", "radio"), ("A", 1, "E8", "radio")]
    assert (result.penalties[START_CHANGES], result.penalties[OT], result.penalties[SHORT]) == (2, 0, 0)


def test_stability_slack_when_off():
    # The default rules leave the rule off: no term in the objective, the forced change costs nothing.
    c = center([employee("A")])
    need = add(hours(0, 7, 15, 72), hours(1, 15, 23, 72))
    result = solve_checked(model_data(c, days=3, required={"radio": need}))
    assert START_CHANGES not in result.penalties
    assert result.objective == 0


@pytest.mark.slack
def test_stability_slack_one_start_time_anyway():
    # D8 needed on days 0 and 1 of a 3-day plan: A covers both at one start time (07:00), so the rule, in
    # force, has nothing to count and changes nothing: the same roster and objective (0) as with it off.
    c = center([employee("A")])
    need = add(hours(0, 7, 15, 72), hours(1, 7, 15, 72))
    on = solve_checked(model_data(c, days=3, required={"radio": need}, r=STABLE))
    off = solve_checked(model_data(c, days=3, required={"radio": need}))
    assert shifts(on) == shifts(off) == [("A", 0, "D8", "radio"), ("A", 1, "D8", "radio")]
    assert on.penalties[START_CHANGES] == 0
    assert on.objective == off.objective == 0


def test_checker_counts_distinct_starts_per_week():
    # 8 days: week 1 D8 E8 D8 (2 starts: 1 extra), week 2 (day 7) N8 alone (0 extra): 1 x 2.
    data = model_data(center([employee("A")]), days=8, r=STABLE)
    roster = [Assignment("A", START + timedelta(days=d), code, "radio", w.start, w.end)
              for d, code in ((0, "D8"), (2, "E8"), (4, "D8"), (7, "N8")) for w in [data.windows[d, code]]]
    penalties = recompute_penalties(case_of(data, roster), Weights())
    assert penalties[START_CHANGES] == 2
