"""The planning period and time helpers.

Time convention: every instant is a timezone-aware datetime. The planning grid is one-hour slots counted in
real (elapsed) time from local midnight of the first day, so a week with a DST change has 167 or 169 slots. A
shift belongs to the local day it starts on and ends at its wall-clock end (a night shift over a DST change
works 7 or 9 hours).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from scheduler.domain.positions import ShiftTemplate

if TYPE_CHECKING:  # only named in an annotation: History's module imports this one
    from scheduler.domain.roster import History


HOUR = timedelta(hours=1)

@dataclass(frozen=True)
class Horizon:
    """The planning period: `days` local calendar days from `start` in time zone `tz`."""

    start: date
    days: int
    tz: ZoneInfo

    def day(self, index: int) -> date:
        return self.start + timedelta(days=index)

    def local_midnight(self, index: int) -> datetime:
        return datetime.combine(self.day(index), time(0), tzinfo=self.tz)

    @cached_property
    def begin(self) -> datetime:
        return self.local_midnight(0).astimezone(UTC)

    @cached_property
    def end(self) -> datetime:
        return self.local_midnight(self.days).astimezone(UTC)

    @cached_property
    def n_slots(self) -> int:
        return int((self.end - self.begin) / HOUR)

    def slot_start(self, slot: int) -> datetime:
        """Start of a slot as local (aware) time."""
        return (self.begin + slot * HOUR).astimezone(self.tz)

    def slot_of(self, instant: datetime) -> int:
        return int((instant.astimezone(UTC) - self.begin) // HOUR)

    def covered_slots(self, start: datetime, end: datetime, history: History | None) -> tuple[int, ...]:
        """The slots of this plan a shift from `start` to `end` covers: the one rule for coverage, used by the
        model (ModelData.windows, ModelData.carried_in), the checker and the reports (both through on_duty).
        Without a previous roster (`history` None) the plan is a repeating cycle: hours past its end wrap to
        its first hours, standing in for the previous plan's night (steady state). With one the plan is a link
        of a chain: hours outside it cover nothing here (those past its end belong to the next plan), and a
        shift of the previous roster covers the hours it runs into the plan."""
        first, last = self.slot_of(start), self.slot_of(end)
        if history is None:
            return tuple(slot % self.n_slots for slot in range(first, last))
        return tuple(range(max(first, 0), min(last, self.n_slots)))

    def day_index(self, day: date) -> int:
        return (day - self.start).days

    @property
    def weeks(self) -> int:
        return -(-self.days // 7)

    def shift_window(self, day_index: int, template: ShiftTemplate) -> tuple[datetime, datetime]:
        """Local start and end of a template worked on a day; the end is the wall-clock end."""
        naive = datetime.combine(self.day(day_index), template.start)
        start = naive.replace(tzinfo=self.tz)
        end = (naive + timedelta(hours=template.hours)).replace(tzinfo=self.tz)
        return start, end


def works_weekend(day: date, template: ShiftTemplate) -> bool:
    """A shift worked on `day` works an hour of a Saturday or Sunday (local wall-clock): it starts on one, or
    starts on a Friday and runs past midnight (a Friday night shift ending Saturday morning)."""
    end_minute = 60 * (template.start.hour + template.hours) + template.start.minute
    return day.weekday() >= 5 or (day.weekday() == 4 and end_minute > 24 * 60)


def weekend_worked(day: date, template: ShiftTemplate) -> date | None:
    """The Saturday of the weekend a shift worked on `day` works an hour of (works_weekend), or None: the
    Saturday itself, the day before a Sunday, the day after a Friday."""
    if not works_weekend(day, template):
        return None
    return day + timedelta(days=-1 if day.weekday() == 6 else 5 - day.weekday())


def utc_offset(moment: datetime) -> str:
    """'-06:00': tells the two 01:00 hours of a DST fall-back night apart in a sheet of local times."""
    return moment.isoformat()[-6:]


def worked_hours(start: datetime, end: datetime) -> float:
    return (end.astimezone(UTC) - start.astimezone(UTC)) / HOUR


class LocalTimeError(ValueError):
    """A local time the clock skips or shows twice; `readings` are the instants it could mean."""

    def __init__(self, message: str, readings: tuple[datetime, datetime]):
        super().__init__(message)
        self.readings = readings


def localize(moment: datetime, tz: ZoneInfo) -> datetime:
    """`moment` read as a local time in `tz` (returned as given when it has a UTC offset already). A local
    time the clock skips (spring forward) or shows twice (fall back) is refused with both readings named:
    which hours were already worked turns on it, and the zone would otherwise pick one silently (02:30 on the
    spring-forward night read as 03:30)."""
    if moment.tzinfo is not None:
        return moment
    first, second = moment.replace(tzinfo=tz, fold=0), moment.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    exists = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == moment
    # Each reading as the wall clock shows it (via UTC: astimezone to the zone it has already is a no-op).
    readings = tuple(sorted(m.astimezone(UTC).astimezone(tz) for m in (first, second)))
    said = " or ".join(f"{m.isoformat(sep=' ', timespec='minutes')} ({m:%Z})" for m in readings)
    if exists:
        message = f"{moment:%Y-%m-%d %H:%M} happens twice in {tz.key} (clocks go back)"
    else:
        message = f"{moment:%Y-%m-%d %H:%M} does not exist in {tz.key} (clocks go forward)"
    raise LocalTimeError(f"{message}: it could mean {said}", readings)
