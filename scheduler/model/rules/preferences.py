"""Soft: shift preferences (optional sheet Preferences), weighted by seniority.

For each preference p of employee e and each plan day d it applies to (its date, or its weekdays):
    avoid:  penalty += weight(p) * m(e) * [e works one of p's shifts on d (any shift when none listed)]
    prefer: penalty += weight(p) * m(e) * [e works a shift on d that is not one of p's shifts]
A day off never breaks a preference: "prefer D8" means "when I work, D8", so it cannot buy extra shifts; but
one with `day_off_breaks` (a request to work that shift on that day, as a benchmark's shift-on request):
    prefer, day_off_breaks: penalty += weight(p) * m(e) * (1 - [e works one of p's shifts on d])
m(e) is the seniority multiplier (Rules.seniority_multiplier). Off with [requests] shift_preferences = false.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.objective import PenaltyTerm
from scheduler.model.variables import RosterVars
from scheduler.weights import PREFERENCES_AVOIDED, PREFERENCES_UNMET, Weights


def add_shift_preferences(model: cp_model.CpModel, data: ModelData, roster: RosterVars,
                          weights: Weights) -> list[PenaltyTerm]:
    avoided, unmet = [], []
    preferences = data.center.preferences if data.rules.shift_preferences else ()
    for preference in preferences:
        employee = data.center.employees_by_id[preference.employee_id]
        points = preference.weight * data.rules.seniority_multiplier(employee, data.horizon.start)
        for day in range(data.horizon.days):
            if preference.applies(data.horizon.day(day)):
                keys = roster.by_employee_day.get((employee.id, day), ())
                if preference.broken_by_day_off:  # 1 - the shifts it asks for
                    broken = 1 - sum(roster.x[k] for k in keys if not preference.broken_by(k[2]))
                else:
                    broken = sum(roster.x[k] for k in keys if preference.broken_by(k[2]))
                (avoided if preference.avoid else unmet).append(points * broken)
    return [PenaltyTerm(PREFERENCES_AVOIDED, weights.shift_preference, sum(avoided)),
            PenaltyTerm(PREFERENCES_UNMET, weights.shift_preference, sum(unmet))]
