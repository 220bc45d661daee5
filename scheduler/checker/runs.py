"""Days in a row, shared by the rules on consecutive work days, consecutive nights and days off."""

from __future__ import annotations

from datetime import date, timedelta

from scheduler.checker.case import RosterCase
from scheduler.domain import Violation


def day_flags(case: RosterCase, marked: set[date]) -> tuple[list[bool], int]:
    """Per day, is it marked: the plan's days, preceded with history by its days before it; and the index
    of the plan's first day in the list."""
    first = -case.history.days if case.history else 0
    return [case.horizon.start + timedelta(days=d) in marked for d in range(first, case.horizon.days)], -first


def longest_run(flags: list[bool], plan_from: int, cyclic: bool) -> int:
    """Longest run of True that reaches into the plan (flags[plan_from:]); going twice round a cycle catches
    runs across its end."""
    longest = run = 0
    for i, flag in enumerate(flags + flags if cyclic else flags):
        run = run + 1 if flag else 0
        if i >= plan_from:
            longest = max(longest, run)
    return longest


def runs_over(case: RosterCase, employee_id: str, days: set[date], limit: int, rule: str,
              unit: str) -> list[Violation]:
    """A violation when the longest run of `days` (the plan taken as a cycle, or after the history) is longer
    than `limit`; a cyclic plan no longer than the limit cannot break it."""
    cyclic = case.history is None
    if cyclic and case.horizon.days <= limit:
        return []
    flags, plan_from = day_flags(case, days)
    longest = longest_run(flags, plan_from, cyclic)
    if longest > limit:
        where = "every day" if all(flags) and cyclic else f"{longest} {unit} in a row"
        return [Violation(rule, employee_id, where, f"more than {limit} {unit} in a row")]
    return []
