"""Staff and what they ask for: employees, approved leave, day-off requests, shift preferences, pinned shifts
and fixed cyclic patterns (sheets Staff, Leave, Requests, Preferences, Pinned and Patterns)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scheduler.domain.positions import Position, ShiftTemplate

TRAINEE = "trainee"

@dataclass(frozen=True)
class Employee:
    id: str
    name: str
    job_class: str
    qualifications: frozenset[str]
    shift_length: int
    hire_date: date | None  # None: not given (no seniority; plan.check_fit asks for it where it counts)
    cto: bool = False
    shift_codes: tuple[str, ...] = ()
    contract_hours: float = 40.0
    max_overtime_hours: float | None = None

    @property
    def is_trainee(self) -> bool:
        return self.job_class == TRAINEE

    @property
    def min_weekly_hours(self) -> float:
        """Contract hours rounded down to whole shifts (a 12-hour person on 40 h works at least 36)."""
        return (self.contract_hours // self.shift_length) * self.shift_length

    def can_work(self, template: ShiftTemplate) -> bool:
        if self.shift_codes:
            return template.code in self.shift_codes
        return template.hours == self.shift_length

    def qualified_for(self, position: Position) -> bool:
        return position.qualification in self.qualifications

    def years_of_service(self, on: date) -> int:
        """Full years from hire_date to `on` (0 for a hire after `on`, or no hire date)."""
        if self.hire_date is None:
            return 0
        before_anniversary = (on.month, on.day) < (self.hire_date.month, self.hire_date.day)
        years = on.year - self.hire_date.year - before_anniversary
        return max(0, years)


# The leave types docs/center-workbook.md defines (sheet Leave); another is taken as leave, with a warning.
LEAVE_TYPES = ("VAC", "SICK", "TRAIN", "FMLA", "COMP")


@dataclass(frozen=True)
class Leave:
    employee_id: str
    start: date
    end: date
    type: str

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class DayOffRequest:
    employee_id: str
    day: date
    weight: int = 1


@dataclass(frozen=True)
class ShiftPreference:
    """A wish about which shifts to work (sheet Preferences). On each plan day it applies to, "avoid" is
    broken by working one of `shift_codes` (any shift when empty); "prefer" by working a shift not in
    `shift_codes`; with `day_off_breaks`, "prefer" is broken by a day off too (a request to work that shift,
    as a benchmark's shift-on request)."""

    employee_id: str
    avoid: bool  # False: prefer
    shift_codes: tuple[str, ...] = ()
    weekdays: frozenset[int] = frozenset(range(7))  # 0 = Monday
    day: date | None = None  # a single date instead of weekdays
    weight: int = 1
    day_off_breaks: bool = False

    def applies(self, day: date) -> bool:
        return day == self.day if self.day is not None else day.weekday() in self.weekdays

    @property
    def broken_by_day_off(self) -> bool:
        """A request to work (prefer with day_off_breaks): a day off goes against it too."""
        return self.day_off_breaks and not self.avoid

    def broken_by(self, shift_code: str) -> bool:
        """Does working `shift_code` on a day the preference applies to go against it?"""
        listed = not self.shift_codes or shift_code in self.shift_codes
        return listed if self.avoid else not listed


@dataclass(frozen=True)
class Pin:
    """An assignment fixed in advance (a shift bid or a day already published): it will be in the roster."""

    employee_id: str
    day: date
    shift_code: str
    position: str


# Named fixed cyclic patterns: W a work day, O a day off, the first letter on the anchor date.
NAMED_PATTERNS = {
    "2-2-3": "WWOOWWWOOWWOOO",  # Pitman: 14-day cycle of 12 h shifts, 7 on (84 h per 2 weeks)
    "pitman": "WWOOWWWOOWWOOO",
    "4x10": "WWWWOOO",  # four 10 h days on, three off
    "5x8": "WWWWWOO",
}


@dataclass(frozen=True)
class Pattern:
    """A fixed cyclic pattern one employee follows: works exactly on its W days (leave days excepted: off)."""

    employee_id: str
    name: str  # a NAMED_PATTERNS key, or the W/O string itself
    days: str  # W/O letters, one per day of the cycle
    anchor: date  # the day the cycle's first letter falls on

    def works_on(self, day: date) -> bool:
        return self.days[(day - self.anchor).days % len(self.days)] == "W"
