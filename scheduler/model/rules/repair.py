"""Repair of a published roster (only when ModelData.repair is set; call-outs arrive as leave, and a call-out
that starts during a published shift cuts that shift short: Repair.cuts).

Hard, for every shift variable starting before `now`, and every one on a day a call-out cut short:
    x = 1 if it was published, else 0 (the past stays; the cut shift is worked until the call-out, its
    variable covering only the slots before the cut: ModelData.slots_of).
Soft, for every later one:  change x (1 - x) if published (a shift dropped or moved),
                            change x x otherwise (someone called in; volunteer_change for volunteers),
plus change for each later published shift that has no variable any more (its day is a call-out).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.objective import PenaltyTerm
from scheduler.model.variables import RosterVars
from scheduler.weights import CHANGES, Weights


def add_repair(model: cp_model.CpModel, data: ModelData, roster: RosterVars, weights: Weights
               ) -> list[PenaltyTerm]:
    repair = data.repair
    if repair is None:
        return []
    published = {(a.employee_id, data.horizon.day_index(a.day), a.shift_code, a.position)
                 for a in repair.published}
    changes = []
    for key, var in roster.x.items():
        model.add_hint(var, key in published)  # the search starts from the published roster
        if data.windows[key[1], key[2]].start < repair.now or key[:2] in data.cut_ends:
            model.add(var == int(key in published))
        elif key in published:
            changes.append(weights.change * (1 - var))
        else:
            weight = weights.volunteer_change if key[0] in repair.volunteers else weights.change
            changes.append(weight * var)
    # A published shift that can no longer be worked (its day is now a call-out) is a change the roster must
    # make.
    forced = sum(1 for a in repair.published if a.start >= repair.now
                 and (a.employee_id, data.horizon.day_index(a.day), a.shift_code, a.position) not in roster.x)
    return [PenaltyTerm(CHANGES, 1, sum(changes) + weights.change * forced)]
