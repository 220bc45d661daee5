"""The forecast stage: a center's call history -> the backtest of every method -> the hourly forecast rows
that `staffing` and `build` read. No file I/O; every object here pickles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import pandas as pd

from scheduler.domain import Horizon
from scheduler.errors import InputError
from scheduler.forecasting import backtest, choose_method, forecast
from scheduler.io.call_log import CallHistory
from scheduler.io.forecast import COLUMNS


@dataclass(frozen=True)
class CallForecast:
    backtest: pd.DataFrame  # (method, stream) -> wape, bias, noise_floor, p90_coverage, hours
    method: str  # the method the forecast used
    predicted: pd.DataFrame  # UTC hour x (stream, "p50" or "p90"): calls
    table: pd.DataFrame  # the forecast file's rows (io.forecast.COLUMNS)
    warnings: tuple[str, ...] = ()  # legal but suspicious: printed by `scheduler forecast`


# A forecast further than this after the history's last hour carries an old level forward: said, not refused
# (a center may plan a later season on purpose).
STALE_WEEKS = 8


def _stale(history: CallHistory, start: pd.Timestamp) -> tuple[str, ...]:
    last = history.counts.index[-1]
    gap = (start - last) / pd.Timedelta(weeks=1)
    if gap <= STALE_WEEKS:
        return ()
    local = f"{last.tz_convert(history.timezone):%Y-%m-%d %H:%M}"
    said = (f"the call history ends {gap:.0f} weeks before the forecast starts (its last hour {local}): the "
            "forecast carries that old level forward; give a recent history")
    return (said,)


def _check_history_length(history: CallHistory, start: pd.Timestamp, week_start: date,
                          backtest_weeks: int) -> None:
    counts = history.counts
    needed = (backtest_weeks + 9) * 168  # every backtest origin needs 8 weeks of history before it
    if len(counts) < needed:
        raise InputError(f"the history holds {len(counts):,} hours; the backtest needs {needed:,} "
                         f"({backtest_weeks} test weeks after 9 weeks of history)", file=history.source,
                         fix="give a longer call history or a smaller --backtest-weeks")
    if start <= counts.index[0] + pd.Timedelta(weeks=8):
        raise InputError(f"the week of {week_start} starts before 8 weeks of history", file=history.source,
                         fix="choose a later --week")


def forecast_calls(history: CallHistory, week_start: date, weeks: int, *,
                   method: str = "auto", backtest_weeks: int = 8, holiday_country: str = "US",
                   holiday_subdiv: str | None = None) -> CallForecast:
    """Backtest every method on the history, then forecast `weeks` weeks from `week_start` (local) with
    `method` ("auto": the lowest backtest WAPE), each stream with the history's handle time."""
    counts = history.counts
    horizon = Horizon(week_start, 7 * weeks, ZoneInfo(history.timezone))
    start = pd.Timestamp(horizon.begin)
    _check_history_length(history, start, week_start, backtest_weeks)
    holiday_args = {"holiday_country": holiday_country, "holiday_subdiv": holiday_subdiv}
    try:
        table = backtest(counts, timezone=history.timezone, weeks=backtest_weeks, **holiday_args)
        chosen = choose_method(table) if method == "auto" else method
        predicted = forecast(counts, start, horizon.n_slots, method=chosen, timezone=history.timezone,
                             **holiday_args)
    except (NotImplementedError, KeyError) as exc:  # the holidays package knows no such country/subdivision
        raise InputError(f"unknown holiday calendar ({exc})",
                         fix="use a country code like US and a state like PA") from exc
    rows = []
    for moment, values in predicted.iterrows():
        local = moment.tz_convert(history.timezone).isoformat()
        for stream in counts.columns:
            rows.append({"timestamp": local, "stream": stream, "calls_p50": round(values[stream, "p50"], 2),
                         "calls_p90": round(values[stream, "p90"], 2),
                         "aht_seconds": history.handle_times.seconds[stream]})
    return CallForecast(table, chosen, predicted, pd.DataFrame(rows, columns=list(COLUMNS)),
                        _stale(history, start))
