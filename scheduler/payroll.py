"""Pay: the one definition of overtime, and the payroll export's tables (docs/payroll-export.md).

pay_segments splits the roster's shifts into REG and OT hours per pay period (the Assignments sheet);
payroll_tables lays them out as pay lines, with the hours worked on a holiday coded HOL and paid leave coded
with its leave type, and totals them per employee, week and pay period. Pure data (pandas); io.payroll and
io.roster_xlsx write them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import holidays as holidays_lib
import pandas as pd

from scheduler.domain import Assignment, Center, Employee, Horizon, PaySegment, Rules
from scheduler.io.payroll import LINE_COLUMNS, PERIOD_COLUMNS, Payroll
from scheduler.io.roster_xlsx import local_naive

# Regular hours worked on a holiday. Overtime on a holiday stays OT: public-safety contracts pay the greater
# premium, not both ("no pyramiding"), and every hour is then in exactly one of REG, OT, HOL.
HOLIDAY = "HOL"
WORKED_BUCKETS = {"REG": "regular_hours", "OT": "overtime_hours", HOLIDAY: "holiday_hours"}


@dataclass(frozen=True)
class PayCalendar:
    """Pay periods of `days` days and 7-day weeks, both repeating from `anchor` both ways (Rules
    pay_period_start, default the plan's first day), each numbered from 1 for the one holding the plan's first
    day. A shift belongs to the day it starts on."""

    anchor: date
    days: int
    horizon: Horizon

    @classmethod
    def of(cls, rules: Rules, horizon: Horizon) -> PayCalendar:
        return cls(rules.pay_period_start or horizon.start, rules.pay_period_days, horizon)

    def _offset(self, day: date, length: int) -> int:
        return (day - self.anchor).days // length

    def _number(self, day: date, length: int) -> int:
        return self._offset(day, length) - self._offset(self.horizon.start, length) + 1

    def _span(self, number: int, length: int) -> tuple[date, date]:
        first = self.anchor + timedelta(days=length * (number - 1 + self._offset(self.horizon.start, length)))
        return first, first + timedelta(days=length - 1)

    def period(self, day: date) -> int:
        return self._number(day, self.days)

    def week(self, day: date) -> int:
        return self._number(day, 7)

    def period_span(self, number: int) -> tuple[date, date]:
        """The first and last day of pay period `number`."""
        return self._span(number, self.days)

    def week_span(self, number: int) -> tuple[date, date]:
        return self._span(number, 7)

    @property
    def last_day(self) -> date:
        return self.horizon.day(self.horizon.days - 1)

    def days_in_plan(self, first: date, last: date) -> int:
        return max(0, (min(last, self.last_day) - max(first, self.horizon.start)).days + 1)


def pay_segments(assignments: Iterable[Assignment], center: Center, rules: Rules,
                 horizon: Horizon) -> list[PaySegment]:
    """Hours worked in a pay period (PayCalendar) above the employee's overtime threshold
    (Rules.overtime_threshold) are overtime, on the period's last hours: a shift crossing the threshold
    splits in two. With the defaults (7-day periods from the plan's first day, contract hours) that is the
    hours above contract in each workweek."""
    calendar = PayCalendar.of(rules, horizon)
    segments = []
    worked: dict[tuple[str, int], float] = defaultdict(float)
    for shift_id, a in enumerate(sorted(assignments, key=lambda a: (a.employee_id, a.start)), start=1):
        period = a.employee_id, calendar.period(a.day)
        threshold = rules.overtime_threshold(center.employees_by_id[a.employee_id])
        regular = min(a.hours, max(0.0, threshold - worked[period]))
        worked[period] += a.hours
        # Real hours, not wall-clock ones.
        split = (a.start.astimezone(UTC) + timedelta(hours=regular)).astimezone(horizon.tz)
        if regular > 0:
            segments.append(PaySegment(shift_id, a, a.start, split, regular, "REG"))
        if a.hours > regular:
            segments.append(PaySegment(shift_id, a, split, a.end, a.hours - regular, "OT"))
    return segments


def plan_holidays(rules: Rules, horizon: Horizon) -> dict[date, str]:
    """The plan's days that are holidays, with their names: in the rules' calendar (the holiday itself, not a
    weekday it is observed on: a 24/7 center works the day) or among its explicit dates ("Holiday")."""
    days = [horizon.day(d) for d in range(horizon.days)]
    calendar: Any = {}
    if rules.holiday_country:
        years = range(days[0].year, days[-1].year + 1)
        calendar = holidays_lib.country_holidays(rules.holiday_country, years=years, observed=False,
                                                 subdiv=rules.holiday_subdivision or None)
    return {d: calendar.get(d) or "Holiday" for d in days if d in calendar or d in rules.holiday_dates}


def training_officers(assignments: Iterable[Assignment], center: Center) -> dict[tuple[str, date], str]:
    """(trainee, day) -> the CTO they shadow: trainees and CTOs on the same day, template and position (the
    trainee rule, model/rules/trainees.py), paired in employee-id order."""
    trainees: dict[tuple, list[str]] = defaultdict(list)
    ctos: dict[tuple, list[str]] = defaultdict(list)
    for a in assignments:
        employee = center.employees_by_id[a.employee_id]
        shift = a.day, a.shift_code, a.position
        if employee.is_trainee:
            trainees[shift].append(a.employee_id)
        elif employee.cto:
            ctos[shift].append(a.employee_id)
    return {(trainee, shift[0]): cto for shift, ids in trainees.items()
            for trainee, cto in zip(sorted(ids), sorted(ctos[shift]), strict=False)}


def paid_leave(center: Center, calendar: PayCalendar, worked: dict[tuple[str, int], float],
               worked_weeks: dict[tuple[str, int], float]) -> list[tuple[Employee, date, str, float]]:
    """(employee, day, leave type, hours) per leave day that pays: shift_length hours on a day the employee
    would otherwise work (on a fixed pattern its work days, else any day), in date order, while both the pay
    period's contract hours (weekly contract x period days / 7) and the week's (weekly contract), less their
    hours `worked` and the leave before, leave room: leave tops a week and a period up to contract, never
    above, so it never makes overtime and a week of vacation pays a week's contract in a 14-day period too."""
    paid = []
    horizon = calendar.horizon
    for e in center.staff:
        pattern = center.patterns_by_employee.get(e.id)
        contract = e.contract_hours * calendar.days / 7
        leave_paid: dict[int, float] = defaultdict(float)
        leave_weeks: dict[int, float] = defaultdict(float)
        for d in range(horizon.days):
            day = horizon.day(d)
            leave = center.leave_on(e.id, day)
            if leave is None or (pattern is not None and not pattern.works_on(day)):
                continue
            period, week = calendar.period(day), calendar.week(day)
            hours = round(min(e.shift_length, contract - worked[e.id, period] - leave_paid[period],
                              e.contract_hours - worked_weeks[e.id, week] - leave_weeks[week]), 2)
            if hours > 0:
                leave_paid[period] += hours
                leave_weeks[week] += hours
                paid.append((e, day, leave.type, hours))
    return paid


def payroll_tables(segments: list[PaySegment], center: Center, rules: Rules, horizon: Horizon) -> Payroll:
    """The payroll export: one line per worked segment (REG, OT, or HOL for the regular hours of a shift that
    starts on a holiday) and per paid leave day (paid_leave), and per employee, week and pay period the hours
    by kind against the contract."""
    calendar = PayCalendar.of(rules, horizon)
    holidays = plan_holidays(rules, horizon)
    officers = training_officers(dict.fromkeys(s.assignment for s in segments), center)
    worked: dict[tuple[str, int], float] = defaultdict(float)
    worked_weeks: dict[tuple[str, int], float] = defaultdict(float)
    lines = []
    for s in segments:
        a, employee = s.assignment, center.employees_by_id[s.assignment.employee_id]
        worked[a.employee_id, calendar.period(a.day)] += s.hours
        worked_weeks[a.employee_id, calendar.week(a.day)] += s.hours
        code = HOLIDAY if s.pay_code == "REG" and a.day in holidays else s.pay_code
        lines.append(_line(employee, a.day, calendar, s.hours, code, position=a.position, start=s.start,
                           end=s.end, shift_code=a.shift_code, shift_id=s.shift_id,
                           officer=officers.get((a.employee_id, a.day))))
    lines += [_line(e, day, calendar, hours, kind)
              for e, day, kind, hours in paid_leave(center, calendar, worked, worked_weeks)]
    lines.sort(key=lambda line: (line["employee_id"], line["date"], line["shift_id"] is None,
                                 line["start"] or datetime.min))
    about = {"time_zone": rules.timezone, "pay_period_days": calendar.days,
             "pay_period_start": calendar.period_span(1)[0].isoformat(),
             "holidays": [d.isoformat() for d in holidays], "unpaid_leave": list(rules.unpaid_leave)}
    totals = _frame(_totals(lines, center, rules, calendar), PERIOD_COLUMNS, BLANK_IN_PERIODS)
    return Payroll(_frame(lines, LINE_COLUMNS, BLANK_IN_LINES), totals, about)


def _line(e: Employee, day: date, calendar: PayCalendar, hours: float, code: str, *,
          position: str | None = None, start: datetime | None = None, end: datetime | None = None,
          shift_code: str | None = None, shift_id: int | None = None,
          officer: str | None = None) -> dict[str, Any]:
    period = calendar.period(day)
    first, last = calendar.period_span(period)
    horizon = calendar.horizon

    def local(moment: datetime | None) -> datetime | None:  # for Excel: wall-clock, no offset
        return None if moment is None else local_naive(moment, horizon)

    def iso(moment: datetime | None) -> str | None:
        return None if moment is None else moment.astimezone(horizon.tz).isoformat(timespec="seconds")

    return {"employee_id": e.id, "employee_name": e.name, "job_class": e.job_class, "position": position,
            "pay_period": period, "period_first_day": first, "period_last_day": last,
            "week": calendar.week(day), "date": day, "start": local(start), "end": local(end),
            "start_iso": iso(start), "end_iso": iso(end), "hours": hours, "pay_code": code,
            "shift_code": shift_code, "shift_id": shift_id, "trainee": e.is_trainee,
            "training_officer_id": officer}


def _totals(lines: list[dict[str, Any]], center: Center, rules: Rules,
            calendar: PayCalendar) -> list[dict[str, Any]]:
    """Per employee (every one, with hours or not), each week of each pay period in the plan and then the
    period: hours by kind, the contract's hours (a week or period only partly in the plan counts whole, as the
    overtime does) and, for one wholly in the plan, the hours short of them."""
    sums: dict[tuple[str, str, int], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for line in lines:
        if line["shift_id"] is not None:
            kind = WORKED_BUCKETS[line["pay_code"]]
        else:  # a leave type named like a worked code (a "HOL" day off) is still leave
            kind = "unpaid_leave_hours" if line["pay_code"] in rules.unpaid_leave else "leave_hours"
        for span, number in (("week", line["week"]), ("pay period", line["pay_period"])):
            sums[line["employee_id"], span, number][kind] += line["hours"]
    rows = []
    for e in sorted(center.staff, key=lambda e: e.id):
        for period in range(1, calendar.period(calendar.last_day) + 1):
            first, last = calendar.period_span(period)
            weeks = range(calendar.week(max(first, calendar.horizon.start)),
                          calendar.week(min(last, calendar.last_day)) + 1)
            spans = [("week", week, *calendar.week_span(week)) for week in weeks]
            for span, week, first_day, last_day in [*spans, ("pay period", None, first, last)]:
                hours = sums[e.id, span, period if week is None else week]
                rows.append(_total_row(e, span, period, week, first_day, last_day, hours, calendar))
    return rows


def _total_row(e: Employee, span: str, period: int, week: int | None, first: date, last: date,
               hours: dict[str, float], calendar: PayCalendar) -> dict[str, Any]:
    length = (last - first).days + 1
    in_plan = calendar.days_in_plan(first, last)
    kinds = {kind: round(hours[kind], 2) for kind in (*WORKED_BUCKETS.values(), "leave_hours",
                                                      "unpaid_leave_hours")}
    paid = round(sum(value for kind, value in kinds.items() if kind != "unpaid_leave_hours"), 2)
    contract = round(e.contract_hours * length / 7, 2)
    return {"employee_id": e.id, "employee_name": e.name, "job_class": e.job_class, "span": span,
            "pay_period": period, "week": week, "first_day": first, "last_day": last, "days_in_plan": in_plan,
            **kinds, "total_paid_hours": paid, "contract_hours": contract,
            "short_of_contract_hours": round(max(0.0, contract - paid), 2) if in_plan == length else None}


# The columns with blank cells: kept as None (object columns), never NaN or NaT, which a spreadsheet shows as
# a number or an error.
BLANK_IN_LINES = ("position", "start", "end", "start_iso", "end_iso", "shift_code", "shift_id",
                  "training_officer_id")
BLANK_IN_PERIODS = ("week", "short_of_contract_hours")


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...], blank: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series([row[column] for row in rows],
                                           dtype=object if column in blank else None)
                         for column in columns}, columns=list(columns))


def partial_pay_periods(rules: Rules, horizon: Horizon) -> tuple[str, ...]:
    """A warning when a pay period lies only partly in the plan: its overtime and paid leave can count only
    this roster's hours (the rest of the period is in a neighbouring roster)."""
    calendar = PayCalendar.of(rules, horizon)
    partial = []
    for number in range(1, calendar.period(calendar.last_day) + 1):
        first, last = calendar.period_span(number)
        if (in_plan := calendar.days_in_plan(first, last)) < calendar.days:
            partial.append(f"{first} to {last} ({in_plan} of its {calendar.days} days)")
    warning = (f"pay period {', '.join(partial)} only partly in the plan: its overtime and paid leave count "
               "this roster's hours alone; plan whole pay periods or set [pay] period_start")
    return (warning,) if partial else ()
