"""Read the center workbook (docs/center-workbook.md) into a validated `Center`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

from openpyxl.workbook import Workbook

from scheduler.domain import (
    Center,
    DayOffRequest,
    Employee,
    Leave,
    Minimum,
    Pattern,
    Pin,
    Position,
    PositionKind,
    ShiftPreference,
    ShiftTemplate,
)
from scheduler.errors import InputError
from scheduler.io.center_cells import (
    criticality,
    cycle_pattern,
    position_kind,
    positive_number,
    preference,
    shift_hours,
    weekdays,
    whole_hours,
)
from scheduler.io.pins import checked_pin
from scheduler.io.sheets import (
    Column,
    Row,
    clock,
    codes,
    day,
    hour_of_day,
    open_workbook,
    read_rows,
    sheet_rows,
    text,
    whole,
    yes_no,
)


def read_center(path: Path) -> Center:
    wb = open_workbook(path)
    try:
        return _read(path, wb)
    finally:
        wb.close()


def _read(path: Path, wb: Workbook) -> Center:
    """The sheets in this order: a later sheet is checked against the earlier ones."""
    authorized = _read_authorized(path, wb)
    shifts = _read_shifts(path, wb)
    positions = _read_positions(path, wb)
    minimums = _read_minimums(path, wb, positions)
    staff, staff_rows = _read_staff(path, wb, authorized, shifts)
    leave = _read_leave(path, wb, staff)
    requests = _read_requests(path, wb, staff)
    pins = _read_pinned(path, wb, staff, shifts, positions, leave)
    preferences = _read_preferences(path, wb, staff, shifts)
    patterns = _read_patterns(path, wb, staff, pins)
    center = Center(
        source=path, staff=tuple(staff.values()), shifts=tuple(shifts.values()),
        positions=tuple(positions.values()), minimums=tuple(minimums), leave=tuple(leave),
        requests=tuple(requests), authorized=tuple(authorized.items()), pins=tuple(pins),
        patterns=tuple(patterns.values()), preferences=tuple(preferences),
    )
    _check_authorized_counts(path, center, staff_rows)
    return center


def _optional_rows(path: Path, wb: Workbook, sheet: str, columns: list[Column]) -> Iterable[Row]:
    """The rows of a sheet the workbook may leave out (none when it does)."""
    return read_rows(path, wb, sheet, columns) if sheet in wb.sheetnames else ()


def _read_authorized(path: Path, wb: Workbook) -> dict[str, int]:
    """Job class -> budgeted positions (sheet Authorized)."""
    authorized = {}
    for row in read_rows(path, wb, "Authorized", [Column("job_class", text), Column("authorized", whole)]):
        where = {"file": path, "sheet": "Authorized", "row": row.number}
        if row["job_class"] in authorized:
            raise InputError("duplicate job_class", **where, column="job_class", value=row["job_class"],
                             fix="give each job class one row")
        if row["authorized"] < 0:
            raise InputError("authorized must be 0 or more", **where, column="authorized",
                             value=row["authorized"])
        authorized[row["job_class"]] = row["authorized"]
    return authorized


def _read_shifts(path: Path, wb: Workbook) -> dict[str, ShiftTemplate]:
    shifts: dict[str, ShiftTemplate] = {}
    for row in read_rows(path, wb, "Shifts", [
        Column("code", text), Column("start", clock), Column("hours", shift_hours),
        Column("label", text, required=False, default=""),
    ]):
        if row["code"] in shifts:
            raise InputError("duplicate shift code", file=path, sheet="Shifts", row=row.number, column="code",
                             value=row["code"], fix="give each template its own code")
        shifts[row["code"]] = ShiftTemplate(row["code"], row["start"], row["hours"], row["label"])
    if not shifts:
        raise InputError("no shift templates", file=path, sheet="Shifts", fix="add at least one row")
    return shifts


def _read_positions(path: Path, wb: Workbook) -> dict[str, Position]:
    positions: dict[str, Position] = {}
    for row in read_rows(path, wb, "Positions", [
        Column("position", text), Column("name", text), Column("kind", position_kind),
        Column("qualification", text),
        Column("streams", codes, required=False, default=()),
        Column("calls_per_seat", positive_number, required=False, default=None),
        Column("criticality", criticality, required=False, default=1),
    ]):
        if row["position"] in positions:
            raise InputError("duplicate position", file=path, sheet="Positions", row=row.number,
                             column="position", value=row["position"], fix="give each position its own id")
        if row["kind"] is PositionKind.CALL_TAKING and not row["streams"]:
            raise InputError("a call_taking position needs the forecast streams it answers", file=path,
                             sheet="Positions", row=row.number, column="streams",
                             fix="list streams, e.g. 911_police,admin_police")
        if row["calls_per_seat"] and (row["kind"] is PositionKind.CALL_TAKING or not row["streams"]):
            raise InputError("calls_per_seat scales a radio or supervisor position with the calls of its "
                             "streams", file=path, sheet="Positions", row=row.number, column="calls_per_seat",
                             value=row["calls_per_seat"],
                             fix="list the streams, or leave calls_per_seat empty")
        positions[row["position"]] = Position(
            row["position"], row["name"], row["kind"], row["qualification"], row["streams"],
            row["calls_per_seat"], row["criticality"],
        )
    return positions


# No position of a 9-1-1 floor has this many seats; a count past it is a typing slip (and 10^9 seats ran
# the report of open shifts for hours).
MOST_SEATS = 500


def _read_minimums(path: Path, wb: Workbook, positions: dict[str, Position]) -> list[Minimum]:
    minimums = []
    for row in read_rows(path, wb, "Minimums", [
        Column("position", text), Column("days", weekdays), Column("from", hour_of_day),
        Column("to", hour_of_day), Column("minimum", whole),
    ]):
        if row["position"] not in positions:
            raise InputError("unknown position", file=path, sheet="Minimums", row=row.number,
                             column="position", value=row["position"],
                             fix="use a position from sheet Positions")
        if row["minimum"] < 0 or row["from"] == row["to"] or row["from"] == 24:
            raise InputError("a minimum needs from != to and a count >= 0", file=path, sheet="Minimums",
                             row=row.number, column="minimum", value=row["minimum"])
        if row["minimum"] > MOST_SEATS:
            raise InputError(f"more than {MOST_SEATS} seats at one position", file=path, sheet="Minimums",
                             row=row.number, column="minimum", value=row["minimum"],
                             fix="give the seats staffed at once, not hours or people")
        minimums.append(Minimum(row["position"], row["days"], row["from"], row["to"], row["minimum"]))
    return minimums


def _read_staff(path: Path, wb: Workbook, authorized: dict[str, int],
                shifts: dict[str, ShiftTemplate]) -> tuple[dict[str, Employee], dict[str, int]]:
    """Employee id -> Employee, and employee id -> sheet row (to name a row a later check rejects)."""
    staff: dict[str, Employee] = {}
    staff_rows: dict[str, int] = {}
    for row in read_rows(path, wb, "Staff", [
        Column("employee_id", text), Column("name", text), Column("job_class", text),
        Column("qualifications", codes), Column("cto", yes_no, required=False, default=False),
        Column("shift_length", shift_hours), Column("shifts", codes, required=False, default=()),
        Column("contract_hours", whole_hours, required=False, default=40.0),
        Column("max_overtime_hours", whole_hours, required=False, default=None),
        Column("hire_date", day, required=False, default=None),
    ]):
        where = {"file": path, "sheet": "Staff", "row": row.number}
        if row["employee_id"] in staff:
            raise InputError("duplicate employee_id", **where, column="employee_id", value=row["employee_id"],
                             fix="give each employee a unique id")
        if authorized and row["job_class"] not in authorized:
            raise InputError("unknown job_class", **where, column="job_class", value=row["job_class"],
                             fix=f"use one of {', '.join(authorized)} (sheet Authorized)")
        _check_bid(row, shifts, where)
        staff[row["employee_id"]] = Employee(
            id=row["employee_id"], name=row["name"], job_class=row["job_class"],
            qualifications=frozenset(row["qualifications"]), shift_length=row["shift_length"],
            hire_date=row["hire_date"], cto=row["cto"], shift_codes=row["shifts"],
            contract_hours=row["contract_hours"], max_overtime_hours=row["max_overtime_hours"],
        )
        staff_rows[row["employee_id"]] = row.number
    if not staff:
        raise InputError("no employees", file=path, sheet="Staff", fix="add one row per employee")
    return staff, staff_rows


def _check_bid(row: Row, shifts: dict[str, ShiftTemplate], where: dict) -> None:
    """A Staff row's bid shifts exist and are of its shift length; without a bid, some template is."""
    for code in row["shifts"]:
        if code not in shifts:
            raise InputError("unknown shift code", **where, column="shifts", value=code,
                             fix=f"use codes from sheet Shifts: {', '.join(shifts)}")
        if shifts[code].hours != row["shift_length"]:
            raise InputError(f"bid shift {code} is {shifts[code].hours} h, not the employee's shift_length",
                             **where, column="shifts", value=code,
                             fix="bid on templates of the employee's shift length (weekly hours count on it)")
    if not row["shifts"] and not any(s.hours == row["shift_length"] for s in shifts.values()):
        raise InputError("no shift template of this length", **where, column="shift_length",
                         value=row["shift_length"], fix="add a template to sheet Shifts or list shifts")


def _known_employee(path: Path, staff: dict[str, Employee], sheet: str, row: Row) -> str:
    if row["employee_id"] not in staff:
        raise InputError("unknown employee", file=path, sheet=sheet, row=row.number, column="employee_id",
                         value=row["employee_id"], fix="use an employee_id from sheet Staff")
    return row["employee_id"]


def _read_leave(path: Path, wb: Workbook, staff: dict[str, Employee]) -> list[Leave]:
    """Approved leave. The last day is given either as `end_date` (inclusive: the last day off) or as
    `return_date` (exclusive: the first day back, as many HR and timekeeping exports give it): the header says
    which, never a guess."""
    end = _leave_end_column(path, wb)
    leave = []
    for row in read_rows(path, wb, "Leave", [
        Column("employee_id", text), Column("start_date", day), Column(end, day),
        Column("type", text, required=False, default="LEAVE"),
    ]):
        last = row[end] - timedelta(days=1) if end == "return_date" else row[end]
        if last < row["start_date"]:
            order = "not after" if end == "return_date" else "before"
            raise InputError(f"{end} {order} start_date", file=path, sheet="Leave", row=row.number,
                             column=end, value=str(row[end]))
        leave.append(Leave(_known_employee(path, staff, "Leave", row), row["start_date"], last, row["type"]))
    return leave


def _leave_end_column(path: Path, wb: Workbook) -> str:
    """`end_date` or `return_date`, whichever sheet Leave's header has (exactly one of them)."""
    if "Leave" not in wb.sheetnames:
        return "end_date"  # read_rows names the missing sheet
    rows = sheet_rows(path, wb, "Leave")
    header = {str(h).strip().lower() for h in (rows[0][1] if rows else ()) if h is not None}
    given = [name for name in ("end_date", "return_date") if name in header]
    if len(given) != 1:
        raise InputError("give either end_date (the last day off) or return_date (the first day back)",
                         file=path, sheet="Leave", row=1, column=" and ".join(given) or "end_date",
                         fix="keep one of the two columns")
    return given[0]


def _read_requests(path: Path, wb: Workbook, staff: dict[str, Employee]) -> list[DayOffRequest]:
    requests = []
    for row in _optional_rows(path, wb, "Requests", [  # a center without day-off requests may leave it out
        Column("employee_id", text), Column("date", day), Column("weight", whole, required=False, default=1),
    ]):
        if not 1 <= row["weight"] <= 5:
            raise InputError("weight must be 1 to 5", file=path, sheet="Requests", row=row.number,
                             column="weight", value=row["weight"])
        employee_id = _known_employee(path, staff, "Requests", row)
        requests.append(DayOffRequest(employee_id, row["date"], row["weight"]))
    return requests


def _read_pinned(path: Path, wb: Workbook, staff: dict[str, Employee], shifts: dict[str, ShiftTemplate],
                 positions: dict[str, Position], leave: list[Leave]) -> list[Pin]:
    pins: list[Pin] = []
    for row in _optional_rows(path, wb, "Pinned", [
        Column("employee_id", text), Column("date", day), Column("shift_code", text),
        Column("position", text),
    ]):
        where = {"file": path, "sheet": "Pinned", "row": row.number}
        pins.append(checked_pin(row, staff, shifts, positions, leave, pins, where))
    return pins


def _read_preferences(path: Path, wb: Workbook, staff: dict[str, Employee],
                      shifts: dict[str, ShiftTemplate]) -> list[ShiftPreference]:
    preferences = []
    for row in _optional_rows(path, wb, "Preferences", [
        Column("employee_id", text), Column("preference", preference),
        Column("shifts", codes, required=False, default=()),
        Column("days", weekdays, required=False, default=None),
        Column("date", day, required=False, default=None), Column("weight", whole, required=False, default=1),
    ]):
        employee = staff[_known_employee(path, staff, "Preferences", row)]
        where = {"file": path, "sheet": "Preferences", "row": row.number}
        _check_preferred_shifts(employee, row["shifts"], shifts, where)
        if not row["preference"] and not row["shifts"]:
            raise InputError("a prefer row names the preferred shifts", **where, column="shifts",
                             fix="list shift codes, e.g. D8,E8 (a day off is a row in sheet Requests)")
        if row["days"] is not None and row["date"] is not None:
            raise InputError("give days or a date, not both", **where, column="date", value=str(row["date"]),
                             fix="one row per date, or clear the date to use days")
        if not 1 <= row["weight"] <= 5:
            raise InputError("weight must be 1 to 5", **where, column="weight", value=row["weight"],
                             fix="use a whole number from 1 to 5")
        preferences.append(ShiftPreference(
            employee.id, row["preference"], row["shifts"],
            frozenset(range(7)) if row["days"] is None else row["days"], row["date"], row["weight"]))
    return preferences


def _check_preferred_shifts(employee: Employee, codes_named: tuple[str, ...],
                            shifts: dict[str, ShiftTemplate], where: dict) -> None:
    """The shifts a Preferences row names exist and are ones the employee may work."""
    for code in codes_named:
        if code not in shifts:
            raise InputError("unknown shift code", **where, column="shifts", value=code,
                             fix=f"use codes from sheet Shifts: {', '.join(shifts)}")
        if not employee.can_work(shifts[code]):
            raise InputError(f"{employee.id} never works {code} (shift length or bid)", **where,
                             column="shifts", value=code,
                             fix="name shifts of the employee's length and bid, or change sheet Staff")


def _read_patterns(path: Path, wb: Workbook, staff: dict[str, Employee],
                   pins: list[Pin]) -> dict[str, Pattern]:
    patterns: dict[str, Pattern] = {}
    for row in _optional_rows(path, wb, "Patterns", [
        Column("employee_id", codes), Column("pattern", cycle_pattern), Column("anchor", day),
    ]):
        where = {"file": path, "sheet": "Patterns", "row": row.number}
        name, letters = row["pattern"]
        for employee_id in row["employee_id"]:  # one employee, or a team as a comma-separated list
            if employee_id not in staff:
                raise InputError("unknown employee", **where, column="employee_id", value=employee_id,
                                 fix="use employee_ids from sheet Staff")
            if employee_id in patterns:
                raise InputError("a second pattern for the same employee", **where, column="employee_id",
                                 value=employee_id, fix="give each employee at most one pattern")
            pattern = Pattern(employee_id, name, letters, row["anchor"])
            clash = next((p for p in pins if p.employee_id == employee_id and not pattern.works_on(p.day)),
                         None)
            if clash:
                raise InputError(f"pinned to {clash.shift_code} on {clash.day}, an off day of pattern {name}",
                                 **where, column="pattern", value=name,
                                 fix="remove the pin or move the anchor")
            patterns[employee_id] = pattern
    return patterns


def _check_authorized_counts(path: Path, center: Center, staff_rows: dict[str, int]) -> None:
    """Sheet Authorized is a hard cap: name the first Staff row past a job class's authorized count."""
    authorized = dict(center.authorized)
    job_class = next((job_class for job_class, vacant in center.vacancies().items() if vacant < 0), None)
    if job_class is None:
        return
    extra = [e.id for e in center.staff if e.job_class == job_class][authorized[job_class]]
    raise InputError(f"{center.filled()[job_class]} filled positions of job class {job_class}, "
                     f"{authorized[job_class]} authorized in sheet Authorized (trainees fill "
                     "positions too)", file=path, sheet="Staff", row=staff_rows[extra],
                     column="job_class", value=job_class,
                     fix="raise the count in sheet Authorized or remove the extra rows from sheet Staff")
