"""The state of the single-employee schedule search (schedules.py) beyond its counters: the fields that rarely
change, interned as one small number (`Extras`), and the weekend rule's automaton (`WeekendRule`)."""

from __future__ import annotations

from scheduler.model.data import ModelData
from scheduler.model.rules.weekends import weekend_rule_applies, weekend_windows


class Extras:
    """The state fields that rarely change, interned as one small number so that the search's states stay
    short tuples of numbers: (hours carried from the first part of a split week, the weekend rule's state, the
    days-off rule's lead: days off before the order's first work day, None before it, and the days off in a
    row)."""

    def __init__(self, least: int):
        self.least = least
        self.ids: dict[tuple, int] = {}
        self.of: list[tuple] = []
        self.rested: dict[int, int] = {}  # after a day off
        self.worked: dict[int, int | None] = {}  # after a work day (None: the days-off rule forbids one)

    def id(self, extra: tuple) -> int:
        if extra not in self.ids:
            self.ids[extra] = len(self.of)
            self.of.append(extra)
        return self.ids[extra]

    def replace(self, extra: int, field: int, value) -> int:
        fields = list(self.of[extra])
        fields[field] = value
        return self.id(tuple(fields))

    def rest(self, extra: int) -> int:
        carry, weekends, lead, off = self.of[extra]
        self.rested[extra] = self.id((carry, weekends, lead, min(off + 1, self.least)))
        return self.rested[extra]

    def work(self, extra: int) -> int | None:
        carry, weekends, lead, off = self.of[extra]
        self.worked[extra] = None if 0 < off < self.least and lead is not None else \
            self.id((carry, weekends, off if lead is None else lead, 0))
        return self.worked[extra]


class WeekendRule:
    """The weekend rule (rules/weekends.py) as a small automaton over the weekends in the order visited. Its
    state: (a weekend off seen, worked weekends before the first one off, worked weekends since the last one
    off, and with a weekend across the ends of a non-cyclic order, whether its first part is free). Windows
    inside the order are checked as the weekends close; the windows that wrap from the last weekend to the
    first, at the end."""

    def __init__(self, data: ModelData):
        self.applies = weekend_rule_applies(data)
        self.every = data.rules.weekend_off_every_weeks
        # One window: some weekend off in the plan.
        self.whole = self.applies and len(weekend_windows(data)[1]) == 1
        self.start = (False, 0, 0, None)

    def close(self, state: tuple, free: bool) -> tuple | None:
        if not self.applies:
            return state
        seen, lead, since, head = state
        if free:
            return (True, lead, 0, head) if not self.whole else (True, 0, 0, head)
        if self.whole:
            return state
        since += 1
        if since >= self.every:
            return None  # N weekends in a row worked
        return (seen, lead if seen else since, since, head)

    def close_head(self, state: tuple, free: bool) -> tuple:
        """The first part of a weekend across the ends of the order: remembered, closed with its last part."""
        return state if not self.applies else state[:3] + (free,)

    def accepts(self, state: tuple, free: bool, straddle: bool) -> bool:
        if not self.applies:
            return True
        if straddle:
            state = self.close(state, free and state[3])
            if state is None:
                return False
        seen, lead, since, _ = state
        return seen and (self.whole or lead + since < self.every)
