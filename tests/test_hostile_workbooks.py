"""Workbooks that are valid but lie or are built to hurt (issue 21): every row is read whatever size a sheet's
XML declares, sizes and far-away cells are refused before the work starts, a formula without a saved result is
an error rather than a blank, and a roster or CSV mistake says what it is. Each case is one `Error:` line and
nothing written."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from scheduler.cli import main
from scheduler.errors import InputError
from scheduler.io.call_log import read_call_log
from scheduler.io.call_table import read_table
from scheduler.io.center import read_center
from scheduler.io.roster_wall import Wall
from scheduler.io.roster_xlsx import RosterTables, read_roster, write_roster

ROOT = Path(__file__).resolve().parents[1]
CENTER = ROOT / "inputs" / "center.xlsx"
RULES = ROOT / "inputs" / "rules.toml"
FORECAST = ROOT / "forecasts" / "sample-week-2026-11-30.csv"
CALLS = ROOT / "tests" / "fixtures" / "calls.xlsx"


def run_build(tmp_path: Path, center: Path = CENTER, forecast: Path = FORECAST):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "build", "--center", str(center), "--rules", str(RULES), "--forecast", str(forecast),
        "--week", "2026-11-30", "--out", str(out), "--time-limit", "5",
    ])
    return result, out


def error_line(result, out: Path | None = None) -> str:
    """The one line printed, after checking the exit code 2 and that nothing was written."""
    assert result.exit_code == 2, (result.output, result.exception)
    assert out is None or not out.exists() or not any(out.iterdir())
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def rewritten(source: Path, target: Path, change) -> Path:
    """A copy of the workbook `source` with each worksheet's XML passed through `change`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            data = zin.read(name)
            zout.writestr(name, change(data) if name.startswith("xl/worksheets/sheet") else data)
    target.write_bytes(buffer.getvalue())
    return target


def stale(data: bytes) -> bytes:
    """The sheet's <dimension> tag saying it ends at B2, as some writers leave it."""
    changed, count = re.subn(rb'<dimension ref="[A-Z0-9:]+"', b'<dimension ref="A1:B2"', data)
    assert count == 1  # the writer (openpyxl) puts one in every sheet
    return changed


# -------------------------------------------------------------------------------------------- stale size tags


def test_a_stale_size_tag_loses_no_row_of_the_center_workbook(tmp_path):
    """Read-only openpyxl stopped at the tag: Leave kept 1 of its 24 rows (approved leave vanished, those
    people were scheduled) and Staff 1 of 70. Every sheet is read in full now: the same Center as the
    untampered file."""
    original = read_center(CENTER)
    center = read_center(rewritten(CENTER, tmp_path / "stale-center.xlsx", stale))
    assert (len(center.staff), len(center.leave)) == (70, 24)  # inputs/center.xlsx: rows 2-71 and 2-25
    assert replace(center, source=CENTER) == original


def test_an_error_past_a_stale_size_tag_on_staff_names_staff(tmp_path):
    """With a stale tag on Staff only (`A1:E10`, as the issue found it), an error in a Staff row past the tag
    named the wrong sheet. Row 40 (E039) with contract_hours -8: the error names Staff, row 40."""
    wb = load_workbook(CENTER)
    wb["Staff"]["H40"] = -8  # H is contract_hours
    bad = tmp_path / "bad-hours.xlsx"
    wb.save(bad)

    def stale_staff(data: bytes) -> bytes:
        if b'<dimension ref="A1:J71"' not in data:  # Staff, the only sheet that size
            return data
        return data.replace(b'<dimension ref="A1:J71"', b'<dimension ref="A1:E10"')

    path = rewritten(bad, tmp_path / "stale-staff.xlsx", stale_staff)
    with zipfile.ZipFile(path) as archive:
        assert b'<dimension ref="A1:E10"' in archive.read("xl/worksheets/sheet1.xml")  # Staff, the first
    result, out = run_build(tmp_path, center=path)
    assert error_line(result, out) == (
        "Error: stale-staff.xlsx, sheet Staff, row 40, column contract_hours: must be whole hours >= 0 "
        "(value: -8)")


def small_roster(path: Path) -> Path:
    """A roster workbook written by the real writer: 10 assignments, 24 coverage rows, 3 open shifts."""
    start = datetime(2026, 11, 30, 7)
    run = [("week_start", "2026-11-30"), ("days", 7), ("time_zone", "America/Chicago"), ("quantile", "p50"),
           ("center_workbook", "center.xlsx"), ("rules_file", "rules.toml"), ("forecast_file", "f.csv")]
    assignments = pd.DataFrame([{
        "employee_id": f"E{i:03d}", "employee_name": f"Name {i}", "position": "police_ct",
        "start": start + timedelta(days=i % 7), "end": start + timedelta(days=i % 7, hours=8), "hours": 8.0,
        "pay_code": "REG", "shift_code": "D8", "shift_date": (start + timedelta(days=i % 7)).date(),
        "shift_id": i, "start_utc_offset": "-06:00", "end_utc_offset": "-06:00"} for i in range(10)])
    coverage = pd.DataFrame([{"start": start + timedelta(hours=h), "start_utc_offset": "-06:00",
                              "position": "police_ct", "required": 2, "scheduled": 2, "shortfall": 0}
                             for h in range(24)])
    open_shifts = pd.DataFrame([{"position": "fire_ct", "start": start + timedelta(days=d),
                                 "end": start + timedelta(days=d, hours=8), "start_utc_offset": "-06:00",
                                 "end_utc_offset": "-06:00"} for d in range(3)])
    empty = pd.DataFrame({"x": []})
    write_roster(path, RosterTables(run, Wall.empty(), assignments, coverage, open_shifts, empty, empty))
    return path


def test_a_stale_size_tag_loses_no_row_of_a_roster_workbook(tmp_path):
    """check, repair and --previous read rosters through read_roster: a stale tag hid Assignments rows, so
    the check passed on a roster it had not read. All 10, 24 and 3 rows are read."""
    original = read_roster(small_roster(tmp_path / "roster.xlsx"))
    roster = read_roster(rewritten(tmp_path / "roster.xlsx", tmp_path / "stale-roster.xlsx", stale))
    assert (len(roster.assignments), len(roster.coverage), len(roster.open_shifts)) == (10, 24, 3)
    assert replace(roster, path=original.path) == original


def test_a_stale_size_tag_loses_no_row_of_an_xlsx_call_log(tmp_path):
    """tests/fixtures/calls.xlsx: sheet Calls has 5 calls (rows 2-6), sheet Hourly 3 hours (rows 2-4)."""
    path = rewritten(CALLS, tmp_path / "stale-calls.xlsx", stale)
    for sheet, rows in (("Calls", [2, 3, 4, 5, 6]), ("Hourly", [2, 3, 4])):
        frame, _ = read_table(path, sheet)
        assert list(frame.index) == rows
        assert frame.equals(read_table(CALLS, sheet)[0])


# ------------------------------------------------------------------------------------------------ size limits


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    """A 200 KB workbook whose sheet unpacks to 201 MB of blanks: over the 200 MB limit (io.sheets.WORKBOOK),
    refused from the zip directory's sizes, before any XML is parsed."""
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
        for _ in range(201):
            sheet.write(b" " * 1024 * 1024)
    assert bomb.stat().st_size < 300_000
    result, out = run_build(tmp_path, center=bomb)
    assert error_line(result, out) == (
        "Error: bomb.xlsx: it unpacks to 201 MB, over the 200 MB a workbook may hold; keep only the sheets "
        "scheduler reads and save the workbook again")


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    """The center workbook with a 21 MB picture stored beside it: over the 20 MB a workbook may be."""
    big = tmp_path / "big.xlsx"
    shutil.copy(CENTER, big)
    with zipfile.ZipFile(big, "a", zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/media/image1.png", bytes(21 * 1024 * 1024))
    result, out = run_build(tmp_path, center=big)
    assert error_line(result, out) == (
        "Error: big.xlsx: the file is 22 MB, over the 20 MB a workbook may be; keep only the sheets "
        "scheduler reads and save the workbook again")


def test_a_far_away_cell_stops_with_its_address(tmp_path):
    """One cell at XFD1048576 made openpyxl pad a million rows of 16,384 columns (minutes); now the sheet is
    read to that cell (half a second) and the cell, past 100,000 rows, is named."""
    wb = load_workbook(CENTER)
    wb["Staff"]["XFD1048576"] = "x"
    far = tmp_path / "far.xlsx"
    wb.save(far)
    result, out = run_build(tmp_path, center=far)
    assert error_line(result, out) == (
        "Error: far.xlsx, sheet Staff, row 1048576, column XFD: a cell outside the 100,000 rows and 200 "
        "columns a sheet may hold (value: 'x'); delete the stray cells far from the data (Ctrl+End in Excel "
        "goes to the last one); the rows of other sheets that refer to it are checked once it reads")


def test_a_row_number_past_excels_last_row_stops_there(tmp_path):
    """A row numbered 2,000,000,000 (no writer makes one) would have openpyxl yield every empty row before it
    (minutes); reading stops past row 1,048,576, Excel's last. The sheet's tag still says J71, which used to
    hide the row altogether."""
    def far_row(data: bytes) -> bytes:
        if b'<dimension ref="A1:J71"' not in data:  # Staff
            return data
        return data.replace(b"</sheetData>", b'<row r="2000000000"><c r="A2000000000" t="inlineStr"><is><t>x'
                                             b"</t></is></c></row></sheetData>")

    path = rewritten(CENTER, tmp_path / "far-row.xlsx", far_row)
    result, out = run_build(tmp_path, center=path)
    assert error_line(result, out) == (
        "Error: far-row.xlsx, sheet Staff, row 1048577: a cell outside the 100,000 rows and 200 columns a "
        "sheet may hold; delete the stray cells far from the data (Ctrl+End in Excel goes to the last one); "
        "the rows of other sheets that refer to it are checked once it reads")


def test_a_far_away_column_in_a_call_log_stops_with_its_address(tmp_path):
    """A call log may be as long as Excel allows but not wider than 1,000 columns: a cell at XFD3 (column
    16,384) would have made 16,384 columns of every row."""
    wb = load_workbook(CALLS)
    wb["Calls"]["XFD3"] = 1
    path = tmp_path / "wide-calls.xlsx"
    wb.save(path)
    with pytest.raises(InputError) as caught:
        read_call_log(path, timezone="America/New_York", timestamp_column="Call received")
    assert str(caught.value) == (
        "wide-calls.xlsx, sheet Calls, row 3, column XFD: a cell outside the 1,048,576 rows and 1,000 "
        "columns a sheet may hold (value: 1); delete the stray cells far from the data (Ctrl+End in Excel "
        "goes to the last one)")


# ----------------------------------------------------------------------------------------------- entity bombs


def laughs(root: str) -> str:
    """The classic "billion laughs" DTD: &lol9; expands to 10^9 "lol"s, 3 GB."""
    entities = '<!ENTITY lol "lol"><!ENTITY lol1 "' + "&lol;" * 10 + '">'
    for level in range(2, 10):
        entities += f'<!ENTITY lol{level} "' + f"&lol{level - 1};" * 10 + '">'
    return f"<!DOCTYPE {root} [{entities}]>"


def test_an_entity_bomb_in_the_shared_strings_is_named(tmp_path):
    """A billion-laughs xl/sharedStrings.xml (where Excel keeps a workbook's text) gave "not a readable
    .xlsx workbook (ValueError)": defusedxml refused it, inside openpyxl's own ValueError. Now the error says
    what it is and in which part."""
    strings = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{laughs("sst")}\n'
               '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
               'uniqueCount="1"><si><t>&lol9;</t></si></sst>')
    content_type = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
    relationship = ('<Relationship Id="rIdStrings" Target="sharedStrings.xml" Type="http://schemas.'
                    'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>')
    path = tmp_path / "lol.xlsx"
    with zipfile.ZipFile(CENTER) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        assert "xl/sharedStrings.xml" not in zin.namelist()  # openpyxl writes text inline
        for name in zin.namelist():
            data = zin.read(name).decode()
            if name == "[Content_Types].xml":
                data = data.replace("</Types>", f"{content_type}</Types>")
            elif name == "xl/_rels/workbook.xml.rels":
                data = data.replace("</Relationships>", f"{relationship}</Relationships>")
            zout.writestr(name, data)
        zout.writestr("xl/sharedStrings.xml", strings)
    result, out = run_build(tmp_path, center=path)
    assert error_line(result, out) == (
        "Error: lol.xlsx: the workbook's XML declares entities (xl/sharedStrings.xml), which a spreadsheet "
        "never needs and an attack uses; save it again from Excel or LibreOffice")


def test_an_entity_bomb_in_a_worksheet_is_named(tmp_path):
    """The same in Staff's XML (the first sheet)."""
    def bomb(data: bytes) -> bytes:
        if b'<dimension ref="A1:J71"' not in data:  # Staff
            return data
        assert data.startswith(b"<worksheet ")  # openpyxl writes no <?xml ...?> declaration
        return laughs("worksheet").encode() + data

    path = rewritten(CENTER, tmp_path / "lol-sheet.xlsx", bomb)
    result, out = run_build(tmp_path, center=path)
    assert error_line(result, out) == (
        "Error: lol-sheet.xlsx: the workbook's XML declares entities (xl/worksheets/sheet1.xml), which a "
        "spreadsheet never needs and an attack uses; save it again from Excel or LibreOffice")


# --------------------------------------------------------------------------------------------------- formulas


def test_a_formula_without_a_saved_result_is_an_error_and_a_saved_one_is_read(tmp_path):
    """openpyxl writes a formula with no result: read for results it was a blank, and contract_hours quietly
    became the default 40. Now that stops; what Excel saves is read as before: a number result in <v> (36,
    not the default 40), an empty text result as t="str" with an empty <v> (a blank: type LEAVE). Both sheets'
    formulas are named at once (every error of the workbook in one pass)."""
    wb = load_workbook(CENTER)
    wb["Staff"]["H2"] = "=30+6"  # H is contract_hours
    wb["Leave"]["D2"] = '=IF(1,"","x")'  # D is type
    path = tmp_path / "formula.xlsx"
    wb.save(path)
    result, out = run_build(tmp_path, center=path)
    assert result.exit_code == 2 and not out.exists()
    assert result.output.splitlines() == [
        ("Error: formula.xlsx, sheet Staff, row 2, column contract_hours: a formula without a saved result "
         "(value: '=30+6'); open the workbook in Excel and save it (which saves each formula's result), or "
         "type the value; the rows of other sheets that refer to it are checked once it reads"),
        ("Error: formula.xlsx, sheet Leave, row 2, column type: a formula without a saved result "
         "(value: '=IF(1,\"\",\"x\")'); open the workbook in Excel and save it (which saves each formula's "
         "result), or type the value")]

    def saved(data: bytes) -> bytes:
        data = data.replace(b"<f>30+6</f><v />", b"<f>30+6</f><v>36</v>")
        return data.replace(b'<c r="D2"><f>IF(1,"","x")</f>', b'<c r="D2" t="str"><f>IF(1,"","x")</f>')

    center = read_center(rewritten(path, tmp_path / "saved-by-excel.xlsx", saved))
    assert center.staff[0].contract_hours == 36.0
    assert center.leave[0].type == "LEAVE"


# --------------------------------------------------------------------------------------------------- messages


def test_check_on_a_center_workbook_says_it_is_not_a_roster(tmp_path):
    """It used to say "add a sheet named Run (see docs/center-workbook.md)"."""
    center = tmp_path / "center.xlsx"
    shutil.copy(CENTER, center)
    result = CliRunner().invoke(main, ["check", str(center)])
    assert error_line(result) == (
        "Error: center.xlsx, sheet Run: missing sheet; this is not a roster workbook that scheduler wrote "
        "(give the .xlsx that scheduler build or repair wrote)")


def semicolons(source: Path, target: Path) -> Path:
    """The file as Excel saves "CSV" where the decimal mark is a comma: ';' between columns."""
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    frame.to_csv(target, sep=";", index=False)
    return target


def test_a_semicolon_separated_forecast_says_so(tmp_path):
    """It used to say "missing column 'timestamp'"."""
    forecast = semicolons(FORECAST, tmp_path / "forecast.csv")
    result, out = run_build(tmp_path, forecast=forecast)
    assert error_line(result, out) == (
        "Error: forecast.csv, row 1: columns separated by ';' (value: "
        "'timestamp;stream;calls_p50;calls_p90;aht_seconds'); save the file as comma-separated (CSV UTF-8)")


def test_a_semicolon_separated_call_log_says_so(tmp_path):
    """It used to say "missing column 'timestamp'"."""
    calls = semicolons(ROOT / "tests" / "fixtures" / "quality.csv", tmp_path / "calls.csv")
    with pytest.raises(InputError) as caught:
        read_call_log(calls, timezone="America/New_York")
    assert str(caught.value) == (
        "calls.csv, row 1: columns separated by ';' (value: 'timestamp;category'); save the file as "
        "comma-separated (CSV UTF-8)")
