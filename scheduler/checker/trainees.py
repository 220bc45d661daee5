"""Hard: a trainee works only beside a CTO, one trainee per CTO (model: rules/trainees.py)."""

from __future__ import annotations

from collections import Counter

from scheduler.checker.case import RosterCase
from scheduler.domain import Violation


def check_trainee_supervision(case: RosterCase) -> list[Violation]:
    """Per day, shift and position: no more trainees than CTOs (a trainee flagged CTO supervises nobody)."""
    employees = case.center.employees_by_id
    trainees_on = Counter((a.day, a.shift_code, a.position) for a in case.assignments
                          if a.employee_id in employees and employees[a.employee_id].is_trainee)
    ctos_on = Counter((a.day, a.shift_code, a.position) for a in case.assignments
                      if a.employee_id in employees and employees[a.employee_id].cto
                      and not employees[a.employee_id].is_trainee)
    return [Violation("trainee supervision", "", f"{day} {code} {position}",
                      f"{count} trainee(s), {ctos_on[day, code, position]} CTO(s) on the same shift")
            for (day, code, position), count in trainees_on.items() if count > ctos_on[day, code, position]]
