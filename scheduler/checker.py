"""Independent roster checker: recomputes every hard rule and the objective from the roster alone.

It shares only the validated inputs with the model (never the solver or the model's constraint code), so a roster
edited by hand, or a model bug, shows up here. Each rule is re-derived in its plainest form: sort the shifts and look.
Which hours a shift covers is the one rule of the inputs (Horizon.covered_slots, counted by domain.on_duty) the
model, the checker and the reports share: with a previous roster, its shifts that run into the plan count too.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

from scheduler.domain import (
    HOUR,
    Assignment,
    Center,
    History,
    Horizon,
    PastShift,
    Repair,
    Requirements,
    Rules,
    fairness_groups,
    on_duty,
)
from scheduler.staffing import call_value_curves
from scheduler.weights import (
    CHANGES,
    CRITICAL,
    DENIED_REQUESTS,
    LATE_CALLS,
    NIGHT_SPREAD,
    OVERSTAFFED,
    OVERTIME,
    OVERTIME_PEAK,
    PREFERENCES_AVOIDED,
    PREFERENCES_UNMET,
    START_CHANGES,
    UNCOVERED,
    WEEKEND_SPREAD,
    Weights,
)


@dataclass(frozen=True)
class Violation:
    rule: str
    employee_id: str
    when: str
    detail: str

    def __str__(self) -> str:
        who = f"{self.employee_id} " if self.employee_id else ""
        return f"{self.rule}: {who}{self.when}: {self.detail}"


def _fmt(moment: datetime, horizon: Horizon) -> str:
    return f"{moment.astimezone(horizon.tz):%a %Y-%m-%d %H:%M}"


def check_shifts(assignments: list[Assignment], center: Center, rules: Rules, horizon: Horizon,
                 history: History | None = None) -> list[Violation]:
    """Every hard rule that concerns the shifts themselves. Without `history` the plan is a cycle; with it the
    previous roster's last days come before the plan and its end is open (domain.History)."""
    found: list[Violation] = []
    employees, templates, positions = center.employees_by_id, center.shifts_by_code, center.positions_by_id
    by_employee: dict[str, list[Assignment]] = defaultdict(list)
    for a in assignments:
        when = _fmt(a.start, horizon)
        employee, template, position = (employees.get(a.employee_id), templates.get(a.shift_code),
                                        positions.get(a.position))
        if employee is None or template is None or position is None:
            found.append(Violation("known ids", a.employee_id, when,
                                   f"unknown employee, shift code or position ({a.shift_code}, {a.position})"))
            continue
        by_employee[a.employee_id].append(a)
        if not 0 <= (a.day - horizon.start).days < horizon.days:
            found.append(Violation("horizon", a.employee_id, when, f"shift date {a.day} outside the plan"))
        wall_start = datetime.combine(a.day, template.start)
        expected = (wall_start.replace(tzinfo=horizon.tz),
                    (wall_start + timedelta(hours=template.hours)).replace(tzinfo=horizon.tz))
        if (a.start, a.end) != expected:
            found.append(Violation("shift template", a.employee_id, when,
                                   f"{a.shift_code} on {a.day} runs {template.start:%H:%M} for {template.hours} h"))
        if employee.shift_codes and a.shift_code not in employee.shift_codes:
            found.append(Violation("shift bid", a.employee_id, when, f"{a.shift_code} not in bid {employee.shift_codes}"))
        if not employee.shift_codes and template.hours != employee.shift_length:
            found.append(Violation("shift length", a.employee_id, when,
                                   f"{template.hours} h shift, works {employee.shift_length} h shifts"))
        if position.qualification not in employee.qualifications:
            found.append(Violation("qualification", a.employee_id, when,
                                   f"{a.position} needs {position.qualification}"))
        for leave in center.leave:
            if leave.employee_id == a.employee_id and leave.start <= a.day <= leave.end:
                found.append(Violation("leave", a.employee_id, when, f"on {leave.type} leave"))

    for employee_id, shifts in by_employee.items():
        employee = employees[employee_id]
        shifts.sort(key=lambda a: a.start)
        for day, count in Counter(a.day for a in shifts).items():
            if count > 1:
                found.append(Violation("one shift per day", employee_id, f"{day}", f"{count} shifts"))
        past = sorted(history.of(employee_id), key=lambda p: p.start) if history else []
        # (end of a shift, start of the next): without history the plan repeats, its first shift comes again one
        # cycle after its last; with history the last shift before the plan, as actually worked, comes first.
        gaps = [(a.end, b.start) for a, b in itertools.pairwise(shifts)]
        if history is None and len(shifts) > 1:
            gaps.append((shifts[-1].end, _next_cycle_start(shifts[0], horizon, templates)))
        if past:
            gaps.append((max(p.worked_until for p in past), shifts[0].start))
        for end, second_start in gaps:
            rest = (second_start.astimezone(UTC) - end.astimezone(UTC)) / HOUR
            if rest < rules.min_rest_hours:
                found.append(Violation("minimum rest", employee_id, _fmt(second_start, horizon),
                                       f"{rest:g} h after the previous shift, minimum {rules.min_rest_hours:g} h"))
        worked_days = {a.day for a in shifts} | {p.day for p in past}
        found.extend(_consecutive_days(employee_id, worked_days, rules, horizon, history))
        found.extend(_days_off(employee_id, worked_days, rules, horizon, history))
        found.extend(_consecutive_nights(employee_id, shifts, past, rules, horizon, history))
        found.extend(_hours_in_24(employee_id, shifts, past, rules, horizon, history))
        found.extend(_forward_rotation(employee_id, shifts, past, rules, horizon, history))
        found.extend(_weekends_off(employee_id, shifts, rules, horizon))
        for week in range(horizon.weeks):
            hours = sum(a.hours for a in shifts if (a.day - horizon.start).days // 7 == week)
            cap = employee.contract_hours + rules.overtime_cap(employee)
            if hours > cap + 1e-9 and employee_id not in center.patterns_by_employee:  # a pattern fixes the hours
                found.append(Violation("weekly hours max", employee_id, f"week {week + 1}",
                                       f"{hours:g} h worked, cap {cap:g} h (contract + overtime cap)"))
        for week in range(horizon.weeks):
            found.extend(_min_hours(employee_id, week, shifts, center, horizon))

    found.extend(_overtime_budget(assignments, center, rules, horizon))

    trainees_on = Counter((a.day, a.shift_code, a.position) for a in assignments
                          if a.employee_id in employees and employees[a.employee_id].is_trainee)
    ctos_on = Counter((a.day, a.shift_code, a.position) for a in assignments
                      if a.employee_id in employees and employees[a.employee_id].cto
                      and not employees[a.employee_id].is_trainee)
    for (day, code, position), count in trainees_on.items():
        if count > ctos_on[day, code, position]:
            found.append(Violation("trainee supervision", "", f"{day} {code} {position}",
                                   f"{count} trainee(s), {ctos_on[day, code, position]} CTO(s) on the same shift"))
    return found


def _next_cycle_start(shift: Assignment, horizon: Horizon, templates: dict) -> datetime:
    template = templates[shift.shift_code]
    wall = datetime.combine(shift.day + timedelta(days=horizon.days), template.start)
    return wall.replace(tzinfo=horizon.tz)


def _day_flags(marked: set, horizon: Horizon, history: History | None) -> tuple[list[bool], int]:
    """Per day, is it marked: the plan's days, preceded with history by its days before it; and the index
    of the plan's first day in the list."""
    first = -history.days if history else 0
    return [horizon.start + timedelta(days=d) in marked for d in range(first, horizon.days)], -first


def _longest_run(flags: list[bool], plan_from: int, cyclic: bool) -> int:
    """Longest run of True that reaches into the plan (flags[plan_from:]); going twice round a cycle catches runs
    across its end."""
    longest = run = 0
    for i, flag in enumerate(flags + flags if cyclic else flags):
        run = run + 1 if flag else 0
        if i >= plan_from:
            longest = max(longest, run)
    return longest


def _consecutive_days(employee_id: str, worked: set, rules: Rules, horizon: Horizon,
                      history: History | None) -> list[Violation]:
    """Longest run of work days in the plan taken as a cycle (or after the history); a cyclic plan no longer
    than the limit cannot break it."""
    return _runs_over(employee_id, worked, rules.max_consecutive_days, horizon, history, "max consecutive days",
                      "days")


def _runs_over(employee_id: str, days: set, limit: int, horizon: Horizon, history: History | None, rule: str,
               unit: str) -> list[Violation]:
    """A violation when the longest run of `days` (the plan taken as a cycle, or after the history) is longer than
    `limit`; a cyclic plan no longer than the limit cannot break it."""
    if history is None and horizon.days <= limit:
        return []
    flags, plan_from = _day_flags(days, horizon, history)
    longest = _longest_run(flags, plan_from, history is None)
    if longest > limit:
        where = "every day" if all(flags) and history is None else f"{longest} {unit} in a row"
        return [Violation(rule, employee_id, where, f"more than {limit} {unit} in a row")]
    return []


def _days_off(employee_id: str, worked: set, rules: Rules, horizon: Horizon,
              history: History | None) -> list[Violation]:
    """Walk the cycle (or the history and the plan) from a work day: every stretch of days off that ends at a
    work day of the plan is 0 or >= the minimum long. Off for a minimum of 0 or 1, or a cyclic plan shorter than
    minimum + 2 days."""
    least = rules.min_days_off
    if least <= 1 or (history is None and horizon.days < least + 2):
        return []
    flags, plan_from = _day_flags(worked, horizon, history)
    if not any(flags):
        return []
    first = flags.index(True)
    steps = range(1, len(flags) + 1) if history is None else range(1, len(flags) - first)
    found, off = [], 0
    for step in steps:  # round the cycle back to the first work day, or to the plan's end
        day = (first + step) % len(flags)
        if not flags[day]:
            off += 1
            continue
        if 0 < off < least and day >= plan_from:
            found.append(Violation("min days off", employee_id, f"{horizon.start + timedelta(days=day - plan_from)}",
                                   f"{off} day(s) off before this shift, at least {least} in a row"))
        off = 0
    return found


def _consecutive_nights(employee_id: str, shifts: list[Assignment], past: list[PastShift], rules: Rules,
                        horizon: Horizon, history: History | None) -> list[Violation]:
    """Longest run of days starting a night shift (local start at or after night_start_hour or before
    night_end_hour), the plan taken as a cycle (or after the history); a cyclic plan no longer than the limit
    cannot break it; 0: off."""
    if rules.max_consecutive_nights == 0:
        return []
    night_days = {a.day for a in [*shifts, *past] if _is_night(a, rules, horizon)}
    return _runs_over(employee_id, night_days, rules.max_consecutive_nights, horizon, history,
                      "max consecutive nights", "nights")


def _hours_in_24(employee_id: str, shifts: list[Assignment], past: list[PastShift], rules: Rules,
                 horizon: Horizon, history: History | None) -> list[Violation]:
    """The most hours worked in a 24-hour window that holds a planned shift: each planned shift counts with the
    holdover reserve after it, each past one as actually worked; without history the plan repeats one cycle
    earlier and later. The most is reached by a window starting at a shift's start or ending at a shift's end."""
    limit = rules.max_hours_in_24
    if not limit:
        return []
    reserve, day = timedelta(hours=rules.holdover_hours), timedelta(days=1)
    cycle = horizon.end - horizon.begin
    copies = (0,) if history else (-2, -1, 0, 1, 2)
    own = [(a.start.astimezone(UTC), a.end.astimezone(UTC) + reserve) for a in shifts]
    planned = [(start + k * cycle, end + k * cycle) for start, end in own for k in copies]
    carried = [(p.start.astimezone(UTC), p.worked_until.astimezone(UTC)) for p in past]
    intervals = planned + carried

    def inside(t: datetime, start: datetime, end: datetime) -> float:
        return max(timedelta(0), min(t + day, end) - max(t, start)) / HOUR

    worst, when = 0.0, None
    for t in sorted({start for start, _ in own + carried} | {end - day for _, end in own + carried}):
        if any(inside(t, *span) for span in planned):
            worked = sum(inside(t, *span) for span in intervals)
            if worked > worst:
                worst, when = worked, t
    if worst > limit + 1e-9:
        return [Violation("max hours in 24", employee_id, f"24 h from {_fmt(when, horizon)}",
                          f"{worst:g} h worked (each shift with a {rules.holdover_hours:g} h holdover reserve), "
                          f"limit {limit:g} h")]
    return []


def _start_period(shift: Assignment | PastShift, rules: Rules, horizon: Horizon) -> int:
    """0 day, 1 evening, 2 night (_is_night), by the local start hour: evening at or after evening_start_hour."""
    if _is_night(shift, rules, horizon):
        return 2
    return 1 if shift.start.astimezone(horizon.tz).hour >= rules.evening_start_hour else 0


def _forward_rotation(employee_id: str, shifts: list[Assignment], past: list[PastShift], rules: Rules,
                      horizon: Horizon, history: History | None) -> list[Violation]:
    """With forward rotation on, a shift on the day after another never starts in an earlier period (day, evening,
    night). Without history the plan is a cycle, so its first day follows its last (off for a 1-day plan); with
    it, the previous roster's shift on the day before the plan comes first and the plan's end is open."""
    if not rules.forward_rotation or (history is None and horizon.days < 2):
        return []
    eve = horizon.start - timedelta(days=1)
    period = {(a.day - horizon.start).days: _start_period(a, rules, horizon)
              for a in [*shifts, *(p for p in past if p.day == eve)]}
    names = ("day", "evening", "night")
    found = []
    for day, before in sorted(period.items()):
        after = (day + 1) % horizon.days if history is None else day + 1
        if after in period and period[after] < before:
            found.append(Violation("forward rotation", employee_id, f"{horizon.start + timedelta(days=after)}",
                                   f"{names[period[after]]} shift the day after a {names[before]} shift"))
    return found


def check_patterns(assignments: list[Assignment], center: Center, horizon: Horizon) -> list[Violation]:
    """An employee on a fixed pattern works every day its letter is W (unless on leave) and no day it is O."""
    worked = {(a.employee_id, a.day) for a in assignments}
    found = []
    for pattern in center.patterns:
        for index in range(horizon.days):
            day = horizon.start + timedelta(days=index)
            letter = pattern.days[(day - pattern.anchor).days % len(pattern.days)]
            on_leave = any(lv.employee_id == pattern.employee_id and lv.start <= day <= lv.end for lv in center.leave)
            if (pattern.employee_id, day) in worked and letter == "O":
                found.append(Violation("fixed pattern", pattern.employee_id, f"{day}",
                                       f"works on a day off of pattern {pattern.name}"))
            elif (pattern.employee_id, day) not in worked and letter == "W" and not on_leave:
                found.append(Violation("fixed pattern", pattern.employee_id, f"{day}",
                                       f"no shift on a work day of pattern {pattern.name}"))
    return found


def _is_night(shift: Assignment | PastShift, rules: Rules, horizon: Horizon) -> bool:
    local = shift.start.astimezone(horizon.tz)
    return local.hour >= rules.night_start_hour or local.hour < rules.night_end_hour


def _local_dates(shift: Assignment, horizon: Horizon) -> list[date]:
    """Every local calendar date a shift has a minute of work on (a Friday 16:30-00:30 shift touches Saturday)."""
    first = shift.start.astimezone(horizon.tz).date()
    last = (shift.end - timedelta(minutes=1)).astimezone(horizon.tz).date()
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _works_weekend(shift: Assignment, horizon: Horizon) -> bool:
    return any(day.weekday() >= 5 for day in _local_dates(shift, horizon))


def _weekends_off(employee_id: str, shifts: list[Assignment], rules: Rules, horizon: Horizon) -> list[Violation]:
    """Every N consecutive weekends of the plan taken as a cycle hold one without an hour worked from Saturday
    00:00 to Monday 00:00; a plan shorter than N weeks, or not whole weeks, is not checked; N = 0: off."""
    every, days = rules.weekend_off_every_weeks, horizon.days
    if every == 0 or days % 7 or days // 7 < every:
        return []
    worked = set()  # Saturdays (day index, the cycle folded back into the plan) of weekends with an hour worked
    for a in shifts:
        for day in _local_dates(a, horizon):
            if day.weekday() >= 5:
                saturday = day - timedelta(days=day.weekday() - 5)
                worked.add((saturday - horizon.start).days % days)
    saturdays = [d for d in range(days) if horizon.day(d).weekday() == 5]
    off = [d not in worked for d in saturdays]
    short = [k for k in range(len(off)) if not any(off[(k + i) % len(off)] for i in range(every))]
    if not short:
        return []
    return [Violation("weekend off", employee_id, f"weekends from {horizon.day(saturdays[short[0]])}",
                      f"no full weekend off in {every} weeks in a row ({len(short)} of {len(off)} windows)")]


def _overtime_budget(assignments: list[Assignment], center: Center, rules: Rules,
                     horizon: Horizon) -> list[Violation]:
    """Center-wide: the hours above contract of every employee, summed per workweek, within the budget."""
    budget = rules.overtime_budget_hours
    if budget is None:
        return []
    worked: dict[tuple[str, int], float] = defaultdict(float)
    for a in assignments:
        if a.employee_id in center.employees_by_id:
            worked[a.employee_id, (a.day - horizon.start).days // 7] += a.hours
    found = []
    for week in range(horizon.weeks):
        total = sum(max(0.0, hours - center.employees_by_id[employee_id].contract_hours)
                    for (employee_id, w), hours in worked.items() if w == week)
        if total > budget + 1e-9:
            found.append(Violation("overtime budget", "", f"week {week + 1}",
                                   f"{total:g} overtime hours center-wide, budget {budget:g}"))
    return found


def check_vacancy_caps(assignments: list[Assignment], center: Center, rules: Rules, requirements: Requirements,
                       history: History | None = None) -> list[Violation]:
    """Per capped position and hour: required - scheduled (non-trainees; domain.on_duty) is at most the cap."""
    horizon = requirements.horizon
    scheduled = on_duty(assignments, center, horizon, history)
    found = []
    for position, cap in rules.max_shortfall:
        if position not in requirements.required:
            found.append(Violation("vacancy cap", "", position, "unknown position in max_shortfall"))
            continue
        short = requirements.required[position] - scheduled[position]
        over = np.flatnonzero(short > cap)
        if len(over):
            hour = int(over[0])
            found.append(Violation("vacancy cap", "", _fmt(horizon.slot_start(hour), horizon),
                                   f"{position}: {short[hour]} seat(s) uncovered, cap {cap}"
                                   f" ({len(over)} hour(s) over the cap)"))
    return found


def _min_hours(employee_id: str, week: int, shifts: list[Assignment], center: Center,
               horizon: Horizon) -> list[Violation]:
    if horizon.days - 7 * week < 7 or employee_id in center.patterns_by_employee:  # a pattern fixes the hours
        return []
    employee = center.employees_by_id[employee_id]
    week_days = [horizon.start + timedelta(days=7 * week + i) for i in range(7)]
    leave_days = sum(any(lv.employee_id == employee_id and lv.start <= d <= lv.end for lv in center.leave)
                     for d in week_days)
    floor = max(0.0, (employee.contract_hours // employee.shift_length) * employee.shift_length
                - leave_days * employee.shift_length)
    hours = sum(a.hours for a in shifts if a.day in week_days)
    if hours < floor - 1e-9:
        return [Violation("weekly hours min", employee_id, f"week {week + 1}",
                          f"{hours:g} h worked, at least {floor:g} h (contract less {leave_days} leave days)")]
    return []


def check_pins(assignments: list[Assignment], center: Center, horizon: Horizon) -> list[Violation]:
    """Every pinned assignment inside the plan is in the roster, as pinned."""
    worked = {(a.employee_id, a.day, a.shift_code, a.position) for a in assignments}
    return [Violation("pinned assignment", pin.employee_id, f"{pin.day}", f"pinned to {pin.shift_code} "
                      f"{pin.position}, not in the roster")
            for pin in center.pins
            if 0 <= (pin.day - horizon.start).days < horizon.days
            and (pin.employee_id, pin.day, pin.shift_code, pin.position) not in worked]


def check_unscheduled(assignments: list[Assignment], center: Center, horizon: Horizon) -> list[Violation]:
    """Employees with no shift at all must still meet their weekly minimum."""
    working = {a.employee_id for a in assignments}
    found = []
    for employee in center.staff:
        if employee.id not in working:
            for week in range(horizon.weeks):
                found.extend(_min_hours(employee.id, week, [], center, horizon))
    return found


def check_coverage_sheet(rows: list[dict], assignments: list[Assignment], center: Center,
                         requirements: Requirements, history: History | None = None) -> list[Violation]:
    """Does the Coverage sheet tell the truth? Each (hour, position) once, with recomputed numbers (scheduled:
    domain.on_duty, with a previous roster its shifts that run into the plan included)."""
    horizon = requirements.horizon
    scheduled = on_duty(assignments, center, horizon, history)
    found, seen = [], set()
    for row in rows:
        slot = horizon.slot_of(row["start"])
        key = (slot, row["position"])
        if row["position"] not in requirements.required or not 0 <= slot < horizon.n_slots or key in seen:
            found.append(Violation("coverage sheet", "", f"row {row['row']}", "unexpected or repeated row"))
            continue
        seen.add(key)
        need, have = int(requirements.required[row["position"]][slot]), int(scheduled[row["position"]][slot])
        truth = {"required": need, "scheduled": have, "shortfall": max(need - have, 0)}
        for column, value in truth.items():
            if row[column] != value:
                found.append(Violation("coverage sheet", "", f"row {row['row']}",
                                       f"{row['position']} {column} says {row[column]}, recomputed {value}"))
    missing = horizon.n_slots * len(requirements.required) - len(seen)
    if missing:
        found.append(Violation("coverage sheet", "", "", f"{missing} hour-position rows missing"))
    return found


def check_open_shifts(rows: list[dict], assignments: list[Assignment], center: Center,
                      requirements: Requirements, history: History | None = None) -> list[Violation]:
    """The Open shifts sheet must post exactly the uncovered seats: per position and hour, as many open shifts
    running as the recomputed shortfall."""
    horizon = requirements.horizon
    scheduled = on_duty(assignments, center, horizon, history)
    posted = {p: np.zeros(horizon.n_slots, dtype=int) for p in requirements.required}
    found = []
    for row in rows:
        start, end = row["start"], row["end"]
        if row["position"] not in posted or not 0 <= horizon.slot_of(start) < horizon.slot_of(end) <= horizon.n_slots:
            found.append(Violation("open shifts sheet", "", f"row {row['row']}", "unknown position or bad times"))
            continue
        posted[row["position"]][horizon.slot_of(start):horizon.slot_of(end)] += 1
    for position, required in requirements.required.items():
        shortfall = np.maximum(required - scheduled[position], 0)
        wrong = np.flatnonzero(posted[position] != shortfall)
        if len(wrong):
            when = _fmt(horizon.slot_start(int(wrong[0])), horizon)
            found.append(Violation("open shifts sheet", "", when,
                                   f"{position}: {posted[position][wrong[0]]} posted, {shortfall[wrong[0]]} uncovered"
                                   f" ({len(wrong)} hours disagree)"))
    return found


def check_pay_codes(segments: list[dict], center: Center, horizon: Horizon) -> list[Violation]:
    """Overtime = hours above contract in each workweek, paid on the last hours worked (REG never after OT)."""
    found = [Violation("pay codes", s["employee_id"], f"row {s.get('row')}", f"pay code {s['pay_code']!r} is not REG or OT")
             for s in segments if s["pay_code"] not in ("REG", "OT")]
    by_week: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for s in segments:
        by_week[s["employee_id"], (s["shift_date"] - horizon.start).days // 7].append(s)
    for (employee_id, week), rows in by_week.items():
        employee = center.employees_by_id.get(employee_id)
        if employee is None:
            continue
        rows.sort(key=lambda s: s["start"])
        total = sum(s["hours"] for s in rows)
        ot = sum(s["hours"] for s in rows if s["pay_code"] == "OT")
        if abs(ot - max(0.0, total - employee.contract_hours)) > 1e-6:
            found.append(Violation("pay codes", employee_id, f"week {week + 1}",
                                   f"{ot:g} h coded OT, {max(0.0, total - employee.contract_hours):g} h above contract"))
        codes = [s["pay_code"] for s in rows]
        if "OT" in codes and "REG" in codes[codes.index("OT"):]:
            found.append(Violation("pay codes", employee_id, f"week {week + 1}", "REG hours after OT hours"))
    return found


def _fairness(assignments: list[Assignment], center: Center, rules: Rules, horizon: Horizon, weights: Weights,
              overtime: dict[str, float]) -> dict[str, float]:
    """Per group of comparable staff (domain.fairness_groups): most minus fewest night shifts, most minus fewest
    shifts with an hour on a Saturday or Sunday, and the most overtime hours; summed over groups."""
    groups = fairness_groups(center, rules, horizon)
    nights = Counter(a.employee_id for a in assignments if _is_night(a, rules, horizon))
    weekends = Counter(a.employee_id for a in assignments if _works_weekend(a, horizon))

    def spread(counts: Counter, measure: str) -> float:
        return float(sum(max(counts[e] for e in g) - min(counts[e] for e in g) for g in groups[measure]))

    found = {}
    if "nights" in groups:
        found[NIGHT_SPREAD] = weights.night_spread * spread(nights, "nights")
    if "weekends" in groups:
        found[WEEKEND_SPREAD] = weights.weekend_spread * spread(weekends, "weekends")
    if "overtime" in groups:
        found[OVERTIME_PEAK] = weights.overtime_peak * float(sum(max(overtime[e] for e in g)
                                                                 for g in groups["overtime"]))
    return found


def recompute_penalties(assignments: list[Assignment], center: Center, rules: Rules, requirements: Requirements,
                        weights: Weights, repair: Repair | None = None,
                        history: History | None = None) -> dict[str, float]:
    """The objective from the roster alone (and, for coverage, the previous roster's shifts that run into the plan),
    with the names the solver's breakdown uses."""
    horizon = requirements.horizon
    scheduled = on_duty(assignments, center, horizon, history)
    over = sum(np.maximum(scheduled[p] - requirements.required[p], 0).sum() for p in requirements.required)
    curves = call_value_curves(requirements, rules) if weights.coverage == "service" else {}
    short = late = critical = 0
    for position, required in requirements.required.items():
        have = scheduled[position]
        if position in curves:  # service objective: floors per seat, calls for the queueing seats
            uncovered = np.maximum(requirements.floor[position] - have, 0).sum()
            late += sum(int(curve[-1] - curve[min(int(seats), len(curve) - 1)])
                        for curve, seats in zip(curves[position], have, strict=True))
        else:
            uncovered = np.maximum(required - have, 0).sum()
        short += uncovered
        critical += (center.positions_by_id[position].criticality - 1) * uncovered
    worked: dict[tuple[str, int], float] = defaultdict(float)
    for a in assignments:
        worked[a.employee_id, (a.day - horizon.start).days // 7] += a.hours
    overtime: dict[str, float] = defaultdict(float)  # per employee, over the plan's workweeks
    for (employee_id, _week), hours in worked.items():
        if employee_id in center.employees_by_id:  # an unknown id is a violation check_shifts reports
            overtime[employee_id] += max(0.0, hours - center.employees_by_id[employee_id].contract_hours)

    def seniority(employee_id: str) -> int:
        return rules.seniority_multiplier(center.employees_by_id[employee_id], horizon.start)

    worked_shift = {(a.employee_id, a.day): a.shift_code for a in assignments}  # one a day (else a violation)
    denied = sum(r.weight * seniority(r.employee_id) for r in center.requests
                 if (r.employee_id, r.day) in worked_shift)
    broken = {PREFERENCES_AVOIDED: 0, PREFERENCES_UNMET: 0}
    for p in center.preferences if rules.shift_preferences else ():
        for day in (horizon.day(i) for i in range(horizon.days)):
            code = worked_shift.get((p.employee_id, day))
            if code is not None and p.applies(day) and p.broken_by(code):
                broken[PREFERENCES_AVOIDED if p.avoid else PREFERENCES_UNMET] += p.weight * seniority(p.employee_id)
    penalties = {
        UNCOVERED: weights.shortfall * float(short),
        OVERSTAFFED: weights.overstaffing * float(over),
    }
    if curves:
        penalties[LATE_CALLS] = weights.late_call_hundredth * float(late)
    if any(p.criticality > 1 for p in center.positions):
        penalties[CRITICAL] = weights.shortfall * float(critical)
    penalties = {**penalties, OVERTIME: weights.overtime * sum(overtime.values()),
                 DENIED_REQUESTS: weights.day_off_request * float(denied),
                 **{name: weights.shift_preference * float(points) for name, points in broken.items()},
                 **_fairness(assignments, center, rules, horizon, weights, overtime)}
    if rules.start_stability:  # start times beyond the first per employee and week
        starts: dict[tuple[str, int], set] = defaultdict(set)
        for a in assignments:
            starts[a.employee_id, (a.day - horizon.start).days // 7].add(a.start.astimezone(horizon.tz).time())
        penalties[START_CHANGES] = weights.start_change * float(sum(len(s) - 1 for s in starts.values()))
    if repair is not None:  # changes after `now`: shifts dropped from, or added to, the published roster
        def key(a: Assignment) -> tuple:
            return a.employee_id, a.day, a.shift_code, a.position
        before = {key(a) for a in repair.published if a.start >= repair.now}
        after = {key(a) for a in assignments if a.start >= repair.now}
        added = after - before
        penalties[CHANGES] = float(weights.change * len(before - after) + sum(
            weights.volunteer_change if k[0] in repair.volunteers else weights.change for k in added))
    return penalties
