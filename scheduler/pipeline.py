"""The chains the CLI runs, each read files -> stages -> write files: forecast, staffing, build, check and
repair. The stages themselves (scheduler.plan, .roster, .repair, .call_forecast) read and write nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

import pandas as pd

from scheduler import __version__
from scheduler.call_forecast import CallForecast, forecast_calls
from scheduler.domain import Assignment, Forecast, Horizon, Leave, Pin
from scheduler.errors import InputError, SolveError
from scheduler.io.call_log import CallHistory
from scheduler.io.center import read_center
from scheduler.io.existing import earlier, refuse_to_replace
from scheduler.io.forecast import read_forecast
from scheduler.io.history import read_history
from scheduler.io.manifest import Manifest, sha256
from scheduler.io.pins import read_signups
from scheduler.io.roster_charts import add_charts, chart_table
from scheduler.io.roster_wall import Wall, roster_grid
from scheduler.io.roster_xlsx import (
    RosterFile,
    RosterTables,
    cut_record,
    read_roster,
    roster_files,
    roster_shifts,
    write_roster,
)
from scheduler.io.rules import read_rules
from scheduler.io.tables import csv_writer, ensure_folder, write_csv, write_files, write_workbook
from scheduler.model.result import INTERRUPTED
from scheduler.model.settings import SolverSettings
from scheduler.model.solve import Progress
from scheduler.payroll import partial_pay_periods, plan_holidays
from scheduler.plan import Plan, Staffing, check_fit, input_warnings, lever_warnings, staffing_tables
from scheduler.plots import plot_forecast
from scheduler.repair import CALLOUT, Callout, repair_roster, request_repair
from scheduler.report import penalty_table
from scheduler.roster import Roster, build_roster, simulate_service
from scheduler.staffing import SimulatedService, compute_requirements
from scheduler.weights import Weights


@dataclass(frozen=True, kw_only=True)
class Inputs(Plan):
    """A plan as read from files, with the forecast and quantile its requirement came from and the files,
    which the Run sheet records so that `check` and `repair` read the same plan back."""

    forecast: Forecast
    quantile: str
    paths: dict[str, Path]
    # The SHA-256 of each file in `paths`, taken when it was read: the roster's manifest records them.
    digests: dict[str, str] = field(default_factory=dict)
    signups: tuple[Pin, ...] = ()  # the pins read from a filled posting of open shifts (also in center.pins)

    @cached_property
    def warnings(self) -> tuple[str, ...]:
        """Legal but suspicious inputs and rules (plan.input_warnings, plan.lever_warnings), pay periods the
        plan cuts (payroll.partial_pay_periods): printed, and kept in the Run sheet."""
        return (*input_warnings(self.center, self.forecast, self.horizon),
                *lever_warnings(self.center, self.rules, self.horizon, cyclic=self.history is None),
                *partial_pay_periods(self.rules, self.horizon))


def load_inputs(center_path: Path, rules_path: Path, forecast_path: Path, week_start: date, days: int,
                quantile: str = "p50", previous_path: Path | None = None, pinned_path: Path | None = None
                ) -> Inputs:
    """The plan's inputs read and checked; `pinned_path`: a filled posting of open shifts, whose sign-ups are
    pinned beside the center workbook's sheet Pinned (io.pins.read_signups)."""
    center = read_center(center_path)
    rules = read_rules(rules_path)
    check_fit(center, rules, rules_path)
    forecast = read_forecast(forecast_path)
    horizon = Horizon(week_start, days, rules.tz)
    requirements = compute_requirements(center, rules, forecast, horizon, quantile)
    paths = {"center_workbook": center_path, "rules_file": rules_path, "forecast_file": forecast_path}
    history = None
    if previous_path is not None:
        history = read_history(previous_path, center, rules, horizon)
        paths["previous_roster"] = previous_path
    signups = ()
    if pinned_path is not None:
        signups = read_signups(pinned_path, center, horizon)
        center = replace(center, pins=center.pins + signups)
        paths["pinned_file"] = pinned_path
    return Inputs(center, rules, requirements, history, forecast=forecast, quantile=quantile, paths=paths,
                  digests={key: sha256(path) for key, path in paths.items()}, signups=signups)


@dataclass(frozen=True)
class ForecastOutcome:
    forecast: CallForecast
    csv: Path
    backtest_csv: Path
    plot: Path


def forecast_from_history(history: CallHistory, week_start: date, weeks: int,
                          out_dir: Path, *, method: str = "auto", backtest_weeks: int = 8,
                          holiday_country: str = "US", holiday_subdiv: str | None = None) -> ForecastOutcome:
    """Call history -> backtest of the methods -> the forecast file `staffing` and `build` read, with a
    plot. A refused forecast makes no folder."""
    made = forecast_calls(history, week_start, weeks, method=method, backtest_weeks=backtest_weeks,
                          holiday_country=holiday_country, holiday_subdiv=holiday_subdiv)
    ensure_folder(out_dir)  # after the forecast: a refused one creates no folder
    stem = f"{_slug(history.source.stem, 'calls')}-{week_start}"
    csv, backtest_csv = out_dir / f"{stem}.csv", out_dir / f"{stem}-backtest.csv"
    write_files({csv: csv_writer(made.table), backtest_csv: csv_writer(made.backtest.reset_index())})
    title = f"{history.source.name}: {made.method} forecast from {week_start}, p50 and p90"
    plot = plot_forecast(history.counts, made.predicted, out_dir / f"{stem}.png", timezone=history.timezone,
                         title=title, past=made.past)
    return ForecastOutcome(made, csv, backtest_csv, plot)


@dataclass(frozen=True)
class StaffingOutcome:
    staffing: Staffing
    workbook: Path
    csv: Path


def staffing(inputs: Inputs, out_dir: Path, seed: int = 0, force: bool = False) -> StaffingOutcome:
    """The requirement table `build` plans on, with the pooling comparison, written as .xlsx and .csv; one
    already there is replaced only with `force`."""
    stem = f"{output_stem(inputs)}-staffing"
    workbook, csv = out_dir / f"{stem}.xlsx", out_dir / f"{stem}.csv"
    if not force:
        refuse_to_replace((workbook, csv), "a requirement table")
    tables = staffing_tables(inputs, inputs.forecast, inputs.quantile, seed)
    ensure_folder(out_dir)
    run = [*_run_inputs(inputs, _now()), ("seed", seed), *_simulated(tables.service)]
    first = inputs.rules.service_targets[0]
    charts = chart_table(tables.table, tables.service.hourly, (first.seconds, first.fraction),
                         seats=("floor", "required"))
    write_workbook(workbook, {"Requirements": tables.table, "By position": tables.by_position,
                              "Pooling": tables.answering, "Simulated service": tables.service.hourly,
                              "Run": pd.DataFrame(run, columns=["key", "value"]), "Charts": charts},
                   finish=add_charts)
    write_csv(csv, tables.table.assign(start=[s.isoformat() for s in tables.table["start"]]))
    return StaffingOutcome(tables, workbook, csv)


def _now() -> str:
    """The local time with its UTC offset: one moment wherever read (calendars stamp events with it)."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _run_inputs(inputs: Inputs, generated: str) -> list[tuple[str, object]]:
    rules, horizon = inputs.rules, inputs.horizon
    return [
        ("center", rules.center_name), ("week_start", horizon.start.isoformat()), ("days", horizon.days),
        ("time_zone", rules.timezone), ("quantile", inputs.quantile),
        *((key, str(path.resolve())) for key, path in inputs.paths.items()),
        ("generated", generated), ("scheduler_version", __version__),
        *([("warnings", "; ".join(inputs.warnings))] if inputs.warnings else []),
    ]


def _simulated(service: SimulatedService) -> list[tuple[str, float]]:
    return [(f"simulated_{key}", round(value, 4)) for key, value in service.total.items()]


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


@dataclass(frozen=True)
class BuildOutcome:
    roster: Roster
    service: SimulatedService | None  # None: the simulation failed (`draft` says so)
    workbook: Path
    csv: Path
    # Why the roster was written as a draft (`<stem>-draft.xlsx`), not to be published; None: published.
    draft: str | None = None


class RosterRefused(SolveError):
    """The roster failed the independent check (a model bug): refused, and kept as a draft the message
    names."""


def publish(inputs: Inputs, roster: Roster, settings: SolverSettings, workbook: Path,
             repair_rows: list[tuple[str, object]], weights: Weights,
             changes: pd.DataFrame | None = None) -> BuildOutcome:
    """Simulate the roster's service and write the workbook (its Run sheet: the inputs, the solve, the
    repair's `repair_rows`, the simulated service, the manifest), the Assignments CSV and the manifest's JSON.
    A roster that failed the check is refused (RosterRefused), one whose simulation, tables or workbook failed
    is kept (BuildOutcome.draft): both are written as a draft, never thrown away. A repair's `changes` are
    written in the same set, beside whichever workbook is written."""
    result = roster.result
    generated = _now()
    manifest = Manifest.of(__version__, generated, inputs.paths, inputs.digests, workbook.parent, settings)
    run = [
        *_run_inputs(inputs, generated),
        ("status", result.status), ("objective", result.objective), ("best_bound", result.best_bound),
        ("gap", result.gap), ("solve_seconds", round(result.seconds, 2)), ("seed", settings.seed),
        ("workers", settings.workers),
        ("deterministic", settings.deterministic and result.status != INTERRUPTED),
        ("strategy", result.strategy),
        *repair_rows,
    ]
    if not roster.passed:  # a model bug, never the user's: refuse to publish the roster
        reason = "the roster failed the independent check: " + "; ".join(map(str, roster.violations[:5]))
        draft, _ = _write_draft(workbook, run, manifest, roster, reason, changes)
        raise RosterRefused(f"{reason}; kept as a draft, not to be published: {draft}")
    service, step = None, "the simulation"
    try:
        service = simulate_service(inputs, roster, settings.seed)
        step = "the report tables"
        penalties = penalty_table(result.penalties, weights)
        grid = wall(inputs, result.assignments)
        first = inputs.rules.service_targets[0]
        tables = RosterTables([*run, *_simulated(service)], grid, roster.pay, roster.coverage,
                              roster.open_shifts, service.hourly, penalties, manifest,
                              (first.seconds, first.fraction), roster.payroll)
        step = "the workbook"
        csv = write_roster(workbook, tables, _change_list(workbook, changes))
    # Whatever failed after the solve (a bug, the workbook open in Excel), the solved roster is kept.
    except Exception as exc:  # noqa: BLE001
        reason = " ".join(f"{step} failed: {type(exc).__name__}: {exc}".split())  # one line
        draft, csv = _write_draft(workbook, run, manifest, roster, reason, changes)
        return BuildOutcome(roster, service, draft, csv, draft=reason)
    return BuildOutcome(roster, service, workbook, csv)


def wall(inputs: Inputs, shifts: Iterable[Assignment]) -> Wall:
    """Sheet Roster of a roster of `shifts` on these inputs."""
    return roster_grid(shifts, inputs.center, inputs.rules, inputs.horizon,
                       plan_holidays(inputs.rules, inputs.horizon))


def _write_draft(workbook: Path, run: list[tuple[str, object]], manifest: Manifest, roster: Roster,
                 reason: str, changes: pd.DataFrame | None) -> tuple[Path, Path]:
    """`<stem>-draft.xlsx` (and its CSV): the roster's own sheets, those `check` reads, and the Run sheet with
    the reason (key "draft"); the report's sheets left empty, as one of them may be what failed."""
    draft = workbook.with_name(f"{workbook.stem}-draft.xlsx")
    empty = pd.DataFrame()
    tables = RosterTables([*run, ("draft", reason)], Wall.empty(), roster.pay, roster.coverage,
                          roster.open_shifts, empty, empty, manifest, payroll=roster.payroll)
    return draft, write_roster(draft, tables, _change_list(draft, changes))


def _change_list(workbook: Path, changes: pd.DataFrame | None) -> dict[Path, pd.DataFrame]:
    """A repair's change list, `<workbook stem>-changes.csv`, for the same set as its workbook."""
    return {} if changes is None else {_changes_path(workbook): changes}


def roster_path(inputs: Inputs, out_dir: Path) -> Path:
    return out_dir / f"{output_stem(inputs)}.xlsx"


def earlier_roster(workbook: Path) -> Path | None:
    """A roster already at `workbook`'s name (its workbook, CSV or manifest)."""
    return earlier(roster_files(workbook))


def build(inputs: Inputs, out_dir: Path, settings: SolverSettings, weights: Weights = Weights(),
          on_progress: Callable[[Progress], None] | None = None, force: bool = False) -> BuildOutcome:
    """Solve, check, simulate and write the roster; a roster that fails the check or whose report fails is
    written only as a draft (publish). A roster already there is replaced only with `force` (refused before
    the solve)."""
    workbook = roster_path(inputs, out_dir)
    if not force:
        refuse_to_replace(roster_files(workbook), "a roster")
    _refuse_to_replace_signups(inputs, workbook)
    ensure_folder(out_dir)
    roster = build_roster(inputs, settings, weights, on_progress)
    return publish(inputs, roster, settings, workbook, [], weights)


def _refuse_to_replace_signups(inputs: Inputs, workbook: Path) -> None:
    """The sign-ups (`--pinned`) are an input the roster records: the new roster's own posting, or workbook,
    written over them would lose them and fail `check`'s verification."""
    pinned = inputs.paths.get("pinned_file")
    if pinned is not None and pinned.resolve() in {path.resolve() for path in roster_files(workbook)}:
        raise InputError("the roster built would be written over its own sign-ups", file=pinned,
                         fix="build into another --out folder, or save the filled posting under another name")


def roster_and_inputs(workbook: Path, center_path: Path | None = None, rules_path: Path | None = None,
                       forecast_path: Path | None = None) -> tuple[RosterFile, Inputs]:
    """A roster workbook and the inputs its Run sheet names, with the call-outs of a repair as leave. Each
    input is found from the roster's folder first (io.manifest.Recorded.find) and must be the file the roster
    was built with (its recorded SHA-256); an input given instead is the caller's choice, not verified."""
    roster = read_roster(workbook)
    run = roster.run
    given = {"center_workbook": center_path, "rules_file": rules_path, "forecast_file": forecast_path}
    found = {key: given.get(key) or recorded.verified(workbook, key)
             for key, recorded in run["inputs"].items()}
    inputs = load_inputs(found["center_workbook"], found["rules_file"], found["forecast_file"],
                         run["week_start"], run["days"], run["quantile"], found.get("previous_roster"),
                         found.get("pinned_file"))
    sick = tuple(Leave(employee, day_, day_, CALLOUT) for employee, day_ in run_callouts(roster))
    if sick:
        inputs = replace(inputs, center=inputs.center.with_callouts(sick))
    return roster, inputs


@dataclass(frozen=True)
class RepairOutcome:
    build: BuildOutcome
    changes: pd.DataFrame  # repair.roster_changes
    changes_csv: Path


def repair_workbook(workbook: Path, callouts: tuple[Callout, ...], now: datetime, volunteers: frozenset[str],
                    out_dir: Path, settings: SolverSettings,
                    on_progress: Callable[[Progress], None] | None = None,
                    force: bool = False) -> RepairOutcome:
    """Re-plan a published roster workbook after call-outs (scheduler.repair) and write the repaired roster,
    its Run sheet recording the call-outs and the repair time so that `check` reads the same center, and the
    change list beside it; a repaired roster already there is replaced only with `force`."""
    roster, inputs = roster_and_inputs(workbook)
    repaired_path = out_dir / f"{output_stem(inputs)}-repaired.xlsx"
    if not force:
        refuse_to_replace((*roster_files(repaired_path), _changes_path(repaired_path)), "a repaired roster")
    published = roster_shifts(roster, workbook, "published")
    request = request_repair(inputs, tuple(published), callouts, now, volunteers, roster.run.get("cuts", ()))
    ensure_folder(out_dir)
    repaired = repair_roster(request, settings, on_progress)
    # Every call-out so far: a repaired roster repaired again keeps the earlier ones (as leave and cuts).
    callouts_so_far = (*run_callouts(roster), *((lv.employee_id, lv.start) for lv in request.callouts))
    repair_rows = [("repaired_at", request.repair.now.isoformat()),
                   ("callouts", "; ".join(f"{employee} {day_}" for employee, day_ in callouts_so_far)),
                   ("cut_shifts", cut_record(request.repair.cuts))]
    outcome = publish(replace(inputs, center=request.plan.center), repaired.roster, settings, repaired_path,
                       repair_rows, Weights(), repaired.changes)
    return RepairOutcome(outcome, repaired.changes, _changes_path(outcome.workbook))


def run_callouts(roster: RosterFile) -> tuple[tuple[str, date], ...]:
    """The call-outs a repaired roster's Run sheet records: (employee id, day off)."""
    return roster.run.get("callouts", ())


def _changes_path(workbook: Path) -> Path:
    return workbook.with_name(f"{workbook.stem}-changes.csv")
