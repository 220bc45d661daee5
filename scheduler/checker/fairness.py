"""Soft: nights, weekends and overtime spread evenly across comparable staff (model: rules/fairness.py)."""

from __future__ import annotations

from collections import Counter

from scheduler.checker.case import RosterCase
from scheduler.domain import fairness_groups
from scheduler.weights import NIGHT_SPREAD, OVERTIME_PEAK, WEEKEND_SPREAD, Weights


def penalty_fairness(case: RosterCase, weights: Weights) -> dict[str, float]:
    """Per group of comparable staff (domain.fairness_groups): most minus fewest night shifts, most minus
    fewest shifts with an hour on a Saturday or Sunday, and the most overtime hours; summed over groups."""
    groups = fairness_groups(case.center, case.rules, case.horizon)
    nights = Counter(a.employee_id for a in case.assignments if case.is_night(a))
    weekends = Counter(a.employee_id for a in case.assignments if case.works_weekend(a))

    def spread(counts: Counter, measure: str) -> float:
        return float(sum(max(counts[e] for e in g) - min(counts[e] for e in g) for g in groups[measure]))

    found = {}
    if "nights" in groups:
        found[NIGHT_SPREAD] = weights.night_spread * spread(nights, "nights")
    if "weekends" in groups:
        found[WEEKEND_SPREAD] = weights.weekend_spread * spread(weekends, "weekends")
    if "overtime" in groups:
        found[OVERTIME_PEAK] = weights.overtime_peak * float(sum(max(case.overtime.get(e, 0.0) for e in g)
                                                                 for g in groups["overtime"]))
    return found
