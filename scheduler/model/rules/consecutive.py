"""Hard: at most `max_consecutive_days` work days in a row.

For every employee and window of K+1 consecutive days in the horizon:  sum_d works(e, d) <= K.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def add_max_consecutive_days(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    limit = data.rules.max_consecutive_days
    for employee in data.center.staff:
        for first in range(data.horizon.days - limit):
            model.add(sum(roster.works_day(employee.id, d) for d in range(first, first + limit + 1)) <= limit)
