"""Hard: night shifts on at most M = `max_consecutive_nights` days in a row, the plan taken as a repeating
cycle.

A night shift is a template starting at or after `night_start_hour` (default 18:00) or before `night_end_hour`
(default 05:00), local wall-clock time (Rules.is_night): in the sample N8 23:00, N10 21:00, N12 18:00; not P10
14:00. With nights(e, d) = sum of x[e, d, s, p] over night templates s (0/1: one shift a day), for every
employee and every run of M+1 consecutive days, wrapping from the plan's last day to its first:
    sum_d nights(e, d mod N) <= M.
A day off or a day shift breaks a run. A plan of N <= M days holds no such run and is not constrained; M = 0
switches the rule off. With a previous roster (ModelData.history) nothing wraps: runs start in its last days,
whose night shifts count as constants, and end by the plan's last day.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def add_max_consecutive_nights(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    rules, days, history = data.rules, data.horizon.days, data.history
    limit = rules.max_consecutive_nights
    if limit == 0 or (history is None and days <= limit):
        return
    night_codes = {s.code for s in data.center.shifts if rules.is_night(s)}
    if not night_codes:
        return
    tz = data.horizon.tz
    for employee in data.center.staff:
        before = history.days_before(
            employee.id, lambda s: rules.is_night_start(s.start.astimezone(tz).time())) if history else []
        nights = [sum(roster.works_shift(employee.id, d, code) for code in night_codes) for d in range(days)]
        for run in data.day_runs([int(n) for n in before], nights, limit + 1):
            if not all(isinstance(n, int) for n in run):  # some night shift possible in this run
                model.add(sum(run) <= limit)
