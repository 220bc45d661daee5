"""Shift preferences (soft, rules/preferences.py): 5 x weight x seniority multiplier per plan day on which an
employee works a shift they avoid, or works a shift other than the ones they prefer (a day off breaks
neither, but a "prefer" with day_off_breaks: a request to work that shift)."""

from datetime import date, timedelta

import pytest

from scheduler.domain import Assignment, ShiftPreference
from scheduler.model.registry import recompute_penalties
from scheduler.weights import Weights
from tests.checked import AVOIDED, OT, OVER, SHORT, UNMET, add, case_of, shifts, solve_checked
from tests.factory import DAY8, EVE8, START, center, employee, hours, model_data, rules

D8_AND_E8 = add(hours(0, 7, 15, 24), hours(0, 15, 23, 24))  # one seat 07:00-23:00 on day 0
SENIOR, JUNIOR = date(2010, 1, 1), date(2024, 6, 1)  # 16 years (multiplier 3), 2 years (1)


def avoid(eid: str, *codes: str, weight: int = 1, **kwargs) -> ShiftPreference:
    return ShiftPreference(eid, True, codes, weight=weight, **kwargs)


def prefer(eid: str, *codes: str, weight: int = 1, **kwargs) -> ShiftPreference:
    return ShiftPreference(eid, False, codes, weight=weight, **kwargs)


def test_avoid_binds_assignment_follows_it():
    # Someone must work D8 and someone E8; A avoids E8, so A takes D8 and B E8: nothing broken.
    c = center([employee("A"), employee("B")], preferences=(avoid("A", "E8", weight=2),))
    result = solve_checked(model_data(c, days=1, required={"radio": D8_AND_E8}))
    assert shifts(result) == [("A", 0, "D8", "radio"), ("B", 0, "E8", "radio")]
    assert result.penalties[AVOIDED] == 0 and result.penalties[UNMET] == 0


def test_avoid_binds_coverage_wins():
    # A alone avoids E8 (weight 2) but the only need is E8: 8 uncovered hours (8000) cost more than 2 x 5.
    c = center([employee("A")], preferences=(avoid("A", "E8", weight=2),))
    result = solve_checked(model_data(c, days=1, required={"radio": hours(0, 15, 23, 24)}))
    assert shifts(result) == [("A", 0, "E8", "radio")]
    assert result.penalties[AVOIDED] == 10 and result.penalties[SHORT] == 0


def test_avoid_without_shifts_is_any_shift_on_its_date_only():
    # A avoids working at all on day 1 (a date row); A alone covers D8 on days 0 and 1: only day 1 counts, 3 x
    # 5.
    c = center([employee("A")], preferences=(avoid("A", weight=3, day=START + timedelta(days=1)),))
    two_days = add(hours(0, 7, 15, 48), hours(1, 7, 15, 48))
    result = solve_checked(model_data(c, days=2, required={"radio": two_days}))
    assert shifts(result) == [("A", 0, "D8", "radio"), ("A", 1, "D8", "radio")]
    assert result.penalties[AVOIDED] == 15


def test_avoid_on_weekdays_only():
    # START is a Monday; A avoids D8 on Tuesdays only: working D8 Mon and Tue breaks it once, 5.
    c = center([employee("A")], preferences=(avoid("A", "D8", weekdays=frozenset({1})),))
    two_days = add(hours(0, 7, 15, 48), hours(1, 7, 15, 48))
    result = solve_checked(model_data(c, days=2, required={"radio": two_days}))
    assert result.penalties[AVOIDED] == 5


@pytest.mark.binds
def test_prefer_binds_assignment_follows_it():
    # A prefers E8: A takes E8 and B D8.
    c = center([employee("A"), employee("B")], preferences=(prefer("A", "E8"),))
    result = solve_checked(model_data(c, days=1, required={"radio": D8_AND_E8}))
    assert shifts(result) == [("A", 0, "E8", "radio"), ("B", 0, "D8", "radio")]
    assert result.penalties[UNMET] == 0


def test_prefer_binds_coverage_wins():
    # A alone prefers D8 or N8 (weight 4) but the need is E8: A works E8 and the preference costs 4 x 5.
    c = center([employee("A")], preferences=(prefer("A", "D8", "N8", weight=4),))
    result = solve_checked(model_data(c, days=1, required={"radio": hours(0, 15, 23, 24)}))
    assert shifts(result) == [("A", 0, "E8", "radio")]
    assert result.penalties[UNMET] == 20


@pytest.mark.slack
def test_prefer_slack_a_day_off_breaks_nothing():
    # No demand: A prefers D8 but a day off is no broken preference, so no shift is bought (it would be 8
    # over).
    c = center([employee("A")], preferences=(prefer("A", "D8", weight=5),))
    result = solve_checked(model_data(c, days=1))
    assert shifts(result) == []
    assert result.penalties[UNMET] == 0 and result.penalties[OVER] == 0


def test_seniority_binds_senior_preference_wins():
    # Both avoid E8; senior A with weight 1 (1 x 3 = 3 points), junior B with weight 2 (2 x 1 = 2): B works E8
    # (2 x 5 = 10); without seniority weight alone decides and A works E8 (5).
    c = center([employee("A", hire_date=SENIOR), employee("B", hire_date=JUNIOR)],
               preferences=(avoid("A", "E8", weight=1), avoid("B", "E8", weight=2)))
    weighted = rules(seniority_weighting=True)
    on = solve_checked(model_data(c, days=1, required={"radio": D8_AND_E8}, r=weighted))
    assert shifts(on) == [("A", 0, "D8", "radio"), ("B", 0, "E8", "radio")]
    assert on.penalties[AVOIDED] == 10
    off = solve_checked(model_data(c, days=1, required={"radio": D8_AND_E8}))
    assert shifts(off) == [("A", 0, "E8", "radio"), ("B", 0, "D8", "radio")]
    assert off.penalties[AVOIDED] == 5


def test_preference_never_buys_an_overtime_shift():
    # Tier below overtime: senior A's strongest avoid of E8 (5 x 3 x 5 = 75) against B covering it as 8
    # overtime hours (contract 0 h: 8 x 15 = 120): A works the E8 anyway.
    c = center([employee("A", hire_date=SENIOR), employee("B", contract_hours=0, max_overtime_hours=8)],
               preferences=(avoid("A", "E8", weight=5),))
    result = solve_checked(model_data(c, days=1, required={"radio": hours(0, 15, 23, 24)},
                                      r=rules(seniority_weighting=True)))
    assert shifts(result) == [("A", 0, "E8", "radio")]
    assert result.penalties[AVOIDED] == 75 and result.penalties[OT] == 0


def test_switched_off_preferences_cost_nothing():
    # [requests] shift_preferences = false: A works the avoided E8 and nothing is counted.
    c = center([employee("A")], preferences=(avoid("A", "E8", weight=5),))
    result = solve_checked(model_data(c, days=1, required={"radio": hours(0, 15, 23, 24)},
                                      r=rules(shift_preferences=False)))
    assert shifts(result) == [("A", 0, "E8", "radio")]
    assert result.penalties[AVOIDED] == 0


def test_checker_recomputes_broken_preferences():
    # A hand-made 2-day roster, seniority on: senior A (x3) works E8 on both days against "avoid E8" (weight
    # 2): 2 days x 2 x 3 x 5 = 60; junior B (x1) prefers D8 (weight 1), works E8 on day 0 (5) and D8 on day 1.
    r = rules(seniority_weighting=True)
    c = center([employee("A", hire_date=SENIOR), employee("B", hire_date=JUNIOR)],
               preferences=(avoid("A", "E8", weight=2), prefer("B", "D8")))
    data = model_data(c, days=2, r=r)
    window = data.horizon.shift_window
    roster = [Assignment("A", data.horizon.day(d), "E8", "radio", *window(d, EVE8)) for d in (0, 1)]
    roster += [Assignment("B", START, "E8", "radio", *window(0, EVE8)),
               Assignment("B", data.horizon.day(1), "D8", "radio", *window(1, DAY8))]
    penalties = recompute_penalties(case_of(data, roster), Weights())
    assert penalties[AVOIDED] == 60 and penalties[UNMET] == 5
    assert recompute_penalties(case_of(data, roster, rules=rules(shift_preferences=False)),
                               Weights())[AVOIDED] == 0


# --- day_off_breaks: a request to work that shift (a benchmark's shift-on request) --------------------------

@pytest.mark.parametrize(("weight", "worked", "unmet", "over"),
                         [(1, [], 5, 0), (2, [("A", 0, "D8", "radio")], 0, 8)])
def test_day_off_breaks_makes_a_day_off_cost_the_weight(weight: int, worked: list, unmet: int, over: int):
    # No demand, A prefers D8 with day_off_breaks: a day off now breaks it (weight x 5). At weight 1 (5) the
    # day off is cheaper than a D8 covering nothing (8 overstaffed hours); at weight 2 (10) A works the D8.
    # (Without day_off_breaks a day off costs nothing: test_prefer_slack_a_day_off_breaks_nothing.)
    c = center([employee("A")], preferences=(prefer("A", "D8", weight=weight, day_off_breaks=True),))
    result = solve_checked(model_data(c, days=1))
    assert shifts(result) == worked
    assert result.penalties[UNMET] == unmet and result.penalties[OVER] == over


def test_day_off_breaks_only_on_the_days_it_applies():
    # A shift-on request for day 1 of 2 (weight 2: 10 > 8 over): A works D8 that day only, day 0 is off at no
    # cost.
    request = prefer("A", "D8", weight=2, day=START + timedelta(days=1), day_off_breaks=True)
    result = solve_checked(model_data(center([employee("A")], preferences=(request,)), days=2,
                                      r=rules(min_days_off=1)))
    assert shifts(result) == [("A", 1, "D8", "radio")]
    assert result.penalties[UNMET] == 0


def test_checker_day_off_breaks():
    # Hand-made 1-day rosters, weight 3 (15): a day off breaks "prefer D8" only with day_off_breaks; an E8
    # breaks it either way; a D8 never. "avoid" ignores day_off_breaks: a day off breaks no avoidance.
    data = model_data(center([employee("A")]), days=1)
    d8 = [Assignment("A", START, "D8", "radio", *data.horizon.shift_window(0, DAY8))]
    e8 = [Assignment("A", START, "E8", "radio", *data.horizon.shift_window(0, EVE8))]

    def cost(preference, roster) -> tuple[float, float]:
        c = center([employee("A")], preferences=(preference,))
        penalties = recompute_penalties(case_of(data, roster, center=c), Weights())
        return penalties[UNMET], penalties[AVOIDED]

    assert cost(prefer("A", "D8", weight=3, day_off_breaks=True), []) == (15, 0)
    assert cost(prefer("A", "D8", weight=3), []) == (0, 0)
    assert cost(prefer("A", "D8", weight=3, day_off_breaks=True), e8) == (15, 0)
    assert cost(prefer("A", "D8", weight=3), e8) == (15, 0)
    assert cost(prefer("A", "D8", weight=3, day_off_breaks=True), d8) == (0, 0)
    assert cost(avoid("A", "D8", weight=3, day_off_breaks=True), []) == (0, 0)
    assert cost(avoid("A", "D8", weight=3, day_off_breaks=True), d8) == (0, 15)
