"""Sentences about staff, weeks and days, shared by the pre-checks and the explanation of an infeasible model.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import timedelta

from scheduler.domain import WEEKDAYS, Employee
from scheduler.model.data import ModelData


def who(employee: Employee) -> str:
    return f"{employee.id} {employee.name}" + (" (trainee)" if employee.is_trainee else "")


def week_label(data: ModelData, week: int) -> str:
    days = data.week_days(week)
    if data.horizon.weeks == 1:
        return f"week {week + 1}"
    first, last = data.horizon.day(days[0]), data.horizon.day(days[-1])
    return f"week {week + 1} ({first:%a %d %b}-{last:%a %d %b})"


def day_ranges(data: ModelData, days: Iterable[int]) -> str:
    """'Mon-Thu, Sat' for day indices (weekday names of the real dates)."""
    days, parts = sorted(days), []
    for _, run in itertools.groupby(enumerate(days), key=lambda pair: pair[1] - pair[0]):
        run = [d for _, d in run]
        first, last = (WEEKDAYS[data.horizon.day(d).weekday()] for d in (run[0], run[-1]))
        parts.append(first if len(run) == 1 else f"{first}-{last}")
    return ", ".join(parts)


def or_(items: Iterable[str]) -> str:
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def and_(items: Iterable[str]) -> str:
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def leave_days(data: ModelData, employee: Employee, week: int) -> list[int]:
    return [d for d in data.week_days(week) if data.center.on_leave(employee.id, data.horizon.day(d))]


def fixed_by_variables(data: ModelData, employee: Employee, week: int) -> list[str]:
    """What the variables already fix for an employee in a week (always holds, so part of any conflict)."""
    facts = []
    if off := leave_days(data, employee, week):
        facts.append(f"approved leave {day_ranges(data, off)}")
    if employee.shift_codes:
        facts.append(f"shift bid {', '.join(employee.shift_codes)}")
    return facts


def cto_leave(data: ModelData, trainee: Employee, week: int) -> list[str]:
    """Leave of the CTOs a trainee could work beside (they share a qualification)."""
    return [f"CTO {who(e)} on leave {day_ranges(data, off)}" for e in data.center.staff
            if e.cto and not e.is_trainee and e.qualifications & trainee.qualifications
            and (off := leave_days(data, e, week))]


def slot_runs(data: ModelData, slots: list[int]) -> list[tuple]:
    """Contiguous slots as (local start, local end) pairs."""
    runs = []
    for _, run in itertools.groupby(enumerate(sorted(slots)), key=lambda pair: pair[1] - pair[0]):
        run = [t for _, t in run]
        runs.append((data.horizon.slot_start(run[0]), data.horizon.slot_start(run[-1]) + timedelta(hours=1)))
    return runs
