"""The forecast stage: a center's call history -> the backtest of every method -> the hourly forecast rows
that `staffing` and `build` read. No file I/O; every object here pickles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import pandas as pd

from scheduler.domain import Horizon
from scheduler.errors import InputError
from scheduler.forecasting import (
    BACKTEST_COLUMNS,
    METHODS,
    MIN_WEEKS,
    WEEK_HOURS,
    choose_method,
    forecast_with_dispersion,
    full_weeks,
    run_backtest,
    subdivision_holidays,
    total_quantiles,
)
from scheduler.io.call_log import CallHistory
from scheduler.io.forecast import COLUMNS


@dataclass(frozen=True)
class CallForecast:
    backtest: pd.DataFrame  # (method, stream) -> wape, bias, noise_floor, p90_coverage, hours (may be empty)
    method: str  # the method the forecast used
    predicted: pd.DataFrame  # UTC hour x (stream, "p50" or "p90"): calls
    table: pd.DataFrame  # the forecast file's rows (io.forecast.COLUMNS)
    warnings: tuple[str, ...] = ()  # legal but suspicious: printed by `scheduler forecast`
    backtest_said: str = ""  # what was backtested, and why that much
    method_said: str = ""  # the method and why it was used
    totals: pd.DataFrame | None = None  # per local week and stream: p10, p50, p90 of the week's total calls
    past: pd.DataFrame | None = None  # the method's backtest forecasts, UTC hour x (stream, p50|p90)


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


def _unused(history: CallHistory, counts: pd.DataFrame, start: pd.Timestamp) -> tuple[str, ...]:
    """The history from the forecast's start on, left out (said), and a history before it mostly missing."""
    said = []
    after = len(history.counts) - len(counts)
    if after:
        said.append(f"the call history runs {after:,} hours into or past the forecast: a forecast uses only "
                    f"the history before {start.tz_convert(history.timezone):%Y-%m-%d %H:%M}, so those are "
                    "left out")
    missing = int(counts.isna().any(axis=1).sum())
    if 2 * missing > len(counts):
        said.append(f"{missing:,} of the {len(counts):,} hours of history before the forecast are missing "
                    "(gaps in the log): the forecast rests on the rest")
    return tuple(said)


def _weeks(n: int) -> str:
    return f"{n} week{'' if n == 1 else 's'}"


def _backtest_plan(history_weeks: int, requested: int) -> tuple[tuple[str, ...], int, str]:
    """The methods to backtest, on how many test weeks (as many as the history allows, up to `requested`),
    and the sentence saying so."""
    methods = tuple(m for m in METHODS if MIN_WEEKS[m] < history_weeks)
    if not methods:
        return (), 0, (f"none: the history has {_weeks(history_weeks)}, and a test week needs "
                       f"{_weeks(min(MIN_WEEKS.values()))} of history before it")
    need = max(MIN_WEEKS[m] for m in methods)
    weeks = min(requested, history_weeks - need)
    if weeks == requested:
        said = (f"backtested on {_weeks(weeks)} (--backtest-weeks {requested}): the history has "
                f"{_weeks(history_weeks)}")
    else:
        who = "the model" if "model" in methods else next(m for m in methods if MIN_WEEKS[m] == need)
        said = (f"backtested on {_weeks(weeks)}: the history has {_weeks(history_weeks)}, {who} needs "
                f"{_weeks(need)} before each test week")
    left = [m for m in METHODS if m not in methods]
    if left:
        said += (f"; {' and '.join(left)} not backtested: {'it needs' if len(left) == 1 else 'they need'} "
                 f"{_weeks(max(MIN_WEEKS[m] for m in left))} before a test week")
    return methods, weeks, said


def _skipped_said(skipped: tuple[tuple[pd.Timestamp, int], ...], timezone: str) -> str:
    weeks = ", ".join(f"{start.tz_convert(timezone):%Y-%m-%d %H:%M} ({missing} of 168 hours missing)"
                      for start, missing in skipped)
    return (f"; {len(skipped)} of them left out, more than half missing from the log: the "
            f"week{'s' if len(skipped) > 1 else ''} from {weeks}")


def _earliest_week(counts: pd.DataFrame, weeks: int, timezone: str) -> date:
    """The first local day whose midnight has `weeks` weeks of history before it."""
    moment = (counts.index[0] + pd.Timedelta(weeks=weeks)).tz_convert(timezone)
    midnight = moment.normalize()
    return (midnight if moment == midnight else midnight + pd.Timedelta(days=1)).date()


def _check_history_length(history: CallHistory, counts: pd.DataFrame, start: pd.Timestamp, week_start: date,
                          method: str) -> int:
    """Refuse a forecast the history before it (`counts`) cannot make, naming what would work; its weeks."""
    before = full_weeks(counts)
    observed = int(counts.notna().all(axis=1).sum())
    if before and observed < WEEK_HOURS - 1:
        raise InputError(f"only {observed:,} of the history's {len(counts):,} hours before the forecast have "
                         "counts (the rest are gaps in the log): a forecast needs a week of them",
                         file=history.source, fix="give a call history without the gaps, or a longer one")
    need = MIN_WEEKS.get(method, min(MIN_WEEKS.values()))
    if before >= need:
        return before
    total = full_weeks(history.counts)
    if total < need:
        has = f"the history has {_weeks(total)}"
        problem = (f"the history has {len(counts):,} hours; a forecast needs at least {_weeks(need)} "
                   f"({168 * need} hours)" if total < 1 else
                   f"--method {method} needs at least {_weeks(need)} of history: {has}")
        fix = "give a longer call history"
        fix += " or --method seasonal_naive (1 week is enough)" if total else ""
        raise InputError(problem, file=history.source, fix=fix)
    earliest = _earliest_week(counts, need, history.timezone)
    raise InputError(f"the week of {week_start} starts before {_weeks(need)} of history"
                     + (f" (--method {method})" if method != "auto" else ""), file=history.source,
                     fix=f"choose --week {earliest} or later")


def _choose(method: str, scores: pd.DataFrame, before: int) -> tuple[str, str]:
    """The method to forecast with and why, among those the history before the forecast allows."""
    if method != "auto":
        return method, f"{method}, as asked (--method)"
    allowed = [m for m in METHODS if MIN_WEEKS[m] <= before]
    if allowed == ["seasonal_naive"]:
        return allowed[0], (f"seasonal_naive (the same hour last week): the only method {_weeks(before)} of "
                            "history allows")
    scored = scores[scores.index.get_level_values("method").isin(allowed)]
    if scored.empty or scored["wape"].isna().all():
        fallback = "model" if "model" in allowed else allowed[-1]
        return fallback, f"{fallback}, the default (no backtest scores to choose by)"
    chosen = choose_method(scored)
    if scored.index.get_level_values("method").nunique() == 1:
        return chosen, f"{chosen}, the only method backtested"
    return chosen, f"{chosen}, the lowest backtest WAPE"


def _week_totals(predicted: pd.DataFrame, dispersion: pd.DataFrame, horizon: Horizon) -> pd.DataFrame:
    """Each local week's total calls per stream: p50 and the 80% interval p10-p90 (``total_quantiles``)."""
    rate = predicted.xs("p50", axis=1, level=1)
    rows = []
    for first_day in range(0, horizon.days, 7):
        begin, end = (pd.Timestamp(horizon.local_midnight(day)) for day in (first_day, first_day + 7))
        hours = rate[(rate.index >= begin) & (rate.index < end)]
        for stream in rate.columns:
            p10, p50, p90 = total_quantiles(hours[stream].to_numpy(), *dispersion.loc[stream])
            rows.append({"week": horizon.day(first_day), "stream": stream, "p50": p50, "p10": p10,
                         "p90": p90})
    return pd.DataFrame(rows)


def forecast_calls(history: CallHistory, week_start: date, weeks: int, *,
                   method: str = "auto", backtest_weeks: int = 8, holiday_country: str = "US",
                   holiday_subdiv: str | None = None) -> CallForecast:
    """Backtest the methods on as many weeks as the history allows (up to `backtest_weeks`), then forecast
    `weeks` weeks from `week_start` (local) with `method` ("auto": the lowest backtest WAPE among the methods
    the history allows), each stream with the history's handle time. The subdivision's extra holidays count
    only where they improve the model's backtest (said in `backtest_said`)."""
    horizon = Horizon(week_start, 7 * weeks, ZoneInfo(history.timezone))
    start = pd.Timestamp(horizon.begin)
    # A forecast, its backtest and its choices use only the history before it: none of it looks ahead.
    counts = history.counts[history.counts.index < start]
    before = _check_history_length(history, counts, start, week_start, method)
    methods, test_weeks, said = _backtest_plan(before, backtest_weeks)
    holiday_args = {"holiday_country": holiday_country, "holiday_subdiv": holiday_subdiv}
    try:
        extras = subdivision_holidays(counts, timezone=history.timezone,
                                      forecast_end=pd.Timestamp(horizon.end), **holiday_args)
        holiday_args["holiday_extras"] = extras.used
        tested = (run_backtest(counts, timezone=history.timezone, weeks=test_weeks, methods=methods,
                               **holiday_args) if methods else None)
        scores = tested.table if tested else pd.DataFrame(columns=BACKTEST_COLUMNS).set_index(
            ["method", "stream"])
        chosen, method_said = _choose(method, scores, before)
        predicted, dispersion = forecast_with_dispersion(counts, start, horizon.n_slots, method=chosen,
                                                    timezone=history.timezone, **holiday_args)
    except (NotImplementedError, KeyError) as exc:  # the holidays package knows no such country/subdivision
        raise InputError(f"unknown holiday calendar ({exc})",
                         fix="use a country code like US and a state like PA") from exc
    if tested and tested.skipped:
        said += _skipped_said(tested.skipped, history.timezone)
    if extras.said():
        said += "; " + extras.said()
    rows = []
    for moment, values in predicted.iterrows():
        local = moment.tz_convert(history.timezone).isoformat()
        for stream in counts.columns:
            rows.append({"timestamp": local, "stream": stream, "calls_p50": round(values[stream, "p50"], 2),
                         "calls_p90": round(values[stream, "p90"], 2),
                         "aht_seconds": history.handle_times.seconds[stream]})
    past = tested.past.get(chosen) if tested else None
    return CallForecast(scores, chosen, predicted, pd.DataFrame(rows, columns=list(COLUMNS)),
                        (*_stale(history, start), *_unused(history, counts, start)), said, method_said,
                        _week_totals(predicted, dispersion, horizon), past)
