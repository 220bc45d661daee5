"""The checks of each assignment on its own: what the model enforces by the variables it makes (known ids, a
day of the plan, the template's times, the bid or shift length, the qualification, no leave), not by a
rule."""

from __future__ import annotations

from scheduler.checker.case import RosterCase
from scheduler.checker.violation import local_minute
from scheduler.domain import Assignment, Employee, Position, ShiftTemplate, Violation


def check_assignments(case: RosterCase) -> list[Violation]:
    """Every assignment names a known employee, shift code and position, and is one the model could make."""
    found: list[Violation] = []
    center = case.center
    for a in case.assignments:
        employee, template, position = (center.employees_by_id.get(a.employee_id),
                                        center.shifts_by_code.get(a.shift_code),
                                        center.positions_by_id.get(a.position))
        if employee is None or template is None or position is None:
            found.append(Violation(
                "known ids", a.employee_id, local_minute(a.start, case.horizon),
                f"unknown employee, shift code or position ({a.shift_code}, {a.position})"))
        else:
            found.extend(_assignment(case, a, employee, template, position))
    return found


def _assignment(case: RosterCase, a: Assignment, employee: Employee, template: ShiftTemplate,
                position: Position) -> list[Violation]:
    horizon = case.horizon
    when = local_minute(a.start, horizon)
    found = []
    if not 0 <= (a.day - horizon.start).days < horizon.days:
        found.append(Violation("horizon", a.employee_id, when, f"shift date {a.day} outside the plan"))
    start, end = case.template_window(a)
    cut = case.cut_ends.get((a.employee_id, a.day))
    if cut is not None and start < cut < end:  # a call-out cut it short: worked until the call-out
        end = cut
    if (a.start, a.end) != (start, end):
        until = f", until the call-out at {local_minute(cut, horizon)}" if end == cut else ""
        found.append(Violation(
            "shift template", a.employee_id, when,
            f"{a.shift_code} on {a.day} runs {template.start:%H:%M} for {template.hours} h{until}"))
    if employee.shift_codes and a.shift_code not in employee.shift_codes:
        found.append(Violation("shift bid", a.employee_id, when,
                               f"{a.shift_code} not in bid {employee.shift_codes}"))
    if not employee.shift_codes and template.hours != employee.shift_length:
        found.append(Violation("shift length", a.employee_id, when,
                               f"{template.hours} h shift, works {employee.shift_length} h shifts"))
    if position.qualification not in employee.qualifications:
        found.append(Violation("qualification", a.employee_id, when,
                               f"{a.position} needs {position.qualification}"))
    found.extend(Violation("leave", a.employee_id, when, f"on {leave.type} leave")
                 for leave in case.center.leave
                 if leave.employee_id == a.employee_id and leave.start <= a.day <= leave.end)
    return found
