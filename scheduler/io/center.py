"""Read the center workbook (docs/center-workbook.md; its sheets and columns: io/center_sheets.py) into a
validated `Center`. Every error of every sheet is reported in one pass (io/all_errors.py)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from scheduler.domain import (
    ALL_CLASSES,
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
    filled_lines,
)
from scheduler.errors import InputError
from scheduler.io.all_errors import Problems, Table
from scheduler.io.center_sheets import (
    AUTHORIZED,
    LEAVE_ENDS,
    MINIMUMS,
    PATTERNS,
    PINNED,
    POSITIONS,
    PREFERENCES,
    REQUESTS,
    SHIFTS,
    STAFF,
    leave_columns,
)
from scheduler.io.pins import pin_for
from scheduler.io.sheets import Row, open_workbook, sheet_rows


def read_center(path: Path) -> Center:
    """The center, or InputErrors listing every bad cell and row of the workbook (a file that cannot be
    opened at all: one InputError)."""
    wb = open_workbook(path)
    try:
        return _read(Problems(path, wb))
    finally:
        wb.close()


def _read(found: Problems) -> Center:
    """The sheets in this order: a later sheet is checked against the earlier ones."""
    authorized = _read_authorized(found)
    shifts = _read_shifts(found)
    positions = _read_positions(found)
    minimums = _read_minimums(found, positions)
    staff = _read_staff(found, authorized, shifts)
    leave = _read_leave(found, staff)
    requests = _read_requests(found, staff)
    pins = _read_pinned(found, staff, shifts, positions, leave)
    preferences = _read_preferences(found, staff, shifts)
    patterns = _read_patterns(found, staff, pins)
    _check_authorized_counts(found, staff, authorized)
    found.raise_any()
    return Center(
        source=found.path, staff=tuple(staff.values()), shifts=tuple(shifts.values()),
        positions=tuple(positions.values()), minimums=tuple(minimums), leave=tuple(leave),
        requests=tuple(requests), authorized=tuple(authorized.items()), pins=tuple(pins),
        patterns=tuple(patterns.values()), preferences=tuple(preferences),
    )


def _at(found: Problems, sheet: str, row: Row) -> dict:
    """Where a row's error is: file, sheet and row."""
    return {"file": found.path, "sheet": sheet, "row": row.number}


def _read_authorized(found: Problems) -> Table:
    """Job class -> budgeted positions (sheet Authorized)."""
    authorized = Table("Authorized")
    for row in found.rows("Authorized", AUTHORIZED.columns, authorized, "job_class"):
        with found.row(authorized, row["job_class"]):
            if row["job_class"] in authorized:
                raise InputError("duplicate job_class", **_at(found, "Authorized", row), column="job_class",
                                 value=row["job_class"], fix="give each job class one row")
            authorized.add(row["job_class"], row["authorized"], row)
    return authorized


def _read_shifts(found: Problems) -> Table:
    shifts = Table("Shifts")
    for row in found.rows("Shifts", SHIFTS.columns, shifts, "code"):
        with found.row(shifts, row["code"]):
            if row["code"] in shifts:
                raise InputError("duplicate shift code", **_at(found, "Shifts", row), column="code",
                                 value=row["code"], fix="give each template its own code")
            shifts.add(row["code"], ShiftTemplate(row["code"], row["start"], row["hours"], row["label"]), row)
    if shifts.empty:
        found.add(InputError("no shift templates", file=found.path, sheet="Shifts",
                             fix="add at least one row"))
    return shifts


def _read_positions(found: Problems) -> Table:
    positions = Table("Positions")
    for row in found.rows("Positions", POSITIONS.columns, positions, "position"):
        with found.row(positions, row["position"]):
            positions.add(row["position"], _position(found, row, positions), row)
    return positions


def _position(found: Problems, row: Row, positions: Table) -> Position:
    where = _at(found, "Positions", row)
    if row["position"] in positions:
        raise InputError("duplicate position", **where, column="position", value=row["position"],
                         fix="give each position its own id")
    if row["kind"] is PositionKind.CALL_TAKING and not row["streams"]:
        raise InputError("a call_taking position needs the forecast streams it answers", **where,
                         column="streams", fix="list streams, e.g. 911_police,admin_police")
    if row["calls_per_seat"] and (row["kind"] is PositionKind.CALL_TAKING or not row["streams"]):
        raise InputError("calls_per_seat scales a radio or supervisor position with the calls of its streams",
                         **where, column="calls_per_seat", value=row["calls_per_seat"],
                         fix="list the streams, or leave calls_per_seat empty")
    return Position(row["position"], row["name"], row["kind"], row["qualification"], row["streams"],
                    row["calls_per_seat"], row["criticality"])


def _read_minimums(found: Problems, positions: Table) -> list[Minimum]:
    minimums = []
    for row in found.rows("Minimums", MINIMUMS.columns):
        with found.row():
            where = _at(found, "Minimums", row)
            positions.known(row["position"], InputError("unknown position", **where, column="position",
                                                        value=row["position"],
                                                        fix="use a position from sheet Positions"))
            if row["from"] == row["to"] or row["from"] == 24:
                raise InputError("a minimum needs from != to (to 24:00 for the end of the day)", **where,
                                 column="to", value=row["to"])
            minimums.append(Minimum(row["position"], row["days"], row["from"], row["to"], row["minimum"]))
    return minimums


def _read_staff(found: Problems, authorized: Table, shifts: Table) -> Table:
    """Employee id -> Employee (sheet Staff)."""
    staff = Table("Staff")
    for row in found.rows("Staff", STAFF.columns, staff, "employee_id"):
        with found.row(staff, row["employee_id"]):
            where = _at(found, "Staff", row)
            if row["employee_id"] in staff:
                raise InputError("duplicate employee_id", **where, column="employee_id",
                                 value=row["employee_id"], fix="give each employee a unique id")
            # A total row (`all`), even a rejected one, lets any job class through: its error is its own.
            if not authorized.empty and authorized.lacks(ALL_CLASSES) and authorized.lacks(row["job_class"]):
                raise InputError("unknown job_class", **where, column="job_class", value=row["job_class"],
                                 fix=f"use one of {', '.join(authorized)} (sheet Authorized)")
            _check_bid(row, shifts, where)
            staff.add(row["employee_id"], Employee(
                id=row["employee_id"], name=row["name"], job_class=row["job_class"],
                qualifications=frozenset(row["qualifications"]), shift_length=row["shift_length"],
                hire_date=row["hire_date"], cto=row["cto"], shift_codes=row["shifts"],
                contract_hours=row["contract_hours"], max_overtime_hours=row["max_overtime_hours"],
            ), row)
    if staff.empty:
        found.add(InputError("no employees", file=found.path, sheet="Staff", fix="add one row per employee"))
    return staff


def _shift(shifts: Table, code: str, where: dict, column: str) -> ShiftTemplate:
    return shifts.known(code, InputError("unknown shift code", **where, column=column, value=code,
                                         fix=f"use codes from sheet Shifts: {', '.join(shifts)}"))


def _check_bid(row: Row, shifts: Table, where: dict) -> None:
    """A Staff row's bid shifts exist and are of its shift length; without a bid, some template is."""
    for code in row["shifts"]:
        hours = _shift(shifts, code, where, "shifts").hours
        if hours != row["shift_length"]:
            raise InputError(f"bid shift {code} is {hours} h, not the employee's shift_length", **where,
                             column="shifts", value=code,
                             fix="bid on templates of the employee's shift length (weekly hours count on it)")
    lengths = {s.hours for s in shifts.values()}
    if not row["shifts"] and shifts.whole and row["shift_length"] not in lengths:
        raise InputError("no shift template of this length", **where, column="shift_length",
                         value=row["shift_length"], fix="add a template to sheet Shifts or list shifts")


def _employee(found: Problems, staff: Table, sheet: str, row: Row) -> Employee:
    return staff.known(row["employee_id"], InputError(
        "unknown employee", **_at(found, sheet, row), column="employee_id", value=row["employee_id"],
        fix="use an employee_id from sheet Staff"))


def _read_leave(found: Problems, staff: Table) -> list[Leave]:
    """Approved leave. The last day is given either as `end_date` (inclusive: the last day off) or as
    `return_date` (exclusive: the first day back, as many HR and timekeeping exports give it): the header says
    which, never a guess."""
    end = _leave_end_column(found)
    leave = []
    for row in (found.rows("Leave", leave_columns(end)) if end else ()):
        with found.row():
            last = row[end] - timedelta(days=1) if end == "return_date" else row[end]
            if last < row["start_date"]:
                order = "not after" if end == "return_date" else "before"
                raise InputError(f"{end} {order} start_date", **_at(found, "Leave", row), column=end,
                                 value=str(row[end]))
            employee = _employee(found, staff, "Leave", row)
            leave.append(Leave(employee.id, row["start_date"], last, row["type"]))
    return leave


def _leave_end_column(found: Problems) -> str | None:
    """`end_date` or `return_date`, whichever sheet Leave's header has (exactly one of them); None when the
    header has both or neither (an error) or the sheet cannot be read (the rows' reading says why)."""
    if "Leave" not in found.workbook.sheetnames:
        return LEAVE_ENDS[0]  # reading the rows names the missing sheet
    try:
        rows = sheet_rows(found.path, found.workbook, "Leave")
    except InputError as exc:
        found.add(exc)
        return None
    header = {str(h).strip().lower() for h in (rows[0][1] if rows else ()) if h is not None}
    given = [name for name in LEAVE_ENDS if name in header]
    if len(given) != 1:
        found.add(InputError("give either end_date (the last day off) or return_date (the first day back)",
                             file=found.path, sheet="Leave", row=1, column=" and ".join(given) or "end_date",
                             fix="keep one of the two columns"))
        return None
    return given[0]


def _read_requests(found: Problems, staff: Table) -> list[DayOffRequest]:
    requests = []
    # A center without day-off requests may leave the sheet out.
    for row in found.rows("Requests", REQUESTS.columns, optional=True):
        with found.row():
            employee = _employee(found, staff, "Requests", row)
            requests.append(DayOffRequest(employee.id, row["date"], row["weight"]))
    return requests


def _read_pinned(found: Problems, staff: Table, shifts: Table, positions: Table,
                 leave: list[Leave]) -> list[Pin]:
    pins = []
    for row in found.rows("Pinned", PINNED.columns, optional=True):
        with found.row():
            where = _at(found, "Pinned", row)
            employee = _employee(found, staff, "Pinned", row)
            template = _shift(shifts, row["shift_code"], where, "shift_code")
            position = positions.known(row["position"], InputError(
                "unknown position", **where, column="position", value=row["position"],
                fix="use a position from sheet Positions"))
            pins.append(pin_for(employee, template, position, row["date"], leave, pins, where))
    return pins


def _read_preferences(found: Problems, staff: Table, shifts: Table) -> list[ShiftPreference]:
    preferences = []
    for row in found.rows("Preferences", PREFERENCES.columns, optional=True):
        with found.row():
            employee = _employee(found, staff, "Preferences", row)
            where = _at(found, "Preferences", row)
            _check_preferred_shifts(employee, row["shifts"], shifts, where)
            if not row["preference"] and not row["shifts"]:
                raise InputError("a prefer row names the preferred shifts", **where, column="shifts",
                                 fix="list shift codes, e.g. D8,E8 (a day off is a row in sheet Requests)")
            if row["days"] is not None and row["date"] is not None:
                raise InputError("give days or a date, not both", **where, column="date",
                                 value=str(row["date"]),
                                 fix="one row per date, or clear the date to use days")
            preferences.append(ShiftPreference(
                employee.id, row["preference"], row["shifts"],
                frozenset(range(7)) if row["days"] is None else row["days"], row["date"], row["weight"]))
    return preferences


def _check_preferred_shifts(employee: Employee, codes_named: tuple[str, ...], shifts: Table,
                            where: dict) -> None:
    """The shifts a Preferences row names exist and are ones the employee may work."""
    for code in codes_named:
        if not employee.can_work(_shift(shifts, code, where, "shifts")):
            raise InputError(f"{employee.id} never works {code} (shift length or bid)", **where,
                             column="shifts", value=code,
                             fix="name shifts of the employee's length and bid, or change sheet Staff")


def _read_patterns(found: Problems, staff: Table, pins: list[Pin]) -> dict[str, Pattern]:
    patterns: dict[str, Pattern] = {}
    for row in found.rows("Patterns", PATTERNS.columns, optional=True):
        with found.row():
            where = _at(found, "Patterns", row)
            name, letters = row["pattern"]
            for employee_id in row["employee_id"]:  # one employee, or a team as a comma-separated list
                staff.known(employee_id, InputError("unknown employee", **where, column="employee_id",
                                                    value=employee_id,
                                                    fix="use employee_ids from sheet Staff"))
                if employee_id in patterns:
                    raise InputError("a second pattern for the same employee", **where, column="employee_id",
                                     value=employee_id, fix="give each employee at most one pattern")
                pattern = Pattern(employee_id, name, letters, row["anchor"])
                clash = next((p for p in pins
                              if p.employee_id == employee_id and not pattern.works_on(p.day)), None)
                if clash:
                    raise InputError(f"pinned to {clash.shift_code} on {clash.day}, an off day of pattern "
                                     f"{name}", **where, column="pattern", value=name,
                                     fix="remove the pin or move the anchor")
                patterns[employee_id] = pattern
    return patterns


def _check_authorized_counts(found: Problems, staff: Table, authorized: Table) -> None:
    """Sheet Authorized is a hard cap: name the first Staff row past each job class's authorized count. Only
    once both sheets read whole: a row left out would miscount."""
    if not (staff.whole and authorized.whole):
        return
    filled = filled_lines(e.job_class for e in staff.values())
    for job_class, count in authorized.items():
        if filled[job_class] > count:
            extra = [e.id for e in staff.values() if job_class in (e.job_class, ALL_CLASSES)][count]
            line = "in all" if job_class == ALL_CLASSES else f"of job class {job_class}"
            found.add(InputError(
                f"{filled[job_class]} filled positions {line}, {count} authorized in sheet "
                "Authorized (trainees fill positions too)", file=found.path, sheet="Staff",
                row=staff.rows[extra], column="job_class", value=job_class,
                fix="raise the count in sheet Authorized or remove the extra rows from sheet Staff"))
