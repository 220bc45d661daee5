"""One employee's best schedule over the whole plan, by dynamic programming over the days (no solver).

Given a value for every shift (day, template, position), `SchedulePricer.best` finds the schedule of one
employee worth most under that employee's own hard rules, exactly as the model states them (rules/*.py): one
shift a day, qualifications and shift templates (bids), approved leave, pins, fixed patterns, minimum rest and
forward rotation between consecutive days, work days and nights in a row, days off in a row, the weekly hours
(floor and cap), a full weekend off in every N weeks, and a previous roster's last days (ModelData.history).
Not here, because they tie employees together or need every hour: the 24-hour cap (with the default 10 h rest
and 2 h holdover reserve it cannot bind), trainees' supervision, vacancy caps, the overtime budget. The
best-response start (best_response.py) builds a roster from these schedules and CP-SAT completes it under
every rule.

Without history the plan is a cycle (its last day precedes its first), so the days are visited from a cut: a
day the schedule has off, taken last, so that nothing carries over it but what the state records explicitly
(the days off and weekends around the cut, a plan week's hours split by it). Every schedule with a weekend off
has a Sunday off, so with the weekend rule in force the Sundays are the cuts that cover every schedule;
without it every day is (`cut_days`). A cycle no longer than the work days allowed in a row may be worked
every day, so it is not supported (`unsupported`), nor is a minimum rest long enough to forbid shifts two days
apart. With history the days run from the first to the last, starting from the history's state.

State after each day: the template worked that day (None: off), work days and nights in a row, this plan
week's hours (and, cut inside a week, its hours before the cut), the weekend rule's state, the days-off rule's
state, and whether this weekend is still free. Each day's states dominated by another are dropped (`_prune`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from scheduler.domain import Employee, worked_hours, works_weekend
from scheduler.model.data import ModelData
from scheduler.model.rules.rest import conflicting_windows
from scheduler.model.rules.rotation import forbidden_successions
from scheduler.model.schedule_state import Extras, WeekendRule

Shift = tuple[int, str, str]  # day index, template code, position id


def unsupported(data: ModelData) -> str | None:
    """Why the pricer cannot state the rules exactly for `data`, or None when it can."""
    days, center = data.horizon.days, data.center
    if center.limits or center.shift_cover or any(p.broken_by_day_off for p in center.preferences):
        return "limits over the plan, cover per template and shift-on requests are not priced per day"
    if center.forbidden_successions and data.history is not None:
        return "listed successions after the previous roster's last day are not priced"
    if data.history is None and days <= data.rules.max_consecutive_days:
        return (f"a cycle of {days} days may be worked every day ({data.rules.max_consecutive_days} in a row "
                "allowed); the search starts after a day off")
    for (d1, _), (d2, _) in conflicting_windows(data):
        if (d2 - d1) % days != 1 or (data.history is not None and d2 != d1 + 1):
            return (f"minimum rest of {data.rules.min_rest_hours} h forbids shifts {abs(d2 - d1)} days "
                    "apart; the schedules see consecutive days only")
    return None


class SchedulePricer:
    """The best whole-plan schedules of single employees for given shift values. `work` counts the states the
    searches expanded (with their options): a measure of the time they took that is the same on every machine.
    """

    def __init__(self, data: ModelData):
        if reason := unsupported(data):
            raise ValueError(reason)
        self.data, self.days, rules, horizon = data, data.horizon.days, data.rules, data.horizon
        self.cyclic = data.history is None
        # day -> (code the day before, code)
        self.rest_conflicts: dict[int, set[tuple[str, str]]] = defaultdict(set)
        for (_, s1), (d2, s2) in conflicting_windows(data):
            self.rest_conflicts[d2].add((s1, s2))
        successions = set(forbidden_successions(data))
        if not (self.cyclic and self.days < 2):  # a 1-day cycle has no next day (rules/rotation.py)
            # With history, day 0 follows its eve (_start).
            for day in range(0 if self.cyclic else 1, self.days):
                self.rest_conflicts[day] |= successions
        self.night = {t.code: rules.is_night(t) for t in data.center.shifts}
        self.leave = {(e.id, d) for e in data.center.staff for d in range(self.days)
                      if data.center.on_leave(e.id, horizon.day(d))}
        self.pins = defaultdict(list)  # (employee id, day) -> its pin
        for pin in data.center.pins:
            self.pins[pin.employee_id, horizon.day_index(pin.day)].append(pin)
        self.weekday = [horizon.day(d).weekday() for d in range(self.days)]
        self.weekends = WeekendRule(data)
        # The rules on days in a row, as the model applies them (a cycle too short to hold a run is not
        # constrained).
        self.max_run = rules.max_consecutive_days
        nights = rules.max_consecutive_nights
        self.max_nights = nights if nights and not (self.cyclic and self.days <= nights) else math.inf
        least = rules.min_days_off
        self.least_off = least if least > 1 and not (self.cyclic and self.days < least + 2) else 0
        self.extras = Extras(self.least_off)
        self.work = 0

    def cut_days(self) -> list[int]:
        """The days a cyclic search may start after (taken off): Sundays under the weekend rule, else every
        day."""
        if self.weekends.applies:
            return [d for d in range(self.days) if self.weekday[d] == 6]
        return list(range(self.days))

    def best(self, employee: Employee, value: dict[Shift, float], cuts: Iterable[int] | None = None
             ) -> list[tuple[float, list[Shift]]]:
        """The best schedule from each cut of `cuts` (default: every one of cut_days; ignored with history),
        distinct ones, best first: with every cut the first is the best schedule of all. A shift missing from
        `value` is worth 0. Empty when the employee has no schedule the rules allow."""
        data = self.data
        positions = [p.id for p in data.center.positions if employee.qualified_for(p)]
        templates = [t for t in data.center.shifts if employee.can_work(t)]
        gains = {(day, t.code): max(((value.get((day, t.code, p), 0.0), p) for p in positions),
                                    key=lambda g: g[0])
                 for day in range(self.days) for t in templates} if positions else {}
        for day in range(self.days):  # a pinned shift is worked where it is pinned
            for pin in self.pins.get((employee.id, day), ()):
                gains[day, pin.shift_code] = (value.get((day, pin.shift_code, pin.position), 0.0),
                                              pin.position)
        if self.cyclic:
            orders = [[(cut + 1 + i) % self.days for i in range(self.days)]
                      for cut in (self.cut_days() if cuts is None else cuts)]
        else:
            orders = [list(range(self.days))]
        found = [f for order in orders if (f := self._search(employee, templates, gains, order)) is not None]
        distinct = {tuple(sorted(shifts)): total for total, shifts in found}
        return sorted(((total, list(shifts)) for shifts, total in distinct.items()), key=lambda f: -f[0])

    def _options(self, employee: Employee, templates: list, gains: dict, day: int, last_of_cycle: bool):
        """The shifts `employee` may work on `day` (code, hours, night, takes the weekend, gain, position),
        and whether the day must be worked (a pin, a pattern's on-day)."""
        data, center = self.data, self.data.center
        date = data.horizon.day(day)
        if (employee.id, day) in self.leave or not gains:
            return [], False
        pattern = center.patterns_by_employee.get(employee.id)
        if pattern is not None and not pattern.works_on(date):
            return [], False
        pins = self.pins.get((employee.id, day))
        must = bool(pins) or pattern is not None
        if last_of_cycle:  # the cut: off, or the cycle would carry over it
            return [], must
        options = []
        for t in templates:
            if pins and t.code != pins[0].shift_code:
                continue
            gain, position = gains[day, t.code]
            options.append((t.code, data.windows[day, t.code].hours, self.night[t.code],
                            works_weekend(date, t), gain, position))
        return options, must

    def _start(self, employee: Employee) -> tuple[tuple, set[tuple[int, str]]]:
        """The state before the first day of the order, and the (day, code) shifts the history forbids."""
        data, rules, least = self.data, self.data.rules, self.least_off
        if self.cyclic:  # nothing carried: the cut is off; the days-off rule waits for the first work day
            return (None, 0, 0, 0, self.extras.id((0, self.weekends.start, None, 0)), True), set()
        history, horizon = data.history, data.horizon
        worked = history.days_before(employee.id)
        nights = history.days_before(employee.id,
                                     lambda s: rules.is_night_start(s.start.astimezone(horizon.tz).time()))
        run, night_run, off = _trailing(worked, True), _trailing(nights, True), _trailing(worked, False)
        if True not in worked:
            off = least
        forbidden = set()
        past = history.of(employee.id)
        if past:
            rested = max(s.worked_until for s in past)
            forbidden |= {key for key, w in data.windows.items()
                          if worked_hours(rested, w.start) < rules.min_rest_hours}
        if rules.forward_rotation:
            eve = horizon.start - timedelta(days=1)
            for s in past:
                if s.day == eve:
                    period = rules.period(s.start.astimezone(horizon.tz).time())
                    forbidden |= {(0, t.code) for t in data.center.shifts if rules.period(t.start) < period}
        extra = self.extras.id((0, self.weekends.start, least, min(off, least)))
        return (None, run, night_run, 0, extra, True), forbidden

    def _search(self, employee: Employee, templates: list, gains: dict, order: list[int]
                ) -> tuple[float, list[Shift]] | None:
        """The best schedule over the days in `order` and its value, or None when the rules allow none: one
        layer of states a day (`_expand`, `_prune`, `_close`), the best end (`_end`), traced back."""
        days = self.days
        start, forbidden = self._start(employee)
        first_week = order[0] // 7
        # The cut falls inside a plan week: its hours come in two parts.
        split = self.cyclic and order[0] % 7 != 0
        # A weekend across the ends.
        straddle = not self.cyclic and self.weekends.applies and self.weekday[0] >= 5
        weeks = range(math.ceil(days / 7))
        hours_cap = [self.data.max_hours(employee, w) for w in weeks]
        hours_floor = [self.data.min_hours(employee, w) for w in weeks]
        layer = {start: (0.0, None)}
        layers = []
        for step, day in enumerate(order):
            options, must = self._options(employee, templates, gains, day, self.cyclic and step == days - 1)
            options = [o for o in options if (day, o[0]) not in forbidden]
            conflicts = self.rest_conflicts[day]
            # What the rest and rotation rules allow.
            after = {last: [o for o in options if (last, o[0]) not in conflicts]
                     for last in (None, *(t.code for t in templates))}
            self.work += len(layer) * (1 + len(options))
            layer = _prune(self._expand(layer, after, must, hours_cap[day // 7]))
            layer = self._close(layer, order, step, split, straddle, hours_floor)
            layers.append(layer)
        if split:  # the split week's floor, on both parts
            low = hours_floor[first_week]
            layer = {s: kept for s, kept in layer.items() if s[3] >= low}
        end = self._end(layer, straddle)
        return None if end is None else (end[0], _trace(layers, order, end[1]))

    def _expand(self, layer: dict, after: dict, must: bool, high: float) -> dict:
        """The next day's states from `layer`'s, each with its best value and the way into it: the day off
        (unless the day must be worked) and each shift `after` allows after the template last worked, within
        the week's cap on hours (`high`) and the work days and nights in a row."""
        extras, least, max_run, max_nights = self.extras, self.least_off, self.max_run, self.max_nights
        rested_of, worked_of = extras.rested, extras.worked
        nxt: dict = {}
        for state, (total, _) in layer.items():
            last, run, nights, hours, extra, free = state
            if least:  # the days-off rule's state moves (extras.rested, extras.worked: memoized)
                rested = rested_of[extra] if extra in rested_of else extras.rest(extra)
                worked = worked_of[extra] if extra in worked_of else extras.work(extra)
            else:
                rested = worked = extra
            if not must:
                key = (None, 0, 0, hours, rested, free)
                if key not in nxt or total > nxt[key][0]:  # _keep, inline: the hottest lines
                    nxt[key] = (total, (state, None))
            if run >= max_run or worked is None:
                continue
            for code, length, night, weekend, gain, position in after[last]:
                in_a_row = nights + 1 if night else 0
                if hours + length > high or in_a_row > max_nights:
                    continue
                key = (code, run + 1, in_a_row, hours + length, worked, free and not weekend)
                value = total + gain
                if key not in nxt or value > nxt[key][0]:
                    nxt[key] = (value, (state, (code, position)))
        return nxt

    def _close(self, nxt: dict, order: list[int], step: int, split: bool, straddle: bool,
               hours_floor: list[float]) -> dict:
        """The layer of the `step`th day of `order` once the plan week or the weekend that day closes is
        checked, and back in a split week its hours carried."""
        days, extras, day, first_week = self.days, self.extras, order[step], order[0] // 7
        week = day // 7
        if day % 7 == 6 or day == days - 1:  # the plan week closes: its floor on hours
            if split and step < days - 1 and week == first_week:  # its first part: the hours carried
                nxt = _merge(((*s[:3], 0, extras.replace(s[4], 0, s[3]), s[5]), kept)
                             for s, kept in nxt.items())
            else:
                low = hours_floor[week]
                nxt = _merge(((*s[:3], 0, *s[4:]), kept) for s, kept in nxt.items() if s[3] >= low)
        if self.weekday[day] == 6:  # the weekend closes
            closing = self.weekends.close_head if straddle and step < 7 else self.weekends.close
            nxt = _merge(((*s[:4], extras.replace(s[4], 1, w), True), kept) for s, kept in nxt.items()
                         if (w := closing(extras.of[s[4]][1], s[5])) is not None)
        if split and step < days - 1 and order[step + 1] == 7 * first_week:  # back in the split week
            nxt = _merge(((*s[:3], extras.of[s[4]][0], extras.replace(s[4], 0, 0), s[5]), kept)
                         for s, kept in nxt.items())
        return nxt

    def _end(self, layer: dict, straddle: bool) -> tuple[float, tuple] | None:
        """The best value and state of the last layer whose weekends and days off hold across the ends of the
        order, or None."""
        ends = []
        for state, (total, _) in layer.items():
            _, weekends, lead, off = self.extras.of[state[4]]
            if self.weekends.accepts(weekends, state[5], straddle) and (
                    not self.cyclic or lead is None or lead + off >= self.least_off):
                ends.append((total, state))
        return max(ends, key=lambda e: e[0]) if ends else None


def _trailing(flags: list[bool], value: bool) -> int:
    """How many of the last `flags` equal `value`."""
    count = 0
    for flag in reversed(flags):
        if flag != value:
            break
        count += 1
    return count


def _prune(table: dict) -> dict:
    """Drop from a layer the states another one dominates: the same template, hours, rare fields (extras), a
    value at least as high and no more work days or nights in a row and its weekend no less free. Those
    counters only forbid (a cap on a run, a worked weekend), so every schedule that continues the dominated
    state continues the other one too. The same best value (of schedules of equal value another may come out),
    with 2.5 times fewer states expanded on the 4-week center."""
    groups: dict = {}
    for key, (total, _) in table.items():
        group, member = (key[0], key[3], key[4]), (-total, key[1], key[2], not key[5], key)
        if group in groups:
            groups[group].append(member)
        else:
            groups[group] = [member]
    for members in groups.values():
        if len(members) == 1:
            continue
        members.sort()
        front = []
        for _, run, nights, taken, key in members:
            for r, n, t in front:
                if r <= run and n <= nights and t <= taken:
                    del table[key]
                    break
            else:
                front.append((run, nights, taken))
    return table


def _trace(layers: list[dict], order: list[int], state: tuple) -> list[Shift]:
    """The shifts of the way into `state`, the last day's, traced back through the layers."""
    shifts = []
    for step in range(len(order) - 1, -1, -1):
        state, choice = layers[step][state][1]
        if choice:
            shifts.append((order[step], *choice))
    return shifts


def _merge(items: Iterable[tuple[tuple, tuple]]) -> dict:
    table: dict = {}
    for state, (total, back) in items:
        _keep(table, state, total, back)
    return table


def _keep(table: dict, state: tuple, total: float, back) -> None:
    """Keep the better of two ways into one state."""
    if state not in table or total > table[state][0]:
        table[state] = (total, back)
