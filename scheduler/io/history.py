"""Read the previous period's roster workbook (build --previous) into the History the next plan starts
from."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from pathlib import Path

from scheduler.domain import Center, History, Horizon, PastShift, Rules
from scheduler.errors import InputError
from scheduler.io.roster_xlsx import read_roster, roster_shifts


def read_history(path: Path, center: Center, rules: Rules, horizon: Horizon) -> History:
    """The shifts of a previous roster workbook that started in the days before the plan that matter
    (Rules.history_days), as worked (the optional Assignments column holdover_hours adds the hours held over
    past a shift's end), each at its position (a shift that runs past the plan's start covers its first hours
    there). The previous roster must end on the day before the plan's first: one ending earlier would leave
    days nobody knows about (rest, days in a row and the 24-hour cap look back across them). Its employees who
    are not in the center are left out (History.ignored)."""
    try:
        roster = read_roster(path)
    except InputError as exc:
        # Not a roster at all (the reader's fix speaks of center workbooks).
        if exc.message == "missing sheet":
            exc.fix = "--previous takes a roster workbook that scheduler build wrote"
        raise
    first, days = roster.run["week_start"], roster.run["days"]
    last = first + timedelta(days=days - 1)
    if last >= horizon.start:
        raise InputError(f"the previous roster runs from {first} to {last}, not before the plan's first day "
                         f"{horizon.start}", file=path, sheet="Run",
                         fix="give the roster of the days before --week (or plan a later --week)")
    if last < horizon.start - timedelta(days=1):
        gap = (horizon.start - last).days - 1
        raise InputError(f"the previous roster ends on {last}, {gap} day(s) before the plan's first day "
                         f"{horizon.start}: the days between are unknown", file=path, sheet="Run",
                         fix="give the roster that ends the day before --week")
    shifts = roster_shifts(roster, path, "previous")
    held: dict[tuple, float] = defaultdict(float)
    for row in roster.assignments:  # a shift's segments (REG, OT) add up
        held[row["employee_id"], row["shift_date"], row["shift_code"]] += row["holdover_hours"]
    since = horizon.start - timedelta(days=rules.history_days)
    known = center.employees_by_id
    carried = tuple(PastShift(a.employee_id, a.day, a.position, a.start, a.end,
                              held[a.employee_id, a.day, a.shift_code], a.shift_code)
                    for a in sorted(shifts, key=lambda a: (a.employee_id, a.start))
                    if a.employee_id in known and a.day >= since)
    ignored = tuple(sorted({a.employee_id for a in shifts} - set(known)))
    return History(path, horizon.start, rules.history_days, carried, ignored)
