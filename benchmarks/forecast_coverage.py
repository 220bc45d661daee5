"""Calibration of the hourly p50/p90 and of the weekly totals' p10-p90, with short and long histories, on
montco and on the sample history.

For every test week (origins at end - 168 k hours, k = 1.., those with at least the longest finite history
before them, or the last --test-weeks of them), the history is cut to its last H weeks before the origin
(H = 2, 3, 4, ... or "full": everything before it) and each method the history allows (MIN_WEEKS) forecasts
the week, as `scheduler forecast` would with that history. Scored per (log, history, method), over every
stream's hours pooled (the forecast file's rows; missing hours left out): p90_coverage = share of hours with
actual <= p90 (goal 0.87-0.93), p50_coverage = share with actual <= p50 (p50_if_poisson: what it would be if
the p50 were the exact rate of Poisson counts), WAPE of the p50, and the mean hourly alpha. Per (test week,
stream), the week's total calls (over its observed hours) against `scheduler forecast`'s p10-p90 of it:
week_coverage = share within p10-p90 (goal 0.80), week_width = mean (p90 - p10) / p50. With --horizon H, the
same for the H-th week of an H-week forecast (week_H_coverage, week_H_width; origins with H weeks after them).

    PYTHONPATH=. python benchmarks/forecast_coverage.py [--log montco|sample|both] [--history 2,3,4,full]
        [--test-weeks N] [--horizon H] [--set KEY=VALUE] [--csv outputs/forecast_coverage.csv]
        [--tune 8 | --tune-week 8]

--tune 8 (--tune-week 8) repeats the grid search that chose the hourly (weekly) dispersion prior
(DEFAULT_TUNING) on both logs without their last 8 weeks, i.e. on weeks before the evaluation window of
`--test-weeks 8`. --set passes a tuning option, e.g. week_dispersion_prior_weeks=0 for no week prior.

Deterministic (no randomness). The sample history is read as README tour item 10 reads it, montco as item 6.
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path

import numpy as np
import pandas as pd

from scheduler.forecasting import METHODS, MIN_WEEKS, forecast_with_dispersion, total_quantiles
from scheduler.io.call_log import read_call_log, read_stream_mapping

ROOT = Path(__file__).resolve().parents[1]
MONTCO = ROOT.parent / "shared/data/montco_calls.csv"
WEEK = 168


def load(log: str) -> tuple[pd.DataFrame, str, str | None]:
    """Hourly counts, time zone and holiday subdivision of a log, read as the README tour reads it."""
    if log == "montco":
        mapping = read_stream_mapping(ROOT / "inputs/call_types.toml")
        history = read_call_log(MONTCO, timezone="America/New_York", type_column="category", mapping=mapping)
        return history.counts, "America/New_York", "PA"
    mapping = read_stream_mapping(ROOT / "inputs/lines.toml")
    history = read_call_log(ROOT / "inputs/call-history.csv", timezone="America/Chicago",
                            timestamp_column="hour_start", type_column="line", count_column="calls",
                            mapping=mapping)
    return history.counts, "America/Chicago", None


def poisson_p50_coverage(rate: np.ndarray) -> float:
    """The p50 coverage a perfect forecast would score if the counts were Poisson at ``rate``: the mean of
    P(X <= rate). Above 0.5: an integer count is at or below a fractional mean more often than not."""
    x = np.arange(int(rate.max()) + 2)
    log_factorial = np.cumsum(np.log(np.maximum(x, 1)))
    with np.errstate(divide="ignore", invalid="ignore"):  # rate 0: handled below
        log_pmf = x[None, :] * np.log(rate)[:, None] - rate[:, None] - log_factorial[None, :]
    pmf = np.where(rate[:, None] > 0, np.exp(log_pmf), x[None, :] == 0)  # Poisson(0) is always 0
    return float(np.where(x[None, :] <= rate[:, None], pmf, 0.0).sum(axis=1).mean())


def week_totals(predicted: pd.DataFrame, dispersion: pd.DataFrame, actual: np.ndarray,
                seen: np.ndarray) -> list[tuple[float, float, float, float]]:
    """(p10, p50, p90, actual) of each stream's total over the observed hours of a forecast week, as
    `scheduler forecast` prints it (``total_quantiles``, the same interval for every week ahead)."""
    rate = predicted.xs("p50", axis=1, level=1).to_numpy()
    return [(*total_quantiles(rate[seen[:, i], i], *dispersion.loc[stream]),
             float(actual[seen[:, i], i].sum())) for i, stream in enumerate(predicted.columns.unique(0))]


def week_scores(totals: list[tuple[float, float, float, float]], suffix: str = "") -> dict:
    """Share of week totals within p10-p90 (goal 0.80) and the interval's mean width relative to its p50."""
    p10, p50, p90, y = np.array(totals).T
    return {f"week{suffix}_coverage": float(((p10 <= y) & (y <= p90)).mean()),
            f"week{suffix}_width": float(((p90 - p10) / np.maximum(p50, 1)).mean())}


def evaluate(counts: pd.DataFrame, timezone: str, subdiv: str | None, histories: list[int | None],
             test_weeks: int | None, horizon: int = 1, **tuning) -> list[dict]:
    """One row per (history, method): coverage and WAPE over the test weeks; with ``horizon`` H > 1, also
    the week totals' coverage H weeks ahead (over the origins with H weeks after them)."""
    longest = max((h for h in histories if h is not None), default=min(MIN_WEEKS.values()))
    n = len(counts) // WEEK
    origins = [len(counts) - WEEK * k for k in range(n, 0, -1) if len(counts) - WEEK * k >= WEEK * longest]
    origins = origins[-test_weeks:] if test_weeks else origins
    rows = []
    for weeks in histories:
        for method in (m for m in METHODS if MIN_WEEKS[m] <= (weeks or longest)):
            y, p50, p90, alpha, totals, later = [], [], [], [], [], []
            for cut in origins:
                begin = 0 if weeks is None else cut - WEEK * weeks
                start = counts.index[cut]
                ahead = horizon if cut + WEEK * horizon <= len(counts) else 1
                predicted, dispersion = forecast_with_dispersion(
                    counts.iloc[begin:cut], start, WEEK * ahead, method=method, timezone=timezone,
                    holiday_subdiv=subdiv, **tuning)
                actual = counts.iloc[cut:cut + WEEK * ahead].to_numpy(dtype=float)
                seen = ~np.isnan(actual)
                y.append(actual[:WEEK][seen[:WEEK]])
                p50.append(predicted.xs("p50", axis=1, level=1).to_numpy()[:WEEK][seen[:WEEK]])
                p90.append(predicted.xs("p90", axis=1, level=1).to_numpy()[:WEEK][seen[:WEEK]])
                alpha.append(float(dispersion["hourly"].mean()))
                totals += week_totals(predicted.iloc[:WEEK], dispersion, actual[:WEEK], seen[:WEEK])
                if ahead > 1:
                    last = slice(WEEK * (ahead - 1), WEEK * ahead)
                    later += week_totals(predicted.iloc[last], dispersion, actual[last], seen[last])
            y, p50, p90 = (np.concatenate(v) for v in (y, p50, p90))
            rows.append({"history": "full" if weeks is None else f"{weeks} weeks", "method": method,
                         "test_weeks": len(origins), "p90_coverage": float((y <= p90).mean()),
                         "p50_coverage": float((y <= p50).mean()),
                         "p50_if_poisson": poisson_p50_coverage(p50),
                         "wape": float(np.abs(y - p50).sum() / y.sum()), "mean_alpha": float(np.mean(alpha)),
                         **week_scores(totals), **(week_scores(later, f"_{horizon}") if later else {})})
    return rows


# What --tune and --tune-week search: the prior's grid, the coverage column scored and its goal.
PRIOR_GRIDS = {
    "hourly": ({"dispersion_prior": [0.0, 0.02, 0.04, 0.06, 0.08, 0.1],
                "dispersion_prior_weeks": [0.5, 1, 2, 4]}, "p90_coverage", 0.9),
    "weekly": ({"week_dispersion_prior": [0.0, 0.004, 0.008, 0.012, 0.016, 0.02, 0.03],
                "week_dispersion_prior_weeks": [0.5, 1, 2, 4]}, "week_coverage", 0.8),
}


def tune(histories: list[int | None], evaluation_weeks: int, target: str) -> None:
    """The ``target`` prior's grid on both logs without their last `evaluation_weeks` weeks (the weeks before
    the evaluation window): the worst distance of a coverage (every log, history and method) from its goal."""
    grid, column, goal = PRIOR_GRIDS[target]
    logs = {}
    for log in ("montco", "sample"):
        counts, timezone, subdiv = load(log)
        logs[log] = (counts.iloc[: len(counts) - WEEK * evaluation_weeks], timezone, subdiv)
        print(f"tuning on {log} before {logs[log][0].index[-1] + pd.Timedelta(hours=1)}")
    scores = []
    for values in itertools.product(*grid.values()):
        setting = dict(zip(grid, values, strict=True))
        rows = [row for early, timezone, subdiv in logs.values()
                for row in evaluate(early, timezone, subdiv, histories, None, **setting)]
        worst = max(abs(r[column] - goal) for r in rows)
        mean = float(np.mean([abs(r[column] - goal) for r in rows]))
        scores.append((worst, mean, values, [round(r[column], 3) for r in rows]))
    for worst, mean, values, coverage in sorted(scores)[:8]:
        setting = dict(zip(grid, values, strict=True))
        print(f"  worst |{column} - {goal}| {worst:.3f}, mean {mean:.3f}: {setting}: {coverage}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", choices=("montco", "sample", "both"), default="both")
    parser.add_argument("--history", default="2,3,4,full", help="history lengths in weeks, or full")
    parser.add_argument("--test-weeks", type=int, default=None, help="only the last N test weeks")
    parser.add_argument("--horizon", type=int, default=1,
                        help="also score the week totals this many weeks ahead")
    parser.add_argument("--tune", type=int, metavar="WEEKS", default=None,
                        help="grid-search the hourly dispersion prior on both logs without their last WEEKS")
    parser.add_argument("--tune-week", type=int, metavar="WEEKS", default=None,
                        help="the same for the week total's prior")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a tuning option (DEFAULT_TUNING), e.g. week_dispersion_prior_weeks=0")
    parser.add_argument("--csv", type=Path, default=ROOT / "outputs/forecast_coverage.csv")
    args = parser.parse_args()
    histories = [None if h == "full" else int(h) for h in args.history.split(",")]
    if args.tune or args.tune_week:
        tune(histories, args.tune or args.tune_week, "hourly" if args.tune else "weekly")
        return
    tuning = {key: float(value) for key, value in (item.split("=", 1) for item in args.set)}
    rows = []
    for log in ("montco", "sample") if args.log == "both" else (args.log,):
        t0 = time.perf_counter()
        counts, timezone, subdiv = load(log)
        scored = evaluate(counts, timezone, subdiv, histories, args.test_weeks, args.horizon, **tuning)
        rows += [{"log": log, **row} for row in scored]
        print(f"{log}: {len(counts) // WEEK} weeks of history, {time.perf_counter() - t0:.0f} s")
    table = pd.DataFrame(rows)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    table.to_csv(args.csv, index=False, float_format="%.4f")
    print(f"written {args.csv}")


if __name__ == "__main__":
    main()
