"""Read an hourly forecast file: `timestamp,stream,calls_p50,calls_p90,aht_seconds` (README, Forecast
file); `calls_p90` may be left out (or blank throughout) by a center that plans on p50."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from scheduler.domain import Forecast
from scheduler.errors import InputError
from scheduler.io.sheets import read_csv_cells

COLUMNS = ("timestamp", "stream", "calls_p50", "calls_p90", "aht_seconds")
# Far above any 9-1-1 center (the largest answer a few thousand calls an hour on all lines together), and low
# enough that the staffing recursion (one step per seat) ends in a second: 10^12 calls in an hour hung it.
MOST_CALLS_PER_HOUR = 20_000
MOST_HANDLE_SECONDS = 3_600  # an average call of an hour is a unit mistake (minutes read as seconds, ...)


def _numbers(frame: pd.DataFrame, first_bad) -> dict[str, pd.Series]:
    """calls_p50, calls_p90 and aht_seconds as checked floats; calls_p90 left out or blank throughout is NaN
    (staffing.compute_requirements refuses to plan on it)."""
    numbers = {}
    no_p90 = (frame["calls_p90"].str.strip() == "").all()
    for column in ("calls_p50", "calls_p90", "aht_seconds"):
        values = pd.to_numeric(frame[column], errors="coerce")
        if not (column == "calls_p90" and no_p90):
            first_bad(values.isna() | ~np.isfinite(values), column, "not a finite number", "write a number")
            first_bad(values < 0, column, "negative value", "calls and handle times are >= 0")
        numbers[column] = values.astype(float)
    return numbers


def read_forecast(path: Path) -> Forecast:
    if not path.exists():
        raise InputError("file not found", file=path, fix="check the path (the sample is in forecasts/)")
    frame = read_csv_cells(path)
    frame.columns = [c.strip().lower() for c in frame.columns]
    if "calls_p90" not in frame.columns:  # optional: only planning on p90 needs it (staffing says so then)
        frame["calls_p90"] = ""
    for column in COLUMNS:
        if column not in frame.columns:
            raise InputError(f"missing column {column!r}", file=path, row=1, column=column,
                             fix=f"the header must be {','.join(COLUMNS)} (calls_p90 optional)")
    # Blank lines are dropped but keep their place in the index, so `row` is the file's line number.
    frame = frame[~(frame.apply(lambda c: c.str.strip()) == "").all(axis=1)]
    if frame.empty:
        raise InputError("no forecast rows", file=path)

    def first_bad(mask: pd.Series, column: str, message: str, fix: str) -> None:
        if mask.any():
            i = int(mask.to_numpy().nonzero()[0][0])
            raise InputError(message, file=path, row=int(frame.index[i]) + 2, column=column,
                             value=frame[column].iloc[i], fix=fix)

    stamps = pd.to_datetime(frame["timestamp"], errors="coerce", utc=True, format="ISO8601")
    has_offset = frame["timestamp"].str.contains(r"(?:[+-]\d\d:?\d\d|Z)$", regex=True)
    first_bad(stamps.isna() | ~has_offset, "timestamp", "not an ISO 8601 timestamp with a UTC offset",
              "write e.g. 2026-11-30T00:00:00-06:00")
    # On the hour in local time (a +05:30 zone's hours start at :30 UTC).
    local_minutes = frame["timestamp"].str.extract(r"[T ]\d\d:(\d\d)(?::(\d\d(?:\.\d+)?))?")
    off_hour = (local_minutes[0].astype(float) != 0) | (local_minutes[1].fillna("0").astype(float) != 0)
    first_bad(off_hour, "timestamp", "not on the hour", "one row per hour and stream")
    first_bad(frame["stream"].str.strip() == "", "stream", "empty stream", "name the call stream")

    numbers = _numbers(frame, first_bad)
    for column in ("calls_p50", "calls_p90"):
        first_bad(numbers[column] > MOST_CALLS_PER_HOUR, column,
                  f"more than {MOST_CALLS_PER_HOUR:,} calls in one hour of one stream",
                  "give calls per hour and stream (not per day or per year)")
    first_bad(numbers["aht_seconds"] > MOST_HANDLE_SECONDS, "aht_seconds",
              f"an average handle time over {MOST_HANDLE_SECONDS:,} s", "give the handle time in seconds")
    first_bad(numbers["calls_p90"] < numbers["calls_p50"], "calls_p90", "calls_p90 below calls_p50",
              "the 90th percentile is at least the median")
    first_bad((numbers["aht_seconds"] == 0) & (numbers["calls_p50"] > 0), "aht_seconds", "zero handle time",
              "give the average handle time in seconds")

    clean = pd.DataFrame({"timestamp": stamps, "stream": frame["stream"].str.strip(), **numbers})
    first_bad(clean.duplicated(["timestamp", "stream"]), "timestamp", "duplicate hour for this stream",
              "keep one row per hour and stream")
    return Forecast(path, clean.sort_values(["timestamp", "stream"]).reset_index(drop=True))
