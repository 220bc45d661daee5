"""Hard: a full weekend off in every N = `weekend_off_every_weeks` consecutive weeks, the plan taken as a
cycle.

A full weekend off is no hour worked from Saturday 00:00 to Monday 00:00 (local): no shift starting on the
Saturday or the Sunday, and no Friday shift running past midnight into Saturday (a Friday night shift ending
Saturday morning takes the weekend; domain.works_weekend). Approved leave days count as off (no shift is
possible on them). With W the plan's weekends (one per week) and, for weekend k with Saturday s and blockers
B(e, k) the shifts of employee e on days s-1 (past midnight), s and s+1 (days taken mod the plan length),
off(e, k) a 0/1 variable with
    off(e, k) = 1  =>  sum of x over B(e, k) = 0,
for every employee and every window of N consecutive weekends, wrapping from the plan's last week to its
first:
    sum_{i=0..N-1} off(e, (k + i) mod W) >= 1.
A plan of fewer than N weeks is not constrained (the weekend off may lie in the neighbouring periods, which
the roster does not know); nor is one that is not whole weeks (its cycle would not keep the weekdays). N = 0:
off.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.domain import works_weekend
from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def weekend_rule_applies(data: ModelData) -> bool:
    every, days = data.rules.weekend_off_every_weeks, data.horizon.days
    return every > 0 and days % 7 == 0 and days // 7 >= every


def weekend_windows(data: ModelData) -> tuple[list[int], list[tuple[int, ...]]]:
    """The plan's Saturdays (day indices) and the windows of N consecutive weekends (positions in that list)
    that must each hold a weekend off, wrapping from the plan's last week to its first."""
    every, days, horizon = data.rules.weekend_off_every_weeks, data.horizon.days, data.horizon
    saturdays = [d for d in range(days) if horizon.day(d).weekday() == 5]
    windows = [tuple((first + i) % len(saturdays) for i in range(every)) for first in range(len(saturdays))]
    # N = W: every window is the whole plan.
    return saturdays, windows[:1] if every == len(saturdays) else windows


def add_weekend_off(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    if not weekend_rule_applies(data):
        return
    days, horizon = data.horizon.days, data.horizon
    saturdays, windows = weekend_windows(data)
    for employee in data.center.staff:
        off: list[cp_model.IntVar | int] = []
        for saturday in saturdays:
            blockers = [roster.x[k] for d in (saturday - 1, saturday, saturday + 1)
                        for k in roster.by_employee_day.get((employee.id, d % days), ())
                        if works_weekend(horizon.day(d % days), data.windows[d % days, k[2]].template)]
            if not blockers:
                off.append(1)  # leave, or no shift they may work, takes the whole weekend
                continue
            free = model.new_bool_var(f"weekend_off_{employee.id}_{saturday}")
            model.add(sum(blockers) == 0).only_enforce_if(free)
            roster.weekend_off[employee.id, saturday] = free
            off.append(free)
        for window in windows:
            if any(isinstance(off[k], int) for k in window):
                continue
            first, last = (horizon.day(saturdays[k]) for k in (window[0], window[-1]))
            model.add(sum(off[k] for k in window) >= 1).with_name(
                f"{employee.id} {employee.name}, weekends {first:%a %d %b}-{last:%a %d %b}")
