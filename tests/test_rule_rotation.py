"""Forward rotation only: no backward shift succession on consecutive days (hard, rules/rotation.py)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduler.domain import Assignment, PastShift, worked_hours
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


# --- the center's own pairs (Center.forbidden_successions), forbidden with or without forward rotation ----

LISTED = (("D8", "E8"),)  # day -> evening: forward, so only the listed pair can forbid it


def test_listed_pairs_join_forward_rotations_once():
    c = center([employee("A")], forbidden_successions=(*LISTED, ("E8", "D8")))
    assert forbidden_successions(model_data(c, r=BACKWARD_OK)) == [("D8", "E8"), ("E8", "D8")]
    assert sorted(forbidden_successions(model_data(c, r=FORWARD))) == [
        ("D8", "E8"), ("E8", "D8"), ("N8", "D8"), ("N8", "E8")]


@pytest.mark.binds
def test_listed_pair_binds_without_forward_rotation():
    # D8 needed on day 0 and E8 on day 1 (3-day plan), D8 -> E8 listed, forward rotation off: one of them (8
    # seat-hours) stays open. Unlisted (test below) both are worked.
    c = center([employee("A")], forbidden_successions=LISTED)
    need = add(hours(0, 7, 15, 72), hours(1, 15, 23, 72))
    result = solve_checked(model_data(c, days=3, required={"radio": need}, r=BACKWARD_OK))
    assert len(result.assignments) == 1
    assert result.penalties[SHORT] == 8 * 1000


@pytest.mark.slack
def test_listed_pair_slack_other_order_and_day_off_between():
    # E8 -> D8 is not listed (and rotation is off): both worked. D8 on day 0, E8 on day 2: a day between.
    c = center([employee("A")], forbidden_successions=LISTED)
    backward = add(hours(0, 15, 23, 72), hours(1, 7, 15, 72))
    result = solve_checked(model_data(c, days=3, required={"radio": backward}, r=BACKWARD_OK))
    assert shifts(result) == [("A", 0, "E8", "radio"), ("A", 1, "D8", "radio")]
    apart = add(hours(0, 7, 15, 96), hours(2, 15, 23, 96))
    result = solve_checked(model_data(c, days=4, required={"radio": apart}, r=BACKWARD_OK))
    assert shifts(result) == [("A", 0, "D8", "radio"), ("A", 2, "E8", "radio")]


def test_checker_flags_listed_pair():
    c = center([employee("A")], forbidden_successions=LISTED)
    data = model_data(c, days=3, r=BACKWARD_OK)

    def roster(*worked):
        return [Assignment("A", START + timedelta(days=d), code, "radio", w.start, w.end)
                for d, code in worked for w in [data.windows[d, code]]]

    found = check_rules(case_of(data, roster((0, "D8"), (1, "E8"))))
    assert [(v.rule, v.employee_id, v.when, v.detail) for v in found] == [
        ("forbidden succession", "A", "2026-12-01", "E8 the day after D8")]
    # The plan is a cycle: day 2's D8 is followed by day 0's E8.
    found = check_rules(case_of(data, roster((0, "E8"), (2, "D8"))))
    assert [(v.rule, v.when, v.detail) for v in found] == [
        ("forbidden succession", "2026-11-30", "E8 the day after D8")]
    assert check_rules(case_of(data, roster((0, "E8"), (1, "D8")))) == []
    assert check_rules(case_of(data, roster((0, "D8"), (1, "D8")))) == []


@pytest.mark.parametrize(("eve", "short"), [(DAY8, 8), (EVE8, 0)])
def test_listed_pair_after_the_previous_rosters_eve(eve, short: int):
    # With a previous roster, its shift on the day before the plan is matched to a template by its local start
    # and length (Center.template_of): a D8 there forbids day 0's E8 (8 seat-hours open); an E8 there does not
    # (E8 -> E8 is not listed; 16 h of rest).
    c = center([employee("A")], forbidden_successions=LISTED)
    data = model_data(c, days=2, required={"radio": hours(0, 15, 23, 48)}, r=BACKWARD_OK,
                      past=(("A", -1, eve, 0),))
    assert c.template_of(data.history.shifts[0]) == eve.code
    result = solve_checked(data)
    assert len(result.assignments) == (0 if short else 1)
    assert result.penalties[SHORT] == short * 1000


def test_checker_flags_listed_pair_after_the_eve():
    c = center([employee("A")], forbidden_successions=LISTED)
    data = model_data(c, days=2, r=BACKWARD_OK, past=(("A", -1, DAY8, 0),))
    evening = [Assignment("A", START, "E8", "radio", *data.horizon.shift_window(0, EVE8))]
    found = check_rules(case_of(data, evening))
    assert [(v.rule, v.when, v.detail) for v in found] == [
        ("forbidden succession", "2026-11-30", "E8 the day after D8")]
    assert check_rules(case_of(data, evening, history=None)) == []


def test_a_past_shift_is_known_by_its_recorded_template_else_by_its_wall_clock():
    # The previous roster's recorded code wins (two templates may share a start and a length); without one,
    # the template is the one of its local start and wall-clock length: a night shift over the fall-back
    # night (2026-11-01, America/Chicago) works 9 real hours yet is N8, 23:00-07:00 on the wall clock.
    c = center([employee("A")])
    chicago = ZoneInfo("America/Chicago")
    start, end = datetime(2026, 10, 31, 23, tzinfo=chicago), datetime(2026, 11, 1, 7, tzinfo=chicago)
    assert worked_hours(start, end) == 9
    assert c.template_of(PastShift("A", start.date(), "radio", start, end)) == "N8"
    assert c.template_of(PastShift("A", start.date(), "radio", start, end, 0.0, "E8")) == "E8"
    assert c.template_of(PastShift("A", start.date(), "radio", start, start + timedelta(hours=5))) is None
