"""Writing tables to .xlsx and .csv atomically: a temporary file in the target folder is renamed into place only
when complete, so a failed run never leaves a partial file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def write_workbook(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)

    def write(target: Path) -> None:
        wb = Workbook()
        wb.remove(wb.active)
        for title, frame in sheets.items():
            _write_sheet(wb, title, frame)
        wb.save(target)

    _atomic_write(path, write)


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(path, lambda target: frame.to_csv(target, index=False, date_format="%Y-%m-%d %H:%M"))


def _write_sheet(wb: Workbook, title: str, frame: pd.DataFrame) -> None:
    ws = wb.create_sheet(title)
    ws.append(list(frame.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in frame.itertuples(index=False):
        ws.append([_cell(v) for v in values])
    for i, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(i)
        sample = frame[column].head(200)
        if pd.api.types.is_datetime64_any_dtype(sample) or any(isinstance(v, datetime) for v in sample):
            for cell in ws[letter][1:]:
                cell.number_format = DATETIME_FORMAT
            width = 17
        else:
            width = max([len(str(column))] + [len(str(v)) for v in sample]) + 2
        ws.column_dimensions[letter].width = min(width, 40)
    ws.freeze_panes = "A2"


def _cell(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    if hasattr(value, "item") and not isinstance(value, (datetime, date)):
        value = value.item()  # numpy scalar
    return value


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


