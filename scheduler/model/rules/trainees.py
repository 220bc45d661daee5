"""Hard: a trainee works only beside a communications training officer (CTO), one trainee per CTO.

For every day d, template s and position p:  sum_{trainees} x[t, d, s, p] <= sum_{CTOs} x[c, d, s, p].
Trainees never count toward coverage (see variables.py).
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def add_trainee_supervision(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    employees = data.center.employees_by_id
    trainees, ctos = defaultdict(list), defaultdict(list)
    for key, var in roster.x.items():
        employee = employees[key[0]]
        if employee.is_trainee:
            trainees[key[1:]].append(var)
        elif employee.cto:
            ctos[key[1:]].append(var)
    for shift, trainee_vars in trainees.items():
        model.add(sum(trainee_vars) <= sum(ctos.get(shift, [])))
