"""Center settings and labor rules (inputs/rules.toml), and the fairness groups they switch on."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import MISSING, dataclass, field
from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.domain.center import Center
from scheduler.domain.horizon import Horizon
from scheduler.domain.positions import ShiftTemplate
from scheduler.domain.staff import Employee


@dataclass(frozen=True)
class ServiceTarget:
    fraction: float
    seconds: float


RULES_FILE = "rules_file"  # the metadata key of a Rules field that holds its Setting


@dataclass(frozen=True)
class Setting:
    """Where the rules file (inputs/rules.toml) gives a Rules field, and the values it may take: the TOML type
    `kind` (a float setting accepts an integer, only a bool setting a bool), then `allowed` values or
    bounds."""

    section: str
    kind: type
    key: str = ""  # the TOML key; "": the field's name
    doc: str = ""  # what it does, for people: the rules file `scheduler init` writes (io/rules.py) says it
    allowed: tuple[object, ...] = ()
    above: float | None = None
    at_least: float | None = None
    below: float | None = None
    at_most: float | None = None

    def in_range(self, value) -> bool:
        return ((not self.allowed or value in self.allowed)
                and (self.above is None or value > self.above)
                and (self.at_least is None or value >= self.at_least)
                and (self.below is None or value < self.below)
                and (self.at_most is None or value <= self.at_most))

    @property
    def bounds(self) -> str:
        """What in_range accepts, in words: "from 0 to 24", "above 0 and at most 1", "one of C, A"."""
        if self.allowed:
            return "one of " + ", ".join(map(str, self.allowed))
        low = (f"above {self.above:g}" if self.above is not None
               else f"at least {self.at_least:g}" if self.at_least is not None else "")
        high = (f"below {self.below:g}" if self.below is not None
                else f"at most {self.at_most:g}" if self.at_most is not None else "")
        if low.startswith("at least") and high.startswith("at most"):
            return f"from {self.at_least:g} to {self.at_most:g}"
        return " and ".join(part for part in (low, high) if part)


def setting(section: str, default, kind: type, **where) -> Any:
    """A Rules field read from `section` of the rules file, `default` when the file leaves it out."""
    return field(default=default, metadata={RULES_FILE: Setting(section, kind, **where)})


@dataclass(frozen=True)
class Rules:
    """Center settings and labor rules (inputs/rules.toml); defaults documented in README.

    Each field declares, once, its TOML section and key, type, allowed values and default (`setting`); fields
    are in the file's order, which the reader's messages list keys in (io/rules.py)."""

    center_name: str = setting("center", MISSING, str, key="name",
                               doc="The center's name: it names the roster files.")
    timezone: str = setting(
        "center", MISSING, str,
        doc="IANA time zone, e.g. America/Chicago: forecasts and rosters are in its local time.")
    service_targets: tuple[ServiceTarget, ...] = setting(
        "service", (ServiceTarget(0.90, 15), ServiceTarget(0.95, 20)), list, key="targets",
        doc="Call-taker seats per hour: the fewest that meet every [fraction, seconds] target at once (the "
            "default is NENA-STA-020: 90% of calls answered within 15 s and 95% within 20 s).")
    occupancy_cap: float = setting("service", 0.85, float, above=0, at_most=1,
                                   doc="The busiest share of their time call-takers may spend on calls.")
    shrinkage: float = setting("service", 0.10, float, at_least=0, below=1,
                               doc="The share of a scheduled shift lost to breaks and meal relief.")
    net_hours_per_fte: float = setting(
        "service", 1650.0, float, above=0, at_most=8760,
        doc="Hours a year one full-time employee is on the floor (FTE figures).")
    patience_seconds: float | None = setting(
        "service", None, float, above=0, at_most=3600,
        doc="Mean caller patience: needed by model \"A\", used by the call simulation; left out: callers "
            "never hang up.")
    queue_model: str = setting("service", "C", str, key="model", allowed=("C", "A"),
                               doc="Queueing model for call-takers: \"C\" (Erlang C, callers wait) or \"A\" "
                                   "(Erlang A, callers hang up after patience_seconds on average).")
    asa_cap_seconds: float | None = setting("service", None, float, above=0, at_most=3600,
                                            doc="A cap on the average speed of answer; left out: none.")
    handle_time: str = setting("service", "exponential", str, allowed=("exponential", "lognormal"),
                               doc="Handle times in the call simulation.")
    handle_cv: float = setting("service", 1.0, float, at_least=0, at_most=10,
                               doc="Coefficient of variation of lognormal handle times.")
    min_rest_hours: float = setting(
        "labor", 10.0, float, at_least=0, at_most=24,
        doc="Hard: rest hours between the end of one shift and the start of the next.")
    max_hours_in_24: float = setting(
        "labor", 16.0, float, at_least=0, at_most=24,
        doc="Hard (fatigue): hours worked in any 24 hours, each shift counted with holdover_hours after it; "
            "0: no rule.")
    holdover_hours: float = setting(
        "labor", 2.0, float, at_least=0, at_most=12,
        doc="The reserve max_hours_in_24 keeps after every shift, so that anyone may be held over this long "
            "and the roster stays legal.")
    max_consecutive_days: int = setting("labor", 6, int, at_least=1, at_most=42,
                                        doc="Hard: work days in a row.")
    max_overtime_hours: float = setting(
        "labor", 12.0, float, at_least=0, at_most=168,
        doc="Hard: voluntary overtime hours per person per week (sheet Staff's max_overtime_hours may "
            "override).")
    overtime_pay_multiplier: float = setting("labor", 1.5, float, at_least=1, at_most=5,
                                             doc="Overtime pay above contract hours (the reported cost).")
    min_days_off: int = setting(
        "labor", 2, int, at_least=0, at_most=7,
        doc="Hard: days off between two work days come at least this many in a row (the plan taken as a "
            "cycle; leave days count as off); 0 or 1: no rule.")
    max_consecutive_nights: int = setting(
        "labor", 4, int, at_least=0, at_most=42,
        doc="Hard: night shifts on at most this many days in a row; 0: no rule.")
    night_start_hour: int = setting("labor", 18, int, at_least=0, at_most=24,
                                    doc="A night shift starts at or after this hour (local wall-clock)...")
    night_end_hour: int = setting("labor", 5, int, at_least=0, at_most=24, doc="...or before this one.")
    overtime_budget_hours: float | None = setting(
        "labor", None, float, at_least=0, at_most=100_000,
        doc="Hard: overtime hours per workweek, all staff together; left out: no budget.")
    max_shortfall: tuple[tuple[str, int], ...] = setting(
        "labor", (), dict,
        doc="Hard: per position, at most this many uncovered seats in any hour, e.g. { police_radio = 0 }; "
            "positions left out are uncapped. A cap the staff cannot meet means no roster.")
    evening_start_hour: int = setting(
        "labor", 12, int, at_least=0, at_most=24,
        doc="An evening shift starts at or after this hour and is not a night; a day shift starts earlier.")
    forward_rotation: bool = setting(
        "labor", False, bool,
        doc="Hard: no backward succession on the next day (night -> evening or day, evening -> day).")
    start_stability: bool = setting(
        "labor", False, bool,
        doc="Soft: each start time beyond the first in an employee's week costs a little, minimized with "
            "fairness in a last pass that holds every other cost.")
    weekend_off_every_weeks: int = setting(
        "labor", 4, int, at_least=0, at_most=52,
        doc="Hard: a full weekend off (no hour worked from Saturday 00:00 to Monday 00:00) in every this "
            "many weeks in a row (the plan taken as a cycle; a shorter plan is not constrained); 0: no rule.")
    # Soft fairness among comparable staff (fairness_groups), minimized in a last pass that holds every other
    # cost (model/solve.py), measured in inputs/rules.toml.
    fair_nights: bool = setting("fairness", False, bool, key="nights",
                                doc="Soft: minimize the spread of night shifts among comparable staff.")
    fair_weekends: bool = setting("fairness", False, bool, key="weekends",
                                  doc="Soft: minimize the spread of weekend shifts among comparable staff.")
    fair_overtime: bool = setting("fairness", False, bool, key="overtime",
                                  doc="Soft: minimize the overtime hours of the person with the most.")
    seniority_weighting: bool = setting(
        "requests", False, bool,
        doc="Day-off requests and shift preferences count 1 + (years of service // seniority_step_years), at "
            "most 1 + seniority_max_steps, times their weight (needs sheet Staff's hire_date).")
    seniority_step_years: int = setting("requests", 5, int, at_least=1, at_most=50,
                                        doc="Years of service per seniority step.")
    seniority_max_steps: int = setting("requests", 2, int, at_least=0, at_most=20,
                                       doc="The most seniority steps.")
    shift_preferences: bool = setting(
        "requests", True, bool, doc="false: sheet Preferences is read and checked but not scheduled on.")
    # [pay] (docs/payroll-export.md): periods of 7 or 14 days repeat from pay_period_start; a shift counts
    # whole in the period of the day it starts.
    pay_period_days: int = setting(
        "pay", 7, int, key="period_days", allowed=(7, 14),
        doc="Days in a pay period: the Assignments sheet's overtime and the payroll export follow it.")
    pay_period_start: date | None = setting(  # noqa: RUF009 (a field)
        "pay", None, date, key="period_start",
        doc="A day a pay period starts on (a TOML date); periods repeat from it both ways; left out: the "
            "plan's first day.")
    overtime_threshold_hours: float | None = setting(
        "pay", None, float, above=0, at_most=336,
        doc="Hours worked in a pay period above this are overtime; left out: each employee's weekly contract "
            "hours x period days / 7 (40 h: 40 a week, 80 a fortnight).")
    holiday_country: str = setting(
        "pay", "US", str,
        doc="Holiday calendar of the holidays package for pay code HOL (the holiday itself, not a weekday it "
            "is observed on); \"\": none.")
    holiday_subdivision: str = setting("pay", "", str, doc="The calendar's state or province, e.g. \"MO\".")
    holiday_dates: tuple[date, ...] = setting("pay", (), list,
                                              doc="More holidays, as TOML dates: [2026-12-24, 2026-12-31].")
    unpaid_leave: tuple[str, ...] = setting(
        "pay", ("FMLA",), list,
        doc="Leave types listed with their hours but not paid (FMLA is unpaid unless paid leave runs with "
            "it).")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def vacancy_caps(self) -> dict[str, int]:
        """The vacancy caps (rules file key `max_shortfall`; rules/vacancy_caps.py): position id -> most
        uncovered seats allowed in any hour; positions not listed are uncapped."""
        return dict(self.max_shortfall)

    def is_night(self, template: ShiftTemplate) -> bool:
        """A night shift starts at or after `night_start_hour` or before `night_end_hour` (wall-clock)."""
        return self.is_night_start(template.start)

    def is_night_start(self, start: time) -> bool:
        minute = 60 * start.hour + start.minute
        return minute >= 60 * self.night_start_hour or minute < 60 * self.night_end_hour

    @property
    def history_days(self) -> int:
        """Days of a previous roster that matter: a week (the 24-hour cap and rest need one day), or more when
        a rule on days in a row looks further back."""
        return max(7, self.max_consecutive_days, self.max_consecutive_nights, self.min_days_off)

    def seniority_multiplier(self, employee: Employee, plan_start: date) -> int:
        """1 + one step per seniority_step_years full years of service at the plan's start, at most
        seniority_max_steps steps (5 and 2: 1 below 5 years, 2 from 5, 3 from 10); 1 for everyone when off."""
        if not self.seniority_weighting:
            return 1
        steps = employee.years_of_service(plan_start) // self.seniority_step_years
        return 1 + min(steps, self.seniority_max_steps)

    def period(self, start: time) -> int:
        """Rotation order of a local start time: 0 day, 1 evening (at or after evening_start_hour, not a
        night), 2 night (is_night_start). Forward rotation never steps down this order on the next day."""
        if self.is_night_start(start):
            return 2
        return 1 if start.hour >= self.evening_start_hour else 0

    def overtime_cap(self, employee: Employee) -> float:
        cap = employee.max_overtime_hours
        return self.max_overtime_hours if cap is None else cap

    def overtime_threshold(self, employee: Employee) -> float:
        """Hours worked in a pay period above which the rest is overtime."""
        if self.overtime_threshold_hours is not None:
            return self.overtime_threshold_hours
        return employee.contract_hours * self.pay_period_days / 7


def fairness_groups(center: Center, rules: Rules, horizon: Horizon) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Comparable staff per fairness measure switched on ("nights", "weekends", "overtime"): groups of 2 or
    more employee ids. An input, shared by the model (rules/fairness.py) and the checker. Trainees (they
    follow their CTO) and staff on leave for more than half the plan are in no group. Nights: staff of one job
    class and shift length whose templates (length or bid) include night and non-night ones, so the scheduler
    chooses their nights (a night-only bid is the employee's choice). Weekends: one job class and shift length
    (a 12-hour person works fewer, longer shifts). Overtime: one job class, among those with an overtime cap
    above 0."""
    def leave_days(e: Employee) -> int:
        return sum(center.on_leave(e.id, horizon.day(d)) for d in range(horizon.days))

    available = [e for e in center.staff if not e.is_trainee and 2 * leave_days(e) <= horizon.days]

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
                                                            if e.can_work(s)} == {True, False}],
                                  class_and_length)
    if rules.fair_weekends:
        found["weekends"] = grouped(available, class_and_length)
    if rules.fair_overtime:
        found["overtime"] = grouped([e for e in available if rules.overtime_cap(e) > 0],
                                    lambda e: (e.job_class,))
    return found
