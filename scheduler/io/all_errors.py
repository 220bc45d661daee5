"""Every error of a workbook in one pass (the center workbook: io/center.py), rather than the first alone.

A bad cell or row is reported and left out, and so are the rows that refer to it: a Leave row of an employee
whose Staff row was rejected is not checked against sheet Staff, so that one mistake is one error."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from openpyxl.workbook import Workbook

from scheduler.errors import InputError, InputErrors
from scheduler.io.sheets import Column, Row, checked_rows

SHOWN = 50  # errors listed; the rest are counted


class Unchecked(Exception):
    """A row refers to a row that was rejected, or to a sheet that could not be read."""


class Table(dict):
    """The accepted rows of a sheet that later sheets refer to, by key, with each one's row number."""

    def __init__(self, sheet: str):
        super().__init__()
        self.sheet = sheet
        self.rows: dict[Any, int] = {}
        self.rejected: set[Any] = set()  # keys of rejected rows no accepted row has
        self.readable = True  # False: the sheet is missing, lacks a column or is damaged
        self.whole = True  # every row of a readable sheet accepted
        self.unchecked = False  # a row of another sheet referred to it while it could not be read

    def add(self, key: Any, value: Any, row: Row) -> None:
        self[key], self.rows[key] = value, row.number

    def reject(self, key: Any) -> None:
        self.whole = False
        if key is not None and key not in self:
            self.rejected.add(key)

    def known(self, key: Any, unknown: InputError) -> Any:
        """The value of `key`; raises `unknown` when no row of the sheet has it, Unchecked when its row was
        rejected or the sheet could not be read (that error is reported already)."""
        if key in self:
            return self[key]
        if not self.lacks(key):
            raise Unchecked
        raise unknown

    @property
    def empty(self) -> bool:
        """The sheet was read and has no row at all."""
        return self.readable and self.whole and not self

    def lacks(self, key: Any) -> bool:
        """No row of the sheet has `key`, not even a rejected one (False when the sheet could not be read)."""
        self.unchecked |= not self.readable
        return self.readable and key not in self and key not in self.rejected


class Problems:
    """The errors found in one workbook so far."""

    def __init__(self, path: Path, workbook: Workbook):
        self.path, self.workbook = path, workbook
        self.errors: list[InputError] = []
        self.unreadable: list[tuple[InputError, Table]] = []

    def add(self, error: InputError) -> None:
        self.errors.append(error)

    def rows(self, sheet: str, columns: Sequence[Column], into: Table | None = None, key: str | None = None,
             optional: bool = False) -> Iterator[Row]:
        """The sheet's rows whose every cell parses. Each bad cell is an error, its row left out (and its
        `key` column's value rejected from `into`). A sheet that cannot be read (missing unless `optional`, a
        column missing, damaged) is one error, and `into` is unreadable."""
        if optional and sheet not in self.workbook.sheetnames:
            return
        try:
            for row in checked_rows(self.path, self.workbook, sheet, columns):
                if not row.errors:
                    yield row
                    continue
                self.errors.extend(row.errors)
                if into is not None:
                    into.reject(row.values.get(key))
        except InputError as exc:
            self.errors.append(exc)
            if into is not None:
                into.readable = into.whole = False
                self.unreadable.append((exc, into))

    @contextmanager
    def row(self, into: Table | None = None, key: Any = None) -> Iterator[None]:
        """The checks of one row: the InputError one raises is collected, the row left out (its `key`
        rejected from `into`); Unchecked leaves it out alone."""
        try:
            yield
        except InputError as exc:
            self.errors.append(exc)
            if into is not None:
                into.reject(key)
        except Unchecked:
            if into is not None:
                into.reject(key)

    def raise_any(self) -> None:
        """Raise InputErrors with every error found (the first SHOWN), in the order of the workbook's tabs
        and rows: a missing sheet last."""
        if not self.errors:
            return
        for error, table in self.unreadable:
            if table.unchecked:  # say what waits for it
                waiting = "the rows of other sheets that refer to it are checked once it reads"
                error.fix = f"{error.fix}; {waiting}" if error.fix else waiting
        tabs = {name: i for i, name in enumerate(self.workbook.sheetnames)}
        ordered = sorted(self.errors, key=lambda e: (tabs.get(e.sheet, len(tabs)), e.row or 0))
        raise InputErrors(ordered[:SHOWN], len(ordered))
