"""Output files (scheduler.io.tables): no cell or CSV field is a formula, and a roster set (workbook,
Assignments CSV, change list) is written all or nothing, even when the writing process is killed."""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from scheduler.domain import Assignment, Horizon
from scheduler.io.roster_wall import roster_grid
from scheduler.io.roster_xlsx import RosterTables, assignments_frame, write_roster
from scheduler.io.tables import write_csv
from scheduler.payroll import pay_segments, payroll_tables
from tests.factory import DAY8, START, center, employee, rules

ROOT = Path(__file__).resolve().parents[1]
FORMULAS = ('=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(A1)")


def roster_tables(names) -> RosterTables:
    """A one-day roster of a tiny center whose employees E1, E2, ... are called `names`, each on a D8
    shift."""
    staff = [replace(employee(f"E{i}"), name=name) for i, name in enumerate(names, start=1)]
    tiny = center(staff)
    horizon = Horizon(START, 1, rules().tz)
    shifts = tuple(Assignment(e.id, START, "D8", "radio", *horizon.shift_window(0, DAY8)) for e in staff)
    segments = pay_segments(shifts, tiny, rules(), horizon)
    frame = assignments_frame(segments, tiny, horizon)
    small = pd.DataFrame({"position": ["radio"], "shortfall": [0]})
    penalties = pd.DataFrame({"rule": ["coverage"], "penalty": [-1.5]})  # negative: stays a number
    grid = roster_grid(shifts, tiny, rules(), horizon)
    return RosterTables([("center", names[0]), ("days", 1)], grid, frame, small, small, small, penalties,
                        payroll=payroll_tables(segments, tiny, rules(), horizon))


def test_names_that_look_like_formulas_are_written_as_text(tmp_path):
    workbook = tmp_path / "tiny.xlsx"
    csv_path = write_roster(workbook, roster_tables(FORMULAS))

    wb = load_workbook(workbook)  # not data_only: a formula would read back as one (data_type "f")
    assert [(ws.title, cell.coordinate) for ws in wb for row in ws.iter_rows() for cell in row
            if cell.data_type == "f"] == []
    sheet = wb["Assignments"]
    # Names read back exactly as written, as strings; hours and shift ids stay numbers.
    assert [(c.value, c.data_type) for c in sheet["B"][1:]] == [(name, "s") for name in FORMULAS]
    assert [(c.value, c.data_type) for c in sheet["F"][1:]] == [(8, "n")] * 4
    assert [c.value for c in sheet["J"][1:]] == [1, 2, 3, 4]
    names = [c.value for c in wb["Roster"]["C"][1:len(FORMULAS) + 1]]  # sorted by name in the position
    assert names == sorted(FORMULAS)
    assert wb["Run"]["B2"].value == FORMULAS[0] and wb["Run"]["B2"].data_type == "s"
    assert (wb["Penalties"]["B2"].value, wb["Penalties"]["B2"].data_type) == (-1.5, "n")

    with csv_path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    # A leading quote makes a spreadsheet show the field as text; the rest of the row is as before.
    assert [r["employee_name"] for r in rows] == ["'" + name for name in FORMULAS]
    assert rows[0] == {
        "employee_id": "E1", "employee_name": '\'=HYPERLINK("http://x","y")', "position": "radio",
        "start": "2026-11-30 07:00", "end": "2026-11-30 15:00", "hours": "8.0", "pay_code": "REG",
        "shift_code": "D8", "shift_date": "2026-11-30", "shift_id": "1",
        "start_utc_offset": "-06:00", "end_utc_offset": "-06:00",  # the contract's offsets: no quote
    }


def test_csv_quotes_formula_text_but_leaves_numbers(tmp_path):
    path = tmp_path / "t.csv"
    frame = pd.DataFrame({"name": ["@cmd", "\tx", "ok", "-5", "+01:00"], "value": [-1.5, -2, 0, 1, 2]})
    write_csv(path, frame)
    # Text with a formula's first character gets the quote (even "-5": it is text here) except a UTC offset
    # (the contract's offset columns); numbers, negative ones too, are written as numbers.
    assert path.read_text() == "name,value\n'@cmd,-1.5\n'\tx,-2.0\nok,0.0\n'-5,1.0\n+01:00,2.0\n"


def test_a_change_list_is_written_in_the_roster_set(tmp_path):
    workbook = tmp_path / "tiny-repaired.xlsx"
    changes = tmp_path / "tiny-repaired-changes.csv"
    write_roster(workbook, roster_tables(["A"]), {changes: pd.DataFrame({"employee_id": ["E1"]})})
    # Workbook, Assignments and Open shifts CSVs, payroll CSV and JSON and change list; no temporary left.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "tiny-repaired-assignments.csv", "tiny-repaired-changes.csv", "tiny-repaired-open-shifts.csv",
        "tiny-repaired-payroll.csv", "tiny-repaired-payroll.json", "tiny-repaired.xlsx"]
    assert changes.read_text() == "employee_id\nE1\n"


# Writes a roster set of new names whose CSV writing stalls once it has written a CSV (pandas' to_csv, which
# every CSV of the set goes through): the parent kills the process there.
SLOW_WRITER = """
import sys, time
from pathlib import Path
import pandas as pd
from scheduler.io.roster_xlsx import write_roster
from tests.test_output_files import roster_tables

to_csv = pd.DataFrame.to_csv
def slow_to_csv(self, *args, **kwargs):
    to_csv(self, *args, **kwargs)
    print("written", flush=True)
    time.sleep(120)
pd.DataFrame.to_csv = slow_to_csv
write_roster(Path(sys.argv[1]), roster_tables(["New"]))
"""


def _kill_mid_write(workbook: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(workbook)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "written\n"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()  # a no-op once killed; ends a child whose output was not the expected one
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL


def _visible(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


def test_a_write_killed_midway_leaves_the_old_set_and_the_next_cleans_up(tmp_path):
    workbook = tmp_path / "tiny.xlsx"
    write_roster(workbook, roster_tables(["Old"]))
    old = _visible(tmp_path)

    _kill_mid_write(workbook)
    # The old workbook beside the old CSV, byte for byte: never a new workbook beside the old CSV.
    assert _visible(tmp_path) == old
    leftovers = sorted(re.sub(r"\.[^.]+\.tmp$", "", p.name) for p in tmp_path.iterdir() if p.name[0] == ".")
    # The killed run's hidden temporaries `.<name>.<random>.tmp`: the workbook and the first CSV were written
    # when it was killed (the payroll's CSV and JSON come after them).
    assert leftovers == [".tiny-assignments.csv", ".tiny.xlsx"]

    write_roster(workbook, roster_tables(["Next"]))
    # The next write removes them and leaves only its own set.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "tiny-assignments.csv", "tiny-open-shifts.csv", "tiny-payroll.csv", "tiny-payroll.json", "tiny.xlsx"]
    assert "Next" in (tmp_path / "tiny-assignments.csv").read_text()


def test_a_first_write_killed_midway_leaves_nothing(tmp_path):
    _kill_mid_write(tmp_path / "tiny.xlsx")
    assert _visible(tmp_path) == {}  # no half set: neither the workbook nor the CSV


def test_after_a_second_ctrl_c_no_set_is_put_in_place(tmp_path):
    # A second Ctrl-C cancels the writes (cli_options): its KeyboardInterrupt may be swallowed by a finalizer
    # running at that moment (a ZipFile's __del__ did, and the roster was written), the cancellation is not.
    # In a child process: the cancellation is for the rest of a process's life.
    code = ("import sys, pandas as pd; from pathlib import Path\n"
            "from scheduler.io.tables import cancel_writes, write_csv\ncancel_writes()\n"
            "try:\n    write_csv(Path(sys.argv[1]), pd.DataFrame({'a': [1]}))\n"
            "except KeyboardInterrupt:\n    print('cancelled')")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "set.csv")], capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "cancelled"
    assert list(tmp_path.iterdir()) == []  # neither the file nor its temporary


def test_the_charts_sheet_holds_required_and_scheduled_by_position_and_service_against_the_target(tmp_path):
    # Two positions over three hours: a table of hours with each position's required and scheduled seats and
    # the queue's simulated share beside the target, and native line charts (one per position, one of
    # service: openpyxl does not read charts back, so the chart XML is looked at in the file).
    starts = pd.date_range("2026-11-30 00:00", periods=3, freq="h")
    coverage = pd.DataFrame({"start": list(starts) * 2, "start_utc_offset": ["-06:00"] * 6,
                             "position": ["police_ct"] * 3 + ["radio"] * 3, "required": [2, 3, 3, 1, 1, 1],
                             "scheduled": [2, 2, 3, 1, 0, 1], "shortfall": [0, 1, 0, 0, 1, 0]})
    service = pd.DataFrame({"start": starts, "position": ["police_ct"] * 3,
                            "answered_within_15s": [0.97, 0.71, 0.93]})
    tables = replace(roster_tables(["Ames"]), coverage=coverage, service=service, target=(15, 0.9))
    workbook = tmp_path / "charted.xlsx"
    write_roster(workbook, tables)
    sheet = load_workbook(workbook)["Charts"]
    assert [c.value for c in sheet[1]] == ["start", "start_utc_offset", "police_ct required",
                                           "police_ct scheduled", "radio required", "radio scheduled",
                                           "police_ct within 15 s", "target"]
    assert [c.value for c in sheet["D"][1:]] == [2, 2, 3] and [c.value for c in sheet["H"][1:]] == [0.9] * 3
    with zipfile.ZipFile(workbook) as xlsx:
        charts = sorted(n for n in xlsx.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 3 and all(b"<lineChart>" in xlsx.read(n) for n in charts)
    draft = replace(tables, coverage=pd.DataFrame(), service=pd.DataFrame())
    write_roster(tmp_path / "draft.xlsx", draft)  # a draft's empty report sheets: no table, no chart
    assert load_workbook(tmp_path / "draft.xlsx")["Charts"].max_row == 1
