"""The plan a roster is built for, and the staffing tables of its requirement: stages without file I/O.

Every object here pickles, so a scenario can run the stages in another process (README.md, "Python API").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from scheduler.domain import LEAVE_TYPES, Center, Forecast, History, Horizon, Requirements, Rules
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
    if rules.seniority_weighting:
        weighed = {r.employee_id for r in center.requests} | {p.employee_id for p in center.preferences}
        undated = [e.id for e in center.staff if e.id in weighed and e.hire_date is None]
        if undated:
            raise InputError("no hire_date, but the rules weigh this employee's requests by seniority",
                             file=center.source, sheet="Staff", column="hire_date", value=undated[0],
                             fix="give the hire date, or set [requests] seniority_weighting = false")


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


def lever_warnings(center: Center, rules: Rules, horizon: Horizon, cyclic: bool) -> tuple[str, ...]:
    """Staff whose overtime cap the rules on days in a row leave no room for: in every week of the plan (a
    `cyclic` one wraps onto itself, as without a previous roster) they can work at most their contract. One
    sentence per shift length and contract; none when every cap can be used."""
    groups: dict[tuple[int, float, int], list[str]] = {}
    for employee in center.staff:
        lengths = [t.hours for t in center.shifts if employee.can_work(t)]
        if employee.id in center.patterns_by_employee or rules.overtime_cap(employee) <= 0 or not lengths:
            continue  # a fixed pattern fixes the hours; no cap or no template: nothing to use
        floor = int(employee.min_weekly_hours // employee.shift_length)
        groups.setdefault((max(lengths), employee.contract_hours, floor), []).append(employee.id)
    found = []
    for (length, contract, floor), ids in groups.items():
        most = most_shifts_in_a_week(horizon.days, cyclic, rules.max_consecutive_days, rules.min_days_off,
                                     floor)
        if horizon.days >= 7 and most * length <= contract:
            plan = f"this {horizon.days}-day plan" + (", taken as a cycle," if cyclic else "")
            found.append(
                f"overtime can never be worked by {len(ids)} staff on {length}-h shifts and {contract:g}-h "
                f"contracts ({_some(ids)}): max_consecutive_days = {rules.max_consecutive_days} with "
                f"min_days_off = {rules.min_days_off} leaves at most {most} shifts ({most * length} h) in a "
                f"week of {plan} so their overtime cap goes unused (lower min_days_off"
                + (" or build with --previous" if cyclic else "") + " to use it)")
    return tuple(found)


def most_shifts_in_a_week(days: int, cyclic: bool, max_consecutive: int, min_off: int, floor: int) -> int:
    """The most shifts (one a day) one full week of a `days`-day plan can hold under the rules on days in a
    row (rules/consecutive.py, days_off.py: work runs of at most `max_consecutive` days; days off between two
    work days at least `min_off` in a row), every full week keeping at least `floor` shifts. A `cyclic` plan
    wraps onto itself; one that does not (a previous roster before it) may start and end with any run. Each
    rule is skipped on a plan too short for it, as the model skips it. Exact: a walk over the days whose state
    is the current run (worked or off, its length) and the shifts of the current week."""
    weeks = days // 7
    work_rule = days > max_consecutive or not cyclic
    off_rule = min_off >= 2 and (days >= min_off + 2 or not cyclic)
    cap = min(max(max_consecutive, min_off), days) + 1  # longer runs all behave alike
    # Cyclic: the pattern's last run, of each kind and length, stands before its first day. Otherwise a long
    # rest before the plan: nothing binds its first run.
    starts = [(kind, length) for kind in (0, 1) for length in range(1, cap + 1)] if cyclic else [(0, cap)]
    best = 0
    for target in range(weeks):
        for start in starts:
            ends = _walk(days, start, target, floor, max_consecutive if work_rule else days + cap,
                         min(min_off, cap) if off_rule else 0, cap)
            # A cycle closes where the last run, begun inside the plan, is the one assumed before day 0 (or
            # where one run fills the whole plan).
            best = max([best, *(shifts for (run, switched), shifts in ends.items()
                                if not cyclic or run == start and (switched or run[1] == cap))])
    return best


def _walk(days: int, start: tuple[int, int], target: int, floor: int, longest_work: int, least_off: int,
          cap: int) -> dict[tuple[tuple[int, int], bool], int]:
    """From `start` (the run before day 0), every reachable (run on the last day, whether any run began in
    the plan) -> the most shifts in week `target`, over the patterns whose full weeks each hold `floor`."""
    states = {(start, False, 0): 0}  # (run, switched, shifts this week) -> shifts in the target week
    for day in range(days):
        following: dict = {}
        for ((kind, length), switched, week_shifts), value in states.items():
            for worked in (0, 1):
                if worked == kind:
                    run, now_switched = (kind, min(length + 1, cap)), switched
                    if worked and run[1] > longest_work:
                        continue
                elif kind == 0 and length < least_off:
                    continue  # days off between two work days, too few
                else:
                    run, now_switched = (worked, 1), True
                shifts, gained = week_shifts + worked, value
                if day % 7 == 6:  # a full week ends
                    if shifts < floor:
                        continue
                    gained, shifts = (shifts if day // 7 == target else value), 0
                key = (run, now_switched, shifts)
                following[key] = max(following.get(key, -1), gained)
        states = following
    ends: dict[tuple[tuple[int, int], bool], int] = {}
    for (run, switched, _), value in states.items():
        ends[run, switched] = max(ends.get((run, switched), 0), value)
    return ends


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
