"""Backtest the hourly forecast methods on the Montgomery County (PA) 9-1-1 calls
(shared/data/montco_calls.csv).

Streams: 911_fire_ems = EMS + Fire, 911_police = Traffic. Every row is counted (exact duplicates kept), local
America/New_York timestamps go to UTC hours, zero-filled. Rolling origins at end - 168 k hours, k = 8..1.

    python benchmarks/forecast_montco.py [--data PATH] [--weeks 8] [--tune]

--tune repeats the grid search that chose DEFAULT_TUNING. It never sees the evaluation weeks: it drops the
last `weeks` weeks of data and backtests on the `weeks` weeks before them (origins 9-16 weeks before the end).
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path

import numpy as np
import pandas as pd

from scheduler.forecasting import DEFAULT_TUNING, METHODS, backtest, choose_method, forecast
from scheduler.io.call_log import read_call_log, read_stream_mapping

TZ = "America/New_York"
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/montco_calls.csv"


def load_montco(path: Path) -> pd.DataFrame:
    """Hourly counts per stream through the project's own call-log reader and the shipped stream mapping."""
    mapping = read_stream_mapping(Path(__file__).resolve().parents[1] / "inputs/call_types.toml")
    return read_call_log(path, timezone=TZ, type_column="category", mapping=mapping).counts


GRID = {
    "level_halflife_weeks": [1, 2, 3, 5, 8],
    "profile_halflife_weeks": [4, 8, 16, 32, 1000],
    "shape_shrink": [0, 10, 40, 200],
    "hour_smoothing": [0, 0.15, 0.3],
}


def tune(counts: pd.DataFrame, weeks: int) -> None:
    """Grid search on the weeks before the evaluation window (the last `weeks` weeks are cut off first)."""
    early = counts.iloc[: len(counts) - 168 * weeks]
    print(f"tuning window: {weeks} origins ending {early.index[-1] + pd.Timedelta(hours=1)} "
          f"(the evaluation window starts there)")
    scores = []
    t0 = time.perf_counter()
    for values in itertools.product(*GRID.values()):
        settings = dict(zip(GRID, values, strict=True))
        table = backtest(early, timezone=TZ, weeks=weeks, methods=("model",), **settings)
        scores.append((table.loc[("model", "all"), "wape"], settings))
    scores.sort(key=lambda s: s[0])
    print(f"{len(scores)} settings in {time.perf_counter() - t0:.0f} s; best 5 (WAPE on all):")
    for score, settings in scores[:5]:
        print(f"  {score:.4f}  {settings}")
    default = backtest(early, timezone=TZ, weeks=weeks, methods=("model",)).loc[("model", "all"), "wape"]
    print(f"  {default:.4f}  DEFAULT_TUNING {DEFAULT_TUNING}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--weeks", type=int, default=8, help="number of rolling origins (weeks)")
    parser.add_argument("--tune", action="store_true", help="rerun the tuning grid on the weeks before")
    args = parser.parse_args()

    t0 = time.perf_counter()
    counts = load_montco(args.data)
    load_s = time.perf_counter() - t0
    print(f"{args.data}: {int(counts.sum().sum()):,} calls, {len(counts):,} hours "
          f"({counts.index[0]} to {counts.index[-1]}), streams {', '.join(counts.columns)}; "
          f"loaded in {load_s:.2f} s")

    if args.tune:
        tune(counts, args.weeks)

    t0 = time.perf_counter()
    table = backtest(counts, timezone=TZ, weeks=args.weeks)
    backtest_s = time.perf_counter() - t0

    print(f"\n1-week-ahead hourly forecasts, {args.weeks} rolling origins (last {args.weeks} weeks):\n")
    print("| method | stream | WAPE | noise floor | bias | p90 coverage | hours |")
    print("|---|---|---|---|---|---|---|")
    for (method, stream), row in table.iterrows():
        print(f"| {method} | {stream} | {row.wape:.3f} | {row.noise_floor:.3f} | {row.bias:+.3f} | "
              f"{row.p90_coverage:.3f} | {int(row.hours)} |")
    print(f"\nchosen method (lowest WAPE on all): {choose_method(table)}")

    start = counts.index[-1] + pd.Timedelta(hours=1)
    print(f"\nbacktest ({args.weeks} origins x {len(METHODS)} methods, with nested dispersion fits): "
          f"{backtest_s:.2f} s")
    for method in METHODS:
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            forecast(counts, start, 168, method=method, timezone=TZ)
            runs.append(time.perf_counter() - t0)
        print(f"forecast(method={method!r}, 168 hours), median of 5: {1000 * float(np.median(runs)):.0f} ms")


if __name__ == "__main__":
    main()
