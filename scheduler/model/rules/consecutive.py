"""Hard: at most K = `max_consecutive_days` work days in a row, the plan taken as a repeating cycle.

For every employee and every run of K+1 consecutive days, wrapping from the plan's last day to its first:
sum_d works(e, d mod N) <= K.  A plan of N <= K days holds no such run and is not constrained.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def add_max_consecutive_days(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    limit, days = data.rules.max_consecutive_days, data.horizon.days
    if days <= limit:
        return
    for employee in data.center.staff:
        for first in range(days):
            run = [roster.works_day(employee.id, (first + i) % days) for i in range(limit + 1)]
            model.add(sum(run) <= limit)
