"""Hard: minimum rest between shifts, across day boundaries and across the end of the plan (model:
rules/rest.py)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from scheduler.checker.case import RosterCase
from scheduler.checker.violation import local_minute
from scheduler.domain import HOUR, Assignment, Violation


def check_min_rest(case: RosterCase) -> list[Violation]:
    """Every rest between the end of a shift and the start of the employee's next is at least
    min_rest_hours."""
    least = case.rules.min_rest_hours
    found = []
    for employee_id, shifts in case.shifts_by_employee.items():
        for end, next_start in _rests(case, employee_id, shifts):
            rest = (next_start.astimezone(UTC) - end.astimezone(UTC)) / HOUR
            if rest < least:
                found.append(Violation("minimum rest", employee_id, local_minute(next_start, case.horizon),
                                       f"{rest:g} h after the previous shift, minimum {least:g} h"))
    return found


def _rests(case: RosterCase, employee_id: str,
           shifts: tuple[Assignment, ...]) -> list[tuple[datetime, datetime]]:
    """(end of a shift, start of the next): without history the plan repeats, its first shift comes again one
    cycle after its last; with history the last shift before the plan, as actually worked, comes first."""
    rests = [(a.end, b.start) for a, b in itertools.pairwise(shifts)]
    if case.history is None and len(shifts) > 1:
        rests.append((shifts[-1].end, _next_cycle_start(case, shifts[0])))
    past = case.past(employee_id)
    if past:
        rests.append((max(p.worked_until for p in past), shifts[0].start))
    return rests


def _next_cycle_start(case: RosterCase, shift: Assignment) -> datetime:
    template = case.center.shifts_by_code[shift.shift_code]
    wall = datetime.combine(shift.day + timedelta(days=case.horizon.days), template.start)
    return wall.replace(tzinfo=case.horizon.tz)
