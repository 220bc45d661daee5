"""Hard: per-employee limits over the whole plan (Center.limits, domain.PlanLimits): shifts of each template,
minutes worked, weekends worked.

For each employee e with limits L(e), x their shift variables over the plan's days:
    for each template s with a cap:  sum_d works_shift(e, d, s) <= L.max_shifts(s)
    L.min_minutes <= sum_{d, s} minutes(d, s) * works_shift(e, d, s) <= L.max_minutes
    weekends:  W(e, k) >= x for every shift x that works an hour of weekend k (domain.weekend_worked: on its
               Saturday or Sunday, or a Friday shift past midnight), sum_k W(e, k) <= L.max_weekends
A weekend is known by its Saturday; a plan that starts on a Sunday counts that Sunday's weekend too. The plan
is not a cycle here: the limits are over its own days.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.domain import weekend_worked
from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def add_plan_limits(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    for limits in data.center.limits:
        e = limits.employee_id
        keys = [k for d in range(data.horizon.days) for k in roster.by_employee_day.get((e, d), ())]
        for code, most in limits.max_shifts:
            of_code = [roster.x[k] for k in keys if k[2] == code]
            if len(of_code) > most:
                model.add(sum(of_code) <= most).with_name(f"{e}: at most {most} {code} shifts")
        if limits.min_minutes or limits.max_minutes is not None:
            lengths = [data.windows[k[1], k[2]].minutes for k in keys]
            minutes = cp_model.LinearExpr.weighted_sum([roster.x[k] for k in keys], lengths)
            high = sum(lengths) if limits.max_minutes is None else limits.max_minutes
            model.add_linear_constraint(minutes, limits.min_minutes, high).with_name(f"{e}: minutes worked")
        if limits.max_weekends is not None:
            _cap_weekends(model, data, roster, keys, limits.max_weekends)


def _cap_weekends(model: cp_model.CpModel, data: ModelData, roster: RosterVars, keys: list, most: int
                  ) -> None:
    """W(e, k) for each weekend the employee's shift variables `keys` can work, at most `most` of them 1."""
    weekends = defaultdict(list)
    for k in keys:
        saturday = weekend_worked(data.horizon.day(k[1]), data.windows[k[1], k[2]].template)
        if saturday is not None:
            weekends[saturday].append(roster.x[k])
    if len(weekends) <= most:
        return
    worked = []
    for saturday, shifts in sorted(weekends.items()):
        w = model.new_bool_var(f"weekend_{keys[0][0]}_{saturday}")
        for x in shifts:
            model.add_implication(x, w)
        worked.append(w)
    model.add(sum(worked) <= most).with_name(f"{keys[0][0]}: at most {most} weekends worked")
