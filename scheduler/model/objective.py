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
    day_off_request: int = 40  # per denied request, times its weight (1-5) and the seniority multiplier
    # Per broken shift preference, times its weight (1-5) and the seniority multiplier: the tier below overtime, so
    # a junior's weight-1 wish (5) is a third of an overtime hour and the strongest (5 x 5 x 3 = 75) less than an
    # 8-hour overtime shift (120); which shift matters less than a day off.
    shift_preference: int = 5
    # Tier 5, below requests and fairness: per start time beyond the first in an employee's week. Adding, dropping
    # or moving one shift changes that count by at most 1, so stability (2) never outweighs one overtime hour (15),
    # one denied request (40) or one uncovered seat-hour (1000); it breaks ties among equally good rosters.
    start_change: int = 2
    # "service": an uncovered call-taker seat costs the calls it would have answered in time (queueing model);
    # "flat": every uncovered position-hour costs the same.
    coverage: str = "flat"


# Names of the objective's parts, shared by the model's breakdown and the independent checker.
UNCOVERED = "Uncovered position-hours"
LATE_CALLS = "Calls not answered in time for want of a call-taker (hundredths)"
OVERSTAFFED = "Overstaffed position-hours"
OVERTIME = "Overtime hours"
DENIED_REQUESTS = "Day-off requests denied (weighted)"
PREFERENCES_AVOIDED = "Avoided shifts worked (weighted)"
PREFERENCES_UNMET = "Preferred shifts not granted (weighted)"
CHANGES = "Changes to the published roster (weighted)"
START_CHANGES = "Start times beyond the first in an employee's week"


@dataclass(frozen=True)
class PenaltyTerm:
    """One named part of the objective: weight x amount."""

    name: str
    weight: int
    amount: cp_model.LinearExprT
