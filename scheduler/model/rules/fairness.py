"""Soft: nights, weekends and overtime spread evenly across comparable staff (the spread, not only the sum).

Groups of comparable staff per measure: domain.fairness_groups (same job class, and shift length for shift
counts; trainees and staff on leave for more than half the plan left out; nights only among those whose
templates include night and non-night ones). Per group g, over the whole plan:
    nights(e)   = night shifts of e (Rules.is_night),
    weekends(e) = shifts of e that work an hour of a Saturday or Sunday (domain.works_weekend: Friday night
                  too),
    OT(e)       = sum over weeks of OT(e, w) (rules/hours.py, kept in `roster.overtime`).
Penalties:  night spread  = sum_g (max_{e in g} nights(e) - min_{e in g} nights(e)),
            weekend spread = the same for weekends(e),
            overtime peak  = sum_g max_{e in g} OT(e).
Overtime takes the most, not the spread: the fewest is 0 whenever one person in the group works none (nearly
always, overtime being costly), and OT(e, w) is only bounded below, so a minimum over it could overstate the
fewest (and understate the spread) before optimality, where a maximum only ever overstates. Each measure is
on/off in the rules file ([fairness]); weights and their tier in scheduler/weights.py (Weights).
add_weekly_hours must run first.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.domain import fairness_groups, works_weekend
from scheduler.model.data import ModelData
from scheduler.model.objective import PenaltyTerm
from scheduler.model.variables import RosterVars
from scheduler.weights import NIGHT_SPREAD, OVERTIME_PEAK, WEEKEND_SPREAD, Weights


def add_fairness(model: cp_model.CpModel, data: ModelData, roster: RosterVars,
                 weights: Weights) -> list[PenaltyTerm]:
    groups = fairness_groups(data.center, data.rules, data.horizon)
    if "overtime" in groups and roster.overtime is None:
        raise RuntimeError("add_fairness needs the overtime variables of add_weekly_hours: call it first")
    horizon, days = data.horizon, data.horizon.days

    def shifts_where(employee_id: str, keep) -> cp_model.LinearExprT:
        return sum(roster.works_shift(employee_id, d, code) for (d, code), w in data.windows.items()
                   if keep(d, w.template))

    def spread(name: str, values: list[cp_model.LinearExprT]) -> cp_model.LinearExprT:
        most = model.new_int_var(0, days, f"most_{name}")
        fewest = model.new_int_var(0, days, f"fewest_{name}")
        for value in values:
            model.add(most >= value)
            model.add(fewest <= value)
        return most - fewest

    terms = []
    if "nights" in groups:
        night = {s.code for s in data.center.shifts if data.rules.is_night(s)}
        terms.append(PenaltyTerm(NIGHT_SPREAD, weights.night_spread, sum(
            spread(f"nights_{i}", [shifts_where(e, lambda d, s: s.code in night) for e in group])
            for i, group in enumerate(groups["nights"]))))
    if "weekends" in groups:
        terms.append(PenaltyTerm(WEEKEND_SPREAD, weights.weekend_spread, sum(
            spread(f"weekends_{i}", [shifts_where(e, lambda d, s: works_weekend(horizon.day(d), s))
                                     for e in group])
            for i, group in enumerate(groups["weekends"]))))
    if "overtime" in groups:
        peaks = []
        for i, group in enumerate(groups["overtime"]):
            peak = model.new_int_var(0, 168 * horizon.weeks, f"most_overtime_{i}")
            for e in group:
                model.add(peak >= sum(roster.overtime.get((e, w), 0) for w in range(horizon.weeks)))
            peaks.append(peak)
        terms.append(PenaltyTerm(OVERTIME_PEAK, weights.overtime_peak, sum(peaks)))
    return terms
