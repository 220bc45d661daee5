"""Day-off requests (soft, rules/requests.py): 40 x weight per request denied (employee works that day), times
the seniority multiplier when [requests] seniority_weighting is on."""

from datetime import date, timedelta

import pytest

from scheduler.domain import Assignment, DayOffRequest
from scheduler.model.registry import recompute_penalties
from scheduler.weights import Weights
from tests.checked import REQUESTS, SHORT, add, case_of, shifts, solve_checked
from tests.factory import DAY8, START, center, employee, hours, model_data, rules

D8_DAY0 = hours(0, 7, 15, 24)


def test_request_binds_coverage_wins():
    # A asked for day 0 off (weight 3) but is the only one for the needed D8: 8 short hours (8000) cost more
    # than denying the request (3 x 40 = 120), so A works and the request is denied.
    c = center([employee("A")], requests=(DayOffRequest("A", START, 3),))
    result = solve_checked(model_data(c, days=1, required={"radio": D8_DAY0}))
    assert shifts(result) == [("A", 0, "D8", "radio")]
    assert result.penalties[REQUESTS] == 3 * 40
    assert result.penalties[SHORT] == 0


@pytest.mark.binds
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


@pytest.mark.slack
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


# --- seniority weighting ([requests] seniority_weighting; Rules.seniority_multiplier) -----------------------

SENIOR = date(2010, 1, 1)  # 16 full years at START: multiplier 1 + min(16 // 5, 2) = 3
JUNIOR = date(2024, 6, 1)  # 2 full years: multiplier 1
SENIORITY = rules(seniority_weighting=True)


def _two_requests(r):
    # A (senior) asks with weight 1, B (junior) with weight 2, for the same day; one of them must work the D8.
    c = center([employee("A", hire_date=SENIOR), employee("B", hire_date=JUNIOR)],
               requests=(DayOffRequest("A", START, 1), DayOffRequest("B", START, 2)))
    return solve_checked(model_data(c, days=1, required={"radio": D8_DAY0}, r=r))


def test_seniority_binds_senior_request_wins():
    # With seniority A's request counts 1 x 3 = 3 points against B's 2 x 1 = 2: B works, 2 x 40 = 80.
    result = _two_requests(SENIORITY)
    assert shifts(result) == [("B", 0, "D8", "radio")]
    assert result.penalties[REQUESTS] == 80


def test_seniority_off_weight_alone_decides():
    # The same two requests without seniority: B's weight 2 beats A's 1, so A works, 1 x 40 = 40.
    result = _two_requests(rules())
    assert shifts(result) == [("A", 0, "D8", "radio")]
    assert result.penalties[REQUESTS] == 40


def test_seniority_multiplies_a_denied_request():
    # A, 16 years, is the only one for the D8: the denied weight-2 request costs 2 x 3 x 40 = 240.
    c = center([employee("A", hire_date=SENIOR)], requests=(DayOffRequest("A", START, 2),))
    result = solve_checked(model_data(c, days=1, required={"radio": D8_DAY0}, r=SENIORITY))
    assert result.penalties[REQUESTS] == 240


def test_seniority_slack_when_no_request_is_denied():
    # A senior request and a free junior colleague: B works, nothing denied whatever the multiplier.
    c = center([employee("A", hire_date=SENIOR), employee("B", hire_date=JUNIOR)],
               requests=(DayOffRequest("A", START, 5),))
    result = solve_checked(model_data(c, days=1, required={"radio": D8_DAY0}, r=SENIORITY))
    assert shifts(result) == [("B", 0, "D8", "radio")]
    assert result.penalties[REQUESTS] == 0


@pytest.mark.parametrize(("hired", "multiplier"), [
    (date(2021, 11, 30), 2),  # exactly 5 years on the plan's first day: one step
    (date(2021, 12, 1), 1),  # one day short of 5 years
    (date(2016, 11, 30), 3),  # 10 years: two steps, the cap
    (date(1990, 1, 1), 3),  # 36 years: still capped at 1 + 2
    (date(2027, 1, 1), 1),  # hired after the plan starts: 0 years
])
def test_seniority_multiplier_steps_and_cap(hired, multiplier):
    assert SENIORITY.seniority_multiplier(employee("A", hire_date=hired), START) == multiplier


def test_seniority_multiplier_parameters_and_off():
    veteran = employee("A", hire_date=date(1990, 1, 1))
    assert rules().seniority_multiplier(veteran, START) == 1  # off: every request counts its weight alone
    assert rules(seniority_weighting=True, seniority_step_years=10, seniority_max_steps=4) \
        .seniority_multiplier(veteran, START) == 4  # 36 // 10 = 3 steps


def test_checker_recomputes_seniority_weighted_denials():
    # A hand-made roster: senior A works on the day asked off (weight 2): 2 x 3 x 40 = 240; junior B's
    # weight-1 request on day 1 is honored (B works only day 0, where B asked nothing).
    c = center([employee("A", hire_date=SENIOR), employee("B", hire_date=JUNIOR)],
               requests=(DayOffRequest("A", START, 2), DayOffRequest("B", START + timedelta(days=1), 1)))
    data = model_data(c, days=2, r=SENIORITY)
    roster = [Assignment(e, START, "D8", "radio", *data.horizon.shift_window(0, DAY8)) for e in ("A", "B")]
    penalties = recompute_penalties(case_of(data, roster), Weights())
    assert penalties[REQUESTS] == 240
