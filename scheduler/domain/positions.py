"""The center's posts and shift templates: positions, their staffing floors (sheet Minimums) and the shifts
staff work (sheet Shifts)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, time

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

class PositionKind(enum.StrEnum):
    CALL_TAKING = "call_taking"
    RADIO = "radio"
    SUPERVISOR = "supervisor"


@dataclass(frozen=True)
class ShiftTemplate:
    code: str
    start: time
    hours: int
    label: str = ""


@dataclass(frozen=True)
class Position:
    id: str
    name: str
    kind: PositionKind
    qualification: str
    streams: tuple[str, ...] = ()
    calls_per_seat: float | None = None  # radio/supervisor: one seat per this many calls an hour in `streams`
    # An uncovered hour of this position's floor counts this many uncovered position-hours.
    criticality: int = 1

@dataclass(frozen=True)
class Minimum:
    """A staffing floor for a position over a daily time window, on some weekdays (0 = Monday)."""

    position: str
    weekdays: frozenset[int]
    start_hour: int
    end_hour: int  # exclusive, 1..24; start_hour > end_hour wraps past midnight
    minimum: int

    def applies(self, local_start: datetime) -> bool:
        h = local_start.hour
        if self.start_hour < self.end_hour:
            return local_start.weekday() in self.weekdays and self.start_hour <= h < self.end_hour
        # Wrapping window: the part after midnight belongs to the previous day's row.
        if h >= self.start_hour:
            return local_start.weekday() in self.weekdays
        return h < self.end_hour and (local_start.weekday() - 1) % 7 in self.weekdays
