"""Hard: days off come at least K = `min_days_off` in a row, the plan taken as a repeating cycle.

Every maximal run of days off (days without a shift, leave days included) that lies between two work days is
at least K days long. Equivalently, for every employee e, day d and gap length L = 1..K-1, with days taken mod
N: works(e, d) AND off(e, d+1..d+L) => off(e, d+L+1), encoded linearly (works(e, d) is 0/1: one shift a
day) as
    works(e, d) - sum_{i=1..L} works(e, d+i) + works(e, d+L+1) <= 1.
(The left side reaches 2 exactly when d and d+L+1 are worked and the L days between are all off; any worked
day between them subtracts at least 1.) A plan of N < K+2 days is not constrained: there the pattern "work, L
days off, work" would wrap onto itself (a single work day in a 2-day plan would have 1 day off before its own
repeat). K <= 1 switches the rule off. E x N x (K-1) constraints.
With a previous roster (ModelData.history) nothing wraps: the pattern may start on one of its last days (its
work days are constants, its other days off) and ends by the plan's last day.
"""

from __future__ import annotations

import itertools

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def add_min_days_off(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    least, days, history = data.rules.min_days_off, data.horizon.days, data.history
    if least <= 1 or (history is None and days < least + 2):
        return
    for employee in data.center.staff:
        before = [int(w) for w in history.days_before(employee.id)] if history else []
        works = [roster.works_day(employee.id, d) for d in range(days)]
        # Day by day, each gap length in turn (zip_longest: the runs of different lengths interleave by first
        # day).
        by_gap = [data.day_runs(before, works, gap + 2) for gap in range(1, least)]
        for run in itertools.chain.from_iterable(itertools.zip_longest(*by_gap)):
            if run is None:
                continue
            first, between, last = run[0], run[1:-1], run[-1]
            if any(isinstance(end, int) and end == 0 for end in (first, last)):
                continue  # no shift possible on one end (leave, or a day off before the plan)
            if not (isinstance(first, int) and isinstance(last, int)):  # both fixed: nothing to decide
                model.add(first - sum(between) + last <= 1)
