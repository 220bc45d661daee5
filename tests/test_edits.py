"""Hand edits (scheduler.edits): sheet Assignments is the roster; `check` says in one line when the other
sheets no longer follow from it, `refresh` rewrites them, and an edit of sheet Roster (a picture, never read)
is refused naming its cell. One sample roster is built for the module; edits are made on copies."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from scheduler.cli import main
from scheduler.io.center import read_center

ROOT = Path(__file__).resolve().parents[1]
STEM = "gateway-city-emergency-communications-2026-11-30"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("edits")
    inputs = ROOT / "inputs"
    result = CliRunner().invoke(main, [
        "build", "--center", str(inputs / "center.xlsx"), "--rules", str(inputs / "rules.toml"),
        "--forecast", str(ROOT / "forecasts" / "sample-week-2026-11-30.csv"), "--week", "2026-11-30",
        "--out", str(out), "--time-limit", "3", "--workers", "1", "--seed", "1"])
    assert result.exit_code == 0, result.output
    return out / f"{STEM}.xlsx"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def copy_edited(workbook: Path, folder: Path, **edits) -> Path:
    """The roster saved again as a spreadsheet would, with `edits[sheet](ws)` applied."""
    wb = load_workbook(workbook)
    for sheet, edit in edits.items():
        edit(wb[sheet])
    path = folder / workbook.name
    wb.save(path)
    return path


def scheduled_hours(path: Path) -> dict[str, int]:
    """Sheet Coverage's scheduled seat-hours per position."""
    ws = load_workbook(path, read_only=True)["Coverage"]
    rows = ws.iter_rows(values_only=True)
    header = list(next(rows))
    totals: dict[str, int] = {}
    for row in rows:
        position = row[header.index("position")]
        totals[position] = totals.get(position, 0) + row[header.index("scheduled")]
    return totals


def move_a_shift_to_another_position(ws) -> tuple[str, str, str, float]:
    """The first shift of someone qualified for two positions moved to the other one (legal: coverage is
    soft); returns (employee, from, to, the shift's hours)."""
    center = read_center(ROOT / "inputs" / "center.xlsx")
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in header}
    for row in range(2, ws.max_row + 1):
        employee = center.employees_by_id[ws.cell(row, col["employee_id"]).value]
        here = ws.cell(row, col["position"]).value
        other = next((p.id for p in center.positions if p.id != here and employee.qualified_for(p)), None)
        if other and not employee.is_trainee:
            shift_id, hours = ws.cell(row, col["shift_id"]).value, 0
            for r in range(2, ws.max_row + 1):
                if ws.cell(r, col["shift_id"]).value == shift_id:
                    ws.cell(r, col["position"]).value = other
                    hours += ws.cell(r, col["hours"]).value
            return employee.id, here, other, hours
    raise AssertionError("no one in the sample is qualified for two positions")


def test_saved_again_unchanged_the_roster_checks_clean(workbook, tmp_path):
    # A spreadsheet saving the file again (openpyxl here: dates come back as date-times, numbers as numbers)
    # changes no digest: nothing reads as edited.
    result = run("check", copy_edited(workbook, tmp_path))
    assert result.exit_code == 0 and result.output.startswith("OK"), result.output


def test_an_assignments_edit_is_one_stale_line_and_refresh_rewrites_the_sheets(workbook, tmp_path):
    moved = {}
    path = copy_edited(workbook, tmp_path,
                       Assignments=lambda ws: moved.update(shift=move_a_shift_to_another_position(ws)))
    result = run("check", path)
    # The moved seat leaves Coverage and Open shifts wrong: one line says so, not a line per stale row.
    assert result.exit_code == 1
    stale = ("stale sheets: sheet Assignments edited: its pay codes, sheets Roster, Coverage, Open shifts, "
             "Payroll and Pay periods and the CSV and JSON files beside the workbook were made before; "
             f"`scheduler refresh {path.name}` rewrites them")
    assert result.stdout.splitlines() == [stale]

    result = run("refresh", path)
    assert result.exit_code == 0, result.output
    refreshed = tmp_path / f"{STEM}-refreshed.xlsx"
    assert f"Roster workbook:      {refreshed}" in result.output
    assert "Solver:               EDITED" in result.output
    assert run("check", refreshed).output.startswith("OK")
    wb = load_workbook(refreshed, read_only=True)
    run_sheet = {k: v for k, v in wb["Run"].iter_rows(min_row=2, values_only=True)}
    assert run_sheet["status"] == "EDITED" and run_sheet["refreshed_from"] == str(path.resolve())
    # The moved shift's hours left its first position's coverage and count at the other's.
    _, here, to, hours = moved["shift"]
    before, after = scheduled_hours(workbook), scheduled_hours(refreshed)
    assert (after[here] - before[here], after[to] - before[to]) == (-hours, hours)
    # Asked again, the refreshed roster is not replaced without --force.
    again = run("refresh", path)
    assert again.exit_code == 2 and "a refreshed roster is already there" in again.output


def test_a_roster_sheet_edit_is_refused_naming_its_cell(workbook, tmp_path):
    def type_leave(ws):
        ws["E2"] = "VAC"
    path = copy_edited(workbook, tmp_path, Roster=type_leave)
    was = load_workbook(workbook, read_only=True)["Roster"]["E2"].value
    for command in ("check", "refresh"):
        result = run(command, path)
        assert result.exit_code == 2
        error = (f"Error: {path.name}, sheet Roster, row 2, column Mon 11-30: edited (it was {was!r}) "
                 "(value: 'VAC'); sheet Roster is drawn from sheet Assignments and never read: undo the "
                 "edit, make the change in sheet Assignments (a row per shift and pay code), then run "
                 f"`scheduler refresh {path.name}`")
        assert result.output.splitlines() == [error]
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # nothing written


def test_both_sheets_edited_is_refused(workbook, tmp_path):
    def type_leave(ws):
        ws["E2"] = "VAC"
    path = copy_edited(workbook, tmp_path, Roster=type_leave,
                       Assignments=lambda ws: move_a_shift_to_another_position(ws))
    result = run("refresh", path)
    assert result.exit_code == 2 and "sheet Roster: edited, and sheet Assignments too" in result.output


def test_refresh_of_an_edit_breaking_a_hard_rule_writes_nothing(workbook, tmp_path):
    # The same shift twice (a copy under a new shift id): two shifts on one day, listed, exit 1.
    def duplicate(ws):
        header = [c.value for c in ws[1]]
        values = [c.value for c in ws[2]]
        values[header.index("shift_id")] = 10_000
        ws.append(values)
    path = copy_edited(workbook, tmp_path, Assignments=duplicate)
    result = run("refresh", path)
    assert result.exit_code == 1
    assert any(line.startswith("one shift per day: ") for line in result.output.splitlines()), result.output
    assert "nothing written" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def sort_grid(ws, column: int, above: int) -> None:
    """The rows from 2 to `above` (exclusive) sorted by a column, as a spreadsheet's Sort A-Z does."""
    rows = sorted((list(r) for r in ws.iter_rows(min_row=2, max_row=above - 1, values_only=True)),
                  key=lambda r: str(r[column - 1]))
    for number, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            ws.cell(number, col).value = value


def test_sorting_a_sheet_by_its_filter_is_no_edit(workbook, tmp_path):
    # Sheet Roster sorted by name (its grid only: the legend sits below) and sheet Assignments by date: the
    # same rows in another order read as written.
    def sort_roster(ws):
        legend = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 3).value == "Legend")
        sort_grid(ws, 3, legend - 1)
    path = copy_edited(workbook, tmp_path, Roster=sort_roster,
                       Assignments=lambda ws: sort_grid(ws, 9, ws.max_row + 1))
    result = run("check", path)
    assert result.exit_code == 0 and result.output.startswith("OK"), result.output


def test_a_shift_added_after_a_blank_row_reads_as_an_edit(workbook, tmp_path):
    # The reader skips blank rows, so the digest does too: a shift typed below one is an edit (one stale
    # line, among the rules the added shift breaks), not 17 lines of stale rows.
    def add_after_blank(ws):
        values = [c.value for c in ws[2]]
        values[ws[1].index(next(c for c in ws[1] if c.value == "shift_id"))] = 10_000
        ws.append([])
        ws.append(values)
    result = run("check", copy_edited(workbook, tmp_path, Assignments=add_after_blank))
    assert result.exit_code == 1
    assert any(line.startswith("stale sheets: ") for line in result.stdout.splitlines())
    assert not any(line.startswith(("coverage sheet", "pay codes")) for line in result.stdout.splitlines())


def test_refresh_of_a_shift_given_to_an_unknown_employee_lists_it_and_writes_nothing(workbook, tmp_path):
    # A typo in a hand edit: E999 is nobody. Listed as check lists it (exit 1), not a crash.
    def typo(ws):
        header = [c.value for c in ws[1]]
        ws.cell(2, header.index("employee_id") + 1).value = "E999"
    path = copy_edited(workbook, tmp_path, Assignments=typo)
    result = run("refresh", path)
    assert result.exit_code == 1, result.output
    assert any(line.startswith("known ids: E999 ") for line in result.stdout.splitlines()), result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
