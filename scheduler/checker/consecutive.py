"""Hard: at most `max_consecutive_days` work days in a row (model: rules/consecutive.py)."""

from __future__ import annotations

from scheduler.checker.case import RosterCase
from scheduler.checker.runs import runs_over
from scheduler.domain import Violation


def check_max_consecutive_days(case: RosterCase) -> list[Violation]:
    """Longest run of work days in the plan taken as a cycle (or after the history); a cyclic plan no longer
    than the limit cannot break it."""
    return [violation for employee_id, worked in case.worked_days.items()
            for violation in runs_over(case, employee_id, worked, case.rules.max_consecutive_days,
                                       "max consecutive days", "days")]
