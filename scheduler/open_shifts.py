"""Open shifts a supervisor posts for sign-up: each position's uncovered hours cut into the fewest occurrences
of the center's shift templates (then the fewest hours posted), with who could take each block.

A block is one template worked on one plan day at one position (what a pin names), covering the hours
Horizon.covered_slots gives, as a roster shift would. An hour short by k seats is credited to the first k
blocks running in it in the sheet's order (by start): each short position-hour is credited once, and a
block's `hours_short` counts its credited hours. Hours no template occurrence of the plan covers (the first
hours of a chained plan, before its first day's earliest shift) are posted as runs without a template, one
per seat short.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from scheduler.domain import (
    WEEKDAYS,
    Assignment,
    Center,
    Employee,
    History,
    Horizon,
    Position,
    Rules,
    ShiftTemplate,
    utc_offset,
    worked_hours,
)
from scheduler.model.settings import single_worker_solver
from scheduler.payroll import PayCalendar
from scheduler.report import runs

OPEN_SHIFT_COLUMNS = ("date", "weekday", "shift_code", "start", "end", "start_utc_offset", "end_utc_offset",
                      "hours", "hours_short", "position", "position_name", "qualification", "staff_eligible",
                      "overtime_for_all", "employee_id")
# Deterministic seconds for one position's cut: a sample week's positions take well under 0.1.
CUT_LIMIT_S = 10.0


@dataclass(frozen=True)
class Block:
    """A template worked on plan day `day` (or, `template` None, a run of hours no template covers)."""

    day: date
    template: ShiftTemplate | None
    start: datetime
    end: datetime
    slots: tuple[int, ...]  # the plan's hours it covers (Horizon.covered_slots)

    @property
    def hours(self) -> float:
        return worked_hours(self.start, self.end)


def template_blocks(center: Center, horizon: Horizon, history: History | None) -> list[Block]:
    """Every template on every plan day, as the model's shift windows."""
    blocks = []
    for index in range(horizon.days):
        for template in center.shifts:
            start, end = horizon.shift_window(index, template)
            blocks.append(Block(horizon.day(index), template, start, end,
                                horizon.covered_slots(start, end, history)))
    return blocks


def cut(short: np.ndarray, candidates: list[Block]) -> list[Block]:
    """The fewest candidates (one may be taken several times) running at least `short[t]` times in every hour
    some candidate covers, then the fewest hours among those: a covering problem of tens of candidates per
    position, solved exactly by CP-SAT on one worker (deterministic)."""
    useful = [b for b in candidates if short[list(b.slots)].max(initial=0) > 0]
    if not useful:
        return []
    model = cp_model.CpModel()
    taken = [model.new_int_var(0, int(short[list(b.slots)].max()), f"x{i}") for i, b in enumerate(useful)]
    running = defaultdict(list)
    for x, block in zip(taken, useful, strict=True):
        for slot in block.slots:
            running[slot].append(x)
    for slot, xs in running.items():
        model.add(sum(xs) >= int(short[slot]))
    hours = [round(b.hours) for b in useful]
    per_block = 1 + sum(int(short[list(b.slots)].max()) * h for b, h in zip(useful, hours, strict=True))
    model.minimize(sum(x * (per_block + h) for x, h in zip(taken, hours, strict=True)))
    solver = single_worker_solver(CUT_LIMIT_S)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # never: taking every candidate fully is feasible
        raise RuntimeError(f"the open-shift cut found no cover ({solver.status_name(status)})")
    return [block for x, block in zip(taken, useful, strict=True) for _ in range(solver.value(x))]


def uncoverable(short: np.ndarray, candidates: list[Block], horizon: Horizon) -> list[Block]:
    """Short hours no candidate covers, as runs without a template: one per seat short (as many runs at seat
    level k as the contiguous hours short by at least k seats)."""
    covered = np.zeros(len(short), dtype=bool)
    for block in candidates:
        covered[list(block.slots)] = True
    left = np.where(covered, 0, short)
    found = []
    for level in range(1, int(left.max(initial=0)) + 1):
        for first, past in runs(left >= level):
            start, end = horizon.slot_start(first), horizon.slot_start(past)
            found.append(Block(start.date(), None, start, end, tuple(range(first, past))))
    return found


def credited(blocks: list[Block], short: np.ndarray) -> list[int]:
    """Per block (in the sheet's order), its hours credited: an hour short by k seats goes to the first k
    blocks running in it."""
    left = short.copy()
    counts = []
    for block in blocks:
        mine = [slot for slot in block.slots if left[slot] > 0]
        left[mine] -= 1
        counts.append(len(mine))
    return counts


def _order(block: Block) -> tuple:
    return block.start, block.end, block.template.code if block.template else ""


class Eligibility:
    """Who could take a block: qualified, not a trainee (never counted as coverage), able to work the
    template (shift length or bid), not on leave that day, not off by a fixed pattern, not already working
    that day, and within the weekly hours cap (contract plus overtime cap) with it. Other hard rules (rest,
    days in a row, ...) are the build's to check when a sign-up is pinned."""

    def __init__(self, assignments: tuple[Assignment, ...], center: Center, rules: Rules, horizon: Horizon):
        self.center, self.rules, self.horizon = center, rules, horizon
        self.calendar = PayCalendar.of(rules, horizon)
        self.working = {(a.employee_id, a.day) for a in assignments}
        self.week_hours: dict[tuple[str, int], float] = defaultdict(float)
        self.period_hours: dict[tuple[str, int], float] = defaultdict(float)
        for a in assignments:  # a shift counts whole in the week and pay period it starts in
            self.week_hours[a.employee_id, horizon.day_index(a.day) // 7] += a.hours
            self.period_hours[a.employee_id, self.calendar.period(a.day)] += a.hours

    def could_take(self, employee: Employee, block: Block, position: Position) -> bool:
        pattern = self.center.patterns_by_employee.get(employee.id)
        hours = self.week_hours[employee.id, self.horizon.day_index(block.day) // 7] + block.hours
        return (employee.qualified_for(position) and not employee.is_trainee
                and employee.can_work(block.template) and not self.center.on_leave(employee.id, block.day)
                and (pattern is None or pattern.works_on(block.day))
                and (employee.id, block.day) not in self.working
                and hours <= employee.contract_hours + self.rules.overtime_cap(employee) + 1e-9)

    def row(self, block: Block, position: Position) -> dict:
        """`staff_eligible` and `overtime_for_all` (yes: the block takes every one of them past their overtime
        threshold in its pay period, the one definition of overtime: payroll.pay_segments; blank when nobody
        could take it)."""
        if block.template is None:
            return {"staff_eligible": 0, "overtime_for_all": ""}
        period = self.calendar.period(block.day)
        able = [e for e in self.center.staff if self.could_take(e, block, position)]
        overtime = all(self.period_hours[e.id, period] + block.hours > self.rules.overtime_threshold(e) + 1e-9
                       for e in able)
        return {"staff_eligible": len(able),
                "overtime_for_all": ("yes" if overtime else "no") if able else ""}


def open_shifts(coverage: pd.DataFrame, assignments: tuple[Assignment, ...], center: Center, rules: Rules,
                horizon: Horizon, history: History | None = None) -> pd.DataFrame:
    """The Open shifts sheet (OPEN_SHIFT_COLUMNS): per position of the Coverage table (report.coverage_table),
    its shortfall cut into template blocks (`cut`) and runs no template covers (`uncoverable`), in the order
    of their start; `employee_id` left blank for the sign-up. Times are local and aware."""
    candidates = template_blocks(center, horizon, history)
    eligibility = Eligibility(assignments, center, rules, horizon)
    rows = []
    for position_id, frame in coverage.groupby("position", sort=False):
        position = center.positions_by_id[position_id]
        short = frame["shortfall"].to_numpy().astype(int)
        blocks = sorted([*cut(short, candidates), *uncoverable(short, candidates, horizon)], key=_order)
        for block, hours_short in zip(blocks, credited(blocks, short), strict=True):
            if not hours_short:  # a cut stopped by its limit may hold a block the others make redundant
                continue
            rows.append({
                "date": block.day, "weekday": WEEKDAYS[block.day.weekday()],
                "shift_code": block.template.code if block.template else "",
                "start": block.start, "end": block.end,
                "start_utc_offset": utc_offset(block.start), "end_utc_offset": utc_offset(block.end),
                "hours": block.hours, "hours_short": hours_short, "position": position.id,
                "position_name": position.name, "qualification": position.qualification,
                **eligibility.row(block, position), "employee_id": "",
            })
    frame = pd.DataFrame(rows, columns=list(OPEN_SHIFT_COLUMNS))
    return frame.sort_values(["start", "position", "end", "shift_code"], ignore_index=True, kind="stable")
