"""Open shifts cut into the center's shift templates (scheduler.open_shifts), the independent check of the
sheet (checker.sheets.check_open_shifts), and sign-ups read back as pins (`build --pinned`, io.pins)."""

from __future__ import annotations

import csv
import itertools
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from scheduler.checker import check_open_shifts
from scheduler.cli import main
from scheduler.domain import Assignment, Horizon, Leave, Requirements, ShiftTemplate
from scheduler.errors import InputError
from scheduler.io.center import read_center
from scheduler.io.pins import read_signups
from scheduler.open_shifts import OPEN_SHIFT_COLUMNS, cut, open_shifts, template_blocks
from scheduler.report import coverage_table
from scheduler.roster import sheet_rows
from tests.factory import DAY8, EVE8, NIGHT8, START, center, employee, hours, model_data, rules
from tests.test_scenarios import write_center, write_forecast

DAY12 = ShiftTemplate("D12", time(6), 12)
NIGHT12 = ShiftTemplate("N12", time(18), 12)
WITH_12 = (DAY8, EVE8, NIGHT8, DAY12, NIGHT12)


def posted(data, shifts=()) -> tuple[list[tuple], list]:
    """The Open shifts table of a roster (`shifts`) on a tiny plan as (date, code, local start, hours, hours
    short) rows, and what the independent checker finds in it (always asserted empty by the callers)."""
    coverage = coverage_table(tuple(shifts), data.center, data.rules, data.requirements, data.history)
    table = open_shifts(coverage, tuple(shifts), data.center, data.rules, data.horizon, data.history)
    assert list(table.columns) == list(OPEN_SHIFT_COLUMNS)
    found = check_open_shifts(sheet_rows(table), list(shifts), data.center, data.requirements, data.history)
    rows = [(r.date, r.shift_code, f"{r.start:%a %H:%M}", r.hours, r.hours_short) for r in table.itertuples()]
    return rows, found


# ------------------------------------------------------------------------- the cut: exact blocks, tiny plans

def test_a_one_hour_gap_is_the_one_template_running_then():
    # Short Mon 10:00-11:00: only D8 (07:00-15:00) runs then; 7 of its 8 hours are not short.
    rows, found = posted(model_data(center([]), required={"radio": hours(0, 10, 11, 24)}))
    assert rows == [(START, "D8", "Mon 07:00", 8.0, 1)] and found == []


def test_an_eight_hour_gap_is_the_template_that_fits_it():
    rows, found = posted(model_data(center([]), required={"radio": hours(0, 15, 23, 24)}))
    assert rows == [(START, "E8", "Mon 15:00", 8.0, 8)] and found == []


def test_a_24_hour_gap_takes_the_fewest_blocks_two_12_hour_shifts_not_three_8_hour_ones():
    # A one-day plan is a cycle: N12 Mon 18:00 runs past its end into Mon 00:00-06:00 (Horizon.covered_slots),
    # as a roster shift would. 24 hours posted, all short.
    rows, found = posted(model_data(center([], shifts=WITH_12), required={"radio": 1}))
    assert rows == [(START, "D12", "Mon 06:00", 12.0, 12), (START, "N12", "Mon 18:00", 12.0, 12)]
    assert found == []


def test_a_gap_no_template_fits_well_takes_the_fewest_hours_among_the_fewest_blocks():
    # Short 16:00-18:00: D12 (12 h) and E8 (8 h) each cover it in one block; E8 adds 6 hours not short, D12
    # 10.
    rows, found = posted(model_data(center([], shifts=WITH_12), required={"radio": hours(0, 16, 18, 24)}))
    assert rows == [(START, "E8", "Mon 15:00", 8.0, 2)] and found == []


def test_two_seats_short_post_the_template_twice():
    # Two seats short 07:00-15:00 and one 15:00-23:00: D8 twice and E8 once, each wholly short.
    need = [a + b for a, b in zip(hours(0, 7, 15, 24), hours(0, 7, 23, 24), strict=True)]
    rows, found = posted(model_data(center([]), required={"radio": need}))
    assert rows == [(START, "D8", "Mon 07:00", 8.0, 8), (START, "D8", "Mon 07:00", 8.0, 8),
                    (START, "E8", "Mon 15:00", 8.0, 8)]
    assert found == []


def test_overlapping_blocks_credit_an_hour_once_to_the_first_running():
    # Short 06:00-20:00 (14 h): two blocks at least, D12 06:00-18:00 (the one template running at 06:00) with
    # E8 15:00-23:00 (20 h posted) rather than N12 18:00-06:00 (24 h). 15:00-18:00 runs both: credited to
    # D12, the first by start.
    rows, found = posted(model_data(center([], shifts=WITH_12), required={"radio": hours(0, 6, 20, 24)}))
    assert rows == [(START, "D12", "Mon 06:00", 12.0, 12), (START, "E8", "Mon 15:00", 8.0, 2)]
    assert found == []


def test_a_gap_at_a_chained_plans_end_is_a_last_day_shift_running_past_it():
    # With a previous roster (past=()) the plan's end is open: N12 Tue 18:00 covers Tue 20:00-24:00 in one
    # block and runs 6 hours into the next plan, which nothing covers here (no wrap to Monday).
    data = model_data(center([], shifts=WITH_12), days=2, required={"radio": hours(1, 20, 24, 48)}, past=())
    rows, found = posted(data)
    assert rows == [(date(2026, 12, 1), "N12", "Tue 18:00", 12.0, 4)] and found == []


def test_hours_no_template_covers_are_posted_as_runs_without_a_code():
    # Chained plan, two seats short Mon 00:00-03:00: only Sunday's N8 (not in the plan) could cover them. Two
    # runs of 3 hours without a shift code, one per seat, nobody to sign up.
    need = [2 if h < 3 else 0 for h in range(24)]
    data = model_data(center([employee("A")]), required={"radio": need}, past=())
    rows, found = posted(data)
    assert rows == [(START, "", "Mon 00:00", 3.0, 3)] * 2 and found == []


def test_a_dst_night_block_runs_its_real_hours():
    # 2026-11-01, America/Chicago falls back at 02:00: N8 Sat 23:00 -> Sun 07:00 wall-clock is 9 real hours,
    # and the 9 hours short through that night are one block of 9 hours.
    horizon = Horizon(date(2026, 10, 31), 2, rules().tz)
    assert horizon.n_slots == 49
    need = np.zeros(horizon.n_slots, dtype=int)
    need[23:32] = 1  # Sat 23:00 to Sun 07:00 (the second 01:00 included)
    data = model_data(center([]), days=2)
    data = replace(data, horizon=horizon, requirements=Requirements(
        horizon, {"radio": need}, {"radio": np.zeros_like(need)}, {}))
    rows, found = posted(data)
    assert rows == [(date(2026, 10, 31), "N8", "Sat 23:00", 9.0, 9)] and found == []


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 2), min_size=48, max_size=48))
def test_the_cut_is_the_fewest_blocks_then_the_fewest_hours(short):
    # Against every choice of 0-2 copies of each of the 10 template occurrences of a 2-day plan (a cycle).
    data = model_data(center([], shifts=WITH_12), days=2)
    candidates = template_blocks(data.center, data.horizon, None)
    short = np.array(short)
    blocks = cut(short, candidates)
    runs = np.zeros((len(candidates), 48), dtype=int)
    for i, block in enumerate(candidates):
        runs[i, list(block.slots)] = 1
    choices = np.array(list(itertools.product(range(3), repeat=len(candidates))))
    feasible = choices[((choices @ runs) >= short).all(axis=1)]
    count = feasible.sum(axis=1)
    fewest = count.min()
    least_hours = (feasible[count == fewest] @ np.array([b.hours for b in candidates])).min()
    assert (len(blocks), sum(b.hours for b in blocks)) == (fewest, least_hours)


# ------------------------------------------------------------------------------------------ who could take it

def test_staff_eligible_and_overtime_for_all():
    # A D8 radio block Monday. A (contract 0: all overtime) and G (contract 40) could take it; not B (12-hour
    # shifts), C (not radio-qualified), D (on leave), E (working Monday already), T (a trainee, never
    # coverage), H (contract 0 with at most 4 overtime hours: 8 would break the weekly cap).
    staff = [employee("A", contract_hours=0), employee("B", length=12), employee("C", "CT"), employee("D"),
             employee("E"), employee("T", job_class="trainee"), employee("G"),
             employee("H", contract_hours=0, max_overtime_hours=4)]
    tiny = center(staff, leave=(Leave("D", START, START, "VAC"),))
    data = model_data(tiny, required={"radio": hours(0, 8, 9, 24)})
    working = Assignment("E", START, "E8", "radio", *data.horizon.shift_window(0, EVE8))
    coverage = coverage_table((working,), tiny, data.rules, data.requirements)
    table = open_shifts(coverage, (working,), tiny, data.rules, data.horizon)
    assert table[["shift_code", "staff_eligible", "overtime_for_all"]].values.tolist() == [["D8", 2, "no"]]
    # Without G, the one who could take it would work overtime.
    alone = replace(tiny, staff=tuple(e for e in staff if e.id != "G"))
    table = open_shifts(coverage, (working,), alone, data.rules, data.horizon)
    assert table[["staff_eligible", "overtime_for_all"]].values.tolist() == [[1, "yes"]]
    # Overtime as the pay rules define it: with a threshold of 8 h a period, A (contract 0) takes the block
    # without overtime.
    paid = replace(data.rules, overtime_threshold_hours=8)
    table = open_shifts(coverage, (working,), alone, paid, data.horizon)
    assert table[["staff_eligible", "overtime_for_all"]].values.tolist() == [[1, "no"]]


# --------------------------------------------------------------------------------- the checker catches a lie

@pytest.fixture()
def sheet():
    """The Open shifts rows (as the checker reads a sheet) of a one-day plan short 07:00-23:00 (D8 + E8)."""
    data = model_data(center([]), required={"radio": hours(0, 7, 23, 24)})
    coverage = coverage_table((), data.center, data.rules, data.requirements)
    rows = sheet_rows(open_shifts(coverage, (), data.center, data.rules, data.horizon))
    assert [(r["shift_code"], r["hours_short"]) for r in rows] == [("D8", 8), ("E8", 8)]
    return data, rows


def details(data, rows) -> list[str]:
    return [f"{v.when}: {v.detail}" for v in check_open_shifts(rows, [], data.center, data.requirements)]


def test_the_checker_finds_short_hours_left_unposted(sheet):
    data, rows = sheet
    assert details(data, rows[:1]) == [
        "Mon 2026-11-30 15:00: radio: 8 short position-hours posted in no row (8 hours)"]


def test_the_checker_finds_a_wrong_count_of_short_hours(sheet):
    data, rows = sheet
    rows[1]["hours_short"] = 7
    assert details(data, rows) == [
        "row 3: radio: hours_short says 7, 8 of its hours are short and not taken by an earlier row"]


def test_the_checker_finds_a_block_that_is_no_template_occurrence(sheet):
    # E8 moved an hour later: not E8 as it runs on Monday (and 15:00-16:00 left unposted).
    data, rows = sheet
    rows[1]["start"] = rows[1]["start"].replace(hour=16)
    assert details(data, rows) == [
        ("row 3: E8 on 2026-11-30 runs Mon 2026-11-30 15:00 to Mon 2026-11-30 23:00 (8 h), not as the row "
         "says"),
        "Mon 2026-11-30 15:00: radio: 8 short position-hours posted in no row (8 hours)"]


def test_the_checker_finds_a_block_posting_no_short_hour_and_a_run_a_template_covers(sheet):
    data, rows = sheet
    extra = {**rows[0], "row": 4}  # D8 again: every hour of it already credited to row 2
    run = {**rows[1], "shift_code": "", "row": 5}  # E8's hours again, without a code
    assert details(data, [*rows, extra, run]) == [
        "row 5: no shift code, yet a shift template covers Mon 2026-11-30 15:00: post that template's block",
        "row 4: radio: hours_short says 8, 0 of its hours are short and not taken by an earlier row"]


# ------------------------------------------------------------------------------ sign-ups back in (--pinned)

@pytest.fixture()
def tiny_files(tmp_path) -> Path:
    """tests.test_scenarios' tiny center (8 telecommunicators, a supervisor; two call-taking positions; D8,
    E8, N8), its forecast and rules."""
    write_center(tmp_path / "center.xlsx")
    write_forecast(tmp_path / "forecast.csv")
    (tmp_path / "rules.toml").write_text(
        '[center]\nname = "Tiny"\ntimezone = "America/Chicago"\n\n[labor]\nmin_days_off = 1\n'
        "weekend_off_every_weeks = 0\n", encoding="utf-8")
    return tmp_path


def build(folder: Path, out: str, *extra: str):
    return CliRunner().invoke(main, [
        "build", "--center", str(folder / "center.xlsx"), "--rules", str(folder / "rules.toml"),
        "--forecast", str(folder / "forecast.csv"), "--week", "2026-11-30", "--out", str(folder / out),
        "--time-limit", "2", "--workers", "1", *extra])


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_a_signed_up_open_shift_is_in_the_roster_built_with_pinned(tiny_files):
    first = build(tiny_files, "first")
    assert first.exit_code == 0, first.output
    posting = tiny_files / "first" / "tiny-2026-11-30-open-shifts.csv"
    rows = read_csv(posting)
    assert f"posted as {len(rows)} open shifts" in first.output and rows
    taken = next(r for r in rows if r["shift_code"])
    taken["employee_id"] = "T3"  # every T qualifies for both call-taking positions and works 8-hour shifts
    with posting.open("w", newline="", encoding="utf-8") as file:  # filled in where it was posted
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    second = build(tiny_files, "second", "--pinned", str(posting))
    assert second.exit_code == 0, second.output
    assert f"Sign-ups: 1 open shift pinned from {posting}" in second.output
    shifts = {(r["employee_id"], r["shift_date"], r["shift_code"], r["position"])
              for r in read_csv(tiny_files / "second" / "tiny-2026-11-30-assignments.csv")}
    assert ("T3", taken["date"], taken["shift_code"], taken["position"]) in shifts
    # The roster records the sign-ups as an input: check reads them back (and verifies them) like the rest.
    checked = CliRunner().invoke(main, ["check", str(tiny_files / "second" / "tiny-2026-11-30.xlsx")])
    assert checked.exit_code == 0 and checked.output.startswith("OK: "), checked.output
    # The signed-up employee calls out sick for that shift: the call-out wins over the sign-up, whose open
    # hours the repair may give to a volunteer.
    start = datetime.fromisoformat(taken["start"])
    repaired = CliRunner().invoke(main, [
        "repair", str(tiny_files / "second" / "tiny-2026-11-30.xlsx"),
        "--now", f"{start - timedelta(hours=1):%Y-%m-%d %H:%M}",
        "--callout", f"T3,{start},{datetime.fromisoformat(taken['end'])}", "--volunteer", "T4",
        "--time-limit", "2", "--workers", "1", "--out", str(tiny_files / "repaired")])
    assert repaired.exit_code == 0, repaired.output
    fixed = tiny_files / "repaired" / "tiny-2026-11-30-repaired"
    assert ("T3", taken["date"]) not in {(r["employee_id"], r["shift_date"])
                                         for r in read_csv(fixed.with_name(f"{fixed.name}-assignments.csv"))}
    checked = CliRunner().invoke(main, ["check", str(fixed.with_suffix(".xlsx"))])
    assert checked.exit_code == 0 and checked.output.startswith("OK: "), checked.output
    # Built with --force over the first roster, the new posting would be written over the sign-ups: refused.
    over = build(tiny_files, "first", "--pinned", str(posting), "--force")
    assert over.exit_code == 2
    assert over.output.splitlines()[-1] == (
        "Error: tiny-2026-11-30-open-shifts.csv: the roster built would be written over its own sign-ups; "
        "build into another --out folder, or save the filled posting under another name")
    assert any(r["employee_id"] == "T3" for r in read_csv(posting))


def posting_with(path: Path, *rows: dict) -> Path:
    header = ["date", "weekday", "shift_code", "position", "hours_short", "employee_id"]
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_bad_sign_up_row_is_one_error_line_before_any_solve(tiny_files):
    filled = posting_with(tiny_files / "signed.csv",
                          {"date": "2026-12-01", "shift_code": "D8", "position": "police_ct"},
                          {"date": "2026-12-01", "shift_code": "E8", "position": "police_ct",
                           "employee_id": "E999"})
    result = build(tiny_files, "out", "--pinned", str(filled))
    assert result.exit_code == 2 and not (tiny_files / "out").exists()
    assert result.output.splitlines() == [
        ("Error: signed.csv, row 3, column employee_id: unknown employee (value: 'E999'); use an employee_id "
        "from sheet Staff")]


@pytest.mark.parametrize(("row", "message"), [
    ({"date": "2026-12-01", "shift_code": "D8", "position": "police_ct", "employee_id": "S1"},
     ("signed.csv, row 2, column shift_code: S1 cannot work D8 at police_ct (shift length, bid or "
     "qualification) (value: 'D8')")),
    ({"date": "2026-12-09", "shift_code": "D8", "position": "police_ct", "employee_id": "T1"},
     ("signed.csv, row 2, column date: not a day of the plan (value: '2026-12-09'); give the posting of the "
     "plan 2026-11-30 to 2026-12-06")),
    ({"date": "2026-11-30", "shift_code": "", "position": "police_ct", "employee_id": "T1"},
     ("signed.csv, row 2, column employee_id: no shift template covers these hours: nothing to sign up for "
     "(value: 'T1'); clear its employee_id (only a holdover can cover them)")),
    ({"date": "2026-11-30", "shift_code": "D8", "position": "police_ct"},
     ("signed.csv, column employee_id: no row has an employee_id: nobody signed up; write the id of whoever "
     "took a shift in its row")),
])
def test_sign_up_rows_are_checked_as_pins(tiny_files, row, message):
    # S1 is a supervisor without police call-taking (tests.test_scenarios.STAFF): not qualified.
    tiny = read_center(tiny_files / "center.xlsx")
    tiny = replace(tiny, staff=tuple(replace(e, qualifications=frozenset({"SUP"})) if e.id == "S1" else e
                                     for e in tiny.staff))
    with pytest.raises(InputError) as error:
        read_signups(posting_with(tiny_files / "signed.csv", row), tiny, Horizon(START, 7, rules().tz))
    assert str(error.value) == message


def test_two_sign_ups_on_one_day_are_refused_and_a_workbook_is_read_from_its_open_shifts_sheet(tiny_files):
    tiny = read_center(tiny_files / "center.xlsx")
    horizon = Horizon(START, 7, rules().tz)
    book = tiny_files / "posting.xlsx"
    wb = load_workbook(tiny_files / "center.xlsx")  # any workbook: the posting is its sheet Open shifts
    ws = wb.create_sheet("Open shifts")
    ws.append(["date", "shift_code", "position", "employee_id"])
    ws.append([datetime(2026, 12, 2), "N8", "fire_ct", "T2"])
    ws.append([datetime(2026, 12, 3), "D8", "police_ct", None])
    wb.save(book)
    assert [(p.employee_id, p.day, p.shift_code, p.position) for p in read_signups(book, tiny, horizon)] == [
        ("T2", date(2026, 12, 2), "N8", "fire_ct")]
    ws["D3"] = "T2"
    ws["A3"] = datetime(2026, 12, 2)
    wb.save(book)
    with pytest.raises(InputError) as error:
        read_signups(book, tiny, horizon)
    assert str(error.value) == ("posting.xlsx, sheet Open shifts, row 3, column date: a second pinned shift "
                                "on the same day (value: '2026-12-02')")
