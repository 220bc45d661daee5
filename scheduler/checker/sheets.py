"""Do the workbook's sheets tell the truth? The Coverage and Open shifts sheets against the roster's
recomputed coverage (domain.on_duty, with a previous roster its shifts that run into the plan included), and
the pay codes of the Assignments sheet against each pay period's overtime threshold."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from scheduler.checker.violation import local_minute
from scheduler.domain import (
    Assignment,
    Center,
    History,
    Horizon,
    Requirements,
    Rules,
    Violation,
    on_duty,
    worked_hours,
)


def check_coverage_sheet(rows: list[dict], assignments: list[Assignment], center: Center,
                         requirements: Requirements, history: History | None = None) -> list[Violation]:
    """Does the Coverage sheet tell the truth? Each (hour, position) once, with recomputed numbers (scheduled:
    domain.on_duty, with a previous roster its shifts that run into the plan included)."""
    horizon = requirements.horizon
    scheduled = on_duty(assignments, center, horizon, history)
    found, seen = [], set()
    for row in rows:
        slot = horizon.slot_of(row["start"])
        key = (slot, row["position"])
        if row["position"] not in requirements.required or not 0 <= slot < horizon.n_slots or key in seen:
            found.append(Violation("coverage sheet", "", f"row {row['row']}", "unexpected or repeated row"))
            continue
        seen.add(key)
        need, have = int(requirements.required[row["position"]][slot]), int(scheduled[row["position"]][slot])
        truth = {"required": need, "scheduled": have, "shortfall": max(need - have, 0)}
        for column, value in truth.items():
            if row[column] != value:
                found.append(Violation("coverage sheet", "", f"row {row['row']}",
                                       f"{row['position']} {column} says {row[column]}, recomputed {value}"))
    missing = horizon.n_slots * len(requirements.required) - len(seen)
    if missing:
        found.append(Violation("coverage sheet", "", "", f"{missing} hour-position rows missing"))
    return found


def check_open_shifts(rows: list[dict], assignments: list[Assignment], center: Center,
                      requirements: Requirements, history: History | None = None) -> list[Violation]:
    """Does the Open shifts sheet post exactly the uncovered seats, in blocks a supervisor can pin? A row with
    a shift code is that template worked on its date, a plan day (its start, end and hours the template's that
    day), covering what a roster shift would (Horizon.covered_slots); a row without one is a run of hours that
    no template worked on any plan day covers. In the sheet's order by start, an hour short by k seats is
    credited to the first k rows running in it: every short hour must be credited, and each row credited in
    at least one hour and in as many as its `hours_short` says."""
    horizon = requirements.horizon
    scheduled = on_duty(assignments, center, horizon, history)
    templated = {slot for index in range(horizon.days) for template in center.shifts
                 for slot in horizon.covered_slots(*horizon.shift_window(index, template), history)}
    found, posted = [], defaultdict(list)
    for row in rows:
        slots, problem = _posted_slots(row, center, requirements, history, templated)
        if problem:
            found.append(Violation("open shifts sheet", "", f"row {row['row']}", problem))
        else:
            posted[row["position"]].append((row, slots))
    for position, required in requirements.required.items():
        short = np.maximum(required - scheduled[position], 0)
        for row, slots in sorted(posted[position], key=lambda pair: (pair[0]["start"], pair[0]["row"])):
            mine = [slot for slot in slots if short[slot] > 0]
            short[mine] -= 1
            if not mine or row.get("hours_short") != len(mine):
                said = row.get("hours_short")
                found.append(Violation("open shifts sheet", "", f"row {row['row']}",
                                       f"{position}: hours_short says {said}, {len(mine)} of its hours are "
                                       "short and not taken by an earlier row"))
        if short.any():
            first = local_minute(horizon.slot_start(int(np.flatnonzero(short)[0])), horizon)
            found.append(Violation("open shifts sheet", "", first,
                                   f"{position}: {int(short.sum())} short position-hours posted in no row "
                                   f"({np.count_nonzero(short)} hours)"))
    return found


def _posted_slots(row: dict, center: Center, requirements: Requirements, history: History | None,
                  templated: set[int]) -> tuple[tuple[int, ...], str | None]:
    """The plan hours an Open shifts row covers, or what makes it no block to post."""
    horizon = requirements.horizon
    if row["position"] not in requirements.required:
        return (), f"unknown position {row['position']!r}"
    code, on = row.get("shift_code") or "", row.get("date")
    if code:
        template = center.shifts_by_code.get(code)
        if template is None or on is None or not 0 <= horizon.day_index(on) < horizon.days:
            return (), f"{code} on {on}: not a shift template worked on a day of the plan"
        start, end = horizon.shift_window(horizon.day_index(on), template)
        hours = worked_hours(start, end)
        if row["start"] != start or row["end"] != end or row.get("hours") != hours:
            return (), (f"{code} on {on} runs {local_minute(start, horizon)} to {local_minute(end, horizon)} "
                        f"({hours:g} h), not as the row says")
        return horizon.covered_slots(start, end, history), None
    first, past = horizon.slot_of(row["start"]), horizon.slot_of(row["end"])
    if not 0 <= first < past <= horizon.n_slots or row.get("hours") != past - first:
        return (), "no shift code, and not a run of whole plan hours"
    taken = next((slot for slot in range(first, past) if slot in templated), None)
    if taken is not None:
        when = local_minute(horizon.slot_start(taken), horizon)
        return (), f"no shift code, yet a shift template covers {when}: post that template's block"
    return tuple(range(first, past)), None


def check_pay_codes(segments: list[dict], center: Center, rules: Rules, horizon: Horizon) -> list[Violation]:
    """Overtime = the hours worked in a pay period above the employee's overtime threshold
    (Rules.overtime_threshold), paid on the last hours worked (REG never after OT). Pay periods are
    pay_period_days long, repeating from pay_period_start (default the plan's first day); a shift is in the
    period of its shift date."""
    found = [Violation("pay codes", s["employee_id"], f"row {s.get('row')}",
                       f"pay code {s['pay_code']!r} is not REG or OT")
             for s in segments if s["pay_code"] not in ("REG", "OT")]
    anchor, length = rules.pay_period_start or horizon.start, rules.pay_period_days
    first = (horizon.start - anchor).days // length
    by_period: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for s in segments:
        by_period[s["employee_id"], (s["shift_date"] - anchor).days // length - first + 1].append(s)
    for (employee_id, period), rows in by_period.items():
        employee = center.employees_by_id.get(employee_id)
        if employee is not None:
            when = f"{'week' if length == 7 else 'pay period'} {period}"
            found += _period_pay_codes(employee_id, when, rows, rules.overtime_threshold(employee),
                                       "contract" if rules.overtime_threshold_hours is None else "threshold")
    return found


def _period_pay_codes(employee_id: str, when: str, rows: list[dict], threshold: float,
                      limit: str) -> list[Violation]:
    rows = sorted(rows, key=lambda s: s["start"])
    total = sum(s["hours"] for s in rows)
    ot = sum(s["hours"] for s in rows if s["pay_code"] == "OT")
    above = max(0.0, total - threshold)
    found = []
    if abs(ot - above) > 1e-6:
        found.append(Violation("pay codes", employee_id, when,
                               f"{ot:g} h coded OT, {above:g} h above {limit} ({threshold:g} h)"))
    codes = [s["pay_code"] for s in rows]
    if "OT" in codes and "REG" in codes[codes.index("OT"):]:
        found.append(Violation("pay codes", employee_id, when, "REG hours after OT hours"))
    return found
