"""Soft: shift preferences, weighted by seniority (model: rules/preferences.py)."""

from __future__ import annotations

from scheduler.checker.case import RosterCase
from scheduler.weights import PREFERENCES_AVOIDED, PREFERENCES_UNMET, Weights


def penalty_shift_preferences(case: RosterCase, weights: Weights) -> dict[str, float]:
    """Each plan day a preference applies to and the shift worked goes against: its weight times the
    employee's seniority multiplier, avoided shifts worked and preferred shifts not granted apart (0 when not
    scheduled on). A day off breaks only a preference with day_off_breaks."""
    broken = {PREFERENCES_AVOIDED: 0, PREFERENCES_UNMET: 0}
    horizon = case.horizon
    for p in case.center.preferences if case.rules.shift_preferences else ():
        for day in (horizon.day(i) for i in range(horizon.days)):
            code = case.shift_on.get((p.employee_id, day))
            goes_against = p.broken_by_day_off if code is None else p.broken_by(code)
            if p.applies(day) and goes_against:
                name = PREFERENCES_AVOIDED if p.avoid else PREFERENCES_UNMET
                broken[name] += p.weight * case.seniority(p.employee_id)
    return {name: weights.shift_preference * float(points) for name, points in broken.items()}
