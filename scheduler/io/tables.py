"""Writing tables to .xlsx and .csv atomically: a temporary file in the target folder is renamed into place
only when complete, so a failed run never leaves a partial file."""

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

from scheduler.errors import InputError

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def write_workbook(path: Path, sheets: dict[str, pd.DataFrame]) -> None:
    ensure_folder(path.parent)

    def write(target: Path) -> None:
        wb = Workbook()
        wb.remove(wb.active)
        for title, frame in sheets.items():
            _write_sheet(wb, title, frame)
        wb.save(target)

    atomic_write(path, write)


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    ensure_folder(path.parent)
    atomic_write(path, lambda target: frame.to_csv(target, index=False, date_format="%Y-%m-%d %H:%M"))


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


def ensure_folder(folder: Path) -> None:
    """Fail before any work when an output folder cannot be made or written."""
    if folder.exists() and not folder.is_dir():
        raise InputError("the output folder is a file", file=folder, fix="choose a folder with --out")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder ({exc.strerror})", file=folder) from exc
    if not os.access(folder, os.W_OK):
        raise InputError("the output folder is not writable", file=folder,
                         fix="choose another folder with --out")


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600 files; outputs are shared like any other file
    except OSError as exc:
        raise InputError(f"cannot write here ({exc.strerror})", file=path.parent) from exc
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write ({exc.strerror})", file=path,
                         fix="close the file if Excel has it open, or choose another --out folder") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


