"""The roster workbook (HR's import contract, README "Roster workbook") and the Assignments CSV beside it.

Written as one set, all or nothing, with no cell a formula (io.tables).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from scheduler.domain import (
    Assignment,
    Center,
    Cut,
    Horizon,
    PaySegment,
    Violation,
    utc_offset,
    worked_hours,
)
from scheduler.errors import InputError
from scheduler.io.manifest import INPUTS, Manifest, Recorded, manifest_path
from scheduler.io.payroll import Payroll, payroll_paths, payroll_writers
from scheduler.io.roster_charts import add_charts, chart_table
from scheduler.io.roster_edits import edited, stamp, table_rows
from scheduler.io.roster_wall import Wall, dress, for_posting
from scheduler.io.sheets import Column, day, moment, number, open_workbook, read_rows, text, whole
from scheduler.io.tables import csv_writer, workbook_writer, write_files

ASSIGNMENT_COLUMNS = ("employee_id", "employee_name", "position", "start", "end", "hours", "pay_code",
                      "shift_code", "shift_date", "shift_id", "start_utc_offset", "end_utc_offset")


def local_naive(moment: datetime, horizon: Horizon) -> datetime:
    """Excel has no time zones: cells hold the center's local wall-clock time (the Run sheet names the
    zone)."""
    return moment.astimezone(horizon.tz).replace(tzinfo=None)


def assignments_frame(segments: list[PaySegment], center: Center, horizon: Horizon) -> pd.DataFrame:
    rows = [{
        "employee_id": s.assignment.employee_id,
        "employee_name": center.employees_by_id[s.assignment.employee_id].name,
        "position": s.assignment.position,
        "start": local_naive(s.start, horizon),
        "end": local_naive(s.end, horizon),
        "hours": s.hours,
        "pay_code": s.pay_code,
        "shift_code": s.assignment.shift_code,
        "shift_date": s.assignment.day,
        "shift_id": s.shift_id,
        "start_utc_offset": utc_offset(s.start),
        "end_utc_offset": utc_offset(s.end),
    } for s in segments]
    return pd.DataFrame(rows, columns=list(ASSIGNMENT_COLUMNS))


@dataclass(frozen=True)
class RosterTables:
    run: list[tuple[str, Any]]
    roster: Wall
    assignments: pd.DataFrame
    coverage: pd.DataFrame
    open_shifts: pd.DataFrame
    service: pd.DataFrame
    penalties: pd.DataFrame
    manifest: Manifest | None = None  # its rows end the Run sheet, its JSON goes beside the workbook
    target: tuple[float, float] | None = None  # the first service target (seconds, share), for sheet Charts
    payroll: Payroll | None = None  # sheets Payroll and Pay periods, its CSV and JSON beside the workbook


def _finisher(wall: Wall):
    def finish(wb) -> None:
        dress(wb["Roster"], wall)
        for_posting(wb["Open shifts"], wall)
        add_charts(wb)
        stamp(wb)
    return finish


def posting_path(workbook: Path) -> Path:
    """`<name>-open-shifts.csv`: the Open shifts sheet to post for sign-up (read back by `build --pinned`)."""
    return workbook.with_name(f"{workbook.stem}-open-shifts.csv")


def roster_files(path: Path) -> tuple[Path, ...]:
    """A roster's set: the workbook, `<name>-assignments.csv`, `<name>-open-shifts.csv` (posting_path),
    `<name>.manifest.json`, `<name>-payroll.csv` and `<name>-payroll.json` beside it."""
    return (path, path.with_name(f"{path.stem}-assignments.csv"), posting_path(path), manifest_path(path),
            *payroll_paths(path))


def write_roster(path: Path, tables: RosterTables, more: Mapping[Path, pd.DataFrame] | None = None) -> Path:
    """Write the workbook, the Assignments and Open shifts CSVs, the manifest's JSON and the payroll's CSV
    and JSON beside it (roster_files) and the CSVs in `more` (a repair's change list) as one set, all or
    nothing (io.tables.write_files); returns the Assignments CSV's path."""
    _, csv_path, posting_csv, json_path, *_ = roster_files(path)
    manifest, payroll = tables.manifest, tables.payroll
    workbook = workbook_writer({
        "Roster": tables.roster.frame, "Assignments": tables.assignments, "Coverage": tables.coverage,
        "Open shifts": tables.open_shifts, "Service": tables.service, "Penalties": tables.penalties,
        "Run": pd.DataFrame([*tables.run, *(manifest.rows() if manifest else [])], columns=["key", "value"]),
        "Charts": chart_table(tables.coverage, tables.service, tables.target),
        **(payroll.sheets() if payroll else {}),
    }, finish=_finisher(tables.roster))
    extra = {extra_path: csv_writer(frame) for extra_path, frame in (more or {}).items()}
    if manifest:
        extra[json_path] = lambda target: target.write_text(manifest.json(), encoding="utf-8")
    if payroll:
        extra |= payroll_writers(path, payroll)
    write_files({path: workbook, csv_path: csv_writer(tables.assignments),
                 posting_csv: csv_writer(tables.open_shifts), **extra})
    return csv_path


@dataclass(frozen=True)
class RosterFile:
    """What `check` reads back from a roster workbook."""

    path: Path
    run: dict[str, Any]
    assignments: list[dict[str, Any]]  # one per Assignments row, with its sheet row number under "row"
    coverage: list[dict[str, Any]]
    open_shifts: list[dict[str, Any]]
    # Per sheet (io.roster_edits.DIGESTS): edited since written (True), not (False), not known (None).
    edited: Mapping[str, bool | None] = field(default_factory=dict)
    # Sheet Roster's grid as (sheet row number, canonical text), header first (io.roster_edits.table_rows).
    roster_sheet: tuple[tuple[int, tuple[str, ...]], ...] = ()


def _offset(value: Any) -> timedelta:
    match = re.fullmatch(r"([+-])(\d\d):?(\d\d)", text(value))
    if not match:
        raise ValueError("expected a UTC offset like -06:00")
    sign = -1 if match[1] == "-" else 1
    return sign * timedelta(hours=int(match[2]), minutes=int(match[3]))


def _aware(rows: list[dict[str, Any]], tz: ZoneInfo, *names: str) -> list[dict[str, Any]]:
    """Local wall-clock cells made aware; the offset column, where present, settles DST-ambiguous hours."""
    for row in rows:
        for name in names:
            offset = row.get(f"{name}_utc_offset")
            naive = row[name]
            row[name] = (naive.replace(tzinfo=timezone(offset)).astimezone(tz) if offset is not None
                         else naive.replace(tzinfo=tz))
    return rows


def _holdover(value: Any) -> float:
    """Hours actually worked past a shift's scheduled end (optional column, filled in after the fact)."""
    hours = number(value)
    if not 0 <= hours <= 24:
        raise ValueError("holdover hours are between 0 and 24")
    return round(hours * 60) / 60  # whole minutes, as the model counts them


RUN_KEYS = {"week_start": day, "days": whole, "time_zone": text, "quantile": text, "center_workbook": text,
            "rules_file": text, "forecast_file": text}


def _run(path: Path, wb) -> dict[str, Any]:
    rows = {row["key"]: row for row in read_rows(
        path, wb, "Run", [Column("key", text), Column("value", lambda v: v, required=False)])}
    run = {}
    for key, parse in RUN_KEYS.items():
        if key not in rows:
            raise InputError(f"the Run sheet has no {key!r}", file=path, sheet="Run",
                             fix="check a workbook written by `scheduler build`")
        try:
            run[key] = parse(rows[key]["value"])
        except (ValueError, TypeError) as exc:
            raise InputError(str(exc), file=path, sheet="Run", row=rows[key].number, column="value",
                             value=rows[key]["value"]) from None
    run["inputs"] = _recorded(rows)
    run["recorded"] = {key: row["value"] for key, row in rows.items()}  # every row as written
    # A repaired roster: "E012 2026-12-02; E040 2026-12-03".
    if "callouts" in rows and rows["callouts"]["value"]:
        try:
            run["callouts"] = tuple((part.split()[0], day(part.split()[1]))
                                    for part in text(rows["callouts"]["value"]).split(";") if part.strip())
        except (ValueError, IndexError):
            raise InputError("expected 'employee date; ...'", file=path, sheet="Run",
                             row=rows["callouts"].number, column="value",
                             value=rows["callouts"]["value"]) from None
    if "cut_shifts" in rows and rows["cut_shifts"]["value"]:
        run["cuts"] = _cuts(path, rows["cut_shifts"])
    if run["quantile"] not in ("p50", "p90") or run["days"] < 1:
        raise InputError("quantile must be p50 or p90 and days at least 1", file=path, sheet="Run")
    try:
        run["tz"] = ZoneInfo(run["time_zone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError("unknown time zone", file=path, sheet="Run", value=run["time_zone"]) from None
    return run


def cut_record(cuts: Iterable[Cut]) -> str:
    """The Run sheet's `cut_shifts`: "E012 2026-12-01 2026-12-02T01:00:00-05:00; ..." (employee, the day the
    shift started, the call-out's moment with its UTC offset)."""
    return "; ".join(f"{cut.employee_id} {cut.day} {cut.end.isoformat()}" for cut in cuts)


def _cuts(path: Path, row: Any) -> tuple[Cut, ...]:
    try:
        parts = [part.split() for part in text(row["value"]).split(";") if part.strip()]
        return tuple(Cut(employee, day(shift_day), _aware_moment(end)) for employee, shift_day, end in parts)
    except ValueError:
        raise InputError("expected 'employee shift-date call-out-time-with-offset; ...'", file=path,
                         sheet="Run", row=row.number, column="value", value=row["value"]) from None


def _aware_moment(value: str) -> datetime:
    moment_ = datetime.fromisoformat(value)
    if moment_.tzinfo is None:
        raise ValueError("a call-out time needs its UTC offset")
    return moment_


def _recorded(rows: dict[str, Any]) -> dict[str, Recorded]:
    """The inputs the Run sheet names (the previous roster only when built with --previous), with the
    manifest's relative path and SHA-256 where it has them (not in a roster written before the manifest)."""
    def value(key: str) -> str | None:
        return text(rows[key]["value"]) if key in rows and rows[key]["value"] else None

    return {key: Recorded(Path(value(key)), value(f"{key}_relative"), value(f"{key}_sha256"))
            for key in INPUTS if value(key)}


ROSTER_SHEETS = ("Run", "Assignments", "Coverage", "Open shifts")


def read_roster(path: Path) -> RosterFile:
    wb = open_workbook(path)
    offset = {"required": False, "default": None}
    try:
        missing = next((sheet for sheet in ROSTER_SHEETS if sheet not in wb.sheetnames), None)
        if missing is not None:  # a center workbook given by mistake, most likely
            raise InputError("missing sheet", file=path, sheet=missing,
                             fix="this is not a roster workbook that scheduler wrote (give the .xlsx that "
                                 "scheduler build or repair wrote)")
        run = _run(path, wb)
        assignments = [{**row.values, "row": row.number} for row in read_rows(path, wb, "Assignments", [
            Column("employee_id", text), Column("position", text), Column("start", moment),
            Column("end", moment), Column("hours", number), Column("pay_code", text),
            Column("shift_code", text), Column("shift_date", day), Column("shift_id", whole),
            Column("start_utc_offset", _offset, **offset), Column("end_utc_offset", _offset, **offset),
            Column("holdover_hours", _holdover, required=False, default=0.0),
            Column("employee_name", text, required=False, default=""),  # calendars name the employee
        ])]
        coverage = [{**row.values, "row": row.number} for row in read_rows(path, wb, "Coverage", [
            Column("start", moment), Column("start_utc_offset", _offset, **offset), Column("position", text),
            Column("required", whole), Column("scheduled", whole), Column("shortfall", whole),
        ])]
        open_shifts = [{**row.values, "row": row.number} for row in read_rows(path, wb, "Open shifts", [
            Column("position", text), Column("start", moment), Column("end", moment),
            Column("start_utc_offset", _offset, **offset), Column("end_utc_offset", _offset, **offset),
            # Not in a sheet written before open shifts were cut into template blocks (whose runs fail the
            # check: build again).
            Column("date", day, required=False), Column("shift_code", text, required=False, default=""),
            Column("hours", number, required=False), Column("hours_short", whole, required=False),
        ])]
        edits = edited(wb, run["recorded"])
        grid = tuple(table_rows(wb["Roster"])) if "Roster" in wb.sheetnames else ()
    finally:
        wb.close()
    tz = run["tz"]
    return RosterFile(path, run, _aware(assignments, tz, "start", "end"), _aware(coverage, tz, "start"),
                      _aware(open_shifts, tz, "start", "end"), edits, grid)


def _shift_key(row: dict) -> tuple:
    return row["employee_id"], row["position"], row["shift_code"], row["shift_date"]


def shifts_from_rows(rows: list[dict]) -> tuple[list[Assignment], list[Violation]]:
    """Join the pay-code segments of each shift_id of an Assignments sheet back into one shift; segments must
    be contiguous."""
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["shift_id"]].append(row)
    shifts, found = [], []
    for shift_id, parts in grouped.items():
        parts.sort(key=lambda r: r["start"])
        first = parts[0]
        same = all(_shift_key(p) == _shift_key(first) for p in parts)
        contiguous = all(a["end"] == b["start"] for a, b in itertools.pairwise(parts))
        hours_ok = all(abs(worked_hours(p["start"], p["end"]) - p["hours"]) < 1e-6 for p in parts)
        if not (same and contiguous and hours_ok):
            found.append(Violation(
                "assignment rows", first["employee_id"], f"row {first['row']}",
                f"shift_id {shift_id}: segments disagree (employee, position, times or hours)"))
        shifts.append(Assignment(first["employee_id"], first["shift_date"], first["shift_code"],
                                 first["position"], first["start"], parts[-1]["end"]))
    return shifts, found


def roster_shifts(roster: RosterFile, path: Path, which: str) -> list[Assignment]:
    """A roster workbook's shifts (shifts_from_rows), refused when its Assignments rows disagree: the
    `which` ("published", "previous") roster is damaged."""
    shifts, problems = shifts_from_rows(roster.assignments)
    if problems:
        raise InputError(f"the {which} roster is damaged: {problems[0]}", file=path, sheet="Assignments")
    return shifts
