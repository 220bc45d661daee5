"""The center as read from its workbook (docs/center-workbook.md): staff, shifts, positions and their
budget."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from scheduler.domain.limits import PlanLimits, ShiftCover
from scheduler.domain.positions import Minimum, Position, ShiftTemplate
from scheduler.domain.staff import DayOffRequest, Employee, Leave, Pattern, Pin, ShiftPreference
from scheduler.errors import InputError

if TYPE_CHECKING:  # only named in an annotation: roster's module imports this one
    from scheduler.domain.roster import PastShift

# Sheet Authorized's line for the total headcount, over every job class (with or without lines of their own).
ALL_CLASSES = "all"


def filled_lines(job_classes: Iterable[str]) -> Counter[str]:
    """Positions filled per authorized line: each person's job class and the total (ALL_CLASSES)."""
    counts = Counter(job_classes)
    counts[ALL_CLASSES] = sum(counts.values())
    return counts


@dataclass(frozen=True)
class Center:
    source: Path
    staff: tuple[Employee, ...]
    shifts: tuple[ShiftTemplate, ...]
    positions: tuple[Position, ...]
    minimums: tuple[Minimum, ...] = ()
    leave: tuple[Leave, ...] = ()
    requests: tuple[DayOffRequest, ...] = ()
    authorized: tuple[tuple[str, int], ...] = ()  # job class -> budgeted positions; () : no caps
    pins: tuple[Pin, ...] = ()
    preferences: tuple[ShiftPreference, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    # Stated as data where a center or a benchmark gives them (domain/limits.py): per-employee limits over
    # the plan, cover per day and template, and successions (a, b): template b never the day after a.
    limits: tuple[PlanLimits, ...] = ()
    shift_cover: tuple[ShiftCover, ...] = ()
    forbidden_successions: tuple[tuple[str, str], ...] = ()

    @cached_property
    def patterns_by_employee(self) -> dict[str, Pattern]:
        return {p.employee_id: p for p in self.patterns}

    @cached_property
    def employees_by_id(self) -> dict[str, Employee]:
        return {e.id: e for e in self.staff}

    @cached_property
    def shifts_by_code(self) -> dict[str, ShiftTemplate]:
        return {s.code: s for s in self.shifts}

    @cached_property
    def positions_by_id(self) -> dict[str, Position]:
        return {p.id: p for p in self.positions}

    @cached_property
    def leave_by_employee(self) -> dict[str, tuple[Leave, ...]]:
        """Each employee's approved leave: on_leave is asked per person and day, thousands of times a build
        (scanning every leave each time was a quarter of the 400-staff model's build; benchmarks/RESULTS.md
        "scale_curve.py")."""
        by_employee: dict[str, list[Leave]] = {}
        for lv in self.leave:
            by_employee.setdefault(lv.employee_id, []).append(lv)
        return {employee: tuple(leave) for employee, leave in by_employee.items()}

    def template_of(self, shift: PastShift) -> str | None:
        """The code of the template a previous roster's shift was worked on: as the roster recorded it, else
        the template of its local start time and wall-clock length (a DST night's 10-hour shift works 9 or 11
        real hours), if one matches."""
        if shift.shift_code is not None:
            return shift.shift_code
        start, end = shift.start.replace(tzinfo=None), shift.end.replace(tzinfo=None)  # wall clock
        hours = round((end - start).total_seconds() / 3600)
        return next((t.code for t in self.shifts if t.start == start.time() and t.hours == hours), None)

    def leave_on(self, employee_id: str, day: date) -> Leave | None:
        """The employee's approved leave covering `day`, if any."""
        return next((lv for lv in self.leave_by_employee.get(employee_id, ()) if lv.covers(day)), None)

    def on_leave(self, employee_id: str, day: date) -> bool:
        return self.leave_on(employee_id, day) is not None

    def filled(self) -> Counter[str]:
        """Staff rows per job class, and all of them under ALL_CLASSES. Every row fills one budgeted position
        of its class, trainees included: a trainee is hired into a position and paid from it, though never
        counted as coverage."""
        return filled_lines(e.job_class for e in self.staff)

    def vacancies(self) -> dict[str, int]:
        """Authorized minus filled positions per line of sheet Authorized, a job class or ALL_CLASSES (the
        total), negative over the budget."""
        filled = self.filled()
        return {job_class: count - filled[job_class] for job_class, count in self.authorized}

    @property
    def authorized_total(self) -> int:
        """The authorized headcount: sheet Authorized's `all` line, else the sum of its job classes' (0: no
        sheet)."""
        lines = dict(self.authorized)
        return lines.get(ALL_CLASSES, sum(lines.values()))
    def with_callouts(self, leave: Iterable[Leave]) -> Center:
        """This center with the leave call-outs became added: on those days it wins over a pin (sheet Pinned
        or a sign-up for an open shift), which the reader refuses for approved leave known in advance."""
        leave = tuple(leave)
        kept = tuple(p for p in self.pins
                     if not any(lv.employee_id == p.employee_id and lv.covers(p.day) for lv in leave))
        return replace(self, leave=self.leave + leave, pins=kept)

    def with_hires(self, hires: Iterable[Employee]) -> Center:
        """This center with `hires` added to the staff, refusing ids already in use and, when sheet Authorized
        has rows, a job class without an authorized count or hiring past a class's authorized positions."""
        hires = tuple(hires)
        taken = set(self.employees_by_id)
        for hire in hires:
            if hire.id in taken:
                raise InputError("employee id already in use", sheet="Staff", column="employee_id",
                                 value=hire.id, fix="give each hire a new id")
            taken.add(hire.id)
        vacant, wanted = self.vacancies(), filled_lines(h.job_class for h in hires)
        for job_class, count in wanted.items() if self.authorized else ():
            if job_class not in vacant and ALL_CLASSES in {job_class, *vacant}:
                continue  # no total line; or a job class without a line of its own, under the total alone
            if job_class not in vacant:
                raise InputError("no authorized count for this job class", sheet="Authorized",
                                 column="job_class", value=job_class,
                                 fix=f"hire into one of {', '.join(vacant)}, or authorize it")
            if count > vacant[job_class]:
                raise InputError(f"{count} hire(s) into {job_class}, {max(vacant[job_class], 0)} of "
                                 f"{dict(self.authorized)[job_class]} authorized positions vacant",
                                 sheet="Authorized", column="authorized", value=job_class,
                                 fix="hire fewer, or raise the authorized count")
        return replace(self, staff=self.staff + hires)
