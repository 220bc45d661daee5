"""Hard: at most one shift per employee and day (model: rules/daily.py)."""

from __future__ import annotations

from collections import Counter

from scheduler.checker.case import RosterCase
from scheduler.domain import Violation


def check_one_shift_per_day(case: RosterCase) -> list[Violation]:
    return [Violation("one shift per day", employee_id, f"{day}", f"{count} shifts")
            for employee_id, shifts in case.shifts_by_employee.items()
            for day, count in Counter(a.day for a in shifts).items() if count > 1]
