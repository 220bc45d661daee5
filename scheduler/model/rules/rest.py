"""Hard: minimum rest between shifts, across day boundaries and across the end of the plan.

For every employee and pair of windows (d1, s1), (d2, s2) with d1 < d2 whose real-time gap
start(d2, s2) - end(d1, s1) is below `min_rest_hours` (a negative gap is an overlap):
works(e, d1, s1) + works(e, d2, s2) <= 1.
The plan is a steady-state cycle (its last night covers its first morning), so a shift late in the plan and
one early in it conflict too when the early one, repeated a cycle later, starts too soon after the late one
ends.
With a previous roster (ModelData.history) the plan does not wrap; instead a window starting less than
`min_rest_hours` after the employee's last shift there actually ended (its recorded holdover included) is off:
works(e, d, s) = 0.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.domain import worked_hours
from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def conflicting_windows(data: ModelData) -> list[tuple[tuple[int, str], tuple[int, str]]]:
    horizon, rest = data.horizon, data.rules.min_rest_hours
    pairs = []
    for first in data.windows.values():
        for second in data.windows.values():
            if second.day > first.day:
                gap = worked_hours(first.end, second.start)
            elif second.day < first.day and data.history is None:  # `second` in the next cycle
                gap = worked_hours(first.end,
                                   horizon.shift_window(second.day + horizon.days, second.template)[0])
            else:
                continue
            if gap < rest:
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
        past = data.history.of(employee.id) if data.history else ()
        if not past:
            continue
        rested_from = max(s.worked_until for s in past)
        for (day, code), window in data.windows.items():
            shift = roster.works_shift(employee.id, day, code)
            if not isinstance(shift, int) \
                    and worked_hours(rested_from, window.start) < data.rules.min_rest_hours:
                model.add(shift == 0)
