"""Reading workbooks and CSV files into typed rows, with errors that name file, sheet, row and column."""

from __future__ import annotations

import math
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import iterparse
from openpyxl import load_workbook
from openpyxl.utils import coordinate_to_tuple, get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook import Workbook

from scheduler.errors import InputError

MB = 1024 * 1024
EXCEL_ROWS = 1_048_576  # the format's last row


@dataclass(frozen=True)
class Limits:
    """What a workbook may hold, checked before its sheets are read (sizes) and while they are (rows and
    columns). Far above any real center's files, they stop damaged or hostile ones (a small zip whose sheet
    unpacks to gigabytes, one stray cell at XFD1048576) before those cost minutes and gigabytes."""

    kind: str  # how the error names the file
    file_mb: int
    unpacked_mb: int  # the sizes the zip directory declares, added up: zipfile unpacks no more than those
    rows: int
    columns: int
    fix: str


# The one place the limits are set. The sample center workbook is 15 KB (70 KB unpacked) with 71 rows at
# most; a 6-week roster of 30 positions has 30,240 Coverage rows.
WORKBOOK = Limits("workbook", file_mb=20, unpacked_mb=200, rows=100_000, columns=200,
                  fix="keep only the sheets scheduler reads and save the workbook again")
# A call log may fill a sheet's 1,048,576 rows (Excel's own limit).
CALL_LOG = Limits("call log", file_mb=100, unpacked_mb=1000, rows=EXCEL_ROWS, columns=1_000,
                  fix="split the call log into shorter periods, or save it as .csv")


def open_workbook(path: Path, limits: Limits = WORKBOOK) -> Workbook:
    """The workbook, read-only with each formula's saved result, once its sizes are within `limits`."""
    if not path.exists():
        raise InputError("file not found", file=path, fix="check the path")
    try:
        _check_sizes(path, limits)
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        if refusal := _defused_refusal(exc, path):
            raise refusal from exc
        raise InputError(
            f"not a readable .xlsx workbook ({type(exc).__name__})",
            file=path,
            fix="save it again from Excel as .xlsx",
        ) from exc


def _check_sizes(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.file_mb * MB:
        raise InputError(f"the file is {math.ceil(size / MB):,} MB, over the {limits.file_mb} MB a "
                         f"{limits.kind} may be", file=path, fix=limits.fix)
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > limits.unpacked_mb * MB:
        raise InputError(f"it unpacks to {math.ceil(unpacked / MB):,} MB, over the {limits.unpacked_mb:,} MB "
                         f"a {limits.kind} may hold", file=path, fix=limits.fix)


Parser = Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = True
    default: Any = None
    note: str = ""  # what the column holds, for people (the center workbook template's header comments)


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, Any]
    errors: tuple[InputError, ...] = ()  # of its cells that did not parse (left out of `values`)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


def read_rows(path: Path, workbook: Workbook, sheet: str, columns: Sequence[Column]) -> Iterator[Row]:
    """Yield the non-empty data rows of a sheet, each value parsed by its column's parser; the first cell that
    does not parse raises its InputError."""
    for row in checked_rows(path, workbook, sheet, columns):
        if row.errors:
            raise row.errors[0]
        yield row


def checked_rows(path: Path, workbook: Workbook, sheet: str, columns: Sequence[Column]) -> Iterator[Row]:
    """Yield the non-empty data rows of a sheet, each with the errors of its cells that do not parse, so that
    a reader can report every bad cell of a sheet at once. A missing sheet or column raises."""
    if sheet not in workbook.sheetnames:
        raise InputError(
            "missing sheet", file=path, sheet=sheet,
            fix=f"add a sheet named {sheet} (see docs/center-workbook.md)",
        )
    yield from _typed_rows(path, sheet, sheet_rows(path, workbook, sheet), columns)


def read_csv_rows(path: Path, columns: list[Column]) -> Iterator[Row]:
    """read_rows for a CSV file: its cells as text, each row numbered as its line in the file."""
    frame = read_csv_cells(path)
    lines = enumerate(frame.itertuples(index=False, name=None), start=2)
    yield from _typed_rows(path, None, [(1, tuple(frame.columns)), *lines], columns)


def _typed_rows(path: Path, sheet: str | None, rows: list[tuple[int, tuple]],
                columns: list[Column]) -> Iterator[Row]:
    header = rows[0][1] if rows else ()
    index = {str(h).strip().lower(): i for i, h in enumerate(header) if h is not None}
    for col in columns:
        if col.required and col.name not in index:
            raise InputError(
                f"missing column {col.name!r}", file=path, sheet=sheet, row=1, column=col.name,
                fix=f"add a header cell {col.name} in row 1",
            )
    for number, raw in rows[1:]:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            continue
        where = {"file": path, "sheet": sheet, "row": number}
        values, errors = {}, []
        for col in columns:
            try:
                values[col.name] = _parse_cell(raw, index.get(col.name), col, where)
            except InputError as exc:
                errors.append(exc)
        yield Row(number, values, tuple(errors))


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


def sheet_rows(path: Path, workbook: Workbook, sheet: str,
               limits: Limits = WORKBOOK) -> list[tuple[int, tuple]]:
    """(row number, values) of row 1 and of every later row that holds a value: all of them, whatever size
    the sheet's XML declares (some writers leave a stale <dimension ref="A1:E10">, and a read-only sheet would
    stop at it). A cell outside `limits` and a formula without a saved result are errors."""
    worksheet = workbook[sheet]
    worksheet.reset_dimensions()
    rows = []
    with _readable(path, sheet):
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            _check_extent(path, sheet, number, values, limits)
            if number == 1 or any(v is not None for v in values):
                rows.append((number, values))
        _check_formulas(path, worksheet, sheet, rows[0][1] if rows else ())
    return rows


@contextmanager
def _readable(path: Path, sheet: str) -> Iterator[None]:
    """A read-only workbook parses each sheet's XML only while it is read: a damaged sheet fails here."""
    try:
        yield
    except (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError) as exc:
        if refusal := _defused_refusal(exc, path, sheet):
            raise refusal from exc
        raise InputError(
            f"the sheet is damaged and cannot be read ({type(exc).__name__})", file=path, sheet=sheet,
            fix="save it again from Excel as .xlsx",
        ) from exc


_REFUSED = {  # what defusedxml refused, and the declaration that shows it in a part's XML
    EntitiesForbidden: ("declares entities", re.compile(rb"<!ENTITY")),
    DTDForbidden: ("declares a DTD", re.compile(rb"<!DOCTYPE")),
    ExternalReferenceForbidden: ("refers to an outside document", re.compile(rb"<!(?:DOCTYPE|ENTITY)")),
}


def _defused_refusal(exc: BaseException, path: Path, sheet: str | None = None) -> InputError | None:
    """The error to raise when defusedxml refused the XML behind `exc` (openpyxl wraps the refusal in a
    ValueError of its own that names no part): a "billion laughs" of nested entities, say."""
    refused: BaseException | None = exc
    while refused is not None and not isinstance(refused, DefusedXmlException):
        refused = refused.__cause__ or refused.__context__
    if refused is None:
        return None
    what, declaration = next((v for k, v in _REFUSED.items() if isinstance(refused, k)),
                             ("declares entities or a DTD", re.compile(rb"<!(?:DOCTYPE|ENTITY)")))
    part = _part_declaring(path, declaration)
    return InputError(
        f"the workbook's XML {what}{f' ({part})' if part else ''}, which a spreadsheet never needs and an "
        "attack uses", file=path, sheet=sheet, fix="save it again from Excel or LibreOffice",
    )


def _part_declaring(path: Path, declaration: re.Pattern) -> str | None:
    """The first part of the zip whose first 64 KB hold `declaration` (a DTD comes before the XML's first
    element), or None when none can be read that does."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                with archive.open(info) as part:
                    if declaration.search(part.read(64 * 1024)):
                        return info.filename
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        pass
    return None


def _check_extent(path: Path, sheet: str, number: int, values: tuple, limits: Limits) -> None:
    """A cell past the rows and columns a sheet may hold: a stray cell far from the data, most likely (a
    formatted empty one counts, as for Excel's Ctrl+End: openpyxl pads every row to it all the same). A row
    number past Excel's own last row stops too, whether or not it has cells: openpyxl would yield every empty
    row before it."""
    if number > EXCEL_ROWS or (values and (number > limits.rows or len(values) > limits.columns)):
        raise InputError(
            f"a cell outside the {limits.rows:,} rows and {limits.columns:,} columns a sheet may hold",
            file=path, sheet=sheet, row=number, column=get_column_letter(len(values)) if values else None,
            value=values[-1] if values else None,
            fix="delete the stray cells far from the data (Ctrl+End in Excel goes to the last one)",
        )


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _check_formulas(path: Path, worksheet: Any, sheet: str, header: tuple) -> None:
    """Read for saved results, a formula that has none (the file of a program that does not calculate, such as
    openpyxl) comes back as a blank cell: stop rather than take the blank."""
    found = next(_formulas_without_result(worksheet), None) if _has_formula(worksheet) else None
    if found is None:
        return
    number, column, formula = found
    name = header[column - 1] if column <= len(header) and header[column - 1] is not None else None
    raise InputError(
        "a formula without a saved result", file=path, sheet=sheet, row=number,
        column=str(name).strip() if name is not None else get_column_letter(column), value=f"={formula}",
        fix="open the workbook in Excel and save it (which saves each formula's result), or type the value",
    )


def _has_formula(worksheet: Any) -> bool:
    """Whether the sheet's XML has a formula at all: a scan of its bytes, so most sheets are parsed once."""
    tail = b""
    # openpyxl's read-only sheet opens its XML from the workbook's zip (a private method).
    with worksheet._get_source() as source:
        while chunk := source.read(MB):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-32:]
    return False


def _formulas_without_result(worksheet: Any) -> Iterator[tuple[int, int, str]]:
    """(row, column, formula) of each formula cell whose saved result is missing, from the sheet's XML."""
    row = column = 0
    with worksheet._get_source() as source:
        for event, element in iterparse(source, events=("start", "end")):
            name = element.tag.rpartition("}")[2]
            if event == "start":
                if name == "row":
                    row, column = int(element.get("r") or row + 1), 0
                continue
            if name == "c":
                row, column = coordinate_to_tuple(element.get("r")) if element.get("r") else (row, column + 1)
                parts = {child.tag.rpartition("}")[2]: child for child in element}
                # Excel saves an empty text result as t="str" with an empty <v>.
                saved = parts.get("v") is not None and (parts["v"].text or element.get("t") == "str")
                if "f" in parts and not saved:
                    yield row, column, parts["f"].text or ""
            elif name == "row":
                element.clear()  # the cells are read: keep memory flat on a long sheet


def read_csv_cells(path: Path) -> pd.DataFrame:
    """Every cell of a CSV file as text, blank lines kept (a row's index + 2 is its line in the file)."""
    with path.open(encoding="utf-8-sig", errors="replace") as file:
        header = file.readline(64 * 1024).strip()
    if ";" in header and "," not in header:  # Excel's "CSV" where the decimal mark is a comma
        raise InputError("columns separated by ';'", file=path, row=1, value=header,
                         fix="save the file as comma-separated (CSV UTF-8)")
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False,
                           encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        reason = " ".join(str(exc).split())  # pandas' messages can span lines; the error is one line
        raise InputError(f"not a readable CSV file ({reason})", file=path) from exc


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
