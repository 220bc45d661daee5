"""Hard: per-employee limits over the plan: shifts of each template, minutes worked, weekends worked (model:
rules/plan_limits.py)."""

from __future__ import annotations

from collections import Counter

from scheduler.checker.case import RosterCase
from scheduler.domain import Violation, weekend_worked, worked_hours


def check_plan_limits(case: RosterCase) -> list[Violation]:
    """Each employee with limits: no template worked more often than its cap; minutes worked within the
    bounds; no more weekends with an hour worked (domain.weekend_worked, a weekend known by its Saturday) than
    allowed."""
    found = []
    period = f"{case.horizon.start} to {case.horizon.day(case.horizon.days - 1)}"
    templates = case.center.shifts_by_code
    for limits in case.center.limits:
        shifts = case.shifts_by_employee.get(limits.employee_id, ())
        counts = Counter(a.shift_code for a in shifts)
        for code, most in limits.max_shifts:
            if counts[code] > most:
                found.append(Violation("plan limits", limits.employee_id, period,
                                       f"{counts[code]} {code} shifts, at most {most}"))
        minutes = round(sum(worked_hours(a.start, a.end) for a in shifts) * 60)
        high = limits.max_minutes
        if minutes < limits.min_minutes or (high is not None and minutes > high):
            low = limits.min_minutes
            bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
            found.append(Violation("plan limits", limits.employee_id, period,
                                   f"{minutes} minutes worked, {bounds}"))
        weekends = {weekend_worked(a.day, templates[a.shift_code]) for a in shifts} - {None}
        if limits.max_weekends is not None and len(weekends) > limits.max_weekends:
            found.append(Violation("plan limits", limits.employee_id, period,
                                   f"{len(weekends)} weekends worked, at most {limits.max_weekends}"))
    return found
