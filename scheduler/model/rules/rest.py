"""Hard: minimum rest between shifts, across day boundaries.

For every employee and pair of windows (d1, s1), (d2, s2) with d1 < d2 whose gap start(d2, s2) - end(d1, s1) is
below `min_rest_hours` (a negative gap is an overlap):  works(e, d1, s1) + works(e, d2, s2) <= 1.
"""

from __future__ import annotations

from datetime import timedelta

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def conflicting_windows(data: ModelData) -> list[tuple[tuple[int, str], tuple[int, str]]]:
    rest = timedelta(hours=data.rules.min_rest_hours)
    pairs = []
    for first in data.windows.values():
        for second in data.windows.values():
            if second.day > first.day and second.start - first.end < rest:
                pairs.append(((first.day, first.template.code), (second.day, second.template.code)))
    return pairs


def add_min_rest(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    pairs = conflicting_windows(data)
    for employee in data.center.staff:
        for (d1, s1), (d2, s2) in pairs:
            first, second = roster.works_shift(employee.id, d1, s1), roster.works_shift(employee.id, d2, s2)
            if isinstance(first, int) or isinstance(second, int):
                continue  # one of the two shifts cannot be worked at all
            model.add(first + second <= 1)
