"""Hard: fixed cyclic patterns, worked exactly on their on-days (model: rules/patterns.py)."""

from __future__ import annotations

from datetime import timedelta

from scheduler.checker.case import RosterCase
from scheduler.domain import Violation


def check_fixed_patterns(case: RosterCase) -> list[Violation]:
    """An employee on a fixed pattern works every day its letter is W (unless on leave) and no day it is O."""
    found = []
    for pattern in case.center.patterns:
        for index in range(case.horizon.days):
            day = case.horizon.start + timedelta(days=index)
            letter = pattern.days[(day - pattern.anchor).days % len(pattern.days)]
            works = (pattern.employee_id, day) in case.shift_on
            if works and letter == "O":
                found.append(Violation("fixed pattern", pattern.employee_id, f"{day}",
                                       f"works on a day off of pattern {pattern.name}"))
            elif not works and letter == "W" and not case.center.on_leave(pattern.employee_id, day):
                found.append(Violation("fixed pattern", pattern.employee_id, f"{day}",
                                       f"no shift on a work day of pattern {pattern.name}"))
    return found
