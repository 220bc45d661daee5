"""Time the staffing requirement for a 4-week hourly forecast with 4 streams.

Run from the repository root:  python benchmarks/staffing_math.py [--repeats 30]
The forecast is the sample week's shape repeated four times (672 hours x 4 streams, about 1,500 calls a day).
Reports the median of repeated runs for: the queueing math alone (agents_needed over every hour of every
stream, Erlang C and Erlang A), and the whole requirement (forecast table -> seats per hour and position, as
`build` runs it). Results are recorded in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from scheduler.agents_needed import agents_needed
from scheduler.domain import Forecast, Horizon
from scheduler.io.center import read_center
from scheduler.io.forecast import read_forecast
from scheduler.io.rules import read_rules
from scheduler.staffing import compute_requirements

ROOT = Path(__file__).resolve().parent.parent
WEEKS = 4


def median_ms(work, repeats: int) -> float:
    work()  # warm up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=30, help="runs of each measurement (median shown)")
    repeats = parser.parse_args().repeats
    week = read_forecast(ROOT / "forecasts/sample-week-2026-11-30.csv").frame
    frame = pd.concat([week.assign(timestamp=week["timestamp"] + timedelta(weeks=w)) for w in range(WEEKS)])
    forecast = Forecast(Path("four-weeks.csv"), frame.reset_index(drop=True))
    center = read_center(ROOT / "inputs/center.xlsx")
    rules = read_rules(ROOT / "inputs/rules.toml")
    horizon = Horizon(date(2026, 11, 30), 7 * WEEKS, rules.tz)

    calls = frame.pivot(index="timestamp", columns="stream", values="calls_p50").to_numpy()
    aht = frame.pivot(index="timestamp", columns="stream", values="aht_seconds").to_numpy()
    print(f"{calls.shape[0]} hours x {calls.shape[1]} streams, {calls.sum():,.0f} calls")
    c = median_ms(lambda: agents_needed(calls, aht, shrinkage=0.10), repeats)
    a = median_ms(lambda: agents_needed(calls, aht, shrinkage=0.10, model="A",
                                        patience_seconds=np.full_like(calls, 120.0)), repeats)
    whole = median_ms(lambda: compute_requirements(center, rules, forecast, horizon), max(1, repeats // 3))
    print("| what | median ms |\n|---|---|")
    print(f"| agents_needed, Erlang C, every hour and stream | {c:.1f} |")
    print(f"| agents_needed, Erlang A (patience 120 s) | {a:.1f} |")
    print(f"| compute_requirements (5 positions, as build) | {whole:.1f} |")


if __name__ == "__main__":
    main()
