"""Soft: cover per day and shift template (model: rules/shift_cover.py)."""

from __future__ import annotations

from collections import Counter

from scheduler.checker.case import RosterCase
from scheduler.weights import SHIFT_COVER_OVER, SHIFT_COVER_SHORT, Weights


def penalty_shift_cover(case: RosterCase, weights: Weights) -> dict[str, float]:
    """Each cover row: its under weight per non-trainee short of the head count it asks for on its day and
    template, its over weight per one above (nothing when the center states no cover)."""
    if not case.center.shift_cover:
        return {}
    employees = case.center.employees_by_id
    working = Counter((a.day, a.shift_code) for a in case.assignments
                      if a.employee_id in employees and not employees[a.employee_id].is_trainee)
    short = over = 0
    for cover in case.center.shift_cover:
        n = working[cover.day, cover.shift_code]
        short += cover.under_weight * max(0, cover.required - n)
        over += cover.over_weight * max(0, n - cover.required)
    return {SHIFT_COVER_SHORT: weights.shift_cover * float(short),
            SHIFT_COVER_OVER: weights.shift_cover * float(over)}
