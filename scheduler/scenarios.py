"""The scenario stage: for every scenario and period, the workforce on roll, the requirement, a roster from
the same builder `build` uses (checked by the same independent checker), the call simulation, and the KPIs.
No file I/O; every task and result pickles, so periods run in any process (scheduler.scenario_runs).

A period is the first full week (Monday on) of its month, planned as a cycle like `build` without
--previous: each period stands alone, which is what lets them run side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from scheduler.demand import period_forecast, profile_start, weekly_profile
from scheduler.domain import TRAINEE, Assignment, Center, Forecast, Horizon, Leave, Pin, PositionKind, Rules
from scheduler.domain.scenario import Scenario, ScenarioSet, Training
from scheduler.errors import InputError, OutOfTime, SolveError
from scheduler.io.rules import with_overrides
from scheduler.model.settings import SolverSettings
from scheduler.plan import Plan, check_fit
from scheduler.roster import build_roster, simulate_service
from scheduler.staffing import compute_requirements
from scheduler.workforce import TRAINING_LEAVE, Projection, center_on, check_hiring

KPI_COLUMNS = ("scenario", "period_start", "status", "roster", "staff_on_roll", "trainees", "authorized",
               "required_position_hours", "shortfall_position_hours", "overtime_hours", "overtime_cost",
               "payroll_cost", "fte_required", "fte_on_roll", "service_level")


def periods(scenarios: ScenarioSet, every: int | None = None) -> tuple[date, ...]:
    """The Monday of each period's first full week: one per `every` months (the file's by default) over the
    horizon's months."""
    step = every or scenarios.every
    found = []
    for offset in range(0, scenarios.months, step):
        first = _month_start(scenarios.start.year, scenarios.start.month - 1 + offset)
        found.append(first + timedelta(days=(7 - first.weekday()) % 7))
    return tuple(found)


def _month_start(year: int, month_index: int) -> date:
    """The first day of the month `month_index` months after January of `year` (0: January)."""
    return date(year + month_index // 12, month_index % 12 + 1, 1)


def horizon_end(scenarios: ScenarioSet) -> date:
    """The day after the horizon: the first of the month `months` after the start's month."""
    return _month_start(scenarios.start.year, scenarios.start.month - 1 + scenarios.months)


@dataclass(frozen=True)
class PeriodTask:
    """Everything one period of one scenario needs: the run depends on nothing else."""

    scenario: Scenario
    start: date
    first: date  # the first period: attrition is drawn from it
    center: Center  # today's center
    rules: Rules  # the scenario's rules (base with its overrides)
    profile: pd.DataFrame  # demand.weekly_profile of the base forecast
    base_start: date  # the week the profile was taken from
    forecast_source: Any
    quantile: str
    training: Training
    emergency_streams: tuple[str, ...]
    hourly_pay: tuple[tuple[str, float], ...]
    seed: int
    settings: SolverSettings


@dataclass(frozen=True)
class PeriodResult:
    scenario: str
    start: date
    kpis: dict[str, Any]  # KPI_COLUMNS and more (on roll per qualification, each target)
    hourly: pd.DataFrame  # per hour: 9-1-1 calls and the simulated share of them within each target
    shifts: tuple[Assignment, ...] = ()  # the roster (another plan of the same period may start from it)


def scenario_tasks(scenarios: ScenarioSet, center: Center, rules: Rules, raw_rules: dict, forecast: Forecast,
                   settings: SolverSettings, every: int | None = None) -> tuple[PeriodTask, ...]:
    """One task per scenario and period, in that order, once every reference and hiring plan is checked. The
    base forecast's first local week is the profile carried forward."""
    starts = periods(scenarios, every)
    check_references(scenarios, center, forecast.streams, horizon_end(scenarios))
    check_hiring(center, scenarios, starts, scenarios.training)
    first_day = profile_start(forecast, rules.tz)
    profile = weekly_profile(forecast, first_day, rules.tz)
    ruled = {s.name: _fitting(center, scenario_rules(rules, raw_rules, s, scenarios.source), s, scenarios)
             for s in scenarios.scenarios}
    return tuple(
        PeriodTask(scenario, start, starts[0], center, ruled[scenario.name], profile, first_day,
                   forecast.source, scenarios.quantile, scenarios.training, scenarios.emergency_streams,
                   scenarios.hourly_pay, scenarios.seed, settings)
        for scenario in scenarios.scenarios for start in starts)


def run_period(task: PeriodTask, reference: PeriodResult | None = None) -> PeriodResult:
    """Project the workforce and demand, size the requirement, build and check the roster, simulate calls. A
    roster not found in the time limit is searched for once more at twice the limit (KPI `time_limit_s`). A
    period without a roster (none found even then, or rules that cannot all hold) is a result too:
    its `status` says why and its other KPIs are empty, so one hard week does not lose the others.

    `reference`: this period's result for a plan whose roster suits this one (chaining.starts_from: its
    staff are all on roll here, its calls no fewer; `hire`'s smaller class). Where this plan's own roster
    does worse than it (a short solve's luck), the roster becomes its shifts kept (pinned) with the other
    staff added around them, else exactly its shifts (the same seats: common random numbers play the same
    callers, or some of them), each kept only where it is no worse (_no_worse); KPI `roster` says which."""
    projection = center_on(task.center, task.scenario, task.start, task.first, task.seed, task.training)
    horizon = Horizon(task.start, 7, task.rules.tz)
    forecast = period_forecast(task.profile, task.base_start, horizon, task.scenario.demand,
                               task.forecast_source)
    requirements = compute_requirements(projection.center, task.rules, forecast, horizon, task.quantile)
    result = _rostered(task, projection, Plan(projection.center, task.rules, requirements), forecast)
    if reference is None or reference.kpis.get("status") != "ok" or _no_worse(result, reference):
        return result
    # Around the reference's shifts, else exactly them: for the same calls that is the same service; for
    # fewer, with each queue's mix of streams kept (uniform growth, longer handle times), never more late
    # calls nor shortfall, though its shares can rise with the calls (a caller added at a quiet moment is
    # answered at once), so it is held to those two only. Where none holds, its own roster stays.
    around = _around(reference, projection)
    completed = _rostered(task, around, Plan(around.center, task.rules, requirements), forecast)
    if _no_worse(completed, reference):
        completed.kpis["roster"] = f"around {reference.scenario!r}"
        return completed
    theirs = _around(reference, projection, only_theirs=True)
    kept = _rostered(task, theirs, Plan(theirs.center, task.rules, requirements), forecast)
    if _no_worse(kept, reference, shares=False):
        kept.kpis["roster"] = f"as {reference.scenario!r}"
        return kept
    result.kpis["roster"] = f"own: no roster of {reference.scenario!r} does as well"
    return result


def _no_worse(result: PeriodResult, than: PeriodResult, shares: bool = True) -> bool:
    """Shortfall no larger and, for each target, no more 9-1-1 calls answered late in the week (up to the
    simulation's shares being rounded to 4 decimals); with `shares`, also the week's share within it no
    lower, and its hourly shares, sorted, each no lower (as many hours or more meet any share)."""
    if result.kpis.get("status") != "ok":
        return False
    if result.kpis["shortfall_position_hours"] > than.kpis["shortfall_position_hours"]:
        return False
    rounding = 2e-4 * max(result.hourly["calls_911"].sum(), than.hourly["calls_911"].sum())
    for column in (c for c in than.hourly.columns if c.startswith("answered_within_")):
        seconds = column.removeprefix("answered_within_")
        if result.hourly[f"late_{seconds}"].sum() > than.hourly[f"late_{seconds}"].sum() + rounding:
            return False
        hours = np.sort(result.hourly[column].to_numpy()), np.sort(than.hourly[column].to_numpy())
        if shares and (result.kpis[f"911_within_{seconds}"] < than.kpis[f"911_within_{seconds}"]
                       or (hours[0] < hours[1] - 1e-12).any()):
            return False
    return True


def _around(reference: PeriodResult, projection: Projection, only_theirs: bool = False) -> Projection:
    """The projection with the reference's shifts pinned; its trainees who had no shift there (new hires
    among them) wait off the floor this week, so that the training officers carry whom they carried; with
    `only_theirs`, everyone without a shift there is off the floor (the roster is then exactly theirs). The
    week off is the one center_on gives (a TRAIN leave of the whole week); the workbook's own leave stays."""
    center, start = projection.center, reference.start
    last = start + timedelta(days=6)
    worked = {a.employee_id for a in reference.shifts}
    pins = tuple(Pin(a.employee_id, a.day, a.shift_code, a.position) for a in reference.shifts
                 if a.employee_id in center.employees_by_id)
    off = tuple(e.id for e in center.staff if e.id not in worked and e.id not in projection.classroom
                and (only_theirs or e.is_trainee))
    added = {(e, start, last, TRAINING_LEAVE)
             for e in (*projection.classroom, *projection.waiting)}  # center_on's own weeks off
    kept = tuple(lv for lv in center.leave
                 if (lv.employee_id, lv.start, lv.end, lv.type) not in added or lv.employee_id not in worked)
    present = {(lv.employee_id, lv.start, lv.end, lv.type) for lv in kept}
    week = tuple(Leave(e, start, last, TRAINING_LEAVE) for e in off
                 if (e, start, last, TRAINING_LEAVE) not in present)
    return Projection(replace(center, pins=center.pins + pins, leave=kept + week), projection.classroom,
                      tuple(e for e in off if center.employees_by_id[e].is_trainee))


def _rostered(task: PeriodTask, projection: Projection, plan: Plan, forecast: Forecast) -> PeriodResult:
    center, settings = projection.center, task.settings
    try:
        try:
            roster = build_roster(plan, settings)
        except OutOfTime:  # one solver thread can miss a first roster in a short limit: again, twice as long
            settings = replace(settings, time_limit_s=2 * settings.time_limit_s)
            roster = build_roster(plan, settings)
    except SolveError as exc:
        return PeriodResult(task.scenario.name, task.start, {
            "scenario": task.scenario.name, "period_start": task.start, "staff_on_roll": len(center.staff),
            "status": f"no roster: {exc}"}, pd.DataFrame())
    if not roster.passed:  # the same refusal as build: a roster the checker rejects is never counted
        raise SolveError(f"scenario {task.scenario.name!r}, week of {task.start}: the roster failed the "
                         f"independent check: {'; '.join(map(str, roster.violations[:3]))}")
    service = simulate_service(plan, roster, task.seed)
    hourly = _hourly(service, _emergency_calls(forecast, plan, task.emergency_streams), plan, task.rules)
    kpis = _kpis(task, projection, plan, roster, hourly) | {"time_limit_s": settings.time_limit_s}
    return PeriodResult(task.scenario.name, task.start, kpis, hourly, roster.result.assignments)


def _emergency_calls(forecast: Forecast, plan: Plan, streams: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Per call-taking position, the 9-1-1 calls per hour of its queue (the streams named, or those whose
    name starts with 911)."""
    horizon = plan.horizon
    frame = forecast.frame
    wanted = set(streams) if streams else {s for s in frame["stream"].unique() if str(s).startswith("911")}
    slots = ((frame["timestamp"] - horizon.begin) / pd.Timedelta(hours=1)).astype(int).to_numpy()
    found = {}
    for position in plan.center.positions:
        if position.kind is not PositionKind.CALL_TAKING:
            continue
        calls = np.zeros(horizon.n_slots)
        mine = frame["stream"].isin(set(position.streams) & wanted).to_numpy()
        np.add.at(calls, slots[mine], frame["calls_p50"].to_numpy()[mine])
        found[position.id] = calls
    return found


def _hourly(service, emergency: dict[str, np.ndarray], plan: Plan, rules: Rules) -> pd.DataFrame:
    """Per hour of the period: 9-1-1 calls, the share of them answered within each target (every queue's
    simulated share weighted by its 9-1-1 calls) and the simulated 9-1-1 calls per run answered later or
    never (each queue's late calls times its share of 9-1-1 calls: with the same roster, no more calls give
    no fewer late ones, common random numbers)."""
    horizon = plan.horizon
    calls = sum(emergency.values(), np.zeros(horizon.n_slots))
    frame = pd.DataFrame({"start": [horizon.slot_start(s) for s in range(horizon.n_slots)],
                          "calls_911": calls})
    for target in rules.service_targets:
        column = f"answered_within_{target.seconds:g}s"
        within, late = np.zeros(horizon.n_slots), np.zeros(horizon.n_slots)
        for position, per_hour in emergency.items():
            rows = service.hourly[service.hourly["position"] == position] if len(service.hourly) else ()
            queue = plan.requirements.queues[position].calls
            emergency_share = np.divide(per_hour, queue, out=np.zeros(horizon.n_slots), where=queue > 0)
            if len(rows):  # an hour the simulation offered no call lost none
                share = np.nan_to_num(rows[column].to_numpy(), nan=1.0)
                late += rows["offered"].to_numpy() * (1 - share) * emergency_share
            else:  # a queue nobody staffs all week answers nothing
                share = np.zeros(horizon.n_slots)
                late += per_hour
            within += per_hour * share
        frame[column] = np.divide(within, calls, out=np.ones(horizon.n_slots), where=calls > 0)
        frame[f"late_{target.seconds:g}s"] = late
    return frame


def _kpis(task: PeriodTask, projection: Projection, plan: Plan, roster, hourly: pd.DataFrame
          ) -> dict[str, Any]:
    center, rules, summary = plan.center, task.rules, roster.summary
    calls = hourly["calls_911"].to_numpy()
    pay = dict(task.hourly_pay)

    def rate_of(employee_id: str) -> float:
        return pay.get(center.employees_by_id[employee_id].job_class, 0.0)
    segments = roster.pay
    rate = segments["employee_id"].map(rate_of)
    off_floor = (*projection.classroom, *projection.waiting)  # paid to learn, never rostered
    learning = sum(center.employees_by_id[e].contract_hours * rate_of(e) for e in off_floor)
    overtime = (segments["pay_code"] == "OT").to_numpy()
    paid, multiplier = (segments["hours"] * rate).to_numpy(), rules.overtime_pay_multiplier
    certified = [e for e in center.staff if e.job_class != TRAINEE]
    required = summary.required_position_hours
    kpis: dict[str, Any] = {
        "status": "ok",
        "roster": "own",  # or another plan's, kept or built around (run_period)
        "scenario": task.scenario.name,
        "period_start": task.start,
        "staff_on_roll": len(center.staff),
        "trainees": len(center.staff) - len(certified),
        "authorized": center.authorized_total,
        "required_position_hours": required,
        "shortfall_position_hours": summary.shortfall_position_hours,
        "overtime_hours": round(summary.overtime_hours, 1),
        "overtime_cost": round(float((paid * multiplier)[overtime].sum()), 2),
        "payroll_cost": round(float((paid * np.where(overtime, multiplier, 1.0)).sum()) + learning, 2),
        "fte_required": round(required / plan.horizon.days * 365 / rules.net_hours_per_fte, 1),
        "fte_on_roll": round(sum(e.contract_hours for e in certified) / 40.0, 1),
    }
    for target in rules.service_targets:
        column = f"answered_within_{target.seconds:g}s"
        share = float((hourly[column] * calls).sum() / calls.sum()) if calls.sum() else 1.0
        kpis[f"911_within_{target.seconds:g}s"] = round(share, 4)
        kpis[f"911_late_{target.seconds:g}s"] = round(float(hourly[f"late_{target.seconds:g}s"].sum()), 1)
        meeting = hourly[column].to_numpy() >= target.fraction - 1e-9
        name = f"hours_meeting_{target.fraction:g}_within_{target.seconds:g}s"
        kpis[name] = round(float(meeting.mean()), 4)
    kpis["service_level"] = kpis[f"911_within_{rules.service_targets[0].seconds:g}s"]
    for qualification in sorted({p.qualification for p in center.positions}):
        kpis[f"on_roll_{qualification}"] = sum(qualification in e.qualifications for e in certified)
    short = roster.coverage.groupby("position", sort=False)["shortfall"].sum()
    for position in center.positions:
        kpis[f"short_{position.id}"] = int(short.get(position.id, 0))
    kpis["in_academy"], kpis["trainees_waiting"] = len(projection.classroom), len(projection.waiting)
    return kpis


def scenario_rules(base: Rules, raw: dict, scenario: Scenario, source) -> Rules:
    """The base rules with the scenario's overrides (already checked by io.scenarios)."""
    return with_overrides(raw, dict(scenario.rules), source) if scenario.rules else base


def _fitting(center: Center, rules: Rules, scenario: Scenario, scenarios: ScenarioSet) -> Rules:
    """The scenario's rules, refused (naming the scenario) where they do not fit the center
    (plan.check_fit)."""
    try:
        check_fit(center, rules)
    except InputError as exc:
        raise InputError(exc.message, file=scenarios.source, scenario=scenario.name, key="rules",
                         value=exc.value, fix=exc.fix) from None
    return rules


def check_references(scenarios: ScenarioSet, center: Center, streams: tuple[str, ...],
                     horizon_end: date) -> None:
    """Every name a scenario uses exists in the center or the forecast, and every date lies in the horizon:
    one InputError naming the file, the scenario and the key otherwise."""
    for scenario in scenarios.scenarios:
        found = (_hire_problem(scenarios, center, scenario, horizon_end) or _name_problem(center, scenario)
                 or _stream_problem(scenario, streams))
        if found:
            key, message, value, fix = found
            raise InputError(message, file=scenarios.source, scenario=scenario.name, key=key, value=value,
                             fix=fix)


Problem = tuple[str, str, Any, str] | None  # key, message, value, fix


def _hire_problem(scenarios: ScenarioSet, center: Center, scenario: Scenario, horizon_end: date) -> Problem:
    known = {e.job_class for e in center.staff} | {j for j, _ in center.authorized}
    job_classes = sorted(known - {TRAINEE})
    lengths = {s.hours for s in center.shifts}
    qualifications = sorted({p.qualification for p in center.positions})
    for number, academy in enumerate(scenario.hires, start=1):
        key = f"hire[{number}]"
        if academy.job_class not in job_classes:
            return (f"{key}.job_class", "unknown job class", academy.job_class,
                    f"use one of {', '.join(job_classes)}")
        if academy.shift_length not in lengths:
            return (f"{key}.shift_length", "no shift template of this length", academy.shift_length,
                    f"use one of {', '.join(map(str, sorted(lengths)))} h (sheet Shifts)")
        unknown = sorted((academy.call_taking | academy.radio) - set(qualifications))
        if unknown:
            return (key, "a qualification no position needs", unknown[0],
                    f"use one of {', '.join(qualifications)}")
        if not scenarios.start <= academy.start < horizon_end:
            last = horizon_end - timedelta(days=1)
            return (f"{key}.start", f"outside the horizon ({scenarios.start} to {last})", str(academy.start),
                    "move the class or the horizon")
    return None


def _name_problem(center: Center, scenario: Scenario) -> Problem:
    lengths = {s.hours for s in center.shifts}
    if scenario.shift_hours and not set(scenario.shift_hours) & lengths:
        return ("shift_hours", "no shift template of these lengths", list(scenario.shift_hours),
                f"use some of {', '.join(map(str, sorted(lengths)))} (sheet Shifts)")
    job_classes = {e.job_class for e in center.staff} | {j for j, _ in center.authorized}
    for key, pairs in (("attrition", scenario.attrition), ("authorized", scenario.authorized)):
        unknown = [j for j, _ in pairs if j not in job_classes]
        if unknown:
            return key, "unknown job class", unknown[0], f"use one of {', '.join(sorted(job_classes))}"
    for number, separation in enumerate(scenario.separations, start=1):
        if separation.employee_id not in center.employees_by_id:
            return (f"separations[{number}].employee", "unknown employee", separation.employee_id,
                    "use an id from sheet Staff")
    return None


def _stream_problem(scenario: Scenario, streams: tuple[str, ...]) -> Problem:
    demand = scenario.demand
    named = [*(s for s, _ in (*demand.growth, *demand.handle_time) if s != "*"),
             *(d.stream for d in demand.diversions), *(d.to for d in demand.diversions if d.to)]
    unknown = [s for s in named if s not in streams]
    if unknown:
        return ("demand", "a stream the forecast does not have", unknown[0],
                f"use one of {', '.join(streams)} (or *)")
    return None
