"""The three shapes of call history, each read into the same records: one row per call, hourly counts in long
form (a count column, with a call-type or stream column), and hourly counts in wide form (one count column
per phone line or stream, named as streams through the stream mapping)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scheduler.errors import InputError
from scheduler.io.call_mapping import StreamMapping
from scheduler.io.call_table import CallTable


@dataclass(frozen=True)
class CallRecords:
    """One record per call (a log of calls) or per count (an hourly file; a wide row gives one per column).

    `records` columns: `position` (the row in the table's frame), `hour` (UTC start), `line` (the call type,
    stream or wide column: an hourly file gives each hour of a line once), `column` (the file column of the
    count), `stream` (NaN: a call type in no stream, dropped) and `calls`."""

    records: pd.DataFrame
    streams: list[str]  # in the mapping's order, else sorted
    unknown_types: dict[str, int]  # calls dropped per call type in no stream
    ignored_columns: tuple[str, ...] = ()  # wide columns in no stream (unknown = "drop")


def long_records(table: CallTable, hours: pd.DatetimeIndex, *, type_column: str | None,
                 stream_column: str | None, count_column: str | None, mapping: StreamMapping | None,
                 stream_name: str) -> CallRecords:
    """Records of a log of calls (no `count_column`) or of hourly counts in long form."""
    calls = _counts(table, count_column) if count_column else np.ones(len(table.frame), dtype=np.int64)
    stream, names, unknown = _row_streams(table, type_column, stream_column, mapping, stream_name, calls)
    key = type_column or stream_column
    line = table.cells(key).to_numpy() if key else np.full(len(calls), names[0], dtype=object)
    records = pd.DataFrame({"position": np.arange(len(calls)), "hour": hours, "line": line,
                            "column": count_column or "", "stream": stream.to_numpy(), "calls": calls})
    return CallRecords(records, names, unknown)


def wide_records(table: CallTable, hours: pd.DatetimeIndex, timestamp_column: str,
                 mapping: StreamMapping | None) -> CallRecords:
    """Records of hourly counts in wide form: every column but the time stamp is a line's count, its name a
    call type of the mapping (or, without a mapping, the stream's name)."""
    lines = [c for c in table.columns if c != timestamp_column]
    if not lines:
        raise InputError("no count columns beside the time stamp", file=table.path, sheet=table.sheet, row=1,
                         fix="a wide file has one column per line or stream, e.g. hour,911_total,admin_total")
    stream_of = mapping.stream_of() if mapping else {c: c for c in lines}
    ignored = tuple(c for c in lines if c not in stream_of)
    if ignored and mapping is not None and mapping.unknown == "error":
        raise InputError("column in no stream", file=table.path, sheet=table.sheet, row=1, column=ignored[0],
                         value=ignored[0], fix=f"add it to [streams] in {mapping.where}, or set unknown = "
                                               "\"drop\" to leave such columns out")
    read = [c for c in lines if c in stream_of]
    names = list(mapping.streams) if mapping else sorted(read)
    missing = [s for s in names if s not in {stream_of[c] for c in read}]
    if missing:
        assert mapping is not None
        raise InputError(f"no column for stream {missing[0]}", file=table.path, sheet=table.sheet, row=1,
                         fix=f"name its column {' or '.join(mapping.streams[missing[0]])}, or change its "
                             f"[streams] entry in {mapping.where}; the columns are {', '.join(lines)}")
    positions = np.arange(len(table.frame))
    records = pd.concat([pd.DataFrame({"position": positions, "hour": hours, "line": c, "column": c,
                                       "stream": stream_of[c], "calls": _counts(table, c)}) for c in read])
    records = records.sort_values("position", kind="stable", ignore_index=True)  # file order
    return CallRecords(records, names, {}, ignored)


def _counts(table: CallTable, column: str) -> np.ndarray:
    """The calls of each row of an hourly count file: whole numbers, 0 or more."""
    raw = table.cells(column)
    values = pd.to_numeric(raw.str.replace(",", "", regex=False), errors="coerce").to_numpy(dtype=float)
    table.fail(~np.isfinite(values), column, "not a number", "write a whole number of calls")
    table.fail(values < 0, column, "negative count", "calls in an hour are 0 or more")
    table.fail(values != np.floor(values), column, "not a whole number", "write a whole number of calls")
    return values.astype(np.int64)


def _row_streams(table: CallTable, type_column: str | None, stream_column: str | None,
                 mapping: StreamMapping | None, stream_name: str,
                 weights: np.ndarray) -> tuple[pd.Series, list[str], dict[str, int]]:
    """Each row's stream (NaN: a dropped call type), the streams in column order, and the calls dropped per
    unknown call type."""
    if stream_column is not None:
        stream = table.cells(stream_column)
        table.fail((stream == "").to_numpy(), stream_column, "empty stream", "name the call stream")
        return stream, sorted(stream.unique()), {}
    if type_column is not None:
        assert mapping is not None
        kinds = table.cells(type_column)
        stream = kinds.map(mapping.stream_of())
        unmapped = stream.isna().to_numpy()
        if unmapped.any() and mapping.unknown == "error":
            first = kinds[unmapped].iloc[0]
            table.fail(unmapped, type_column, "call type in no stream" if first else "empty call type",
                       f"add it to [streams] in {mapping.where}, or set unknown = \"drop\"")
        dropped = pd.Series(weights[unmapped]).groupby(kinds[unmapped].to_numpy()).sum()
        return stream, list(mapping.streams), {str(k): int(v) for k, v in dropped.items()}
    only = next(iter(mapping.streams)) if mapping is not None else stream_name
    return pd.Series(only, index=table.frame.index), [only], {}
