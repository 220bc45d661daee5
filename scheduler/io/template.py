"""A new center's first files (`scheduler init`): the center workbook with every sheet and column the reader
knows (io/center_sheets.py), a note on each header cell and drop-downs and checks on the cells below; one
example row per sheet, together a tiny center that builds; the rules file with every key and its default
(io/rules.py); and an example forecast of the plan week, so that `scheduler build` runs at once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from scheduler.domain import LEAVE_TYPES, NAMED_PATTERNS, Horizon, PositionKind
from scheduler.io.center_cells import (
    WholeIn,
    clock,
    cycle_pattern,
    hour_of_day,
    position_kind,
    positive_number,
    preference,
    weekdays,
    whole_hours,
)
from scheduler.io.center_sheets import SHEETS, Sheet
from scheduler.io.existing import refuse_to_replace
from scheduler.io.rules import rules_from, rules_text
from scheduler.io.sheets import Column, day, yes_no
from scheduler.io.tables import csv_writer, workbook_writer, write_files

CHECKED_ROWS = 5_000  # the data rows each column's drop-down or check covers
EXAMPLE_STREAM = "911"  # the example forecast's one stream, answered by the example's one position


@dataclass(frozen=True)
class Pick:
    """A drop-down: the rows of a named list (LISTS) or the values themselves. `several`: a comma-separated
    list of them is right too, so the drop-down only suggests; `other`: another value is allowed after a
    warning; else another value is refused."""

    values: str | tuple[str, ...]
    several: bool = False
    other: bool = False


# Named ranges over the key column of a sheet, from row 2 to its last filled row: a row added there (a new
# position, say) is in every drop-down that lists them.
LISTS = {"employee_ids": ("Staff", "employee_id"), "job_classes": ("Authorized", "job_class"),
         "shift_codes": ("Shifts", "code"), "position_ids": ("Positions", "position"),
         "qualifications": ("Positions", "qualification")}
PICKS = {
    ("Staff", "job_class"): Pick("job_classes"),
    ("Staff", "qualifications"): Pick("qualifications", several=True),
    ("Staff", "shifts"): Pick("shift_codes", several=True),
    ("Leave", "employee_id"): Pick("employee_ids"),
    ("Leave", "type"): Pick(LEAVE_TYPES, other=True),
    ("Requests", "employee_id"): Pick("employee_ids"),
    ("Preferences", "employee_id"): Pick("employee_ids"),
    ("Preferences", "shifts"): Pick("shift_codes", several=True),
    ("Pinned", "employee_id"): Pick("employee_ids"),
    ("Pinned", "shift_code"): Pick("shift_codes"),
    ("Pinned", "position"): Pick("position_ids"),
    ("Patterns", "employee_id"): Pick("employee_ids", several=True),
    ("Minimums", "position"): Pick("position_ids"),
}
HOURS = tuple(f"{hour:02d}:00" for hour in range(25))
PICKS_BY_PARSER = {
    yes_no: Pick(("yes", "no")), position_kind: Pick(tuple(k.value for k in PositionKind)),
    preference: Pick(("prefer", "avoid")), weekdays: Pick(("all", "weekday", "weekend"), several=True),
    cycle_pattern: Pick(tuple(NAMED_PATTERNS), several=True), clock: Pick(HOURS[:24]),
    hour_of_day: Pick(HOURS),
}
TEXT_PARSERS = (clock, hour_of_day)  # HH:MM kept as text: a spreadsheet would make it a time of day


@dataclass(frozen=True)
class Starter:
    """The files `scheduler init` writes."""

    center: Path
    rules: Path
    forecast: Path
    week: date


def write_starter(folder: Path, center_name: str, timezone: str, week: date, force: bool = False) -> Starter:
    """The center workbook, rules file and example forecast for the week of `week`, written as one set; files
    already there are replaced only with `force`."""
    starter = Starter(folder / "center.xlsx", folder / "rules.toml", folder / f"forecast-{week}.csv", week)
    if not force:
        for path, what in ((starter.center, "a center workbook"), (starter.rules, "a rules file"),
                           (starter.forecast, "a forecast")):
            refuse_to_replace((path,), what, instead="another folder")
    rules = rules_text(center_name, timezone)
    tz = rules_from(tomllib.loads(rules), starter.rules).tz  # a bad time zone stops here, nothing written
    write_files({
        starter.center: workbook_writer({sheet.name: _example_frame(sheet, week) for sheet in SHEETS},
                                        finish=_with_notes_and_checks),
        starter.rules: lambda target: target.write_text(rules, encoding="utf-8"),
        starter.forecast: csv_writer(example_forecast(Horizon(week, 7, tz))),
    })
    return starter


def example_rows(week: date) -> dict[str, dict[str, Any]]:
    """One row per sheet, together a legal center: a call-taker on a 5x8 pattern from the plan's first day,
    on leave that day, pinned to the day shift the next, asking for the sixth day off (a day off of the
    pattern, so granted) and preferring day shifts on weekdays."""
    return {
        "Staff": {"employee_id": "E001", "name": "Example, Alex", "job_class": "telecommunicator",
                  "qualifications": "CT", "cto": "no", "shift_length": 8, "shifts": "D8",
                  "contract_hours": 40, "max_overtime_hours": 8, "hire_date": date(2020, 1, 6)},
        "Leave": {"employee_id": "E001", "start_date": week, "end_date": week, "type": "VAC"},
        "Requests": {"employee_id": "E001", "date": week + timedelta(days=5), "weight": 1},
        "Preferences": {"employee_id": "E001", "preference": "prefer", "shifts": "D8", "days": "weekday",
                        "date": None, "weight": 1},
        "Pinned": {"employee_id": "E001", "date": week + timedelta(days=1), "shift_code": "D8",
                   "position": "call_taker"},
        "Patterns": {"employee_id": "E001", "pattern": "5x8", "anchor": week},
        "Shifts": {"code": "D8", "start": "07:00", "hours": 8, "label": "Day 8"},
        "Positions": {"position": "call_taker", "name": "Call-taker", "kind": "call_taking",
                      "qualification": "CT", "streams": EXAMPLE_STREAM, "calls_per_seat": None,
                      "criticality": 1},
        "Minimums": {"position": "call_taker", "days": "all", "from": "07:00", "to": "15:00", "minimum": 1},
        "Authorized": {"job_class": "telecommunicator", "authorized": 2},
    }


def example_forecast(horizon: Horizon) -> pd.DataFrame:
    """The example's forecast: stream 911, 3 calls an hour from 07:00 to 23:00 and 1 at night (p90 twice
    that), 240 s each, for every local hour of the plan."""
    starts = [horizon.slot_start(slot) for slot in range(horizon.n_slots)]
    calls = [3 if 7 <= start.hour < 23 else 1 for start in starts]
    return pd.DataFrame({"timestamp": [start.isoformat() for start in starts], "stream": EXAMPLE_STREAM,
                         "calls_p50": calls, "calls_p90": [2 * c for c in calls], "aht_seconds": 240})


def _example_frame(sheet: Sheet, week: date) -> pd.DataFrame:
    row = example_rows(week)[sheet.name]
    return pd.DataFrame([[row[c.name] for c in sheet.columns]], columns=[c.name for c in sheet.columns],
                        dtype=object)


def _with_notes_and_checks(wb: Workbook) -> None:
    """A note on each header cell, a drop-down or check on the cells below, and the named lists."""
    for sheet in SHEETS:
        ws = wb[sheet.name]
        for i, column in enumerate(sheet.columns, start=1):
            letter = get_column_letter(i)
            ws[f"{letter}1"].comment = _note(sheet, column, first=i == 1)
            cells = f"{letter}2:{letter}{CHECKED_ROWS + 1}"
            check = _check(sheet, column)
            if check is not None:
                check.add(cells)
                ws.add_data_validation(check)
            if column.parse in TEXT_PARSERS:
                ws.column_dimensions[letter].number_format = "@"
            elif column.parse is day:
                ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
    for name, (sheet_name, column_name) in LISTS.items():
        sheet = next(s for s in SHEETS if s.name == sheet_name)
        letter = get_column_letter(sheet.columns.index(sheet.column(column_name)) + 1)
        wb.defined_names[name] = DefinedName(name, attr_text=(
            f"OFFSET('{sheet_name}'!${letter}$2,0,0,MAX(1,COUNTA('{sheet_name}'!${letter}:${letter})-1),1)"))


def _note(sheet: Sheet, column: Column, first: bool) -> Comment:
    if column.required:
        need = "Required."
    elif column.default in (None, (), ""):
        need = "Optional: may be left blank."
    else:
        need = f"Optional: blank means {_shown(column.default)}."
    if first and not sheet.required:
        need += "\nThe sheet is optional: a center may delete it."
    comment = Comment(f"{column.name}: {column.note}\n{need}", "scheduler init")
    comment.width, comment.height = 320, 130
    return comment


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _check(sheet: Sheet, column: Column) -> DataValidation | None:
    """The column's drop-down or check: a Pick, a whole number's bounds, a date, a number above 0."""
    pick = PICKS.get((sheet.name, column.name)) or PICKS_BY_PARSER.get(column.parse)
    if pick is not None:
        values = pick.values if isinstance(pick.values, str) else '"' + ",".join(pick.values) + '"'
        return DataValidation("list", formula1=values, allow_blank=True, showErrorMessage=not pick.several,
                              errorStyle="warning" if pick.other else "stop", errorTitle=column.name,
                              error=column.note)
    if isinstance(column.parse, WholeIn) or column.parse is whole_hours:
        bounded = isinstance(column.parse, WholeIn)
        low, high = (column.parse.low, column.parse.high) if bounded else (0, None)
        return DataValidation("whole", operator="greaterThanOrEqual" if high is None else "between",
                              formula1=str(low), formula2=None if high is None else str(high),
                              allow_blank=True, showErrorMessage=True, errorTitle=column.name,
                              error=column.note)
    if column.parse is day:
        return DataValidation("date", operator="greaterThanOrEqual", formula1="1", allow_blank=True,
                              showErrorMessage=True, errorTitle=column.name, error="A date, e.g. 2026-12-07.")
    if column.parse is positive_number:
        return DataValidation("decimal", operator="greaterThan", formula1="0", allow_blank=True,
                              showErrorMessage=True, errorTitle=column.name, error=column.note)
    return None
