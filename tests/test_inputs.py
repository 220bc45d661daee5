"""Bad input gives one `Error:` line naming file, sheet, row and column, exit code 2, and no output.

Each case edits a copy of the sample inputs in tmp_path, runs `scheduler build` through click's CliRunner and
checks the exit code, the single error line, what it names, and that the output folder stays empty. The direct
reader tests at the end check the structured fields of the InputError itself.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import zipfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import openpyxl.xml
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from scheduler.cli import main
from scheduler.domain import Horizon, Rules
from scheduler.domain.scenario import ScenarioSet, Training
from scheduler.errors import InputError, InputErrors
from scheduler.io.center import read_center
from scheduler.io.forecast import read_forecast
from scheduler.io.rules import read_rules
from scheduler.io.sheets import day
from scheduler.plan import check_fit
from scheduler.staffing import compute_requirements
from scheduler.workforce import check_hiring

ROOT = Path(__file__).resolve().parents[1]
CENTER = ROOT / "inputs" / "center.xlsx"
RULES = ROOT / "inputs" / "rules.toml"
FORECAST = ROOT / "forecasts" / "sample-week-2026-11-30.csv"
WEEK = "2026-11-30"

# Distinct names for the edited copies, so the error line must name the file that is actually wrong.
CENTER_COPY = "edited-center.xlsx"
RULES_COPY = "edited-rules.toml"
FORECAST_COPY = "edited-forecast.csv"


# ---------------------------------------------------------------------------------------------------- helpers


def run_build(tmp_path: Path, center: Path = CENTER, rules: Path = RULES, forecast: Path = FORECAST,
              week: str = WEEK):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "build", "--center", str(center), "--rules", str(rules), "--forecast", str(forecast), "--week", week,
        "--out", str(out), "--time-limit", "5",
    ])
    return result, out


def assert_one_error_line(result, out: Path, *names: str) -> str:
    """Exit 2, exactly one output line `Error: ...` that contains every name, and nothing written."""
    assert result.exit_code == 2, f"exit {result.exit_code}: {result.output!r} {result.exception!r}"
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    line = lines[0]
    assert line.startswith("Error: "), line
    assert "Traceback" not in result.output
    for name in names:
        assert name in line, f"{name!r} not named in {line!r}"
    assert not out.exists() or not any(out.iterdir()), sorted(out.iterdir())
    return line


def edited_center(tmp_path: Path, edit: Callable) -> Path:
    wb = load_workbook(CENTER)
    edit(wb)
    path = tmp_path / CENTER_COPY
    wb.save(path)
    return path


def read_forecast_rows() -> tuple[list[str], list[list[str]]]:
    with FORECAST.open(newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write_forecast(tmp_path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path = tmp_path / FORECAST_COPY
    with path.open("w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def edited_forecast(tmp_path: Path, data_row: int, column: str, value: str) -> Path:
    """Set one cell; data_row counts from 1 (file row data_row + 1, the header being row 1)."""
    header, rows = read_forecast_rows()
    rows[data_row - 1][header.index(column)] = value
    return write_forecast(tmp_path, header, rows)


def edited_rules(tmp_path: Path, old: str, new: str) -> Path:
    source = RULES.read_text(encoding="utf-8")
    assert old in source
    path = tmp_path / RULES_COPY
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


def test_sample_inputs_are_clean():
    """The baseline every case edits must itself load."""
    center = read_center(CENTER)
    assert len(center.staff) == 70
    assert len(center.preferences) == 5
    # docs/center-workbook.md
    assert center.vacancies() == {"telecommunicator": 26, "supervisor": 2, "trainee": 0}
    read_rules(RULES)
    read_forecast(FORECAST)


# -------------------------------------------------------------------------------------------- center workbook


def _set(sheet: str, cell: str, value) -> Callable:
    def edit(wb):
        wb[sheet][cell] = value
    return edit


def _append(sheet: str, values: list) -> Callable:
    def edit(wb):
        wb[sheet].append(values)
    return edit


def _delete_sheet(sheet: str) -> Callable:
    def edit(wb):
        del wb[sheet]
    return edit


# (id, edit, names the error line must contain: sheet, row, column, offending value)
CENTER_CASES = [
    ("missing sheet Leave", _delete_sheet("Leave"), ["Leave"]),
    ("missing sheet Staff", _delete_sheet("Staff"), ["Staff"]),
    ("missing sheet Shifts", _delete_sheet("Shifts"), ["Shifts"]),
    ("missing column shift_length", _set("Staff", "F1", None),
     ["sheet Staff", "row 1", "column shift_length"]),
    ("renamed column hours", _set("Shifts", "C1", "hrs"), ["sheet Shifts", "row 1", "column hours"]),
    ("missing column employee_id in Leave", _set("Leave", "A1", None),
     ["sheet Leave", "row 1", "column employee_id"]),
    ("unknown employee in Leave", _set("Leave", "A3", "E999"),
     ["sheet Leave", "row 3", "column employee_id", "E999"]),
    ("unknown employee in Requests", _set("Requests", "A7", "X001"),
     ["sheet Requests", "row 7", "column employee_id", "X001"]),
    ("bad date in Leave", _set("Leave", "B4", "2026-13-01"), ["sheet Leave", "row 4", "column start_date"]),
    ("text date in Requests", _set("Requests", "B2", "next Tuesday"),
     ["sheet Requests", "row 2", "column date"]),
    ("leave ends before it starts", _set("Leave", "C2", "2026-11-01"),
     ["sheet Leave", "row 2", "column end_date"]),
    ("bad hire_date", _set("Staff", "J12", "yesterday"), ["sheet Staff", "row 12", "column hire_date"]),
    # E003 (row 4) has no leave or request: overwriting E004 (row 5) would also report E004's request.
    ("duplicate employee_id", _set("Staff", "A4", "E001"),
     ["sheet Staff", "row 4", "column employee_id", "E001"]),
    ("unknown shift code in bid", _set("Staff", "G2", "N12,X9"),
     ["sheet Staff", "row 2", "column shifts", "X9"]),
    ("empty required cell", _set("Staff", "F10", None), ["sheet Staff", "row 10", "column shift_length"]),
    ("text in a number column", _set("Staff", "F3", "twelve"),
     ["sheet Staff", "row 3", "column shift_length"]),
    ("shift length out of range", _set("Staff", "F3", 20), ["sheet Staff", "row 3", "column shift_length"]),
    ("bad yes/no", _set("Staff", "E4", "maybe"), ["sheet Staff", "row 4", "column cto"]),
    ("unknown job_class", _set("Staff", "C6", "dispatcher"), ["sheet Staff", "row 6", "column job_class"]),
    ("negative contract hours", _set("Staff", "H7", -8), ["sheet Staff", "row 7", "column contract_hours"]),
    ("shift start off the hour", _set("Shifts", "B2", "07:30"), ["sheet Shifts", "row 2", "column start"]),
    ("shift start not a time", _set("Shifts", "B3", "noon"), ["sheet Shifts", "row 3", "column start"]),
    # A duplicate added below the others: one overwriting E8 would also report every E8 bid (all errors).
    ("duplicate shift code", _append("Shifts", ["D8", "08:00", 8]),
     ["sheet Shifts", "row 10", "column code", "D8"]),
    ("request weight out of range", _set("Requests", "C5", 9), ["sheet Requests", "row 5", "column weight"]),
    ("unknown position in Minimums", _set("Minimums", "A2", "radio"),
     ["sheet Minimums", "row 2", "column position"]),
    ("bad days in Minimums", _set("Minimums", "B3", "Funday"), ["sheet Minimums", "row 3", "column days"]),
    # 10^9 seats ran the report of open shifts for hours after the solve: refused before any work.
    ("a billion seats in Minimums", _set("Minimums", "E2", 10**9),
     ["sheet Minimums", "row 2", "column minimum", "more than 500 seats at one position"]),
    ("bad kind in Positions", _set("Positions", "C2", "dispatch"),
     ["sheet Positions", "row 2", "column kind"]),
    ("call-taking without streams", _set("Positions", "E3", None),
     ["sheet Positions", "row 3", "column streams"]),
    ("criticality out of range",
     lambda wb: (_set("Positions", "F1", "criticality")(wb), _set("Positions", "F4", 0)(wb)),
     ["sheet Positions", "row 4", "column criticality", "1 (default) to 10"]),
    ("authorized not a number", _set("Authorized", "B2", "many"),
     ["sheet Authorized", "row 2", "column authorized"]),
    ("authorized negative", _set("Authorized", "B2", -1), ["sheet Authorized", "row 2", "column authorized"]),
    ("duplicate job_class in Authorized", _append("Authorized", ["telecommunicator", 1]),
     ["sheet Authorized", "row 5", "column job_class", "telecommunicator"]),
    # Supervisors E001-E008 are Staff rows 2-9: with 7 authorized, row 9 is the first one past the count.
    ("more supervisors than authorized", _set("Authorized", "B3", 7),
     ["sheet Staff", "row 9", "column job_class", "supervisor", "8 filled", "7 authorized",
      "sheet Authorized",
      "raise the count"]),
    # Trainees fill budgeted positions too: 4 trainee rows (E067-E070, rows 68-71) against 3.
    ("more trainees than authorized", _set("Authorized", "B4", 3),
     ["sheet Staff", "row 71", "trainee", "4 filled", "3 authorized"]),
    ("unknown employee in Preferences", _set("Preferences", "A3", "E999"),
     ["sheet Preferences", "row 3", "column employee_id", "E999"]),
    ("bad preference word", _set("Preferences", "B2", "love"),
     ["sheet Preferences", "row 2", "column preference"]),
    ("unknown shift in Preferences", _set("Preferences", "C4", "D10,X1"),
     ["sheet Preferences", "row 4", "column shifts", "X1"]),
    ("preferred shift of another length", _set("Preferences", "C2", "N12"),
     ["sheet Preferences", "row 2", "column shifts", "N12", "E011"]),
    ("prefer without shifts", _set("Preferences", "C2", None),
     ["sheet Preferences", "row 2", "column shifts"]),
    ("days and a date", _set("Preferences", "D6", "weekend"), ["sheet Preferences", "row 6", "column date"]),
    ("bad days in Preferences", _set("Preferences", "D2", "Funday"),
     ["sheet Preferences", "row 2", "column days"]),
    ("bad date in Preferences", _set("Preferences", "E6", "Friday"),
     ["sheet Preferences", "row 6", "column date"]),
    ("preference weight out of range", _set("Preferences", "F5", 7),
     ["sheet Preferences", "row 5", "column weight"]),
]


@pytest.mark.parametrize(("edit", "names"), [pytest.param(e, n, id=i) for i, e, n in CENTER_CASES])
def test_bad_center_workbook(tmp_path, edit, names):
    center = edited_center(tmp_path, edit)
    result, out = run_build(tmp_path, center=center)
    assert_one_error_line(result, out, CENTER_COPY, *names)


def test_unknown_shift_code_in_bid_names_the_code(tmp_path):
    center = edited_center(tmp_path, _set("Staff", "G2", "N12,X9"))
    with pytest.raises(InputError) as caught:
        read_center(center)
    err = caught.value
    where = (Path(err.file).name, err.sheet, err.row, err.column, err.value)
    assert where == (CENTER_COPY, "Staff", 2, "shifts", "X9")


def test_error_row_counts_blank_rows_in_a_sheet(tmp_path):
    """Row numbers are the sheet's own row numbers, empty rows in between included."""
    def edit(wb):
        ws = wb["Leave"]
        ws.insert_rows(4, 2)  # rows 4 and 5 empty; old row 6 is now row 8
        ws["A8"] = "E999"
    result, out = run_build(tmp_path, center=edited_center(tmp_path, edit))
    assert_one_error_line(result, out, CENTER_COPY, "sheet Leave", "row 8", "column employee_id", "E999")


def test_header_is_case_insensitive_and_order_free(tmp_path):
    """docs/center-workbook.md: column names are case-insensitive and order does not matter (control case)."""
    def edit(wb):
        ws = wb["Requests"]
        for row in ws.iter_rows():
            row[0].value, row[1].value = row[1].value, row[0].value
        ws["A1"], ws["B1"] = "Date", " EMPLOYEE_ID "
    center = read_center(edited_center(tmp_path, edit))
    assert len(center.requests) == 25


# ----------------------------------------------------------------------------------------------- corrupt xlsx


def _with_first_sheet(source: bytes, change) -> bytes:
    """A copy of the workbook `source` (a zip) with its first worksheet's XML passed through `change`."""
    buffer = io.BytesIO()
    with (zipfile.ZipFile(io.BytesIO(source)) as zin,
          zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zout):
        for name in zin.namelist():
            data = zin.read(name)
            zout.writestr(name, change(data) if name == "xl/worksheets/sheet1.xml" else data)
    return buffer.getvalue()


def _corrupt_sheet_xml(source: bytes) -> bytes:
    """A valid zip whose first worksheet's XML is cut in half."""
    return _with_first_sheet(source, lambda data: data[: len(data) // 2])


def _damaged_sheet_bytes(source: bytes) -> bytes:
    """The zip directory intact, but the compressed bytes of the Staff sheet overwritten (bad CRC /
    deflate)."""
    with zipfile.ZipFile(io.BytesIO(source)) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(source)
    name_len, extra_len = (int.from_bytes(data[info.header_offset + k:info.header_offset + k + 2], "little")
                           for k in (26, 28))
    start = info.header_offset + 30 + name_len + extra_len + info.compress_size // 3
    data[start:start + 64] = bytes(64)
    return bytes(data)


def _entity_expansion(source: bytes) -> bytes:
    """The Staff sheet's XML behind a DOCTYPE of nested entities (a small "billion laughs", harmless if
    expanded): openpyxl parses workbooks through defusedxml (setup.cfg), which refuses any entity
    declaration."""
    laughs = ('<!DOCTYPE worksheet [<!ENTITY lol "lol">'
              '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
              '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>')

    def doctype(data: bytes) -> bytes:
        declaration, _, body = data.decode("utf-8").rpartition("?>")
        return f"{declaration}{'?>' if declaration else ''}{laughs}{body}".encode()

    return _with_first_sheet(source, doctype)


def _zip_without_workbook(_source: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zout:
        zout.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


CORRUPT_CASES = {
    "random bytes": lambda source: os.urandom(4096),
    "truncated zip": lambda source: source[: len(source) // 3],
    "empty file": lambda source: b"",
    "csv saved as xlsx": lambda source: FORECAST.read_bytes(),
    "zip without a workbook": _zip_without_workbook,
    "damaged sheet xml": _corrupt_sheet_xml,
    "damaged sheet bytes": _damaged_sheet_bytes,
    "xml entity expansion": _entity_expansion,
}


def test_workbooks_are_parsed_through_defusedxml():
    """openpyxl uses defusedxml only when it is installed: a dependency (setup.cfg), checked here."""
    assert openpyxl.xml.DEFUSEDXML


@pytest.mark.parametrize("corrupt", list(CORRUPT_CASES.values()), ids=list(CORRUPT_CASES))
def test_corrupt_center_workbook(tmp_path, corrupt):
    center = tmp_path / CENTER_COPY
    center.write_bytes(corrupt(CENTER.read_bytes()))
    result, out = run_build(tmp_path, center=center)
    assert_one_error_line(result, out, CENTER_COPY)


def test_missing_center_file(tmp_path):
    result, out = run_build(tmp_path, center=tmp_path / "no-such-center.xlsx")
    assert_one_error_line(result, out, "no-such-center.xlsx", "not found")


# --------------------------------------------------------------------------------------------------- forecast


def _data_row_of(timestamp: str, stream: str) -> int:
    _, rows = read_forecast_rows()
    return next(i for i, r in enumerate(rows, start=1) if r[0] == timestamp and r[1] == stream)


def test_negative_calls(tmp_path):
    forecast = edited_forecast(tmp_path, 10, "calls_p50", "-3")
    result, out = run_build(tmp_path, forecast=forecast)
    line = assert_one_error_line(result, out, FORECAST_COPY, "row 11", "column calls_p50", "-3")
    assert "sheet" not in line


@pytest.mark.parametrize(("column", "value", "data_row"), [
    ("calls_p90", "-1", 7),
    ("aht_seconds", "-270", 400),
    ("calls_p50", "lots", 3),
    ("calls_p50", "", 5),
    ("calls_p50", "inf", 6),
    ("calls_p90", "inf", 13),
    ("aht_seconds", "-inf", 14),
    ("calls_p90", "nan", 8),
    ("aht_seconds", "0", 9),
    ("calls_p90", "0", 12),  # below calls_p50
    ("stream", "", 20),
    ("timestamp", "2026-11-30 25:00", 2),
    ("timestamp", "2026-11-30T00:00:00", 30),  # no UTC offset
    ("timestamp", "30/11/2026 01:00 -06:00", 31),
    ("timestamp", "2026-11-30T01:30:00-06:00", 32),  # not on the hour
    ("timestamp", "2026-11-30T00:00:00-06:00", 5),  # duplicate of data row 1 (911_fire_ems at 00:00)
    ("calls_p90", "1e12", 15),  # over the calls an hour can hold: it hung staffing and build
    ("aht_seconds", "3700", 16),  # a handle time over an hour: minutes or hundredths read as seconds
])
def test_bad_forecast_cell(tmp_path, column, value, data_row):
    if column == "timestamp" and value == "2026-11-30T00:00:00-06:00":
        header, rows = read_forecast_rows()
        rows[data_row - 1][:2] = [value, "911_fire_ems"]  # same hour and stream as data row 1
        forecast = write_forecast(tmp_path, header, rows)
    else:
        forecast = edited_forecast(tmp_path, data_row, column, value)
    result, out = run_build(tmp_path, forecast=forecast)
    assert_one_error_line(result, out, FORECAST_COPY, f"row {data_row + 1}", f"column {column}")


def test_forecast_row_numbers_count_blank_lines(tmp_path):
    """`row N` is the line a person finds in the file: blank lines before the bad row still count."""
    header, rows = read_forecast_rows()
    rows[9][header.index("calls_p50")] = "-3"  # file line 11 before the blank line, 12 after it
    path = tmp_path / FORECAST_COPY
    lines = [",".join(header)] + [",".join(r) for r in rows]
    lines.insert(3, "")  # a blank line 4
    path.write_text("\n".join(lines) + "\n")
    assert path.read_text().splitlines()[11].split(",")[2] == "-3"
    result, out = run_build(tmp_path, forecast=path)
    assert_one_error_line(result, out, FORECAST_COPY, "row 12", "column calls_p50")


@pytest.mark.parametrize("column", ["timestamp", "stream", "calls_p50", "aht_seconds"])
def test_forecast_missing_column(tmp_path, column):
    header, rows = read_forecast_rows()
    i = header.index(column)
    forecast = write_forecast(tmp_path, header[:i] + header[i + 1:], [r[:i] + r[i + 1:] for r in rows])
    result, out = run_build(tmp_path, forecast=forecast)
    assert_one_error_line(result, out, FORECAST_COPY, "row 1", f"column {column}")


def test_a_forecast_without_p90_plans_on_p50_and_refuses_p90_by_name(tmp_path):
    # A center planning on the median need not invent a 90th percentile; asked to plan on p90, the build
    # stops before the solve with one Error line naming the column.
    header, rows = read_forecast_rows()
    i = header.index("calls_p90")
    forecast = write_forecast(tmp_path, header[:i] + header[i + 1:], [r[:i] + r[i + 1:] for r in rows])
    frame = read_forecast(forecast).frame
    assert frame["calls_p90"].isna().all() and frame["calls_p50"].notna().all()
    center, rules = read_center(CENTER), read_rules(RULES)
    horizon = Horizon(date(2026, 11, 30), 7, rules.tz)
    planned = compute_requirements(center, rules, read_forecast(forecast), horizon, "p50").required
    full = compute_requirements(center, rules, read_forecast(FORECAST), horizon).required
    assert planned.keys() == full.keys() and all((planned[p] == full[p]).all() for p in full)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--center", str(CENTER), "--rules", str(RULES), "--forecast",
                                       str(forecast), "--week", WEEK, "--out", str(out), "--quantile", "p90"])
    assert_one_error_line(result, out, FORECAST_COPY, "column calls_p90", "--quantile p50")


def test_forecast_missing_hour(tmp_path):
    header, rows = read_forecast_rows()
    gone = "2026-12-02T05:00:00-06:00"
    kept = [r for r in rows if r[0] != gone]
    assert len(kept) == len(rows) - 4
    result, out = run_build(tmp_path, forecast=write_forecast(tmp_path, header, kept))
    assert_one_error_line(result, out, FORECAST_COPY, "column timestamp", "2026-12-02 05:00")


def test_forecast_missing_one_stream_hour(tmp_path):
    header, rows = read_forecast_rows()
    row = _data_row_of("2026-12-05T17:00:00-06:00", "admin_police")
    kept = rows[: row - 1] + rows[row:]
    result, out = run_build(tmp_path, forecast=write_forecast(tmp_path, header, kept))
    assert_one_error_line(result, out, FORECAST_COPY, "column timestamp", "admin_police", "2026-12-05 17:00")


def test_week_not_covered_by_forecast(tmp_path):
    result, out = run_build(tmp_path, week="2026-12-14")
    assert_one_error_line(result, out, FORECAST.name, "column timestamp", "2026-12-14 00:00")


def test_week_partly_covered_by_forecast(tmp_path):
    result, out = run_build(tmp_path, week="2026-12-01")
    assert_one_error_line(result, out, FORECAST.name, "column timestamp", "2026-12-07 00:00")


def test_forecast_stream_unknown_to_positions(tmp_path):
    header, rows = read_forecast_rows()
    for r in rows:
        if r[1] == "admin_police":
            r[1] = "admin_pd"
    result, out = run_build(tmp_path, forecast=write_forecast(tmp_path, header, rows))
    assert_one_error_line(result, out, FORECAST_COPY, "column stream", "admin_police")


@pytest.mark.parametrize(("content", "names"), [
    (b"", []),
    (b"timestamp,stream,calls_p50,calls_p90,aht_seconds\n", []),
    (bytes(range(256)) * 8, []),
], ids=["empty file", "header only", "binary"])
def test_unreadable_forecast(tmp_path, content, names):
    path = tmp_path / FORECAST_COPY
    path.write_bytes(content)
    result, out = run_build(tmp_path, forecast=path)
    assert_one_error_line(result, out, FORECAST_COPY, *names)


def test_missing_forecast_file(tmp_path):
    result, out = run_build(tmp_path, forecast=tmp_path / "nope.csv")
    assert_one_error_line(result, out, "nope.csv", "not found")


# ------------------------------------------------------------------------------------------------------ rules


@pytest.mark.parametrize(("old", "new", "names"), [
    ("shrinkage = 0.10", "shrinkage = 0.10\nshrinkge = 0.2", ["shrinkge", "[service]"]),
    ("max_consecutive_days = 6", "max_consecutve_days = 6", ["max_consecutve_days", "[labor]"]),
    ('timezone = "America/Chicago"', 'timezone = "America/Gotham"', ["America/Gotham", "time zone"]),
    ('timezone = "America/Chicago"', 'timezone = "CST"', ["CST"]),
    ("[labor]", "[labour]", ["[labour]"]),
    ("min_rest_hours = 10", 'min_rest_hours = "ten"', ["min_rest_hours", "ten"]),
    ("shrinkage = 0.10", "shrinkage = 1.5", ["shrinkage"]),
    ("targets = [[0.90, 15], [0.95, 20]]", "targets = [[90, 15]]", ["targets"]),
    ("min_rest_hours = 10", "min_rest_hours = = 10", ["TOML"]),
    ('name = "Gateway City Emergency Communications"\n', "", ["[center]", "name"]),
    ("min_days_off = 1", "min_days_off = -1", ["min_days_off"]),
    # A count of days a plan of at most 6 weeks never reaches: it once sized a list of a billion days.
    ("max_consecutive_days = 6", "max_consecutive_days = 1000000000",
     ["max_consecutive_days out of range (value: 1000000000); give max_consecutive_days from 1 to 42"]),
    ("evening_start_hour = 12", "evening_start_hour = -3", ["give evening_start_hour from 0 to 24"]),
    ("max_hours_in_24 = 16", "max_hours_in_24 = 30", ["max_hours_in_24", "30"]),
    ("holdover_hours = 2", "holdover_hours = -1", ["holdover_hours", "-1"]),
    ("holdover_hours = 2", 'holdover_hours = "2h"', ["holdover_hours", "2h"]),
    ("holdover_hours = 2", "holdover_hours = 5",
     ["shift D12 (12 h)", "5 h holdover", "max_hours_in_24 = 16"]),
    ("night_end_hour = 5", "night_end_hour = 20", ["night_end_hour"]),
    ("forward_rotation = true ", 'forward_rotation = "yes"', ["forward_rotation", "true or false"]),
    ("start_stability = true ", "start_stability = 1", ["start_stability", "true or false"]),
    ("evening_start_hour = 12", "evening_start_hour = 20", ["evening_start_hour", "20"]),
    ("evening_start_hour = 12", "evening_start_hour = 11.5", ["evening_start_hour", "int"]),
    ("weekend_off_every_weeks = 4", "weekend_off_every_weeks = -1", ["weekend_off_every_weeks"]),
    ("nights = true ", 'nights = "yes"', ["[fairness] nights", "true or false", "yes"]),
    ("[fairness]", "[fairnes]", ["[fairnes]", "fairness"]),
    ("# max_shortfall = {", "max_shortfall = { police_radio = 0.5 }\n#", ["max_shortfall.police_radio"]),
    ("# max_shortfall = {", "max_shortfall = { dispatch = 0 }\n#",
     ["max_shortfall", "dispatch", "police_radio"]),
    ("seniority_weighting = true", 'seniority_weighting = "yes"',
     ["[requests] seniority_weighting", "true or false"]),
    ("seniority_weighting = true", "seniority_weighting = 1", ["seniority_weighting", "true or false"]),
    ("seniority_step_years = 5", "seniority_step_years = 0", ["seniority_step_years"]),
    ("seniority_max_steps = 2", "seniority_max_steps = true", ["seniority_max_steps", "int"]),
    ("shift_preferences = true", "shift_prefs = true", ["shift_prefs", "[requests]"]),
])
def test_bad_rules(tmp_path, old, new, names):
    result, out = run_build(tmp_path, rules=edited_rules(tmp_path, old, new))
    assert_one_error_line(result, out, RULES_COPY, *names)


def test_missing_rules_file(tmp_path):
    result, out = run_build(tmp_path, rules=tmp_path / "absent.toml")
    assert_one_error_line(result, out, "absent.toml", "not found")


# ---------------------------------------------------------------------------------------- direct reader tests


@pytest.mark.parametrize(("edit", "sheet", "row", "column"), [
    (_set("Leave", "A3", "E999"), "Leave", 3, "employee_id"),
    (_set("Leave", "B4", "2026-13-01"), "Leave", 4, "start_date"),
    (_set("Staff", "A5", "E001"), "Staff", 5, "employee_id"),
    (_set("Staff", "F1", None), "Staff", 1, "shift_length"),
    (_set("Shifts", "B2", "07:30"), "Shifts", 2, "start"),
    (_set("Requests", "C5", 0), "Requests", 5, "weight"),
    (_set("Preferences", "C3", "N8,D12"), "Preferences", 3, "shifts"),
    (_set("Authorized", "B2", 57), "Staff", 67, "job_class"),  # 58 telecommunicators (rows 10-67) against 57
    (_set("Minimums", "E4", "four"), "Minimums", 4, "minimum"),
])
def test_read_center_error_fields(tmp_path, edit, sheet, row, column):
    path = edited_center(tmp_path, edit)
    with pytest.raises(InputError) as caught:
        read_center(path)
    err = caught.value
    assert Path(err.file) == path
    assert (err.sheet, err.row, err.column) == (sheet, row, column)
    assert err.fix or err.value is not None  # says what is wrong with the cell or how to fix it
    rendered = str(err)
    assert "\n" not in rendered
    assert rendered.startswith(f"{CENTER_COPY}, sheet {sheet}, row {row}, column {column}: ")


def test_read_center_missing_sheet_fields(tmp_path):
    path = edited_center(tmp_path, _delete_sheet("Shifts"))
    with pytest.raises(InputError) as caught:
        read_center(path)
    err = caught.value
    assert Path(err.file) == path
    assert "Shifts" in str(err)
    assert err.row is None and err.column is None


def test_a_center_without_day_off_requests_may_leave_out_the_requests_sheet(tmp_path):
    # A new center has no requests yet: an empty Requests sheet is not demanded (the sample's has 25 rows).
    assert len(read_center(Path("inputs/center.xlsx")).requests) == 25
    assert read_center(edited_center(tmp_path, _delete_sheet("Requests"))).requests == ()


@pytest.mark.parametrize("corrupt", list(CORRUPT_CASES.values()), ids=list(CORRUPT_CASES))
def test_read_center_corrupt_fields(tmp_path, corrupt):
    path = tmp_path / CENTER_COPY
    path.write_bytes(corrupt(CENTER.read_bytes()))
    with pytest.raises(InputError) as caught:
        read_center(path)
    assert Path(caught.value.file) == path
    assert caught.value.fix


@pytest.mark.parametrize(("column", "value", "data_row"), [
    ("calls_p50", "-0.5", 1),
    ("calls_p90", "x", 100),
    ("aht_seconds", "-1", 672),
    ("timestamp", "not a time", 50),
])
def test_read_forecast_error_fields(tmp_path, column, value, data_row):
    path = edited_forecast(tmp_path, data_row, column, value)
    with pytest.raises(InputError) as caught:
        read_forecast(path)
    err = caught.value
    assert Path(err.file) == path
    assert (err.sheet, err.row, err.column, err.value) == (None, data_row + 1, column, value)


def test_read_forecast_missing_column_fields(tmp_path):
    header, rows = read_forecast_rows()
    path = write_forecast(tmp_path, header[:-1], [r[:-1] for r in rows])
    with pytest.raises(InputError) as caught:
        read_forecast(path)
    err = caught.value
    assert (Path(err.file), err.sheet, err.row, err.column) == (path, None, 1, "aht_seconds")


def test_read_rules_error_fields(tmp_path):
    path = edited_rules(tmp_path, 'timezone = "America/Chicago"', 'timezone = "Mars/Olympus_Mons"')
    with pytest.raises(InputError) as caught:
        read_rules(path)
    err = caught.value
    assert Path(err.file) == path
    assert err.value == "Mars/Olympus_Mons"
    assert "IANA" in err.fix


def test_weekend_and_fairness_keys_read(tmp_path):
    # The sample's values (4 weeks, the default; fairness and start stability on, the defaults off), and a
    # switch turned off.
    sample = read_rules(RULES)
    assert (sample.weekend_off_every_weeks, sample.fair_nights, sample.fair_weekends, sample.fair_overtime,
            sample.start_stability) == (4, True, True, True, True)
    edited = read_rules(edited_rules(tmp_path, "weekends = true ", "weekends = false"))
    assert (edited.fair_nights, edited.fair_weekends) == (True, False)


def test_unchanged_copy_still_loads(tmp_path):
    """Control: the copy-and-edit helpers themselves produce a readable workbook and forecast."""
    center = edited_center(tmp_path, lambda wb: None)
    assert len(read_center(center).staff) == 70
    shutil.copy(FORECAST, tmp_path / FORECAST_COPY)
    assert len(read_forecast(tmp_path / FORECAST_COPY).frame) == 672


def _without_column(sheet: str, name: str) -> Callable:
    def edit(wb):
        header = [cell.value for cell in wb[sheet][1]]
        wb[sheet].delete_cols(header.index(name) + 1)
    return edit


def test_hire_date_may_be_left_out_unless_seniority_or_a_scenario_needs_it(tmp_path):
    # Without the column everyone is undated: no seniority, which is all it is for by default. The rules
    # that weigh requests by seniority, or a scenario certifying today's trainees, ask for it by name.
    center = read_center(edited_center(tmp_path, _without_column("Staff", "hire_date")))
    assert {e.hire_date for e in center.staff} == {None}
    assert {e.years_of_service(date(2026, 11, 30)) for e in center.staff} == {0}
    check_fit(center, Rules(center_name="Sample", timezone="America/Chicago"))
    with pytest.raises(InputError) as caught:
        check_fit(center, Rules(center_name="Sample", timezone="America/Chicago", seniority_weighting=True))
    weighed = {r.employee_id for r in center.requests} | {p.employee_id for p in center.preferences}
    first = next(e.id for e in center.staff if e.id in weighed)
    assert (caught.value.sheet, caught.value.column, caught.value.value) == ("Staff", "hire_date", first)
    scenarios = ScenarioSet(tmp_path / "s.toml", center.source, tmp_path / "r.toml", tmp_path / "f.csv",
                            date(2027, 1, 1), 12)
    with pytest.raises(InputError) as caught:
        check_hiring(center, scenarios, (date(2027, 1, 4),), Training())
    trainee = next(e.id for e in center.staff if e.is_trainee)
    assert (caught.value.sheet, caught.value.column, caught.value.value) == ("Staff", "hire_date", trainee)


def _leave_as_return_dates(wb):
    """Sheet Leave rewritten as an HR export gives it: the first day back instead of the last day off."""
    sheet = wb["Leave"]
    column = [cell.value for cell in sheet[1]].index("end_date") + 1
    sheet.cell(1, column).value = "return_date"
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row, column)
        if cell.value is not None:
            cell.value = day(cell.value) + timedelta(days=1)


def test_leave_may_give_the_first_day_back_instead_of_the_last_day_off(tmp_path):
    # The same leave either way: the header says which convention the dates follow (a straight copy of an
    # export's exclusive end into end_date would add a day to every leave, undetectably).
    assert read_center(edited_center(tmp_path, _leave_as_return_dates)).leave == read_center(CENTER).leave

    def both(wb):
        wb["Leave"].cell(1, wb["Leave"].max_column + 1).value = "return_date"
    result, out = run_build(tmp_path, center=edited_center(tmp_path, both))
    assert_one_error_line(result, out, "sheet Leave", "row 1", "column end_date and return_date")

    def back_the_same_day(wb):
        _leave_as_return_dates(wb)
        wb["Leave"]["C2"] = wb["Leave"]["B2"].value
    result, out = run_build(tmp_path, center=edited_center(tmp_path, back_the_same_day))
    assert_one_error_line(result, out, "sheet Leave", "row 2", "column return_date", "not after start_date")


# ------------------------------------------------------------------------------ every error in one pass


def test_a_bad_cell_is_one_error_not_one_per_row_that_refers_to_its_row(tmp_path):
    # E001 (Staff row 2) has a leave row: left out with its Staff row, not reported as an unknown employee.
    path = edited_center(tmp_path, _set("Staff", "E2", "maybe"))
    with pytest.raises(InputErrors) as caught:
        read_center(path)
    assert [(e.sheet, e.row, e.column) for e in caught.value.errors] == [("Staff", 2, "cto")]
    # The one error's fields and line, as before (InputErrors is an InputError).
    assert (caught.value.sheet, caught.value.row, caught.value.column, caught.value.total) == ("Staff", 2,
                                                                                              "cto", 1)
    assert str(caught.value) == (f"{CENTER_COPY}, sheet Staff, row 2, column cto: expected yes or no "
                                 "(value: 'maybe')")


def test_errors_come_in_the_order_of_the_tabs_and_rows_and_a_missing_sheet_says_what_waits(tmp_path):
    """Read in another order (Authorized first, Staff fifth), listed as the user sees the workbook. Without
    sheet Staff the rows of Leave are not checked against it, and its line says so; Leave's own bad cell is
    still found."""
    def edit(wb):
        wb["Leave"]["B4"] = "someday"
        wb["Authorized"]["B2"] = "many"
        del wb["Staff"]
    result, out = run_build(tmp_path, center=edited_center(tmp_path, edit))
    assert result.exit_code == 2 and not out.exists()
    assert result.output.splitlines() == [
        (f"Error: {CENTER_COPY}, sheet Leave, row 4, column start_date: expected a date (YYYY-MM-DD or an "
         "Excel date) (value: 'someday')"),
        (f"Error: {CENTER_COPY}, sheet Authorized, row 2, column authorized: expected a whole number (value: "
         "'many')"),
        (f"Error: {CENTER_COPY}, sheet Staff: missing sheet; add a sheet named Staff (see "
         "docs/center-workbook.md); the rows of other sheets that refer to it are checked once it reads"),
    ]


def test_the_list_stops_at_50_errors_and_counts_the_rest(tmp_path):
    def edit(wb):
        for row in range(2, 72):  # the 70 employees
            wb["Staff"][f"E{row}"] = "maybe"
    result, out = run_build(tmp_path, center=edited_center(tmp_path, edit))
    assert result.exit_code == 2 and not out.exists()
    lines = result.output.splitlines()
    assert len(lines) == 51
    assert lines[0].startswith(f"Error: {CENTER_COPY}, sheet Staff, row 2, column cto: expected yes or no")
    assert lines[49].startswith(f"Error: {CENTER_COPY}, sheet Staff, row 51, column cto: ")
    assert lines[50] == f"Error: {CENTER_COPY}: 20 more errors not listed; fix these and read it again"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(staff_rows=st.sets(st.integers(2, 71), max_size=8), leave_rows=st.sets(st.integers(2, 25), max_size=8))
def test_every_bad_cell_is_reported_once_in_tab_and_row_order(tmp_path, staff_rows, leave_rows):
    """Bad cto cells in Staff and bad start dates in Leave, anywhere: exactly those cells are reported,
    Staff's first (its tab comes first), each sheet's in row order. A Leave row of an employee whose Staff
    row is bad still has its own bad cell reported; nothing else is (its employee is not checked)."""
    def edit(wb):
        for row in staff_rows:
            wb["Staff"][f"E{row}"] = "maybe"
        for row in leave_rows:
            wb["Leave"][f"B{row}"] = "someday"
    path = edited_center(tmp_path, edit)
    expected = [("Staff", row, "cto") for row in sorted(staff_rows)]
    expected += [("Leave", row, "start_date") for row in sorted(leave_rows)]
    if not expected:
        assert len(read_center(path).staff) == 70
        return
    with pytest.raises(InputErrors) as caught:
        read_center(path)
    assert [(e.sheet, e.row, e.column) for e in caught.value.errors] == expected
