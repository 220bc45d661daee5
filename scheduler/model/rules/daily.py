"""Hard: at most one shift per employee and day.   sum_{s,p} x[e,d,s,p] <= 1  for all e, d."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def add_one_shift_per_day(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    for keys in roster.by_employee_day.values():
        model.add_at_most_one(roster.x[k] for k in keys)
