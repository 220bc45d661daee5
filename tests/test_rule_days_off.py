"""Days off come at least `min_days_off` in a row between two work days, the plan a cycle (hard,
rules/days_off.py)."""

from datetime import timedelta

import pytest

from scheduler.domain import Assignment
from scheduler.model.registry import check_rules
from tests.checked import OVER, SHORT, add, case_of, shifts, solve_checked
from tests.factory import START, center, employee, hours, model_data, rules


def d8(days: int, *on: int) -> list[int]:
    """One seat 07-15 on the given days of a `days`-day plan."""
    return add(*(hours(d, 7, 15, 24 * days) for d in on))


@pytest.mark.binds
def test_days_off_binds_single_day_off_is_filled():
    # 6-day plan (no full week, so no weekly floor), D8 needed on days 0 and 2, minimum 2 days off. Working 0
    # and 2 leaves a 1-day gap (day 1), which the rule forbids. Cheapest fix: also work day 1 (8 overstaffed
    # hours, cost 8) rather than leave a D8 open (8000). Day 1 must be a D8 too: an E8 or N8 would end < 10 h
    # before day 2's D8.
    c = center([employee("A")])
    result = solve_checked(model_data(c, days=6, required={"radio": d8(6, 0, 2)}))
    assert shifts(result) == [("A", d, "D8", "radio") for d in (0, 1, 2)]
    assert result.penalties[SHORT] == 0
    assert result.penalties[OVER] == 8


def test_days_off_binds_across_the_end_of_the_plan():
    # D8 needed on days 1 and 5 of a 6-day cycle: between day 5 and day 1 of the next cycle only day 0 is off
    # (a 1-day gap), so A also works day 0 (a D8: rest before day 1's D8), making 5-0-1 one block with 3 days
    # off.
    c = center([employee("A")])
    result = solve_checked(model_data(c, days=6, required={"radio": d8(6, 1, 5)}))
    assert shifts(result) == [("A", d, "D8", "radio") for d in (0, 1, 5)]
    assert result.penalties[SHORT] == 0
    assert result.penalties[OVER] == 8


@pytest.mark.slack
def test_days_off_slack_two_days_off_is_enough():
    # D8 on days 0 and 3 of a 6-day cycle: 2 days off (1-2) and 2 days off (4-5), both at the minimum:
    # allowed, so exactly the two needed shifts, nothing overstaffed.
    c = center([employee("A")])
    result = solve_checked(model_data(c, days=6, required={"radio": d8(6, 0, 3)}))
    assert shifts(result) == [("A", 0, "D8", "radio"), ("A", 3, "D8", "radio")]
    assert result.penalties[OVER] == 0


def test_days_off_slack_rule_switched_off():
    # Same demand as the first case with min_days_off = 1 (no rule): days 0 and 2 only, day 1 off alone.
    c = center([employee("A")])
    data = model_data(c, days=6, required={"radio": d8(6, 0, 2)}, r=rules(min_days_off=1))
    result = solve_checked(data)
    assert shifts(result) == [("A", 0, "D8", "radio"), ("A", 2, "D8", "radio")]
    assert result.penalties[OVER] == 0


def test_days_off_slack_plan_shorter_than_minimum_plus_two():
    # A 3-day plan (< 2 + 2 days) is not constrained: days 0 and 2 with day 1 off alone.
    c = center([employee("A")])
    result = solve_checked(model_data(c, days=3, required={"radio": d8(3, 0, 2)}))
    assert shifts(result) == [("A", 0, "D8", "radio"), ("A", 2, "D8", "radio")]


def test_days_off_binds_three_days():
    # Minimum 3 days off, A may work at most 3 shifts (24 h contract, no overtime), D8 on days 0 and 3 of a
    # 6-day cycle. Working 0 and 3 leaves two 2-day gaps; closing them takes a block 0..3 or 3..0 (4 shifts,
    # over the cap) or no days off at all. So A works one of the two D8s: 8 hours short, nothing overstaffed.
    # (Minimum 2 would allow both: see test_days_off_slack_two_days_off_is_enough.)
    c = center([employee("A", contract_hours=24, max_overtime_hours=0)])
    data = model_data(c, days=6, required={"radio": d8(6, 0, 3)}, r=rules(min_days_off=3))
    result = solve_checked(data)
    assert len(result.assignments) == 1
    assert result.penalties[SHORT] == 8 * 1000
    assert result.penalties[OVER] == 0


def test_checker_flags_a_single_day_off():
    # The independent checker on a hand-made roster: D8 on days 0 and 2 of 6 -> one violation (day 2 after 1
    # off).
    data = model_data(center([employee("A")]), days=6)
    roster = [Assignment("A", START + timedelta(days=d), "D8", "radio", w.start, w.end)
              for d in (0, 2) for w in [data.windows[d, "D8"]]]
    found = check_rules(case_of(data, roster))
    assert [(v.rule, v.when) for v in found] == [("min days off", str(START + timedelta(days=2)))]
