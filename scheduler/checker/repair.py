"""Repair of a published roster (model: rules/repair.py). Hard: the past stays as published. Soft: the changes
after `now`."""

from __future__ import annotations

from scheduler.checker.case import RosterCase
from scheduler.checker.violation import local_minute
from scheduler.domain import Assignment, Violation
from scheduler.weights import CHANGES, Weights


def check_repair(case: RosterCase) -> list[Violation]:
    """Every shift that starts before `now` is as published: none added, none dropped but where the employee
    is on leave that day (a call-out arrives as leave); nothing without a repair."""
    repair = case.repair
    if repair is None:
        return []
    before = {_key(a): a for a in repair.published if a.start < repair.now}
    after = {_key(a): a for a in case.assignments if a.start < repair.now}
    added = [a for key, a in after.items() if key not in before]
    dropped = [a for key, a in before.items()
               if key not in after and not case.center.on_leave(a.employee_id, a.day)]
    return ([_violation(case, a, "added before the repair time") for a in added]
            + [_violation(case, a, "dropped before the repair time (published)") for a in dropped])


def _violation(case: RosterCase, shift: Assignment, what: str) -> Violation:
    return Violation("repair", shift.employee_id, local_minute(shift.start, case.horizon),
                     f"{shift.shift_code} {shift.position} {what}")


def penalty_repair(case: RosterCase, weights: Weights) -> dict[str, float]:
    """Changes after `now`: shifts dropped from, or added to, the published roster (volunteers' additions at
    their own weight); no term without a repair."""
    repair = case.repair
    if repair is None:
        return {}
    before = {_key(a) for a in repair.published if a.start >= repair.now}
    after = {_key(a) for a in case.assignments if a.start >= repair.now}
    added = after - before
    return {CHANGES: float(weights.change * len(before - after) + sum(
        weights.volunteer_change if k[0] in repair.volunteers else weights.change for k in added))}


def _key(a: Assignment) -> tuple:
    return a.employee_id, a.day, a.shift_code, a.position
