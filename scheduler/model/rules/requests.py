"""Soft: day-off requests.  penalty = sum over requests r of weight(r) * works(e_r, d_r)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.objective import DENIED_REQUESTS, PenaltyTerm, Weights
from scheduler.model.variables import RosterVars


def add_day_off_requests(model: cp_model.CpModel, data: ModelData, roster: RosterVars,
                         weights: Weights) -> list[PenaltyTerm]:
    denied = []
    for request in data.center.requests:
        day = data.horizon.day_index(request.day)
        if 0 <= day < data.horizon.days:
            denied.append(request.weight * roster.works_day(request.employee_id, day))
    return [PenaltyTerm(DENIED_REQUESTS, weights.day_off_request, sum(denied))]
