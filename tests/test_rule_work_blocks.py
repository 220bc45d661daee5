"""Per-employee runs of work days and of days off, the plan's ends open (hard, rules/work_blocks.py;
Center.limits, domain.PlanLimits): at most max_consecutive_days work days in a row (the previous roster's
counted when given), no run of work days shorter than min_consecutive_days nor of days off shorter than
min_consecutive_days_off between two days of the other kind; a run touching the plan's first or last day is
held to no minimum, and nothing wraps.

A alone, D8 (07:00-15:00) its only template; min_days_off 1: the center's own days-off rule (a cycle) stays
out of the way."""

import pytest

from scheduler.checker.work_blocks import check_work_blocks
from scheduler.domain import Assignment, PlanLimits
from scheduler.model.registry import check_rules
from tests.checked import OVER, SHORT, add, case_of, shifts, solve_checked
from tests.factory import DAY8, center, employee, hours, model_data, rules

LOOSE = rules(min_days_off=1)


def d8(days: int, *on: int) -> list[int]:
    """One D8 seat on each of `on` in a `days`-day plan."""
    return add(*(hours(d, 7, 15, 24 * days) for d in on))


def one(**limits):
    return center([employee("A")], shifts=(DAY8,), limits=(PlanLimits("A", **limits),))


def solve_one(days: int, need: tuple[int, ...], past=None, **limits):
    """Solve A alone with `limits` on a `days`-day plan needing one D8 on each day of `need`."""
    return solve_checked(model_data(one(**limits), days=days, required={"radio": d8(days, *need)}, r=LOOSE,
                                    past=past))


def worked(result) -> list[int]:
    return [d for _, d, _, _ in shifts(result)]


def roster(data, *days):
    """A hand-made roster: A on D8 on each of `days`."""
    return [Assignment("A", data.horizon.day(d), "D8", "radio", w.start, w.end)
            for d in days for w in [data.windows[d, "D8"]]]


@pytest.mark.binds
def test_max_run_binds_and_nothing_wraps():
    # D8 needed on all 4 days, at most 2 work days in a row: 3 of them can be worked (0, 1, 3 or 0, 2, 3):
    # 8 h short. Were the plan a cycle, any 3 of 4 days would hold a run of 3 and only 2 could be worked.
    result = solve_one(4, (0, 1, 2, 3), max_consecutive_days=2)
    assert worked(result) in ([0, 1, 3], [0, 2, 3])
    assert result.penalties[SHORT] == 8 * 1000


@pytest.mark.slack
def test_max_run_slack():
    # At most 4 in a row on a 4-day plan: every day worked, nothing short.
    result = solve_one(4, (0, 1, 2, 3), max_consecutive_days=4)
    assert worked(result) == [0, 1, 2, 3]
    assert result.penalties[SHORT] == 0


def test_max_run_counts_the_previous_roster():
    # At most 2 in a row; the previous roster has A on D8 the two days before the plan, so day 0 would be a
    # third: of the D8s needed on days 0 and 2, A works day 2 only and day 0's stays 8 h short. With a
    # previous roster where A did not work, both.
    past = (("A", -2, DAY8, 0), ("A", -1, DAY8, 0))
    result = solve_one(3, (0, 2), past=past, max_consecutive_days=2)
    assert worked(result) == [2]
    assert result.penalties[SHORT] == 8 * 1000
    fresh = solve_one(3, (0, 2), past=(), max_consecutive_days=2)
    assert worked(fresh) == [0, 2]
    assert fresh.penalties[SHORT] == 0


@pytest.mark.binds
def test_min_work_run_binds_inside_the_plan():
    # At least 2 work days in a row; D8 needed on day 2 of 5 only. Day 2 alone (days 1 and 3 off) is a run of
    # 1 inside the plan: A also works day 1 or 3, 8 h overstaffed (cheaper than leaving the D8 open).
    result = solve_one(5, (2,), min_consecutive_days=2)
    assert worked(result) in ([1, 2], [2, 3])
    assert result.penalties[SHORT] == 0 and result.penalties[OVER] == 8


@pytest.mark.slack
@pytest.mark.parametrize("day", [0, 4])
def test_min_work_run_slack_at_the_plans_ends(day: int):
    # The same minimum, D8 needed on the plan's first (or last) day only: a run of 1 touching the plan's end
    # is not held to the minimum (the days beyond are not this roster's), so A works that day alone.
    result = solve_one(5, (day,), min_consecutive_days=2)
    assert worked(result) == [day]
    assert result.penalties[OVER] == 0


def test_min_days_off_binds_inside_the_plan():
    # At least 2 days off in a row; D8 needed on days 1 and 3 of 5: day 2 off alone between them is
    # forbidden, so A works 1, 2, 3 (8 h over).
    result = solve_one(5, (1, 3), min_consecutive_days_off=2)
    assert worked(result) == [1, 2, 3]
    assert result.penalties[SHORT] == 0 and result.penalties[OVER] == 8


def test_min_days_off_slack_at_the_plans_ends():
    # The same minimum, D8 needed on days 1, 2 and 3 of 5: days 0 and 4, each a single day off, touch the
    # plan's ends, so they are allowed and nothing is bought.
    result = solve_one(5, (1, 2, 3), min_consecutive_days_off=2)
    assert worked(result) == [1, 2, 3]
    assert result.penalties[OVER] == 0


def test_checker_flags_runs_too_long_and_too_short():
    # Hand-made 6-day rosters. Days 0-3 worked against at most 3 in a row: one violation over days 0-3.
    data = model_data(one(max_consecutive_days=3, min_consecutive_days=2, min_consecutive_days_off=2), days=6,
                      r=LOOSE)
    found = check_rules(case_of(data, roster(data, 0, 1, 2, 3)))
    assert [(v.rule, v.when, v.detail) for v in found] == [
        ("work blocks", "2026-11-30 to 2026-12-03", "4 work days in a row, at most 3")]
    # Days 1, 3, 4: day 0 off alone and day 5 off alone touch the ends (allowed); day 1 worked alone and day
    # 2 off alone are inside.
    found = check_work_blocks(case_of(data, roster(data, 1, 3, 4)))
    assert [(v.when, v.detail) for v in found] == [
        ("2026-12-01 to 2026-12-01", "1 work days in a row, at least 2"),
        ("2026-12-02 to 2026-12-02", "1 days off in a row, at least 2")]
    # Legal: runs of 2 with 2 days off between, and single work days at both ends.
    assert check_work_blocks(case_of(data, roster(data, 0, 1, 4, 5))) == []
    assert check_work_blocks(case_of(data, roster(data, 0, 5))) == []


def test_checker_counts_the_previous_roster_in_the_max_run():
    # At most 2 in a row, the previous roster's two days before the plan worked: day 0 is a third. Without the
    # previous roster it is a run of 1.
    past = (("A", -2, DAY8, 0), ("A", -1, DAY8, 0))
    data = model_data(one(max_consecutive_days=2), days=3, r=LOOSE, past=past)
    found = check_work_blocks(case_of(data, roster(data, 0)))
    # The run is dated from its first day, in the previous roster.
    assert [(v.when, v.detail) for v in found] == [
        ("2026-11-28 to 2026-11-30", "3 work days in a row, at most 2")]
    assert check_work_blocks(case_of(data, roster(data, 0), history=None)) == []
    assert check_work_blocks(case_of(data, roster(data, 1, 2))) == []
