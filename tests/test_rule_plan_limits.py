"""Per-employee limits over the plan: shifts of each template, minutes worked, weekends worked (hard,
rules/plan_limits.py; Center.limits, domain.PlanLimits).

min_days_off 1 throughout: the center's own days-off rule (a cycle) stays out of the way."""

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest

from scheduler.checker.plan_limits import check_plan_limits
from scheduler.domain import Assignment, Horizon, PlanLimits, Requirements
from scheduler.model.registry import check_rules
from tests.checked import OVER, SHORT, add, case_of, shifts, solve_checked
from tests.factory import DAY8, NIGHT8, START, center, employee, hours, model_data, rules

LOOSE = rules(min_days_off=1)
SUNDAY = START + timedelta(days=6)  # 2026-12-06; its weekend is known by Saturday 2026-12-05


def d8(days: int, *on: int) -> list[int]:
    """One D8 seat (07:00-15:00) on each of `on` in a `days`-day plan."""
    return add(*(hours(d, 7, 15, 24 * days) for d in on))


def one(limits: PlanLimits, **kwargs):
    """A center of A alone, D8 its only template, with `limits`."""
    return center([employee("A", **kwargs)], shifts=(DAY8,), limits=(limits,))


def roster(data, *worked):
    """A hand-made roster: (employee, day index, template code) each."""
    return [Assignment(e, data.horizon.day(d), code, "radio", w.start, w.end)
            for e, d, code in worked for w in [data.windows[d, code]]]


@pytest.mark.binds
def test_max_shifts_binds():
    # D8 needed on days 0 and 1, A may work D8 once over the plan: one of them stays 8 h short.
    c = one(PlanLimits("A", max_shifts=(("D8", 1),)))
    result = solve_checked(model_data(c, days=3, required={"radio": d8(3, 0, 1)}, r=LOOSE))
    assert len(result.assignments) == 1
    assert result.penalties[SHORT] == 8 * 1000


@pytest.mark.slack
def test_max_shifts_slack():
    # The same with a cap of 2 (and a cap on a template A never works): both D8s, nothing short.
    c = one(PlanLimits("A", max_shifts=(("D8", 2), ("N8", 0))))
    result = solve_checked(model_data(c, days=3, required={"radio": d8(3, 0, 1)}, r=LOOSE))
    assert shifts(result) == [("A", 0, "D8", "radio"), ("A", 1, "D8", "radio")]
    assert result.penalties[SHORT] == 0


def test_max_minutes_binds():
    # At most 480 minutes (one 8-hour shift) over the plan, D8 needed on days 0 and 1: 8 h short.
    c = one(PlanLimits("A", max_minutes=480))
    result = solve_checked(model_data(c, days=3, required={"radio": d8(3, 0, 1)}, r=LOOSE))
    assert len(result.assignments) == 1
    assert result.penalties[SHORT] == 8 * 1000


def test_min_minutes_binds():
    # At least 960 minutes (two shifts) but only day 0's D8 is needed: A works it and one more D8 that covers
    # nothing, 8 overstaffed hours.
    c = one(PlanLimits("A", min_minutes=960))
    result = solve_checked(model_data(c, days=3, required={"radio": d8(3, 0)}, r=LOOSE))
    assert len(result.assignments) == 2 and ("A", 0, "D8", "radio") in shifts(result)
    assert result.penalties[SHORT] == 0 and result.penalties[OVER] == 8


def sunday_week(c, need: list[int]):
    """A 7-day plan from Sunday 2026-12-06 to Saturday 2026-12-12: two weekends (its Sunday's, known by
    Saturday 2026-12-05, and Saturday 12-12's)."""
    base = model_data(c, days=7, r=LOOSE)
    h = Horizon(SUNDAY, 7, LOOSE.tz)
    zero = np.zeros(h.n_slots, dtype=int)
    plan = Requirements(h, {"radio": np.array(need)}, {"radio": zero}, {})
    return replace(base, horizon=h, requirements=plan)


@pytest.mark.binds
def test_max_weekends_binds_sunday_start_counts_its_weekend():
    # D8 needed on the plan's Sunday and its Saturday; A works exactly 16 h in the (full) week (contract 16,
    # no overtime) and at most one weekend. The Sunday's weekend counts though its Saturday is before the
    # plan, so A works one of the two and one weekday D8 that covers nothing: 8 h short, 8 h over.
    c = one(PlanLimits("A", max_weekends=1), contract_hours=16, max_overtime_hours=0)
    result = solve_checked(sunday_week(c, d8(7, 0, 6)))
    worked = {(a.day - SUNDAY).days for a in result.assignments}
    assert len(worked) == 2 and len(worked & {0, 6}) == 1
    assert result.penalties[SHORT] == 8 * 1000 and result.penalties[OVER] == 8


@pytest.mark.slack
def test_max_weekends_slack_two_allowed():
    # Two weekends allowed: Sunday and Saturday both worked, nothing short or over.
    c = one(PlanLimits("A", max_weekends=2), contract_hours=16, max_overtime_hours=0)
    result = solve_checked(sunday_week(c, d8(7, 0, 6)))
    assert sorted((a.day - SUNDAY).days for a in result.assignments) == [0, 6]
    assert result.penalties[SHORT] == 0 and result.penalties[OVER] == 0


def test_limits_of_one_employee_leave_the_other_free():
    # A may not work D8 at all; B, without limits, takes day 0's D8.
    c = center([employee("A"), employee("B")], shifts=(DAY8,),
               limits=(PlanLimits("A", max_shifts=(("D8", 0),)),))
    result = solve_checked(model_data(c, days=3, required={"radio": d8(3, 0)}, r=LOOSE))
    assert shifts(result) == [("B", 0, "D8", "radio")]


def test_checker_flags_shifts_and_minutes():
    # Hand-made 3-day roster, A on D8 every day: 3 D8s over a cap of 2, 1,440 minutes over 960.
    limits = PlanLimits("A", max_shifts=(("D8", 2),), max_minutes=960)
    data = model_data(one(limits), days=3, r=LOOSE)
    found = check_rules(case_of(data, roster(data, *(("A", d, "D8") for d in range(3)))))
    assert [(v.rule, v.employee_id, v.when, v.detail) for v in found] == [
        ("plan limits", "A", "2026-11-30 to 2026-12-02", "3 D8 shifts, at most 2"),
        ("plan limits", "A", "2026-11-30 to 2026-12-02", "1440 minutes worked, from 0 to 960")]
    assert check_rules(case_of(data, roster(data, ("A", 0, "D8"), ("A", 2, "D8")))) == []


def test_checker_flags_too_few_minutes():
    # 480 minutes (one D8) against at least 960; an employee without any shift has worked 0 minutes.
    c = center([employee("A"), employee("B")], shifts=(DAY8,),
               limits=(PlanLimits("A", min_minutes=960, max_minutes=1440), PlanLimits("B", min_minutes=480)))
    data = model_data(c, days=3, r=LOOSE)
    found = check_plan_limits(case_of(data, roster(data, ("A", 0, "D8"))))
    assert [v.employee_id for v in found] == ["A", "B"]
    assert found[0].detail == "480 minutes worked, from 960 to 1440"
    legal = roster(data, ("A", 0, "D8"), ("A", 1, "D8"), ("B", 2, "D8"))
    assert check_plan_limits(case_of(data, legal)) == []


def test_checker_weekends_friday_night_and_sunday():
    # A 6-day plan from Sunday to Friday: D8 on the Sunday is one weekend (Saturday 12-05's); an N8 on the
    # Friday runs into Saturday 12-12, a second one; a Friday D8 is no weekend.
    c = center([employee("A")], shifts=(DAY8, NIGHT8), limits=(PlanLimits("A", max_weekends=1),))
    h = Horizon(SUNDAY, 6, LOOSE.tz)
    data = replace(model_data(c, days=6, r=LOOSE), horizon=h, requirements=Requirements(h, {}, {}, {}))
    found = check_plan_limits(case_of(data, roster(data, ("A", 0, "D8"), ("A", 5, "N8"))))
    assert [v.detail for v in found] == ["2 weekends worked, at most 1"]
    assert check_plan_limits(case_of(data, roster(data, ("A", 0, "D8"), ("A", 5, "D8")))) == []
