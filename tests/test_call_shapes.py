"""Call history shapes and data quality (issue 24): wide hourly exports, handle time from the log, repeated
hours with two counts, gaps as missing data (scheduler.io.call_log and the modules it reads through).

Every file is written by its test; times are America/New_York in January (EST, UTC-5) unless said."""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler.errors import InputError
from scheduler.io.call_log import read_call_log, read_stream_mapping
from scheduler.io.call_table import CallTable
from scheduler.io.handle_time import DEFAULT_AHT_SECONDS, durations

NY = "America/New_York"
LINES = ('[streams]\n"911" = ["911_wireless", "911_wireline"]\nadmin = ["admin_total"]\n'
         '[aht_seconds]\nadmin = 150\n')


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


@pytest.fixture
def lines(tmp_path):
    return read_stream_mapping(write(tmp_path, "lines.toml", LINES))


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


# ---------------------------------------------------------------------------------------------- wide form


def test_a_wide_export_reads_as_the_same_data_in_long_form(tmp_path, lines):
    # Two 9-1-1 columns make one stream (summed), the admin column another; the same counts written long.
    hours = {"08": (3, 1, 5), "09": (0, 2, 7), "10": (4, 0, 0)}
    wide = write(tmp_path, "wide.csv", "hour,911_wireless,911_wireline,admin_total\n" + "".join(
        f"2016-01-04 {h}:00,{a},{b},{c}\n" for h, (a, b, c) in hours.items()))
    long = write(tmp_path, "long.csv", "hour,line,calls\n" + "".join(
        f"2016-01-04 {h}:00,{line},{n}\n" for h, row in hours.items()
        for line, n in zip(("911_wireless", "911_wireline", "admin_total"), row, strict=True)))
    read_wide = read_call_log(wide, timezone=NY, timestamp_column="hour", mapping=lines, wide=True)
    read_long = read_call_log(long, timezone=NY, timestamp_column="hour", type_column="line",
                              count_column="calls", mapping=lines)
    pd.testing.assert_frame_equal(read_wide.counts, read_long.counts)
    assert read_wide.counts["911"].tolist() == [4, 2, 4] and read_wide.counts["admin"].tolist() == [5, 7, 0]
    assert read_wide.counts.index[0] == utc("2016-01-04 13:00")
    assert read_wide.quality.rows == 3 and read_wide.quality.hourly


def test_a_wide_export_without_a_types_file_names_its_streams_by_column(tmp_path):
    path = write(tmp_path, "wide.csv", "Hour,911,admin\n2016-01-04 08:00,3,\"1,200\"\n")
    counts = read_call_log(path, timezone=NY, timestamp_column="hour", wide=True).counts
    assert list(counts.columns) == ["911", "admin"] and counts.iloc[0].tolist() == [3, 1200]


def test_a_wide_xlsx_export_with_excel_date_times(tmp_path, lines):
    # ACD exports are often workbooks: date-time cells, number cells, the sheet named by the export.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Interval report"
    sheet.append(["Interval", "911_wireless", "911_wireline", "admin_total"])
    sheet.append([datetime(2016, 1, 4, 8), 3, 1, 5])
    sheet.append([datetime(2016, 1, 4, 9), 0, 2, 7])
    book.save(tmp_path / "acd.xlsx")
    history = read_call_log(tmp_path / "acd.xlsx", timezone=NY, timestamp_column="interval", mapping=lines,
                            wide=True)
    assert history.counts.to_numpy().tolist() == [[4, 5], [2, 7]]
    assert history.counts.index[0] == utc("2016-01-04 13:00")


def test_a_wide_column_in_no_stream_stops_or_is_left_out_and_listed(tmp_path, lines):
    path = write(tmp_path, "wide.csv", "hour,911_wireless,911_wireline,admin_total,abandoned\n"
                                       "2016-01-04 08:00,3,1,5,n/a\n")
    with pytest.raises(InputError) as caught:
        read_call_log(path, timezone=NY, timestamp_column="hour", mapping=lines, wide=True)
    assert str(caught.value) == ("wide.csv, row 1, column abandoned: column in no stream (value: "
                                 "'abandoned'); add it to [streams] in lines.toml, or set unknown = "
                                 "\"drop\" to leave such columns out")
    dropping = read_stream_mapping(write(tmp_path, "drop.toml", 'unknown = "drop"\n' + LINES))
    history = read_call_log(path, timezone=NY, timestamp_column="hour", mapping=dropping, wide=True)
    assert history.counts.iloc[0].tolist() == [4, 5]  # the text of `abandoned` is never read
    assert "columns in no stream, not read: abandoned" in history.quality.lines()


def test_a_wide_file_errors_name_the_cell_and_a_missing_stream(tmp_path, lines):
    bad = write(tmp_path, "wide.csv", "hour,911_wireless,911_wireline,admin_total\n2016-01-04 08:00,3,x,5\n")
    with pytest.raises(InputError) as caught:
        read_call_log(bad, timezone=NY, timestamp_column="hour", mapping=lines, wide=True)
    assert (caught.value.row, caught.value.column, caught.value.value) == (2, "911_wireline", "x")
    short = write(tmp_path, "short.csv", "hour,911_wireless\n2016-01-04 08:00,3\n")
    with pytest.raises(InputError, match="no column for stream admin") as caught:
        read_call_log(short, timezone=NY, timestamp_column="hour", mapping=lines, wide=True)
    assert "name its column admin_total" in str(caught.value)
    with pytest.raises(InputError, match="give no type, stream, count or duration column"):
        read_call_log(short, timezone=NY, timestamp_column="hour", count_column="911_wireless", wide=True)


def test_a_multi_stream_mapping_without_a_type_column_suggests_wide(tmp_path, lines):
    path = write(tmp_path, "wide.csv", "hour,911_wireless,911_wireline,admin_total\n2016-01-04 08:00,3,1,5\n")
    with pytest.raises(InputError, match="read a wide file .* as wide"):
        read_call_log(path, timezone=NY, timestamp_column="hour", mapping=lines)


# ------------------------------------------------------------------------------------------------ handle time


def test_handle_time_from_answered_calls_talk_plus_wrap(tmp_path, lines):
    # 911: answered 100+20, 0:03:20 (200) + empty wrap (0), 1:00 + 0:30 (90); not answered: empty talk, talk 0
    # -> (120 + 200 + 90) / 3 = 136.67 s. admin: no answered call -> the types file's 150 s.
    path = write(tmp_path, "log.csv", "time,line,talk,wrap\n"
                                      "2016-01-04 08:01,911_wireless,100,20\n"
                                      "2016-01-04 08:02,911_wireline,0:03:20,\n"
                                      "2016-01-04 08:03,911_wireless,1:00,0:30\n"
                                      "2016-01-04 08:04,911_wireless,,40\n"
                                      "2016-01-04 08:05,911_wireless,0,30\n"
                                      "2016-01-04 08:06,admin_total,,\n")
    history = read_call_log(path, timezone=NY, timestamp_column="time", type_column="line", mapping=lines,
                            talk_column="talk", wrap_column="wrap")
    handle = history.handle_times
    assert handle.seconds["911"] == pytest.approx(410 / 3)
    assert handle.source == {"911": "call log", "admin": "types file"}
    assert handle.answered == {"911": 3}
    assert handle.line() == "handle time: 911 137 s (call log, 3 answered calls), admin 150 s (types file)"
    assert handle.warnings() == ()
    assert history.counts["911"].tolist() == [5]  # unanswered calls still count as calls


def test_hourly_handle_time_is_weighted_by_the_hours_calls(tmp_path):
    # 10 calls at 100 s and 30 at 200 s: (1,000 + 6,000) / 40 = 175 s; an hour of 0 calls weighs nothing.
    path = write(tmp_path, "hourly.csv", "hour,calls,aht\n2016-01-04 08:00,10,100\n2016-01-04 09:00,30,200\n"
                                         "2016-01-04 10:00,0,999\n")
    history = read_call_log(path, timezone=NY, timestamp_column="hour", count_column="calls",
                            talk_column="aht", stream_name="911")
    assert history.handle_times.seconds == {"911": 175.0}
    assert history.handle_times.answered == {"911": 40}
    # An hourly file counts the hour's calls, not its answered ones: the line says what weighed the means.
    assert history.handle_times.line() == ("handle time: 911 175 s (call log, the hours' means weighted by "
                                           "the hour's calls: 40 calls)")


def test_handle_time_falls_back_to_the_types_file_then_to_the_default_with_a_warning(tmp_path):
    path = write(tmp_path, "log.csv", "time\n2016-01-04 08:01\n")
    one = '[streams]\n"911" = ["x"]\n[aht_seconds]\n"911" = 240\n'
    typed = read_stream_mapping(write(tmp_path, "one.toml", one))
    assert read_call_log(path, timezone=NY, timestamp_column="time", mapping=typed).handle_times.seconds == {
        "911": 240.0}
    bare = read_call_log(path, timezone=NY, timestamp_column="time").handle_times
    assert bare.seconds == {"calls": DEFAULT_AHT_SECONDS} == {"calls": 300.0}
    assert bare.warnings() == (("no handle time for calls in the call log or the types file: the forecast "
                                "file says 300 s; give a talk-time column (--talk-column), [aht_seconds] in "
                                "--types or --aht-seconds"),)
    given = read_call_log(path, timezone=NY, timestamp_column="time", aht_seconds=210).handle_times
    assert given.seconds == {"calls": 210.0} and given.source == {"calls": "--aht-seconds"}
    assert given.warnings() == ()


@given(st.integers(0, 86_399))
def test_a_duration_reads_the_same_as_seconds_and_as_h_mm_ss(seconds):
    # Exports write either; both must give the same handle time.
    clock = f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    table = CallTable(Path("log.csv"), None, pd.DataFrame({"talk": [str(seconds), clock, f"{seconds:,}"]}),
                      {"talk": "talk"})
    assert durations(table, "talk").tolist() == [seconds] * 3


@pytest.mark.parametrize(("talk", "says"), [("soon", "not a duration"), ("-5", "negative duration"),
                                            ("90000", "a day or more")])
def test_bad_durations_name_the_row(tmp_path, talk, says):
    path = write(tmp_path, "log.csv", f"time,talk\n2016-01-04 08:01,60\n2016-01-04 08:02,{talk}\n")
    with pytest.raises(InputError, match=says) as caught:
        read_call_log(path, timezone=NY, timestamp_column="time", talk_column="talk")
    assert (caught.value.row, caught.value.column, caught.value.value) == (3, "talk", talk)


def test_a_wrap_up_column_needs_a_talk_column(tmp_path):
    path = write(tmp_path, "log.csv", "time,wrap\n2016-01-04 08:01,60\n")
    with pytest.raises(InputError, match="without a talk-time column"):
        read_call_log(path, timezone=NY, timestamp_column="time", wrap_column="wrap")


# --------------------------------------------------------------------------------------------- repeated hours


REPEATED = ("hour,line,calls\n2016-01-04 08:00,911,5\n2016-01-04 08:00,admin,2\n2016-01-04 09:00,911,4\n"
            "2016-01-04 08:00,911,9\n")  # rows 2 and 5: 08:00 on line 911 with 5 and with 9 calls


def test_a_repeated_hour_with_two_counts_stops_naming_both_rows(tmp_path):
    path = write(tmp_path, "hourly.csv", REPEATED)
    with pytest.raises(InputError) as caught:
        read_call_log(path, timezone=NY, timestamp_column="hour", stream_column="line", count_column="calls")
    assert str(caught.value) == (
        "hourly.csv, row 5, column calls: the hour 2016-01-04 08:00 -0500 of 911 is given twice with "
        "different counts: row 2 has 5 calls, row 5 has 9 (value: 9); keep the right row and delete the "
        "other, or choose one with --duplicates keep-first or keep-last")


@pytest.mark.parametrize(("policy", "calls"), [("keep-first", 5), ("keep-last", 9)])
def test_keep_first_and_keep_last_read_one_count_never_the_sum(tmp_path, policy, calls):
    path = write(tmp_path, "hourly.csv", REPEATED)
    history = read_call_log(path, timezone=NY, timestamp_column="hour", stream_column="line",
                            count_column="calls", duplicates=policy)
    assert history.counts["911"].tolist() == [calls, 4]  # not 14
    assert history.counts["admin"].tolist() == [2, 0]
    (repeat,) = history.quality.repeats
    assert (repeat.line, repeat.rows, repeat.counts) == ("911", (2, 5), (5, 9))
    assert repeat.hour == datetime(2016, 1, 4, 8, tzinfo=ZoneInfo(NY))
    kept = "first" if policy == "keep-first" else "last"
    assert (f"1 hour given more than once with different counts, the {kept} row read (--duplicates "
            f"{policy}): 911 2016-01-04 08:00 -0500: rows 2 and 5 with 5 and 9 calls"
            ) in history.quality.lines()


def test_a_repeated_hour_with_the_same_count_is_read_once(tmp_path):
    # The same hour exported twice with the same count: counted once (summing would double it).
    path = write(tmp_path, "hourly.csv", "hour,calls\n2016-01-04 08:00,5\n2016-01-04 09:00,4\n"
                                         "2016-01-04 08:00,5\n")
    history = read_call_log(path, timezone=NY, timestamp_column="hour", count_column="calls")
    assert history.counts["calls"].tolist() == [5, 4]
    assert history.quality.duplicates == 1
    assert "1 row repeats an hour already given with the same count (read once)" in history.quality.lines()


def test_dst_hours_of_an_hourly_file_are_not_repeats(tmp_path):
    # Spring forward 2016-03-13: a 02:00 row (a local hour that does not exist) adds to 03:00 EDT, as before
    # repeats were refused. Fall back 2016-11-06: 01:00 given twice is its two occurrences (EDT, then EST).
    spring = write(tmp_path, "spring.csv", "hour,calls\n2016-03-13 01:00,2\n2016-03-13 02:00,3\n"
                                           "2016-03-13 03:00,4\n")
    read = read_call_log(spring, timezone=NY, timestamp_column="hour", count_column="calls")
    assert read.counts["calls"].tolist() == [2, 7]
    spring_rule = "an hour in the spring gap read as the next hour, its calls added to that hour's"
    assert read.quality.lines()[-1].startswith(f"1 local time in a daylight-saving change ({spring_rule}; ")
    fall = write(tmp_path, "fall.csv", "hour,calls\n2016-11-06 01:00,2\n2016-11-06 01:00,3\n")
    history = read_call_log(fall, timezone=NY, timestamp_column="hour", count_column="calls")
    assert history.counts["calls"].tolist() == [2, 3] and history.quality.duplicates == 0
    # The message says what was done: the second 01:00 is standard time, not "its first occurrence".
    assert history.quality.lines()[-1] == (
        f"2 local times in a daylight-saving change ({spring_rule}; a fall-back hour read first as daylight "
        "time and, given again for the same line, as standard time)")


def test_a_dropped_call_type_is_not_checked_for_repeats(tmp_path):
    types = read_stream_mapping(write(tmp_path, "t.toml", 'unknown = "drop"\n[streams]\n"911" = ["911"]\n'))
    path = write(tmp_path, "hourly.csv", "hour,line,calls\n2016-01-04 08:00,911,5\n2016-01-04 08:00,fax,1\n"
                                         "2016-01-04 08:00,fax,2\n")
    history = read_call_log(path, timezone=NY, timestamp_column="hour", type_column="line", mapping=types,
                            count_column="calls")
    assert history.counts["911"].tolist() == [5] and history.quality.unknown_types == {"fax": 3}


def test_a_wide_repeated_hour_names_the_column(tmp_path):
    path = write(tmp_path, "wide.csv", "hour,911,admin\n2016-01-04 08:00,3,1\n2016-01-04 08:00,3,2\n")
    with pytest.raises(InputError) as caught:
        read_call_log(path, timezone=NY, timestamp_column="hour", wide=True)
    assert (caught.value.row, caught.value.column, caught.value.value) == (3, "admin", 2)
    history = read_call_log(path, timezone=NY, timestamp_column="hour", wide=True, duplicates="keep-last")
    assert history.counts.iloc[0].tolist() == [3, 2]


# ------------------------------------------------------------------------------------------------------- gaps


def test_a_gap_in_hourly_counts_is_missing_not_zero_and_listed(tmp_path):
    # Rows 08:00-09:00 and 16:00-17:00: 10:00-16:00 (6 hours) has no row at all; 18:00 has a row of 0 calls,
    # which is data. With gap_hours=7 the same 6 hours are zeros, as before this reader marked gaps.
    path = write(tmp_path, "hourly.csv", "hour,calls\n" + "".join(
        f"2016-01-04 {h:02d}:00,{n}\n" for h, n in ((8, 5), (9, 4), (16, 6), (17, 3), (18, 0))))
    history = read_call_log(path, timezone=NY, timestamp_column="hour", count_column="calls")
    calls = history.counts["calls"]
    assert len(calls) == 11 and calls.isna().sum() == 6
    assert calls.iloc[2:8].isna().all() and calls.iloc[-1] == 0
    zone = ZoneInfo(NY)
    assert history.gaps == ((datetime(2016, 1, 4, 10, tzinfo=zone), datetime(2016, 1, 4, 16, tzinfo=zone)),)
    assert ("1 gap of 6 or more hours without a row, 6 hours in all, read as missing (not as zero calls): "
            "2016-01-04 10:00 -0500 to 2016-01-04 16:00 -0500 (6 h)") in history.quality.lines()
    longer = read_call_log(path, timezone=NY, timestamp_column="hour", count_column="calls", gap_hours=7)
    assert longer.counts["calls"].iloc[2:8].tolist() == [0] * 6 and longer.gaps == ()


def test_a_gap_in_a_log_of_calls_is_nan_in_every_stream(tmp_path, lines):
    # 6 calls in the 2 hours with calls: 3 an hour, 18 expected over the 6 hours between (the log is under a
    # day: its mean rate), more than 10, so a gap (tests/test_call_gaps.py for quiet runs read as zeros).
    path = write(tmp_path, "log.csv", "time,line\n" + "".join(
        f"2016-01-04 {t},{line}\n" for t, line in (("08:01", "911_wireless"), ("08:02", "911_wireline"),
                                                   ("08:03", "admin_total"), ("15:57", "911_wireless"),
                                                   ("15:58", "admin_total"), ("15:59", "admin_total"))))
    counts = read_call_log(path, timezone=NY, timestamp_column="time", type_column="line",
                           mapping=lines).counts
    assert counts.isna().sum().tolist() == [6, 6]  # 09:00-15:00 local, both streams
    assert counts.iloc[0].tolist() == [2, 1] and counts.iloc[-1].tolist() == [1, 2]
    assert not any(math.isnan(v) for v in counts.iloc[[0, -1]].to_numpy().ravel())
    assert np.isnan(counts.to_numpy()).any(axis=1).sum() == 6
