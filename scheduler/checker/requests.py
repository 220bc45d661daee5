"""Soft: day-off requests, weighted by seniority (model: rules/requests.py)."""

from __future__ import annotations

from scheduler.checker.case import RosterCase
from scheduler.weights import DENIED_REQUESTS, Weights


def penalty_day_off_requests(case: RosterCase, weights: Weights) -> dict[str, float]:
    """Each request worked anyway: its weight times the employee's seniority multiplier."""
    denied = sum(r.weight * case.seniority(r.employee_id) for r in case.center.requests
                 if (r.employee_id, r.day) in case.shift_on)
    return {DENIED_REQUESTS: weights.day_off_request * float(denied)}
