"""The chains the CLI runs: build (forecast -> requirement -> roster -> checked workbook) and check."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from scheduler import __version__
from scheduler.checker import RosterCase, Violation, check_coverage_sheet, check_open_shifts, check_pay_codes
from scheduler.domain import (
    Assignment,
    Center,
    Forecast,
    History,
    Horizon,
    Leave,
    PastShift,
    Repair,
    Rules,
    worked_hours,
)
from scheduler.errors import InputError, SolveError
from scheduler.forecasting import backtest, choose_method, forecast
from scheduler.io.call_log import CallHistory, StreamMapping
from scheduler.io.center import read_center
from scheduler.io.forecast import read_forecast
from scheduler.io.roster_xlsx import (
    RosterFile,
    RosterTables,
    assignments_frame,
    read_roster,
    roster_grid,
    write_roster,
)
from scheduler.io.rules import read_rules
from scheduler.io.tables import ensure_folder, write_csv, write_workbook
from scheduler.model.data import ModelData
from scheduler.model.registry import check_rules, recompute_penalties
from scheduler.model.settings import SolverSettings
from scheduler.model.solve import Progress, SolveResult, relative_gap, solve
from scheduler.plots import plot_forecast
from scheduler.report import (
    Summary,
    coverage_table,
    open_shifts,
    pay_segments,
    simulate_roster,
    summarize,
)
from scheduler.staffing import (
    Requirements,
    SimulatedService,
    answering_comparison,
    compute_requirements,
    on_phones,
    requirement_table,
    simulate_queues,
)
from scheduler.weights import Weights


@dataclass(frozen=True)
class Inputs:
    center: Center
    rules: Rules
    forecast: Forecast
    horizon: Horizon
    requirements: Requirements
    paths: dict[str, Path]
    quantile: str
    history: History | None = None  # the previous roster's last days (--previous); None: the plan is a cycle


def load_inputs(center_path: Path, rules_path: Path, forecast_path: Path, week_start: date, days: int,
                quantile: str = "p50", previous_path: Path | None = None) -> Inputs:
    center = read_center(center_path)
    rules = read_rules(rules_path)
    unknown = sorted(set(rules.shortfall_caps) - set(center.positions_by_id))
    if unknown:
        raise InputError("[labor] max_shortfall names a position not in sheet Positions", file=rules_path,
                         value=unknown[0], fix=f"use one of {', '.join(center.positions_by_id)}")
    too_long = [s for s in center.shifts if s.hours + rules.holdover_hours > rules.max_hours_in_24 > 0]
    if too_long:
        raise InputError(f"shift {too_long[0].code} ({too_long[0].hours} h) with the {rules.holdover_hours:g} h holdover "
                         f"reserve is more than max_hours_in_24 = {rules.max_hours_in_24:g}: it could never be worked",
                         file=rules_path, fix="lower [labor] holdover_hours or raise max_hours_in_24 (0: no cap)")
    forecast = read_forecast(forecast_path)
    horizon = Horizon(week_start, days, rules.tz)
    requirements = compute_requirements(center, rules, forecast, horizon, quantile)
    paths = {"center_workbook": center_path, "rules_file": rules_path, "forecast_file": forecast_path}
    history = None
    if previous_path is not None:
        history = read_history(previous_path, center, rules, horizon)
        paths["previous_roster"] = previous_path
    return Inputs(center, rules, forecast, horizon, requirements, paths, quantile, history)


def read_history(path: Path, center: Center, rules: Rules, horizon: Horizon) -> History:
    """The shifts of a previous roster workbook that started in the days before the plan that matter
    (Rules.history_days), as worked (the optional Assignments column holdover_hours adds the hours held over past
    a shift's end), each at its position (a shift that runs past the plan's start covers its first hours there).
    The previous roster must end by the day before the plan's first; its employees who are not in the center are
    left out (History.ignored)."""
    try:
        roster = read_roster(path)
    except InputError as exc:
        if exc.message == "missing sheet":  # not a roster at all (the reader's fix speaks of center workbooks)
            exc.fix = "--previous takes a roster workbook that scheduler build wrote"
        raise
    first, days = roster.run["week_start"], roster.run["days"]
    last = first + timedelta(days=days - 1)
    if last >= horizon.start:
        raise InputError(f"the previous roster runs from {first} to {last}, not before the plan's first day "
                         f"{horizon.start}", file=path, sheet="Run",
                         fix="give the roster of the days before --week (or plan a later --week)")
    shifts, problems = _shifts_from_rows(roster.assignments, horizon)
    if problems:
        raise InputError(f"the previous roster is damaged: {problems[0]}", file=path, sheet="Assignments")
    held: dict[tuple, float] = defaultdict(float)
    for row in roster.assignments:  # a shift's segments (REG, OT) add up
        held[row["employee_id"], row["shift_date"], row["shift_code"]] += row["holdover_hours"]
    since = horizon.start - timedelta(days=rules.history_days)
    known = center.employees_by_id
    carried = tuple(PastShift(a.employee_id, a.day, a.position, a.start, a.end,
                              held[a.employee_id, a.day, a.shift_code])
                    for a in sorted(shifts, key=lambda a: (a.employee_id, a.start))
                    if a.employee_id in known and a.day >= since)
    ignored = tuple(sorted({a.employee_id for a in shifts} - set(known)))
    return History(path, horizon.start, rules.history_days, carried, ignored)


@dataclass(frozen=True)
class ForecastOutcome:
    history: CallHistory
    backtest: pd.DataFrame  # (method, stream) -> wape, bias, noise_floor, p90_coverage, hours
    method: str  # the method the forecast used
    table: pd.DataFrame  # the forecast file's rows
    csv: Path
    backtest_csv: Path
    plot: Path


def forecast_from_history(history: CallHistory, mapping: StreamMapping, week_start: date, weeks: int,
                          out_dir: Path, *, method: str = "auto", backtest_weeks: int = 8,
                          holiday_country: str = "US", holiday_subdiv: str | None = None) -> ForecastOutcome:
    """Call history -> backtest of every method -> the forecast file `staffing` and `build` read, with a plot."""
    ensure_folder(out_dir)
    counts = history.counts
    horizon = Horizon(week_start, 7 * weeks, ZoneInfo(history.timezone))
    start = pd.Timestamp(horizon.begin)
    needed = (backtest_weeks + 9) * 168  # every backtest origin needs 8 weeks of history before it
    if len(counts) < needed:
        raise InputError(f"the history holds {len(counts):,} hours; the backtest needs {needed:,} "
                         f"({backtest_weeks} test weeks after 9 weeks of history)", file=history.source,
                         fix="give a longer call history or a smaller --backtest-weeks")
    if start <= counts.index[0] + pd.Timedelta(weeks=8):
        raise InputError(f"the week of {week_start} starts before 8 weeks of history", file=history.source,
                         fix="choose a later --week")
    holiday_args = {"holiday_country": holiday_country, "holiday_subdiv": holiday_subdiv}
    try:
        table = backtest(counts, timezone=history.timezone, weeks=backtest_weeks, **holiday_args)
        chosen = choose_method(table) if method == "auto" else method
        predicted = forecast(counts, start, horizon.n_slots, method=chosen, timezone=history.timezone,
                             **holiday_args)
    except (NotImplementedError, KeyError) as exc:  # the holidays package knows no such country/subdivision
        raise InputError(f"unknown holiday calendar ({exc})", fix="use a country code like US and a state like PA")
    rows = []
    for moment, values in predicted.iterrows():
        local = moment.tz_convert(history.timezone).isoformat()
        for stream in mapping.streams:
            rows.append({"timestamp": local, "stream": stream, "calls_p50": round(values[stream, "p50"], 2),
                         "calls_p90": round(values[stream, "p90"], 2), "aht_seconds": mapping.aht_seconds[stream]})
    frame = pd.DataFrame(rows, columns=["timestamp", "stream", "calls_p50", "calls_p90", "aht_seconds"])
    stem = f"{_slug(history.source.stem, 'calls')}-{week_start}"
    csv, backtest_csv = out_dir / f"{stem}.csv", out_dir / f"{stem}-backtest.csv"
    write_csv(csv, frame)
    write_csv(backtest_csv, table.reset_index())
    plot = plot_forecast(counts, predicted, out_dir / f"{stem}.png", timezone=history.timezone,
                         title=f"{history.source.name}: {chosen} forecast from {week_start}, p50 and p90")
    return ForecastOutcome(history, table, chosen, frame, csv, backtest_csv, plot)


@dataclass(frozen=True)
class StaffingOutcome:
    table: pd.DataFrame  # hour x position (staffing.requirement_table)
    by_position: pd.DataFrame  # peak seats and seat-hours per position
    answering: pd.DataFrame  # pooled vs separate queues (staffing.answering_comparison)
    service: SimulatedService  # simulated calls against the required call-takers
    workbook: Path
    csv: Path


def staffing(inputs: Inputs, out_dir: Path, seed: int = 0) -> StaffingOutcome:
    """The requirement table `build` plans on, with the pooling comparison, written as .xlsx and .csv."""
    center, rules, horizon = inputs.center, inputs.rules, inputs.horizon
    table = requirement_table(inputs.requirements, center, rules)
    by_position = table.groupby("position", sort=False).agg(
        peak_seats=("required", "max"), seat_hours=("required", "sum")).reset_index()
    by_position["fte"] = (by_position["seat_hours"] / horizon.days * 365 / rules.net_hours_per_fte).round(1)
    answering = answering_comparison(center, rules, inputs.forecast, horizon, inputs.quantile)
    required = inputs.requirements.required
    service = simulate_queues({p: on_phones(required[p], rules) for p in inputs.requirements.queues},
                              inputs.requirements, rules, seed)
    ensure_folder(out_dir)
    stem = f"{output_stem(inputs)}-staffing"
    workbook, csv = out_dir / f"{stem}.xlsx", out_dir / f"{stem}.csv"
    run = [*_run_inputs(inputs), ("seed", seed),
           *((f"simulated_{key}", round(value, 4)) for key, value in service.total.items())]
    write_workbook(workbook, {"Requirements": table, "By position": by_position, "Pooling": answering,
                              "Simulated service": service.hourly,
                              "Run": pd.DataFrame(run, columns=["key", "value"])})
    write_csv(csv, table.assign(start=[s.isoformat() for s in table["start"]]))
    return StaffingOutcome(table, by_position, answering, service, workbook, csv)


def _run_inputs(inputs: Inputs) -> list[tuple[str, object]]:
    rules, horizon = inputs.rules, inputs.horizon
    return [
        ("center", rules.center_name), ("week_start", horizon.start.isoformat()), ("days", horizon.days),
        ("time_zone", rules.timezone), ("quantile", inputs.quantile),
        *((key, str(path.resolve())) for key, path in inputs.paths.items()),
        ("generated", datetime.now().isoformat(timespec="seconds")), ("scheduler_version", __version__),
    ]


@dataclass(frozen=True)
class BuildOutcome:
    result: SolveResult
    summary: Summary
    service: SimulatedService
    workbook: Path
    csv: Path


def check_roster(inputs: Inputs, shifts: list[Assignment], pay_rows: list[dict], coverage_rows: list[dict],
                 open_rows: list[dict]) -> list[Violation]:
    """Every check of the independent checker: hard rules, pay codes, and the Coverage and Open shifts sheets."""
    center, horizon, requirements = inputs.center, inputs.horizon, inputs.requirements
    return [
        *check_rules(RosterCase(tuple(shifts), center, inputs.rules, requirements, inputs.history)),
        *check_pay_codes(pay_rows, center, horizon),
        *check_coverage_sheet(coverage_rows, shifts, center, requirements, inputs.history),
        *check_open_shifts(open_rows, shifts, center, requirements, inputs.history),
    ]


def _rows(frame: pd.DataFrame) -> list[dict]:
    """Table rows as the checker reads them from a workbook, numbered as sheet rows (header is row 1)."""
    return [{**record, "row": number} for number, record in enumerate(frame.to_dict("records"), start=2)]


def _slug(name: str, fallback: str) -> str:
    """A file-name part: lower-case letters and digits joined by hyphens (never a leading dash)."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or fallback


def output_stem(inputs: Inputs) -> str:
    """`<center>-<first day>`, plus the plan length and quantile when not one week on the median, so runs of
    different plans never overwrite each other."""
    stem = f"{_slug(inputs.rules.center_name, 'center')}-{inputs.horizon.start.isoformat()}"
    if inputs.horizon.days != 7:
        stem += f"-{inputs.horizon.weeks}w"
    if inputs.quantile != "p50":
        stem += f"-{inputs.quantile}"
    return stem


def build(inputs: Inputs, out_dir: Path, settings: SolverSettings, weights: Weights = Weights(),
          on_progress: Callable[[Progress], None] | None = None, repair: Repair | None = None,
          callouts: tuple[Leave, ...] = ()) -> BuildOutcome:
    """Solve, check, simulate and write the roster. For a repair, `callouts` are leave added to the center and the
    Run sheet records them (and the repair time) so that `check` reads the same center."""
    center, rules, horizon = inputs.center, inputs.rules, inputs.horizon
    ensure_folder(out_dir)
    data = ModelData(center, rules, horizon, inputs.requirements, repair, inputs.history)
    result = solve(data, weights, settings, on_progress)
    segments = pay_segments(result.assignments, center, horizon)
    coverage = coverage_table(result.assignments, center, rules, inputs.requirements, inputs.history)
    summary = summarize(result.assignments, center, coverage, segments)
    assignments = assignments_frame(segments, center, horizon)

    posted = open_shifts(coverage, horizon)
    violations = check_roster(inputs, list(result.assignments), _rows(assignments), _rows(coverage), _rows(posted))
    # The solver's penalty variables are only bounded below, so before optimality they may overstate the roster's
    # true cost; the roster's own numbers are published, and a cost above the solver's would be a model bug.
    recomputed = recompute_penalties(RosterCase(result.assignments, center, rules, inputs.requirements,
                                                inputs.history, repair), weights)
    for name, value in recomputed.items():
        if value > result.penalties[name] + 1e-6:
            violations.append(Violation("objective", "", name, f"solver {result.penalties[name]:g}, "
                                                               f"recomputed {value:g}"))
    objective = sum(recomputed.values())
    result = replace(result, penalties=recomputed, objective=objective,
                     gap=0.0 if result.proven_optimal else relative_gap(objective, result.best_bound))
    if violations:  # a model bug, never the user's: refuse to publish the roster
        raise SolveError("the roster failed the independent check: " + "; ".join(map(str, violations[:5])))

    run = [
        *_run_inputs(inputs),
        ("status", result.status), ("objective", result.objective), ("best_bound", result.best_bound),
        ("gap", result.gap), ("solve_seconds", round(result.seconds, 2)), ("seed", settings.seed),
        ("workers", settings.workers), ("deterministic", settings.deterministic), ("strategy", result.strategy),
    ]
    if repair is not None:
        run += [("repaired_at", repair.now.isoformat()),
                ("callouts", "; ".join(f"{lv.employee_id} {lv.start}" for lv in callouts))]
    penalties = pd.DataFrame([(name, value) for name, value in result.penalties.items()],
                             columns=["rule", "penalty"])
    service = simulate_roster(result.assignments, center, rules, inputs.requirements, settings.seed, inputs.history)
    run += [(f"simulated_{key}", round(value, 4)) for key, value in service.total.items()]
    tables = RosterTables(run, roster_grid(result.assignments, center, horizon), assignments, coverage, posted,
                          service.hourly, penalties)
    workbook = out_dir / f"{output_stem(inputs)}{'-repaired' if repair else ''}.xlsx"
    csv = write_roster(workbook, tables)
    return BuildOutcome(result, summary, service, workbook, csv)


@dataclass(frozen=True)
class CheckOutcome:
    violations: list[Violation]
    shifts: int
    penalties: dict[str, float]


def _resolve(value: str, workbook: Path) -> Path:
    path = Path(value)
    return path if path.exists() else workbook.parent / path.name


def check_workbook(workbook: Path, center_path: Path | None = None, rules_path: Path | None = None,
                   forecast_path: Path | None = None) -> CheckOutcome:
    roster, inputs = _roster_and_inputs(workbook, center_path, rules_path, forecast_path)
    assignments, found = _shifts_from_rows(roster.assignments, inputs.horizon)
    found += check_roster(inputs, assignments, roster.assignments, roster.coverage, roster.open_shifts)
    case = RosterCase(tuple(assignments), inputs.center, inputs.rules, inputs.requirements, inputs.history)
    penalties = recompute_penalties(case, Weights())
    return CheckOutcome(found, len(assignments), penalties)


def _roster_and_inputs(workbook: Path, center_path: Path | None = None, rules_path: Path | None = None,
                       forecast_path: Path | None = None) -> tuple[RosterFile, Inputs]:
    """A roster workbook and the inputs its Run sheet names, with the call-outs of a repair as leave."""
    roster = read_roster(workbook)
    run = roster.run
    inputs = load_inputs(
        center_path or _resolve(str(run["center_workbook"]), workbook),
        rules_path or _resolve(str(run["rules_file"]), workbook),
        forecast_path or _resolve(str(run["forecast_file"]), workbook),
        run["week_start"], run["days"], run["quantile"],
        _resolve(run["previous_roster"], workbook) if "previous_roster" in run else None,
    )
    sick = tuple(Leave(employee, day_, day_, CALLOUT) for employee, day_ in run.get("callouts", ()))
    return roster, replace(inputs, center=replace(inputs.center, leave=inputs.center.leave + sick)) if sick else inputs


CALLOUT = "CALLOUT"


@dataclass(frozen=True)
class RepairOutcome:
    build: BuildOutcome
    changes: pd.DataFrame  # action, employee_id, employee_name, shift_date, shift_code, position, start, end
    changes_csv: Path


def repair_roster(workbook: Path, callouts: list[tuple[str, datetime, datetime]], now: datetime,
                  volunteers: frozenset[str], out_dir: Path, settings: SolverSettings,
                  on_progress: Callable[[Progress], None] | None = None) -> RepairOutcome:
    """Re-plan a published roster after call-outs: the called-out employee is off (as leave) on every day one of
    their shifts overlaps the call-out, shifts started before `now` stay, later ones change only where that buys
    coverage, volunteers called in first."""
    roster, inputs = _roster_and_inputs(workbook)
    published, problems = _shifts_from_rows(roster.assignments, inputs.horizon)
    if problems:
        raise InputError(f"the published roster is damaged: {problems[0]}", file=workbook, sheet="Assignments")
    tz = inputs.horizon.tz
    now = now.replace(tzinfo=tz) if now.tzinfo is None else now
    sick = []
    for employee_id, start, end in callouts:
        if employee_id not in inputs.center.employees_by_id:
            raise InputError("unknown employee in a call-out", value=employee_id, fix="use an id from sheet Staff")
        start, end = (m.replace(tzinfo=tz) if m.tzinfo is None else m for m in (start, end))
        if end <= start or start < now:
            raise InputError("a call-out runs from a time at or after --now to a later time",
                             value=f"{employee_id} {start:%Y-%m-%d %H:%M} {end:%Y-%m-%d %H:%M}")
        days = {a.day for a in published if a.employee_id == employee_id and a.start < end and a.end > start}
        sick += [Leave(employee_id, d, d, CALLOUT) for d in sorted(days or {start.date()})]
    volunteers_unknown = volunteers - set(inputs.center.employees_by_id)
    if volunteers_unknown:
        raise InputError("unknown volunteer", value=", ".join(sorted(volunteers_unknown)))
    center = replace(inputs.center, leave=inputs.center.leave + tuple(sick))
    outcome = build(replace(inputs, center=center), out_dir, settings, on_progress=on_progress,
                    repair=Repair(tuple(published), now, volunteers), callouts=tuple(sick))
    changes = _changes(published, outcome.result.assignments, now, center)
    changes_csv = outcome.workbook.with_name(f"{outcome.workbook.stem}-changes.csv")
    write_csv(changes_csv, changes)
    return RepairOutcome(outcome, changes, changes_csv)


def _changes(before: list[Assignment], after: tuple[Assignment, ...], now: datetime, center: Center) -> pd.DataFrame:
    """Shifts from `now` on that the repair removed or added; a removal and an addition for the same employee and
    day read as one move."""
    def key(a: Assignment) -> tuple:
        return a.employee_id, a.day, a.shift_code, a.position
    old = {key(a): a for a in before if a.start >= now}
    new = {key(a): a for a in after if a.start >= now}
    removed = [old[k] for k in old.keys() - new.keys()]
    added = [new[k] for k in new.keys() - old.keys()]
    moved_to = {(a.employee_id, a.day): a for a in added}
    rows = []
    for a in removed:
        target = moved_to.pop((a.employee_id, a.day), None)
        action = f"move to {target.shift_code} {target.position}" if target else "remove"
        rows.append((action, a))
    rows += [("call in", a) for a in moved_to.values()]
    frame = pd.DataFrame([{
        "action": action, "employee_id": a.employee_id, "employee_name": center.employees_by_id[a.employee_id].name,
        "shift_date": a.day, "shift_code": a.shift_code, "position": a.position,
        "start": a.start.replace(tzinfo=None), "end": a.end.replace(tzinfo=None)} for action, a in rows],
        columns=["action", "employee_id", "employee_name", "shift_date", "shift_code", "position", "start", "end"])
    return frame.sort_values(["shift_date", "start", "employee_id"], ignore_index=True)


def _shifts_from_rows(rows: list[dict], horizon: Horizon) -> tuple[list[Assignment], list[Violation]]:
    """Join the pay-code segments of each shift_id back into one shift; segments must be contiguous."""
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["shift_id"]].append(row)
    shifts, found = [], []
    for shift_id, parts in grouped.items():
        parts.sort(key=lambda r: r["start"])
        first = parts[0]
        same = all((p["employee_id"], p["position"], p["shift_code"], p["shift_date"]) ==
                   (first["employee_id"], first["position"], first["shift_code"], first["shift_date"]) for p in parts)
        contiguous = all(a["end"] == b["start"] for a, b in itertools.pairwise(parts))
        hours_ok = all(abs(worked_hours(p["start"], p["end"]) - p["hours"]) < 1e-6 for p in parts)
        if not (same and contiguous and hours_ok):
            found.append(Violation("assignment rows", first["employee_id"], f"row {first['row']}",
                                   f"shift_id {shift_id}: segments disagree (employee, position, times or hours)"))
        shifts.append(Assignment(first["employee_id"], first["shift_date"], first["shift_code"], first["position"],
                                 first["start"], parts[-1]["end"]))
    return shifts, found
