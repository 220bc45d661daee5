"""Hard: days off come at least K = `min_days_off` in a row, the plan taken as a repeating cycle.

Every maximal run of days off (days without a shift, leave days included) that lies between two work days is at
least K days long. Equivalently, for every employee e, day d and gap length L = 1..K-1, with days taken mod N:
works(e, d) AND off(e, d+1..d+L) => off(e, d+L+1), encoded linearly (works(e, d) is 0/1: one shift a day) as
    works(e, d) - sum_{i=1..L} works(e, d+i) + works(e, d+L+1) <= 1.
(The left side reaches 2 exactly when d and d+L+1 are worked and the L days between are all off; any worked day
between them subtracts at least 1.) A plan of N < K+2 days is not constrained: there the pattern "work, L days
off, work" would wrap onto itself (a single work day in a 2-day plan would have 1 day off before its own repeat).
K <= 1 switches the rule off. E x N x (K-1) constraints.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def add_min_days_off(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    least, days = data.rules.min_days_off, data.horizon.days
    if least <= 1 or days < least + 2:
        return
    for employee in data.center.staff:
        works = [roster.works_day(employee.id, d) for d in range(days)]
        for first in range(days):
            for gap in range(1, least):
                before, after = works[first], works[(first + gap + 1) % days]
                if isinstance(before, int) or isinstance(after, int):
                    continue  # no shift possible on one end (leave): the pattern cannot occur
                between = sum(works[(first + i) % days] for i in range(1, gap + 1))
                model.add(before - between + after <= 1)
