"""Rosters: shifts worked (Assignment, PaySegment), a previous roster's shifts before the plan (PastShift,
History), a published roster to repair (Repair) and the shifts its call-outs cut short (Cut), and the one
count of seats on duty (on_duty)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

from scheduler.domain.center import Center
from scheduler.domain.horizon import Horizon, worked_hours


@dataclass(frozen=True)
class Cut:
    """A published shift a call-out cut short: the employee's shift of `day` is worked, covered and paid from
    its start until `end` (the call-out's start); the rest of it is open. The lost hours count as leave toward
    the weekly minimum. A repaired roster's Run sheet records its cuts (`cut_shifts`) so that `check` accepts
    the short shift."""

    employee_id: str
    day: date  # the local day the shift started
    end: datetime


@dataclass(frozen=True)
class Repair:
    """Re-planning a published roster from `now` on: shifts that started earlier stay exactly as published
    (those a call-out cut short end at the cut, `cuts`); later ones are kept unless a change buys coverage,
    volunteers first."""

    published: tuple[Assignment, ...]
    now: datetime
    volunteers: frozenset[str] = frozenset()
    cuts: tuple[Cut, ...] = ()


@dataclass(frozen=True)
class PastShift:
    """A shift of a previous roster, worked before the plan at `position`: `end` as scheduled,
    `holdover_hours` actually worked past it (recorded in the previous roster's optional Assignments column
    `holdover_hours`). Its scheduled hours that run into the plan cover it (Horizon.covered_slots); a holdover
    counts for rest and the 24-hour cap only, it was never planned coverage."""

    employee_id: str
    day: date  # the local day it started
    position: str  # position id, as in the previous roster's Assignments sheet
    start: datetime
    end: datetime
    holdover_hours: float = 0.0
    shift_code: str | None = None  # its template, as the previous roster names it (None: not recorded)

    @property
    def worked_until(self) -> datetime:
        return self.end + timedelta(hours=self.holdover_hours)


@dataclass(frozen=True)
class History:
    """The previous roster's last `days` days before the plan (`build --previous`). When given, minimum rest,
    consecutive work days, consecutive nights, days off, the 24-hour cap, forward rotation and coverage start
    from this real history instead of wrapping the plan as a cycle, and the plan's end is open: the next plan,
    built with this one as its previous roster, checks what follows it. Coverage: a shift here that runs past
    the plan's start (a night shift from the day before) covers the plan's first hours at its position, and a
    plan shift's hours past the plan's end cover nothing in this plan (Horizon.covered_slots). Employees
    without shifts here (new ones) start rested."""

    source: Path
    start: date  # the plan's first day: every shift here started before it
    days: int  # the days before `start` that matter (Rules.history_days)
    shifts: tuple[PastShift, ...]
    ignored: tuple[str, ...] = ()  # employee ids in the previous roster that are not in the center

    def of(self, employee_id: str) -> tuple[PastShift, ...]:
        return tuple(s for s in self.shifts if s.employee_id == employee_id)

    def days_before(self, employee_id: str, night: Callable[[PastShift], bool] | None = None) -> list[bool]:
        """Per day of the `days` before the plan, oldest first: did the employee start a shift (one that
        `night` accepts, when given) that day?"""
        started = {s.day for s in self.of(employee_id) if night is None or night(s)}
        return [self.start - timedelta(days=self.days - i) in started for i in range(self.days)]


@dataclass(frozen=True)
class Assignment:
    """One shift worked by one employee on one position."""

    employee_id: str
    day: date
    shift_code: str
    position: str
    start: datetime
    end: datetime

    @property
    def hours(self) -> float:
        return worked_hours(self.start, self.end)


def on_duty(shifts: Iterable[Assignment], center: Center, horizon: Horizon,
            history: History | None) -> dict[str, np.ndarray]:
    """Non-trainees on duty per position of the center and plan hour: the roster's `shifts` and, with a
    previous roster, those of its shifts that run into the plan, each over the slots Horizon.covered_slots
    gives. The one count of scheduled seats for the checker and the reports (the model sums its variables over
    the same slots and adds ModelData.carried_in, this count with no shifts). Unknown employees and positions
    count nowhere (the checker reports them)."""
    counts = {p.id: np.zeros(horizon.n_slots, dtype=int) for p in center.positions}
    for shift in (*shifts, *(history.shifts if history else ())):
        employee = center.employees_by_id.get(shift.employee_id)
        if employee is None or employee.is_trainee or shift.position not in counts:
            continue
        for slot in horizon.covered_slots(shift.start, shift.end, history):
            counts[shift.position][slot] += 1
    return counts

@dataclass(frozen=True)
class PaySegment:
    """Part of a shift under one pay code: a shift that crosses the weekly contract hours splits in two."""

    shift_id: int
    assignment: Assignment
    start: object  # datetime
    end: object
    hours: float
    pay_code: str  # REG or OT


@dataclass(frozen=True)
class Violation:
    """A broken rule in a roster, as the independent checker (or the reading of a roster workbook) reports
    it."""

    rule: str
    employee_id: str
    when: str
    detail: str

    def __str__(self) -> str:
        who = f"{self.employee_id} " if self.employee_id else ""
        return f"{self.rule}: {who}{self.when}: {self.detail}"
