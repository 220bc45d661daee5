"""At most `max_consecutive_days` work days in a row (hard, rules/consecutive.py)."""

import pytest

from scheduler.errors import SolveError
from scheduler.model.solve import solve
from tests.checked import SETTINGS, SHORT, add, shifts, solve_checked
from tests.factory import center, employee, hours, model_data, rules

DAILY_D8 = add(hours(0, 7, 15, 72), hours(1, 7, 15, 72), hours(2, 7, 15, 72))


def test_consecutive_binds_two_of_three_days():
    # D8 needed on three days, limit 2 in a row: A works two of them, one day (8 h) stays short.
    c = center([employee("A")])
    data = model_data(c, days=3, required={"radio": DAILY_D8}, r=rules(max_consecutive_days=2))
    result = solve_checked(data)
    assert len(result.assignments) == 2
    assert result.penalties[SHORT] == 8 * 1000


def test_consecutive_binds_limit_one_alternates():
    # Limit 1: no two adjacent days, so the best is days 0 and 2 (the only two non-adjacent days of three).
    c = center([employee("A")])
    data = model_data(c, days=3, required={"radio": DAILY_D8}, r=rules(max_consecutive_days=1))
    result = solve_checked(data)
    assert shifts(result) == [("A", 0, "D8", "radio"), ("A", 2, "D8", "radio")]
    assert result.penalties[SHORT] == 8 * 1000


def test_consecutive_binds_a_second_employee_covers_the_gap():
    # Limit 2 with two people: together they cover all three days.
    c = center([employee("A"), employee("B")])
    data = model_data(c, days=3, required={"radio": DAILY_D8}, r=rules(max_consecutive_days=2))
    result = solve_checked(data)
    # One D8 a day, each day by exactly one of the two (neither works all three).
    assert sorted((day, code) for _, day, code, _ in shifts(result)) == [(0, "D8"), (1, "D8"), (2, "D8")]
    assert result.penalties[SHORT] == 0


def test_consecutive_slack_limit_three():
    # Limit 3 over a 3-day plan never binds: A works all three days.
    c = center([employee("A")])
    data = model_data(c, days=3, required={"radio": DAILY_D8}, r=rules(max_consecutive_days=3))
    result = solve_checked(data)
    assert shifts(result) == [("A", d, "D8", "radio") for d in range(3)]
    assert result.penalties[SHORT] == 0


def test_consecutive_with_weekly_minimum_is_infeasible():
    # 7 days, limit 1 in a row: at most 4 work days (0, 2, 4, 6) = 32 h < the 40 h weekly floor -> no roster.
    c = center([employee("A", contract_hours=40)])
    data = model_data(c, days=7, r=rules(max_consecutive_days=1))
    with pytest.raises(SolveError, match="INFEASIBLE"):
        solve(data, settings=SETTINGS)
