"""Hard: days off come at least `min_days_off` in a row (model: rules/days_off.py)."""

from __future__ import annotations

from datetime import date, timedelta

from scheduler.checker.case import RosterCase
from scheduler.checker.runs import day_flags
from scheduler.domain import Violation


def check_min_days_off(case: RosterCase) -> list[Violation]:
    """Days off between work days come at least the minimum in a row (_short_stretches). Off for a minimum of
    0 or 1, or a cyclic plan shorter than minimum + 2 days."""
    least = case.rules.min_days_off
    if least <= 1 or (case.history is None and case.horizon.days < least + 2):
        return []
    return [violation for employee_id, worked in case.worked_days.items()
            for violation in _short_stretches(case, employee_id, worked, least)]


def _short_stretches(case: RosterCase, employee_id: str, worked: set[date], least: int) -> list[Violation]:
    """Walk the cycle (or the history and the plan) from a work day: every stretch of days off that ends at a
    work day of the plan is 0 or >= the minimum long."""
    flags, plan_from = day_flags(case, worked)
    if not any(flags):
        return []
    first = flags.index(True)
    steps = range(1, len(flags) + 1) if case.history is None else range(1, len(flags) - first)
    found, off = [], 0
    for step in steps:  # round the cycle back to the first work day, or to the plan's end
        day = (first + step) % len(flags)
        if not flags[day]:
            off += 1
            continue
        if 0 < off < least and day >= plan_from:
            found.append(Violation("min days off", employee_id,
                                   f"{case.horizon.start + timedelta(days=day - plan_from)}",
                                   f"{off} day(s) off before this shift, at least {least} in a row"))
        off = 0
    return found
