"""Sheet Roster for the wall (scheduler.io.roster_wall): staff grouped by position, shift codes with their
times, colours per shift family, leave and training, holidays and clock changes marked, weekly totals, a
legend, and the print setup (one page wide per week)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
from openpyxl import load_workbook

from scheduler.domain import Assignment, Horizon, Leave
from scheduler.io.roster_wall import FILLS, position_tags, roster_grid
from scheduler.io.roster_xlsx import RosterTables, write_roster
from scheduler.payroll import plan_holidays
from tests.factory import CALLS, DAY8, EVE8, NIGHT8, RADIO, START, center, employee, rules

TEMPLATES = {"D8": DAY8, "E8": EVE8, "N8": NIGHT8}


def shift(horizon: Horizon, eid: str, day: int, code: str, position: str) -> Assignment:
    return Assignment(eid, horizon.day(day), code, position, *horizon.shift_window(day, TEMPLATES[code]))


def tiny_center(**kwargs):
    staff = [replace(employee("E1", "RAD,CT"), name="Young"), replace(employee("E2", "CT"), name="Abel"),
             replace(employee("E3", "RAD"), name="Cole"),
             replace(employee("E4", "CT", job_class="trainee"), name="Baker")]
    return center(staff, positions=(RADIO, CALLS), **kwargs)


def test_rows_are_grouped_by_the_position_worked_most_and_cells_give_code_times_and_other_positions():
    # E1 works radio twice and call-taking once: a radio row, its call-taking day tagged C. E2 (nights) and
    # the trainee E4 (days) are call-takers: by shift family, day before night, though Abel sorts before
    # Baker. E3 works nothing, on vacation Tuesday: radio, the first position he is qualified for, after E1
    # (staff with shifts come by family first).
    horizon = Horizon(START, 7, rules().tz)
    c = tiny_center(leave=(Leave("E3", horizon.day(1), horizon.day(1), "VAC"),))
    shifts = [shift(horizon, "E1", 0, "D8", "radio"), shift(horizon, "E1", 1, "D8", "radio"),
              shift(horizon, "E1", 2, "E8", "ct"), shift(horizon, "E2", 0, "N8", "ct"),
              shift(horizon, "E4", 0, "D8", "ct")]
    wall = roster_grid(shifts, c, rules(), horizon)
    frame = wall.frame
    assert list(frame.columns) == ["position", "employee_id", "employee_name", "job_class", "Mon 11-30",
                                   "Tue 12-01", "Wed 12-02", "Thu 12-03", "Fri 12-04", "Sat 12-05",
                                   "Sun 12-06", "week 1 hours"]
    assert frame[["position", "employee_id"]].values.tolist() == [
        ["Radio", "E1"], ["Radio", "E3"], ["Call-taker", "E4"], ["Call-taker", "E2"]]
    assert frame.iloc[0, 4:7].tolist() == ["D8 0700-1500", "D8 0700-1500", "E8 1500-2300 C"]
    assert frame.iloc[3, 4] == "N8 2300-0700"
    assert frame.iloc[1, 5] == "VAC" and frame.iloc[1, 4] == ""
    assert frame["week 1 hours"].tolist() == [24, 0, 8, 8]
    # Colours: E1's day and evening shifts, the trainee's shift as training, E2's night, E3's leave.
    assert wall.kinds == {(0, "Mon 11-30"): "day", (0, "Tue 12-01"): "day", (0, "Wed 12-02"): "evening",
                          (2, "Mon 11-30"): "training", (3, "Mon 11-30"): "night", (1, "Tue 12-01"): "leave"}
    assert wall.notes == {}


def test_a_clock_change_marks_the_day_and_a_shift_across_it_shows_its_real_hours():
    # America/Chicago falls back on Sun 2026-11-01: the N8 from Saturday 23:00 to Sunday 07:00 works 9 hours,
    # and Sunday is a 25-hour day. A holiday given by name is marked in its header too.
    horizon = Horizon(date(2026, 10, 26), 7, rules().tz)
    shifts = [shift(horizon, "E1", 5, "N8", "radio")]
    wall = roster_grid(shifts, tiny_center(), rules(), horizon, holidays={date(2026, 10, 30): "Founders Day"})
    assert wall.frame.loc[wall.frame["employee_id"] == "E1", "Sat 10-31"].item() == "N8 2300-0700 (9 h)"
    assert wall.frame.loc[wall.frame["employee_id"] == "E1", "week 1 hours"].item() == 9
    assert wall.notes == {"Fri 10-30": "Founders Day", "Sun 11-01": "clocks back 1 h (25-hour day)"}


def test_position_tags_are_initials_lengthened_until_unique():
    # police_radio and police_rescue share the initials PR: both take the last word's next letter; fire_ct
    # keeps FC; "a-b" and "a_b" never separate (their words are the same): each keeps its id.
    ids = ("police_radio", "police_rescue", "fire_ct", "a-b", "a_b")
    positions = tuple(replace(RADIO, id=pid) for pid in ids)
    assert position_tags(center([], positions=positions)) == {
        "police_radio": "PRA", "police_rescue": "PRE", "fire_ct": "FC", "a-b": "a-b", "a_b": "a_b"}


def test_the_written_sheet_prints_one_page_wide_per_week_with_colours_legend_and_totals(tmp_path):
    # Two weeks: the header row and the position, id and name columns on every page, names frozen, a filter
    # over the grid, a page break after each week's total (column L: 4 fixed columns, 7 days, the total),
    # the plan's total printed with the last week, the legend inside the print area, colours as painted.
    horizon = Horizon(START, 14, rules().tz)
    shifts = [shift(horizon, "E1", 0, "D8", "radio"), shift(horizon, "E2", 8, "N8", "ct")]
    wall = roster_grid(shifts, tiny_center(), rules(), horizon)
    empty = pd.DataFrame()
    write_roster(tmp_path / "two-weeks.xlsx", RosterTables([("center", "Tiny")], wall, empty, empty, empty,
                                                          empty, empty))
    sheet = load_workbook(tmp_path / "two-weeks.xlsx")["Roster"]
    header = [c.value for c in sheet[1]]
    assert header[11] == "week 1 hours" and header[19:] == ["week 2 hours", "total hours"]
    assert sheet.freeze_panes == "E2" and sheet.auto_filter.ref == "A1:U5"
    assert sheet.page_setup.orientation == "landscape" and 10 <= sheet.page_setup.scale <= 100
    assert [b.id for b in sheet.col_breaks.brk] == [12]
    assert (sheet.print_title_rows, sheet.print_title_cols) == ("$1:$1", "$A:$C")
    legend = [sheet.cell(r, 3).value for r in range(7, sheet.max_row + 1)]
    assert legend[0] == "Legend" and "Shifts (day, evening, night)" in legend
    assert sheet.print_area == f"'Roster'!$A$1:$U${sheet.max_row}"
    e1 = next(r for r in range(2, 6) if sheet.cell(r, 2).value == "E1")
    assert sheet.cell(e1, 5).fill.fgColor.rgb.endswith(FILLS["day"])
    assert "Tiny: roster Mon 2026-11-30 to Sun 2026-12-13" in sheet.oddHeader.left.text


def test_the_rules_holiday_calendar_names_its_days_in_the_header():
    # The rules' default calendar is the US one: Thanksgiving 2026 is Thursday 11-26; an explicit date of the
    # rules file is named "Holiday".
    horizon = Horizon(date(2026, 11, 23), 7, rules().tz)
    r = rules(holiday_dates=(date(2026, 11, 27),))
    wall = roster_grid((), tiny_center(), r, horizon, plan_holidays(r, horizon))
    assert wall.notes == {"Thu 11-26": "Thanksgiving Day", "Fri 11-27": "Holiday"}


def test_the_open_shifts_sheet_prints_one_page_wide_to_post(tmp_path):
    # The posting: header row on every page and frozen, a filter, landscape, fit to one page wide (any
    # number of pages long), a wide employee_id column to write in, the center and plan in the page header.
    horizon = Horizon(START, 7, rules().tz)
    wall = roster_grid((), tiny_center(), rules(), horizon)
    posting = pd.DataFrame({"date": [START], "shift_code": ["D8"], "position": ["radio"],
                            "employee_id": [""]})
    empty = pd.DataFrame()
    tables = RosterTables([("center", "Tiny")], wall, empty, empty, posting, empty, empty)
    write_roster(tmp_path / "week.xlsx", tables)
    sheet = load_workbook(tmp_path / "week.xlsx")["Open shifts"]
    assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$1" and sheet.auto_filter.ref == "A1:D2"
    assert sheet.column_dimensions["D"].width == 16
    assert sheet.oddHeader.left.text == "Tiny: open shifts Mon 2026-11-30 to Sun 2026-12-06"
