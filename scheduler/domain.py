"""Validated domain data: frozen, ortools-free, shared by readers, model, checker and reports.

Time convention: every instant is a timezone-aware datetime. The planning grid is one-hour slots counted in real
(elapsed) time from local midnight of the first day, so a week with a DST change has 167 or 169 slots. A shift belongs
to the local day it starts on and ends at its wall-clock end (a night shift over a DST change works 7 or 9 hours).
"""

from __future__ import annotations

import enum
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from scheduler.errors import InputError

HOUR = timedelta(hours=1)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
TRAINEE = "trainee"


class PositionKind(enum.StrEnum):
    CALL_TAKING = "call_taking"
    RADIO = "radio"
    SUPERVISOR = "supervisor"


@dataclass(frozen=True)
class ShiftTemplate:
    code: str
    start: time
    hours: int
    label: str = ""


@dataclass(frozen=True)
class Position:
    id: str
    name: str
    kind: PositionKind
    qualification: str
    streams: tuple[str, ...] = ()
    calls_per_seat: float | None = None  # radio/supervisor: one seat per this many calls an hour in `streams`
    criticality: int = 1  # an uncovered hour of this position's floor counts this many uncovered position-hours


@dataclass(frozen=True)
class Employee:
    id: str
    name: str
    job_class: str
    qualifications: frozenset[str]
    shift_length: int
    hire_date: date
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
        """Full years from hire_date to `on` (0 for a hire after `on`)."""
        years = on.year - self.hire_date.year - ((on.month, on.day) < (self.hire_date.month, self.hire_date.day))
        return max(0, years)


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
    """A wish about which shifts to work (sheet Preferences). On each plan day it applies to, "avoid" is broken by
    working one of `shift_codes` (any shift when empty); "prefer" by working a shift not in `shift_codes`."""

    employee_id: str
    avoid: bool  # False: prefer
    shift_codes: tuple[str, ...] = ()
    weekdays: frozenset[int] = frozenset(range(7))  # 0 = Monday
    day: date | None = None  # a single date instead of weekdays
    weight: int = 1

    def applies(self, day: date) -> bool:
        return day == self.day if self.day is not None else day.weekday() in self.weekdays

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


@dataclass(frozen=True)
class Minimum:
    """A staffing floor for a position over a daily time window, on some weekdays (0 = Monday)."""

    position: str
    weekdays: frozenset[int]
    start_hour: int
    end_hour: int  # exclusive, 1..24; start_hour > end_hour wraps past midnight
    minimum: int

    def applies(self, local_start: datetime) -> bool:
        h = local_start.hour
        if self.start_hour < self.end_hour:
            return local_start.weekday() in self.weekdays and self.start_hour <= h < self.end_hour
        # Wrapping window: the part after midnight belongs to the previous day's row.
        if h >= self.start_hour:
            return local_start.weekday() in self.weekdays
        return h < self.end_hour and (local_start.weekday() - 1) % 7 in self.weekdays


@dataclass(frozen=True)
class ServiceTarget:
    fraction: float
    seconds: float


@dataclass(frozen=True)
class Rules:
    """Center settings and labor rules (inputs/rules.toml); defaults documented in README."""

    center_name: str
    timezone: str
    service_targets: tuple[ServiceTarget, ...] = (ServiceTarget(0.90, 15), ServiceTarget(0.95, 20))
    occupancy_cap: float = 0.85
    shrinkage: float = 0.10
    asa_cap_seconds: float | None = None  # optional cap on the average speed of answer
    handle_time: str = "exponential"  # handle-time distribution in the call simulation: exponential or lognormal
    handle_cv: float = 1.0  # coefficient of variation of lognormal handle times
    queue_model: str = "C"  # "C": Erlang C, callers wait; "A": Erlang A, callers abandon after patience_seconds
    patience_seconds: float | None = None  # mean caller patience; None: callers never hang up
    min_rest_hours: float = 10.0
    max_consecutive_days: int = 6
    max_overtime_hours: float = 12.0
    overtime_pay_multiplier: float = 1.5
    # Days off between two work days come at least this many in a row (the plan taken as a cycle); 0 or 1: off.
    min_days_off: int = 2
    # Night shifts (see is_night) on at most this many days in a row (the plan taken as a cycle); 0: off.
    max_consecutive_nights: int = 4
    # A night shift starts at or after night_start_hour:00 or before night_end_hour:00 (local wall-clock time).
    night_start_hour: int = 18
    night_end_hour: int = 5
    # Fatigue: at most this many hours worked in any 24 hours, each shift counted with a holdover reserve of
    # `holdover_hours` after it (a supervisor may hold anyone over that long and the roster stays legal); 0: off.
    max_hours_in_24: float = 16.0
    holdover_hours: float = 2.0
    # Evening shifts start at or after evening_start_hour:00 and are not night shifts; day shifts start earlier.
    evening_start_hour: int = 12
    # Forward rotation only: no backward succession (night -> evening or day, evening -> day) on consecutive days.
    forward_rotation: bool = False
    # Soft: penalize each start time beyond the first an employee works in a week (rules/stability.py).
    start_stability: bool = False
    # Center-wide overtime hours per workweek, all employees together; None: no budget.
    overtime_budget_hours: float | None = None
    # Per position, at most this many uncovered seats in any hour: covered >= required - cap; () : no caps.
    max_shortfall: tuple[tuple[str, int], ...] = ()
    # Every employee has a full weekend off (no hour worked from Saturday 00:00 to Monday 00:00 local) in every
    # window of this many consecutive weeks (the plan taken as a cycle; a plan shorter than this is not
    # constrained); 0: off.
    weekend_off_every_weeks: int = 4
    # Soft fairness among comparable staff (fairness_groups): spread of night shifts, spread of weekend shifts, the
    # most overtime hours on one person. Off by default; the sample turns them and start_stability on: both are
    # minimized in a last pass that holds every other cost (model/solve.py), measured in inputs/rules.toml.
    fair_nights: bool = False
    fair_weekends: bool = False
    fair_overtime: bool = False
    net_hours_per_fte: float = 1650.0  # hours a year one full-time employee is actually on the floor
    # Requests and preferences count seniority_multiplier times their weight when seniority_weighting is on.
    seniority_weighting: bool = False
    seniority_step_years: int = 5
    seniority_max_steps: int = 2
    shift_preferences: bool = True  # False: sheet Preferences is read and checked but not scheduled on

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def shortfall_caps(self) -> dict[str, int]:
        """Position id -> most uncovered seats allowed in any hour; positions not listed are uncapped."""
        return dict(self.max_shortfall)

    def is_night(self, template: ShiftTemplate) -> bool:
        """A night shift starts at or after `night_start_hour` or before `night_end_hour` (wall-clock)."""
        return self.is_night_start(template.start)

    def is_night_start(self, start: time) -> bool:
        minute = 60 * start.hour + start.minute
        return minute >= 60 * self.night_start_hour or minute < 60 * self.night_end_hour

    @property
    def history_days(self) -> int:
        """Days of a previous roster that matter: a week (the 24-hour cap and rest need one day), or more when a
        rule on days in a row looks further back."""
        return max(7, self.max_consecutive_days, self.max_consecutive_nights, self.min_days_off)

    def seniority_multiplier(self, employee: Employee, plan_start: date) -> int:
        """1 + one step per seniority_step_years full years of service at the plan's start, at most
        seniority_max_steps steps (5 and 2: 1 below 5 years, 2 from 5, 3 from 10); 1 for everyone when off."""
        if not self.seniority_weighting:
            return 1
        return 1 + min(employee.years_of_service(plan_start) // self.seniority_step_years, self.seniority_max_steps)

    def period(self, start: time) -> int:
        """Rotation order of a local start time: 0 day, 1 evening (at or after evening_start_hour, not a night),
        2 night (is_night_start). Forward rotation never steps down this order on the next day."""
        if self.is_night_start(start):
            return 2
        return 1 if start.hour >= self.evening_start_hour else 0

    def overtime_cap(self, employee: Employee) -> float:
        cap = employee.max_overtime_hours
        return self.max_overtime_hours if cap is None else cap


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

    def on_leave(self, employee_id: str, day: date) -> bool:
        return any(lv.employee_id == employee_id and lv.covers(day) for lv in self.leave)

    def filled(self) -> Counter[str]:
        """Staff rows per job class. Every row fills one budgeted position of its class, trainees included:
        a trainee is hired into a position and paid from it, though never counted as coverage."""
        return Counter(e.job_class for e in self.staff)

    def vacancies(self) -> dict[str, int]:
        """Authorized minus filled positions per job class of sheet Authorized (negative: over the budget)."""
        filled = self.filled()
        return {job_class: count - filled[job_class] for job_class, count in self.authorized}

    def with_hires(self, hires: Iterable[Employee]) -> Center:
        """This center with `hires` added to the staff, refusing ids already in use and, when sheet Authorized has
        rows, a job class without an authorized count or hiring past a class's authorized positions."""
        hires = tuple(hires)
        taken = set(self.employees_by_id)
        for hire in hires:
            if hire.id in taken:
                raise InputError("employee id already in use", sheet="Staff", column="employee_id",
                                 value=hire.id, fix="give each hire a new id")
            taken.add(hire.id)
        vacant, wanted = self.vacancies(), Counter(h.job_class for h in hires)
        for job_class, count in wanted.items() if self.authorized else ():
            if job_class not in vacant:
                raise InputError("no authorized count for this job class", sheet="Authorized", column="job_class",
                                 value=job_class, fix=f"hire into one of {', '.join(vacant)}, or authorize it")
            if count > vacant[job_class]:
                raise InputError(f"{count} hire(s) into {job_class}, {max(vacant[job_class], 0)} of "
                                 f"{dict(self.authorized)[job_class]} authorized positions vacant",
                                 sheet="Authorized", column="authorized", value=job_class,
                                 fix="hire fewer, or raise the authorized count")
        return replace(self, staff=self.staff + hires)


@dataclass(frozen=True)
class Forecast:
    """Hourly forecast: one row per hour and stream (timestamp in UTC, calls_p50, calls_p90, aht_seconds)."""

    source: Path
    frame: pd.DataFrame = field(repr=False)

    @property
    def streams(self) -> tuple[str, ...]:
        return tuple(sorted(self.frame["stream"].unique()))


@dataclass(frozen=True)
class Horizon:
    """The planning period: `days` local calendar days from `start` in time zone `tz`."""

    start: date
    days: int
    tz: ZoneInfo

    def day(self, index: int) -> date:
        return self.start + timedelta(days=index)

    def local_midnight(self, index: int) -> datetime:
        return datetime.combine(self.day(index), time(0), tzinfo=self.tz)

    @cached_property
    def begin(self) -> datetime:
        return self.local_midnight(0).astimezone(UTC)

    @cached_property
    def end(self) -> datetime:
        return self.local_midnight(self.days).astimezone(UTC)

    @cached_property
    def n_slots(self) -> int:
        return int((self.end - self.begin) / HOUR)

    def slot_start(self, slot: int) -> datetime:
        """Start of a slot as local (aware) time."""
        return (self.begin + slot * HOUR).astimezone(self.tz)

    def slot_of(self, instant: datetime) -> int:
        return int((instant.astimezone(UTC) - self.begin) // HOUR)

    def covered_slots(self, start: datetime, end: datetime, history: History | None) -> tuple[int, ...]:
        """The slots of this plan a shift from `start` to `end` covers: the one rule for coverage, used by the model
        (ModelData.windows, ModelData.carried_in), the checker and the reports (both through on_duty). Without a
        previous roster (`history` None) the plan is a repeating cycle: hours past its end wrap to its first
        hours, standing in for the previous plan's night (steady state). With one the plan is a link of a chain:
        hours outside it cover nothing here (those past its end belong to the next plan), and a shift of the
        previous roster covers the hours it runs into the plan."""
        first, last = self.slot_of(start), self.slot_of(end)
        if history is None:
            return tuple(slot % self.n_slots for slot in range(first, last))
        return tuple(range(max(first, 0), min(last, self.n_slots)))

    def day_index(self, day: date) -> int:
        return (day - self.start).days

    @property
    def weeks(self) -> int:
        return -(-self.days // 7)

    def shift_window(self, day_index: int, template: ShiftTemplate) -> tuple[datetime, datetime]:
        """Local start and end of a template worked on a day; the end is the wall-clock end."""
        naive = datetime.combine(self.day(day_index), template.start)
        start = naive.replace(tzinfo=self.tz)
        end = (naive + timedelta(hours=template.hours)).replace(tzinfo=self.tz)
        return start, end


def works_weekend(day: date, template: ShiftTemplate) -> bool:
    """A shift worked on `day` works an hour of a Saturday or Sunday (local wall-clock): it starts on one, or starts
    on a Friday and runs past midnight (a Friday night shift ending Saturday morning)."""
    end_minute = 60 * (template.start.hour + template.hours) + template.start.minute
    return day.weekday() >= 5 or (day.weekday() == 4 and end_minute > 24 * 60)


def fairness_groups(center: Center, rules: Rules, horizon: Horizon) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Comparable staff per fairness measure switched on ("nights", "weekends", "overtime"): groups of 2 or more
    employee ids. An input, shared by the model (rules/fairness.py) and the checker. Trainees (they follow their
    CTO) and staff on leave for more than half the plan are in no group. Nights: staff of one job class and shift
    length whose templates (length or bid) include night and non-night ones, so the scheduler chooses their nights
    (a night-only bid is the employee's choice). Weekends: one job class and shift length (a 12-hour person works
    fewer, longer shifts). Overtime: one job class, among those with an overtime cap above 0."""
    available = [e for e in center.staff if not e.is_trainee
                 and 2 * sum(center.on_leave(e.id, horizon.day(d)) for d in range(horizon.days)) <= horizon.days]

    def grouped(members: list[Employee], key) -> tuple[tuple[str, ...], ...]:
        groups: dict[tuple, list[str]] = defaultdict(list)
        for e in members:
            groups[key(e)].append(e.id)
        return tuple(tuple(ids) for _, ids in sorted(groups.items()) if len(ids) >= 2)

    def class_and_length(e: Employee) -> tuple:
        return e.job_class, e.shift_length

    found = {}
    if rules.fair_nights:
        found["nights"] = grouped([e for e in available if {rules.is_night(s) for s in center.shifts
                                                            if e.can_work(s)} == {True, False}], class_and_length)
    if rules.fair_weekends:
        found["weekends"] = grouped(available, class_and_length)
    if rules.fair_overtime:
        found["overtime"] = grouped([e for e in available if rules.overtime_cap(e) > 0], lambda e: (e.job_class,))
    return found


def utc_offset(moment: datetime) -> str:
    """'-06:00': tells the two 01:00 hours of a DST fall-back night apart in a sheet of local times."""
    return moment.isoformat()[-6:]


def worked_hours(start: datetime, end: datetime) -> float:
    return (end.astimezone(UTC) - start.astimezone(UTC)) / HOUR


@dataclass(frozen=True)
class Repair:
    """Re-planning a published roster from `now` on: shifts that started earlier stay exactly as published; later
    ones are kept unless a change buys coverage, volunteers first."""

    published: tuple[Assignment, ...]
    now: datetime
    volunteers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PastShift:
    """A shift of a previous roster, worked before the plan at `position`: `end` as scheduled, `holdover_hours`
    actually worked past it (recorded in the previous roster's optional Assignments column `holdover_hours`). Its
    scheduled hours that run into the plan cover it (Horizon.covered_slots); a holdover counts for rest and the
    24-hour cap only, it was never planned coverage."""

    employee_id: str
    day: date  # the local day it started
    position: str  # position id, as in the previous roster's Assignments sheet
    start: datetime
    end: datetime
    holdover_hours: float = 0.0

    @property
    def worked_until(self) -> datetime:
        return self.end + timedelta(hours=self.holdover_hours)


@dataclass(frozen=True)
class History:
    """The previous roster's last `days` days before the plan (`build --previous`). When given, minimum rest,
    consecutive work days, consecutive nights, days off, the 24-hour cap, forward rotation and coverage start from
    this real history instead of wrapping the plan as a cycle, and the plan's end is open: the next plan, built with
    this one as its previous roster, checks what follows it. Coverage: a shift here that runs past the plan's
    start (a night shift from the day before) covers the plan's first hours at its position, and a plan shift's
    hours past the plan's end cover nothing in this plan (Horizon.covered_slots). Employees without shifts here
    (new ones) start rested."""

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
    """Non-trainees on duty per position of the center and plan hour: the roster's `shifts` and, with a previous
    roster, those of its shifts that run into the plan, each over the slots Horizon.covered_slots gives. The one
    count of scheduled seats for the checker and the reports (the model sums its variables over the same slots and
    adds ModelData.carried_in, this count with no shifts). Unknown employees and positions count nowhere (the
    checker reports them)."""
    counts = {p.id: np.zeros(horizon.n_slots, dtype=int) for p in center.positions}
    for shift in (*shifts, *(history.shifts if history else ())):
        employee = center.employees_by_id.get(shift.employee_id)
        if employee is None or employee.is_trainee or shift.position not in counts:
            continue
        for slot in horizon.covered_slots(shift.start, shift.end, history):
            counts[shift.position][slot] += 1
    return counts


@dataclass(frozen=True)
class Queue:
    """One answering queue: the streams it pools, calls and call-weighted handle time per slot."""

    streams: tuple[str, ...]
    calls: np.ndarray
    aht: np.ndarray


@dataclass(frozen=True)
class Requirements:
    """The staffing stage's answer: seats needed per position and hour, and the queues behind the call-takers'."""

    horizon: Horizon
    required: dict[str, np.ndarray]  # position id -> whole seats per slot
    floor: dict[str, np.ndarray]  # position id -> the Minimums floor per slot
    queues: dict[str, Queue]  # call-taking position id -> its queue


@dataclass(frozen=True)
class PaySegment:
    """Part of a shift under one pay code: a shift that crosses the weekly contract hours splits in two."""

    shift_id: int
    assignment: Assignment
    start: object  # datetime
    end: object
    hours: float
    pay_code: str  # REG or OT
