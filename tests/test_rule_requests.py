"""Day-off requests (soft, rules/requests.py): 40 x weight per request denied (employee works that day)."""

from datetime import timedelta

from scheduler.domain import DayOffRequest
from tests.checked import REQUESTS, SHORT, add, shifts, solve_checked
from tests.factory import START, center, employee, hours, model_data

D8_DAY0 = hours(0, 7, 15, 24)


def test_request_binds_coverage_wins():
    # A asked for day 0 off (weight 3) but is the only one for the needed D8: 8 short hours (8000) cost more
    # than denying the request (3 x 40 = 120), so A works and the request is denied.
    c = center([employee("A")], requests=(DayOffRequest("A", START, 3),))
    result = solve_checked(model_data(c, days=1, required={"radio": D8_DAY0}))
    assert shifts(result) == [("A", 0, "D8", "radio")]
    assert result.penalties[REQUESTS] == 3 * 40
    assert result.penalties[SHORT] == 0


def test_request_binds_lower_weight_is_denied():
    # Both asked for day 0 off, A with weight 1, B with weight 2: deny A's (40) rather than B's (80).
    c = center([employee("A"), employee("B")],
               requests=(DayOffRequest("A", START, 1), DayOffRequest("B", START, 2)))
    result = solve_checked(model_data(c, days=1, required={"radio": D8_DAY0}))
    assert shifts(result) == [("A", 0, "D8", "radio")]
    assert result.penalties[REQUESTS] == 40


def test_request_slack_colleague_works():
    # A asked for day 0 off, B did not: B works, no request denied.
    c = center([employee("A"), employee("B")], requests=(DayOffRequest("A", START, 5),))
    result = solve_checked(model_data(c, days=1, required={"radio": D8_DAY0}))
    assert shifts(result) == [("B", 0, "D8", "radio")]
    assert result.penalties[REQUESTS] == 0


def test_request_slack_other_day():
    # A asked for day 1 off; the need is on day 0 only: A works day 0, request honored.
    c = center([employee("A")], requests=(DayOffRequest("A", START + timedelta(days=1), 2),))
    result = solve_checked(model_data(c, days=2, required={"radio": add(hours(0, 7, 15, 48), [0] * 48)}))
    assert shifts(result) == [("A", 0, "D8", "radio")]
    assert result.penalties[REQUESTS] == 0


def test_request_outside_horizon_ignored():
    # A request after the plan's end can never be denied.
    c = center([employee("A")], requests=(DayOffRequest("A", START + timedelta(days=5), 4),))
    result = solve_checked(model_data(c, days=1, required={"radio": D8_DAY0}))
    assert shifts(result) == [("A", 0, "D8", "radio")]
    assert result.penalties[REQUESTS] == 0
