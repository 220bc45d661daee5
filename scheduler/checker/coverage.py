"""Soft: coverage of the staffing requirement per position and hour (model: rules/coverage.py), counted from
the roster and, with a previous roster, its shifts that run into the plan (domain.on_duty)."""

from __future__ import annotations

import numpy as np

from scheduler.checker.case import RosterCase
from scheduler.staffing import call_value_curves
from scheduler.weights import CRITICAL, LATE_CALLS, OVERSTAFFED, UNCOVERED, Weights


def penalty_coverage(case: RosterCase, weights: Weights) -> dict[str, float]:
    """Uncovered and overstaffed position-hours; with the service objective, the floors per seat and the calls
    answered late for the queueing seats; the extra weight of uncovered critical positions."""
    requirements, scheduled = case.requirements, case.on_duty
    over = sum(np.maximum(scheduled[p] - requirements.required[p], 0).sum() for p in requirements.required)
    curves = call_value_curves(requirements, case.rules) if weights.coverage == "service" else {}
    short = late = critical = 0
    for position, required in requirements.required.items():
        have = scheduled[position]
        if position in curves:  # service objective: floors per seat, calls for the queueing seats
            uncovered = np.maximum(requirements.floor[position] - have, 0).sum()
            late += sum(int(curve[-1] - curve[min(int(seats), len(curve) - 1)])
                        for curve, seats in zip(curves[position], have, strict=True))
        else:
            uncovered = np.maximum(required - have, 0).sum()
        short += uncovered
        critical += (case.center.positions_by_id[position].criticality - 1) * uncovered
    penalties = {UNCOVERED: weights.shortfall * float(short), OVERSTAFFED: weights.overstaffing * float(over)}
    if curves:
        penalties[LATE_CALLS] = weights.late_call_hundredth * float(late)
    if any(p.criticality > 1 for p in case.center.positions):
        penalties[CRITICAL] = weights.shortfall * float(critical)
    return penalties
