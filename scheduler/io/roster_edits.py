"""Which sheets of a roster workbook were edited since scheduler wrote it.

Sheet Assignments is the roster (the one source of truth: `check` reads it, `refresh` rewrites every other
sheet from it); sheet Roster is a picture of it for the wall. To tell an edit of one from the other, the Run
sheet records a digest of each as written (`assignments_sha256`, `roster_sheet_sha256`), taken from the cells
themselves (values as text, times to the minute, so that a spreadsheet saving the file again changes
nothing). A roster written before these digests has none: nothing can be told (None).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

DIGESTS = {"Assignments": "assignments_sha256", "Roster": "roster_sheet_sha256"}


def canonical(value: object) -> str:
    """A cell's value as text that survives a save by a spreadsheet: blank and "" alike, numbers by value (8
    and 8.0 alike), date-times to the minute (a serial day number read back may miss by a microsecond),
    midnight as its date."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return f"{float(value):.10g}"
    if isinstance(value, datetime):  # a date written reads back as midnight: Excel stores both as a number
        minute = (value + timedelta(seconds=30)).replace(second=0, microsecond=0)
        return minute.date().isoformat() if minute.time() == time(0) else minute.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


LEGEND = "Legend"  # sheet Roster: the legend's first cell, in column C below the grid (io.roster_wall)


def table_rows(ws) -> list[tuple[int, tuple[str, ...]]]:
    """The sheet's non-blank rows as (sheet row number, canonical text), trailing blank cells dropped; in
    sheet Roster, only the grid's (the rows above its legend)."""
    rows = []
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        row = [canonical(v) for v in values]
        while row and row[-1] == "":
            row.pop()
        if ws.title == "Roster" and row[2:3] == [LEGEND]:
            break
        if row:
            rows.append((number, tuple(row)))
    return rows


def digest(ws) -> str:
    """The header row, then the other rows in sorted order: sorting a sheet by a column (its filter invites
    it) or a blank row left between rows changes nothing the digest stands for."""
    rows = [row for _, row in table_rows(ws)]
    sha = hashlib.sha256()
    for row in rows[:1] + sorted(rows[1:]):
        sha.update("\x1f".join(row).encode("utf-8") + b"\x1e")
    return sha.hexdigest()


def stamp(wb) -> None:
    """At writing: each digest as a row of the Run sheet (the sheets' cells as they will be saved)."""
    for sheet, key in DIGESTS.items():
        if sheet in wb.sheetnames:
            wb["Run"].append([key, digest(wb[sheet])])


def edited(wb, recorded: Mapping[str, object]) -> dict[str, bool | None]:
    """Per sheet of DIGESTS: True edited, False as written, None not known (no digest among the Run sheet's
    `recorded` rows)."""
    return {sheet: None if not recorded.get(key) else digest(wb[sheet]) != recorded[key]
            for sheet, key in DIGESTS.items() if sheet in wb.sheetnames}
