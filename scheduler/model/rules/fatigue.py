"""Hard: at most `max_hours_in_24` hours worked in any 24 hours, holdovers included (fatigue); 0: off.

Each shift of the plan counts as its real hours plus a holdover reserve of `holdover_hours` after its end: the
interval [start, end + holdover). A shift of the previous roster (ModelData.history) counts as the hours
actually worked, its recorded holdover included. For every employee e and 24-hour window W = [t, t + 24 h), in
minutes:
    sum over e's windows (d, s) of |W n interval(d, s)| * works(e, d, s) + |W n e's past shifts|
        <= 60 * limit.
The sum is largest for a window starting at some interval's start or ending at some interval's end, so those t
(from every interval e could work) are enough and the rule holds for every real-time window, not only hourly
ones.
Two reserves that overlap a following shift count twice (only possible when shifts are less than
holdover_hours apart). Without history the plan is a cycle (every interval also stands one plan length earlier
and later); with it nothing wraps and the plan's end is open. A window whose worst case (one shift a day, none
within min_rest_hours of another: rules/rest.py) fits the limit adds no constraint: with 10 h rest and a 2 h
reserve no window can hold more than 24 - 10 + 2 = 16 h, so the sample's rules add none.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.rules.rest import conflicting_windows
from scheduler.model.variables import RosterVars

MINUTE, DAY = timedelta(minutes=1), 24 * 60
Window = tuple[int, str]  # day index, shift code


def _overlap(t: int, start: int, end: int, cycle: int | None) -> int:
    """Minutes of [start, end) (and its copies a cycle earlier and later) inside [t, t + 24 h)."""
    shifts = (0,) if cycle is None else tuple(k * cycle for k in range(-2, 3))
    return sum(max(0, min(t + DAY, end + k) - max(t, start + k)) for k in shifts)


def _worst(coefficients: tuple[tuple[Window, int], ...], conflicts: set[frozenset[Window]]) -> int:
    """Most minutes any allowed choice of shifts puts in the window: at most one a day, no two within min
    rest."""
    by_day: dict[int, list[tuple[Window, int]]] = defaultdict(list)
    for window, minutes in coefficients:
        by_day[window[0]].append((window, minutes))
    best = 0
    for choice in itertools.product(*([None, *options] for options in by_day.values())):
        chosen = [c for c in choice if c is not None]
        if all(frozenset((a[0], b[0])) not in conflicts for a, b in itertools.combinations(chosen, 2)):
            best = max(best, sum(minutes for _, minutes in chosen))
    return best


def add_max_hours_in_24(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    rules, horizon, history = data.rules, data.horizon, data.history
    if not rules.max_hours_in_24:
        return

    def minute(moment: datetime) -> int:  # minutes since the plan's start, in real time
        return round((moment.astimezone(UTC) - horizon.begin) / MINUTE)

    cycle = None if history else horizon.n_slots * 60
    reserve = round(rules.holdover_hours * 60)
    spans = {key: (minute(w.start), minute(w.end) + reserve) for key, w in data.windows.items()}
    conflicts = {frozenset(pair) for pair in conflicting_windows(data)}
    inside: dict[int, tuple[tuple[Window, int], ...]] = {}  # t -> minutes of every window in [t, t + 24 h)
    worst_cache: dict[tuple, int] = {}
    for employee in data.center.staff:
        shifts = {key: var for key in spans
                  if not isinstance(var := roster.works_shift(employee.id, *key), int)}
        past = [(minute(s.start), minute(s.worked_until)) for s in history.of(employee.id)] if history else []
        intervals = [spans[key] for key in shifts] + past
        for t in sorted({start for start, _ in intervals} | {end - DAY for _, end in intervals}):
            if t not in inside:  # the same for every employee: computed once
                inside[t] = tuple((key, m) for key, span in spans.items() if (m := _overlap(t, *span, cycle)))
            coefficients = tuple((key, m) for key, m in inside[t] if key in shifts)
            if not coefficients:
                continue
            room = round(60 * rules.max_hours_in_24) - sum(_overlap(t, start, end, None)
                                                           for start, end in past)
            if coefficients not in worst_cache:
                worst_cache[coefficients] = _worst(coefficients, conflicts)
            if worst_cache[coefficients] > room:
                model.add(sum(m * shifts[key] for key, m in coefficients) <= room)
