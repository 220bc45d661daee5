"""What a plan may state beside the hourly requirements and the weekly labor rules, as data: per-employee
limits over the whole plan, and cover per day and shift template. A rostering benchmark states its
instances this way (Curtois & Qu's, mapped by scheduler/curtois_roster.py); so may an agreement that caps
someone's nights or weekends over a roster period, or a center that staffs a shift by head count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PlanLimits:
    """One employee's limits over the plan (model: rules/plan_limits.py and rules/work_blocks.py).

    Work blocks are judged with the plan's ends open: a run of work days, or of days off, that touches the
    plan's first or last day is not held to its minimum length (the days beyond are not the roster's), and
    the maximum run of work days counts only days of the plan (and the previous roster's, when given)."""

    employee_id: str
    max_shifts: tuple[tuple[str, int], ...] = ()  # (template code, most of it over the plan); others: no cap
    min_minutes: int = 0  # worked over the plan
    max_minutes: int | None = None
    max_consecutive_days: int | None = None  # work days in a row
    min_consecutive_days: int = 1  # work days in a row, between two days off
    min_consecutive_days_off: int = 1  # days off in a row, between two work days (leave days are off)
    max_weekends: int | None = None  # weekends with an hour worked (domain.works_weekend)

    def max_shifts_of(self, code: str) -> int | None:
        return dict(self.max_shifts).get(code)


@dataclass(frozen=True)
class ShiftCover:
    """How many people a day asks for on one shift template: each one short costs `under_weight`, each one
    over `over_weight` (model: rules/shift_cover.py)."""

    day: date
    shift_code: str
    required: int
    under_weight: int
    over_weight: int
