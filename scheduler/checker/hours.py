"""Weekly hours (model: rules/hours.py). Hard: at most contract + overtime cap and at least the contract's
whole shifts less leave (the hours a call-out cut from a shift count as leave), per employee and full week;
an employee on a fixed pattern is exempt (the pattern fixes the hours). Soft: the overtime hours, above
contract per workweek."""

from __future__ import annotations

from datetime import timedelta

from scheduler.checker.case import RosterCase
from scheduler.domain import Assignment, Employee, Violation, worked_hours
from scheduler.weights import OVERTIME, Weights


def check_weekly_hours(case: RosterCase) -> list[Violation]:
    """Every employee's weekly maximum and minimum; employees with no shift at all must still meet their
    weekly minimum."""
    found = []
    for employee in case.center.staff:
        if employee.id in case.center.patterns_by_employee:  # a pattern fixes the hours
            continue
        shifts = case.shifts_by_employee.get(employee.id, ())
        if not shifts and employee.id in case.rostered:  # only shifts with unknown ids: "known ids" has them
            continue
        for week in range(case.horizon.weeks):
            found.extend(_over_max(case, employee, shifts, week))
        for week in range(case.horizon.weeks):
            found.extend(_under_min(case, employee, shifts, week))
    return found


def penalty_weekly_hours(case: RosterCase, weights: Weights) -> dict[str, float]:
    """Overtime hours of every employee, above contract in each workweek."""
    return {OVERTIME: weights.overtime * sum(case.overtime.values())}


def _hours(case: RosterCase, shifts: tuple[Assignment, ...], week: int) -> float:
    return sum(a.hours for a in shifts if case.week_of(a.day) == week)


def _over_max(case: RosterCase, employee: Employee, shifts: tuple[Assignment, ...],
              week: int) -> list[Violation]:
    hours = _hours(case, shifts, week)
    cap = employee.contract_hours + case.rules.overtime_cap(employee)
    if hours > cap + 1e-9:
        return [Violation("weekly hours max", employee.id, f"week {week + 1}",
                          f"{hours:g} h worked, cap {cap:g} h (contract + overtime cap)")]
    return []


def _under_min(case: RosterCase, employee: Employee, shifts: tuple[Assignment, ...],
               week: int) -> list[Violation]:
    horizon = case.horizon
    if horizon.days - 7 * week < 7:  # not a full week
        return []
    week_days = [horizon.start + timedelta(days=7 * week + i) for i in range(7)]
    leave_days = sum(case.center.on_leave(employee.id, d) for d in week_days)
    cut = sum(worked_hours(*case.template_window(a)) - a.hours for a in shifts
              if (a.employee_id, a.day) in case.cut_ends and case.week_of(a.day) == week)
    floor = max(0.0, (employee.contract_hours // employee.shift_length) * employee.shift_length
                - leave_days * employee.shift_length - cut)
    hours = _hours(case, shifts, week)
    if hours < floor - 1e-9:
        cut_note = f" and {cut:g} h cut by call-outs" if cut else ""
        return [Violation("weekly hours min", employee.id, f"week {week + 1}",
                          f"{hours:g} h worked, at least {floor:g} h "
                          f"(contract less {leave_days} leave days{cut_note})")]
    return []
