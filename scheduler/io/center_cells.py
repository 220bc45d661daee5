"""Parsers of the center workbook's own cell types (docs/center-workbook.md), beside the generic ones of
io.sheets: each turns one cell into a value or raises ValueError with the message the user sees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from scheduler.domain import NAMED_PATTERNS, WEEKDAYS, PositionKind
from scheduler.io.sheets import codes, number, text, whole


@dataclass(frozen=True)
class WholeIn:
    """A whole number from `low` to `high` (None: no upper bound), else ValueError(`message`). The bounds are
    data so that the template's data validation (io/template.py) allows what the reader does."""

    low: int
    high: int | None
    message: str

    def __call__(self, value) -> int:
        count = whole(value)
        if count < self.low or (self.high is not None and count > self.high):
            raise ValueError(self.message)
        return count


# No position of a 9-1-1 floor has this many seats; a count past it is a typing slip (and 10^9 seats ran
# the report of open shifts for hours).
MOST_SEATS = 500
shift_hours = WholeIn(4, 16, "shift hours must be a whole number from 4 to 16")
criticality = WholeIn(1, 10, "criticality is a whole number from 1 (default) to 10")
weight = WholeIn(1, 5, "weight must be a whole number from 1 to 5")
headcount = WholeIn(0, None, "must be a whole number, 0 or more")
seats = WholeIn(0, MOST_SEATS, f"the seats staffed at once, 0 to {MOST_SEATS}: more than {MOST_SEATS} "
                               "seats at one position is hours or people, not seats")


def position_kind(value) -> PositionKind:
    try:
        return PositionKind(text(value))
    except ValueError:
        raise ValueError(f"kind must be one of {', '.join(k.value for k in PositionKind)}") from None


def weekdays(value) -> frozenset[int]:
    word = text(value).lower()
    if word == "all":
        return frozenset(range(7))
    if word == "weekday":
        return frozenset(range(5))
    if word == "weekend":
        return frozenset({5, 6})
    names = [w.lower() for w in WEEKDAYS]
    days = set()
    for part in codes(value):
        if part.lower()[:3] not in names:
            raise ValueError("days must be all, weekday, weekend or a list like Mon,Tue")
        days.add(names.index(part.lower()[:3]))
    return frozenset(days)


def whole_hours(value) -> float:
    """Whole hours >= 0 (the model counts hours in whole numbers)."""
    hours = whole(value)
    if hours < 0:
        raise ValueError("must be whole hours >= 0")
    return float(hours)


def preference(value) -> bool:
    """True for avoid, False for prefer."""
    word = text(value).lower()
    if word not in ("prefer", "avoid"):
        raise ValueError("preference must be prefer or avoid")
    return word == "avoid"


def positive_number(value) -> float:
    amount = number(value)
    if amount <= 0:
        raise ValueError("must be a number above 0")
    return amount


def cycle_pattern(value) -> tuple[str, str]:
    """(name, W/O letters): a named pattern (NAMED_PATTERNS) or the letters themselves, W work and O off."""
    word = text(value).strip()
    if word.lower() in NAMED_PATTERNS:
        return word.lower(), NAMED_PATTERNS[word.lower()]
    letters = word.upper()
    if not letters or set(letters) - {"W", "O"} or "W" not in letters:
        raise ValueError(f"pattern must be one of {', '.join(NAMED_PATTERNS)} or a string of W (work) and O "
                         "(off) with at least one W, e.g. WWOOWWWOOWWOOO")
    return letters, letters


def clock(value: Any) -> time:
    """A local wall-clock time on the hour grid; '24:00' is returned as time(0) with hour 24 handled by
    callers."""
    if isinstance(value, datetime):
        value = value.time()
    if isinstance(value, time):
        parsed = value
    else:
        try:
            parsed = time.fromisoformat(text(value).zfill(5))
        except ValueError:
            raise ValueError("expected a time HH:MM") from None
    if parsed.tzinfo is not None:
        raise ValueError("expected a local time HH:MM, without a time zone")
    if parsed.minute or parsed.second:
        raise ValueError("times must be on the hour (the plan uses hourly slots)")
    return parsed


def hour_of_day(value: Any) -> int:
    """Hour 0..24 from HH:MM, accepting '24:00' as the end of the day."""
    if text(value) in {"24:00", "24:00:00"}:
        return 24
    return clock(value).hour
