"""The payroll export (issue 23, point 4; docs/payroll-export.md): overtime per pay period (7 or 14 days)
in the Assignments sheet's codes and the checker, pay lines with holiday (HOL) and paid leave codes, trainees
with their CTO, DST nights, the totals per week and pay period, the files and their JSON contract, and bad
`[pay]` values."""

from __future__ import annotations

import csv
import json
import tomllib
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from scheduler import pipeline
from scheduler.checker import check_pay_codes
from scheduler.cli import main
from scheduler.domain import Assignment, Center, Horizon, Leave, Rules, ShiftTemplate
from scheduler.errors import InputError
from scheduler.io.payroll import LINE_COLUMNS, PAYROLL_CONTRACT, PERIOD_COLUMNS, Payroll
from scheduler.io.roster_xlsx import write_roster
from scheduler.io.rules import rules_from
from scheduler.payroll import partial_pay_periods, pay_segments, payroll_tables
from tests.factory import DAY8, NIGHT8, START, center, employee, rules
from tests.test_after_solve import SETTINGS, issue_21_inputs
from tests.test_output_files import roster_tables

ROOT = Path(__file__).resolve().parents[1]
DAY12 = ShiftTemplate("D12", time(6), 12, "Day 12")


def worked(eid: str, days: list[int], template: ShiftTemplate = DAY8, first: date = START,
           plan_days: int = 14) -> list[Assignment]:
    horizon = Horizon(first, plan_days, rules().tz)
    return [Assignment(eid, horizon.day(d), template.code, "radio", *horizon.shift_window(d, template))
            for d in days]


def payroll(shifts: list[Assignment], c: Center, r: Rules, first: date = START, days: int = 14) -> Payroll:
    horizon = Horizon(first, days, r.tz)
    return payroll_tables(pay_segments(shifts, c, r, horizon), c, r, horizon)


def lines(p: Payroll, eid: str) -> list[tuple]:
    """(date, pay code, hours) of an employee's pay lines."""
    mine = p.lines[p.lines["employee_id"] == eid]
    return list(zip(mine["date"], mine["pay_code"], mine["hours"], strict=True))


HOURS = ["regular_hours", "overtime_hours", "holiday_hours", "leave_hours", "unpaid_leave_hours",
         "total_paid_hours", "contract_hours", "short_of_contract_hours"]


def totals(p: Payroll, eid: str) -> list[tuple]:
    """(span, its number, regular, overtime, holiday, leave, unpaid leave, total paid, contract, short) per
    row of the employee's Pay periods table."""
    mine = p.periods[p.periods["employee_id"] == eid]
    return [(row["span"], row["week"] if row["span"] == "week" else row["pay_period"],
             *(row[column] for column in HOURS)) for row in mine.to_dict("records")]


def day(d: int) -> date:
    return START + timedelta(days=d)


# Two weeks: V on vacation all of week 1 and working 5 days of week 2; A working 6 days of week 1 and 4 days
# plus a sick day of week 2; F on FMLA Monday to Wednesday and working Thursday and Friday of week 1.
LEAVE_CENTER = center([employee("V", contract_hours=40), employee("A", contract_hours=40),
                       employee("F", contract_hours=40)],
                      leave=(Leave("V", day(0), day(6), "VAC"), Leave("A", day(8), day(8), "SICK"),
                             Leave("F", day(0), day(2), "FMLA")))
LEAVE_ROSTER = [*worked("V", [7, 8, 9, 10, 11]), *worked("A", [0, 1, 2, 3, 4, 5, 7, 9, 10, 11]),
                *worked("F", [3, 4])]


def test_paid_leave_tops_each_period_up_to_contract_and_totals_add_up():
    p = payroll(LEAVE_ROSTER, LEAVE_CENTER, rules())
    # A week of vacation pays the contract's 40 h, Monday to Friday, not 7 x 8 = 56 h: the weekend days are
    # beyond it. A's sick day tops a week of 32 worked hours up to 40; week 1's sixth shift is overtime.
    assert lines(p, "V")[:5] == [(day(d), "VAC", 8.0) for d in range(5)]
    assert [code for _, code, _ in lines(p, "V")[5:]] == ["REG"] * 5
    assert (day(8), "SICK", 8.0) in lines(p, "A")
    assert totals(p, "V") == [
        ("week", 1, 0, 0, 0, 40, 0, 40, 40, 0), ("pay period", 1, 0, 0, 0, 40, 0, 40, 40, 0),
        ("week", 2, 40, 0, 0, 0, 0, 40, 40, 0), ("pay period", 2, 40, 0, 0, 0, 0, 40, 40, 0)]
    assert totals(p, "A") == [
        ("week", 1, 40, 8, 0, 0, 0, 48, 40, 0), ("pay period", 1, 40, 8, 0, 0, 0, 48, 40, 0),
        ("week", 2, 32, 0, 0, 8, 0, 40, 40, 0), ("pay period", 2, 32, 0, 0, 8, 0, 40, 40, 0)]
    # FMLA is listed (its use is counted) but unpaid by default: F is paid the 16 h worked, 24 h short.
    assert lines(p, "F")[:3] == [(day(d), "FMLA", 8.0) for d in range(3)]
    assert totals(p, "F")[1] == ("pay period", 1, 16, 0, 0, 0, 24, 16, 40, 24)
    # Per employee and period, the worked lines hold exactly the roster's hours, plus the paid leave.
    periods = p.periods[p.periods["span"] == "pay period"]
    for row in periods.to_dict("records"):
        roster_hours = sum(a.hours for a in LEAVE_ROSTER if a.employee_id == row["employee_id"]
                           and (a.day - START).days // 7 + 1 == row["pay_period"])
        assert row["regular_hours"] + row["overtime_hours"] + row["holiday_hours"] == roster_hours
        assert row["total_paid_hours"] == roster_hours + row["leave_hours"]


def test_under_14_day_periods_leave_still_tops_each_week_up_to_its_contract():
    # Two weeks of vacation pay Monday to Friday of each week (40 + 40), not seven days of week 1 and three
    # of week 2 (56 + 24) as a cap on the period alone would; a one-week plan under 14-day periods pays a
    # week's vacation 40 h, not 56.
    away = center([employee("W", contract_hours=40)], leave=(Leave("W", day(0), day(13), "VAC"),))
    p = payroll([], away, rules(pay_period_days=14))
    assert [(d, hours) for d, _, hours in lines(p, "W")] == [(day(d), 8.0) for d in (0, 1, 2, 3, 4, 7, 8, 9,
                                                                                        10, 11)]
    one_week = payroll([], away, rules(pay_period_days=14), days=7)
    assert sum(hours for _, _, hours in lines(one_week, "W")) == 40


TWELVES = center([employee("T", length=12, contract_hours=40)], shifts=(DAY12,))
# 4 x 12 h in week 1 (48 h), 3 x 12 h in week 2 (36 h).
TWELVE_ROSTER = worked("T", [0, 1, 2, 3, 7, 8, 9], DAY12)


def pay_rows(shifts: list[Assignment], c: Center, r: Rules, days: int = 14) -> list[dict]:
    """The Assignments sheet's rows as the checker reads them."""
    return [{"employee_id": s.assignment.employee_id, "shift_date": s.assignment.day, "start": s.start,
             "hours": s.hours, "pay_code": s.pay_code}
            for s in pay_segments(shifts, c, r, Horizon(START, days, r.tz))]


def test_a_twelve_hour_person_on_40_hours_under_7_and_14_day_pay_periods():
    weekly, fortnight = rules(), rules(pay_period_days=14)
    # 7-day periods (the default): 8 h overtime in week 1, and week 2 is 4 h short of the 40 h contract.
    assert totals(payroll(TWELVE_ROSTER, TWELVES, weekly), "T") == [
        ("week", 1, 40, 8, 0, 0, 0, 48, 40, 0), ("pay period", 1, 40, 8, 0, 0, 0, 48, 40, 0),
        ("week", 2, 36, 0, 0, 0, 0, 36, 40, 4), ("pay period", 2, 36, 0, 0, 0, 0, 36, 40, 4)]
    # 14-day periods: 84 h against 80, so 4 h overtime, on the last shift (8 REG + 4 OT); the weeks are
    # listed inside the period, week 2 still 4 h short of its 40.
    assert totals(payroll(TWELVE_ROSTER, TWELVES, fortnight), "T") == [
        ("week", 1, 48, 0, 0, 0, 0, 48, 40, 0), ("week", 2, 32, 4, 0, 0, 0, 36, 40, 4),
        ("pay period", 1, 80, 4, 0, 0, 0, 84, 80, 0)]
    assert [(r["hours"], r["pay_code"]) for r in pay_rows(TWELVE_ROSTER, TWELVES, fortnight)][-2:] == [
        (8, "REG"), (4, "OT")]
    # An 84-hour threshold (a Pitman center): no overtime at all.
    pitman = rules(pay_period_days=14, overtime_threshold_hours=84)
    assert totals(payroll(TWELVE_ROSTER, TWELVES, pitman), "T")[-1] == (
        "pay period", 1, 84, 0, 0, 0, 0, 84, 80, 0)


def test_the_checker_catches_a_wrong_pay_code_under_a_14_day_period():
    fortnight = rules(pay_period_days=14)
    assert check_pay_codes(pay_rows(TWELVE_ROSTER, TWELVES, fortnight), TWELVES, fortnight,
                           Horizon(START, 14, fortnight.tz)) == []
    # The weekly codes (8 h OT in week 1) are wrong for a 14-day period, whose overtime is 4 h, on its last
    # hours (week 2's REG hours come after week 1's OT).
    weekly_codes = pay_rows(TWELVE_ROSTER, TWELVES, rules())
    found = check_pay_codes(weekly_codes, TWELVES, fortnight, Horizon(START, 14, fortnight.tz))
    assert [str(v) for v in found] == ["pay codes: T pay period 1: 8 h coded OT, 4 h above contract (80 h)",
                                       "pay codes: T pay period 1: REG hours after OT hours"]


def test_a_pay_period_start_before_the_plan_cuts_its_periods_and_says_so():
    # Periods from Monday 2026-11-23: the plan's two weeks are the second half of one period and the first
    # half of the next, so neither has overtime (48 and 36 h against 80) and neither shows hours short (the
    # other halves are in other rosters).
    cut = rules(pay_period_days=14, pay_period_start=date(2026, 11, 23))
    periods = payroll(TWELVE_ROSTER, TWELVES, cut).periods
    mine = periods[periods["span"] == "pay period"]
    assert list(zip(mine["first_day"], mine["days_in_plan"], mine["overtime_hours"],
                    mine["short_of_contract_hours"], strict=True)) == [
        (date(2026, 11, 23), 7, 0, None), (date(2026, 12, 7), 7, 0, None)]
    assert partial_pay_periods(cut, Horizon(START, 14, cut.tz)) == (
        ("pay period 2026-11-23 to 2026-12-06 (7 of its 14 days), 2026-12-07 to 2026-12-20 (7 of its 14 "
         "days) only partly in the plan: its overtime and paid leave count this roster's hours alone; plan "
         "whole pay periods or set [pay] period_start"),)
    assert partial_pay_periods(rules(pay_period_days=14), Horizon(START, 14, cut.tz)) == ()


CHRISTMAS_WEEK = date(2026, 12, 21)  # a Monday; Friday is Christmas Day


def test_holiday_hours_are_hol_and_overtime_on_a_holiday_stays_ot():
    c = center([employee("H", contract_hours=40), employee("O", contract_hours=32)])
    shifts = [*worked("H", [0, 1, 2, 3, 4, 5], first=CHRISTMAS_WEEK, plan_days=7),
              *worked("O", [0, 1, 2, 3, 4], first=CHRISTMAS_WEEK, plan_days=7)]
    christmas = date(2026, 12, 25)
    # The default calendar (US federal holidays): Christmas Day's regular hours are HOL; O's Christmas shift
    # is all beyond 32 h, so OT (one premium, not two).
    p = payroll(shifts, c, rules(), CHRISTMAS_WEEK, 7)
    assert p.about["holidays"] == ["2026-12-25"]
    assert [(d, code) for d, code, _ in lines(p, "H")][3:] == [
        (date(2026, 12, 24), "REG"), (christmas, "HOL"), (date(2026, 12, 26), "OT")]
    assert lines(p, "O")[-1] == (christmas, "OT", 8.0)
    assert totals(p, "H")[-1] == ("pay period", 1, 32, 8, 8, 0, 0, 48, 40, 0)
    # Explicit dates add to the calendar; no country leaves them alone.
    eve = rules(holiday_dates=(date(2026, 12, 24),))
    assert [code for _, code, _ in lines(payroll(shifts, c, eve, CHRISTMAS_WEEK, 7), "H")][3:5] == [
        "HOL", "HOL"]
    only_eve = rules(holiday_country="", holiday_dates=(date(2026, 12, 24),))
    assert [code for _, code, _ in lines(payroll(shifts, c, only_eve, CHRISTMAS_WEEK, 7), "H")][3:5] == [
        "HOL", "REG"]


def test_a_night_over_the_dst_fall_back_works_9_hours_and_says_its_offsets():
    # America/Chicago falls back at 02:00 on Sunday 2026-11-01: the N8 from Saturday 23:00 to Sunday 07:00
    # works 9 real hours. With 32 h worked before it and a 34 h contract, its first 2 hours are regular and
    # the rest overtime from the first 01:00 (CDT, -05:00), which the local cell alone cannot tell from the
    # second (CST, -06:00).
    monday = date(2026, 10, 26)
    c = center([employee("N", contract_hours=34)])
    p = payroll(worked("N", [1, 2, 3, 4, 5], NIGHT8, monday, 7), c, rules(), monday, 7)
    last = p.lines.tail(2)
    assert list(last["hours"]) == [2, 7] and list(last["pay_code"]) == ["REG", "OT"]
    assert list(last["start_iso"]) == ["2026-10-31T23:00:00-05:00", "2026-11-01T01:00:00-05:00"]
    assert list(last["end_iso"]) == ["2026-11-01T01:00:00-05:00", "2026-11-01T07:00:00-06:00"]
    assert list(last["start"]) == [datetime(2026, 10, 31, 23), datetime(2026, 11, 1, 1)]  # local, for Excel
    assert totals(p, "N")[-1] == ("pay period", 1, 34, 7, 0, 0, 0, 41, 34, 0)


def test_trainee_lines_name_the_cto_they_shadow():
    # Two trainees beside two CTOs on the same shift and position are paired in id order; the CTOs' and the
    # other telecommunicator's lines name nobody.
    c = center([employee("C", cto=True), employee("D", cto=True), employee("B"),
                employee("T", job_class="trainee"), employee("U", job_class="trainee")])
    shifts = [a for eid in "CDBTU" for a in worked(eid, [0], plan_days=7)]
    p = payroll(shifts, c, rules(), days=7)
    assert list(zip(p.lines["employee_id"], p.lines["trainee"], p.lines["training_officer_id"],
                    strict=True)) == [
        ("B", False, None), ("C", False, None), ("D", False, None), ("T", True, "C"), ("U", True, "D")]


def test_the_files_carry_the_contract_its_columns_and_blank_cells(tmp_path):
    workbook = tmp_path / "leave.xlsx"
    tables = replace(roster_tables(["A"]), payroll=payroll(LEAVE_ROSTER, LEAVE_CENTER, rules()))
    write_roster(workbook, tables)
    document = json.loads((tmp_path / "leave-payroll.json").read_text())
    assert document["contract"] == PAYROLL_CONTRACT == "scheduler-payroll/1"
    assert document["columns"] == list(LINE_COLUMNS) and document["period_columns"] == list(PERIOD_COLUMNS)
    assert (document["time_zone"], document["pay_period_days"], document["pay_period_start"]) == (
        "America/Chicago", 7, "2026-11-30")
    first = next(line for line in document["lines"] if line["employee_id"] == "A")
    assert first == {
        "employee_id": "A", "employee_name": "Name A", "job_class": "telecommunicator", "position": "radio",
        "pay_period": 1, "period_first_day": "2026-11-30", "period_last_day": "2026-12-06", "week": 1,
        "date": "2026-11-30", "start": "2026-11-30T07:00:00", "end": "2026-11-30T15:00:00",
        "start_iso": "2026-11-30T07:00:00-06:00", "end_iso": "2026-11-30T15:00:00-06:00", "hours": 8.0,
        "pay_code": "REG", "shift_code": "D8", "shift_id": 1, "trainee": False, "training_officer_id": None}
    sick = next(line for line in document["lines"] if line["pay_code"] == "SICK")
    assert {key: sick[key] for key in ("position", "start", "start_iso", "shift_id", "hours")} == {
        "position": None, "start": None, "start_iso": None, "shift_id": None, "hours": 8.0}
    assert len(document["periods"]) == 12  # 3 employees x (2 weeks + 2 periods)
    with (tmp_path / "leave-payroll.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(LINE_COLUMNS)
    assert (rows[0]["start"], rows[0]["start_iso"], rows[0]["shift_id"]) == (
        "2026-11-30 07:00", "2026-11-30T07:00:00-06:00", "1")
    assert [row["shift_id"] for row in rows if row["pay_code"] == "SICK"] == [""]
    wb = load_workbook(workbook)
    sheet = wb["Payroll"]
    assert [c.value for c in sheet[1]] == list(LINE_COLUMNS)
    header = {c.value: c.column - 1 for c in sheet[1]}
    cells = {r[header["pay_code"]].value: r for r in sheet.iter_rows(min_row=2)}
    assert isinstance(cells["REG"][header["start"]].value, datetime)  # an Excel date-time
    assert cells["SICK"][header["start"]].value is None and cells["SICK"][header["shift_id"]].value is None
    assert [c.value for c in wb["Pay periods"][1]] == list(PERIOD_COLUMNS)


BAD_PAY = [
    ("period_days = 10", "period_days out of range (value: 10); give period_days one of 7, 14"),
    ('period_start = "2026-11-29"',
     ("[pay] period_start must be a date (value: '2026-11-29'); write a TOML date, without quotes: "
      "period_start = 2026-11-29")),
    ("period_start = 2026-11-29T00:00:00",
     ("[pay] period_start must be a date (value: datetime.datetime(2026, 11, 29, 0, 0)); write a TOML date, "
      "without quotes: period_start = 2026-11-29")),
    ("overtime_threshold_hours = 0",
     ("overtime_threshold_hours out of range (value: 0); give overtime_threshold_hours above 0 and at most "
      "336")),
    ('holiday_country = "XX"',
     ("[pay] unknown holiday calendar (Country XX not available) (value: ('XX', '')); use a country code and "
      'subdivision such as "US" and "MO", or holiday_country = "" for explicit holiday_dates only')),
    ('holiday_country = ""\nholiday_subdivision = "MO"',
     "[pay] holiday_subdivision needs holiday_country (value: 'MO'); e.g. holiday_country = \"US\""),
    ('holiday_dates = ["2026-12-24"]',
     ("[pay] holiday_dates must be a list of dates (value: '2026-12-24'); write TOML dates, without quotes: "
      "holiday_dates = [2026-12-24, 2026-12-31]")),
    ("unpaid_leave = [1]",
     ('[pay] unpaid_leave must be a list of leave types (value: 1); as in sheet Leave, e.g. unpaid_leave = '
      '["FMLA"]')),
    ("weeks = 2",
     ("unknown key 'weeks' in [pay]; use period_days, period_start, overtime_threshold_hours, "
      "holiday_country, holiday_subdivision, holiday_dates, unpaid_leave")),
]


@pytest.mark.parametrize(("pay", "said"), BAD_PAY)
def test_bad_pay_settings_are_one_error(pay, said):
    raw = tomllib.loads(f'[center]\nname = "X"\ntimezone = "America/Chicago"\n[pay]\n{pay}\n')
    with pytest.raises(InputError) as error:
        rules_from(raw, Path("rules.toml"))
    assert str(error.value) == f"rules.toml: {said}"


def test_a_bad_pay_setting_stops_the_build_with_one_error_line(tmp_path):
    rules_file = tmp_path / "rules.toml"
    sample = (ROOT / "inputs" / "rules.toml").read_text()
    assert "\nperiod_days = 7 " in sample
    rules_file.write_text(sample.replace("\nperiod_days = 7 ", "\nperiod_days = 10 "))
    result = CliRunner().invoke(main, [
        "build", "--center", str(ROOT / "inputs" / "center.xlsx"), "--rules", str(rules_file),
        "--forecast", str(ROOT / "forecasts" / "sample-week-2026-11-30.csv"), "--week", "2026-11-30",
        "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Error: rules.toml: period_days out of range (value: 10); give period_days one of 7, 14"]
    assert not (tmp_path / "out").exists()


def test_a_build_writes_the_payroll_beside_the_roster(tmp_path):
    # A solved tiny roster: the payroll's lines hold the Assignments sheet's hours, in the workbook too.
    outcome = pipeline.build(issue_21_inputs(), tmp_path, SETTINGS)
    document = json.loads(outcome.workbook.with_name(f"{outcome.workbook.stem}-payroll.json").read_text())
    assert sum(line["hours"] for line in document["lines"]) == outcome.roster.pay["hours"].sum() > 0
    assert {"Payroll", "Pay periods"} <= set(load_workbook(outcome.workbook, read_only=True).sheetnames)
