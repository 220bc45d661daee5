"""Hard: a full weekend off in every `weekend_off_every_weeks` consecutive weeks (model:
rules/weekends.py)."""

from __future__ import annotations

from datetime import timedelta

from scheduler.checker.case import RosterCase
from scheduler.domain import Assignment, Violation


def check_weekend_off(case: RosterCase) -> list[Violation]:
    """Every N consecutive weekends of the plan taken as a cycle hold one without an hour worked from Saturday
    00:00 to Monday 00:00; a plan shorter than N weeks, or not whole weeks, is not checked; N = 0: off."""
    every, days = case.rules.weekend_off_every_weeks, case.horizon.days
    if every == 0 or days % 7 or days // 7 < every:
        return []
    return [violation for employee_id, shifts in case.shifts_by_employee.items()
            for violation in _weekends_worked(case, employee_id, shifts, every)]


def _weekends_worked(case: RosterCase, employee_id: str, shifts: tuple[Assignment, ...],
                     every: int) -> list[Violation]:
    horizon, days = case.horizon, case.horizon.days
    # Saturdays (day index, the cycle folded back into the plan) of weekends with an hour worked
    worked = set()
    for a in shifts:
        for day in case.local_dates(a):
            if day.weekday() >= 5:
                saturday = day - timedelta(days=day.weekday() - 5)
                worked.add((saturday - horizon.start).days % days)
    saturdays = [d for d in range(days) if horizon.day(d).weekday() == 5]
    off = [d not in worked for d in saturdays]
    short = [k for k in range(len(off)) if not any(off[(k + i) % len(off)] for i in range(every))]
    if not short:
        return []
    return [Violation("weekend off", employee_id, f"weekends from {horizon.day(saturdays[short[0]])}",
                      f"no full weekend off in {every} weeks in a row ({len(short)} of {len(off)} windows)")]
