"""Objective weights (all in one place) and named penalty terms returned by soft rules."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model


@dataclass(frozen=True)
class Weights:
    """Cost per unit of each soft rule. Shortfall dwarfs the rest: an uncovered seat-hour is never traded for
    comfort, but a covered one is worth an 8-hour overtime shift (8 x 15 < 1000)."""

    shortfall: int = 1000  # per uncovered position-hour (radio, supervisor, call-taking floors; all when flat),
    # and again (criticality - 1) times for a position of criticality above 1 (sheet Positions)
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
    # Fairness (rules/fairness.py), the tier below service, overtime cost and requests. One shift given to, taken
    # from or moved between employees changes the night and the weekend spread of each group by at most one per
    # employee touched: 2 + 2 for one employee, at most 8 for a move between two, under the 15 of a single overtime
    # hour (so fairness alone never adds one; adding overtime to a person never lowers the most overtime hours), under
    # the 40 of a denied request and far under an uncovered seat-hour (1000). Moving overtime away from the person
    # with the most (1 an hour) pays for extra overtime only if it moves more than 15 hours for each extra hour,
    # which one shift (8-12 h) cannot, except with a DST shift's odd hour. Weights are tiers, not a strict
    # lexicography: many coupled changes could in principle add up; measured on the sample week (README).
    # Fairness does outweigh an overstaffed position-hour (1), a tie-breaker.
    night_spread: int = 2  # per night shift of difference between the most and the fewest in a group
    weekend_spread: int = 2  # per weekend shift of difference between the most and the fewest in a group
    overtime_peak: int = 1  # per overtime hour of the person with the most in a group
    # Tier 5, below requests and fairness: per start time beyond the first in an employee's week. Adding, dropping
    # or moving one shift changes that count by at most 1, so stability (2) never outweighs one overtime hour (15),
    # one denied request (40) or one uncovered seat-hour (1000); it breaks ties among equally good rosters.
    start_change: int = 2
    # "service": an uncovered call-taker seat costs the calls it would have answered in time (queueing model, with
    # the backlog of a queue cut below its knee; rules/coverage.py); "flat": every uncovered position-hour costs the
    # same. Service is the default: on the sample week it answered more calls within 15 s than flat at every
    # measured time limit and seed (benchmarks/README.md).
    coverage: str = "service"


# Names of the objective's parts, shared by the model's breakdown and the independent checker.
UNCOVERED = "Uncovered position-hours"
CRITICAL = "Uncovered position-hours of critical positions (extra weight)"
LATE_CALLS = "Calls not answered in time for want of a call-taker (hundredths)"
OVERSTAFFED = "Overstaffed position-hours"
OVERTIME = "Overtime hours"
DENIED_REQUESTS = "Day-off requests denied (weighted)"
PREFERENCES_AVOIDED = "Avoided shifts worked (weighted)"
PREFERENCES_UNMET = "Preferred shifts not granted (weighted)"
CHANGES = "Changes to the published roster (weighted)"
NIGHT_SPREAD = "Spread of night shifts between staff"
WEEKEND_SPREAD = "Spread of weekend shifts between staff"
OVERTIME_PEAK = "Most overtime hours on one person"
START_CHANGES = "Start times beyond the first in an employee's week"


@dataclass(frozen=True)
class PenaltyTerm:
    """One named part of the objective: weight x amount."""

    name: str
    weight: int
    amount: cp_model.LinearExprT
