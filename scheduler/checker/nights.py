"""Hard: night shifts on at most `max_consecutive_nights` days in a row (model: rules/nights.py)."""

from __future__ import annotations

from scheduler.checker.case import RosterCase
from scheduler.checker.runs import runs_over
from scheduler.domain import Violation


def check_max_consecutive_nights(case: RosterCase) -> list[Violation]:
    """Longest run of days starting a night shift (local start at or after night_start_hour or before
    night_end_hour), the plan taken as a cycle (or after the history); a cyclic plan no longer than the limit
    cannot break it; 0: off."""
    limit = case.rules.max_consecutive_nights
    if limit == 0:
        return []
    found = []
    for employee_id, shifts in case.shifts_by_employee.items():
        night_days = {a.day for a in [*shifts, *case.past(employee_id)] if case.is_night(a)}
        found.extend(runs_over(case, employee_id, night_days, limit, "max consecutive nights", "nights"))
    return found
