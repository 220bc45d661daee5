"""Night shifts on at most `max_consecutive_nights` days in a row, the plan a cycle (hard, rules/nights.py).
"""

from datetime import time, timedelta

import pytest

from scheduler.domain import Assignment, ShiftTemplate
from scheduler.model.registry import check_rules
from tests.checked import SHORT, case_of, shifts, solve_checked
from tests.factory import NIGHT8, START, center, employee, model_data, rules

LATE8 = ShiftTemplate("L8", time(17), 8, "Late 8")  # 17:00-01:00: not a night shift at the default 18:00


def every_day(days: int, start: int, length: int) -> list[int]:
    """One seat `length` hours from `start` o'clock every day; hours past the plan's end wrap to its start."""
    need = [0] * (24 * days)
    for d in range(days):
        for h in range(24 * d + start, 24 * d + start + length):
            need[h % len(need)] = 1
    return need


@pytest.mark.binds
def test_nights_binds_four_of_six():
    # N8 (23:00) needed every night of a 6-day cycle, one employee, default limit 4 nights in a row. Any 5
    # days of the cycle in a row hold at most 4 nights, so one missing night is not enough (it leaves a run of
    # 5 across the wrap): A works 4 nights, 2 nights (16 h) stay short. (6 days: no weekly floor, 32 h is
    # under the cap.)
    c = center([employee("A")], shifts=(NIGHT8,))
    result = solve_checked(model_data(c, days=6, required={"radio": every_day(6, 23, 8)}))
    assert len(result.assignments) == 4
    assert result.penalties[SHORT] == 2 * 8 * 1000


def test_nights_slack_rule_switched_off():
    # Same with max_consecutive_nights = 0 (no rule): all 6 nights worked, nothing short.
    c = center([employee("A")], shifts=(NIGHT8,))
    data = model_data(c, days=6, required={"radio": every_day(6, 23, 8)}, r=rules(max_consecutive_nights=0))
    result = solve_checked(data)
    assert shifts(result) == [("A", d, "N8", "radio") for d in range(6)]
    assert result.penalties[SHORT] == 0


@pytest.mark.slack
def test_nights_slack_late_shift_is_not_a_night():
    # A 17:00 start is before the default night_start_hour 18: six L8s in a row are allowed, nothing short.
    c = center([employee("A")], shifts=(LATE8,))
    result = solve_checked(model_data(c, days=6, required={"radio": every_day(6, 17, 8)}))
    assert shifts(result) == [("A", d, "L8", "radio") for d in range(6)]
    assert result.penalties[SHORT] == 0


def test_nights_binds_when_night_starts_at_seventeen():
    # The same L8s with night_start_hour = 17 are night shifts: 4 of 6, 16 h short (as for N8 above).
    c = center([employee("A")], shifts=(LATE8,))
    data = model_data(c, days=6, required={"radio": every_day(6, 17, 8)}, r=rules(night_start_hour=17))
    result = solve_checked(data)
    assert len(result.assignments) == 4
    assert result.penalties[SHORT] == 2 * 8 * 1000


def test_nights_binds_early_morning_start_is_a_night():
    # A 04:00 start is before night_end_hour 5: a night shift. With night_end_hour = 4 it is not.
    early = ShiftTemplate("M8", time(4), 8, "Early 8")
    c = center([employee("A")], shifts=(early,))
    need = every_day(6, 4, 8)
    assert len(solve_checked(model_data(c, days=6, required={"radio": need})).assignments) == 4
    data = model_data(c, days=6, required={"radio": need}, r=rules(night_end_hour=4))
    assert len(solve_checked(data).assignments) == 6


def test_checker_flags_five_nights_in_a_row():
    # Hand-made 7-day rosters of 40 h with days 5-6 off: N8 on days 0-4 -> one "max consecutive nights"
    # violation; a D8 on day 0 and N8 on days 1-4 (4 nights) passes.
    data = model_data(center([employee("A")]), days=7)

    def roster(*codes):
        return [Assignment("A", START + timedelta(days=d), code, "radio", w.start, w.end)
                for d, code in enumerate(codes) for w in [data.windows[d, code]]]

    found = check_rules(case_of(data, roster("N8", "N8", "N8", "N8", "N8")))
    assert [v.rule for v in found] == ["max consecutive nights"]
    assert check_rules(case_of(data, roster("D8", "N8", "N8", "N8", "N8"))) == []
