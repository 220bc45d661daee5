"""Soft: changes to a published roster being repaired (model: rules/repair.py)."""

from __future__ import annotations

from scheduler.checker.case import RosterCase
from scheduler.domain import Assignment
from scheduler.weights import CHANGES, Weights


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
