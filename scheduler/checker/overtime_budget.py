"""Hard: center-wide overtime budget per workweek (model: rules/overtime_budget.py)."""

from __future__ import annotations

from scheduler.checker.case import RosterCase
from scheduler.domain import Violation


def check_overtime_budget(case: RosterCase) -> list[Violation]:
    """Center-wide: the hours above contract of every employee, summed per workweek, within the budget."""
    budget = case.rules.overtime_budget_hours
    if budget is None:
        return []
    found = []
    for week in range(case.horizon.weeks):
        total = sum(hours for (_employee_id, w), hours in case.weekly_overtime.items() if w == week)
        if total > budget + 1e-9:
            found.append(Violation("overtime budget", "", f"week {week + 1}",
                                   f"{total:g} overtime hours center-wide, budget {budget:g}"))
    return found
