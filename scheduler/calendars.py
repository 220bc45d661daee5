"""Calendars from a roster workbook (`scheduler calendars`): one iCalendar file per employee, `<employee
id>.ics`, with an event per shift (its pay segments joined back by shift_id) and an all-day event per day of
approved leave in the plan (from the center workbook the roster's manifest names, when it is found) or of a
repair's call-out (from the Run sheet)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from scheduler.domain import Assignment, Center, Leave
from scheduler.errors import InputError
from scheduler.io.center import read_center
from scheduler.io.existing import refuse_to_replace
from scheduler.io.ics import Event, calendar_text
from scheduler.io.roster_xlsx import RosterFile, read_roster, roster_shifts
from scheduler.io.tables import write_files
from scheduler.pipeline import run_callouts
from scheduler.repair import CALLOUT

SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class CalendarsOutcome:
    folder: Path
    files: dict[str, Path]  # employee id -> its calendar
    shifts: int
    leave_days: int
    center_workbook: Path | None  # where the leave came from; None: not found, no approved leave in them
    # Employees of the center with neither a shift nor leave in the plan: no calendar (one needs an event).
    without_events: tuple[str, ...]
    others: tuple[Path, ...]  # .ics files in the folder that are not this roster's (an earlier run's)


def calendars_folder(workbook: Path) -> Path:
    """`<roster name>-calendars` beside the roster workbook."""
    return workbook.with_name(f"{workbook.stem}-calendars")


def write_calendars(workbook: Path, out_dir: Path | None = None, force: bool = False,
                    center_path: Path | None = None) -> CalendarsOutcome:
    """Read the roster (and its center workbook: `center_path`, else the one its manifest names, found and
    verified as `check` does, or none when it is not found) and write every employee's calendar as one set,
    all or nothing; files already there are replaced only with `force`."""
    roster = read_roster(workbook)
    center_name, stamp = _published(roster)
    center = _center(workbook, roster, center_path)
    shifts = roster_shifts(roster, workbook, "given")
    leave = _leave_days(roster, center)
    names = {e.id: e.name for e in center.staff} if center is not None else {}
    names.update({row["employee_id"]: row["employee_name"] for row in roster.assignments
                  if row["employee_name"]})
    events = _shift_events(roster, shifts, center_name)
    for (employee, day_), kind in leave.items():
        events[employee].append(_leave_event(employee, day_, kind, center_name))
    folder = out_dir or calendars_folder(workbook)
    files = _file_names(folder, sorted(events))
    if not force:
        refuse_to_replace(files.values(), "a calendar")
    title = _plan_title(roster.run["week_start"], roster.run["days"])
    # A UID begins with its day: in UID order, each employee's events come day by day.
    write_files({files[employee]: _utf8(calendar_text(f"{names.get(employee) or employee}: shifts, {title}",
                                                      stamp, sorted(found, key=lambda e: e.uid)))
                 for employee, found in events.items()})
    staff = [e.id for e in center.staff] if center is not None else []
    return CalendarsOutcome(folder, files, len(shifts), len(leave), center.source if center else None,
                            tuple(e for e in staff if e not in events),
                            tuple(sorted(set(folder.glob("*.ics")) - set(files.values()))))


def _published(roster: RosterFile) -> tuple[str, datetime]:
    """The center's name and the roster's generated time (local, in the center's zone) of a roster that is
    not a draft."""
    run, where = roster.run, {"file": roster.path, "sheet": "Run"}
    recorded = {key: str(value) for key, value in run["recorded"].items() if value is not None}
    if "draft" in recorded:
        raise InputError(f"a draft roster is not to be published ({recorded['draft']})", **where,
                         fix="give the roster workbook without -draft, or build again")
    missing = next((key for key in ("center", "generated") if key not in recorded), None)
    if missing:
        raise InputError(f"the Run sheet has no {missing!r}", **where,
                         fix="give a roster workbook written by `scheduler build` or `repair`")
    try:
        generated = datetime.fromisoformat(recorded["generated"])
    except ValueError:
        raise InputError("generated is not a date and time", **where, value=recorded["generated"]) from None
    # Written with its UTC offset; a roster from before that, as the local time of the machine that built it:
    # read in the center's zone, so that the same roster gives the same DTSTAMP wherever calendars are made.
    return recorded["center"], generated if generated.tzinfo else generated.replace(tzinfo=run["tz"])


def _center(workbook: Path, roster: RosterFile, center_path: Path | None) -> Center | None:
    """The center workbook given, else the one the roster recorded when it is found (its SHA-256 verified);
    None when it is not found."""
    if center_path is not None:
        return read_center(center_path)
    recorded = roster.run["inputs"]["center_workbook"]
    if not recorded.find(workbook).is_file():
        return None
    return read_center(recorded.verified(workbook, "center_workbook"))


def _leave_days(roster: RosterFile, center: Center | None) -> dict[tuple[str, date], str]:
    """(employee, day) -> leave type, for each plan day on approved leave or called out (a repair's)."""
    first, days = roster.run["week_start"], roster.run["days"]
    plan = [first + timedelta(days=d) for d in range(days)]
    leave = [*(center.leave if center is not None else ()),
             *(Leave(employee, day_, day_, CALLOUT) for employee, day_ in run_callouts(roster))]
    return {(lv.employee_id, day_): lv.type for lv in leave for day_ in plan if lv.covers(day_)}


def _shift_events(roster: RosterFile, shifts: list[Assignment], center_name: str) -> dict[str, list[Event]]:
    """An event per shift, its UID the employee and the day the shift starts: a shift changed in a later
    version of the roster (another template, position or end) updates the event already imported. A roster
    with two shifts of one employee on a day breaks the one-shift-a-day rule: refused (`check` says more)."""
    pay: dict[tuple[str, date], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in roster.assignments:
        pay[row["employee_id"], row["shift_date"]][row["pay_code"]] += row["hours"]
    events: dict[str, list[Event]] = defaultdict(list)
    for shift in sorted(shifts, key=lambda s: (s.employee_id, s.start)):
        uid = _uid(shift.employee_id, shift.day, "shift")
        if any(event.uid == uid for event in events[shift.employee_id]):
            raise InputError(f"{shift.employee_id} has two shifts on {shift.day}", file=roster.path,
                             sheet="Assignments", fix="run `scheduler check` on the roster and correct it")
        hours = sorted(pay[shift.employee_id, shift.day].items(), key=lambda item: item[0] != "REG")
        description = [center_name, f"Position: {shift.position}",
                       f"Shift: {shift.shift_code} on {shift.day:%a %Y-%m-%d}",
                       f"Local time: {_local(shift.start)} to {_local(shift.end)}",
                       f"Pay: {', '.join(f'{h:g} h {code}' for code, h in hours)}"]
        events[shift.employee_id].append(Event(uid, shift.start, shift.end,
                                               f"{shift.shift_code} {shift.position} ({shift.hours:g} h)",
                                               "\n".join(description)))
    return events


def _leave_event(employee: str, day_: date, kind: str, center_name: str) -> Event:
    summary = "Called out" if kind == CALLOUT else f"Leave: {kind}"
    return Event(_uid(employee, day_, "leave"), day_, day_ + timedelta(days=1), summary,
                 f"{center_name}\n{summary}")


def _uid(employee: str, day_: date, kind: str) -> str:
    return f"{day_:%Y%m%d}-{kind}-{employee}@scheduler"


def _local(moment: datetime) -> str:
    """`2026-11-01 01:00-05:00`: the wall-clock time with its UTC offset, plain on a DST night too."""
    return moment.isoformat(sep=" ", timespec="minutes")


def _plan_title(first: date, days: int) -> str:
    last = first + timedelta(days=days - 1)
    return f"week of {first}" if days == 7 else f"{first} to {last}"


def _file_names(folder: Path, employees: list[str]) -> dict[str, Path]:
    """`<employee id>.ics`, characters a file name cannot hold as `-`; two ids that would share a name (also
    as a case-insensitive file system sees it) are refused."""
    files = {employee: folder / f"{SAFE_NAME.sub('-', employee).strip('.-') or 'employee'}.ics"
             for employee in employees}
    seen: dict[str, str] = {}
    for employee, path in files.items():
        other = seen.setdefault(path.name.lower(), employee)
        if other != employee:
            raise InputError(f"employees {other} and {employee} would share the calendar file {path.name}",
                             file=path.parent, fix="give employees ids that differ in more than case or "
                                                   "punctuation")
    return files


def _utf8(text: str):
    return lambda target: target.write_bytes(text.encode("utf-8"))
