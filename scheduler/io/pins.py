"""Pinned shifts: the checks every pin passes, whether from the center workbook's sheet Pinned or from the
sign-ups on a posting of open shifts (`build --pinned`, read here)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from scheduler.domain import Center, Employee, Horizon, Leave, Pin, Position, ShiftTemplate
from scheduler.errors import InputError
from scheduler.io.sheets import Column, Row, day, open_workbook, read_csv_rows, read_rows, text

POSTING_SHEET = "Open shifts"  # the roster workbook's sheet, the one read from a workbook that has it


def checked_pin(row: Row, staff: Mapping[str, Employee], shifts: Mapping[str, ShiftTemplate],
                positions: Mapping[str, Position], leave: Iterable[Leave], pins: Iterable[Pin],
                where: dict) -> Pin:
    """The pin a row (employee_id, date, shift_code, position) names, once its employee is known and may work
    it: qualified, of its shift length or bid, not on leave that day, no other pin that day (`pins`)."""
    employee = staff.get(row["employee_id"])
    if employee is None:
        raise InputError("unknown employee", **where, column="employee_id", value=row["employee_id"],
                         fix="use an employee_id from sheet Staff")
    template, position = shifts.get(row["shift_code"]), positions.get(row["position"])
    if template is None or position is None:
        raise InputError("unknown shift code or position", **where, column="shift_code",
                         value=f"{row['shift_code']} {row['position']}",
                         fix="use codes from sheets Shifts and Positions")
    return pin_for(employee, template, position, row["date"], leave, pins, where)


def pin_for(employee: Employee, template: ShiftTemplate, position: Position, day: date,
            leave: Iterable[Leave], pins: Iterable[Pin], where: dict) -> Pin:
    """The pin of a known employee, template and position on `day`, once the employee may work it:
    qualified, of its shift length or bid, not on leave that day, no other pin that day (`pins`)."""
    if not employee.can_work(template) or not employee.qualified_for(position):
        raise InputError(f"{employee.id} cannot work {template.code} at {position.id} (shift length, bid "
                         "or qualification)", **where, column="shift_code", value=template.code)
    if any(lv.employee_id == employee.id and lv.covers(day) for lv in leave):
        raise InputError("pinned on a day of approved leave", **where, column="date", value=str(day),
                         fix="remove the pin or the leave")
    if any(p.employee_id == employee.id and p.day == day for p in pins):
        raise InputError("a second pinned shift on the same day", **where, column="date", value=str(day))
    return Pin(employee.id, day, template.code, position.id)


POSTING_COLUMNS = [  # blank cells allowed: only the rows signed up (an employee_id) need the others
    Column("employee_id", text, required=False, default=""), Column("date", day, required=False),
    Column("shift_code", text, required=False, default=""),
    Column("position", text, required=False, default=""),
]


def read_signups(path: Path, center: Center, horizon: Horizon) -> tuple[Pin, ...]:
    """The sign-ups on a filled posting of open shifts (the `<roster>-open-shifts.csv` a build wrote, or a
    workbook with its columns: its sheet `Open shifts`, else its only sheet): each row with an employee_id
    as a pin, checked as sheet Pinned's rows are and against them (at most one pin a day), on a day of the
    plan and not off by the employee's fixed pattern."""
    rows, sheet = _posting_rows(path)
    pins: list[Pin] = []
    for row in rows:
        if not row["employee_id"]:
            continue
        where = {"file": path, "sheet": sheet, "row": row.number}
        _signed_row_complete(row, where)
        if not 0 <= horizon.day_index(row["date"]) < horizon.days:
            last = horizon.day(horizon.days - 1)
            raise InputError("not a day of the plan", **where, column="date", value=str(row["date"]),
                             fix=f"give the posting of the plan {horizon.start} to {last}")
        pin = checked_pin(row, center.employees_by_id, center.shifts_by_code, center.positions_by_id,
                          center.leave, (*center.pins, *pins), where)
        pattern = center.patterns_by_employee.get(pin.employee_id)
        if pattern is not None and not pattern.works_on(pin.day):
            raise InputError(f"{pin.day} is an off day of {pin.employee_id}'s pattern {pattern.name}",
                             **where, column="employee_id", value=pin.employee_id, fix="sign up someone else")
        pins.append(pin)
    if not pins:
        raise InputError("no row has an employee_id: nobody signed up", file=path, sheet=sheet,
                         column="employee_id", fix="write the id of whoever took a shift in its row")
    return tuple(pins)


def _signed_row_complete(row: Row, where: dict) -> None:
    if row["date"] is None or not row["position"]:
        column = "date" if row["date"] is None else "position"
        raise InputError("empty cell in a signed-up row", **where, column=column,
                         fix="keep the posted row's date, shift_code and position")
    if not row["shift_code"]:
        raise InputError("no shift template covers these hours: nothing to sign up for", **where,
                         column="employee_id", value=row["employee_id"],
                         fix="clear its employee_id (only a holdover can cover them)")


def _posting_rows(path: Path) -> tuple[list[Row], str | None]:
    """The posting's rows and the sheet they are on (None: a CSV file)."""
    if not path.exists():
        raise InputError("file not found", file=path, fix="check the path")
    if path.suffix.lower() == ".csv":
        return list(read_csv_rows(path, POSTING_COLUMNS)), None
    workbook = open_workbook(path)
    try:
        names = workbook.sheetnames
        if POSTING_SHEET not in names and len(names) != 1:
            listed = ", ".join(names)
            raise InputError(f"no sheet {POSTING_SHEET!r}", file=path,
                             fix=f"name the posting's sheet {POSTING_SHEET} (the sheets are {listed})")
        sheet = POSTING_SHEET if POSTING_SHEET in names else names[0]
        return list(read_rows(path, workbook, sheet, POSTING_COLUMNS)), sheet
    finally:
        workbook.close()
