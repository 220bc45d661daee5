"""A shift scheduling benchmark instance of Curtois & Qu (schedulingbenchmarks.org; read by io/curtois.py,
scored by checker/curtois.py): days counted from 0, a Monday; shift types with lengths and forbidden
successors; per-employee limits; fixed days off; weighted shift on/off requests; cover per day and shift type.

Validated by its reader (every reference known, every number in range), which names the line of a bad value.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class NurseShift:
    id: str
    minutes: int
    forbidden_next: frozenset[str]  # shift types that may not be worked the day after this one


@dataclass(frozen=True)
class NurseEmployee:
    id: str
    # (shift type, most shifts of it over the horizon); a type not listed has no limit
    max_shifts: tuple[tuple[str, int], ...]
    max_total_minutes: int
    min_total_minutes: int
    max_consecutive_shifts: int
    min_consecutive_shifts: int
    min_consecutive_days_off: int
    max_weekends: int
    days_off: frozenset[int] = frozenset()  # days this employee must not work

    def max_shifts_of(self, shift_id: str) -> int | None:
        """The most shifts of type `shift_id` over the horizon; None: the instance sets no limit."""
        return dict(self.max_shifts).get(shift_id)


@dataclass(frozen=True)
class NurseRequest:
    """A wish for one shift on one day: an on-request costs `weight` when that shift is not worked, an
    off-request when it is."""

    employee_id: str
    day: int
    shift_id: str
    weight: int


@dataclass(frozen=True)
class NurseCover:
    """How many of a shift type a day asks for; each one short costs `under_weight`, each one over
    `over_weight`."""

    day: int
    shift_id: str
    requirement: int
    under_weight: int
    over_weight: int


@dataclass(frozen=True)
class NurseAssignment:
    """One row of a solution: `employee_id` works `shift_id` on `day`."""

    employee_id: str
    day: int
    shift_id: str


@dataclass(frozen=True)
class NurseInstance:
    name: str
    days: int
    shifts: tuple[NurseShift, ...]
    staff: tuple[NurseEmployee, ...]
    on_requests: tuple[NurseRequest, ...]
    off_requests: tuple[NurseRequest, ...]
    cover: tuple[NurseCover, ...]  # a (day, shift type) without a row asks for nothing and costs nothing
    source: Path | None = None  # the file it was read from, for errors

    @property
    def shifts_by_id(self) -> dict[str, NurseShift]:
        return {s.id: s for s in self.shifts}

    @property
    def staff_by_id(self) -> dict[str, NurseEmployee]:
        return {e.id: e for e in self.staff}

    @property
    def weekends(self) -> tuple[tuple[int, ...], ...]:
        """Each weekend's days in the horizon (Saturday 7w+5, Sunday 7w+6), in order."""
        return tuple(tuple(d for d in (7 * w + 5, 7 * w + 6) if d < self.days)
                     for w in range((self.days + 1) // 7))

    @property
    def cover_demand(self) -> int:
        """Shifts asked for over the horizon, all days and types."""
        return sum(c.requirement for c in self.cover)
