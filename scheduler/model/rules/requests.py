"""Soft: day-off requests, weighted by seniority.

penalty = sum over requests r of weight(r) * m(e_r) * works(e_r, d_r), where m is the employee's seniority
multiplier at the plan's start (Rules.seniority_multiplier: 1 when seniority_weighting is off).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.objective import PenaltyTerm
from scheduler.model.variables import RosterVars
from scheduler.weights import DENIED_REQUESTS, Weights


def add_day_off_requests(model: cp_model.CpModel, data: ModelData, roster: RosterVars,
                         weights: Weights) -> list[PenaltyTerm]:
    denied = []
    for request in data.center.requests:
        day = data.horizon.day_index(request.day)
        if 0 <= day < data.horizon.days:
            employee = data.center.employees_by_id[request.employee_id]
            points = request.weight * data.rules.seniority_multiplier(employee, data.horizon.start)
            denied.append(points * roster.works_day(request.employee_id, day))
    return [PenaltyTerm(DENIED_REQUESTS, weights.day_off_request, sum(denied))]
