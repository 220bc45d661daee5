"""The payroll export's contract (docs/payroll-export.md): its version, its columns, and its sheets, CSV and
JSON, which io.roster_xlsx.write_roster writes in the roster's all-or-nothing set."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from scheduler.io.tables import Writer, csv_writer

# Within a version columns are only ever added at the end; anything else is a new version.
PAYROLL_CONTRACT = "scheduler-payroll/1"
LINE_COLUMNS = ("employee_id", "employee_name", "job_class", "position", "pay_period", "period_first_day",
                "period_last_day", "week", "date", "start", "end", "start_iso", "end_iso", "hours",
                "pay_code", "shift_code", "shift_id", "trainee", "training_officer_id")
PERIOD_COLUMNS = ("employee_id", "employee_name", "job_class", "span", "pay_period", "week", "first_day",
                  "last_day", "days_in_plan", "regular_hours", "overtime_hours", "holiday_hours",
                  "leave_hours", "unpaid_leave_hours", "total_paid_hours", "contract_hours",
                  "short_of_contract_hours")


@dataclass(frozen=True)
class Payroll:
    """The payroll export (payroll.payroll_tables): pay lines and their totals per employee, week and pay
    period, with the settings they follow (`about`: time zone, pay periods, holidays; the JSON's header)."""

    lines: pd.DataFrame  # LINE_COLUMNS
    periods: pd.DataFrame  # PERIOD_COLUMNS
    about: dict[str, Any] = field(default_factory=dict)

    def sheets(self) -> dict[str, pd.DataFrame]:
        """The roster workbook's sheets `Payroll` and `Pay periods`."""
        return {"Payroll": self.lines, "Pay periods": self.periods}

    def json(self) -> str:
        document = {"contract": PAYROLL_CONTRACT, **self.about,
                    "columns": list(LINE_COLUMNS), "lines": _records(self.lines),
                    "period_columns": list(PERIOD_COLUMNS), "periods": _records(self.periods)}
        return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def payroll_paths(workbook: Path) -> tuple[Path, Path]:
    """`<name>-payroll.csv` and `<name>-payroll.json` beside the roster workbook."""
    return (workbook.with_name(f"{workbook.stem}-payroll.csv"),
            workbook.with_name(f"{workbook.stem}-payroll.json"))


def payroll_writers(workbook: Path, payroll: Payroll) -> dict[Path, Writer]:
    """The CSV (date-times as `YYYY-MM-DD HH:MM`, as the Assignments CSV; shift ids whole numbers, which a
    column with blanks would turn into 1.0) and the JSON, for io.tables' write_files."""
    csv_path, json_path = payroll_paths(workbook)
    lines = payroll.lines
    lines = lines.assign(start=lines["start"].map(_minutes), end=lines["end"].map(_minutes),
                         shift_id=lines["shift_id"].map(_whole))
    return {csv_path: csv_writer(lines),
            json_path: lambda target: target.write_text(payroll.json(), encoding="utf-8")}


def _minutes(moment: Any) -> str | None:
    return None if moment is None else f"{moment:%Y-%m-%d %H:%M}"


def _whole(number: Any) -> str | None:
    return None if number is None else str(number)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{column: _plain(value) for column, value in row.items()} for row in frame.to_dict("records")]


def _plain(value: Any) -> Any:
    """A JSON value: dates and date-times as ISO 8601 text, numpy scalars as numbers, a missing value null."""
    if isinstance(value, date):  # a datetime too: local wall-clock, without an offset (start_iso has it)
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
