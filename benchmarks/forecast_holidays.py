"""The model's error on holidays and holiday weeks, on montco and on the sample history.

A rolling-origin backtest of the model (as `scheduler forecast` runs it, with the log's holiday subdivision)
over every week the history allows (2 weeks of history before the first), scored per stream and for "all"
(the per-hour sum of the streams): WAPE of the p50 on all backtest hours, on the holiday days (local dates
in the subdivision's calendar, its extra holidays included whether the forecast used them or not: the same
days before and after a change) and on the weeks that contain one. Each holiday day is listed with its
actual calls, the p50 and the error on "all".

    PYTHONPATH=. python benchmarks/forecast_holidays.py [--log montco|sample|both] [--subdivision PA|none]

--subdivision replaces the log's own (montco: PA, the sample: none); "none" for the country calendar alone.

Deterministic (no randomness); the logs are read as benchmarks/forecast_coverage.py reads them.
"""

from __future__ import annotations

import argparse
import time

import holidays as holidays_lib
import numpy as np
import pandas as pd
from forecast_coverage import load

from scheduler.forecasting import MIN_WEEKS, run_backtest

WEEK = 168


def score(log: str, subdivision: str | None) -> None:
    counts, timezone, subdiv = load(log)
    if subdivision:
        subdiv = None if subdivision == "none" else subdivision
    weeks = len(counts) // WEEK - MIN_WEEKS["model"]
    t0 = time.perf_counter()
    tested = run_backtest(counts, timezone=timezone, weeks=weeks, methods=("model",), holiday_subdiv=subdiv)
    past = tested.past["model"].xs("p50", axis=1, level=1)
    actual = counts.reindex(past.index)
    local = past.index.tz_convert(timezone).tz_localize(None)
    days = local.normalize()
    years = range(days[0].year, days[-1].year + 1)
    calendar = holidays_lib.country_holidays("US", subdiv=subdiv, years=years)
    names = dict(calendar)
    on_holiday = np.array([d.date() in names for d in days])
    week_of = (local - pd.Timestamp(local[0].date())) // pd.Timedelta(days=7)
    holiday_weeks = np.isin(week_of, np.unique(week_of[on_holiday]))
    print(f"\n{log}: {weeks} backtest weeks from {local[0]:%Y-%m-%d} ({time.perf_counter() - t0:.0f} s); "
          f"holiday days scored: {on_holiday.sum() // 24}; subdivision {subdiv}")
    if tested.subdivision and tested.subdivision.said():
        print(tested.subdivision.said())
    print("| stream | WAPE all hours | WAPE holiday days | bias holiday days | WAPE holiday weeks |")
    print("|---|---|---|---|---|")
    streams = list(counts.columns) + ["all"]
    for stream in streams:
        y = actual.sum(axis=1, min_count=1) if stream == "all" else actual[stream]
        p = past.sum(axis=1) if stream == "all" else past[stream]
        seen = y.notna().to_numpy() & past.notna().all(axis=1).to_numpy()

        def wape(mask, y=y, p=p, seen=seen):
            m = mask & seen
            return np.abs(y[m] - p[m]).sum() / y[m].sum() if m.any() else float("nan")

        m = on_holiday & seen
        bias = (p[m].sum() - y[m].sum()) / y[m].sum() if m.any() else float("nan")
        print(f"| {stream} | {wape(np.ones(len(y), bool)):.3f} | {wape(on_holiday):.3f} | {bias:+.3f} | "
              f"{wape(holiday_weeks):.3f} |")
    y_all, p_all = actual.sum(axis=1, min_count=1), past.sum(axis=1)
    for day in sorted({d for d, h in zip(days, on_holiday, strict=True) if h}):
        m = np.asarray(days == day)
        y, p = y_all[m].sum(), p_all[m].sum()
        print(f"  {day:%Y-%m-%d} {names[day.date()]}: actual {y:.0f}, p50 {p:.0f} ({(p - y) / y:+.1%})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", choices=("montco", "sample", "both"), default="both")
    parser.add_argument("--subdivision", default=None, help='a subdivision for every log, or "none"')
    args = parser.parse_args()
    for log in ("montco", "sample") if args.log == "both" else (args.log,):
        score(log, args.subdivision)


if __name__ == "__main__":
    main()
