"""Soft: shift-start stability, an employee keeps one start time through the week (`start_stability` on).

For every employee e and week w (7 days from the plan's first day; a partial last week on its own), with T(e)
the distinct local start times of the templates e may work and starts(e, d, t) = sum of x[e, d, s, p] over
templates s starting at t (0/1: one shift a day):
    used(e, w, t) >= starts(e, d, t)  for every day d of w,      extra(e, w) >= sum_t used(e, w, t) - 1,
                                                                 extra >= 0;
    penalty = sum_{e, w} extra(e, w)  = the start times beyond the first that e works in week w.
Distinct start times rather than changes between consecutive shifts: one boolean per start time and one
integer per employee-week, no "next worked shift" chain, and D8 D8 E8 D8 costs 1 (one start time too many),
not 2. Templates of different lengths starting at the same clock time count as one start. Employees with a
single possible start time get no variables.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import time

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.objective import PenaltyTerm
from scheduler.model.variables import RosterVars
from scheduler.weights import START_CHANGES, Weights


def add_start_stability(model: cp_model.CpModel, data: ModelData, roster: RosterVars,
                        weights: Weights) -> list[PenaltyTerm]:
    if not data.rules.start_stability:
        return []
    extras = []
    for employee in data.center.staff:
        for week in range(data.horizon.weeks):
            # start time -> (day, x) of every shift starting then
            starts: dict[time, list] = defaultdict(list)
            for day in data.week_days(week):
                for key in roster.by_employee_day.get((employee.id, day), ()):
                    starts[data.windows[day, key[2]].template.start].append((day, roster.x[key]))
            if len(starts) < 2:
                continue
            used = []
            for start, shifts in starts.items():
                flag = model.new_bool_var(f"start_{employee.id}_{week}_{start:%H%M}")
                by_day = defaultdict(list)
                for day, var in shifts:
                    by_day[day].append(var)
                for day_vars in by_day.values():
                    model.add(sum(day_vars) <= flag)
                used.append(flag)
            extra = model.new_int_var(0, len(used) - 1, f"start_extra_{employee.id}_{week}")
            model.add(extra >= sum(used) - 1)
            extras.append(extra)
    return [PenaltyTerm(START_CHANGES, weights.start_change, sum(extras))]
