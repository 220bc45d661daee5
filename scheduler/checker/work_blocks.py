"""Hard: per-employee runs of work days and of days off, the plan's ends open (model:
rules/work_blocks.py)."""

from __future__ import annotations

from itertools import groupby

from scheduler.checker.case import RosterCase
from scheduler.checker.runs import day_flags
from scheduler.domain import Violation


def check_work_blocks(case: RosterCase) -> list[Violation]:
    """Each employee with limits: no run of work days longer than the maximum (the previous roster's days
    before the plan counted); no run of work days, nor of days off, shorter than its minimum unless it
    touches the plan's first or last day."""
    horizon = case.horizon
    found = []
    for limits in case.center.limits:
        e = limits.employee_id
        flags, plan_from = day_flags(case, case.worked_days.get(e, set()))
        first = -plan_from
        for working, run in groupby(flags):
            length = len(list(run))
            last = first + length - 1
            inside = first > 0 and last < horizon.days - 1
            when = f"{horizon.day(first)} to {horizon.day(last)}"
            most = limits.max_consecutive_days
            if working and most is not None and length > most and last >= 0:
                found.append(Violation("work blocks", e, when,
                                       f"{length} work days in a row, at most {most}"))
            least = limits.min_consecutive_days if working else limits.min_consecutive_days_off
            if inside and length < least:
                what = "work days" if working else "days off"
                found.append(Violation("work blocks", e, when, f"{length} {what} in a row, at least {least}"))
            first = last + 1
    return found
