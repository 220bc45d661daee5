"""RosterCase: what every check reads (the roster and the validated inputs alone), with the lookups the checks
share computed once.

Which hours a shift covers is the one rule of the inputs (Horizon.covered_slots, counted by domain.on_duty)
the model, the checker and the reports share: with a previous roster, its shifts that run into the plan count
too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

import numpy as np

from scheduler.domain import (
    Assignment,
    Center,
    Cut,
    History,
    Horizon,
    PastShift,
    Repair,
    Requirements,
    Rules,
    on_duty,
)


@dataclass(frozen=True)
class RosterCase:
    """A roster and its inputs. Without `history` the plan is a cycle; with it the previous roster's last days
    come before the plan and its end is open (domain.History). `repair`: the published roster being
    repaired. `cuts`: the shifts call-outs cut short, as a repaired roster's Run sheet records them (a
    repair's own are in `repair.cuts`)."""

    assignments: tuple[Assignment, ...]
    center: Center
    rules: Rules
    requirements: Requirements  # its horizon is the plan
    history: History | None = None
    repair: Repair | None = None
    cuts: tuple[Cut, ...] = ()

    @cached_property
    def cut_ends(self) -> dict[tuple[str, date], datetime]:
        """(employee id, day) -> where a call-out cut that day's shift short."""
        cuts = (*self.cuts, *(self.repair.cuts if self.repair else ()))
        return {(cut.employee_id, cut.day): cut.end for cut in cuts}

    @property
    def horizon(self) -> Horizon:
        return self.requirements.horizon

    @cached_property
    def shifts_by_employee(self) -> dict[str, tuple[Assignment, ...]]:
        """Per employee, sorted by start, the shifts whose employee, shift code and position are all known
        (the others are check_assignments' "known ids" violations, left out of every rule on the shifts)."""
        center = self.center
        grouped: dict[str, list[Assignment]] = defaultdict(list)
        for a in self.assignments:
            if (a.employee_id in center.employees_by_id and a.shift_code in center.shifts_by_code
                    and a.position in center.positions_by_id):
                grouped[a.employee_id].append(a)
        return {employee_id: tuple(sorted(shifts, key=lambda a: a.start))
                for employee_id, shifts in grouped.items()}

    @cached_property
    def rostered(self) -> frozenset[str]:
        """Every employee id with a shift in the roster, known ids or not."""
        return frozenset(a.employee_id for a in self.assignments)

    @cached_property
    def _past_by_employee(self) -> dict[str, tuple[PastShift, ...]]:
        grouped: dict[str, list[PastShift]] = defaultdict(list)
        for shift in self.history.shifts if self.history else ():
            grouped[shift.employee_id].append(shift)
        return {employee_id: tuple(sorted(shifts, key=lambda p: p.start))
                for employee_id, shifts in grouped.items()}

    def past(self, employee_id: str) -> tuple[PastShift, ...]:
        """The employee's shifts of the previous roster, sorted by start (none without history)."""
        return self._past_by_employee.get(employee_id, ())

    @cached_property
    def worked_days(self) -> dict[str, set[date]]:
        """Per employee with shifts: the days a shift started on, in the plan or (with history) before it."""
        return {employee_id: {a.day for a in shifts} | {p.day for p in self.past(employee_id)}
                for employee_id, shifts in self.shifts_by_employee.items()}

    @cached_property
    def on_duty(self) -> dict[str, np.ndarray]:
        """Non-trainees on duty per position and plan hour (domain.on_duty), carried-in shifts of the history
        included."""
        return on_duty(self.assignments, self.center, self.horizon, self.history)

    @cached_property
    def weekly_hours(self) -> dict[tuple[str, int], float]:
        """Hours worked per (employee, workweek of the plan), every shift of a known employee counted."""
        worked: dict[tuple[str, int], float] = defaultdict(float)
        for a in self.assignments:
            if a.employee_id in self.center.employees_by_id:
                worked[a.employee_id, self.week_of(a.day)] += a.hours
        return dict(worked)

    @cached_property
    def weekly_overtime(self) -> dict[tuple[str, int], float]:
        """Hours above contract per (employee, workweek): overtime is paid per workweek."""
        employees = self.center.employees_by_id
        return {(employee_id, week): max(0.0, hours - employees[employee_id].contract_hours)
                for (employee_id, week), hours in self.weekly_hours.items()}

    @cached_property
    def overtime(self) -> dict[str, float]:
        """Overtime hours per employee over the plan's workweeks (employees without any left out)."""
        total: dict[str, float] = defaultdict(float)
        for (employee_id, _week), hours in self.weekly_overtime.items():
            total[employee_id] += hours
        return dict(total)

    @cached_property
    def shift_on(self) -> dict[tuple[str, date], str]:
        """(employee, day) -> the shift code worked (one a day, else a violation)."""
        return {(a.employee_id, a.day): a.shift_code for a in self.assignments}

    def template_window(self, shift: Assignment) -> tuple[datetime, datetime]:
        """When the shift's template runs on its day (the wall-clock end: 12 h from 19:00 end at 07:00 on a
        DST night too)."""
        return self.horizon.shift_window(self.horizon.day_index(shift.day),
                                         self.center.shifts_by_code[shift.shift_code])

    def week_of(self, day: date) -> int:
        """The plan's workweek of a day: 7 days from its first day (a partial last week on its own)."""
        return (day - self.horizon.start).days // 7

    def seniority(self, employee_id: str) -> int:
        """The employee's seniority multiplier at the plan's start (Rules.seniority_multiplier)."""
        return self.rules.seniority_multiplier(self.center.employees_by_id[employee_id], self.horizon.start)

    def is_night(self, shift: Assignment | PastShift) -> bool:
        """A night shift: local start at or after night_start_hour or before night_end_hour."""
        local = shift.start.astimezone(self.horizon.tz)
        return local.hour >= self.rules.night_start_hour or local.hour < self.rules.night_end_hour

    def local_dates(self, shift: Assignment) -> list[date]:
        """Every local calendar date a shift has a minute of work on (a Friday 16:30-00:30 shift touches
        Saturday)."""
        tz = self.horizon.tz
        first = shift.start.astimezone(tz).date()
        last = (shift.end - timedelta(minutes=1)).astimezone(tz).date()
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def works_weekend(self, shift: Assignment) -> bool:
        return any(day.weekday() >= 5 for day in self.local_dates(shift))
