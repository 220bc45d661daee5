"""Fixed cyclic patterns: an employee on a pattern works exactly its W days (hard, rules/patterns.py), the
optional Patterns sheet (io/center.py) and the checker (check_fixed_patterns)."""

from datetime import date, time, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler.checker import check_fixed_patterns, check_weekly_hours
from scheduler.domain import NAMED_PATTERNS, Assignment, Leave, Pattern, ShiftTemplate
from scheduler.errors import InputError, SolveError
from scheduler.io.center import read_center
from scheduler.model.solve import solve
from tests.checked import OT, OVER, SETTINGS, SHORT, case_of, shifts, solve_checked
from tests.factory import START, center, employee, model_data, rules

ROOT = Path(__file__).resolve().parents[1]
DAY12 = ShiftTemplate("D12", time(7), 12, "Day 12")


def every_day(days: int) -> list[int]:
    """One radio seat 07:00-15:00 every day."""
    return [1 if 7 <= h % 24 < 15 else 0 for h in range(24 * days)]


@pytest.mark.binds
def test_pattern_binds_off_days_stay_open():
    # A follows WO (every other day) from day 0 of a 4-day plan; D8 is needed every day. Without the pattern A
    # works all 4 days; with it only days 0 and 2, and days 1 and 3 stay open: 2 x 8 seat-hours = 16,000.
    # (Single days off allowed: min_days_off 1.)
    c = center([employee("A")], patterns=(Pattern("A", "WO", "WO", START),))
    result = solve_checked(model_data(c, days=4, required={"radio": every_day(4)}, r=rules(min_days_off=1)))
    assert [(d, code) for _, d, code, _ in shifts(result)] == [(0, "D8"), (2, "D8")]
    assert result.penalties[SHORT] == 2 * 8 * 1000


def test_pattern_binds_work_days_worked_without_need():
    # Nothing is needed, but the pattern's W days are worked anyway (8 h overstaffed each). An anchor before
    # the plan counts on: WO from the day before day 0 puts the W days on days 1 and 3. Leave on day 3 excuses
    # it.
    c = center([employee("A")], patterns=(Pattern("A", "WO", "WO", START - timedelta(days=1)),),
               leave=(Leave("A", START + timedelta(days=3), START + timedelta(days=3), "VAC"),))
    result = solve_checked(model_data(c, days=4))
    assert [d for _, d, _, _ in shifts(result)] == [1]
    assert result.penalties[OVER] == 8


@pytest.mark.slack
def test_pattern_slack_every_day_pattern():
    # WWWW on a 4-day plan where D8 is needed every day: the pattern asks what coverage wants anyway.
    c = center([employee("A")], patterns=(Pattern("A", "WWWW", "WWWW", START),))
    result = solve_checked(model_data(c, days=4, required={"radio": every_day(4)}))
    assert len(result.assignments) == 4
    assert result.penalties[SHORT] == 0


@pytest.mark.parametrize(("anchor", "days", "overtime"), [
    (START, [0, 1, 4, 5, 6], 20),  # WWOOWWW: 60 h, above contract + cap (52 h): 20 h overtime
    (START - timedelta(days=7), [2, 3], 0),  # OOWWOOO: 24 h, below the 36 h floor
])
def test_pitman_replaces_weekly_hours(anchor, days, overtime):
    # A 12 h employee (contract 40, default overtime cap 12) on Pitman 2-2-3 over a full week: the pattern
    # fixes the days and so the hours, which the weekly minimum and maximum would otherwise forbid in both
    # weeks.
    pattern = Pattern("A", "2-2-3", NAMED_PATTERNS["2-2-3"], anchor)
    c = center([employee("A", length=12)], shifts=(DAY12,), patterns=(pattern,))
    result = solve_checked(model_data(c, days=7))
    assert [d for _, d, _, _ in shifts(result)] == days
    assert result.penalties[OT] == overtime * 15


def test_pattern_conflict_names_the_pattern():
    # WWWWWWW on a 7-day plan: 7 days in a row against maximum 6 consecutive days. No roster; the message
    # names the pattern and the rule it conflicts with.
    c = center([employee("A")], patterns=(Pattern("A", "WWWWWWW", "WWWWWWW", START),))
    with pytest.raises(SolveError) as error:
        solve(model_data(c, days=7), settings=SETTINGS)
    assert ("A follows pattern WWWWWWW from Mon 2026-11-30: works exactly the pattern's work days"
            in str(error.value))
    assert "maximum 6 consecutive work days" in str(error.value)
    assert "minimum" not in str(error.value).replace("maximum", "")  # a pattern day is no staffing minimum


def test_checker_flags_pattern_days():
    c = center([employee("A", contract_hours=0)], patterns=(Pattern("A", "WO", "WO", START),),
               leave=(Leave("A", START + timedelta(days=2), START + timedelta(days=2), "VAC"),))
    data = model_data(c, days=4)

    def roster(*days):
        return [Assignment("A", START + timedelta(days=d), "D8", "radio", w.start, w.end)
                for d in days for w in [data.windows[d, "D8"]]]

    assert check_fixed_patterns(case_of(data, roster(0))) == []  # day 2 is a W day on leave: excused
    found = check_fixed_patterns(case_of(data, roster(1)))
    assert [(v.rule, v.when) for v in found] == [("fixed pattern", "2026-11-30"),
                                                 ("fixed pattern", "2026-12-01")]
    assert "no shift" in found[0].detail and "day off" in found[1].detail
    # The weekly floor does not apply to a patterned employee (the pattern fixes the hours).
    full = center([employee("A")], patterns=(Pattern("A", "WO", "WO", START),))
    assert check_weekly_hours(case_of(model_data(full, days=7), [])) == []


# --- reader: the optional Patterns sheet --------------------------------------------------------------------

def with_patterns(tmp_path: Path, *rows) -> Path:
    wb = load_workbook(ROOT / "inputs/center.xlsx")
    if "Patterns" in wb.sheetnames:
        del wb["Patterns"]
    ws = wb.create_sheet("Patterns")
    ws.append(["employee_id", "pattern", "anchor"])
    for row in rows:
        ws.append(list(row))
    path = tmp_path / "center.xlsx"
    wb.save(path)
    return path


def test_reader_named_pattern_and_team(tmp_path):
    path = with_patterns(tmp_path, ("E031, E033", "4x10", date(2026, 11, 30)), ("E040", "wwoo", "2026-12-01"))
    patterns = read_center(path).patterns
    assert patterns == (Pattern("E031", "4x10", "WWWWOOO", date(2026, 11, 30)),
                        Pattern("E033", "4x10", "WWWWOOO", date(2026, 11, 30)),
                        Pattern("E040", "WWOO", "WWOO", date(2026, 12, 1)))


@pytest.mark.parametrize(("row", "column", "value"), [
    (("E999", "4x10", date(2026, 11, 30)), "employee_id", "E999"),
    (("E031", "2-3-2", date(2026, 11, 30)), "pattern", "2-3-2"),
    (("E031", "OOO", date(2026, 11, 30)), "pattern", "OOO"),
    (("E031", "4x10", "someday"), "anchor", "someday"),
])
def test_reader_bad_pattern_row(tmp_path, row, column, value):
    with pytest.raises(InputError) as error:
        read_center(with_patterns(tmp_path, row))
    assert (error.value.sheet, error.value.row, error.value.column, error.value.value) == (
        "Patterns", 2, column, value)


def test_reader_second_pattern_for_one_employee(tmp_path):
    path = with_patterns(tmp_path, ("E031", "4x10", date(2026, 11, 30)),
                         ("E032, E031", "5x8", date(2026, 11, 30)))
    with pytest.raises(InputError) as error:
        read_center(path)
    assert (error.value.row, error.value.column, error.value.value) == (3, "employee_id", "E031")
    assert "second pattern" in str(error.value)


def test_reader_pin_on_a_pattern_day_off(tmp_path):
    path = with_patterns(tmp_path, ("E031", "4x10", date(2026, 11, 30)))
    wb = load_workbook(path)  # E031 bids P10 (10 h); Fri 2026-12-04 is the 4x10's first day off
    ws = wb.create_sheet("Pinned")
    ws.append(["employee_id", "date", "shift_code", "position"])
    ws.append(["E031", date(2026, 12, 4), "P10", "police_ct"])
    wb.save(path)
    with pytest.raises(InputError) as error:
        read_center(path)
    assert (error.value.sheet, error.value.row, error.value.column) == ("Patterns", 2, "pattern")
    assert "off day of pattern 4x10" in str(error.value)
