"""Curtois & Qu shift scheduling benchmark files (schedulingbenchmarks.org, instances 1-24): the instance text
format and a solution's rows `employee_id,day,shift_id`.

Written from the format, not from the files at hand: sections in any order (a section ends where the next
one begins), `#` comment lines and blank lines anywhere, Windows or Unix line endings, MaxShifts naming any of
the shift types, a shift with no forbidden successor with or without its trailing comma. Every reference is
checked (a shift, an employee, a day of the horizon) and a bad value stops the reading with one InputError
naming its file, section, line and field.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from scheduler.domain import (
    NurseAssignment,
    NurseCover,
    NurseEmployee,
    NurseInstance,
    NurseRequest,
    NurseShift,
)
from scheduler.errors import InputError

# Each section's fields, in the order of its rows (a DAYS_OFF row lists any number of days).
SECTIONS: dict[str, tuple[str, ...]] = {
    "SECTION_HORIZON": ("days",),
    "SECTION_SHIFTS": ("ShiftID", "Length", "CannotFollow"),
    "SECTION_STAFF": ("ID", "MaxShifts", "MaxTotalMinutes", "MinTotalMinutes", "MaxConsecutiveShifts",
                      "MinConsecutiveShifts", "MinConsecutiveDaysOff", "MaxWeekends"),
    "SECTION_DAYS_OFF": ("EmployeeID", "DayIndexes"),
    "SECTION_SHIFT_ON_REQUESTS": ("EmployeeID", "Day", "ShiftID", "Weight"),
    "SECTION_SHIFT_OFF_REQUESTS": ("EmployeeID", "Day", "ShiftID", "Weight"),
    "SECTION_COVER": ("Day", "ShiftID", "Requirement", "WeightUnder", "WeightOver"),
}
REQUIRED = ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF")
SOLUTION_FIELDS = ("employee_id", "day", "shift_id")
# Above every number an instance states (minutes over a plan, head counts, weights): larger ones overflow the
# model's 64-bit sums of them, so they are refused here rather than failing inside the solver.
LARGEST = 10**9


@dataclass(frozen=True)
class Line:
    """One data row of a file: its fields, their names, and where it is for an error."""

    file: Path
    section: str | None
    number: int
    fields: tuple[str, ...]
    names: tuple[str, ...]

    def error(self, message: str, column: str | None = None, value: object = None,
              fix: str | None = None) -> InputError:
        return InputError(message, file=self.file, section=self.section, line=self.number, column=column,
                          value=value, fix=fix)

    def name(self, index: int) -> str:
        return self.names[min(index, len(self.names) - 1)]

    def check_count(self, fewest: int | None = None, most: int | None = None) -> None:
        """Refuses a row of fewer than `fewest` or more than `most` fields (both: as many as its names)."""
        fewest = len(self.names) if fewest is None else fewest
        most = len(self.names) if most is None else most
        if not fewest <= len(self.fields) <= most:
            raise self.error(f"{len(self.fields)} fields, not {len(self.names)}", value=",".join(self.fields),
                             fix=f"write {','.join(self.names)}")

    def integer(self, index: int, least: int = 0, below: int = LARGEST + 1) -> int:
        """Field `index` as a whole number from `least` up to, not including, `below`."""
        text = self.fields[index]
        try:
            number = int(text)
        except ValueError:
            raise self.error("not a whole number", column=self.name(index), value=text) from None
        if not least <= number < below:
            raise self.error(f"out of range: give a whole number from {least} to {below - 1}",
                             column=self.name(index), value=number)
        return number

    def known(self, index: int, names: Mapping[str, object], what: str) -> str:
        """Field `index`, a key of `names` (the shift types or the employees of the instance)."""
        text = self.fields[index]
        if text not in names:
            raise self.error(f"unknown {what}", column=self.name(index), value=text,
                             fix=f"use one of {', '.join(names)}")
        return text


def read_instance(path: Path) -> NurseInstance:
    """The instance in a Curtois & Qu text file, its name the file's stem."""
    sections = _sections(path)
    days = _horizon(path, sections["SECTION_HORIZON"])
    shifts = _shifts(path, sections["SECTION_SHIFTS"])
    by_id = {s.id: s for s in shifts}
    staff = _with_days_off(sections["SECTION_DAYS_OFF"], _staff(path, sections["SECTION_STAFF"], by_id), days)
    known = by_id, {e.id: e for e in staff}
    return NurseInstance(
        name=path.stem, days=days, shifts=shifts, staff=staff,
        on_requests=tuple(_request(line, days, *known) for line in sections["SECTION_SHIFT_ON_REQUESTS"]),
        off_requests=tuple(_request(line, days, *known) for line in sections["SECTION_SHIFT_OFF_REQUESTS"]),
        cover=_cover(sections["SECTION_COVER"], days, by_id), source=path)


def read_solution(path: Path, instance: NurseInstance) -> tuple[NurseAssignment, ...]:
    """A solution's rows `employee_id,day,shift_id` (a first row of these names is a header), each naming an
    employee and a shift type of `instance` and a day of its horizon. Two shifts on a day are read as given:
    the scorer reports them."""
    shifts, staff = instance.shifts_by_id, instance.staff_by_id
    assignments = []
    for number, text in _rows(path):
        line = Line(path, None, number, _split(text), SOLUTION_FIELDS)
        if not assignments and line.fields == SOLUTION_FIELDS:
            continue
        line.check_count()
        assignments.append(NurseAssignment(line.known(0, staff, "employee"),
                                           line.integer(1, below=instance.days),
                                           line.known(2, shifts, "shift type")))
    return tuple(assignments)


def _rows(path: Path) -> Iterator[tuple[int, str]]:
    """The file's lines but comments and blank ones, stripped, with their numbers from 1."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file ({exc.__class__.__name__})", file=path) from None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped and not stripped.startswith("#"):
            yield number, stripped


def _split(text: str) -> tuple[str, ...]:
    """A row's fields but empty trailing ones (a spreadsheet's export pads rows with commas)."""
    fields = [field.strip() for field in text.split(",")]
    while fields and not fields[-1]:
        fields.pop()
    return tuple(fields)


def _sections(path: Path) -> dict[str, list[Line]]:
    """Each section's rows; a section ends where the next begins."""
    sections: dict[str, list[Line]] = {}
    current = None
    for number, text in _rows(path):
        if text.startswith("SECTION_"):
            name = text.rstrip(", \t")
            if name not in SECTIONS or name in sections:
                raise InputError("unknown section, or one given twice", file=path, line=number, value=name,
                                 fix=f"give each of {', '.join(SECTIONS)} once")
            current, sections[name] = name, []
        elif current is None:
            raise InputError("a row before the first section", file=path, line=number, value=text,
                             fix="begin the file with SECTION_HORIZON")
        else:
            sections[current].append(Line(path, current, number, _split(text), SECTIONS[current]))
    missing = [name for name in REQUIRED if name not in sections]
    if missing:
        raise InputError(f"no {missing[0]}", file=path, fix=f"give sections {', '.join(REQUIRED)} at least")
    return {name: sections.get(name, []) for name in SECTIONS}


def _horizon(path: Path, lines: list[Line]) -> int:
    if len(lines) != 1:
        raise InputError(f"{len(lines)} rows, not 1", file=path, section="SECTION_HORIZON",
                         fix="give the number of days alone")
    lines[0].check_count()
    return lines[0].integer(0, least=1)


def _shifts(path: Path, lines: list[Line]) -> tuple[NurseShift, ...]:
    ids: dict[str, Line] = {}
    for line in lines:
        line.check_count(fewest=2)  # a shift no other is forbidden after has no third field
        if not line.fields[0] or line.fields[0] in ids:
            raise line.error("a shift type empty or given twice", column="ShiftID", value=line.fields[0])
        ids[line.fields[0]] = line
    if not ids:
        raise InputError("no shift type", file=path, section="SECTION_SHIFTS",
                         fix="give a row per shift type")
    shifts = []
    for shift_id, line in ids.items():
        listed = line.fields[2] if len(line.fields) > 2 else ""
        forbidden = frozenset(name.strip() for name in listed.split("|") if name.strip())
        for name in sorted(forbidden - set(ids)):
            raise line.error("unknown shift type", column="CannotFollow", value=name,
                             fix=f"use {', '.join(ids)}, separated by |")
        shifts.append(NurseShift(shift_id, line.integer(1, least=1), forbidden))
    return tuple(shifts)


def _max_shifts(line: Line, shifts: Mapping[str, NurseShift]) -> tuple[tuple[str, int], ...]:
    """MaxShifts, e.g. `E=14|L=0`: any of the shift types, each once."""
    limits: dict[str, int] = {}
    for item in (part.strip() for part in line.fields[1].split("|") if part.strip()):
        shift_id, equals, count = (part.strip() for part in item.partition("="))
        if (not equals or shift_id not in shifts or shift_id in limits or not count.isascii()
                or not count.isdigit() or int(count) > LARGEST):
            raise line.error("not a shift type of the instance (once) = a whole number", column="MaxShifts",
                             value=item, fix=f"write e.g. {'|'.join(f'{s}=14' for s in shifts)}")
        limits[shift_id] = int(count)
    return tuple(limits.items())


def _staff(path: Path, lines: list[Line], shifts: Mapping[str, NurseShift]) -> tuple[NurseEmployee, ...]:
    staff: dict[str, NurseEmployee] = {}
    for line in lines:
        line.check_count()
        if not line.fields[0] or line.fields[0] in staff:
            raise line.error("an employee empty or given twice", column="ID", value=line.fields[0])
        employee = NurseEmployee(line.fields[0], _max_shifts(line, shifts),
                                 *(line.integer(i) for i in range(2, 8)))
        if employee.min_total_minutes > employee.max_total_minutes:
            raise line.error("MinTotalMinutes over MaxTotalMinutes", column="MinTotalMinutes",
                             value=employee.min_total_minutes,
                             fix="give a minimum no higher than the maximum")
        staff[employee.id] = employee
    if not staff:
        raise InputError("no employee", file=path, section="SECTION_STAFF", fix="give a row per employee")
    return tuple(staff.values())


def _with_days_off(lines: list[Line], staff: tuple[NurseEmployee, ...],
                   days: int) -> tuple[NurseEmployee, ...]:
    """The staff with their DAYS_OFF rows' days: `ID, day, day, ...` (any number of days, rows of one employee
    added up)."""
    off: dict[str, set[int]] = {e.id: set() for e in staff}
    for line in lines:
        line.check_count(fewest=1, most=len(line.fields))
        employee = line.known(0, off, "employee")
        off[employee] |= {line.integer(i, below=days) for i in range(1, len(line.fields)) if line.fields[i]}
    return tuple(replace(e, days_off=frozenset(off[e.id])) for e in staff)


def _request(line: Line, days: int, shifts: Mapping[str, NurseShift],
             staff: Mapping[str, NurseEmployee]) -> NurseRequest:
    line.check_count()
    return NurseRequest(line.known(0, staff, "employee"), line.integer(1, below=days),
                        line.known(2, shifts, "shift type"), line.integer(3))


def _cover(lines: list[Line], days: int, shifts: Mapping[str, NurseShift]) -> tuple[NurseCover, ...]:
    cover: dict[tuple[int, str], NurseCover] = {}
    for line in lines:
        line.check_count()
        row = NurseCover(line.integer(0, below=days), line.known(1, shifts, "shift type"),
                         *(line.integer(i) for i in range(2, 5)))
        if (row.day, row.shift_id) in cover:
            raise line.error("a day and shift type given twice", column="ShiftID",
                             value=f"{row.day},{row.shift_id}", fix="give each day and shift type one row")
        cover[row.day, row.shift_id] = row
    return tuple(cover.values())
