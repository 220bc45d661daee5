"""Each stream's mean handle time for the forecast file: from the call log's durations when it has them
(answered calls only), else from the stream mapping's [aht_seconds], else a default (said in a warning).

A call is answered when its talk time is given and positive; its handle time is talk plus wrap-up (a wrap-up
cell left empty is 0). In an hourly count file the duration cells are the hour's mean per answered call, and
the stream's mean weighs each hour (with a positive talk time) by its calls: all its calls, as an hourly file
has no count of answered calls."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scheduler.io.call_mapping import StreamMapping
from scheduler.io.call_table import CallTable

# 9-1-1 mean handle times in ../shared/DOMAIN.md: police 340 s, EMS 292 s, fire 221 s; 10-digit lines are
# shorter (about 120-180 s). 300 s errs toward more call-takers on 9-1-1 lines.
DEFAULT_AHT_SECONDS = 300.0
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")  # [h:]mm:ss


@dataclass(frozen=True)
class HandleTimes:
    """Every stream's mean handle time in seconds and where it comes from: "call log" (with the calls behind
    it), "types file", "--aht-seconds" (given by the caller) or "default" (DEFAULT_AHT_SECONDS)."""

    seconds: dict[str, float]
    source: dict[str, str]
    # The calls behind each "call log" value: answered calls in a log of calls; in an hourly file (`hourly`)
    # the calls of the hours with a talk time, which weigh the hours' means.
    answered: dict[str, int]
    hourly: bool = False

    def line(self) -> str:
        return "handle time: " + ", ".join(
            f"{stream} {self.seconds[stream]:.0f} s ({self.source[stream]}{self._behind(stream)})"
            for stream in self.seconds)

    def _behind(self, stream: str) -> str:
        if stream not in self.answered:
            return ""
        if self.hourly:
            return f", the hours' means weighted by the hour's calls: {self.answered[stream]:,} calls"
        return f", {self.answered[stream]:,} answered calls"

    def warnings(self) -> tuple[str, ...]:
        defaulted = [stream for stream, source in self.source.items() if source == "default"]
        if not defaulted:
            return ()
        said = (f"no handle time for {', '.join(defaulted)} in the call log or the types file: the forecast "
                f"file says {DEFAULT_AHT_SECONDS:.0f} s; give a talk-time column (--talk-column), "
                "[aht_seconds] in --types or --aht-seconds")
        return (said,)


def durations(table: CallTable, column: str) -> np.ndarray:
    """Seconds per row of a duration column (a number of seconds or [h:]mm:ss); NaN where empty."""
    text = table.cells(column)
    seconds = np.array(pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce"), dtype=float)
    clock = text.str.extract(_CLOCK).astype(float).to_numpy()
    on_clock = ~np.isnan(clock[:, 2])
    seconds[on_clock] = (np.nan_to_num(clock[:, 0]) * 3600 + clock[:, 1] * 60 + clock[:, 2])[on_clock]
    given = (text != "").to_numpy()
    table.fail(given & ~np.isfinite(seconds), column, "not a duration",
               "write seconds (e.g. 245) or h:mm:ss (e.g. 0:04:05); leave it empty for a call not answered")
    table.fail(given & (seconds < 0), column, "negative duration", "a duration is 0 or more seconds")
    table.fail(given & (seconds >= 86_400), column, "a duration of a day or more",
               "write the call's seconds (e.g. 245) or h:mm:ss (e.g. 0:04:05)")
    return np.where(given, seconds, np.nan)


def handle_times(records: pd.DataFrame, streams: list[str], mapping: StreamMapping | None,
                 aht_seconds: float | None, hourly: bool = False) -> HandleTimes:
    """Every stream's handle time: from `records`' `talk` (and `wrap`) columns where the stream has answered
    calls (`hourly`: hours with a positive talk time, weighted by their calls), else the mapping's, else
    `aht_seconds`, else DEFAULT_AHT_SECONDS."""
    from_log, answered = {}, {}
    if "talk" in records:
        talk = records["talk"].to_numpy(dtype=float)
        calls = records["calls"].to_numpy(dtype=float)
        wrap = np.nan_to_num(records["wrap"].to_numpy(dtype=float)) if "wrap" in records else 0.0
        use = (talk > 0) & (calls > 0) & records["stream"].notna().to_numpy()
        frame = pd.DataFrame({"stream": records["stream"][use], "calls": calls[use],
                              "seconds": ((talk + wrap) * calls)[use]})
        totals = frame.groupby("stream")[["calls", "seconds"]].sum()
        from_log = {str(s): float(row.seconds / row.calls) for s, row in totals.iterrows()}
        answered = {str(s): int(row.calls) for s, row in totals.iterrows()}
    given = mapping.aht_seconds if mapping else {}
    seconds, source = {}, {}
    for stream in streams:
        if stream in from_log:
            seconds[stream], source[stream] = from_log[stream], "call log"
        elif stream in given:
            seconds[stream], source[stream] = given[stream], "types file"
        elif aht_seconds is not None:
            seconds[stream], source[stream] = float(aht_seconds), "--aht-seconds"
        else:
            seconds[stream], source[stream] = DEFAULT_AHT_SECONDS, "default"
    return HandleTimes(seconds, source, {s: n for s, n in answered.items() if s in streams}, hourly)
