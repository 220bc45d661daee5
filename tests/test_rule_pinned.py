"""Pinned assignments (hard, rules/pinned.py): a published or bid shift stays in the roster."""

from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from scheduler.checker import check_pinned_assignments
from scheduler.domain import Assignment, Pin
from scheduler.errors import InputError
from scheduler.io.center import read_center
from tests.checked import OVER, SHORT, case_of, shifts, solve_checked
from tests.factory import START, center, employee, hours, model_data

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def test_pin_binds_a_shift_nobody_needs():
    # No demand at all, so the roster would be empty; the pin puts A on E8 on day 0 anyway: 8 overstaffed
    # hours.
    c = center([employee("A")], pins=(Pin("A", START, "E8", "radio"),))
    result = solve_checked(model_data(c, days=1))
    assert shifts(result) == [("A", 0, "E8", "radio")]
    assert result.penalties[OVER] == 8


@pytest.mark.binds
def test_pin_binds_against_the_cheaper_choice():
    # Demand D8 on day 0; A is pinned to E8 that day (one shift a day), so the D8 hours stay short.
    c = center([employee("A")], pins=(Pin("A", START, "E8", "radio"),))
    result = solve_checked(model_data(c, days=1, required={"radio": hours(0, 7, 15, 24)}))
    assert shifts(result) == [("A", 0, "E8", "radio")]
    assert result.penalties[SHORT] == 8 * 1000


@pytest.mark.slack
def test_pin_is_slack_when_it_agrees_with_the_best_roster():
    # Demand D8 on day 0 and A is pinned to exactly that: nothing short, nothing over.
    c = center([employee("A")], pins=(Pin("A", START, "D8", "radio"),))
    result = solve_checked(model_data(c, days=1, required={"radio": hours(0, 7, 15, 24)}))
    assert shifts(result) == [("A", 0, "D8", "radio")]
    assert result.penalties[SHORT] == 0 and result.penalties[OVER] == 0


def test_a_pin_outside_the_plan_is_ignored():
    c = center([employee("A")], pins=(Pin("A", START + timedelta(days=9), "E8", "radio"),))
    assert shifts(solve_checked(model_data(c, days=1))) == []


def test_checker_reports_a_pin_left_out():
    c = center([employee("A")], pins=(Pin("A", START, "E8", "radio"),))
    data = model_data(c, days=1)
    start, end = data.horizon.shift_window(0, c.shifts_by_code["D8"])
    found = check_pinned_assignments(case_of(data, [Assignment("A", START, "D8", "radio", start, end)]))
    assert [v.rule for v in found] == ["pinned assignment"]
    assert check_pinned_assignments(case_of(data, [], center=center([employee("A")]))) == []


def _with_pin_sheet(tmp_path, *rows):
    wb = load_workbook(ROOT / "inputs/center.xlsx")
    ws = wb.create_sheet("Pinned")
    ws.append(["employee_id", "date", "shift_code", "position"])
    for row in rows:
        ws.append(list(row))
    path = tmp_path / "center.xlsx"
    wb.save(path)
    return path


def test_the_pinned_sheet_is_read(tmp_path):
    staff = read_center(ROOT / "inputs/center.xlsx")
    someone = next(e for e in staff.staff if "CT_POL" in e.qualifications and not e.shift_codes
                   and e.shift_length == 8 and not any(lv.employee_id == e.id for lv in staff.leave))
    path = _with_pin_sheet(tmp_path, (someone.id, date(2026, 12, 1), "D8", "police_ct"))
    assert read_center(path).pins == (Pin(someone.id, date(2026, 12, 1), "D8", "police_ct"),)


def test_a_pin_on_leave_is_an_input_error(tmp_path):
    staff = read_center(ROOT / "inputs/center.xlsx")
    leave = next(lv for lv in staff.leave if lv.start >= date(2026, 11, 30))
    person = staff.employees_by_id[leave.employee_id]
    code = person.shift_codes[0] if person.shift_codes else next(
        s.code for s in staff.shifts if s.hours == person.shift_length)
    position = next(p.id for p in staff.positions if p.qualification in person.qualifications)
    path = _with_pin_sheet(tmp_path, (person.id, leave.start, code, position))
    with pytest.raises(InputError) as error:
        read_center(path)
    assert (error.value.sheet, error.value.row, error.value.column) == ("Pinned", 2, "date")
    assert "leave" in str(error.value)
