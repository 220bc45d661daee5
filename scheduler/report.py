"""Roster tables for people: coverage per hour and position, the objective's terms in their
units, alarms and summary numbers (pay segments and the payroll: payroll.py; open shifts: open_shifts.py).

Pure data (pandas); writing files is io.roster_xlsx's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import numpy as np
import pandas as pd

from scheduler.domain import (
    ALL_CLASSES,
    WEEKDAYS,
    Assignment,
    Center,
    History,
    PaySegment,
    PositionKind,
    Requirements,
    Rules,
    on_duty,
    utc_offset,
)
from scheduler.staffing import SimulatedService, on_phones, service_metrics, simulate_queues
from scheduler.weights import (
    CHANGES,
    CRITICAL,
    DENIED_REQUESTS,
    LATE_CALLS,
    NIGHT_SPREAD,
    OVERSTAFFED,
    OVERTIME,
    OVERTIME_PEAK,
    PREFERENCES_AVOIDED,
    PREFERENCES_UNMET,
    SHIFT_COVER_OVER,
    SHIFT_COVER_SHORT,
    START_CHANGES,
    UNCOVERED,
    WEEKEND_SPREAD,
    Weights,
)


def uncovered_by_position(assignments: tuple[Assignment, ...], center: Center, requirements: Requirements,
                          history: History | None = None) -> dict[str, int]:
    """Uncovered position-hours per position, from the roster alone (whatever objective built it) and, with a
    previous roster, its shifts that run into the plan (domain.on_duty)."""
    scheduled = on_duty(assignments, center, requirements.horizon, history)
    return {p: int(np.maximum(required - scheduled[p], 0).sum())
            for p, required in requirements.required.items()}


def coverage_table(assignments: tuple[Assignment, ...], center: Center, rules: Rules,
                   requirements: Requirements, history: History | None = None) -> pd.DataFrame:
    """Per hour and position: required, scheduled (domain.on_duty: with a previous roster its shifts that run
    into the plan count), shortfall, overstaffed, and for call-taking positions the calls and predicted
    service."""
    horizon = requirements.horizon
    scheduled = on_duty(assignments, center, horizon, history)
    starts = [horizon.slot_start(s) for s in range(horizon.n_slots)]
    frames = []
    for position in center.positions:
        required, have = requirements.required[position.id], scheduled[position.id]
        frame = pd.DataFrame({
            "start": starts, "start_utc_offset": [utc_offset(s) for s in starts], "position": position.id,
            "required": required, "scheduled": have,
            "shortfall": np.maximum(required - have, 0), "overstaffed": np.maximum(have - required, 0),
        })
        queue = requirements.queues.get(position.id)
        if queue is not None:
            frame["calls"] = queue.calls.round(1)
            frame["aht_seconds"] = queue.aht.round(0)
            for name, values in service_metrics(queue, on_phones(have, rules), rules).items():
                frame[f"predicted_{name}"] = np.round(values, 3)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def runs(inside: np.ndarray) -> list[tuple[int, int]]:
    """Each contiguous run of true values as (its first index, the index past its last)."""
    edges = np.diff(np.concatenate(([0], inside.astype(int), [0])))
    return [(int(a), int(b)) for a, b in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1),
                                             strict=True)]


@dataclass(frozen=True)
class HourRange:
    """Contiguous hours of one position (local time) and the fewest and most seats required in them."""

    start: datetime
    end: datetime
    hours: int
    fewest_required: int
    most_required: int

    @property
    def when(self) -> str:
        """`Tue 12-01 02:00-06:00`, with the end's day when it is not the start's (24:00 for midnight)."""
        start, end = self.start, self.end
        day = f"{WEEKDAYS[start.weekday()]} {start:%m-%d}"
        if end.date() == start.date():
            return f"{day} {start:%H:%M}-{end:%H:%M}"
        if end.time() == time(0) and end.date() == start.date() + timedelta(days=1):
            return f"{day} {start:%H:%M}-24:00"
        return f"{day} {start:%H:%M}-{WEEKDAYS[end.weekday()]} {end:%m-%d %H:%M}"


LISTED_RANGES = 8  # empty ranges an alarm line names; a long plan's line stays readable


@dataclass(frozen=True)
class Alarm:
    """A position that takes no calls left empty or under its requirement (alarms)."""

    position: str
    name: str
    empty: tuple[HourRange, ...]  # nobody on duty while at least one seat is required
    short: tuple[HourRange, ...]  # someone on duty, fewer than required

    def __str__(self) -> str:
        """`Fire/EMS radio empty 14 h (0 of 2): Mon 11-30 16:00-18:00, ...; under its requirement another 8 h
        in 4 ranges`: the seats required while empty are the fewest and most over all its empty hours."""
        parts = [self._empty()] if self.empty else []
        if self.short:
            hours = sum(r.hours for r in self.short)
            ranges = f"{len(self.short)} range{'s' if len(self.short) > 1 else ''}"
            parts.append(f"under its requirement another {hours} h in {ranges}" if self.empty
                         else f"under its requirement {hours} h in {ranges}, never empty")
        return f"{self.name} {'; '.join(parts)}"

    def _empty(self) -> str:
        fewest = min(r.fewest_required for r in self.empty)
        most = max(r.most_required for r in self.empty)
        seats = f"{most}" if fewest == most else f"{fewest}-{most}"
        listed = ", ".join(r.when for r in self.empty[:LISTED_RANGES])
        more = len(self.empty) - LISTED_RANGES
        return (f"empty {sum(r.hours for r in self.empty)} h (0 of {seats}): {listed}"
                + (f" and {more} more" if more > 0 else ""))


def _hour_ranges(starts: list[datetime], required: np.ndarray, inside: np.ndarray) -> tuple[HourRange, ...]:
    ranges = []
    for first, past in runs(inside):
        # Real hours, not wall-clock ones: the range ends an hour after its last start.
        end = (starts[past - 1].astimezone(UTC) + timedelta(hours=1)).astimezone(starts[first].tzinfo)
        seats = required[first:past]
        ranges.append(HourRange(starts[first], end, past - first, int(seats.min()), int(seats.max())))
    return tuple(ranges)


def alarms(coverage: pd.DataFrame, center: Center) -> tuple[Alarm, ...]:
    """From the Coverage table (report.coverage_table: the workbook's numbers), per position whose kind is not
    call-taking, in the center's order, the hours with nobody on duty while a seat is required and, apart,
    those under the requirement with someone on duty, as contiguous ranges. Call-taking is left out: its
    shortfall shows as calls answered late (the simulated service), while an empty radio console or
    supervisor seat means calls dispatched late or no one in charge, whatever the queue does."""
    found = []
    for position, frame in coverage.groupby("position", sort=False):
        post = center.positions_by_id[position]
        if post.kind is PositionKind.CALL_TAKING:
            continue
        required, have = frame["required"].to_numpy(), frame["scheduled"].to_numpy()
        starts = [pd.Timestamp(t).to_pydatetime() for t in frame["start"]]
        empty = _hour_ranges(starts, required, (have == 0) & (required > 0))
        short = _hour_ranges(starts, required, (have > 0) & (have < required))
        if empty or short:
            found.append(Alarm(position, post.name, empty, short))
    return tuple(found)


# Each objective term's unit and the Weights field holding its weight (points per unit): the solver's
# breakdown and the checker give only the penalty, weight x amount.
TERM_UNITS: dict[str, tuple[str, str]] = {
    UNCOVERED: ("position-hours", "shortfall"),
    OVERSTAFFED: ("position-hours", "overstaffing"),
    LATE_CALLS: ("hundredths of a call", "late_call_hundredth"),
    CRITICAL: ("position-hours x (criticality - 1)", "shortfall"),
    SHIFT_COVER_SHORT: ("shifts x the cover row's under weight", "shift_cover"),
    SHIFT_COVER_OVER: ("shifts x the cover row's over weight", "shift_cover"),
    OVERTIME: ("hours", "overtime"),
    DENIED_REQUESTS: ("requests x weight x seniority multiplier", "day_off_request"),
    PREFERENCES_AVOIDED: ("shifts x weight x seniority multiplier", "shift_preference"),
    PREFERENCES_UNMET: ("shifts x weight x seniority multiplier", "shift_preference"),
    NIGHT_SPREAD: ("night shifts (most - fewest, summed over groups)", "night_spread"),
    WEEKEND_SPREAD: ("weekend shifts (most - fewest, summed over groups)", "weekend_spread"),
    OVERTIME_PEAK: ("hours (the most on one person, summed over groups)", "overtime_peak"),
    START_CHANGES: ("start times", "start_change"),
    # The one unit that depends on the weights: a volunteer called in costs volunteer_change, not change.
    CHANGES: ("changes (a volunteer called in counts {w.volunteer_change}/{w.change})", "change"),
}
PENALTY_COLUMNS = ["term", "amount", "unit", "weight", "penalty"]


def penalty_table(penalties: dict[str, float], weights: Weights) -> pd.DataFrame:
    """The workbook's Penalties sheet: per term of the objective (in `penalties`' order) its amount in the
    term's own unit, its weight and penalty = weight x amount in points, the objective's unit; a last row
    states that the objective is the sum of penalty, and that sum. A term weighted 0 has no amount to show."""
    rows = []
    for term, penalty in penalties.items():
        unit, field = TERM_UNITS[term]
        weight = getattr(weights, field)
        rows.append({"term": term, "amount": penalty / weight if weight else None,
                     "unit": unit.format(w=weights), "weight": weight, "penalty": penalty})
    rows.append({"term": "Objective (the sum of penalty)", "amount": sum(penalties.values()),
                 "unit": "points"})
    return pd.DataFrame(rows, columns=PENALTY_COLUMNS)


def simulate_roster(assignments: tuple[Assignment, ...], center: Center, rules: Rules,
                    requirements: Requirements, seed: int,
                    history: History | None = None) -> SimulatedService:
    """Simulated calls against the roster's call-takers on duty (domain.on_duty), less shrinkage."""
    scheduled = on_duty(assignments, center, requirements.horizon, history)
    answering = {p: on_phones(scheduled[p], rules) for p in requirements.queues}
    return simulate_queues(answering, requirements, rules, seed)


@dataclass(frozen=True)
class Summary:
    staff_scheduled: int
    staff_total: int
    authorized: int
    # (job class, vacant, authorized) per class of sheet Authorized
    vacancies: tuple[tuple[str, int, int], ...]
    shifts: int
    required_position_hours: int
    shortfall_position_hours: int
    overtime_hours: float
    alarms: tuple[Alarm, ...]  # positions that take no calls, left empty or under their requirement

    @property
    def coverage_pct(self) -> float:
        if not self.required_position_hours:
            return 100.0
        return 100.0 * (1 - self.shortfall_position_hours / self.required_position_hours)


def summarize(assignments: tuple[Assignment, ...], center: Center, coverage: pd.DataFrame,
              segments: list[PaySegment]) -> Summary:
    return Summary(
        staff_scheduled=len({a.employee_id for a in assignments}),
        staff_total=len(center.staff),
        authorized=center.authorized_total,
        vacancies=tuple((job_class, vacant, dict(center.authorized)[job_class])
                        for job_class, vacant in center.vacancies().items() if job_class != ALL_CLASSES),
        shifts=len(assignments),
        required_position_hours=int(coverage["required"].sum()),
        shortfall_position_hours=int(coverage["shortfall"].sum()),
        overtime_hours=sum(s.hours for s in segments if s.pay_code == "OT"),
        alarms=alarms(coverage, center),
    )
