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
