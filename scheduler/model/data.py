"""Everything the CP-SAT model needs, precomputed from validated inputs (no file access, no solver)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

import numpy as np

from scheduler.domain import (
    Center,
    Employee,
    History,
    Horizon,
    Repair,
    Requirements,
    Rules,
    ShiftTemplate,
    on_duty,
    worked_hours,
)


@dataclass(frozen=True)
class ShiftWindow:
    """A template worked on one day of the horizon."""

    day: int
    template: ShiftTemplate
    start: datetime
    end: datetime
    hours: int
    # Coverage slots (Horizon.covered_slots: past the plan's end they wrap without history).
    slots: tuple[int, ...]

    @property
    def minutes(self) -> int:
        """Minutes worked, real time (a DST night's too)."""
        return round(worked_hours(self.start, self.end) * 60)


@dataclass(frozen=True)
class ModelData:
    center: Center
    rules: Rules
    horizon: Horizon
    requirements: Requirements
    repair: Repair | None = None  # set when re-planning a published roster
    history: History | None = None  # the previous roster's last days; None: the plan is a repeating cycle

    @cached_property
    def windows(self) -> dict[tuple[int, str], ShiftWindow]:
        result = {}
        for day in range(self.horizon.days):
            for template in self.center.shifts:
                start, end = self.horizon.shift_window(day, template)
                result[day, template.code] = ShiftWindow(
                    day, template, start, end, round(worked_hours(start, end)),
                    self.horizon.covered_slots(start, end, self.history),
                )
        return result

    @cached_property
    def cut_ends(self) -> dict[tuple[str, int], datetime]:
        """(employee id, day index) -> where a call-out cut that day's published shift short (Repair.cuts)."""
        cuts = self.repair.cuts if self.repair else ()
        return {(cut.employee_id, self.horizon.day_index(cut.day)): cut.end for cut in cuts}

    def end_of(self, employee_id: str, day: int, code: str) -> datetime:
        """When a shift ends: its template's end, or the cut's on a day a call-out cut short."""
        return self.cut_ends.get((employee_id, day), self.windows[day, code].end)

    def slots_of(self, employee_id: str, day: int, code: str) -> tuple[int, ...]:
        """The slots a shift covers (ShiftWindow.slots): on a day a call-out cut short, only until the cut."""
        window = self.windows[day, code]
        if (employee_id, day) not in self.cut_ends:
            return window.slots
        return self.horizon.covered_slots(window.start, self.end_of(employee_id, day, code), self.history)

    @cached_property
    def carried_in(self) -> dict[str, np.ndarray]:
        """Per position and slot, the seats of the previous roster's shifts that run into the plan (a night
        shift from the day before covers its first hours): constants the coverage rules add to the plan's own
        shifts. Zeros without history."""
        return on_duty((), self.center, self.horizon, self.history)

    @cached_property
    def need(self) -> dict[str, np.ndarray]:
        """Per position and slot, the seats the plan's own shifts must fill: required, less the seats carried
        in from a previous roster (at least 0), as rules/coverage.py counts them."""
        return {p: np.maximum(0, r.astype(int) - self.carried_in[p].astype(int))
                for p, r in self.requirements.required.items()}

    def short(self, seats: dict[str, np.ndarray], targets: dict[str, np.ndarray] | None = None
              ) -> dict[str, int]:
        """Per position, the seat-hours `seats` (the plan's shifts per position and slot) leave short of
        `targets` (by default the need): the one count of uncovered seats on the model's side."""
        targets = self.need if targets is None else targets
        return {p: int(np.maximum(0, target - seats[p]).sum()) for p, target in targets.items()}

    def day_runs(self, before: Sequence, plan: Sequence, length: int, wrap: bool = True) -> Iterator[list]:
        """Every run of `length` consecutive days that holds a plan day, as the rules on days in a row see
        them. Without history the plan is a cycle: one run from each plan day, wrapping from its last day to
        its first (the caller skips plans too short to hold a run); `wrap` False: the plan's ends open
        instead (limits over a plan, rules/work_blocks.py). With history, `before` (the History.days before
        the plan, as History.days_before) comes first and nothing wraps: runs start in it and end by the
        plan's end."""
        if self.history is None and wrap:
            for first in range(len(plan)):
                yield [plan[(first + i) % len(plan)] for i in range(length)]
            return
        days = [*before, *plan]
        for first in range(max(0, len(before) - length + 1), len(days) - length + 1):
            yield days[first:first + length]

    def week_days(self, week: int) -> range:
        return range(7 * week, min(7 * week + 7, self.horizon.days))

    def leave_days(self, employee: Employee, week: int) -> int:
        return sum(self.center.on_leave(employee.id, self.horizon.day(d)) for d in self.week_days(week))

    def min_hours(self, employee: Employee, week: int) -> int:
        """Hard floor on worked hours in a full week: contract rounded to whole shifts, less leave days; none
        for an employee on a fixed pattern (rules/patterns.py: the pattern's on-days fix the hours)."""
        if len(self.week_days(week)) < 7 or employee.id in self.center.patterns_by_employee:
            return 0
        credit = self.leave_days(employee, week) * employee.shift_length
        return int(max(0, employee.min_weekly_hours - credit))

    def max_hours(self, employee: Employee, week: int) -> int:
        """Hard cap: contract hours + overtime cap (a horizon's partial last week is still a whole workweek);
        for an employee on a fixed pattern only what seven days of shifts can hold (the pattern fixes the
        hours)."""
        if employee.id in self.center.patterns_by_employee:
            return 7 * max(w.hours for w in self.windows.values())
        return int(employee.contract_hours + self.rules.overtime_cap(employee))
