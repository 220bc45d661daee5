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
    """The Open shifts sheet must post exactly the uncovered seats: per position and hour, as many open shifts
    running as the recomputed shortfall."""
    horizon = requirements.horizon
    scheduled = on_duty(assignments, center, horizon, history)
    posted = {p: np.zeros(horizon.n_slots, dtype=int) for p in requirements.required}
    found = []
    for row in rows:
        first, end = horizon.slot_of(row["start"]), horizon.slot_of(row["end"])
        if row["position"] not in posted or not 0 <= first < end <= horizon.n_slots:
            found.append(Violation("open shifts sheet", "", f"row {row['row']}",
                                   "unknown position or bad times"))
            continue
        posted[row["position"]][first:end] += 1
    for position, required in requirements.required.items():
        shortfall = np.maximum(required - scheduled[position], 0)
        wrong = np.flatnonzero(posted[position] != shortfall)
        if len(wrong):
            when = local_minute(horizon.slot_start(int(wrong[0])), horizon)
            found.append(Violation("open shifts sheet", "", when,
                                   f"{position}: {posted[position][wrong[0]]} posted, "
                                   f"{shortfall[wrong[0]]} uncovered ({len(wrong)} hours disagree)"))
    return found


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
