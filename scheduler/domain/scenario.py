"""Planning scenarios (README "Scenarios"): a base center carried forward month by month, and named sets of
changes to it: academy classes, attrition, separations, authorized headcount, demand, answering, shift lengths
and rules. Read from a scenario file (io.scenarios), projected period by period (workforce, demand) and
rostered by the same builder as `build` (scheduler.scenarios)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ANSWERING = ("as configured", "pooled")


@dataclass(frozen=True)
class Training:
    """How a new hire becomes a dispatcher: in the academy (classroom: on roll and paid, never rostered) for
    `academy_months`, then a trainee (rostered beside a training officer, counted in no seat) until
    `call_taking_months` after the class starts, then a call-taker; a radio dispatcher from `radio_months`
    on. `washout`: the share of a class that leaves during training, each at a drawn time before
    `radio_months`."""

    academy_months: float = 2.0
    call_taking_months: float = 6.0
    radio_months: float = 12.0
    washout: float = 0.3


@dataclass(frozen=True)
class AcademyClass:
    """Hires who start together on `start` into `job_class` (counted against its authorized headcount from
    that day), reaching the `call_taking` qualifications, then the `radio` ones, on `training`'s schedule."""

    start: date
    size: int
    job_class: str
    call_taking: frozenset[str]
    radio: frozenset[str] = frozenset()
    shift_length: int = 8
    contract_hours: float = 40.0
    training: Training = Training()


@dataclass(frozen=True)
class Separation:
    """A named employee who leaves: on roll until the day before `on`."""

    employee_id: str
    on: date


@dataclass(frozen=True)
class Diversion:
    """A share of one stream's calls answered elsewhere: by another stream's call-takers (`to`), or outside
    the center (`to` None: a crisis line, say)."""

    stream: str
    share: float
    to: str | None = None


@dataclass(frozen=True)
class Demand:
    """Changes to the base forecast's weekly profile: yearly growth per stream (0.03: 3% a year, compounded),
    handle-time change per stream (0.10: 10% longer), diversions (applied after growth)."""

    growth: tuple[tuple[str, float], ...] = ()
    handle_time: tuple[tuple[str, float], ...] = ()
    diversions: tuple[Diversion, ...] = ()


@dataclass(frozen=True)
class Scenario:
    """One named set of changes to the base (each left at the base's when not given)."""

    name: str
    hires: tuple[AcademyClass, ...] = ()
    attrition: tuple[tuple[str, float], ...] = ()  # job class -> yearly separation rate
    separations: tuple[Separation, ...] = ()
    authorized: tuple[tuple[str, int], ...] = ()  # job class -> authorized headcount from the first period
    demand: Demand = Demand()
    answering: str = "as configured"  # one of ANSWERING
    shift_hours: tuple[int, ...] = ()  # the shift lengths allowed; (): the center's templates as they are
    rules: tuple[tuple[str, Any], ...] = ()  # rules-file key -> value, over the base rules


@dataclass(frozen=True)
class HiringQuestion:
    """`scheduler hire`: the smallest common size of academy classes starting on `dates` (added to
    `scenario`) with which every period from `by` on answers `share` of 9-1-1 calls within `seconds` (one of
    the rules' service targets) in at least `hours` of its hours."""

    scenario: str
    dates: tuple[date, ...]
    job_class: str
    call_taking: frozenset[str]
    radio: frozenset[str]
    by: date
    share: float
    seconds: float
    hours: float
    most: int = 40  # the largest class tried
    training: Training = Training()


@dataclass(frozen=True)
class ScenarioSet:
    """A scenario file: the base inputs and horizon, the scenarios, and what the KPIs are measured with."""

    source: Path
    center: Path
    rules: Path
    forecast: Path  # its first week is the profile carried forward
    start: date  # the first period's month: each period is the first full week (Monday on) of its month
    months: int
    every: int = 1  # months between periods: 1 monthly, 3 quarterly
    quantile: str = "p50"
    seed: int = 0
    emergency_streams: tuple[str, ...] = ()  # the 9-1-1 streams; (): every stream whose name starts 911
    hourly_pay: tuple[tuple[str, float], ...] = ()  # job class -> straight-time pay per hour
    training: Training = Training()  # the base schedule: today's trainees certify on it
    scenarios: tuple[Scenario, ...] = field(default_factory=tuple)
    hire: HiringQuestion | None = None  # the file's [hire] table
