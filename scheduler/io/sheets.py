"""Reading typed rows from workbook sheets, with errors that name file, sheet, row and column."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook import Workbook

from scheduler.errors import InputError


def open_workbook(path: Path) -> Workbook:
    if not path.exists():
        raise InputError("file not found", file=path, fix="check the path")
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputError(
            f"not a readable .xlsx workbook ({type(exc).__name__})",
            file=path,
            fix="save it again from Excel as .xlsx",
        ) from exc


Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = True
    default: Any = None


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


def read_rows(path: Path, workbook: Workbook, sheet: str, columns: list[Column]) -> Iterator[Row]:
    """Yield the non-empty data rows of a sheet, each value parsed by its column's parser."""
    if sheet not in workbook.sheetnames:
        raise InputError(
            "missing sheet", file=path, sheet=sheet,
            fix=f"add a sheet named {sheet} (see docs/center-workbook.md)",
        )
    rows = readable_rows(workbook[sheet].iter_rows(values_only=True), path, sheet)
    header = next(rows, None) or ()
    index = {str(h).strip().lower(): i for i, h in enumerate(header) if h is not None}
    for col in columns:
        if col.required and col.name not in index:
            raise InputError(
                f"missing column {col.name!r}", file=path, sheet=sheet, row=1, column=col.name,
                fix=f"add a header cell {col.name} in row 1",
            )
    for number, raw in enumerate(rows, start=2):
        if raw is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            continue
        where = {"file": path, "sheet": sheet, "row": number}
        yield Row(number, {col.name: _parse_cell(raw, index.get(col.name), col, where) for col in columns})


def _parse_cell(raw: tuple, position: int | None, col: Column, where: dict) -> Any:
    """The value of `col` in a data row `raw` (`position`: its index, None when the header lacks it)."""
    cell = raw[position] if position is not None and position < len(raw) else None
    if isinstance(cell, str):
        cell = cell.strip()
    if cell is None or cell == "":
        if col.required:
            raise InputError("empty cell", **where, column=col.name, fix="fill it in")
        return col.default
    try:
        return col.parse(cell)
    except (ValueError, TypeError) as exc:
        raise InputError(str(exc), **where, column=col.name, value=cell) from exc


def readable_rows(rows: Iterator[tuple], path: Path, sheet: str) -> Iterator[tuple]:
    """A read-only workbook parses each sheet's XML only while it is iterated: a damaged sheet fails here."""
    try:
        yield from rows
    except (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError) as exc:
        raise InputError(
            f"the sheet is damaged and cannot be read ({type(exc).__name__})", file=path, sheet=sheet,
            fix="save it again from Excel as .xlsx",
        ) from exc


def text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def codes(value: Any) -> tuple[str, ...]:
    return tuple(c.strip() for c in text(value).split(",") if c.strip())


def whole(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError("expected a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    raise ValueError("expected a whole number")


def number(value: Any) -> float:
    if isinstance(value, bool):
        raise TypeError("expected a number")
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        raise ValueError("expected a number") from None


def yes_no(value: Any) -> bool:
    lowered = text(value).lower()
    if lowered in {"yes", "y", "true", "1", "x"}:
        return True
    if lowered in {"no", "n", "false", "0"}:
        return False
    raise ValueError("expected yes or no")


def day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(text(value))
    except ValueError:
        raise ValueError("expected a date (YYYY-MM-DD or an Excel date)") from None


def moment(value: Any) -> datetime:
    """A local date-time (an Excel date-time or ISO text)."""
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(text(value))
    except ValueError:
        raise ValueError("expected a date-time (an Excel date-time or YYYY-MM-DD HH:MM)") from None


def clock(value: Any) -> time:
    """A local wall-clock time on the hour grid; '24:00' is returned as time(0) with hour 24 handled by
    callers."""
    if isinstance(value, datetime):
        value = value.time()
    if isinstance(value, time):
        parsed = value
    else:
        try:
            parsed = time.fromisoformat(text(value).zfill(5))
        except ValueError:
            raise ValueError("expected a time HH:MM") from None
    if parsed.tzinfo is not None:
        raise ValueError("expected a local time HH:MM, without a time zone")
    if parsed.minute or parsed.second:
        raise ValueError("times must be on the hour (the plan uses hourly slots)")
    return parsed


def hour_of_day(value: Any) -> int:
    """Hour 0..24 from HH:MM, accepting '24:00' as the end of the day."""
    if text(value) in {"24:00", "24:00:00"}:
        return 24
    return clock(value).hour
