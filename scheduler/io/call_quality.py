"""What reading a call history found: repeated hours, gaps and the other findings `scheduler forecast`
prints, and the two quality rules that change the counts (a repeated hour is read once, a gap is missing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from scheduler.io.call_table import CallTable

DUPLICATE_POLICIES = ("fail", "keep-first", "keep-last")
HOUR = pd.Timedelta(hours=1)
# A run of hours without a call in a log of calls is missing data only when more calls than this were expected
# over it at those hours' usual rates: if calls are Poisson, the chance of none is then below e^-10 (1 in
# 22,000). Not lower: such a silence has a chance to start at every hour, 8,760 a year; simulated years of a
# rural center (2 calls/h by day, 0.3 at night) had 1-5 false gaps at 5, 0-3 at 8 and none at 10, and a
# 6-hour outage at 2 calls/h (12 expected) is still a gap.
GAP_EXPECTED_CALLS = 10.0
Run = tuple[datetime, datetime]  # (start of the first hour, end of the last), local


@dataclass(frozen=True)
class Repeat:
    """One hour of one line given in several rows of an hourly count file with different counts."""

    hour: datetime  # local start of the hour
    line: str  # the call type, stream or wide column counted
    rows: tuple[int, ...]  # the file's row numbers, in file order
    counts: tuple[int, ...]  # their counts


@dataclass(frozen=True)
class HistoryQuality:
    """What reading the history found. Nothing here stops the read; `lines()` says it for the CLI.

    `nonexistent_or_ambiguous` counts local time stamps (without a UTC offset) that needed a daylight-saving
    rule: a time in the spring-forward gap (02:30 when clocks jump 02:00 -> 03:00) is read with the offset in
    force before the change, i.e. one hour later on the clock (03:30 daylight time); a time in the repeated
    fall-back hour is read as its first occurrence (daylight time), except that in an hourly count file a
    local hour given a second time for the same line is the second occurrence (standard time).
    Time stamps with an offset are exact. `gaps` are (start of the first hour without a row, end of the last),
    in the center's time zone: missing data, NaN in `CallHistory.counts`. In a log of calls a run of hours
    without a call is a gap only when improbable at those hours' usual rates (find_gaps); a likely one is in
    `quiet_runs`, zero calls.
    """

    rows: int  # data rows read (blank rows skipped)
    # A log of calls: rows identical to an earlier row (kept: two incidents may share a minute). An hourly
    # count file: rows giving an hour and line already given, with the same count (read once).
    duplicates: int
    out_of_order: int  # rows whose time stamp is earlier than the row before
    unknown_types: dict[str, int]  # call types with no stream in the mapping (dropped), with their counts
    gaps: tuple[Run, ...]  # runs of >= gap_hours hours without a row (a log of calls: improbable ones)
    nonexistent_or_ambiguous: int  # local times in a DST gap (moved forward 1 h) or fold (first occurrence)
    gap_hours: int = 6
    hourly: bool = False  # an hourly count file (long or wide), not a log of calls
    repeats: tuple[Repeat, ...] = ()  # hours given with different counts, read by `duplicate_policy`
    duplicate_policy: str = "fail"
    ignored_columns: tuple[str, ...] = ()  # wide file columns in no stream, left out (unknown = "drop")
    quiet_runs: tuple[Run, ...] = ()  # a log of calls' runs of >= gap_hours hours without a call, read as 0

    def lines(self) -> list[str]:
        """Human sentences for the CLI, one finding each."""
        out = [f"{_count(self.rows, 'row')} read"]
        if self.duplicates and self.hourly:
            repeat = "repeats" if self.duplicates == 1 else "repeat"
            out.append(f"{_count(self.duplicates, 'row')} {repeat} an hour already given with the same count "
                       "(read once)")
        elif self.duplicates:
            out.append(f"{_count(self.duplicates, 'duplicate row')} (kept: two incidents may share a time "
                       "stamp)")
        if self.repeats:
            out.append(self._repeats_line())
        if self.out_of_order:
            out.append(f"{_count(self.out_of_order, 'row')} earlier than the row before (out of order; "
                       "counted by hour)")
        if self.unknown_types:
            total = sum(self.unknown_types.values())
            shown = sorted(self.unknown_types.items(), key=lambda kv: (-kv[1], kv[0]))
            listed = ", ".join(f"{name or '(empty)'} {n:,}" for name, n in shown[:8])
            more = f" and {len(shown) - 8} more types" if len(shown) > 8 else ""
            out.append(f"{total:,} calls of {len(shown)} unknown call types dropped ({listed}{more})")
        if self.ignored_columns:
            out.append(f"columns in no stream, not read: {', '.join(self.ignored_columns)}")
        if self.gaps:
            out.append(self._gaps_line())
        if self.quiet_runs:
            hours = sum(round((end - start) / HOUR) for start, end in self.quiet_runs)
            out.append(f"{_count(len(self.quiet_runs), 'run')} of {self.gap_hours} or more hours without a "
                       f"call, {_count(hours, 'hour')} in all, read as zero calls: {GAP_EXPECTED_CALLS:g} or "
                       "fewer calls expected at those hours' usual rates")
        if self.nonexistent_or_ambiguous:
            out.append(self._daylight_saving_line())
        return out

    def _daylight_saving_line(self) -> str:
        if self.hourly:
            rule = ("an hour in the spring gap read as the next hour, its calls added to that hour's; a "
                    "fall-back hour read first as daylight time and, given again for the same line, as "
                    "standard time")
        else:
            rule = ("a time in the spring gap moved forward 1 h, a repeated fall-back time read as its first "
                    "occurrence")
        return f"{_count(self.nonexistent_or_ambiguous, 'local time')} in a daylight-saving change ({rule})"

    def _repeats_line(self) -> str:
        kept = "first" if self.duplicate_policy == "keep-first" else "last"
        listed = "; ".join(f"{r.line} {_when(r.hour)}: rows {_and(r.rows)} with {_and(r.counts)} calls"
                           for r in self.repeats[:5])
        more = f"; and {len(self.repeats) - 5} more" if len(self.repeats) > 5 else ""
        return (f"{_count(len(self.repeats), 'hour')} given more than once with different counts, the "
                f"{kept} row read (--duplicates {self.duplicate_policy}): {listed}{more}")

    def _gaps_line(self) -> str:
        hours = sum(round((end - start) / HOUR) for start, end in self.gaps)
        listed = "; ".join(f"{_when(start)} to {_when(end)} ({round((end - start) / HOUR)} h)"
                           for start, end in self.gaps[:5])
        more = f"; and {len(self.gaps) - 5} more" if len(self.gaps) > 5 else ""
        what = "a row" if self.hourly else (f"a single call where more than {GAP_EXPECTED_CALLS:g} were "
                                            "expected")
        return (f"{_count(len(self.gaps), 'gap')} of {self.gap_hours} or more hours without {what}, "
                f"{_count(hours, 'hour')} "
                f"in all, read as missing (not as zero calls): {listed}{more}")


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M %z")


def _and(values: tuple[int, ...]) -> str:
    return ", ".join(map(str, values[:-1])) + f" and {values[-1]}"


def read_repeats_once(records: pd.DataFrame, policy: str, table: CallTable,
                      zone: ZoneInfo) -> tuple[pd.DataFrame, int, tuple[Repeat, ...]]:
    """An hourly count file's records with each (hour, line) once: the rows that repeat an hour and line with
    the same count dropped (counted), those with different counts read by `policy` ("fail": an InputError
    naming the first two rows that differ). A dropped call type's rows (no stream) are not checked, nor a row
    in the spring-forward gap, whose calls add to the next hour's as they always have.

    `records`: one row per count in file order, columns `position` (the frame row), `hour`, `line`,
    `column` (the file column the count is in), `stream`, `calls` and `moved` (in the spring gap)."""
    if policy not in DUPLICATE_POLICIES:
        raise ValueError(f"duplicates must be one of {', '.join(DUPLICATE_POLICIES)}")
    checked = (records["stream"].notna() & ~records["moved"]).to_numpy()
    others, records = records[~checked], records[checked]
    keys = ["hour", "line"]
    repeated = records.duplicated(keys, keep=False).to_numpy()
    if not repeated.any():
        return pd.concat([records, others]).sort_values("position", kind="stable"), 0, ()
    differs = records.groupby(keys, sort=False)["calls"].transform("nunique").to_numpy() > 1
    found = []
    for (hour, line), group in records[repeated & differs].groupby(keys, sort=False):
        if policy == "fail":
            first = group.iloc[0]
            other = group[group["calls"] != first["calls"]].iloc[0]
            calls = (int(first["calls"]), int(other["calls"]))
            raise table.error(
                int(other["position"]), str(other["column"]),
                f"the hour {_when(hour.tz_convert(zone))} of {line} is given twice with different counts: "
                f"row {table.row_number(int(first['position']))} has {calls[0]} calls, row "
                f"{table.row_number(int(other['position']))} has {calls[1]}",
                "keep the right row and delete the other, or choose one with --duplicates keep-first or "
                "keep-last", value=calls[1])
        found.append(Repeat(hour.tz_convert(zone).to_pydatetime(), str(line),
                            tuple(table.row_number(int(p)) for p in group["position"]),
                            tuple(int(c) for c in group["calls"])))
    same = int((repeated & ~differs).sum() - (~records[repeated & ~differs].duplicated(keys)).sum())
    kept = records.drop_duplicates(keys, keep="first" if policy == "keep-first" else "last")
    return pd.concat([kept, others]).sort_values("position", kind="stable"), same, tuple(found)


def find_gaps(index: pd.DatetimeIndex, present: pd.DatetimeIndex, gap_hours: int, zone: ZoneInfo,
              calls: np.ndarray | None = None) -> tuple[np.ndarray, tuple[Run, ...], tuple[Run, ...]]:
    """The hours of `index` in a gap, the gaps and the quiet runs, each run as (start of its first hour, end
    of its last), local.

    A run of at least `gap_hours` hours absent from `present` is a gap, unless `calls` (a log of calls: the
    calls in each hour of `index`) says so long a silence is likely at those hours: then it is a gap only when
    the calls expected over it (expected_calls) exceed GAP_EXPECTED_CALLS, and otherwise a quiet run, zero
    calls."""
    empty = (~index.isin(present)).astype(np.int8)
    edges = np.diff(np.concatenate(([0], empty, [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    mask = np.zeros(len(index), dtype=bool)
    gaps, quiet = [], []
    for start, end in zip(starts, ends, strict=True):
        if end - start < gap_hours:
            continue
        run = (index[start].tz_convert(zone).to_pydatetime(),
               (index[end - 1] + HOUR).tz_convert(zone).to_pydatetime())
        if calls is None or expected_calls(index, calls, start, end, zone) > GAP_EXPECTED_CALLS:
            mask[start:end] = True
            gaps.append(run)
        else:
            quiet.append(run)
    return mask, tuple(gaps), tuple(quiet)


def expected_calls(index: pd.DatetimeIndex, calls: np.ndarray, start: int, end: int, zone: ZoneInfo) -> float:
    """The calls expected in the hours start..end-1 of `index` at their usual rates: each hour's mean calls
    at its local hour of the week over the other hours of the log (the run itself left out, so that an outage
    does not lower its own rate; other quiet runs count as zeros); where the log has no other such hour (under
    two weeks), the mean at its hour of the day, else over all other hours."""
    local = index.tz_convert(zone)
    week_hour = np.asarray(local.day_of_week * 24 + local.hour)
    outside = np.ones(len(index), dtype=bool)
    outside[start:end] = False
    expected = np.full(end - start, np.nan)
    for key, size in ((week_hour, 168), (week_hour % 24, 24), (np.zeros(len(index), dtype=int), 1)):
        hours = np.bincount(key[outside], minlength=size)
        rate = np.bincount(key[outside], weights=calls[outside], minlength=size) / np.maximum(hours, 1)
        unknown = np.isnan(expected)
        expected[unknown] = np.where(hours > 0, rate, np.nan)[key[start:end]][unknown]
    return float(np.nansum(expected))


def _count(n: int, noun: str) -> str:
    """`1 row`, `2 rows`, `1,234 rows`."""
    return f"{n:,} {noun}{'s' * (n != 1)}"
