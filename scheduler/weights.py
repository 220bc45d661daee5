"""The objective's weights (all in one place) and the names of its terms, shared by the model and the checker.

No solver here: the independent checker recomputes the objective with these names and weights.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Weights:
    """Cost per unit of each soft rule. Shortfall dwarfs the rest: an uncovered seat-hour is never traded for
    comfort, but a covered one is worth an 8-hour overtime shift (8 x 15 < 1000)."""

    # Per uncovered position-hour (radio, supervisor, call-taking floors; all when flat), and again
    # (criticality - 1) times for a position of criticality above 1 (sheet Positions).
    shortfall: int = 1000
    # Per 1/100 expected call not answered in time for want of a call-taker (200 a call).
    late_call_hundredth: int = 2
    overstaffing: int = 1  # per scheduled position-hour above the requirement
    overtime: int = 15  # per overtime hour
    # Repair: per published shift dropped or new shift added after `now`, so a change must buy one and a half
    # position-hours of coverage (a called-in 8-hour shift easily does); calling in a volunteer costs less.
    change: int = 1500
    volunteer_change: int = 500
    day_off_request: int = 40  # per denied request, times its weight (1-5) and the seniority multiplier
    # Per broken shift preference, times its weight (1-5) and the seniority multiplier: the tier below
    # overtime, so a junior's weight-1 wish (5) is a third of an overtime hour and the strongest (5 x 5 x 3 =
    # 75) less than an 8-hour overtime shift (120); which shift matters less than a day off.
    shift_preference: int = 5
    # Per shift short of or over a cover per day and template (sheet-free: domain.ShiftCover, a benchmark's),
    # times the row's own under or over weight.
    shift_cover: int = 1
    # Fairness (rules/fairness.py) and start stability, the last tiers, are a strict lexicography: solve
    # leaves them out of the main solve and minimizes them afterwards in a pass that holds the weighted sum of
    # every other term at no worse than the roster found (model/solve.py, fairness_pass): they never cost the
    # rest of the objective anything, not even an overstaffed hour (the pass may still trade among the other
    # terms as their weights allow, more coverage for more overtime, as the main solve could have). In one
    # search with the rest they had made the 30-second search on the sample week land 80 uncovered
    # position-hours worse (benchmarks/RESULTS.md). The weights below rank them among themselves in that pass
    # and price them in the reported objective. They were also chosen as tiers: one shift given to, taken from
    # or moved between employees changes the night and the weekend spread of each group by at most one per
    # employee touched (2 + 2 for one employee, at most 8 for a move between two), under the 15 of an overtime
    # hour, the 40 of a denied request and an uncovered seat-hour (1000); moving overtime away from the person
    # with the most (1 an hour) would pay for extra overtime only at more than 15 hours moved for each.
    night_spread: int = 2  # per night shift of difference between the most and the fewest in a group
    weekend_spread: int = 2  # per weekend shift of difference between the most and the fewest in a group
    overtime_peak: int = 1  # per overtime hour of the person with the most in a group
    # Tier 5, beside fairness in the pass above: per start time beyond the first in an employee's week.
    # Adding, dropping or moving one shift changes that count by at most 1, so stability (2) weighs as one
    # night or weekend shift of spread; it breaks ties among rosters equally good in everything else.
    start_change: int = 2
    # "service": an uncovered call-taker seat costs the calls it would have answered in time (queueing model,
    # with the backlog of a queue cut below its knee; rules/coverage.py); "flat": every uncovered
    # position-hour costs the same. Service is the default: on the sample week it answered more calls within
    # 15 s than flat at every measured time limit and seed (benchmarks/RESULTS.md).
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
SHIFT_COVER_SHORT = "Shifts short of the cover per day and template (weighted)"
SHIFT_COVER_OVER = "Shifts over the cover per day and template (weighted)"
NIGHT_SPREAD = "Spread of night shifts between staff"
WEEKEND_SPREAD = "Spread of weekend shifts between staff"
OVERTIME_PEAK = "Most overtime hours on one person"
START_CHANGES = "Start times beyond the first in an employee's week"
# The order reports list the terms in (the workbook's Penalties sheet): coverage, hours, requests and
# preferences, then the last tiers, then a repair's changes.
TERMS = (UNCOVERED, OVERSTAFFED, LATE_CALLS, CRITICAL, SHIFT_COVER_SHORT, SHIFT_COVER_OVER, OVERTIME,
         DENIED_REQUESTS, PREFERENCES_AVOIDED, PREFERENCES_UNMET, NIGHT_SPREAD, WEEKEND_SPREAD, OVERTIME_PEAK,
         START_CHANGES, CHANGES)


# The objective's last tiers (Weights): left out of the main solve, minimized by the fairness pass.
FAIRNESS_TERMS = frozenset({NIGHT_SPREAD, WEEKEND_SPREAD, OVERTIME_PEAK, START_CHANGES})
