"""`scheduler init DIR`: a new center's workbook, rules file and example forecast that read back as written
and build at once; drop-downs and checks on the right columns; nothing replaced without --force. And the
center workbook's errors, every one in a single pass."""

from __future__ import annotations

import re
import tomllib
from datetime import date, time
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from scheduler.cli import main
from scheduler.domain import (
    Center,
    DayOffRequest,
    Employee,
    Leave,
    Minimum,
    Pattern,
    Pin,
    Position,
    PositionKind,
    Rules,
    ShiftPreference,
    ShiftTemplate,
)
from scheduler.io.center import read_center
from scheduler.io.center_sheets import SHEETS
from scheduler.io.forecast import read_forecast
from scheduler.io.roster_xlsx import read_roster, shifts_from_rows
from scheduler.io.rules import LAYOUT, read_rules, rules_from, rules_text
from scheduler.model.settings import SolverSettings
from scheduler.pipeline import build, load_inputs

WEEK = date(2026, 12, 7)  # a Monday


def init(folder: Path, *more: str):
    return CliRunner().invoke(main, ["init", str(folder), "--week", str(WEEK), "--name", "Test Center",
                                     *more])


def test_init_writes_a_center_that_reads_back_as_written(tmp_path):
    folder = tmp_path / "mycenter"
    result = init(folder)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        (f"Center workbook: {folder}/center.xlsx (every sheet, one example row each: replace them with your "
         "center's)"),
        (f"Rules file:      {folder}/rules.toml (time zone America/Chicago; every other key commented out "
         "with its default)"),
        (f"Forecast:        {folder}/forecast-2026-12-07.csv (an example; make one from your call history "
         "with scheduler forecast)"),
        (f"Next:            scheduler build --center {folder}/center.xlsx --rules {folder}/rules.toml "
         f"--forecast {folder}/forecast-2026-12-07.csv --week 2026-12-07 --out {folder}/outputs"),
    ]
    # template.example_rows, as the domain objects the reader makes of them: every sheet and column
    center = read_center(folder / "center.xlsx")
    assert center == Center(
        source=folder / "center.xlsx",
        staff=(Employee("E001", "Example, Alex", "telecommunicator", frozenset({"CT"}), 8, date(2020, 1, 6),
                        cto=False, shift_codes=("D8",), contract_hours=40.0, max_overtime_hours=8.0),),
        shifts=(ShiftTemplate("D8", time(7), 8, "Day 8"),),
        positions=(Position("call_taker", "Call-taker", PositionKind.CALL_TAKING, "CT", ("911",), None, 1),),
        minimums=(Minimum("call_taker", frozenset(range(7)), 7, 15, 1),),
        leave=(Leave("E001", WEEK, WEEK, "VAC"),),
        requests=(DayOffRequest("E001", date(2026, 12, 12), 1),),
        authorized=(("telecommunicator", 2),),
        pins=(Pin("E001", date(2026, 12, 8), "D8", "call_taker"),),
        preferences=(ShiftPreference("E001", False, ("D8",), frozenset(range(5)), None, 1),),
        patterns=(Pattern("E001", "5x8", "WWWWWOO", WEEK),),
    )
    assert read_rules(folder / "rules.toml") == Rules("Test Center", "America/Chicago")  # every default
    forecast = read_forecast(folder / f"forecast-{WEEK}.csv").frame
    # Every hour of the week, 3 calls an hour by day and 1 at night: 16 x 3 + 8 x 1 = 56 a day.
    assert len(forecast) == 168
    assert (forecast["stream"].unique().tolist(), forecast["calls_p50"].sum()) == (["911"], 7 * 56)


def test_the_rules_file_lists_every_key_with_its_default():
    """Uncommenting every key that shows a value gives the defaults again, and every key is there: the file
    is made from the Rules declarations, so a setting added there is in it (with what it does)."""
    text = rules_text("X", "America/Chicago")
    uncommented = re.sub(r"(?m)^# (\w+ = (?!<).*)$", r"\1", text)
    assert rules_from(tomllib.loads(uncommented), Path("rules.toml")) == Rules("X", "America/Chicago")
    for section, keys in LAYOUT.items():
        for key, (_, setting) in keys.items():
            assert setting.doc, key
            assert re.search(rf"(?m)^(# )?{key} = ", text), key
        assert f"[{section}]" in text
    # A setting without a default shows what to give.
    assert "\n# patience_seconds = <number>" in text


def test_the_template_has_drop_downs_and_checks_on_the_right_columns(tmp_path):
    assert init(tmp_path).exit_code == 0
    wb = load_workbook(tmp_path / "center.xlsx")
    assert wb.sheetnames == [s.name for s in SHEETS]
    checks = {}
    for sheet in SHEETS:
        ws = wb[sheet.name]
        header = [c.value for c in ws[1]]
        assert header == [c.name for c in sheet.columns]
        for cell in ws[1]:  # every header says what it holds and whether it is required
            assert cell.comment is not None and re.search(r"\n(Required|Optional)", cell.comment.text), cell
        for check in ws.data_validations.dataValidation:
            # the data rows below the header
            cells = re.fullmatch(r"(?P<col>[A-Z])2:(?P=col)5001", str(check.sqref))
            assert cells, check.sqref
            column = header[column_index_from_string(cells["col"]) - 1]
            checks[sheet.name, column] = (check.type, check.formula1, check.formula2, check.showErrorMessage,
                                          check.errorStyle or "stop")  # None: Excel's default, stop
    assert checks[("Staff", "job_class")] == ("list", "job_classes", None, True, "stop")
    # A comma-separated list is right too: the drop-down suggests, nothing is refused.
    assert checks[("Staff", "qualifications")] == ("list", "qualifications", None, False, "stop")
    assert checks[("Staff", "shifts")] == ("list", "shift_codes", None, False, "stop")
    assert checks[("Staff", "cto")] == ("list", '"yes,no"', None, True, "stop")
    assert checks[("Staff", "shift_length")] == ("whole", "4", "16", True, "stop")
    assert checks[("Staff", "hire_date")][0] == "date"
    assert checks[("Leave", "employee_id")] == ("list", "employee_ids", None, True, "stop")
    assert checks[("Leave", "type")] == ("list", '"VAC,SICK,TRAIN,FMLA,COMP"', None, True, "warning")
    assert checks[("Pinned", "shift_code")] == ("list", "shift_codes", None, True, "stop")
    assert checks[("Pinned", "position")] == ("list", "position_ids", None, True, "stop")
    assert checks[("Minimums", "position")] == ("list", "position_ids", None, True, "stop")
    assert checks[("Minimums", "minimum")] == ("whole", "0", "500", True, "stop")
    assert checks[("Positions", "kind")] == ("list", '"call_taking,radio,supervisor"', None, True, "stop")
    assert checks[("Requests", "weight")] == ("whole", "1", "5", True, "stop")
    assert checks[("Authorized", "authorized")][:3] == ("whole", "0", None)
    assert ("Staff", "employee_id") not in checks and ("Positions", "qualification") not in checks
    # The lists run from row 2 to the column's last filled row: a position added is in the drop-down.
    assert {name: d.attr_text for name, d in wb.defined_names.items()} == {
        "employee_ids": "OFFSET('Staff'!$A$2,0,0,MAX(1,COUNTA('Staff'!$A:$A)-1),1)",
        "job_classes": "OFFSET('Authorized'!$A$2,0,0,MAX(1,COUNTA('Authorized'!$A:$A)-1),1)",
        "shift_codes": "OFFSET('Shifts'!$A$2,0,0,MAX(1,COUNTA('Shifts'!$A:$A)-1),1)",
        "position_ids": "OFFSET('Positions'!$A$2,0,0,MAX(1,COUNTA('Positions'!$A:$A)-1),1)",
        "qualifications": "OFFSET('Positions'!$D$2,0,0,MAX(1,COUNTA('Positions'!$D:$D)-1),1)",
    }
    assert wb["Shifts"].column_dimensions["B"].number_format == "@"  # HH:MM stays text


def test_init_never_replaces_files_without_force(tmp_path):
    assert init(tmp_path).exit_code == 0
    (tmp_path / "rules.toml").write_text("# edited\n", encoding="utf-8")
    (tmp_path / "center.xlsx").unlink()
    result = init(tmp_path)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert len(lines) == 1 and re.fullmatch(
        r"Error: rules\.toml: a rules file is already there \(written \S+\); give --force to replace it, or "
        r"another folder", lines[0]), lines
    assert not (tmp_path / "center.xlsx").exists()  # nothing of the set written
    assert (tmp_path / "rules.toml").read_text(encoding="utf-8") == "# edited\n"
    assert init(tmp_path, "--force").exit_code == 0
    assert read_rules(tmp_path / "rules.toml") == Rules("Test Center", "America/Chicago")


def test_a_bad_time_zone_writes_nothing(tmp_path):
    result = init(tmp_path / "c", "--timezone", "Mars/Olympus")
    assert (result.exit_code, result.output) == (
        2, ("Error: rules.toml: unknown time zone (value: 'Mars/Olympus'); use an IANA name such as "
            "America/Chicago\n"))
    assert not (tmp_path / "c").exists()


def test_the_template_filled_in_builds_and_its_roster_reads_back(tmp_path):
    """The way a user starts: init, then rows added in the spreadsheet (staff, a shift, a radio position
    with its floor, a larger budget), then build."""
    assert init(tmp_path).exit_code == 0
    wb = load_workbook(tmp_path / "center.xlsx")
    wb["Shifts"].append(["E8", "15:00", 8, "Evening 8"])
    wb["Positions"].append(["radio", "Radio", "radio", "RAD"])
    wb["Minimums"].append(["radio", "all", "07:00", "23:00", 1])
    wb["Staff"].append(["E002", "Second, Sam", "telecommunicator", "CT,RAD", "no", 8])
    wb["Staff"].append(["E003", "Third, Tia", "telecommunicator", "RAD", "no", 8, "E8"])
    wb["Staff"].append(["E004", "Fourth, Flo", "supervisor", "CT", "yes", 8, None, 40])
    wb["Authorized"]["B2"] = 4
    wb["Authorized"].append(["supervisor", 1])
    wb.save(tmp_path / "center.xlsx")
    inputs = load_inputs(tmp_path / "center.xlsx", tmp_path / "rules.toml", tmp_path / f"forecast-{WEEK}.csv",
                         WEEK, 7)
    assert [e.id for e in inputs.center.staff] == ["E001", "E002", "E003", "E004"]
    outcome = build(inputs, tmp_path / "outputs", SolverSettings(time_limit_s=2, workers=1, seed=1))
    assert outcome.draft is None and outcome.roster.passed
    written = sorted(outcome.roster.result.assignments, key=lambda a: (a.start, a.employee_id))
    shifts, problems = shifts_from_rows(read_roster(outcome.workbook).assignments)
    assert problems == []
    assert sorted(shifts, key=lambda a: (a.start, a.employee_id)) == written
    assert {a.employee_id for a in written} == {"E001", "E002", "E003", "E004"}
    assert {a.position for a in written} == {"call_taker", "radio"}


def test_five_errors_in_five_sheets_are_all_reported(tmp_path):
    """Reading no longer stops at the first bad cell: each error is its own line, in the order of the
    workbook's tabs and rows, exit 2, nothing written."""
    assert init(tmp_path).exit_code == 0
    wb = load_workbook(tmp_path / "center.xlsx")
    wb["Staff"].append(["E002", "Second, Sam", "telecommunicator", "CT", "no", "twelve"])  # row 3
    wb["Leave"]["C2"] = date(2026, 12, 6)  # before its start_date
    wb["Requests"]["A2"] = "E999"
    wb["Minimums"]["E2"] = 501
    wb["Authorized"].append(["supervisor", -1])  # row 3
    wb.save(tmp_path / "center.xlsx")
    out = tmp_path / "outputs"
    result = CliRunner().invoke(main, [
        "build", "--center", str(tmp_path / "center.xlsx"), "--rules", str(tmp_path / "rules.toml"),
        "--forecast", str(tmp_path / f"forecast-{WEEK}.csv"), "--week", str(WEEK), "--out", str(out)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        ("Error: center.xlsx, sheet Staff, row 3, column shift_length: expected a whole number "
         "(value: 'twelve')"),
        ("Error: center.xlsx, sheet Leave, row 2, column end_date: end_date before start_date "
         "(value: '2026-12-06')"),
        ("Error: center.xlsx, sheet Requests, row 2, column employee_id: unknown employee (value: 'E999'); "
         "use an employee_id from sheet Staff"),
        ("Error: center.xlsx, sheet Minimums, row 2, column minimum: the seats staffed at once, 0 to 500: "
         "more than 500 seats at one position is hours or people, not seats (value: 501)"),
        ("Error: center.xlsx, sheet Authorized, row 3, column authorized: must be a whole number, 0 or more "
         "(value: -1)"),
    ]
    assert not out.exists()
