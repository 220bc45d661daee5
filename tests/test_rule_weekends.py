"""A full weekend off in every `weekend_off_every_weeks` weeks, the plan a cycle (hard, rules/weekends.py).

START is a Monday: days 5 and 6 are the first weekend, 12 and 13 the second, 19 and 20 the third. A works
exactly 16 h a week (contract 16, no overtime): two D8 (or N8) shifts each week.
"""

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest

from scheduler.checker import RosterCase
from scheduler.domain import Assignment, Horizon, Leave, Pin, Requirements
from scheduler.errors import SolveError
from scheduler.model.registry import check_rules
from scheduler.model.solve import solve
from tests.checked import SETTINGS, SHORT, add, case_of, shifts, solve_checked
from tests.factory import DAY8, NIGHT8, START, center, employee, hours, model_data, rules

A = employee("A", contract_hours=16, max_overtime_hours=0)


def d8(*days: int, weeks: int = 1) -> list[int]:
    """One D8 seat (07:00-15:00) on each of `days`."""
    return add(*(hours(d, 7, 15, 24 * 7 * weeks) for d in days))


def worked_days(result) -> set[int]:
    return {day for _, day, _, _ in shifts(result)}


@pytest.mark.binds
def test_weekend_binds_every_week():
    # N = 1: every weekend off. The only need is a D8 on Sat and Sun; A may not take them, works two weekday
    # D8s (still 16 h a week) and the weekend stays 16 h short.
    result = solve_checked(model_data(center([A]), days=7, required={"radio": d8(5, 6)},
                                      r=rules(weekend_off_every_weeks=1)))
    assert len(result.assignments) == 2 and worked_days(result) <= {0, 1, 2, 3, 4}
    assert result.penalties[SHORT] == 16 * 1000


def test_weekend_slack_rule_off():
    # Same with the rule off (0): A works Sat and Sun, nothing short.
    result = solve_checked(model_data(center([A]), days=7, required={"radio": d8(5, 6)},
                                      r=rules(weekend_off_every_weeks=0)))
    assert shifts(result) == [("A", 5, "D8", "radio"), ("A", 6, "D8", "radio")]
    assert result.penalties[SHORT] == 0


@pytest.mark.slack
def test_weekend_slack_plan_shorter_than_window():
    # N = 2 on a 1-week plan: the other week of the window is not in the plan, so no constraint (the default N
    # = 4 does not bind the sample week either).
    result = solve_checked(model_data(center([A]), days=7, required={"radio": d8(5, 6)},
                                      r=rules(weekend_off_every_weeks=2)))
    assert worked_days(result) == {5, 6}
    assert result.penalties[SHORT] == 0


def test_weekend_binds_friday_night_into_saturday():
    # N = 1 and only N8 (23:00-07:00): Thursday's and Friday's nights are needed. Friday's runs into Saturday
    # morning and takes the weekend, so A works Thursday's and a night before it; Friday's 8 h stay short.
    need = add(hours(3, 23, 24, 168), hours(4, 0, 7, 168), hours(4, 23, 24, 168), hours(5, 0, 7, 168))
    result = solve_checked(model_data(center([A], shifts=(NIGHT8,)), days=7, required={"radio": need},
                                      r=rules(weekend_off_every_weeks=1)))
    assert 3 in worked_days(result) and not worked_days(result) & {4, 5, 6}
    assert result.penalties[SHORT] == 8 * 1000


def test_weekend_binds_across_the_plans_end():
    # 3 weeks, N = 2, D8 needed on weekends 1 and 3 only. Working both leaves the window (weekend 3, weekend
    # 1) across the plan's end without a weekend off, so A works one of them: 16 h short.
    need = d8(5, 6, 19, 20, weeks=3)
    result = solve_checked(model_data(center([A]), days=21, required={"radio": need},
                                      r=rules(weekend_off_every_weeks=2)))
    assert result.penalties[SHORT] == 16 * 1000
    assert len(worked_days(result) & {5, 6, 19, 20}) == 2


def test_weekend_binds_two_weeks_two_weekends():
    # 2 weeks, N = 2, D8 needed on both weekends: A works one weekend, the other stays 16 h short.
    result = solve_checked(model_data(center([A]), days=14, required={"radio": d8(5, 6, 12, 13, weeks=2)},
                                      r=rules(weekend_off_every_weeks=2)))
    assert result.penalties[SHORT] == 16 * 1000


def test_weekend_slack_leave_counts_as_off():
    # The same with A on leave the first weekend: that weekend is off, so A may work the second; the first
    # stays short only for want of anyone (A's week-1 floor drops to 0 h with two leave days).
    leave = (Leave("A", START + timedelta(days=5), START + timedelta(days=6), "vacation"),)
    need = d8(5, 6, 12, 13, weeks=2)
    result = solve_checked(model_data(center([A], leave=leave), days=14, required={"radio": need},
                                      r=rules(weekend_off_every_weeks=2)))
    assert {12, 13} <= worked_days(result)
    assert result.penalties[SHORT] == 16 * 1000


def test_weekend_pin_conflict_is_explained():
    # A pinned to Saturday with N = 1 cannot hold: the explanation names the weekend rule and A.
    pin = (Pin("A", START + timedelta(days=5), "D8", "radio"),)
    data = model_data(center([A], pins=pin), days=7, r=rules(weekend_off_every_weeks=1))
    with pytest.raises(SolveError, match=r"A Name A.*a full weekend off in every 1 weeks"):
        solve(data, settings=SETTINGS)


def test_checker_flags_worked_weekends():
    # Hand-made 2-week roster, N = 2: D8 on both Saturdays -> one "weekend off" violation; with the second
    # Saturday moved to Friday day shift it passes; a Friday night shift (into Saturday) on week 2 breaks it
    # again. (min_days_off 0: lone days off are this hand-made roster's business.)
    data = model_data(center([A], shifts=(DAY8, NIGHT8)), days=14,
                      r=rules(weekend_off_every_weeks=2, min_days_off=0))

    def roster(*worked):
        return [Assignment("A", START + timedelta(days=d), code, "radio", w.start, w.end)
                for d, code in worked for w in [data.windows[d, code]]]

    def rules_broken(*worked):
        return [v.rule for v in check_rules(case_of(data, roster(*worked)))]

    assert rules_broken((0, "D8"), (5, "D8"), (7, "D8"), (12, "D8")) == ["weekend off"]
    assert rules_broken((0, "D8"), (5, "D8"), (7, "D8"), (11, "D8")) == []
    assert rules_broken((0, "D8"), (5, "D8"), (7, "D8"), (11, "N8")) == ["weekend off"]
    # Rule off: not checked.
    off = rules(weekend_off_every_weeks=0, min_days_off=0)
    both = roster((0, "D8"), (5, "D8"), (7, "D8"), (12, "D8"))
    assert check_rules(case_of(data, both, rules=off)) == []


def test_checker_weekend_across_the_plans_end():
    # A 1-week plan starting on Saturday, N = 1: its last day is Friday, whose night shift runs into the next
    # cycle's first Saturday, a worked weekend. (B works 8 h a week: one shift.)
    saturday = START + timedelta(days=5)
    c, r = center([employee("B", contract_hours=8)], shifts=(DAY8, NIGHT8)), rules(weekend_off_every_weeks=1)
    h = Horizon(saturday, 7, r.tz)
    friday_night = Assignment("B", saturday + timedelta(days=6), "N8", "radio", *h.shift_window(6, NIGHT8))
    friday_day = Assignment("B", saturday + timedelta(days=6), "D8", "radio", *h.shift_window(6, DAY8))
    plan = Requirements(h, {}, {}, {})
    assert [v.rule for v in check_rules(RosterCase((friday_night,), c, r, plan))] == ["weekend off"]
    assert check_rules(RosterCase((friday_day,), c, r, plan)) == []


def test_weekend_binds_friday_night_across_the_plans_end():
    # A 1-week plan starting on Saturday, N = 1, only N8: the one need is the plan's last night (Friday 23:00
    # to the next cycle's Saturday 07:00, wrapping to the plan's first morning). It takes the weekend: 8 h
    # short.
    saturday = START + timedelta(days=5)
    base = model_data(center([employee("B", contract_hours=8)], shifts=(NIGHT8,)), days=7,
                      r=rules(weekend_off_every_weeks=1))
    h = Horizon(saturday, 7, base.rules.tz)
    need = np.array(add(hours(6, 23, 24, 168), hours(0, 0, 7, 168)))
    zero = np.zeros(168, dtype=int)
    data = replace(base, horizon=h, requirements=Requirements(h, {"radio": need}, {"radio": zero}, {}))
    result = solve_checked(data)
    assert all(a.day.weekday() != 4 for a in result.assignments)
    assert result.penalties[SHORT] == 8 * 1000
