"""Scenario runs (`scheduler scenarios`) on the sample file inputs/scenarios.toml.

    python benchmarks/scenarios.py timing --time-limit 10
        The whole file (12 months, one week a month) with --jobs 2, a local Dask cluster of 2 workers and
        --jobs 1, each roster on 1 solver thread: wall-clock seconds of each, and whether the three CSVs are
        byte for byte the same (the first run's comparison is kept in outputs/benchmark-scenarios/).
    python benchmarks/scenarios.py limit --time-limit 10
        The per-roster limit against build's default (60 deterministic seconds, 2 threads) on three periods of
        the first scenario (first, middle, last month): the simulated share of 9-1-1 calls within the first
        target at each, and the difference in points.

Prints the table and writes it as CSV to outputs/benchmark-scenarios-<mode>.csv.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from scheduler.model.settings import SolverSettings
from scheduler.planning import load
from scheduler.scenarios import run_period

ROOT = Path(__file__).resolve().parent.parent

FILE = ROOT / "inputs" / "scenarios.toml"


def timing(limit: float) -> pd.DataFrame:
    """The three runs, --jobs 2 first; its comparison (CSV, workbook, PNG) is kept in
    outputs/benchmark-scenarios/ for the README's table."""
    rows, outputs = [], []
    kept = ROOT / "outputs" / "benchmark-scenarios"
    with tempfile.TemporaryDirectory() as folder:
        for name, extra in (("--jobs 2", ["--jobs", "2"]),
                            ("Dask local, 2 workers", ["--cluster", "local", "--jobs", "2"]),
                            ("--jobs 1", ["--jobs", "1"])):
            out = kept if not rows else Path(folder) / name.replace(" ", "_").replace(",", "")
            started = time.perf_counter()
            command = [sys.executable, "-m", "scheduler", "scenarios", str(FILE), "--time-limit", str(limit),
                       "--workers", "1", "--out", str(out), "--force", *extra]
            subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
            seconds = time.perf_counter() - started
            csv = out / f"{FILE.stem}-comparison.csv"
            outputs.append(csv.read_bytes())
            rows.append({"run": name, "time_limit": limit, "wall_seconds": round(seconds, 1),
                         "rows": len(pd.read_csv(csv)), "same_csv_as_jobs_2": outputs[-1] == outputs[0]})
            print(rows[-1], flush=True)
    return pd.DataFrame(rows)


def limit_check(limit: float) -> pd.DataFrame:
    loaded = load(FILE)
    at_limit = loaded.tasks(SolverSettings(time_limit_s=limit, workers=1))
    default = loaded.tasks(SolverSettings())
    first = loaded.scenarios.scenarios[0].name
    indices = [i for i, t in enumerate(at_limit) if t.scenario.name == first]
    chosen = [indices[0], indices[len(indices) // 2], indices[-1]]
    rows = []
    for i in chosen:
        started = time.perf_counter()
        short = run_period(at_limit[i]).kpis
        middle = time.perf_counter()
        full = run_period(default[i]).kpis
        rows.append({"scenario": first, "period_start": at_limit[i].start,
                     f"service_at_{limit:g}_1_thread": short["service_level"],
                     "service_at_60_2_threads": full["service_level"],
                     "difference_points": round(100 * (short["service_level"] - full["service_level"]), 2),
                     "seconds_at_limit": round(middle - started, 1),
                     "seconds_at_60": round(time.perf_counter() - middle, 1)})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["timing", "limit"])
    parser.add_argument("--time-limit", type=float, default=20.0)
    args = parser.parse_args()
    table = timing(args.time_limit) if args.mode == "timing" else limit_check(args.time_limit)
    (ROOT / "outputs").mkdir(exist_ok=True)
    table.to_csv(ROOT / "outputs" / f"benchmark-scenarios-{args.mode}.csv", index=False)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
