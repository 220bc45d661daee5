"""A call history file (CSV or XLSX) as a frame of text cells, for io.call_log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scheduler.errors import InputError
from scheduler.io.sheets import CALL_LOG, open_workbook, read_csv_cells, sheet_rows


def read_table(path: Path, sheet: str | None) -> tuple[pd.DataFrame, str | None]:
    """Every cell as stripped text ("" when empty), blank rows dropped, and the sheet read (None for a CSV
    file).

    A CSV frame's index is the row's position (file row - 2), a sheet's index is its row number."""
    if not path.exists():
        raise InputError("file not found", file=path, fix="check the path")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame = read_csv_cells(path)
        frame.columns = [str(c).strip() for c in frame.columns]
        stripped = frame.apply(lambda c: c.str.strip())
    elif suffix in (".xlsx", ".xlsm"):
        frame, sheet = _read_sheet(path, sheet)
        stripped = frame
    else:
        raise InputError("not a .csv or .xlsx file", file=path, fix="save the call log as .csv or .xlsx")
    blank = (stripped == "").all(axis=1).to_numpy()
    frame = stripped[~blank]
    if frame.empty:
        raise InputError("no data rows", file=path, sheet=sheet,
                         fix="the first row is the header, calls below it")
    return frame, sheet


def _read_sheet(path: Path, sheet: str | None) -> tuple[pd.DataFrame, str]:
    """A worksheet as text cells; the index is the sheet's row number (the header is row 1)."""
    workbook = open_workbook(path, CALL_LOG)
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise InputError("missing sheet", file=path, sheet=sheet,
                             fix=f"the sheets are {', '.join(workbook.sheetnames)}")
        name = sheet if sheet is not None else workbook.sheetnames[0]
        rows = sheet_rows(path, workbook, name, CALL_LOG)  # row 1, then the rows that hold a value
    finally:
        workbook.close()
    if not rows:
        raise InputError("empty sheet", file=path, sheet=name,
                         fix="the first row is the header, calls below it")
    width = max(len(values) for _, values in rows)
    header = [_cell_text(h) for h in rows[0][1]] + [""] * (width - len(rows[0][1]))
    body = [[_cell_text(v) for v in values] + [""] * (width - len(values)) for _, values in rows[1:]]
    frame = pd.DataFrame(body, columns=header, index=[number for number, _ in rows[1:]], dtype=str)
    return frame.loc[:, [bool(h) for h in header]], name


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        # Excel stores date-times as fractions of a day: 18:00 may come back as 17:59:59.999999.
        return pd.Timestamp(value).round("ms").isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def find_column(frame: pd.DataFrame, name: str, path: Path, sheet: str | None) -> str:
    if name in frame.columns:
        return name
    folded = [c for c in frame.columns if c.lower() == name.strip().lower()]
    if len(folded) == 1:
        return folded[0]
    raise InputError(f"missing column {name!r}", file=path, sheet=sheet, row=1, column=name,
                     fix=f"the columns are {', '.join(map(str, frame.columns))}; name the one to use")


@dataclass(frozen=True)
class CallTable:
    """A call log's rows and the columns asked for, to name the first bad cell of a column."""

    path: Path
    sheet: str | None  # None: a CSV file
    frame: pd.DataFrame
    columns: dict[str, str]  # column asked for -> the file's header

    def cells(self, column: str) -> pd.Series:
        return self.frame[self.columns[column]]

    def row_number(self, position: int) -> int:
        """The file's row number of the frame's row at `position` (a CSV's header is row 1)."""
        return int(self.frame.index[position]) + (2 if self.sheet is None else 0)

    def error(self, position: int, column: str, message: str, fix: str | None,
              value: Any = None) -> InputError:
        """An InputError naming the row at `position` and its cell of `column` (or `value`)."""
        shown = self.frame[self.columns.get(column, column)].iloc[position] if value is None else value
        return InputError(message, file=self.path, sheet=self.sheet, row=self.row_number(position),
                          column=column, value=shown, fix=fix)

    def fail(self, mask: np.ndarray, column: str, message: str, fix: str | None) -> None:
        """An InputError naming the first row of `mask`, if any."""
        if mask.any():
            raise self.error(int(mask.nonzero()[0][0]), column, message, fix)
