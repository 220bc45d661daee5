"""Hard: center-wide overtime budget, at most B = `overtime_budget_hours` overtime hours per workweek.

For every week w:  sum_e OT(e, w) <= B,  with OT(e, w) >= H(e, w) - contract_hours(e), OT >= 0 the
per-employee overtime of rules/hours.py (kept in `roster.overtime`; add_weekly_hours must run first). Since OT
is only bounded below, the sum can stay within B only if sum_e max(0, H(e, w) - contract(e)) <= B: the true
overtime. Weeks are counted from the plan's first day and a shift counts whole in the week it starts (as pay
codes do); a partial last week gets the whole budget. B = None (no key in the rules file) switches the rule
off; B = 0 forbids overtime.
"""

from __future__ import annotations

import math
from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def add_overtime_budget(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    budget = data.rules.overtime_budget_hours
    if budget is None:
        return
    if roster.overtime is None:
        raise RuntimeError("add_overtime_budget needs the overtime variables of add_weekly_hours: "
                           "call it first")
    by_week = defaultdict(list)
    for (_, week), ot in roster.overtime.items():
        by_week[week].append(ot)
    for week in range(data.horizon.weeks):
        if by_week[week]:
            model.add(sum(by_week[week]) <= math.floor(budget + 1e-9))  # whole hours: OT is integral
