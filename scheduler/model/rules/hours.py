"""Weekly hours.

Hard, per employee and week w:  min_hours(e, w) <= H(e, w) <= max_hours(e, w), where
H(e, w) = sum over the week's days of hours(d, s) * x[e, d, s, p];
min_hours = contract hours rounded down to whole shifts, less leave days x shift length (full weeks only);
max_hours = contract hours + the employee's overtime cap (a partial last week counts as a whole workweek).
Soft: overtime  OT(e, w) >= H(e, w) - contract_hours(e), OT >= 0, penalized per hour.
A shift a call-out cut short (Repair.cuts) counts its template's hours here, as published: for the minimum
that is the checker's rule (the lost hours count as leave), for the maximum and overtime a little stricter.
The OT(e, w) variables are kept in `roster.overtime` (rules/overtime_budget.py caps their weekly sum); an
employee whose cap leaves no room above contract has none (OT = 0).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.objective import PenaltyTerm
from scheduler.model.variables import RosterVars
from scheduler.weights import OVERTIME, Weights


def add_weekly_hours(model: cp_model.CpModel, data: ModelData, roster: RosterVars,
                     weights: Weights) -> list[PenaltyTerm]:
    roster.overtime = {}
    for employee in data.center.staff:
        for week in range(data.horizon.weeks):
            worked = sum(
                data.windows[day, k[2]].hours * roster.x[k]
                for day in data.week_days(week) for k in roster.by_employee_day.get((employee.id, day), ())
            )
            low, high = data.min_hours(employee, week), data.max_hours(employee, week)
            model.add_linear_constraint(worked, low, high)
            contract = int(employee.contract_hours)
            if high > contract:
                ot = model.new_int_var(0, high - contract, f"ot_{employee.id}_{week}")
                model.add(ot >= worked - contract)
                roster.overtime[employee.id, week] = ot
    return [PenaltyTerm(OVERTIME, weights.overtime, sum(roster.overtime.values()))]
