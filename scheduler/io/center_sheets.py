"""The center workbook's sheets and their columns (docs/center-workbook.md), declared once: the reader
(io/center.py) reads them and the template (io/template.py) writes them, a note on each header."""

from __future__ import annotations

from dataclasses import dataclass, replace

from scheduler.domain import LEAVE_TYPES
from scheduler.io.center_cells import (
    clock,
    criticality,
    cycle_pattern,
    headcount,
    hour_of_day,
    position_kind,
    positive_number,
    preference,
    seats,
    shift_hours,
    weekdays,
    weight,
    whole_hours,
)
from scheduler.io.sheets import Column, codes, day, text, yes_no


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    required: bool = True  # False: a center may leave the sheet out

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


EMPLOYEE = Column("employee_id", text, note="An employee_id of sheet Staff.")

STAFF = Sheet("Staff", (
    Column("employee_id", text, note="The employee's unique id, e.g. E001."),
    Column("name", text, note="Last, First."),
    Column("job_class", text, note="A job class of sheet Authorized, e.g. telecommunicator, supervisor or "
                                   "trainee."),
    Column("qualifications", codes, note="Comma-separated qualification codes (column qualification of "
                                         "sheet Positions); a trainee's: the one trained for."),
    Column("cto", yes_no, required=False, default=False,
           note="yes: a communications training officer, who may have a trainee beside them."),
    Column("shift_length", shift_hours,
           note="Whole hours, 4 to 16: the employee works shift templates of this length."),
    Column("shifts", codes, required=False, default=(),
           note="Comma-separated codes of the shifts the employee bid for; blank: every template of "
                "shift_length."),
    Column("contract_hours", whole_hours, required=False, default=40.0,
           note="Paid regular hours a week; hours above are overtime."),
    Column("max_overtime_hours", whole_hours, required=False, default=None,
           note="Voluntary overtime cap a week; blank: the rules file's max_overtime_hours."),
    Column("hire_date", day, required=False, default=None,
           note="Seniority: weighs requests and preferences when the rules file sets seniority_weighting; "
                "scenarios certify trainees from it."),
))

LEAVE = Sheet("Leave", (
    EMPLOYEE,
    Column("start_date", day, note="First day off."),
    Column("end_date", day, note="Last day off (inclusive). A sheet copied from an HR export that gives the "
                                 "first day back instead names this column return_date."),
    Column("type", text, required=False, default="LEAVE",
           note=f"{', '.join(LEAVE_TYPES)} (vacation, sick, training, FMLA, comp time); another type is "
                "taken as leave, with a warning."),
))
LEAVE_ENDS = ("end_date", "return_date")  # inclusive or exclusive: the header says which


def leave_columns(end: str) -> tuple[Column, ...]:
    """Sheet Leave's columns with its last day given as `end` (one of LEAVE_ENDS)."""
    return tuple(replace(c, name=end) if c.name == "end_date" else c for c in LEAVE.columns)


REQUESTS = Sheet("Requests", (
    EMPLOYEE,
    Column("date", day, note="The day off asked for (soft: granted where the roster can)."),
    Column("weight", weight, required=False, default=1, note="How much it counts, 1 to 5."),
), required=False)

PREFERENCES = Sheet("Preferences", (
    EMPLOYEE,
    Column("preference", preference, note="prefer or avoid."),
    Column("shifts", codes, required=False, default=(),
           note="Comma-separated shift codes the employee may work; needed to prefer. Blank on an avoid row: "
                "any shift."),
    Column("days", weekdays, required=False, default=None,
           note="all, weekday, weekend or Mon,Tue,...; blank: every day."),
    Column("date", day, required=False, default=None, note="One date instead of days (not both)."),
    Column("weight", weight, required=False, default=1, note="How much it counts, 1 to 5."),
), required=False)

PINNED = Sheet("Pinned", (
    EMPLOYEE,
    Column("date", day, note="The day of the fixed shift (hard: in the roster as given)."),
    Column("shift_code", text, note="A code of sheet Shifts the employee can work."),
    Column("position", text, note="A position of sheet Positions the employee is qualified for."),
), required=False)

PATTERNS = Sheet("Patterns", (
    Column("employee_id", codes, note="An employee_id of sheet Staff, or a team as a comma-separated list."),
    Column("pattern", cycle_pattern,
           note="2-2-3 (or pitman), 4x10, 5x8, or the cycle as letters, W work and O off, e.g. "
                "WWOOWWWOOWWOOO (hard: exactly these work days)."),
    Column("anchor", day, note="The date the pattern's first letter falls on."),
), required=False)

SHIFTS = Sheet("Shifts", (
    Column("code", text, note="The shift template's unique code, e.g. D8."),
    Column("start", clock, note="Local start time HH:MM, on the hour; a shift may cross midnight."),
    Column("hours", shift_hours, note="Whole hours, 4 to 16."),
    Column("label", text, required=False, default="", note="A name for people, e.g. Day 8."),
))

POSITIONS = Sheet("Positions", (
    Column("position", text, note="The position's unique id, e.g. police_ct."),
    Column("name", text, note="A name for people."),
    Column("kind", position_kind,
           note="call_taking (seats from the call forecast), radio or supervisor (seats from sheet "
                "Minimums)."),
    Column("qualification", text, note="The code an employee must hold to work it (sheet Staff)."),
    Column("streams", codes, required=False, default=(),
           note="Comma-separated forecast streams it answers: needed for call_taking."),
    Column("calls_per_seat", positive_number, required=False, default=None,
           note="Radio or supervisor with streams: one more seat per this many calls an hour; blank: none."),
    Column("criticality", criticality, required=False, default=1,
           note="1 to 10: what an uncovered hour of its floor costs, in uncovered position-hours."),
))

MINIMUMS = Sheet("Minimums", (
    Column("position", text, note="A position of sheet Positions."),
    Column("days", weekdays, note="all, weekday, weekend or Mon,Tue,..."),
    Column("from", hour_of_day, note="Local HH:MM the floor starts."),
    Column("to", hour_of_day, note="Local HH:MM it ends, 24:00 for midnight; before from: past midnight."),
    Column("minimum", seats,
           note=f"Seats staffed at once, 0 to {seats.high} (the larger holds where rows overlap)."),
))

AUTHORIZED = Sheet("Authorized", (
    Column("job_class", text, note="A job class, e.g. telecommunicator; or all: the total over every job "
                                   "class (alone: the only cap, any job class in Staff)."),
    Column("authorized", headcount, note="Budgeted positions, 0 or more: a hard cap on its Staff rows, "
                                         "trainees included. An empty sheet: no caps."),
))

# In the order of docs/center-workbook.md, which the template's tabs follow.
SHEETS = (STAFF, LEAVE, REQUESTS, PREFERENCES, PINNED, PATTERNS, SHIFTS, POSITIONS, MINIMUMS, AUTHORIZED)
