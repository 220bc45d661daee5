"""Hard: at most `max_hours_in_24` hours worked in any 24 hours, holdovers included (model:
rules/fatigue.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scheduler.checker.case import RosterCase
from scheduler.checker.violation import local_minute
from scheduler.domain import HOUR, Assignment, PastShift, Violation

DAY = timedelta(days=1)


def check_max_hours_in_24(case: RosterCase) -> list[Violation]:
    """The most hours worked in a 24-hour window that holds a planned shift, at most the limit; 0: off."""
    limit, reserve = case.rules.max_hours_in_24, case.rules.holdover_hours
    if not limit:
        return []
    found = []
    for employee_id, shifts in case.shifts_by_employee.items():
        worst, when = _most_in_24(case, shifts, case.past(employee_id))
        if worst > limit + 1e-9:
            found.append(Violation(
                "max hours in 24", employee_id, f"24 h from {local_minute(when, case.horizon)}",
                f"{worst:g} h worked (each shift with a {reserve:g} h holdover reserve), limit {limit:g} h"))
    return found


def _most_in_24(case: RosterCase, shifts: tuple[Assignment, ...],
                past: tuple[PastShift, ...]) -> tuple[float, datetime | None]:
    """The most hours worked in a 24-hour window that holds a planned shift, and the window's start: each
    planned shift counts with the holdover reserve after it, each past one as actually worked; without history
    the plan repeats one cycle earlier and later. The most is reached by a window starting at a shift's start
    or ending at a shift's end."""
    reserve = timedelta(hours=case.rules.holdover_hours)
    cycle = case.horizon.end - case.horizon.begin
    copies = (0,) if case.history else (-2, -1, 0, 1, 2)
    own = [(a.start.astimezone(UTC), a.end.astimezone(UTC) + reserve) for a in shifts]
    planned = [(start + k * cycle, end + k * cycle) for start, end in own for k in copies]
    carried = [(p.start.astimezone(UTC), p.worked_until.astimezone(UTC)) for p in past]
    intervals = planned + carried
    worst, when = 0.0, None
    for t in sorted({start for start, _ in own + carried} | {end - DAY for _, end in own + carried}):
        if any(_inside(t, *span) for span in planned):
            worked = sum(_inside(t, *span) for span in intervals)
            if worked > worst:
                worst, when = worked, t
    return worst, when


def _inside(t: datetime, start: datetime, end: datetime) -> float:
    """Hours of [start, end) inside the 24 hours from t."""
    return max(timedelta(0), min(t + DAY, end) - max(t, start)) / HOUR
