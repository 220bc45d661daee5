"""Hard: fixed cyclic patterns (optional sheet `Patterns`): an employee who follows one works exactly its
on-days.

For every pattern P of employee e (W/O letters, the first on the anchor date) and every day d of the plan that
is not e's approved leave (a leave day is off whatever the pattern says: it has no variables):
    works(e, d) = 1  if P's letter for d is W,        works(e, d) = 0  if it is O,
where works(e, d) is the sum of x[e, d, s, p] (0/1: one shift a day); the template and position stay free
among those e may work. The pattern fixes e's hours, so it replaces the weekly minimum and maximum hours for e
(ModelData.min_hours / max_hours): a Pitman 2-2-3 week of five 12 h shifts is 60 h (20 h overtime at a 40 h
contract, paid and penalized as usual), the next week's two shifts are 24 h. An on-day with no shift e may
work makes the model infeasible. Every constraint of one employee's pattern carries the pattern's name, so an
explanation of a conflict names it.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def add_fixed_patterns(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    center, horizon = data.center, data.horizon
    for pattern in center.patterns:
        label = f"{pattern.employee_id} follows pattern {pattern.name} from {pattern.anchor:%a %Y-%m-%d}"
        for day in range(horizon.days):
            if center.on_leave(pattern.employee_id, horizon.day(day)):
                continue
            works = roster.works_day(pattern.employee_id, day)
            if not pattern.works_on(horizon.day(day)):
                if not isinstance(works, int):
                    model.add(works == 0).with_name(label)
            elif isinstance(works, int):
                model.add_bool_or([]).with_name(label)  # an on-day without any shift the employee may work
            else:
                model.add(works == 1).with_name(label)
