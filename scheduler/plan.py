"""The plan a roster is built for, and the staffing tables of its requirement: stages without file I/O.

Every object here pickles, so a scenario can run the stages in another process (README.md, "Python API").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from scheduler.domain import Center, Forecast, History, Horizon, Requirements, Rules
from scheduler.errors import InputError
from scheduler.staffing import (
    SimulatedService,
    answering_comparison,
    on_phones,
    requirement_table,
    simulate_queues,
)


def check_fit(center: Center, rules: Rules, rules_file: Path | None = None) -> None:
    """Refuse rules that name a position the center lacks, or that no shift of the center could ever satisfy;
    `rules_file`, when known, is named in the error."""
    unknown = sorted(set(rules.vacancy_caps) - set(center.positions_by_id))
    if unknown:
        raise InputError("[labor] max_shortfall names a position not in sheet Positions", file=rules_file,
                         value=unknown[0], fix=f"use one of {', '.join(center.positions_by_id)}")
    too_long = [s for s in center.shifts if s.hours + rules.holdover_hours > rules.max_hours_in_24 > 0]
    if too_long:
        shift = too_long[0]
        raise InputError(f"shift {shift.code} ({shift.hours} h) with the {rules.holdover_hours:g} h holdover "
                         f"reserve is more than max_hours_in_24 = {rules.max_hours_in_24:g}: it could never "
                         "be worked", file=rules_file,
                         fix="lower [labor] holdover_hours or raise max_hours_in_24 (0: no cap)")


LEAVE_TYPES = ("VAC", "SICK", "TRAIN", "FMLA", "COMP")  # docs/center-workbook.md, sheet Leave


def input_warnings(center: Center, forecast: Forecast, horizon: Horizon) -> tuple[str, ...]:
    """What the inputs allow but a center would not mean: qualifications no position needs (a typo in sheet
    Staff or Positions: those staff are never scheduled on it), leave of a type the workbook does not define
    (taken as leave all the same), forecast streams no position answers (their calls are planned for by no
    one). One sentence each; none when nothing is suspicious."""
    needed = {p.qualification for p in center.positions}
    unused: dict[str, list[str]] = {}
    for employee in center.staff:
        for qualification in sorted(employee.qualifications - needed):
            unused.setdefault(qualification, []).append(employee.id)
    found = [f"qualification {q} ({_some(ids)}) is needed by no position in sheet Positions"
             for q, ids in unused.items()]
    known = ", ".join(LEAVE_TYPES)
    found += [f"leave type {lv.type!r} ({lv.employee_id} from {lv.start}) is none of {known}: taken as leave "
              "all the same" for lv in center.leave if lv.type not in LEAVE_TYPES]
    frame = forecast.frame
    if frame.empty:  # no forecast rows (a plan built from code): no stream to look at
        return tuple(found)
    answered = {s for p in center.positions for s in p.streams}
    in_plan = frame[(frame["timestamp"] >= horizon.begin) & (frame["timestamp"] < horizon.end)]
    for stream in forecast.streams:
        if stream not in answered:
            calls = in_plan.loc[in_plan["stream"] == stream, "calls_p50"].sum()
            found.append(f"forecast stream {stream} ({calls:,.0f} calls in the plan) is answered by no "
                         "position in sheet Positions: its calls are planned for by no one")
    return tuple(found)


def _some(ids: list[str]) -> str:
    return ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")


@dataclass(frozen=True)
class Plan:
    """What a roster is built for: the center, its rules, the seats required per position and hour over the
    plan (staffing.compute_requirements) and, optionally, the previous roster's last days (without them the
    plan is a repeating cycle). Constructing one checks that the rules fit the center (check_fit)."""

    center: Center
    rules: Rules
    requirements: Requirements
    history: History | None = None

    def __post_init__(self) -> None:
        check_fit(self.center, self.rules)

    @property
    def horizon(self) -> Horizon:
        return self.requirements.horizon


@dataclass(frozen=True)
class Staffing:
    """The requirement as tables: what `scheduler staffing` prints and writes."""

    table: pd.DataFrame  # hour x position (staffing.requirement_table)
    by_position: pd.DataFrame  # peak seats, seat-hours and FTE per position
    answering: pd.DataFrame  # pooled vs separate queues (staffing.answering_comparison)
    service: SimulatedService  # simulated calls against the required call-takers


def staffing_tables(plan: Plan, forecast: Forecast, quantile: str = "p50", seed: int = 0) -> Staffing:
    """The requirement per hour and position, its totals, the pooling comparison on the forecast (at the
    quantile the requirement was computed on) and simulated calls against the required call-takers."""
    center, rules, horizon = plan.center, plan.rules, plan.horizon
    table = requirement_table(plan.requirements, center, rules)
    by_position = table.groupby("position", sort=False).agg(
        peak_seats=("required", "max"), seat_hours=("required", "sum")).reset_index()
    by_position["fte"] = (by_position["seat_hours"] / horizon.days * 365 / rules.net_hours_per_fte).round(1)
    answering = answering_comparison(center, rules, forecast, horizon, quantile)
    required = plan.requirements.required
    service = simulate_queues({p: on_phones(required[p], rules) for p in plan.requirements.queues},
                              plan.requirements, rules, seed)
    return Staffing(table, by_position, answering, service)
