"""Read a center's call history (CSV or XLSX) into hourly call counts per stream, with a data-quality report.

Two shapes of file are read, with every column name given by the caller (never assumed):

- one row per call: a timestamp column and, optionally, a call-type column mapped to streams by a
  `StreamMapping` (without one, every call belongs to a single stream: the mapping's only stream, or "calls");
- hourly counts already aggregated: a timestamp column (the hour's start), a count column and, optionally, a
  stream column (values are stream names) or a call-type column mapped through the mapping.

Time stamps without a UTC offset are local wall-clock times in `timezone`; those with an offset (`...-05:00`,
`Z`) are exact and are converted. Two kinds of local time need a rule, and are counted in
`HistoryQuality.nonexistent_or_ambiguous`:

- a time in the spring-forward gap (02:30 on the night clocks jump from 02:00 to 03:00) does not exist: it is
  read with the offset in force before the change, i.e. moved forward one hour (02:30 becomes 03:30 daylight
  time);
- a time in the fall-back hour (01:30 happens twice) is read as its first occurrence (daylight time). In an
  hourly count file the same local hour and stream given twice is read as the two occurrences, in file order.
  A time stamp with a UTC offset is never ambiguous.

The counts' index is every UTC hour from the first to the last hour with data, so a week with a
daylight-saving change has 167 or 169 rows, and an hour with no calls is 0. Hours start on the local hour
(a +05:30 zone's hours start at :30 UTC).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from scheduler.errors import InputError
from scheduler.io.call_table import find_column, read_table
from scheduler.io.rules import load_toml

UNKNOWN_MODES = ("error", "drop")
SINGLE_STREAM = "calls"
HOUR = pd.Timedelta(hours=1)

# A time of day must be present: "2016-03-13" alone is not a call's time stamp.
_HAS_TIME = r"\d(?:[T ]|\s+)\d{1,2}:\d\d"
_HAS_OFFSET = r"\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:[+-]\d\d(?::?\d\d)?|Z)$"
# Besides ISO 8601, the US month/day/year layouts that CAD exports and Excel write.
_US_FORMATS = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p")


@dataclass(frozen=True)
class StreamMapping:
    """Which call types make up each call stream, and each stream's mean handle time (see
    inputs/call_types.toml)."""

    streams: dict[str, tuple[str, ...]]  # stream -> call types (values of the type column)
    aht_seconds: dict[str, float]  # stream -> mean handle time written into forecasts
    unknown: str = "error"  # a call type in no stream: "error" stops, "drop" leaves it out and reports it
    source: Path | None = None  # the mapping file, named in error messages

    def stream_of(self) -> dict[str, str]:
        return {call_type: stream for stream, types in self.streams.items() for call_type in types}


@dataclass(frozen=True)
class HistoryQuality:
    """What reading the history found. Nothing here stops the read; `lines()` says it for the CLI.

    `nonexistent_or_ambiguous` counts local time stamps (without a UTC offset) that needed a daylight-saving
    rule: a time in the spring-forward gap (02:30 when clocks jump 02:00 -> 03:00) is read with the offset in
    force before the change, i.e. one hour later on the clock (03:30 daylight time); a time in the repeated
    fall-back hour is read as its first occurrence (daylight time), except that in an hourly count file a
    local hour given a second time for the same stream or call type is the second occurrence (standard time).
    Time stamps with an offset are exact. `gaps` are (start of the first empty hour, end of the last), in the
    center's time zone.
    """

    rows: int  # data rows read (blank rows skipped)
    duplicates: int  # rows identical to an earlier row (kept: two incidents may share a minute)
    out_of_order: int  # rows whose time stamp is earlier than the row before
    unknown_types: dict[str, int]  # call types with no stream in the mapping (dropped), with their counts
    # Runs of >= gap_hours empty hours: (first hour start, end), local.
    gaps: tuple[tuple[datetime, datetime], ...]
    nonexistent_or_ambiguous: int  # local times in a DST gap (moved forward 1 h) or fold (first occurrence)
    gap_hours: int = 6

    def lines(self) -> list[str]:
        """Human sentences for the CLI, one finding each."""
        out = [f"{self.rows:,} rows read"]
        if self.duplicates:
            out.append(f"{self.duplicates:,} duplicate rows (kept: two incidents may share a time stamp)")
        if self.out_of_order:
            out.append(f"{self.out_of_order:,} rows earlier than the row before (out of order; counted by "
                       "hour)")
        if self.unknown_types:
            total = sum(self.unknown_types.values())
            shown = sorted(self.unknown_types.items(), key=lambda kv: (-kv[1], kv[0]))
            listed = ", ".join(f"{name or '(empty)'} {n:,}" for name, n in shown[:8])
            more = f" and {len(shown) - 8} more types" if len(shown) > 8 else ""
            out.append(f"{total:,} calls of {len(shown)} unknown call types dropped ({listed}{more})")
        if self.gaps:
            hours = sum(round((end - start) / HOUR) for start, end in self.gaps)
            listed = "; ".join(f"{_when(start)} to {_when(end)} ({round((end - start) / HOUR)} h)"
                               for start, end in self.gaps[:5])
            more = f"; and {len(self.gaps) - 5} more" if len(self.gaps) > 5 else ""
            out.append(f"{len(self.gaps):,} gaps of {self.gap_hours} or more hours without a single call, "
                       f"{hours:,} hours in all (missing data?): {listed}{more}")
        if self.nonexistent_or_ambiguous:
            out.append(f"{self.nonexistent_or_ambiguous:,} local times in a daylight-saving change (a time "
                       "in the spring gap moved forward 1 h, a repeated fall-back time read as its first "
                       "occurrence)")
        return out


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M %z")


@dataclass(frozen=True)
class CallHistory:
    source: Path
    timezone: str
    # Index: every UTC hour first..last (tz-aware), columns: streams, int64 (0: no calls).
    counts: pd.DataFrame
    quality: HistoryQuality = field(repr=False)


# -------------------------------------------------------------------------------------------------- mapping


def read_stream_mapping(path: Path) -> StreamMapping:
    """Read a mapping file:
    `unknown = "error"|"drop"`, `[streams] name = [types]`, `[aht_seconds] name = s`."""
    raw = load_toml(path, "inputs/call_types.toml")
    for key in raw:
        if key not in ("unknown", "streams", "aht_seconds"):
            raise InputError(f"unknown key {key!r}", file=path,
                             fix="use unknown, [streams] and [aht_seconds]")

    unknown = raw.get("unknown", "error")
    if unknown not in UNKNOWN_MODES:
        raise InputError("unknown must be \"error\" or \"drop\"", file=path, value=unknown)
    streams = _mapped_streams(raw.get("streams"), path)
    return StreamMapping(streams, _handle_times(raw.get("aht_seconds", {}), streams, path), unknown, path)


def _mapped_streams(table: Any, path: Path) -> dict[str, tuple[str, ...]]:
    """Stream -> call types of a mapping's [streams], each call type in one stream."""
    if not isinstance(table, dict) or not table:
        raise InputError("missing [streams]", file=path,
                         fix='list each stream\'s call types, e.g. "911_police" = ["Traffic"]')
    streams: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for stream, types in table.items():
        named = isinstance(types, list) and all(isinstance(t, str) and t.strip() for t in types)
        if not named or not types:
            raise InputError(f"[streams] {stream} must be a list of call types", file=path, value=types,
                             fix=f'write e.g. "{stream}" = ["EMS", "Fire"]')
        for call_type in (t.strip() for t in types):
            if call_type in owner:
                raise InputError(f"call type {call_type!r} is in two streams, {owner[call_type]} and "
                                 f"{stream}", file=path, fix="list each call type in one stream only")
            owner[call_type] = stream
        streams[stream] = tuple(t.strip() for t in types)
    return streams


def _handle_times(aht_table: Any, streams: dict[str, tuple[str, ...]], path: Path) -> dict[str, float]:
    """Stream -> mean handle time in seconds of a mapping's [aht_seconds], one for every stream."""
    if not isinstance(aht_table, dict):
        raise InputError("aht_seconds must be a table [aht_seconds]", file=path)
    aht: dict[str, float] = {}
    for stream, seconds in aht_table.items():
        if stream not in streams:
            raise InputError(f"[aht_seconds] {stream} is not a stream in [streams]", file=path,
                             fix=f"use one of {', '.join(streams)}")
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 < seconds < 86_400:
            raise InputError(f"[aht_seconds] {stream} must be a positive number of seconds", file=path,
                             value=seconds)
        aht[stream] = float(seconds)
    for stream in streams:
        if stream not in aht:
            raise InputError(f"[aht_seconds] has no handle time for {stream}", file=path,
                             fix=f"add {stream} = <mean handle time in seconds> under [aht_seconds]")
    return aht


# ------------------------------------------------------------------------------------------------- call log


@dataclass(frozen=True)
class _Log:
    """A call log's rows and the columns asked for, to name the first bad cell of a column."""

    path: Path
    sheet: str | None  # None: a CSV file
    frame: pd.DataFrame
    columns: dict[str, str]  # column asked for -> the file's header

    def cells(self, column: str) -> pd.Series:
        return self.frame[self.columns[column]]

    def fail(self, mask: np.ndarray, column: str, message: str, fix: str | None) -> None:
        """An InputError naming the first row of `mask`, if any."""
        if mask.any():
            i = int(mask.nonzero()[0][0])
            row = int(self.frame.index[i]) + (2 if self.sheet is None else 0)  # CSV: position + header
            raise InputError(message, file=self.path, sheet=self.sheet, row=row, column=column,
                             value=self.cells(column).iloc[i], fix=fix)


def read_call_log(path: Path, *, timezone: str, timestamp_column: str = "timestamp",
                  type_column: str | None = None, mapping: StreamMapping | None = None,
                  count_column: str | None = None, stream_column: str | None = None, gap_hours: int = 6,
                  sheet: str | None = None) -> CallHistory:
    """Hourly calls per stream from a call log (one row per call) or an hourly count file (`count_column`)."""
    zone = _check_arguments(path, timezone, type_column, stream_column, mapping, gap_hours)
    frame, sheet = read_table(path, sheet)
    wanted = [timestamp_column, type_column, count_column, stream_column]
    log = _Log(path, sheet, frame, {name: find_column(frame, name, path, sheet) for name in wanted
                                        if name is not None})

    # The same local hour and stream twice in a count file: the two hours of a fall-back night.
    repeat_keys = [c for c in (type_column, stream_column) if c] if count_column is not None else None
    utc, dst_rows = _instants(log, timestamp_column, zone, repeat_keys)
    instants = pd.DatetimeIndex(utc).tz_localize("UTC")
    # Hours start on the local hour: shift by the zone offset's minutes (0 in whole-hour zones) before
    # flooring.
    offset = instants.tz_convert(zone).tz_localize(None) - instants.tz_localize(None)
    remainder = pd.TimedeltaIndex(offset) % HOUR
    hours = (instants - remainder).floor("h") + remainder

    if count_column is not None:
        log.fail(np.asarray(hours != instants), timestamp_column, "not the start of an hour",
                 "an hourly count file gives each hour's start, e.g. 2016-03-13 01:00")
        weights = _counts(log, count_column)
    else:
        weights = np.ones(len(frame), dtype=np.int64)
    stream, names, unknown_types = _row_streams(log, type_column, stream_column, mapping, weights)
    counts = _hourly_counts(hours, stream, weights, names)

    quality = HistoryQuality(
        rows=len(frame), duplicates=int(frame.duplicated().sum()),
        out_of_order=int((np.diff(utc.astype("int64")) < 0).sum()), unknown_types=unknown_types,
        gaps=_gaps(counts.sum(axis=1), gap_hours, zone), nonexistent_or_ambiguous=dst_rows,
        gap_hours=gap_hours)
    return CallHistory(path, timezone, counts, quality)


def _check_arguments(path: Path, timezone: str, type_column: str | None, stream_column: str | None,
                     mapping: StreamMapping | None, gap_hours: int) -> ZoneInfo:
    """The center's time zone, once the columns asked for fit together."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError("unknown time zone", value=timezone,
                         fix="use an IANA name such as America/New_York") from None
    if type_column is not None and stream_column is not None:
        raise InputError("give either a call-type column (mapped to streams) or a stream column, not both",
                         file=path)
    if type_column is not None and mapping is None:
        raise InputError(f"call-type column {type_column!r} needs a stream mapping", file=path,
                         fix="give a mapping file such as inputs/call_types.toml, or a stream column if the "
                             "column already names the streams")
    if type_column is None and stream_column is None and mapping is not None and len(mapping.streams) > 1:
        raise InputError(f"the stream mapping has {len(mapping.streams)} streams but no call-type column was "
                         "given", file=path, fix="name the column that holds the call type")
    if gap_hours < 1:
        raise ValueError("gap_hours must be at least 1")
    return zone


def _instants(log: _Log, column: str, zone: ZoneInfo,
              repeat_keys: list[str] | None) -> tuple[np.ndarray, int]:
    """Exact UTC instants (naive datetime64[ns]) of the time stamps, and how many local ones needed a
    daylight-saving rule. `repeat_keys`: the columns that, with the local hour, key a count file's rows (None:
    a log of calls, where a repeated fall-back time is its first occurrence)."""
    text = log.cells(column)
    log.fail((text == "").to_numpy(), column, "empty time stamp", "fill it in or delete the row")
    has_offset = text.str.contains(_HAS_OFFSET, regex=True).to_numpy()
    utc = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[ns]")
    if has_offset.any():
        exact = pd.to_datetime(text[has_offset], format="ISO8601", utc=True, errors="coerce")
        utc[has_offset] = exact.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    naive_mask = ~has_offset
    dst_rows = 0
    if naive_mask.any():
        local = _parse_local(text[naive_mask])
        occurrence = None
        if repeat_keys is not None:
            keys = [local] + [log.frame.loc[naive_mask, log.columns[c]] for c in repeat_keys]
            occurrence = pd.DataFrame({i: k.to_numpy() for i, k in enumerate(keys)}).groupby(
                list(range(len(keys))), dropna=False).cumcount().to_numpy()
        exact, dst_rows = _localize(local, zone, occurrence)
        utc[naive_mask] = exact
    log.fail(np.isnat(utc) | ~text.str.contains(_HAS_TIME, regex=True).to_numpy(), column,
             "not a date-time", "write e.g. 2016-03-13 01:30:00 (local time) or 2016-03-13T01:30:00-05:00")
    return utc, dst_rows


def _counts(log: _Log, column: str) -> np.ndarray:
    """The calls of each row of an hourly count file: whole numbers, 0 or more."""
    raw = log.cells(column)
    values = pd.to_numeric(raw.str.replace(",", "", regex=False), errors="coerce").to_numpy(dtype=float)
    log.fail(np.isnan(values) | ~np.isfinite(values), column, "not a number", "write a whole number of calls")
    log.fail(values < 0, column, "negative count", "calls in an hour are 0 or more")
    log.fail(values != np.floor(values), column, "not a whole number", "write a whole number of calls")
    return values.astype(np.int64)


def _row_streams(log: _Log, type_column: str | None, stream_column: str | None, mapping: StreamMapping | None,
                 weights: np.ndarray) -> tuple[pd.Series, list[str], dict[str, int]]:
    """Each row's stream (NaN: a dropped call type), the streams in column order, and the calls dropped per
    unknown call type."""
    if stream_column is not None:
        stream = log.cells(stream_column)
        log.fail((stream == "").to_numpy(), stream_column, "empty stream", "name the call stream")
        return stream, sorted(stream.unique()), {}
    if type_column is not None:
        assert mapping is not None
        kinds = log.cells(type_column)
        stream = kinds.map(mapping.stream_of())
        unmapped = stream.isna().to_numpy()
        if unmapped.any() and mapping.unknown == "error":
            where = mapping.source.name if mapping.source else "the mapping file"
            first = kinds[unmapped].iloc[0]
            log.fail(unmapped, type_column, "call type in no stream" if first else "empty call type",
                     f"add it to [streams] in {where}, or set unknown = \"drop\"")
        dropped = pd.Series(weights[unmapped]).groupby(kinds[unmapped].to_numpy()).sum()
        return stream, list(mapping.streams), {str(k): int(v) for k, v in dropped.items()}
    only = next(iter(mapping.streams)) if mapping is not None else SINGLE_STREAM
    return pd.Series(only, index=log.frame.index), [only], {}


def _hourly_counts(hours: pd.DatetimeIndex, stream: pd.Series, weights: np.ndarray,
                   names: list[str]) -> pd.DataFrame:
    """Calls per hour and stream over every hour first..last (0: no calls)."""
    keep = stream.notna().to_numpy()
    table = (pd.DataFrame({"hour": hours[keep], "stream": stream.to_numpy()[keep], "calls": weights[keep]})
             .groupby(["hour", "stream"], sort=False)["calls"].sum().unstack("stream", fill_value=0))
    index = pd.date_range(hours.min(), hours.max(), freq="h", name="hour")
    index = index.union(table.index) if not table.index.isin(index).all() else index
    counts = table.reindex(index=index, columns=names, fill_value=0).fillna(0).astype(np.int64)
    counts.columns.name = "stream"
    counts.index.name = "hour"
    return counts


def _parse_local(text: pd.Series) -> pd.Series:
    """Naive local date-times: ISO 8601, else US month/day/year; NaT where neither fits."""
    local = pd.to_datetime(text, format="ISO8601", errors="coerce")
    for layout in _US_FORMATS:
        missing = local.isna()
        if not missing.any():
            break
        local[missing] = pd.to_datetime(text[missing], format=layout, errors="coerce")
    return local


def _localize(local: pd.Series, zone: ZoneInfo, occurrence: np.ndarray | None) -> tuple[np.ndarray, int]:
    """UTC instants (naive datetime64[ns]) of local wall-clock times, and how many needed a daylight-saving
    rule.

    A time in the spring gap is read with the offset before the change (moved forward 1 h). A time in the
    fall-back fold is read as its first occurrence, unless `occurrence` says it is the second (hourly count
    files)."""
    stamps = pd.DatetimeIndex(local.to_numpy(dtype="datetime64[ns]"))
    strict = stamps.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
    flagged = np.asarray(strict.isna() & ~stamps.isna())
    utc = np.array(strict.tz_convert("UTC").tz_localize(None), dtype="datetime64[ns]")  # a writable copy
    if flagged.any():
        odd = stamps[flagged]
        ones = np.ones(len(odd), dtype=bool)
        as_dst = odd.tz_localize(zone, ambiguous=ones, nonexistent=HOUR).tz_convert("UTC").tz_localize(None)
        as_std = odd.tz_localize(zone, ambiguous=~ones, nonexistent=HOUR).tz_convert("UTC").tz_localize(None)
        dst, std = as_dst.to_numpy(dtype="datetime64[ns]"), as_std.to_numpy(dtype="datetime64[ns]")
        first, second = np.minimum(dst, std), np.maximum(dst, std)
        later = occurrence[flagged] % 2 == 1 if occurrence is not None else np.zeros(len(odd), dtype=bool)
        utc[flagged] = np.where(later, second, first)
    return utc, int(flagged.sum())


def _gaps(total: pd.Series, gap_hours: int, zone: ZoneInfo) -> tuple[tuple[datetime, datetime], ...]:
    """Runs of at least `gap_hours` hours with no call in any stream: (start of the first, end of the last),
    local."""
    empty = (total.to_numpy() == 0).astype(np.int8)
    edges = np.diff(np.concatenate(([0], empty, [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    hours = total.index
    out = []
    for start, end in zip(starts, ends, strict=True):
        if end - start >= gap_hours:
            out.append((hours[start].tz_convert(zone).to_pydatetime(),
                        (hours[end - 1] + HOUR).tz_convert(zone).to_pydatetime()))
    return tuple(out)
