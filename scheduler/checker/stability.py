"""Soft: shift-start stability, one start time per employee and week (model: rules/stability.py)."""

from __future__ import annotations

from collections import defaultdict
from datetime import time

from scheduler.checker.case import RosterCase
from scheduler.weights import START_CHANGES, Weights


def penalty_start_stability(case: RosterCase, weights: Weights) -> dict[str, float]:
    """Start times beyond the first per employee and week; no term when `start_stability` is off."""
    if not case.rules.start_stability:
        return {}
    starts: dict[tuple[str, int], set[time]] = defaultdict(set)
    for a in case.assignments:
        starts[a.employee_id, case.week_of(a.day)].add(a.start.astimezone(case.horizon.tz).time())
    return {START_CHANGES: weights.start_change * float(sum(len(s) - 1 for s in starts.values()))}
