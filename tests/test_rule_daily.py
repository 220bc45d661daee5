"""At most one shift per employee and day (hard, rules/daily.py)."""

import pytest

from tests.checked import OVER, SHORT, add, shifts, solve_checked
from tests.factory import CALLS, RADIO, center, employee, hours, model_data, rules


def test_daily_binds_day_and_evening_same_day():
    # 07-23 needed on day 0 (D8 + E8, back to back). Rest is set to 0 so only the one-shift-per-day rule stops
    # A from working both: one of the two shifts is worked, 8 hours stay short.
    c = center([employee("A")])
    data = model_data(c, days=1, required={"radio": hours(0, 7, 23, 24)}, r=rules(min_rest_hours=0))
    result = solve_checked(data)
    assert len(result.assignments) == 1
    assert result.assignments[0].shift_code in {"D8", "E8"}
    assert result.penalties[SHORT] == 8 * 1000
    assert result.penalties[OVER] == 0


@pytest.mark.binds
def test_daily_binds_two_positions_same_shift():
    # Radio and call-taker both needed 07-15; A holds both qualifications but can work only one seat.
    c = center([employee("A", "RAD,CT")], positions=(RADIO, CALLS))
    need = hours(0, 7, 15, 24)
    data = model_data(c, days=1, required={"radio": need, "ct": need})
    result = solve_checked(data)
    assert len(result.assignments) == 1
    assert result.penalties[SHORT] == 8 * 1000


def test_daily_slack_second_employee():
    # With B as well, A and B split the day and evening: nothing short.
    c = center([employee("A"), employee("B")])
    data = model_data(c, days=1, required={"radio": hours(0, 7, 23, 24)}, r=rules(min_rest_hours=0))
    result = solve_checked(data)
    assert sorted(a.shift_code for a in result.assignments) == ["D8", "E8"]
    assert {a.employee_id for a in result.assignments} == {"A", "B"}
    assert result.penalties[SHORT] == 0


@pytest.mark.slack
def test_daily_slack_one_shift_on_each_of_two_days():
    # One D8 per day on two days is fine for one person (16 h rest between them).
    c = center([employee("A")])
    data = model_data(c, days=2, required={"radio": add(hours(0, 7, 15, 48), hours(1, 7, 15, 48))})
    result = solve_checked(data)
    assert shifts(result) == [("A", 0, "D8", "radio"), ("A", 1, "D8", "radio")]
    assert result.penalties[SHORT] == 0
