"""The command line end to end: --version, demo, the roster workbook HR imports, check (clean and
hand-edited), and determinism of build. One demo workbook is built per module and shared; edits are made on
copies."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import os
import shutil
import zipfile
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from scheduler import __version__
from scheduler.cli import main
from scheduler.domain import PositionKind
from scheduler.io.center import read_center
from scheduler.model.settings import SolverSettings

ROOT = Path(__file__).resolve().parents[1]
SLUG = "gateway-city-emergency-communications-2026-11-30"
HR_COLUMNS = ["employee_id", "employee_name", "position", "start", "end", "hours", "pay_code", "shift_code",
              "shift_date", "shift_id", "start_utc_offset", "end_utc_offset"]
SHEETS = ["Roster", "Assignments", "Coverage", "Open shifts"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`scheduler demo --time-limit 5 --out <tmp>` run from the repository root, once for the module."""
    out = tmp_path_factory.mktemp("demo") / "out"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        result = CliRunner().invoke(main, ["demo", "--time-limit", "5", "--out", str(out)])
    return result, out


@pytest.fixture(scope="module")
def workbook(demo) -> Path:
    result, out = demo
    assert result.exit_code == 0, result.output
    return out / f"{SLUG}.xlsx"


@pytest.fixture(scope="module")
def center():
    return read_center(ROOT / "inputs" / "center.xlsx")


def check(path: Path):
    return CliRunner().invoke(main, ["check", str(path)])


def assignment_rows(ws) -> list[dict]:
    header = [c.value for c in ws[1]]
    return [{**dict(zip(header, (c.value for c in row), strict=True)), "_row": row[0].row}
            for row in ws.iter_rows(min_row=2) if row[0].value is not None]


def set_cells(ws, row: int, **values) -> None:
    header = [c.value for c in ws[1]]
    for name, value in values.items():
        ws.cell(row=row, column=header.index(name) + 1, value=value)


def when(moment: datetime) -> str:
    """How the checker prints a shift start."""
    return f"{moment:%a %Y-%m-%d %H:%M}"


# ---------------------------------------------------------------------------------------------------- version


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"scheduler, version {__version__}"


def test_help_lists_the_commands():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("demo", "build", "check"):
        assert command in result.output


# ------------------------------------------------------------------------------------------------------- demo


def test_demo_succeeds_and_prints_a_summary(demo):
    result, out = demo
    assert result.exit_code == 0, result.output
    for label in ("Sample center:", "Forecast: model, chosen by 8-week backtest WAPE", "Staff scheduled:",
                  "Coverage:", "Shortfall:", "Overtime:", "Solver:", "Independent check:    passed",
                  "Roster workbook:", "Assignments CSV:"):
        assert label in result.output
    assert str(out / f"{SLUG}.xlsx") in result.output
    # docs/center-workbook.md: 58 of 84 telecommunicators, 8 of 10 supervisors, 4 of 4 trainees filled
    vacant = "Vacant by job class:  telecommunicator 26 of 84, supervisor 2 of 10, trainee 0 of 4"
    assert vacant in result.output


def test_demo_writes_forecast_workbook_and_csv_only(demo):
    _, out = demo
    forecast = ["call-history-2026-11-30-backtest.csv", "call-history-2026-11-30.csv",
                "call-history-2026-11-30.png"]
    # The roster's set: the workbook, its Assignments and Open shifts CSVs, its manifest and the payroll's CSV
    # and JSON (no temp files).
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*forecast, f"{SLUG}-assignments.csv", f"{SLUG}-open-shifts.csv", f"{SLUG}-payroll.csv",
         f"{SLUG}-payroll.json", f"{SLUG}.manifest.json", f"{SLUG}.xlsx"])


def test_demo_starts_from_the_call_history_and_its_forecast_is_the_shipped_sample(demo):
    # inputs/build_sample.py writes forecasts/sample-week-2026-11-30.csv with the demo's own forecasting call,
    # so `scheduler build --forecast forecasts/sample-week-...` and `scheduler demo` plan the same calls.
    _, out = demo
    made = (out / "call-history-2026-11-30.csv").read_text()
    assert made == (ROOT / "forecasts" / "sample-week-2026-11-30.csv").read_text()
    assert len(made.splitlines()) == 1 + 168 * 4


def test_workbook_sheets(workbook):
    wb = load_workbook(workbook, read_only=True)
    assert wb.sheetnames[:4] == SHEETS
    assert {"Penalties", "Run"} <= set(wb.sheetnames)
    wb.close()


def test_assignment_times_are_excel_datetimes(workbook):
    wb = load_workbook(workbook)
    ws = wb["Assignments"]
    header = [c.value for c in ws[1]]
    start_col, end_col, day_col = (header.index(n) for n in ("start", "end", "shift_date"))
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) > 100
    for row in rows:
        for cell in (row[start_col], row[end_col]):
            assert cell.is_date, cell.coordinate
            assert isinstance(cell.value, datetime), (cell.coordinate, cell.value)
            assert cell.value.tzinfo is None
        assert row[day_col].is_date
        assert row[end_col].value > row[start_col].value
        assert row[start_col].value.date() - row[day_col].value.date() in (timedelta(0), timedelta(days=1))


# ------------------------------------------------------------------------------------------------ HR contract


def test_assignments_columns_are_the_hr_contract(workbook):
    wb = load_workbook(workbook, read_only=True)
    header = [c.value for c in next(wb["Assignments"].iter_rows(max_row=1))]
    wb.close()
    assert header == HR_COLUMNS
    with workbook.with_name(f"{SLUG}-assignments.csv").open(newline="") as f:
        assert next(csv.reader(f)) == HR_COLUMNS


def test_pay_codes_and_hours(workbook, center):
    wb = load_workbook(workbook)
    rows = assignment_rows(wb["Assignments"])
    assert {r["pay_code"] for r in rows} <= {"REG", "OT"}
    assert "REG" in {r["pay_code"] for r in rows}
    staff = center.employees_by_id
    for r in rows:
        assert r["employee_id"] in staff
        assert r["employee_name"] == staff[r["employee_id"]].name
        assert r["hours"] == pytest.approx((r["end"] - r["start"]).total_seconds() / 3600)
        assert r["hours"] > 0
    with workbook.with_name(f"{SLUG}-assignments.csv").open(newline="") as f:
        csv_rows = list(csv.DictReader(f))
    assert len(csv_rows) == len(rows)
    assert {r["pay_code"] for r in csv_rows} <= {"REG", "OT"}
    for from_csv, from_xlsx in zip(csv_rows, rows, strict=True):
        assert from_csv["employee_id"] == from_xlsx["employee_id"]
        assert datetime.fromisoformat(from_csv["start"]) == from_xlsx["start"]
        assert datetime.fromisoformat(from_csv["end"]) == from_xlsx["end"]
        assert date.fromisoformat(from_csv["shift_date"]) == from_xlsx["shift_date"].date()


# ------------------------------------------------------------------------------------------------------ check


def test_check_passes_on_the_built_workbook(workbook):
    result = check(workbook)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK")


def _edited(workbook: Path, tmp_path: Path, edit, sheet: str = "Assignments") -> Path:
    wb = load_workbook(workbook)
    edit(wb[sheet])
    path = tmp_path / workbook.name
    wb.save(path)
    return path


def test_check_finds_an_unqualified_position(workbook, center, tmp_path):
    positions = center.positions_by_id
    staff = center.employees_by_id
    found = {}

    def edit(ws):
        rows = assignment_rows(ws)
        for r in rows:
            quals = staff[r["employee_id"]].qualifications
            wrong = next((p for p in sorted(positions) if positions[p].qualification not in quals), None)
            if wrong:
                break
        for s in rows:
            if s["shift_id"] == r["shift_id"]:
                set_cells(ws, s["_row"], position=wrong)
        found.update(employee=r["employee_id"], position=wrong, start=min(
            s["start"] for s in rows if s["shift_id"] == r["shift_id"]))

    result = check(_edited(workbook, tmp_path, edit))
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    expected = (f"qualification: {found['employee']} {when(found['start'])}: {found['position']} needs "
                f"{positions[found['position']].qualification}")
    assert expected in lines, result.output
    assert "violation(s)" in result.output


def test_check_finds_a_shift_on_a_leave_day(workbook, center, tmp_path):
    start_of_week = date(2026, 11, 30)
    found = {}

    def edit(ws):
        rows = assignment_rows(ws)
        for leave in center.leave:
            leave_days = [start_of_week + timedelta(days=d) for d in range(7)
                          if leave.start <= start_of_week + timedelta(days=d) <= leave.end]
            shifts = [r for r in rows if r["employee_id"] == leave.employee_id]
            if leave_days and shifts:
                break
        else:
            pytest.fail("no employee with both leave in the week and a shift")
        shift_id, target = shifts[0]["shift_id"], leave_days[0]
        moved = target - shifts[0]["shift_date"].date()
        for s in rows:
            if s["shift_id"] == shift_id:
                set_cells(ws, s["_row"], start=s["start"] + moved, end=s["end"] + moved,
                          shift_date=s["shift_date"] + moved)
        found.update(employee=leave.employee_id, type=leave.type,
                     start=min(s["start"] for s in rows if s["shift_id"] == shift_id) + moved)

    result = check(_edited(workbook, tmp_path, edit))
    assert result.exit_code == 1, result.output
    expected = f"leave: {found['employee']} {when(found['start'])}: on {found['type']} leave"
    assert expected in result.output.splitlines(), result.output


def test_check_finds_two_shifts_on_one_day(workbook, tmp_path):
    found = {}

    def edit(ws):
        rows = assignment_rows(ws)
        first = rows[0]
        copies = [r for r in rows if r["shift_id"] == first["shift_id"]]
        new_id = max(r["shift_id"] for r in rows) + 1
        for r in copies:
            ws.append([r[c] if c != "shift_id" else new_id for c in HR_COLUMNS])
        found.update(employee=first["employee_id"], day=first["shift_date"].date())

    result = check(_edited(workbook, tmp_path, edit))
    assert result.exit_code == 1, result.output
    expected = f"one shift per day: {found['employee']} {found['day']}: 2 shifts"
    assert expected in result.output.splitlines(), result.output


def test_check_finds_a_coverage_sheet_that_lies(workbook, tmp_path):
    # Row 2 is the first hour of the first position; claiming one more scheduled than the roster has is
    # caught.
    def edit(ws):
        header = [c.value for c in ws[1]]
        cell = ws.cell(row=2, column=header.index("scheduled") + 1)
        cell.value += 1

    result = check(_edited(workbook, tmp_path, edit, sheet="Coverage"))
    assert result.exit_code == 1, result.output
    assert any(line.startswith("coverage sheet: row 2: ") and "scheduled says" in line
               for line in result.output.splitlines()), result.output


def test_check_finds_an_open_shift_left_out(workbook, tmp_path):
    # The sample week is short-staffed, so Open shifts has rows; deleting one leaves uncovered hours unposted.
    def edit(ws):
        assert ws.max_row > 1, "the sample week should have open shifts"
        ws.delete_rows(2)

    result = check(_edited(workbook, tmp_path, edit, sheet="Open shifts"))
    assert result.exit_code == 1, result.output
    assert any(line.startswith("open shifts sheet: ") and "posted" in line
               for line in result.output.splitlines()), result.output


def test_check_bad_cell_is_one_error_line(workbook, tmp_path):
    path = _edited(workbook, tmp_path, lambda ws: set_cells(ws, 5, start="soon"))
    result = check(path)
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for name in (path.name, "sheet Assignments", "row 5", "column start", "soon"):
        assert name in lines[0]


def test_check_damaged_workbook_is_one_error_line(workbook, tmp_path):
    """A roster whose Assignments XML is cut short (a half-copied file) is bad input, not a crash."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(workbook) as zin, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "xl/worksheets/sheet2.xml":  # Assignments, the second sheet
                data = data[: len(data) // 2]
            zout.writestr(name, data)
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(buffer.getvalue())
    result = check(path)
    assert result.exit_code == 2, (result.output, result.exception)
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "damaged.xlsx" in lines[0] and "Assignments" in lines[0]


def test_check_missing_workbook(tmp_path):
    result = check(tmp_path / "nothing.xlsx")
    assert result.exit_code == 2
    assert result.output.splitlines() == [result.output.strip()]
    assert result.output.startswith("Error: ") and "nothing.xlsx" in result.output


def test_check_finds_inputs_moved_beside_the_workbook(workbook, tmp_path):
    """Run sheet paths that no longer exist fall back to files of the same name beside the workbook."""
    wb = load_workbook(workbook)
    ws = wb["Run"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in ("center_workbook", "rules_file", "forecast_file"):
            original = Path(row[1].value)
            shutil.copy(original, tmp_path / original.name)
            row[1].value = str(tmp_path / "moved" / original.name)
    path = tmp_path / workbook.name
    wb.save(path)
    result = check(path)
    assert result.exit_code == 0, result.output


# ------------------------------------------------------------------------------------------------ determinism


def test_build_is_deterministic(tmp_path):
    """Same inputs and seed, same roster: two builds write byte-identical Assignments CSVs."""
    csvs = []
    for run in ("a", "b"):
        out = tmp_path / run
        result = CliRunner().invoke(main, [
            "build", "--center", str(ROOT / "inputs" / "center.xlsx"),
            "--rules", str(ROOT / "inputs" / "rules.toml"),
            "--forecast", str(ROOT / "forecasts" / "sample-week-2026-11-30.csv"), "--week", "2026-11-30",
            "--out", str(out), "--seed", "3", "--time-limit", "5", "--workers", "2",
        ])
        assert result.exit_code == 0, result.output
        csvs.append((out / f"{SLUG}-assignments.csv").read_bytes())
    if csvs[0] != csvs[1]:
        a, b = (c.decode().splitlines() for c in csvs)
        diff = [(i, x, y) for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y]
        pytest.fail(f"the two runs differ: {len(a)} vs {len(b)} rows, {len(diff)} rows differ, "
                    f"first {diff[:3]}")


def test_phased_strategy_reports_its_phases_and_passes_the_check(tmp_path):
    """`--strategy phased` prints which phase each progress line comes from and still writes a checked roster.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        result = CliRunner().invoke(main, ["demo", "--time-limit", "10", "--strategy", "phased",
                                           "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "[shortfall]" in result.output and "[polish]" in result.output
    assert "[staff]" in result.output  # the staff neighbourhoods ran, and their roster passes the check below
    assert "Independent check:    passed" in result.output


def test_repair_calls_someone_in_and_the_repaired_roster_checks(workbook, tmp_path):
    # Take the first employee with a shift on Wednesday 2026-12-02 and call them out for that day from 05:00.
    rows = assignment_rows(load_workbook(workbook)["Assignments"])
    out_sick = next(r for r in rows if r["shift_date"].date() == date(2026, 12, 2) and r["start"].hour >= 6)
    result = CliRunner().invoke(main, [
        "repair", str(workbook), "--now", "2026-12-02 05:00", "--time-limit", "5", "--out", str(tmp_path),
        "--callout", f"{out_sick['employee_id']},2026-12-02 05:00,2026-12-03 05:00"])
    assert result.exit_code == 0, result.output
    changes = pd.read_csv(next(tmp_path.glob("*-repaired-changes.csv")))
    removed = changes[(changes.action == "remove") & (changes.employee_id == out_sick["employee_id"])]
    # The called-out shift is removed; a 5-second repair may move the same employee's later shifts too (with
    # the sample's fairness and stability on it moved their Friday night to Saturday), so only that one is
    # required.
    assert "2026-12-02" in set(removed.shift_date)
    repaired = next(tmp_path.glob("*-repaired.xlsx"))
    checked = check(repaired)  # the call-out is recorded in the Run sheet and read back as leave
    assert checked.exit_code == 0, checked.output
    assert not any(r["employee_id"] == out_sick["employee_id"] and r["shift_date"].date() == date(2026, 12, 2)
                   for r in assignment_rows(load_workbook(repaired)["Assignments"]))


def test_a_call_out_during_a_night_shift_keeps_the_hours_worked(workbook, tmp_path):
    # At 01:00 someone on a night shift since the evening before calls out: their shift ends at 01:00 and is
    # paid as worked; the change list says so; the Run sheet records the cut, so `check` accepts the short
    # shift; the hours before 01:00 stay covered in the Coverage sheet.
    rows = assignment_rows(load_workbook(workbook)["Assignments"])
    night = next(r for r in rows if r["shift_date"].date() == date(2026, 12, 1) and r["start"].hour >= 17
                 and r["end"] > datetime(2026, 12, 2, 1))
    who = night["employee_id"]
    result = CliRunner().invoke(main, [
        "repair", str(workbook), "--now", "2026-12-02 01:00", "--time-limit", "5", "--out", str(tmp_path),
        "--callout", f"{who},2026-12-02 01:00,2026-12-02 12:00"])
    assert result.exit_code == 0, result.output
    repaired = next(tmp_path.glob("*-repaired.xlsx"))
    wb = load_workbook(repaired)
    worked = [r for r in assignment_rows(wb["Assignments"])
              if r["employee_id"] == who and r["shift_date"].date() == date(2026, 12, 1)]
    assert (worked[0]["start"], worked[-1]["end"]) == (night["start"], datetime(2026, 12, 2, 1))
    assert sum(r["hours"] for r in worked) == (datetime(2026, 12, 2, 1) - night["start"]).seconds / 3600
    changes = pd.read_csv(next(tmp_path.glob("*-repaired-changes.csv")))
    cut = changes[changes.action == "end at call-out"]
    assert list(zip(cut.employee_id, cut.end, strict=True)) == [(who, "2026-12-02 01:00")]
    run = {r[0].value: r[1].value for r in wb["Run"].iter_rows(min_row=2)}
    assert run["cut_shifts"] == f"{who} 2026-12-01 2026-12-02T01:00:00-06:00"
    coverage = {(r["start"], r["position"]): r["scheduled"] for r in assignment_rows(wb["Coverage"])}
    published = {(r["start"], r["position"]): r["scheduled"]
                 for r in assignment_rows(load_workbook(workbook)["Coverage"])}
    before = [key for key in published if night["start"] <= key[0] < datetime(2026, 12, 2, 1)
              and key[1] == night["position"]]
    assert before and all(coverage[key] == published[key] for key in before)
    checked = check(repaired)
    assert checked.exit_code == 0, checked.output


def test_a_repaired_roster_repaired_again_keeps_the_earlier_call_outs(workbook, tmp_path):
    # Two repairs in a row: the second roster's Run sheet records both call-outs (the first one's day stays
    # leave and its cut stays short), so `check` reads the same center the repairs did.
    rows = assignment_rows(load_workbook(workbook)["Assignments"])
    first, second = (next(r for r in rows if r["shift_date"].date() == day and r["start"].hour >= 6)
                     for day in (date(2026, 12, 2), date(2026, 12, 3)))
    once = CliRunner().invoke(main, [
        "repair", str(workbook), "--now", "2026-12-02 05:00", "--time-limit", "2",
        "--out", str(tmp_path / "1"),
        "--callout", f"{first['employee_id']},2026-12-02 05:00,2026-12-02 23:00"])
    assert once.exit_code == 0, once.output
    repaired = next((tmp_path / "1").glob("*-repaired.xlsx"))
    twice = CliRunner().invoke(main, [
        "repair", str(repaired), "--now", "2026-12-03 05:00", "--time-limit", "2",
        "--out", str(tmp_path / "2"),
        "--callout", f"{second['employee_id']},2026-12-03 05:00,2026-12-03 23:00"])
    assert twice.exit_code == 0, twice.output
    again = next((tmp_path / "2").glob("*-repaired.xlsx"))
    run = {r[0].value: r[1].value for r in load_workbook(again)["Run"].iter_rows(min_row=2)}
    assert run["callouts"] == f"{first['employee_id']} 2026-12-02; {second['employee_id']} 2026-12-03"
    checked = check(again)
    assert checked.exit_code == 0, checked.output


def test_repair_with_an_unknown_employee_is_an_error_line(workbook, tmp_path):
    result = CliRunner().invoke(main, ["repair", str(workbook), "--now", "2026-12-02 05:00",
                                       "--out", str(tmp_path),
                                       "--callout", "E999,2026-12-02 06:00,2026-12-02 14:00"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "Error: unknown employee in a call-out (value: 'E999'); use an id from sheet Staff"]
    assert list(tmp_path.iterdir()) == []


def test_repair_refuses_a_now_the_clock_skips_naming_both_readings(workbook, tmp_path):
    # 02:30 on the spring-forward night does not exist in Chicago: the zone would read it as 03:30 without a
    # word, and which hours were already worked turns on it. Refused before any work, nothing written.
    callout = "E001,2026-03-08 03:00,2026-03-08 15:00"
    result = CliRunner().invoke(main, ["repair", str(workbook), "--now", "2026-03-08 02:30",
                                       "--out", str(tmp_path), "--callout", callout])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        "Error: 2026-03-08 02:30 does not exist in America/Chicago (clocks go forward): it could mean "
        "2026-03-08 01:30-06:00 (CST) or 2026-03-08 03:30-05:00 (CDT); give --now with its UTC offset, e.g. "
        '"2026-03-08 01:30-06:00"')
    assert list(tmp_path.iterdir()) == []


def test_repair_names_a_call_out_on_a_date_the_calendar_does_not_have(workbook, tmp_path):
    # 30 February is a date mistake, not a malformed EMPLOYEE,FROM,TO.
    callout = "E001,2026-02-30 07:00,2026-02-30 15:00"
    result = CliRunner().invoke(main, ["repair", str(workbook), "--now", "2026-12-02 05:00",
                                       "--out", str(tmp_path), "--callout", callout])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1] == (
        "Error: a call-out's time is not a date and time of the calendar (day is out of range for month) "
        f"(value: {callout!r}); write YYYY-MM-DD HH:MM, e.g. 2026-12-02 07:00")
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------------------- previous roster


def _previous_week(workbook: Path, path: Path, edits: dict[int, dict] | None = None) -> Path:
    """The demo roster moved one week back (so it ends the day before the demo week starts); `edits`: per
    Assignments row number, cells to set (a new column is added)."""
    wb = load_workbook(workbook)
    ws = wb["Assignments"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        for name in ("start", "end", "shift_date"):
            cell = row[header.index(name)]
            cell.value -= timedelta(days=7)
    for row, cells in (edits or {}).items():
        for name in cells:
            if name not in header:
                header.append(name)
                ws.cell(row=1, column=len(header), value=name)
        set_cells(ws, row, **cells)
    for row in wb["Run"].iter_rows(min_row=2):
        if row[0].value == "week_start":
            row[1].value = (date.fromisoformat(str(row[1].value)[:10]) - timedelta(days=7)).isoformat()
    wb.save(path)
    return path


def build_with_previous(previous: Path, out: Path, *extra: str):
    return CliRunner().invoke(main, [
        "build", "--center", str(ROOT / "inputs" / "center.xlsx"),
            "--rules", str(ROOT / "inputs" / "rules.toml"),
        "--forecast", str(ROOT / "forecasts" / "sample-week-2026-11-30.csv"), "--week", "2026-11-30",
        "--out", str(out), "--previous", str(previous), *extra])


def test_build_with_previous_carries_its_last_days_and_checks(workbook, tmp_path):
    # The previous week with its first row's employee renamed (not in the center: ignored with a warning) and
    # a recorded holdover on another row. The new roster rests everyone 10 h after their last previous shift
    # as worked, and `check` reads the previous roster back from the Run sheet.
    previous = _previous_week(workbook, tmp_path / "previous.xlsx",
                              {2: {"employee_id": "X999"}, 3: {"holdover_hours": 1.5}})
    result = build_with_previous(previous, tmp_path / "out", "--time-limit", "2")
    assert result.exit_code == 0, result.output
    assert "Warning: previous.xlsx: employees not in the center ignored: X999" in result.output
    assert "Previous roster:" in result.output
    built = tmp_path / "out" / f"{SLUG}.xlsx"
    run = {r[0].value: r[1].value for r in load_workbook(built)["Run"].iter_rows(min_row=2)}
    assert run["previous_roster"] == str(previous.resolve())
    # The one that ran: auto's choice on a week (its model keeps the LP workers).
    assert run["strategy"] == "direct"
    assert check(built).exit_code == 0

    held = assignment_rows(load_workbook(previous)["Assignments"])[1]
    last_end: dict[str, datetime] = {}
    for r in assignment_rows(load_workbook(previous)["Assignments"]):
        end = r["end"] + timedelta(hours=1.5 if r["_row"] == held["_row"] else 0)
        last_end[r["employee_id"]] = max(last_end.get(r["employee_id"], end), end)
    first_start: dict[str, datetime] = {}
    for r in assignment_rows(load_workbook(built)["Assignments"]):
        first_start[r["employee_id"]] = min(first_start.get(r["employee_id"], r["start"]), r["start"])
    rests = [(first_start[e] - last_end[e]) / timedelta(hours=1) for e in first_start if e in last_end]
    assert len(rests) > 50 and min(rests) >= 10

    # Coverage carries over: at Mon 03:00 the Coverage sheet counts, per position, the previous roster's
    # shifts that run into that hour (its Sunday nights, at their position) with the plan's own; trainees and
    # X999 apart.
    trainees = {e.id for e in read_center(ROOT / "inputs" / "center.xlsx").staff if e.is_trainee}
    three = datetime(2026, 11, 30, 3)
    on_duty = Counter(r["position"] for path in (previous, built) for r in assignment_rows(
        load_workbook(path)["Assignments"]) if r["start"] <= three < r["end"]  # one segment per shift at most
        and r["employee_id"] not in trainees | {"X999"})
    carried = sum(r["start"] < datetime(2026, 11, 30) < r["end"]
                  for r in assignment_rows(load_workbook(previous)["Assignments"]))
    sheet = {r["position"]: r["scheduled"] for r in assignment_rows(load_workbook(built)["Coverage"])
             if r["start"] == three}
    assert carried > 5 and sheet == {p: on_duty[p] for p in sheet}

    # `repair` reads the previous roster from the Run sheet too, and its roster checks against the same
    # history.
    rows = assignment_rows(load_workbook(built)["Assignments"])
    sick = next(r for r in rows if r["shift_date"].date() == date(2026, 12, 2))["employee_id"]
    repaired = CliRunner().invoke(main, [
        "repair", str(built), "--now", "2026-12-02 00:00", "--time-limit", "2",
        "--out", str(tmp_path / "repair"),
        "--callout", f"{sick},2026-12-02 00:00,2026-12-03 00:00"])
    assert repaired.exit_code == 0, repaired.output
    repaired_path = next((tmp_path / "repair").glob("*-repaired.xlsx"))
    run = {r[0].value: r[1].value for r in load_workbook(repaired_path)["Run"].iter_rows(min_row=2)}
    assert run["previous_roster"] == str(previous.resolve())
    assert check(repaired_path).exit_code == 0


def test_check_reports_rest_broken_across_the_start(workbook, tmp_path):
    # A previous roster whose first row's shift is moved to end at 05:00 on the demo week's Monday, for an
    # employee who works Monday morning in the demo roster: 2 h of rest, the check (reading it) reports it.
    rows = assignment_rows(load_workbook(workbook)["Assignments"])
    monday = next(r for r in rows if r["start"] == datetime(2026, 11, 30, 7, 0))
    previous = _previous_week(workbook, tmp_path / "previous.xlsx", {2: {
        "employee_id": monday["employee_id"], "start": datetime(2026, 11, 29, 21),
        "end": datetime(2026, 11, 30, 5),
        "shift_date": datetime(2026, 11, 29), "shift_id": 99999, "hours": 8}})
    wb = load_workbook(workbook)
    wb["Run"].append(["previous_roster", str(previous)])
    edited = tmp_path / workbook.name
    wb.save(edited)
    result = check(edited)
    assert result.exit_code == 1, result.output
    rest = f"minimum rest: {monday['employee_id']} Mon 2026-11-30 07:00: 2 h after the previous shift"
    assert rest in result.output


def test_previous_roster_overlapping_the_plan_is_an_error_line(workbook, tmp_path):
    result = build_with_previous(workbook, tmp_path / "out")  # the demo week itself
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [(
        f"Error: {workbook.name}, sheet Run: the previous roster runs from 2026-11-30 to 2026-12-06, not "
        "before the plan's first day 2026-11-30; give the roster of the days before --week (or plan a later "
        "--week)")]
    assert not (tmp_path / "out").exists()


def test_previous_roster_ending_days_before_the_plan_is_an_error_line(workbook, tmp_path):
    # Two weeks back, the previous roster ends 7 days before the plan: those days' shifts are unknown, and
    # reading it anyway carried 0 shifts in without a word.
    previous = _previous_week(_previous_week(workbook, tmp_path / "one.xlsx"), tmp_path / "two.xlsx")
    result = build_with_previous(previous, tmp_path / "out")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [(
        "Error: two.xlsx, sheet Run: the previous roster ends on 2026-11-22, 7 day(s) before the plan's "
        "first day 2026-11-30: the days between are unknown; give the roster that ends the day before "
        "--week")]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["missing.xlsx", "center.xlsx"])
def test_previous_roster_that_is_not_a_roster_is_an_error_line(tmp_path, name):
    previous = tmp_path / name
    if name == "center.xlsx":
        shutil.copy(ROOT / "inputs" / "center.xlsx", previous)
    result = build_with_previous(previous, tmp_path / "out")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {name}"), result.output
    if name == "center.xlsx":
        assert lines[0].endswith(
            "missing sheet; --previous takes a roster workbook that scheduler build wrote")


# ------------------------------------------------------------------------------ --force and the run manifest


def run_sheet(path: Path) -> dict:
    sheet = load_workbook(path, read_only=True)["Run"]
    return {key: value for key, value in sheet.iter_rows(min_row=2, values_only=True)}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_sample(out: Path, *extra: str, inputs: Path = ROOT / "inputs",
                 forecast: Path = ROOT / "forecasts" / "sample-week-2026-11-30.csv"):
    return CliRunner().invoke(main, [
        "build", "--center", str(inputs / "center.xlsx"), "--rules", str(inputs / "rules.toml"),
        "--forecast", str(forecast), "--week", "2026-11-30", "--out", str(out), *extra])


def folder_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


SOLVER_ROWS = [
    "solver.time_limit_s", "solver.seed", "solver.workers", "solver.deterministic", "solver.strategy",
    "solver.fairness_share", "solver.skip_subsolvers", "solver.subsolvers", "solver.linearization_level",
    "solver.phased.shortfall_share",
    "solver.phased.window_share", "solver.phased.window_days", "solver.phased.window_passes",
    "solver.phased.staff_share", "solver.phased.round_windows", "solver.phased.staff_group",
    "solver.phased.staff_seconds", "solver.phased.weekend_share", "solver.start.share", "solver.start.grow",
    "solver.start.above", "solver.start.processes",
]


def test_the_manifest_records_each_input_relative_with_its_hash_and_every_solver_parameter(workbook):
    # The demo plans on the forecast it wrote beside the roster and on the sample center's files: each is
    # recorded by its path from the roster's folder and its SHA-256, in the Run sheet and in the JSON.
    out = workbook.parent
    files = {"center_workbook": ROOT / "inputs" / "center.xlsx", "rules_file": ROOT / "inputs" / "rules.toml",
             "forecast_file": out / "call-history-2026-11-30.csv"}
    run = run_sheet(workbook)
    for key, path in files.items():
        assert run[key] == str(path)  # the absolute row HR and older readers know, unchanged
        assert run[f"{key}_relative"] == os.path.relpath(path, out)
        assert run[f"{key}_sha256"] == digest(path)
    assert run["forecast_file_relative"] == "call-history-2026-11-30.csv"
    # Every SolverSettings field, the nested PhasedSettings and StartSettings too, as given (--time-limit 5).
    assert [key for key in run if str(key).startswith("solver.")] == SOLVER_ROWS
    assert (run["solver.time_limit_s"], run["solver.seed"], run["solver.phased.window_passes"]) == (5, 0, 2)
    assert run["solver.skip_subsolvers"] == "no_lp, quick_restart_no_lp, max_lp, quick_restart"
    manifest = json.loads(workbook.with_name(f"{SLUG}.manifest.json").read_text())
    assert manifest == {
        "scheduler_version": __version__, "generated": run["generated"], "seed": 0,
        "inputs": {key: {"path": os.path.relpath(path, out), "absolute": str(path), "sha256": digest(path)}
                   for key, path in files.items()},
        # JSON has lists, not tuples, and null for None
        "solver": json.loads(json.dumps(dataclasses.asdict(SolverSettings(time_limit_s=5)))),
    }
    assert manifest["solver"]["phased"]["window_days"] is None
    assert manifest["solver"]["start"]["above"] == 3000


@pytest.mark.parametrize("there", ["workbook", "csv only"])
def test_build_refuses_to_replace_a_roster_without_force(demo, tmp_path, there):
    # The demo's roster is at the name a build of the same week writes: refused before the solve (the error
    # is the whole output), nothing written. Its time is the Run sheet's `generated`, or for a CSV alone the
    # file's modification time.
    _, demo_out = demo
    out = demo_out if there == "workbook" else tmp_path
    if there == "csv only":
        shutil.copy(demo_out / f"{SLUG}-assignments.csv", tmp_path)
    found = out / (f"{SLUG}.xlsx" if there == "workbook" else f"{SLUG}-assignments.csv")
    written = (run_sheet(found)["generated"] if there == "workbook" else
               datetime.fromtimestamp(found.stat().st_mtime).isoformat(timespec="seconds"))
    before = folder_bytes(out)
    result = build_sample(out, "--time-limit", "5")
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [
        (f"Error: {found.name}: a roster is already there (written {written}); give --force to replace it, "
         "or --out another folder")]
    assert folder_bytes(out) == before


def test_build_with_force_replaces_the_roster(workbook, tmp_path):
    for path in workbook.parent.glob(f"{SLUG}*"):
        shutil.copy(path, tmp_path)
    result = build_sample(tmp_path, "--time-limit", "5", "--seed", "3", "--force")
    assert result.exit_code == 0, result.output
    # The demo's roster (seed 0) replaced by this build's (seed 3), the whole set.
    assert run_sheet(tmp_path / f"{SLUG}.xlsx")["seed"] == 3
    assert json.loads((tmp_path / f"{SLUG}.manifest.json").read_text())["seed"] == 3


def test_demo_run_again_replaces_its_own_roster_and_says_so(demo, tmp_path):
    _, demo_out = demo
    out = tmp_path / "out"
    shutil.copytree(demo_out, out)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        result = CliRunner().invoke(main, ["demo", "--time-limit", "5", "--out", str(out)])
    assert result.exit_code == 0, result.output
    # One line says so, before the solve; the roster is the demo's again (same inputs and seed).
    assert f"Replacing the demo's earlier roster: {out / f'{SLUG}.xlsx'}" in result.output.splitlines()
    csv_name = f"{SLUG}-assignments.csv"
    assert (out / csv_name).read_bytes() == (demo_out / csv_name).read_bytes()


def test_repair_refuses_to_replace_a_repaired_roster_without_force(workbook, tmp_path):
    # A repaired roster at the name this repair writes: refused before the repair's solve, nothing written.
    there = tmp_path / f"{SLUG}-repaired.xlsx"
    shutil.copy(workbook, there)
    before = folder_bytes(tmp_path)
    result = CliRunner().invoke(main, [
        "repair", str(workbook), "--now", "2026-12-02 05:00", "--time-limit", "5", "--out", str(tmp_path),
        "--callout", "E012,2026-12-02 05:00,2026-12-03 05:00"])
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [
        (f"Error: {there.name}: a repaired roster is already there (written "
         f"{run_sheet(workbook)['generated']}); give --force to replace it, or --out another folder")]
    assert folder_bytes(tmp_path) == before


def test_staffing_refuses_to_replace_its_table_without_force(tmp_path):
    command = ["staffing", "--center", str(ROOT / "inputs" / "center.xlsx"),
               "--rules", str(ROOT / "inputs" / "rules.toml"),
               "--forecast", str(ROOT / "forecasts" / "sample-week-2026-11-30.csv"), "--week", "2026-11-30",
               "--out", str(tmp_path)]
    assert CliRunner().invoke(main, command).exit_code == 0
    workbook = tmp_path / f"{SLUG}-staffing.xlsx"
    before = folder_bytes(tmp_path)
    again = CliRunner().invoke(main, command)
    assert again.exit_code == 2, again.output
    assert again.output.splitlines() == [
        (f"Error: {workbook.name}: a requirement table is already there (written "
        f"{run_sheet(workbook)['generated']}); give --force to replace it, or --out another folder")]
    assert folder_bytes(tmp_path) == before
    assert CliRunner().invoke(main, [*command, "--force"]).exit_code == 0


def _without_manifest_rows(workbook: Path, path: Path) -> Path:
    """The roster as written before the manifest: no `*_relative`, `*_sha256` or `solver.*` rows."""
    wb = load_workbook(workbook)
    ws = wb["Run"]
    for row in reversed(range(2, ws.max_row + 1)):
        key = str(ws.cell(row=row, column=1).value)
        if key.endswith(("_relative", "_sha256")) or key.startswith("solver."):
            ws.delete_rows(row)
    wb.save(path)
    return path


def test_a_changed_input_is_named_and_a_roster_moved_with_its_inputs_checks(tmp_path, monkeypatch):
    # Inputs copied into a/inputs, the roster built into a/out.
    a = tmp_path / "a"
    (a / "inputs").mkdir(parents=True)
    for name in ("center.xlsx", "rules.toml"):
        shutil.copy(ROOT / "inputs" / name, a / "inputs")
    shutil.copy(ROOT / "forecasts" / "sample-week-2026-11-30.csv", a / "inputs")
    built = build_sample(a / "out", "--time-limit", "5", inputs=a / "inputs",
                         forecast=a / "inputs" / "sample-week-2026-11-30.csv")
    assert built.exit_code == 0, built.output
    old = _without_manifest_rows(a / "out" / f"{SLUG}.xlsx", a / "out" / "old.xlsx")

    # The rules file edited after the build (a comment only: the rules are the same, the file is not).
    rules = a / "inputs" / "rules.toml"
    original = rules.read_bytes()
    recorded = digest(rules)
    rules.write_bytes(original + b"\n# edited\n")
    monkeypatch.chdir(a)
    result = check(Path("out") / f"{SLUG}.xlsx")
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [
        (f"Error: {SLUG}.xlsx, sheet Run: the rules file inputs/rules.toml changed since this roster was "
         f"built (SHA-256 was {recorded[:12]}, now {digest(rules)[:12]}); give the rules file it was built "
         "with (--rules) or build again")]
    # A rules file given with --rules is the user's choice, not verified.
    given = CliRunner().invoke(main, ["check", str(Path("out") / f"{SLUG}.xlsx"), "--rules", str(rules)])
    assert given.exit_code == 0, given.output
    # A roster written before the manifest has no hashes: checked as before, without a word.
    assert check(old).exit_code == 0

    # The folder moved elsewhere whole: the Run sheet's absolute paths are gone, the relative ones hold.
    rules.write_bytes(original)
    monkeypatch.chdir(tmp_path)
    a.rename(tmp_path / "b")
    moved = check(tmp_path / "b" / "out" / f"{SLUG}.xlsx")
    assert moved.exit_code == 0, moved.output
    assert moved.output.startswith("OK")


def test_check_names_a_previous_roster_changed_since(workbook, tmp_path):
    # README's tour: next week's roster built on this week's, then this week's rebuilt (here: a shift's
    # holdover recorded): checking next week's roster names the previous roster instead of reporting the
    # violations its changed history would make.
    previous = _previous_week(workbook, tmp_path / "previous.xlsx")
    result = build_with_previous(previous, tmp_path / "out", "--time-limit", "2")
    assert result.exit_code == 0, result.output
    built = tmp_path / "out" / f"{SLUG}.xlsx"
    assert run_sheet(built)["previous_roster_relative"] == "../previous.xlsx"
    recorded = digest(previous)
    _previous_week(workbook, previous, {3: {"holdover_hours": 1.5}})
    checked = check(built)
    assert checked.exit_code == 2, checked.output
    assert checked.output.splitlines() == [
        (f"Error: {SLUG}.xlsx, sheet Run: the previous roster {previous} changed since this roster was built "
        f"(SHA-256 was {recorded[:12]}, now {digest(previous)[:12]}); put back the previous roster it was "
        "built with, or build again with --previous")]


def test_the_readme_tour_chains_and_checks(tmp_path):
    # README steps 3, 10 and 9 as written: the demo's week, a forecast of the next from the call history, next
    # week's roster built on the demo's. It checks OK; once the demo is run again (its roster replaced),
    # checking next week's roster names the previous roster (before: 33 violations of a changed history).
    out = tmp_path / "outputs"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        assert CliRunner().invoke(main, ["demo", "--time-limit", "2", "--out", str(out)]).exit_code == 0
        forecast = CliRunner().invoke(main, [
            "forecast", "--calls", "inputs/call-history.csv", "--types", "inputs/lines.toml",
            "--timestamp-column", "hour_start", "--type-column", "line", "--count-column", "calls",
            "--timezone", "America/Chicago", "--week", "2026-12-07", "--out", str(tmp_path / "forecasts")])
        assert forecast.exit_code == 0, forecast.output
        demo_roster = out / f"{SLUG}.xlsx"
        next_forecast = next((tmp_path / "forecasts").glob("*-2026-12-07.csv"))
        next_week = CliRunner().invoke(main, [
            "build", "--center", "inputs/center.xlsx", "--rules", "inputs/rules.toml",
            "--forecast", str(next_forecast), "--week", "2026-12-07",
            "--previous", str(demo_roster), "--time-limit", "2", "--out", str(out)])
        assert next_week.exit_code == 0, next_week.output
        built = out / "gateway-city-emergency-communications-2026-12-07.xlsx"
        assert check(built).output.startswith("OK: ")
        recorded = digest(demo_roster)
        assert CliRunner().invoke(main, ["demo", "--time-limit", "2", "--out", str(out)]).exit_code == 0
    checked = check(built)
    assert checked.exit_code == 2
    assert checked.output.splitlines() == [
        (f"Error: {built.name}, sheet Run: the previous roster {demo_roster} changed since this roster was "
         f"built (SHA-256 was {recorded[:12]}, now {digest(demo_roster)[:12]}); put back the previous roster "
         "it was built with, or build again with --previous")]


def test_the_summary_raises_an_alarm_for_every_console_left_empty(demo, workbook, center):
    # The demo's own Coverage sheet says which radio and supervisor seats sit empty (nobody on duty while one
    # is required) and for how many hours; the printed summary names each such position with those hours.
    result, _ = demo
    rows = assignment_rows(load_workbook(workbook)["Coverage"])
    names = {p.id: p.name for p in center.positions if p.kind != PositionKind.CALL_TAKING}
    empty: dict[str, int] = {}
    for r in rows:
        if r["position"] in names and r["required"] > 0 and r["scheduled"] == 0:
            empty[names[r["position"]]] = empty.get(names[r["position"]], 0) + 1
    alarms = [line for line in result.output.splitlines() if line.startswith("Alarm:")]
    assert empty, "the 5-second demo leaves some console empty; pick another case if it no longer does"
    for name, hours in empty.items():
        assert any(f"{name} empty {hours} h" in line for line in alarms), (name, hours, alarms)
    assert len([line for line in alarms if " empty " in line]) == len(empty)
