"""Forward rotation only: no backward shift succession on consecutive days (hard, rules/rotation.py)."""

from datetime import time, timedelta

import pytest

from scheduler.domain import Assignment
from scheduler.model.registry import check_rules
from scheduler.model.rules.rotation import forbidden_successions
from tests.checked import SHORT, add, case_of, shifts, solve_checked
from tests.factory import DAY8, EVE8, NIGHT8, START, center, employee, hours, model_data, rules

# Rest 8 h: E8 (15:00-23:00) then D8 (07:00) is allowed by rest, so only the rotation rule can forbid it;
# single days off allowed (min_days_off 1), so a day off between two shifts is the rotation rule's own
# exception; no holdover reserve, so the 24-hour cap holds E8 + D8 (16 h in 24) and does not bind either.
FORWARD = rules(forward_rotation=True, min_rest_hours=8, min_days_off=1, holdover_hours=0)
BACKWARD_OK = rules(min_rest_hours=8, min_days_off=1, holdover_hours=0)


def test_rotation_periods_and_pairs():
    # D8 07:00 day, E8 15:00 evening (after 12:00), N8 23:00 night; the three backward pairs are forbidden.
    data = model_data(center([employee("A")]), r=FORWARD)
    assert [FORWARD.period(t.start) for t in (DAY8, EVE8, NIGHT8)] == [0, 1, 2]
    assert sorted(forbidden_successions(data)) == [("E8", "D8"), ("N8", "D8"), ("N8", "E8")]
    assert FORWARD.period(time(11)) == 0  # 11:00 is before evening_start_hour 12
    assert forbidden_successions(model_data(center([employee("A")]))) == []  # off by default


@pytest.mark.binds
def test_rotation_binds_evening_then_day():
    # One employee, E8 needed on day 0 and D8 on day 1 (3-day plan): evening -> day is backward, so one of
    # them (8 seat-hours) stays open: 8,000.
    c = center([employee("A")])
    need = add(hours(0, 15, 23, 72), hours(1, 7, 15, 72))
    result = solve_checked(model_data(c, days=3, required={"radio": need}, r=FORWARD))
    assert len(result.assignments) == 1
    assert result.penalties[SHORT] == 8 * 1000


def test_rotation_slack_when_off():
    # The same need without the rule: both shifts worked, nothing short.
    c = center([employee("A")])
    need = add(hours(0, 15, 23, 72), hours(1, 7, 15, 72))
    result = solve_checked(model_data(c, days=3, required={"radio": need}, r=BACKWARD_OK))
    assert shifts(result) == [("A", 0, "E8", "radio"), ("A", 1, "D8", "radio")]
    assert result.penalties[SHORT] == 0


@pytest.mark.slack
def test_rotation_slack_day_off_between_and_forward():
    # E8 on day 0, D8 on day 2 (a day off between), E8 again on day 3 (day -> evening: forward). The 4-day
    # plan wraps day 3's E8 onto day 0's E8: same period. All worked, nothing short.
    c = center([employee("A")])
    need = add(hours(0, 15, 23, 96), hours(2, 7, 15, 96), hours(3, 15, 23, 96))
    result = solve_checked(model_data(c, days=4, required={"radio": need}, r=FORWARD))
    assert shifts(result) == [("A", 0, "E8", "radio"), ("A", 2, "D8", "radio"), ("A", 3, "E8", "radio")]


def test_rotation_binds_across_the_plan_end():
    # 2-day plan, D8 on day 0 and E8 on day 1: the plan repeats, so day 1's E8 is followed by day 0's D8
    # (evening -> day): only one of them can be worked, 8 seat-hours short.
    c = center([employee("A")])
    need = add(hours(0, 7, 15, 48), hours(1, 15, 23, 48))
    result = solve_checked(model_data(c, days=2, required={"radio": need}, r=FORWARD))
    assert result.penalties[SHORT] == 8 * 1000


def test_checker_flags_backward_succession():
    data = model_data(center([employee("A")]), days=3, r=FORWARD)

    def roster(*worked):
        return [Assignment("A", START + timedelta(days=d), code, "radio", w.start, w.end)
                for d, code in worked for w in [data.windows[d, code]]]

    found = check_rules(case_of(data, roster((0, "E8"), (1, "D8"))))
    assert [(v.rule, v.when) for v in found] == [("forward rotation", "2026-12-01")]
    assert check_rules(case_of(data, roster((0, "D8"), (1, "E8")))) == []
    assert check_rules(case_of(data, roster((0, "E8"), (2, "D8")))) == []
    assert check_rules(case_of(data, roster((0, "E8"), (1, "D8")), rules=BACKWARD_OK)) == []


def test_rotation_slack_when_evening_starts_later():
    # evening_start_hour = 16: E8 (15:00) is a day shift, so E8 then D8 is day -> day and both are worked.
    c = center([employee("A")])
    need = add(hours(0, 15, 23, 72), hours(1, 7, 15, 72))
    late = rules(forward_rotation=True, min_rest_hours=8, min_days_off=1, holdover_hours=0,
                 evening_start_hour=16)
    result = solve_checked(model_data(c, days=3, required={"radio": need}, r=late))
    assert shifts(result) == [("A", 0, "E8", "radio"), ("A", 1, "D8", "radio")]
    assert late.period(time(2)) == 2  # before night_end_hour 5: a night
