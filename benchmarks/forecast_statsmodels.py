"""Does a statsmodels model beat the project's hand-written forecaster on montco? (Issue: use statsmodels or
statsforecast if they beat hand-written code.) Same data, streams and rolling origins as forecast_montco.py.

From the repository root:

    python -m benchmarks.forecast_statsmodels [--data PATH] [--weeks 8] [--fit-weeks 12]

Holt-Winters (statsmodels ExponentialSmoothing, additive weekly season of 168 hours, heuristic initialization,
with and without a damped additive trend) is fitted per stream on the `fit-weeks` weeks before each origin and
forecasts the next 168 hours; negative forecasts are clipped to 0. WAPE as in scheduler.forecasting.backtest.
statsmodels is a benchmark-only dependency here (not in setup.cfg).
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
from statsmodels.tsa.holtwinters import ExponentialSmoothing

from benchmarks.forecast_montco import DEFAULT_DATA, TZ, load_montco
from scheduler.forecasting import backtest

VARIANTS = {"holt_winters": {"trend": None}, "holt_winters_damped": {"trend": "add", "damped_trend": True}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--weeks", type=int, default=8)
    parser.add_argument("--fit-weeks", type=int, default=12)
    args = parser.parse_args()
    counts = load_montco(args.data)
    streams = list(counts.columns)
    end = len(counts)
    truth = {s: [] for s in [*streams, "all"]}
    predicted = {v: {s: [] for s in [*streams, "all"]} for v in VARIANTS}
    started = time.perf_counter()
    for k in range(args.weeks, 0, -1):
        cutoff = end - 168 * k
        actual = counts.iloc[cutoff:cutoff + 168]
        for s in streams:
            truth[s].append(actual[s].to_numpy(float))
        truth["all"].append(actual.sum(axis=1).to_numpy(float))
        for name, options in VARIANTS.items():
            total = np.zeros(168)
            for s in streams:
                history = counts[s].iloc[cutoff - 168 * args.fit_weeks:cutoff].to_numpy(float)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    fit = ExponentialSmoothing(history, seasonal="add", seasonal_periods=168,
                                               initialization_method="heuristic", **options).fit()
                point = np.clip(fit.forecast(168), 0, None)
                predicted[name][s].append(point)
                total += point
            predicted[name]["all"].append(total)
    seconds = time.perf_counter() - started
    ours = backtest(counts, timezone=TZ, weeks=args.weeks)
    print(f"| method | {' | '.join(truth)} |\n|---|{'---|' * len(truth)}")
    for method in ("seasonal_naive", "mean_last_weeks", "model"):
        print(f"| {method} | " + " | ".join(f"{ours.loc[(method, s), 'wape']:.3f}" for s in truth) + " |")
    for name in VARIANTS:
        wape = {s: np.abs(np.concatenate(truth[s]) - np.concatenate(predicted[name][s])).sum()
                / np.concatenate(truth[s]).sum() for s in truth}
        print(f"| {name} (statsmodels) | " + " | ".join(f"{wape[s]:.3f}" for s in truth) + " |")
    print(f"statsmodels fits: {seconds:.1f} s for {args.weeks} origins x {len(streams)} streams "
          f"x {len(VARIANTS)}")


if __name__ == "__main__":
    main()
