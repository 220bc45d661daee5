"""At most `max_consecutive_days` work days in a row (hard, rules/consecutive.py)."""

import pytest

from scheduler.errors import SolveError
from scheduler.model.solve import solve
from tests.checked import SETTINGS, SHORT, add, shifts, solve_checked
from tests.factory import center, employee, hours, model_data, rules

DAILY_D8 = add(hours(0, 7, 15, 72), hours(1, 7, 15, 72), hours(2, 7, 15, 72))


@pytest.mark.binds
def test_consecutive_binds_two_of_three_days():
    # D8 needed on three days, limit 2 in a row: A works two of them, one day (8 h) stays short.
    c = center([employee("A")])
    data = model_data(c, days=3, required={"radio": DAILY_D8}, r=rules(max_consecutive_days=2))
    result = solve_checked(data)
    assert len(result.assignments) == 2
    assert result.penalties[SHORT] == 8 * 1000


def test_consecutive_binds_limit_one_alternates():
    # Limit 1 over a 4-day cycle with demand on days 0 and 1 only: A can take one of the two adjacent days.
    # Over a 4-day cycle days 0 and 2 are the non-adjacent pair: A works day 0 (demand) and nothing else.
    need = add(hours(0, 7, 15, 96), hours(1, 7, 15, 96))
    c = center([employee("A")])
    data = model_data(c, days=4, required={"radio": need}, r=rules(max_consecutive_days=1))
    result = solve_checked(data)
    assert len(result.assignments) == 1 and result.assignments[0].day.day in (30, 1)
    assert result.penalties[SHORT] == 8 * 1000


def test_consecutive_wraps_from_the_last_day_to_the_first():
    # The plan is a repeating cycle: with limit 1 over 3 days, day 2 and day 0 (next cycle) are adjacent too,
    # so only one of the three days can be worked and two D8s (16 h) stay short.
    c = center([employee("A")])
    data = model_data(c, days=3, required={"radio": DAILY_D8}, r=rules(max_consecutive_days=1))
    result = solve_checked(data)
    assert len(result.assignments) == 1
    assert result.penalties[SHORT] == 2 * 8 * 1000


def test_consecutive_binds_a_second_employee_covers_the_gap():
    # Limit 2 with two people: together they cover all three days.
    c = center([employee("A"), employee("B")])
    data = model_data(c, days=3, required={"radio": DAILY_D8}, r=rules(max_consecutive_days=2))
    result = solve_checked(data)
    # One D8 a day, each day by exactly one of the two (neither works all three).
    assert sorted((day, code) for _, day, code, _ in shifts(result)) == [(0, "D8"), (1, "D8"), (2, "D8")]
    assert result.penalties[SHORT] == 0


@pytest.mark.slack
def test_consecutive_slack_limit_three():
    # Limit 3 over a 3-day plan never binds: A works all three days.
    c = center([employee("A")])
    data = model_data(c, days=3, required={"radio": DAILY_D8}, r=rules(max_consecutive_days=3))
    result = solve_checked(data)
    assert shifts(result) == [("A", d, "D8", "radio") for d in range(3)]
    assert result.penalties[SHORT] == 0


def test_consecutive_with_weekly_minimum_is_infeasible():
    # 7-day cycle, limit 1 in a row: at most 3 work days (0, 2, 4) = 24 h < the 40 h weekly floor -> no
    # roster.
    c = center([employee("A", contract_hours=40)])
    data = model_data(c, days=7, r=rules(max_consecutive_days=1))
    with pytest.raises(SolveError, match="INFEASIBLE"):
        solve(data, settings=SETTINGS)
