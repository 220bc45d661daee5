"""Hard: at most K = `max_consecutive_days` work days in a row, the plan taken as a repeating cycle.

For every employee and every run of K+1 consecutive days, wrapping from the plan's last day to its first:
sum_d works(e, d mod N) <= K.  A plan of N <= K days holds no such run and is not constrained. With a previous
roster (ModelData.history) nothing wraps: the runs start in its last days, whose work days count as constants
(a trailing run of 4 worked days leaves K-4 at the plan's start), and end by the plan's last day.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def add_max_consecutive_days(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    limit, days, history = data.rules.max_consecutive_days, data.horizon.days, data.history
    if history is None and days <= limit:
        return
    for employee in data.center.staff:
        before = history.days_before(employee.id) if history else []
        plan = [roster.works_day(employee.id, d) for d in range(days)]
        for run in data.day_runs([int(w) for w in before], plan, limit + 1):
            model.add(sum(run) <= limit)
