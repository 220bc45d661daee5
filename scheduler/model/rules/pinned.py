"""Hard: pinned assignments (shift bids, days already published) are in the roster.

For every pin (e, d, s, p) with d in the plan:  x[e, d, s, p] = 1.
The reader has checked that each pin is one the employee may work (qualification, shift length or bid, no
leave, one pin a day); other hard rules, such as rest, can still conflict with it, and the explanation then
names it.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def add_pinned_assignments(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    for pin in data.center.pins:
        day = data.horizon.day_index(pin.day)
        if 0 <= day < data.horizon.days:
            model.add(roster.x[pin.employee_id, day, pin.shift_code, pin.position] == 1)
