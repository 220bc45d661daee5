"""Roster tables for people: pay segments, coverage per hour and position, open shifts, summary numbers.

Pure data (pandas); writing files is io.roster_xlsx's job.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, timedelta

import numpy as np
import pandas as pd

from scheduler.domain import (
    Assignment,
    Center,
    History,
    Horizon,
    PaySegment,
    Requirements,
    Rules,
    on_duty,
    utc_offset,
)
from scheduler.staffing import SimulatedService, on_phones, service_metrics, simulate_queues


def pay_segments(assignments: tuple[Assignment, ...], center: Center, horizon: Horizon) -> list[PaySegment]:
    """Hours beyond contract hours in a workweek (counted from the horizon start) are overtime, in time
    order."""
    segments = []
    worked: dict[tuple[str, int], float] = defaultdict(float)
    for shift_id, a in enumerate(sorted(assignments, key=lambda a: (a.employee_id, a.start)), start=1):
        week = horizon.day_index(a.day) // 7
        contract = center.employees_by_id[a.employee_id].contract_hours
        regular = min(a.hours, max(0.0, contract - worked[a.employee_id, week]))
        worked[a.employee_id, week] += a.hours
        # Real hours, not wall-clock ones.
        split = (a.start.astimezone(UTC) + timedelta(hours=regular)).astimezone(horizon.tz)
        if regular > 0:
            segments.append(PaySegment(shift_id, a, a.start, split, regular, "REG"))
        if a.hours > regular:
            segments.append(PaySegment(shift_id, a, split, a.end, a.hours - regular, "OT"))
    return segments


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


def open_shifts(coverage: pd.DataFrame, horizon: Horizon) -> pd.DataFrame:
    """Uncovered position-hours as postable shifts: each contiguous run of hours short by at least k seats is
    one open shift at level k, so the rows' hours add up to the total shortfall."""
    rows = []
    for position, frame in coverage.groupby("position", sort=False):
        short = frame["shortfall"].to_numpy()
        for level in range(1, int(short.max(initial=0)) + 1):
            run_start = None
            for slot in range(len(short) + 1):
                inside = slot < len(short) and short[slot] >= level
                if inside and run_start is None:
                    run_start = slot
                elif not inside and run_start is not None:
                    start, end = horizon.slot_start(run_start), horizon.slot_start(slot)
                    rows.append({"position": position, "start": start, "end": end,
                                 "start_utc_offset": utc_offset(start), "end_utc_offset": utc_offset(end),
                                 "hours": slot - run_start, "seat": level})
                    run_start = None
    columns = ["position", "start", "end", "hours", "seat", "start_utc_offset", "end_utc_offset"]
    return pd.DataFrame(rows, columns=columns).sort_values(["start", "position", "seat"], ignore_index=True)


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
        authorized=sum(n for _, n in center.authorized),
        vacancies=tuple((job_class, vacant, dict(center.authorized)[job_class])
                        for job_class, vacant in center.vacancies().items()),
        shifts=len(assignments),
        required_position_hours=int(coverage["required"].sum()),
        shortfall_position_hours=int(coverage["shortfall"].sum()),
        overtime_hours=sum(s.hours for s in segments if s.pay_code == "OT"),
    )
