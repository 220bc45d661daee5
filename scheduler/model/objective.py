"""Objective weights (all in one place) and named penalty terms returned by soft rules."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model


@dataclass(frozen=True)
class Weights:
    """Cost per unit of each soft rule. Shortfall dwarfs the rest: an uncovered seat-hour is never traded for
    comfort, but a covered one is worth an 8-hour overtime shift (8 x 15 < 1000)."""

    shortfall: int = 1000  # per uncovered position-hour (radio, supervisor, call-taking floors; all when flat)
    late_call_hundredth: int = 2  # per 1/100 expected call not answered in time for want of a call-taker (200 a call)
    overstaffing: int = 1  # per scheduled position-hour above the requirement
    overtime: int = 15  # per overtime hour
    # Repair: per published shift dropped or new shift added after `now`, so a change must buy one and a half
    # position-hours of coverage (a called-in 8-hour shift easily does); calling in a volunteer costs less.
    change: int = 1500
    volunteer_change: int = 500
    day_off_request: int = 40  # per denied request, times its weight (1-5)
    # "service": an uncovered call-taker seat costs the calls it would have answered in time (queueing model, with
    # the backlog of a queue cut below its knee; rules/coverage.py); "flat": every uncovered position-hour costs the
    # same. Service is the default: on the sample week it answered more calls within 15 s than flat at every
    # measured time limit and seed (benchmarks/README.md).
    coverage: str = "service"


# Names of the objective's parts, shared by the model's breakdown and the independent checker.
UNCOVERED = "Uncovered position-hours"
LATE_CALLS = "Calls not answered in time for want of a call-taker (hundredths)"
OVERSTAFFED = "Overstaffed position-hours"
OVERTIME = "Overtime hours"
DENIED_REQUESTS = "Day-off requests denied (weighted)"
CHANGES = "Changes to the published roster (weighted)"


@dataclass(frozen=True)
class PenaltyTerm:
    """One named part of the objective: weight x amount."""

    name: str
    weight: int
    amount: cp_model.LinearExprT
