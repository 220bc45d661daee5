"""Alarms (report.alarms, printed by the CLI): radio and supervisor positions left empty or under their
requirement, as contiguous local time ranges read from the Coverage table."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from scheduler.cli_output import alarm_lines
from scheduler.domain import Assignment, Horizon, Position, PositionKind
from scheduler.report import alarms, coverage_table, summarize
from tests.factory import CALLS, DAY8, EVE8, NIGHT8, RADIO, START, center, employee, model_data, rules

TZ = rules().tz

SUPERVISOR = Position("supervisor", "Floor supervisor", PositionKind.SUPERVISOR, "SUP")


def shift(eid: str, template, position: str, day: int = 0) -> Assignment:
    horizon = Horizon(START, day + 1, TZ)
    return Assignment(eid, horizon.day(day), template.code, position, *horizon.shift_window(day, template))


def summary_of(staff, positions, shifts, days: int = 1, required=None):
    c = center(staff, positions=positions)
    data = model_data(c, days, required)
    return summarize(tuple(shifts), c, coverage_table(tuple(shifts), c, data.rules, data.requirements), [])


def test_an_empty_console_is_listed_by_range_and_hours_under_the_requirement_are_counted():
    # Radio needs 2 seats 07-15 and 1 otherwise; one day shift (07-15) leaves it at 1 of 2 for those 8 hours
    # and empty for the other 16, in two ranges (the day wraps at midnight: no night shift carries in). The
    # call-taking position, empty all day, raises no alarm: its shortfall shows as calls answered late.
    radio = [1] * 24
    radio[7:15] = [2] * 8
    s = summary_of([employee("A")], (RADIO, CALLS), [shift("A", DAY8, "radio")],
                   required={"radio": radio, "ct": 1})
    assert alarm_lines(s) == [
        ("Alarm:                Radio empty 16 h (0 of 1): Mon 11-30 00:00-07:00, Mon 11-30 15:00-24:00; "
         "under its requirement another 8 h in 1 range")]
    (alarm,) = s.alarms
    assert [(r.hours, r.most_required) for r in alarm.short] == [(8, 2)]


def test_a_covered_roster_prints_no_alarm():
    # Three shifts cover the radio's one seat all day; hours with no seat required and nobody on duty (the
    # supervisor's) are no alarm either.
    staff = [employee("A"), employee("B"), employee("C")]
    shifts = [shift("A", DAY8, "radio"), shift("B", EVE8, "radio"), shift("C", NIGHT8, "radio")]
    s = summary_of(staff, (RADIO, SUPERVISOR), shifts, required={"radio": 1})
    assert s.alarms == ()
    assert alarm_lines(s) == []


def test_a_range_across_midnight_names_both_days_and_the_seats_it_lacks():
    # The supervisor seat is required 20:00-24:00 on Monday (1 seat) and 00:00-03:00 on Tuesday (2 seats):
    # one 7-hour range ending on the next day, 0 of 1-2. Radio at 1 of 2 for 8 hours is under its
    # requirement but never empty.
    required, radio = [0] * 48, [0] * 48
    required[20:27] = [1] * 4 + [2] * 3
    radio[7:15] = [2] * 8
    s = summary_of([employee("A")], (RADIO, SUPERVISOR), [shift("A", DAY8, "radio")], days=2,
                   required={"supervisor": required, "radio": radio})
    assert [str(a) for a in s.alarms] == [
        "Radio under its requirement 8 h in 1 range, never empty",
        "Floor supervisor empty 7 h (0 of 1-2): Mon 11-30 20:00-Tue 12-01 03:00",
    ]


def test_a_range_ends_an_hour_after_its_last_start_in_real_time_across_fall_back():
    # 2026-11-01 in Chicago has two 01:00 hours. Empty in the first two hours (00:00 and the first 01:00,
    # both CDT): the range ends at the second 01:00 (CST), 2 real hours later; wall-clock arithmetic on the
    # last start would have said 02:00, which is 3 real hours from midnight.
    horizon = Horizon(date(2026, 11, 1), 1, TZ)
    starts = [horizon.slot_start(s) for s in range(horizon.n_slots)]
    coverage = pd.DataFrame({"start": starts, "position": "radio", "required": [1] * 2 + [0] * 23,
                             "scheduled": 0})
    (alarm,) = alarms(coverage, center([]))
    assert str(alarm) == "Radio empty 2 h (0 of 1): Sun 11-01 00:00-01:00"
    assert alarm.empty[0].end == datetime(2026, 11, 1, 1, fold=1, tzinfo=horizon.tz)


def test_a_line_names_at_most_eight_empty_ranges():
    # Ten one-hour gaps, every other hour from midnight: the line names the first eight (LISTED_RANGES) and
    # counts the rest, so a long plan's alarm stays one readable line.
    horizon = Horizon(START, 1, TZ)
    required = [1 if slot % 2 == 0 and slot < 20 else 0 for slot in range(24)]
    coverage = pd.DataFrame({"start": [horizon.slot_start(s) for s in range(24)], "position": "radio",
                             "required": required, "scheduled": 0})
    (alarm,) = alarms(coverage, center([]))
    listed = ", ".join(f"Mon 11-30 {h:02d}:00-{h + 1:02d}:00" for h in range(0, 16, 2))
    assert str(alarm) == f"Radio empty 10 h (0 of 1): {listed} and 2 more"
