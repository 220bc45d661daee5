"""Reading call history into hourly counts per stream (scheduler.io.call_log).

Fixtures (tests/fixtures/): `montco_sample.csv` is the first 200 rows of the shared Montgomery County history;
the others are hand-made around the 2016 daylight-saving changes of America/New_York (spring forward
2016-03-13 02:00 EST -> 03:00 EDT, fall back 2016-11-06 02:00 EDT -> 01:00 EST).
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from scheduler.errors import InputError
from scheduler.io.call_log import HistoryQuality, StreamMapping, read_call_log, read_stream_mapping

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
MAPPING_FILE = ROOT / "inputs" / "call_types.toml"
NY = "America/New_York"
MONTCO_CANDIDATES = (Path(__file__).resolve().parents[2] / "shared/data/montco_calls.csv",
                     Path("/work/shared/data/montco_calls.csv"))


@pytest.fixture(scope="module")
def mapping() -> StreamMapping:
    return read_stream_mapping(MAPPING_FILE)


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


# ---------------------------------------------------------------------------------------------------- mapping


def test_sample_mapping_has_montco_streams_and_handle_times(mapping):
    assert mapping.streams == {"911_fire_ems": ("EMS", "Fire"), "911_police": ("Traffic",)}
    assert mapping.aht_seconds == {"911_fire_ems": 270.0, "911_police": 340.0}
    assert mapping.unknown == "error"
    assert mapping.source == MAPPING_FILE


@pytest.mark.parametrize(("text", "says"), [
    ('unknown = "maybe"\n[streams]\na = ["X"]\n[aht_seconds]\na = 100\n', "unknown must be"),
    ('[streams]\na = ["X"]\nb = ["X"]\n[aht_seconds]\na = 1\nb = 1\n', "in two streams"),
    ('[streams]\na = ["X"]\n[aht_seconds]\na = -5\n', "positive number"),
    ('[streams]\na = "X"\n[aht_seconds]\na = 5\n', "list of call types"),
    ('[aht_seconds]\na = 5\n', "missing [streams]"),
    ('[streams]\na = ["X"]\n[aht_seconds]\nb = 5\n', "not a stream"),
    ('[streams\n', "not valid TOML"),
])
def test_bad_mapping_files_name_the_problem(tmp_path, text, says):
    path = tmp_path / "types.toml"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        read_stream_mapping(path)
    assert says in str(caught.value)
    assert caught.value.file == path


# ------------------------------------------------------------------------------------- montco sample, shape a


def test_montco_sample_counts_match_an_independent_tally(mapping):
    history = read_call_log(FIXTURES / "montco_sample.csv", timezone=NY, type_column="category",
                            mapping=mapping)
    zone = ZoneInfo(NY)
    expected: Counter = Counter()
    with open(FIXTURES / "montco_sample.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    stream_of = {"EMS": "911_fire_ems", "Fire": "911_fire_ems", "Traffic": "911_police"}
    for row in rows:
        local = datetime.fromisoformat(row["timestamp"]).replace(tzinfo=zone)
        hour = pd.Timestamp(local).tz_convert("UTC").floor("h")
        expected[hour, stream_of[row["category"]]] += 1

    counts = history.counts
    assert list(counts.columns) == ["911_fire_ems", "911_police"]
    assert str(counts.index.tz) == "UTC"
    assert counts.index.equals(pd.date_range(counts.index[0], counts.index[-1], freq="h"))
    assert (counts.dtypes == "float64").all() and not counts.isna().any().any()  # no gap: no NaN
    for hour in counts.index:
        for stream in counts.columns:
            assert counts.at[hour, stream] == expected.get((hour, stream), 0)
    assert int(counts.to_numpy().sum()) == len(rows) == 200
    assert counts.index[0] == utc("2015-12-10 22:00")  # 17:40 EST
    assert history.quality.rows == 200
    assert history.quality.duplicates == 14
    assert history.quality.out_of_order == 0
    assert history.quality.nonexistent_or_ambiguous == 0
    assert history.source == FIXTURES / "montco_sample.csv" and history.timezone == NY


def test_hours_without_calls_are_zero_rows_not_missing(tmp_path, mapping):
    path = tmp_path / "log.csv"
    path.write_text("timestamp,category\n2016-01-04 08:05,EMS\n2016-01-04 11:59,Fire\n")
    counts = read_call_log(path, timezone=NY, type_column="category", mapping=mapping).counts
    assert len(counts) == 4  # 08, 09, 10, 11 local = 13..16 UTC
    assert counts["911_fire_ems"].tolist() == [1, 0, 0, 1]
    # a stream of the mapping with no call is still a column
    assert counts["911_police"].tolist() == [0, 0, 0, 0]


def test_without_a_type_column_every_call_is_one_stream(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("timestamp\n2016-01-04 08:05\n2016-01-04 08:06\n2016-01-04 09:00\n")
    history = read_call_log(path, timezone=NY)
    assert list(history.counts.columns) == ["calls"]
    assert history.counts["calls"].tolist() == [2, 1]
    single = StreamMapping({"911": ("anything",)}, {"911": 300.0})
    assert list(read_call_log(path, timezone=NY, mapping=single).counts.columns) == ["911"]


def test_a_type_column_needs_a_mapping_and_a_multi_stream_mapping_needs_a_type_column(mapping):
    with pytest.raises(InputError, match="needs a stream mapping"):
        read_call_log(FIXTURES / "montco_sample.csv", timezone=NY, type_column="category")
    with pytest.raises(InputError, match="no call-type column"):
        read_call_log(FIXTURES / "montco_sample.csv", timezone=NY, mapping=mapping)


# -------------------------------------------------------------------------------------------- daylight saving


def test_fall_back_naive_times_take_the_first_occurrence(mapping):
    history = read_call_log(FIXTURES / "fall_back_2016.csv", timezone=NY, timestamp_column="time",
                            type_column="kind", mapping=mapping)
    counts = history.counts
    # UTC hours 04..07: local 00 EDT, 01 EDT, 01 EST, 02 EST: the 01:00 hour twice.
    assert list(counts.index) == [utc("2016-11-06 04:00"), utc("2016-11-06 05:00"), utc("2016-11-06 06:00"),
                                  utc("2016-11-06 07:00")]
    local = [h.strftime("%H %Z") for h in counts.index.tz_convert(NY)]
    assert local == ["00 EDT", "01 EDT", "01 EST", "02 EST"]
    assert counts["911_fire_ems"].tolist() == [1, 3, 0, 1]  # 01:05, 01:35, 01:50 read as EDT
    assert counts["911_police"].tolist() == [1, 0, 0, 1]
    assert history.quality.nonexistent_or_ambiguous == 3
    assert any("daylight-saving" in line for line in history.quality.lines())


def test_fall_back_times_with_offsets_land_in_their_own_hour(mapping):
    history = read_call_log(FIXTURES / "fall_back_2016_offsets.csv", timezone=NY, timestamp_column="time",
                            type_column="kind", mapping=mapping)
    counts = history.counts
    assert len(counts) == 4
    assert counts["911_fire_ems"].tolist() == [1, 2, 2, 0]
    assert counts["911_police"].tolist() == [0, 0, 1, 1]
    assert history.quality.nonexistent_or_ambiguous == 0
    # 01:10-05:00 after 01:35-04:00: the clock went back, time did not
    assert history.quality.out_of_order == 0


def test_spring_forward_gap_time_moves_forward_an_hour(mapping):
    history = read_call_log(FIXTURES / "spring_forward_2016.csv", timezone=NY, timestamp_column="time",
                            type_column="kind", mapping=mapping)
    counts = history.counts
    assert list(counts.index) == [utc("2016-03-13 05:00"), utc("2016-03-13 06:00"), utc("2016-03-13 07:00")]
    assert [h.strftime("%H") for h in counts.index.tz_convert(NY)] == ["00", "01", "03"]  # no 02:00 hour
    assert counts.sum(axis=1).tolist() == [1, 2, 3]  # 02:30 is read as 03:30 EDT
    assert counts.loc[utc("2016-03-13 07:00"), "911_fire_ems"] == 2
    assert history.quality.nonexistent_or_ambiguous == 1
    assert history.quality.lines()[-1] == ("1 local time in a daylight-saving change (a time in the spring "
                                           "gap moved forward 1 h, a repeated fall-back time read as its "
                                           "first occurrence)")


@pytest.mark.parametrize(("first_day", "hours"), [("2016-11-06", 169), ("2016-03-13", 167)])
def test_a_week_with_a_dst_change_has_167_or_169_hourly_rows(tmp_path, first_day, hours):
    zone = ZoneInfo(NY)
    start = datetime.fromisoformat(first_day).replace(tzinfo=zone)
    end = (start.replace(tzinfo=None) + timedelta(days=7)).replace(tzinfo=zone)
    stamps = pd.date_range(pd.Timestamp(start).tz_convert("UTC"), pd.Timestamp(end).tz_convert("UTC"),
                           freq="h", inclusive="left")
    path = tmp_path / "week.csv"
    path.write_text("timestamp\n" + "".join(
        f"{(s + pd.Timedelta(minutes=20)).tz_convert(NY).isoformat()}\n" for s in stamps))
    counts = read_call_log(path, timezone=NY).counts
    assert len(counts) == hours
    assert (counts["calls"] == 1).all()


# --------------------------------------------------------------------------------------------- quality report


def test_duplicates_out_of_order_rows_and_gaps_are_reported(mapping):
    history = read_call_log(FIXTURES / "quality.csv", timezone="America/New_York", type_column="category",
                            mapping=mapping)
    quality = history.quality
    assert quality.rows == 10
    assert quality.duplicates == 3  # kept
    assert history.counts.sum().sum() == 10  # NaN (the gap) skipped
    assert quality.out_of_order == 2
    zone = ZoneInfo(NY)
    assert quality.gaps == ((datetime(2016, 1, 4, 10, tzinfo=zone), datetime(2016, 1, 4, 17, tzinfo=zone)),)
    assert quality.gaps[0][0].utcoffset() == timedelta(hours=-5)
    lines = quality.lines()
    assert lines[0] == "10 rows read"
    assert "3 duplicate rows (kept: two incidents may share a time stamp)" in lines
    assert any(line.startswith("2 rows earlier than the row before") for line in lines)
    gap = "2016-01-04 10:00 -0500 to 2016-01-04 17:00 -0500 (7 h)"
    assert any("1 gap of 6 or more hours" in line and gap in line for line in lines)
    # a longer threshold: no gap
    longer = read_call_log(FIXTURES / "quality.csv", timezone=NY, type_column="category", mapping=mapping,
                           gap_hours=8)
    assert longer.quality.gaps == ()


def test_a_clean_file_reports_only_its_row_count():
    quality = HistoryQuality(rows=1234, duplicates=0, out_of_order=0, unknown_types={}, gaps=(),
                             nonexistent_or_ambiguous=0)
    assert quality.lines() == ["1,234 rows read"]
    assert HistoryQuality(5147, 5147, 0, {}, (), 0).lines()[1].startswith("5,147 duplicate rows (kept")


# ----------------------------------------------------------------------------------------- unknown call types


def test_unknown_call_type_stops_with_row_value_and_fix(mapping):
    with pytest.raises(InputError) as caught:
        read_call_log(FIXTURES / "unknown_types.csv", timezone=NY, type_column="category", mapping=mapping)
    error = caught.value
    assert (error.row, error.column, error.value) == (4, "category", "Hazmat")
    assert str(error) == ("unknown_types.csv, row 4, column category: call type in no stream "
                          "(value: 'Hazmat'); add it to [streams] in call_types.toml, or set "
                          "unknown = \"drop\"")


def test_drop_mode_leaves_unknown_types_out_and_counts_them(mapping):
    dropping = StreamMapping(mapping.streams, mapping.aht_seconds, "drop", mapping.source)
    history = read_call_log(FIXTURES / "unknown_types.csv", timezone=NY, type_column="category",
                            mapping=dropping)
    assert history.quality.unknown_types == {"Hazmat": 2, "Animal": 1}
    assert int(history.counts.to_numpy().sum()) == 3
    assert history.quality.rows == 6
    assert "3 calls of 2 unknown call types dropped (Hazmat 2, Animal 1)" in history.quality.lines()


def test_drop_mode_read_from_the_mapping_file(tmp_path):
    path = tmp_path / "types.toml"
    path.write_text('unknown = "drop"\n[streams]\nems = ["EMS"]\n[aht_seconds]\nems = 292\n')
    dropping = read_stream_mapping(path)
    assert dropping.unknown == "drop"
    history = read_call_log(FIXTURES / "unknown_types.csv", timezone=NY, type_column="category",
                            mapping=dropping)
    assert history.quality.unknown_types == {"Traffic": 1, "Hazmat": 2, "Fire": 1, "Animal": 1}
    assert history.counts["ems"].sum() == 1


# -------------------------------------------------------------------------------------------------- bad input


def test_malformed_timestamp_names_the_file_row(mapping):
    with pytest.raises(InputError) as caught:
        read_call_log(FIXTURES / "malformed_timestamp.csv", timezone=NY, type_column="category",
                      mapping=mapping)
    error = caught.value
    # line 4 is blank
    assert (error.row, error.column, error.value) == (5, "timestamp", "2016-01-04 25:10:00")
    assert str(error).startswith("malformed_timestamp.csv, row 5, column timestamp: not a date-time "
                                 "(value: '2016-01-04 25:10:00'); write e.g.")


@pytest.mark.parametrize("value",
                         ["yesterday", "2016-01-04", "13/45/2016 10:00", "2016-01-04T10:00:00+99:99"])
def test_other_malformed_timestamps(tmp_path, value):
    path = tmp_path / "log.csv"
    path.write_text(f"timestamp\n2016-01-04 08:05\n{value}\n")
    with pytest.raises(InputError, match="not a date-time") as caught:
        read_call_log(path, timezone=NY)
    assert caught.value.row == 3


def test_empty_timestamp_is_an_error(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("timestamp,category\n2016-01-04 08:05,EMS\n,EMS\n")
    with pytest.raises(InputError, match="empty time stamp") as caught:
        read_call_log(path, timezone=NY)
    assert caught.value.row == 3


def test_us_month_day_year_timestamps_are_read(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("timestamp\n01/04/2016 08:05:00\n01/04/2016 8:55 AM\n1/4/2016 09:10\n")
    counts = read_call_log(path, timezone=NY).counts
    assert list(counts.index) == [utc("2016-01-04 13:00"), utc("2016-01-04 14:00")]
    assert counts["calls"].tolist() == [2, 1]


def test_missing_column_lists_the_columns_there_are(mapping):
    with pytest.raises(InputError) as caught:
        read_call_log(FIXTURES / "montco_sample.csv", timezone=NY, timestamp_column="received",
                      type_column="category", mapping=mapping)
    error = caught.value
    assert error.column == "received" and error.row == 1
    assert str(error) == ("montco_sample.csv, row 1, column received: missing column 'received'; "
                          "the columns are timestamp, category, call_type; name the one to use")


def test_column_names_match_regardless_of_case(mapping):
    history = read_call_log(FIXTURES / "montco_sample.csv", timezone=NY, timestamp_column="TimeStamp",
                            type_column="Category", mapping=mapping)
    assert int(history.counts.to_numpy().sum()) == 200


def test_unknown_time_zone_and_missing_file(mapping):
    with pytest.raises(InputError, match="unknown time zone"):
        read_call_log(FIXTURES / "montco_sample.csv", timezone="Mars/Olympus", type_column="category",
                      mapping=mapping)
    with pytest.raises(InputError, match="file not found"):
        read_call_log(FIXTURES / "nope.csv", timezone=NY)
    with pytest.raises(InputError, match="not a .csv or .xlsx"):
        read_call_log(MAPPING_FILE, timezone=NY)


# ------------------------------------------------------------------------------------- hourly counts, shape b


def test_hourly_counts_with_a_stream_column_and_a_repeated_fall_back_hour():
    history = read_call_log(FIXTURES / "hourly_counts.csv", timezone=NY, timestamp_column="hour_start",
                            count_column="n", stream_column="line")
    counts = history.counts
    assert list(counts.columns) == ["911_fire_ems", "911_police"]
    assert list(counts.index) == [utc(f"2016-11-06 {h:02d}:00") for h in range(4, 9)]
    # local 01:00 given twice per stream: the first rows are 01:00 EDT (05Z), the repeated ones 01:00 EST
    # (06Z)
    assert counts["911_fire_ems"].tolist() == [4, 3, 5, 6, 0]
    assert counts["911_police"].tolist() == [2, 1, 0, 0, 7]
    assert history.quality.nonexistent_or_ambiguous == 4
    assert history.quality.rows == 8


def test_hourly_counts_by_call_type_through_the_mapping(tmp_path, mapping):
    path = tmp_path / "hourly.csv"
    path.write_text("hour,category,calls\n2016-01-04 08:00,EMS,5\n2016-01-04 08:00,Fire,2\n"
                    "2016-01-04 08:00,Traffic,\"1,200\"\n2016-01-04T10:00:00-05:00,EMS,1\n")
    counts = read_call_log(path, timezone=NY, timestamp_column="hour", type_column="category",
                           mapping=mapping,
                           count_column="calls").counts
    assert counts["911_fire_ems"].tolist() == [7, 0, 1]
    assert counts["911_police"].tolist() == [1200, 0, 0]


@pytest.mark.parametrize(("count", "says"), [("-1", "negative count"), ("2.5", "not a whole number"),
                                             ("lots", "not a number"), ("", "not a number")])
def test_bad_counts_name_the_row(tmp_path, count, says):
    path = tmp_path / "hourly.csv"
    path.write_text(f"hour,calls\n2016-01-04 08:00,3\n2016-01-04 09:00,{count}\n")
    with pytest.raises(InputError, match=says) as caught:
        read_call_log(path, timezone=NY, timestamp_column="hour", count_column="calls")
    assert (caught.value.row, caught.value.column) == (3, "calls")


def test_hourly_counts_must_be_on_the_hour(tmp_path):
    path = tmp_path / "hourly.csv"
    path.write_text("hour,calls\n2016-01-04 08:00,3\n2016-01-04 09:30,4\n")
    with pytest.raises(InputError, match="not the start of an hour") as caught:
        read_call_log(path, timezone=NY, timestamp_column="hour", count_column="calls")
    assert caught.value.row == 3


def test_half_hour_zone_hours_start_on_the_local_hour(tmp_path):
    path = tmp_path / "hourly.csv"
    path.write_text("hour,calls\n2024-01-04 08:00,3\n2024-01-04 10:00,4\n")
    counts = read_call_log(path, timezone="Asia/Kolkata", timestamp_column="hour",
                           count_column="calls").counts
    assert list(counts.index) == [utc("2024-01-04 02:30"), utc("2024-01-04 03:30"), utc("2024-01-04 04:30")]
    assert counts["calls"].tolist() == [3, 0, 4]


# ------------------------------------------------------------------------------------------------------- XLSX


def test_xlsx_call_log_first_sheet(mapping):
    history = read_call_log(FIXTURES / "calls.xlsx", timezone=NY, timestamp_column="Call received",
                            type_column="Category", mapping=mapping)
    counts = history.counts
    assert list(counts.index) == [utc(f"2016-03-13 {h:02d}:00") for h in range(6, 11)]
    assert counts.sum(axis=1).tolist() == [2, 2, 0, 0, 1]
    assert history.quality.rows == 5


def test_xlsx_hourly_counts_on_a_named_sheet():
    counts = read_call_log(FIXTURES / "calls.xlsx", timezone=NY, timestamp_column="hour",
                           count_column="calls",
                           sheet="Hourly").counts
    assert counts["calls"].tolist() == [3, 2, 4]
    assert counts.index[0] == utc("2016-03-13 05:00")


def test_xlsx_errors_name_the_sheet(mapping):
    with pytest.raises(InputError) as caught:
        read_call_log(FIXTURES / "calls.xlsx", timezone=NY, timestamp_column="When", type_column="Category",
                      mapping=mapping)
    assert str(caught.value).startswith("calls.xlsx, sheet Calls, row 1, column When: missing column 'When'; "
                                        "the columns are Call received, Category, Notes")
    with pytest.raises(InputError, match="missing sheet"):
        read_call_log(FIXTURES / "calls.xlsx", timezone=NY, sheet="Nope")


# --------------------------------------------------------------------------------------- the real montco file


def test_real_montco_history():
    path = next((p for p in MONTCO_CANDIDATES if p.exists()), None)
    if path is None:
        pytest.skip("shared/data/montco_calls.csv is not beside this clone")
    mapping = read_stream_mapping(MAPPING_FILE)
    history = read_call_log(path, timezone=NY, type_column="category", mapping=mapping)
    quality = history.quality
    assert quality.rows == 99_492
    assert history.counts.sum().sum() == 99_492
    assert history.counts.sum().to_dict() == {"911_fire_ems": 48_877 + 14_920, "911_police": 35_695}
    assert quality.duplicates == 5_147
    assert "5,147 duplicate rows (kept: two incidents may share a time stamp)" in quality.lines()
    assert quality.out_of_order == 0
    assert quality.unknown_types == {}
    assert quality.nonexistent_or_ambiguous == 0
    assert len(quality.gaps) == 3
