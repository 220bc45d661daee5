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
            off_breaks = code is None and p.day_off_breaks and not p.avoid
            if p.applies(day) and (off_breaks or (code is not None and p.broken_by(code))):
                name = PREFERENCES_AVOIDED if p.avoid else PREFERENCES_UNMET
                broken[name] += p.weight * case.seniority(p.employee_id)
    return {name: weights.shift_preference * float(points) for name, points in broken.items()}
