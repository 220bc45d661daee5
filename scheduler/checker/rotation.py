"""Hard: forbidden successions: forward rotation only, day -> evening -> night, never backwards on the next
day, and the center's own pairs (model: rules/rotation.py)."""

from __future__ import annotations

from datetime import timedelta

from scheduler.checker.case import RosterCase
from scheduler.domain import Assignment, PastShift, Violation

PERIODS = ("day", "evening", "night")


def check_forbidden_successions(case: RosterCase) -> list[Violation]:
    """With forward rotation on, a shift on the day after another never starts in an earlier period (day,
    evening, night); a pair of templates the center lists (Center.forbidden_successions) never follows on the
    next day. Without history the plan is a cycle, so its first day follows its last (off for a 1-day plan);
    with it, the previous roster's shift on the day before the plan comes first (a listed pair known by its
    template, Center.template_of) and the plan's end is open."""
    listed = set(case.center.forbidden_successions)
    if not (case.rules.forward_rotation or listed) or (case.history is None and case.horizon.days < 2):
        return []
    return [violation for employee_id, shifts in case.shifts_by_employee.items()
            for violation in _steps_back(case, employee_id, shifts, listed)]


def _steps_back(case: RosterCase, employee_id: str, shifts: tuple[Assignment, ...],
                listed: set[tuple[str, str]]) -> list[Violation]:
    horizon = case.horizon
    eve = horizon.start - timedelta(days=1)
    worked = {(a.day - horizon.start).days: a
              for a in [*shifts, *(p for p in case.past(employee_id) if p.day == eve)]}
    found = []
    for day, before in sorted(worked.items()):
        after = (day + 1) % horizon.days if case.history is None else day + 1
        if after not in worked:
            continue
        first, then = _start_period(case, before), _start_period(case, worked[after])
        when = f"{horizon.start + timedelta(days=after)}"
        if case.rules.forward_rotation and then < first:
            found.append(Violation("forward rotation", employee_id, when,
                                   f"{PERIODS[then]} shift the day after a {PERIODS[first]} shift"))
        elif (pair := (_code(case, before), worked[after].shift_code)) in listed:
            found.append(Violation("forbidden succession", employee_id, when,
                                   f"{pair[1]} the day after {pair[0]}"))
    return found


def _code(case: RosterCase, shift: Assignment | PastShift) -> str | None:
    return shift.shift_code if isinstance(shift, Assignment) else case.center.template_of(shift)


def _start_period(case: RosterCase, shift: Assignment | PastShift) -> int:
    """0 day, 1 evening, 2 night (RosterCase.is_night), by the local start hour: evening at or after
    evening_start_hour."""
    if case.is_night(shift):
        return 2
    return 1 if shift.start.astimezone(case.horizon.tz).hour >= case.rules.evening_start_hour else 0
