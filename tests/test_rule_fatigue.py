"""At most `max_hours_in_24` hours worked in any 24 hours, each shift with a holdover reserve (hard,
rules/fatigue.py); across the plan's start with a previous roster: tests/test_continuity.py."""

from datetime import time, timedelta

import pytest

from scheduler.domain import Assignment, ShiftTemplate
from scheduler.model.registry import check_rules
from tests.checked import SHORT, case_of, shifts, solve_checked
from tests.factory import DAY8, EVE8, START, center, employee, hours, model_data, rules

DAY12 = ShiftTemplate("D12", time(7), 12, "Day 12")  # 07:00-19:00
NIGHT12 = ShiftTemplate("N12", time(19), 12, "Night 12")  # 19:00-07:00
NIGHT_THEN_DAY = [a or b for a, b in zip(hours(0, 19, 31, 48), hours(1, 7, 19, 48), strict=True)]
EVENING_THEN_DAY = [a or b for a, b in zip(hours(0, 15, 23, 48), hours(1, 7, 15, 48), strict=True)]


def twelve_hour_center():
    return center([employee("A", length=12)], shifts=(DAY12, NIGHT12))


@pytest.mark.binds
def test_fatigue_binds_night_then_day():
    # Rest off: N12 Mon 19:00-Tue 07:00 then D12 Tue 07:00-19:00 would be 24 h in the 24 h from Mon 19:00 (26
    # with the reserves), above 16: A works one of them, 12 h stay short.
    data = model_data(twelve_hour_center(), days=2, required={"radio": NIGHT_THEN_DAY},
                      r=rules(min_rest_hours=0))
    result = solve_checked(data)
    assert len(result.assignments) == 1
    assert result.penalties[SHORT] == 12 * 1000


def test_fatigue_slack_when_switched_off():
    # Same with max_hours_in_24 = 0 (no rule) and rest off: A works the night and the day, nothing short.
    data = model_data(twelve_hour_center(), days=2, required={"radio": NIGHT_THEN_DAY},
                      r=rules(min_rest_hours=0, max_hours_in_24=0))
    result = solve_checked(data)
    assert shifts(result) == [("A", 0, "N12", "radio"), ("A", 1, "D12", "radio")]
    assert result.penalties[SHORT] == 0


@pytest.mark.slack
def test_fatigue_slack_with_default_rest():
    # D12 on both days: 12 h rest between them, at most 12 + 2 (reserve) h in any 24 h: both worked.
    need = [a or b for a, b in zip(hours(0, 7, 19, 48), hours(1, 7, 19, 48), strict=True)]
    result = solve_checked(model_data(twelve_hour_center(), days=2, required={"radio": need}))
    assert shifts(result) == [("A", 0, "D12", "radio"), ("A", 1, "D12", "radio")]
    assert result.penalties[SHORT] == 0


def test_holdover_reserve_binds_evening_then_day():
    # Rest 8 h allows E8 Mon 15:00-23:00 then D8 Tue 07:00-15:00: exactly 16 h in the 24 h from Mon 15:00 with
    # no reserve (allowed), 18 h with the default 2 h reserve after the evening shift (not): one shift, 8 h
    # short.
    c = center([employee("A")], shifts=(DAY8, EVE8))
    no_reserve = model_data(c, days=2, required={"radio": EVENING_THEN_DAY},
                            r=rules(min_rest_hours=8, holdover_hours=0))
    assert shifts(solve_checked(no_reserve)) == [("A", 0, "E8", "radio"), ("A", 1, "D8", "radio")]
    reserve = model_data(c, days=2, required={"radio": EVENING_THEN_DAY}, r=rules(min_rest_hours=8))
    result = solve_checked(reserve)
    assert len(result.assignments) == 1
    assert result.penalties[SHORT] == 8 * 1000


def test_fatigue_wraps_across_the_plans_end():
    # The plan is a cycle: a 2-day plan with D12 on Mon and N12 on Tue (19:00-Wed 07:00 = the next cycle's Mon
    # 07:00) is a night followed by a day across the wrap: one of the two, 12 h short (rest off).
    need = [a or b for a, b in zip(hours(0, 7, 19, 48), hours(1, 19, 24, 48), strict=True)]
    need[:7] = [1] * 7  # the night's hours past the end wrap to Mon 00:00-07:00
    data = model_data(twelve_hour_center(), days=2, required={"radio": need}, r=rules(min_rest_hours=0))
    result = solve_checked(data)
    assert len(result.assignments) == 1
    assert result.penalties[SHORT] == 12 * 1000


def test_checker_flags_sixteen_hours_exceeded():
    data = model_data(twelve_hour_center(), days=2, r=rules(min_rest_hours=0))

    def roster(*pairs):
        return [Assignment("A", START + timedelta(days=d), code, "radio", w.start, w.end)
                for d, code in pairs for w in [data.windows[d, code]]]

    found = check_rules(case_of(data, roster((0, "N12"), (1, "D12"))))
    assert [(v.rule, v.when) for v in found] == [("max hours in 24", "24 h from Mon 2026-11-30 19:00")]
    assert "26 h worked" in found[0].detail  # N12 + 2 h reserve + D12 up to Tue 19:00 (its reserve is later)
    assert check_rules(case_of(data, roster((0, "D12"), (1, "D12")))) == []
