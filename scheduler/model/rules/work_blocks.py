"""Hard: per-employee runs of work days and of days off (Center.limits, domain.PlanLimits), the plan's ends
open.

With w(d) = works_day(e, d) (0/1: one shift a day; 0 on leave) over the plan's N days:
    max consecutive M:      sum_{i=0..M} w(d + i) <= M              for every run of M + 1 days, the previous
                                                                    roster's last days first when given
    min consecutive K:      sum_{i=0..L-1} w(d + i) - w(d - 1) - w(d + L) <= L - 1
                            for L = 1..K-1 and 1 <= d, d + L <= N - 1 (no run of L work days between two
                            days off inside the plan)
    min days off K:         w(d - 1) - sum_{i=0..L-1} w(d + i) + w(d + L) <= 1
                            for L = 1..K-1 and the same d (no run of L days off between two work days)
A run touching the plan's first or last day is not held to a minimum (the days beyond are not this roster's)
and nothing wraps: the limits are over the plan, as a benchmark's (Curtois & Qu) are. The weekly labor rules
(consecutive.py, days_off.py) are the center's own, taken as a cycle or from the previous roster.
"""

from __future__ import annotations

from collections.abc import Iterable

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def add_work_blocks(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    for limits in data.center.limits:
        e = limits.employee_id
        w = [_day_var(model, roster, e, d) for d in range(data.horizon.days)]
        if limits.max_consecutive_days is not None:
            before = [int(b) for b in data.history.days_before(e)] if data.history else []
            _longest_run(model, e, data.day_runs(before, w, limits.max_consecutive_days + 1, wrap=False),
                         limits.max_consecutive_days)
        _shortest_runs(model, e, w, limits.min_consecutive_days, working=True)
        _shortest_runs(model, e, w, limits.min_consecutive_days_off, working=False)


def _day_var(model: cp_model.CpModel, roster: RosterVars, e: str, d: int) -> cp_model.IntVar | int:
    """works_day(e, d) as one 0/1 variable (0 where no shift is possible), so that each run constraint below
    is a clause over day literals rather than over sums of each day's shift variables."""
    keys = roster.by_employee_day.get((e, d), ())
    if len(keys) <= 1:
        return roster.x[keys[0]] if keys else 0
    w = model.new_bool_var(f"works_{e}_{d}")
    model.add(w == sum(roster.x[k] for k in keys))
    return w


def _longest_run(model: cp_model.CpModel, e: str, windows: Iterable[list], most: int) -> None:
    """At most `most` work days in each window of most + 1 days (the previous roster's days: constants)."""
    for window in windows:
        if any(not isinstance(v, int) for v in window):  # else the previous roster's alone
            model.add(sum(window) <= most).with_name(f"{e}: at most {most} work days in a row")


def _shortest_runs(model: cp_model.CpModel, e: str, w: list, least: int, working: bool) -> None:
    """No run of fewer than `least` work days (`working`) or days off between two days of the other kind,
    inside the plan. w(d) is 0 (an int) where no shift is possible."""
    for length in range(1, least):
        for d in range(1, len(w) - length):
            inside, ends = w[d:d + length], (w[d - 1], w[d + length])
            if working and not all(isinstance(v, int) for v in inside):
                model.add(sum(inside) - ends[0] - ends[1] <= length - 1).with_name(
                    f"{e}: at least {least} work days in a row")
            elif not working and not any(isinstance(v, int) for v in ends):
                model.add(ends[0] - sum(inside) + ends[1] <= 1).with_name(
                    f"{e}: at least {least} days off in a row")
