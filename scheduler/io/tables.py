"""Writing tables to .xlsx and .csv, safely: no cell is ever a formula, and a set of files (a roster workbook
and its CSVs) is written all or nothing: every file goes to a hidden temporary beside it, flushed to disk,
before any is renamed into place."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from scheduler.errors import InputError

DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# What makes a spreadsheet read a field as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UTC_OFFSET = re.compile(r"[+-]\d\d:\d\d")  # the contract's `-06:00` columns: a time, never a formula

Writer = Callable[[Path], None]  # writes one file's content at the path it is given
# Set by a second Ctrl-C (cli_options): no set is renamed into place after it. The KeyboardInterrupt it
# raises may land in a finalizer (a ZipFile's __del__, say), where Python swallows it; this does not.
_CANCELLED = threading.Event()


def cancel_writes() -> None:
    """No write_files call from now on puts its files in place (it raises KeyboardInterrupt instead)."""
    _CANCELLED.set()


def write_workbook(path: Path, sheets: dict[str, pd.DataFrame],
                   finish: Callable[[Workbook], None] | None = None) -> None:
    write_files({path: workbook_writer(sheets, finish)})


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    write_files({path: csv_writer(frame)})


def atomic_write(path: Path, write: Writer) -> None:
    write_files({path: write})


def workbook_writer(sheets: dict[str, pd.DataFrame],
                    finish: Callable[[Workbook], None] | None = None) -> Writer:
    """Writes the sheets; `finish`, when given, then adds to the workbook (a chart, say) before it is
    saved."""
    def write(target: Path) -> None:
        wb = Workbook()
        wb.remove(wb.active)
        for title, frame in sheets.items():
            _write_sheet(wb, title, frame)
        if finish is not None:
            finish(wb)
        wb.save(target)

    return write


def csv_writer(frame: pd.DataFrame) -> Writer:
    safe = frame.copy()
    for i, dtype in enumerate(frame.dtypes):
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)):
            safe.isetitem(i, frame.iloc[:, i].map(_csv_text))
    return lambda target: safe.to_csv(target, index=False, date_format="%Y-%m-%d %H:%M")


def _csv_text(value: Any) -> Any:
    """A text field a spreadsheet would read as a formula gets a leading `'`, which shows it as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not UTC_OFFSET.fullmatch(value):
        return f"'{value}"
    return value


def _write_sheet(wb: Workbook, title: str, frame: pd.DataFrame) -> None:
    ws = wb.create_sheet(title)
    ws.append(list(frame.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in frame.itertuples(index=False):
        ws.append([_cell(v) for v in values])
    _text_as_text(ws)
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


def _text_as_text(ws) -> None:
    """openpyxl makes a string beginning with `=` a formula (and `#N/A` an error): every string is stored as a
    string."""
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"


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


def write_files(files: Mapping[Path, Writer]) -> None:
    """Write a set of files all or nothing. Each goes to a hidden temporary `.<name>.<random>.tmp` beside it
    and is flushed to disk; only then are the set's old files removed and the new ones renamed in, one after
    the other. A run killed while writing leaves the old set; one killed in the microseconds of the renames
    leaves part of the new set, never a new file beside an old one. The temporaries a killed run left behind
    are removed first."""
    for folder in dict.fromkeys(path.parent for path in files):
        ensure_folder(folder)
    for path in files:
        _remove_leftovers(path)
    temporaries: dict[Path, Path] = {}
    try:
        for path, write in files.items():
            temporaries[path] = _temporary(path)
            _write_synced(path, temporaries[path], write)
        if _CANCELLED.is_set():
            raise KeyboardInterrupt
        _swap_in(temporaries)
    finally:
        for temporary in temporaries.values():  # renamed already unless the set failed
            temporary.unlink(missing_ok=True)


def _remove_leftovers(path: Path) -> None:
    leftover = re.compile(re.escape(f".{path.name}.") + r"[^.]+\.tmp")  # mkstemp's random part has no dot
    for entry in path.parent.iterdir():
        if leftover.fullmatch(entry.name):
            with contextlib.suppress(OSError):  # best effort: a leftover is hidden and harms nothing
                entry.unlink()


def _temporary(path: Path) -> Path:
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(name, 0o666 & ~umask)  # mkstemp makes 0600 files; outputs are shared like any other file
    except OSError as exc:
        raise InputError(f"cannot write here ({exc.strerror})", file=path.parent) from exc
    return Path(name)


def _write_synced(path: Path, temporary: Path, write: Writer) -> None:
    with _writing(path):
        write(temporary)
        with temporary.open("rb") as written:
            os.fsync(written.fileno())  # on disk before the rename: a crash never leaves a renamed empty file


def _swap_in(temporaries: dict[Path, Path]) -> None:
    """The old files out first, so that no moment shows a new file beside an old one of the set."""
    for path in temporaries:
        with _writing(path):
            path.unlink(missing_ok=True)
    for path, temporary in temporaries.items():
        with _writing(path):
            os.replace(temporary, path)
    for folder in dict.fromkeys(path.parent for path in temporaries):
        with _writing(folder):
            _sync_folder(folder)


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise InputError(f"cannot write ({exc.strerror})", file=path,
                         fix="close the file if Excel has it open, or choose another --out folder") from exc


def _sync_folder(folder: Path) -> None:
    """The renames on disk too. Windows cannot open a folder (its file system journals renames)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
