"""Gaps in a log of calls (one row per call): a run of hours without a call is missing data only when
improbable at those hours' usual rates (scheduler.io.call_quality.find_gaps); an hourly count file keeps the
plain rule (no row = missing). Every file is written by its test."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from scheduler.io.call_log import read_call_log
from scheduler.io.call_quality import GAP_EXPECTED_CALLS

NY = "America/New_York"
SILENT_MONDAY_NIGHTS = ((4, 0, 6), (11, 0, 6))  # (January day, first hour, end hour): both weeks
SILENT_WEDNESDAY = (13, 10, 22)  # week 2 only: its other Wednesday had a call each hour
SILENT_FRIDAY = (15, 8, 18)  # week 2 only


def _silent(day: int, hour: int) -> bool:
    return any(d == day and start <= hour < end
               for d, start, end in (*SILENT_MONDAY_NIGHTS, SILENT_WEDNESDAY, SILENT_FRIDAY))


def _every_hour_but_silences() -> list[datetime]:
    """One call at :30 of every local hour of Sunday 3 to Sunday 17 January 2016 but the silences."""
    return [datetime(2016, 1, day, hour, 30) for day in range(3, 18) for hour in range(24)
            if not _silent(day, hour)]


def test_a_recurring_quiet_time_is_zero_calls_and_an_unusual_silence_a_gap(tmp_path):
    # One call an hour, so each run expects 1 call per hour at the same hours of the other week:
    # - Monday 00:00-06:00, silent in both weeks: each run's other Monday had 0 calls -> 0 expected -> zeros;
    # - Friday 15th 08:00-18:00: 10 expected, not more than GAP_EXPECTED_CALLS (10) -> zeros (the boundary);
    # - Wednesday 13th 10:00-22:00: 12 expected -> a gap, its 12 hours NaN.
    assert GAP_EXPECTED_CALLS == 10
    path = tmp_path / "log.csv"
    pd.DataFrame({"time": [t.strftime("%Y-%m-%d %H:%M") for t in _every_hour_but_silences()]}).to_csv(
        path, index=False)
    history = read_call_log(path, timezone=NY, timestamp_column="time")
    zone = ZoneInfo(NY)
    assert history.gaps == ((datetime(2016, 1, 13, 10, tzinfo=zone), datetime(2016, 1, 13, 22, tzinfo=zone)),)
    assert history.quality.quiet_runs == tuple(
        (datetime(2016, 1, day, start, tzinfo=zone), datetime(2016, 1, day, end, tzinfo=zone))
        for day, start, end in (*SILENT_MONDAY_NIGHTS, SILENT_FRIDAY))
    calls = history.counts["calls"]
    assert len(calls) == 15 * 24 and calls.isna().sum() == 12
    assert (calls == 0).sum() == 6 + 6 + 10
    lines = history.quality.lines()
    assert ("1 gap of 6 or more hours without a single call where more than 10 were expected, 12 hours in "
            "all, read as missing (not as zero calls): 2016-01-13 10:00 -0500 to 2016-01-13 22:00 -0500 "
            "(12 h)") in lines
    assert ("3 runs of 6 or more hours without a call, 22 hours in all, read as zero calls: 10 or fewer "
            "calls expected at those hours' usual rates") in lines


def test_an_hourly_count_file_without_rows_keeps_every_such_run_a_gap(tmp_path):
    # The same silences as hours without a row in an hourly count file: no row is missing data, whatever the
    # rates, so all four runs are gaps (6 + 6 + 12 + 10 hours).
    path = tmp_path / "hourly.csv"
    pd.DataFrame({"hour": [t.strftime("%Y-%m-%d %H:00") for t in _every_hour_but_silences()], "calls": 1}
                 ).to_csv(path, index=False)
    history = read_call_log(path, timezone=NY, timestamp_column="hour", count_column="calls")
    assert len(history.gaps) == 4 and history.quality.quiet_runs == ()
    assert history.counts["calls"].isna().sum() == 34


def test_a_day_without_calls_in_a_busy_log_is_a_gap(tmp_path):
    # Three calls an hour for two weeks but none on Thursday 14 January: 72 calls expected, a 24-hour gap.
    times = [datetime(2016, 1, day, hour, minute) for day in range(4, 18) for hour in range(24)
             for minute in (5, 25, 45) if day != 14]
    path = tmp_path / "busy.csv"
    pd.DataFrame({"time": [t.strftime("%Y-%m-%d %H:%M") for t in times]}).to_csv(path, index=False)
    history = read_call_log(path, timezone=NY, timestamp_column="time")
    zone = ZoneInfo(NY)
    assert history.gaps == ((datetime(2016, 1, 14, tzinfo=zone), datetime(2016, 1, 15, tzinfo=zone)),)
    calls = history.counts["calls"]
    assert calls.isna().sum() == 24 and calls.sum() == 3 * 24 * 13


def test_a_rural_centers_quiet_nights_are_zero_calls(tmp_path: Path):
    # The reviewer's case: 5 weeks of Poisson calls, 2 an hour 07:00-23:00 and 0.3 at night (seed 3). Its
    # nights have 12 runs of 6+ hours without a call (79 hours): likely at 0.3 calls an hour, so they are
    # zeros, as they truly are, not gaps that would drop the quiet hours and lift the night's forecast.
    rng = np.random.default_rng(3)
    hours = pd.date_range("2026-09-07", periods=24 * 7 * 5, freq="h")
    calls = rng.poisson(np.where((hours.hour >= 23) | (hours.hour < 7), 0.3, 2.0))
    times = [(t + pd.Timedelta(minutes=int(rng.integers(60)))).strftime("%Y-%m-%d %H:%M")
             for t, n in zip(hours, calls, strict=True) for _ in range(n)]
    path = tmp_path / "low.csv"
    pd.DataFrame({"time": times}).to_csv(path, index=False)
    history = read_call_log(path, timezone="America/Chicago", timestamp_column="time")
    assert history.gaps == () and not history.counts.isna().any().any()
    quiet = history.quality.quiet_runs
    assert len(quiet) == 12 and sum(round((end - start).total_seconds() / 3600) for start, end in quiet) == 79
    assert history.counts["calls"].sum() == len(times)
