"""Outputs already there: a published roster (or requirement table) is never replaced without --force."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from scheduler.errors import InputError
from scheduler.io.sheets import Column, open_workbook, read_rows, text


def earlier(files: Iterable[Path]) -> Path | None:
    """The first of an output set's files that is there already."""
    return next((path for path in files if path.exists()), None)


def refuse_to_replace(files: Iterable[Path], what: str, instead: str = "--out another folder") -> None:
    """Stop (before any work) when a file of the set is there: replacing it takes --force (or `instead`)."""
    found = earlier(files)
    if found is not None:
        raise InputError(f"{what} is already there (written {written(found)})", file=found,
                         fix=f"give --force to replace it, or {instead}")


def written(path: Path) -> str:
    """When an output was written: its Run sheet's `generated`, else (a CSV, a workbook without one or not
    readable) the file's modification time."""
    if path.suffix == ".xlsx":
        try:
            wb = open_workbook(path)
            try:
                rows = read_rows(path, wb, "Run", [Column("key", text),
                                                   Column("value", lambda v: v, required=False)])
                generated = next((row["value"] for row in rows if row["key"] == "generated"), None)
            finally:
                wb.close()
        except InputError:
            generated = None
        if generated:
            return str(generated)
    return datetime.fromtimestamp(path.stat().st_mtime).isoformat(timespec="seconds")
