"""Read a center's call history (CSV or XLSX) into hourly call counts per stream, with each stream's handle
time and a data-quality report.

Three shapes of file are read (io/call_shapes.py), with every column name given by the caller (never assumed):

- one row per call: a timestamp column and, optionally, a call-type column mapped to streams by a
  `StreamMapping` (without one, every call belongs to a single stream: the mapping's only stream, or
  `stream_name`);
- hourly counts in long form: a timestamp column (the hour's start), a count column and, optionally, a
  stream column (values are stream names) or a call-type column mapped through the mapping;
- hourly counts in wide form (`wide`): a timestamp column and one count column per phone line, each column's
  name a call type of the mapping (several columns may make one stream), or without a mapping a stream's name.

Time stamps without a UTC offset are local wall-clock times in `timezone`; those with an offset (`...-05:00`,
`Z`) are exact and are converted. Two kinds of local time need a rule, and are counted in
`HistoryQuality.nonexistent_or_ambiguous`:

- a time in the spring-forward gap (02:30 on the night clocks jump from 02:00 to 03:00) does not exist: it is
  read with the offset in force before the change, i.e. moved forward one hour (02:30 becomes 03:30 daylight
  time);
- a time in the fall-back hour (01:30 happens twice) is read as its first occurrence (daylight time). In an
  hourly count file the same local hour and line given twice is read as the two occurrences, in file order.
  A time stamp with a UTC offset is never ambiguous.

An hourly count file gives each hour of a line once: a row repeating one with the same count is read once, one
with a different count is refused or read by `duplicates` (io/call_quality.py). A run of `gap_hours` or more
hours without a row is missing data, NaN in the counts, and listed. In a log of calls an hour without a row is
an hour without a call, often true in a quiet center at night, so such a run is missing data only when it is
improbable: more than GAP_EXPECTED_CALLS (10) calls expected over it at the log's own mean rates for those
hours of the week (io/call_quality.py: find_gaps); a likelier run is zero calls, and counted.

The counts' index is every UTC hour from the first to the last hour with data, so a week with a
daylight-saving change has 167 or 169 rows, and an hour with no calls is 0. Hours start on the local hour
(a +05:30 zone's hours start at :30 UTC).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from scheduler.errors import InputError
from scheduler.io.call_mapping import StreamMapping, read_stream_mapping
from scheduler.io.call_quality import DUPLICATE_POLICIES, HistoryQuality, find_gaps, read_repeats_once
from scheduler.io.call_shapes import CallRecords, long_records, wide_records
from scheduler.io.call_table import CallTable, find_column, read_table
from scheduler.io.handle_time import HandleTimes, durations, handle_times

__all__ = ["CallHistory", "HistoryQuality", "StreamMapping", "read_call_log", "read_stream_mapping"]

SINGLE_STREAM = "calls"
HOUR = pd.Timedelta(hours=1)

# A time of day must be present: "2016-03-13" alone is not a call's time stamp.
_HAS_TIME = r"\d(?:[T ]|\s+)\d{1,2}:\d\d"
_HAS_OFFSET = r"\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:[+-]\d\d(?::?\d\d)?|Z)$"
# Besides ISO 8601, the US month/day/year layouts that CAD exports and Excel write.
_US_FORMATS = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p")


@dataclass(frozen=True)
class CallHistory:
    source: Path
    timezone: str
    # Index: every UTC hour first..last (tz-aware); columns: streams; float64 whole numbers of calls (0: no
    # calls), NaN in every stream for the hours of a gap (quality.gaps): missing data, not zero calls.
    counts: pd.DataFrame
    quality: HistoryQuality = field(repr=False)
    handle_times: HandleTimes = field(repr=False)  # every stream's, for the forecast file

    @property
    def gaps(self) -> tuple[tuple[datetime, datetime], ...]:
        """The gaps (start, end), local: the hours whose counts are NaN."""
        return self.quality.gaps


# ------------------------------------------------------------------------------------------------- call log


def read_call_log(path: Path, *, timezone: str, timestamp_column: str = "timestamp",
                  type_column: str | None = None, mapping: StreamMapping | None = None,
                  count_column: str | None = None, stream_column: str | None = None, wide: bool = False,
                  talk_column: str | None = None, wrap_column: str | None = None, duplicates: str = "fail",
                  gap_hours: int = 6, aht_seconds: float | None = None, stream_name: str = SINGLE_STREAM,
                  sheet: str | None = None) -> CallHistory:
    """Hourly calls per stream from a call log (one row per call), an hourly count file (`count_column`) or a
    wide hourly count file (`wide`), with each stream's handle time (io/handle_time.py: from `talk_column`
    plus `wrap_column`, else the mapping's [aht_seconds], else `aht_seconds`, else a default)."""
    zone = _check_arguments(path, timezone, type_column, stream_column, count_column, mapping, gap_hours,
                            wide, talk_column, wrap_column, duplicates)
    frame, sheet = read_table(path, sheet)
    wanted = [timestamp_column, type_column, count_column, stream_column, talk_column, wrap_column]
    columns = {name: find_column(frame, name, path, sheet) for name in wanted if name is not None}
    if wide:
        columns.update({c: c for c in frame.columns if c != columns[timestamp_column]})
    table = CallTable(path, sheet, frame, columns)
    hourly = wide or count_column is not None

    # The same local hour and line twice in a count file: the two hours of a fall-back night.
    repeat_keys = [c for c in (type_column, stream_column) if c] if hourly else None
    utc, dst_rows, moved = _instants(table, timestamp_column, zone, repeat_keys)
    instants = pd.DatetimeIndex(utc).tz_localize("UTC")
    # Hours start on the local hour: shift by the zone offset's minutes (0 in whole-hour zones) before
    # flooring.
    offset = instants.tz_convert(zone).tz_localize(None) - instants.tz_localize(None)
    remainder = pd.TimedeltaIndex(offset) % HOUR
    hours = (instants - remainder).floor("h") + remainder
    if hourly:
        table.fail(np.asarray(hours != instants), timestamp_column, "not the start of an hour",
                   "an hourly count file gives each hour's start, e.g. 2016-03-13 01:00")

    shape = (wide_records(table, hours, timestamp_column, mapping) if wide else
             long_records(table, hours, type_column=type_column, stream_column=stream_column,
                          count_column=count_column, mapping=mapping, stream_name=stream_name))
    records = _with_durations(shape, table, talk_column, wrap_column)
    records["moved"] = moved[records["position"].to_numpy()]
    repeated, repeats = 0, ()
    if hourly:
        records, repeated, repeats = read_repeats_once(records, duplicates, table, zone)
    counts, gaps, quiet = _hourly_counts(records, shape.streams, gap_hours, zone, hourly)

    quality = HistoryQuality(
        rows=len(frame), duplicates=repeated if hourly else int(frame.duplicated().sum()),
        out_of_order=int((np.diff(utc.astype("int64")) < 0).sum()), unknown_types=shape.unknown_types,
        gaps=gaps, nonexistent_or_ambiguous=dst_rows, gap_hours=gap_hours, hourly=hourly, repeats=repeats,
        duplicate_policy=duplicates, ignored_columns=shape.ignored_columns, quiet_runs=quiet)
    return CallHistory(path, timezone, counts, quality,
                       handle_times(records, shape.streams, mapping, aht_seconds, hourly))


def _check_arguments(path: Path, timezone: str, type_column: str | None, stream_column: str | None,
                     count_column: str | None, mapping: StreamMapping | None, gap_hours: int, wide: bool,
                     talk_column: str | None, wrap_column: str | None, duplicates: str) -> ZoneInfo:
    """The center's time zone, once the columns asked for fit together."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError("unknown time zone", value=timezone,
                         fix="use an IANA name such as America/New_York") from None
    if type_column is not None and stream_column is not None:
        raise InputError("give either a call-type column (mapped to streams) or a stream column, not both",
                         file=path)
    if wide and (type_column or stream_column or count_column or talk_column or wrap_column):
        raise InputError("a wide file's columns are its lines' counts: give no type, stream, count or "
                         "duration column with it", file=path,
                         fix="leave those options out, or read a long file (one row per hour and line)")
    if wrap_column is not None and talk_column is None:
        raise InputError(f"wrap-up column {wrap_column!r} without a talk-time column", file=path,
                         fix="name the talk-time column too: handle time is talk plus wrap-up")
    if type_column is not None and mapping is None:
        raise InputError(f"call-type column {type_column!r} needs a stream mapping", file=path,
                         fix="give a mapping file such as inputs/call_types.toml, or a stream column if the "
                             "column already names the streams")
    several = mapping is not None and len(mapping.streams) > 1
    if several and not wide and type_column is None and stream_column is None:
        raise InputError(f"the stream mapping has {len(mapping.streams)} streams but no call-type column was "
                         "given", file=path, fix="name the column that holds the call type, or read a wide "
                                                 "file (one count column per line) as wide")
    if gap_hours < 1:
        raise ValueError("gap_hours must be at least 1")
    if duplicates not in DUPLICATE_POLICIES:
        raise ValueError(f"duplicates must be one of {', '.join(DUPLICATE_POLICIES)}")
    return zone


def _with_durations(shape: CallRecords, table: CallTable, talk_column: str | None,
                    wrap_column: str | None) -> pd.DataFrame:
    """The records, with each one's talk and wrap-up seconds where those columns are given."""
    records = shape.records
    for name, column in (("talk", talk_column), ("wrap", wrap_column)):
        if column is not None:
            records = records.assign(**{name: durations(table, column)[records["position"].to_numpy()]})
    return records


def _hourly_counts(records: pd.DataFrame, names: list[str], gap_hours: int, zone: ZoneInfo,
                   hourly: bool) -> tuple[pd.DataFrame, tuple, tuple]:
    """Calls per hour and stream over every hour first..last (0: no calls; NaN: an hour of a gap, i.e. of a
    run of `gap_hours` hours without a record, in a log of calls an improbable one), the gaps and a log of
    calls' quiet runs (zero calls)."""
    hours = pd.DatetimeIndex(records["hour"])
    keep = records["stream"].notna().to_numpy()
    table = (records[keep].groupby(["hour", "stream"], sort=False)["calls"].sum()
             .unstack("stream", fill_value=0))
    index = pd.date_range(hours.min(), hours.max(), freq="h", name="hour")
    index = index.union(hours) if not hours.isin(index).all() else index
    counts = table.reindex(index=index, columns=names, fill_value=0).fillna(0).astype(float)
    # A log's every call, of a known type or not, says the log was being kept that hour.
    calls = None if hourly else records.groupby("hour")["calls"].sum().reindex(index, fill_value=0).to_numpy()
    missing, gaps, quiet = find_gaps(index, hours, gap_hours, zone, calls)
    counts.loc[missing] = np.nan
    counts.columns.name = "stream"
    counts.index.name = "hour"
    return counts, gaps, quiet


def _instants(log: CallTable, column: str, zone: ZoneInfo,
              repeat_keys: list[str] | None) -> tuple[np.ndarray, int, np.ndarray]:
    """Exact UTC instants (naive datetime64[ns]) of the time stamps, how many local ones needed a
    daylight-saving rule, and which were in the spring-forward gap (moved forward). `repeat_keys`: the
    columns that, with the local hour, key a count file's rows (None: a log of calls, where a repeated
    fall-back time is its first occurrence)."""
    text = log.cells(column)
    log.fail((text == "").to_numpy(), column, "empty time stamp", "fill it in or delete the row")
    has_offset = text.str.contains(_HAS_OFFSET, regex=True).to_numpy()
    utc = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[ns]")
    if has_offset.any():
        exact = pd.to_datetime(text[has_offset], format="ISO8601", utc=True, errors="coerce")
        utc[has_offset] = exact.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    naive_mask = ~has_offset
    dst_rows, moved = 0, np.zeros(len(text), dtype=bool)
    if naive_mask.any():
        local = _parse_local(text[naive_mask])
        occurrence = None
        if repeat_keys is not None:
            keys = [local] + [log.frame.loc[naive_mask, log.columns[c]] for c in repeat_keys]
            occurrence = pd.DataFrame({i: k.to_numpy() for i, k in enumerate(keys)}).groupby(
                list(range(len(keys))), dropna=False).cumcount().to_numpy()
        exact, flagged, moved[naive_mask] = _localize(local, zone, occurrence)
        utc[naive_mask], dst_rows = exact, int(flagged.sum())
    log.fail(np.isnat(utc) | ~text.str.contains(_HAS_TIME, regex=True).to_numpy(), column,
             "not a date-time", "write e.g. 2016-03-13 01:30:00 (local time) or 2016-03-13T01:30:00-05:00")
    return utc, dst_rows, moved


def _parse_local(text: pd.Series) -> pd.Series:
    """Naive local date-times: ISO 8601, else US month/day/year; NaT where neither fits."""
    local = pd.to_datetime(text, format="ISO8601", errors="coerce")
    for layout in _US_FORMATS:
        missing = local.isna()
        if not missing.any():
            break
        local[missing] = pd.to_datetime(text[missing], format=layout, errors="coerce")
    return local


def _localize(local: pd.Series, zone: ZoneInfo,
              occurrence: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """UTC instants (naive datetime64[ns]) of local wall-clock times, which needed a daylight-saving rule, and
    which of those were in the spring gap.

    A time in the spring gap is read with the offset before the change (moved forward 1 h). A time in the
    fall-back fold is read as its first occurrence, unless `occurrence` says it is the second (hourly count
    files)."""
    stamps = pd.DatetimeIndex(local.to_numpy(dtype="datetime64[ns]"))
    strict = stamps.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
    flagged = np.asarray(strict.isna() & ~stamps.isna())
    utc = np.array(strict.tz_convert("UTC").tz_localize(None), dtype="datetime64[ns]")  # a writable copy
    moved = np.zeros(len(stamps), dtype=bool)
    if flagged.any():
        odd = stamps[flagged]
        ones = np.ones(len(odd), dtype=bool)
        as_dst = odd.tz_localize(zone, ambiguous=ones, nonexistent=HOUR).tz_convert("UTC").tz_localize(None)
        as_std = odd.tz_localize(zone, ambiguous=~ones, nonexistent=HOUR).tz_convert("UTC").tz_localize(None)
        dst, std = as_dst.to_numpy(dtype="datetime64[ns]"), as_std.to_numpy(dtype="datetime64[ns]")
        first, second = np.minimum(dst, std), np.maximum(dst, std)
        later = occurrence[flagged] % 2 == 1 if occurrence is not None else np.zeros(len(odd), dtype=bool)
        utc[flagged] = np.where(later, second, first)
        moved[flagged] = dst == std  # a time in the spring gap has one reading, a fall-back time two
    return utc, flagged, moved


