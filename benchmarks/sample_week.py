"""Solve the sample center's week under several solver settings and print quality against time.

Run from the repository root:  python benchmarks/sample_week.py [--time-limit 30]
Without --seeds, seed 0 under: 2 deterministic workers (the default), 2 free-running workers (--time-limit in
wall-clock seconds), 1 worker, and the phased strategy with 3-day windows.
With --seeds N: the default settings and the same with every CP-SAT worker kept (skip_subsolvers empty), seeds
0 to N-1 each, and per settings the median gap and how many seeds proved a gap of at most 1%.
Results are recorded in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import replace
from datetime import date
from pathlib import Path

from scheduler.model.data import ModelData
from scheduler.model.settings import PhasedSettings, SolverSettings
from scheduler.model.solve import solve
from scheduler.pipeline import load_inputs
from scheduler.report import uncovered_by_position

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = {
    "2 workers, deterministic (default)": SolverSettings(workers=2, deterministic=True),
    "2 workers, free-running": SolverSettings(workers=2, deterministic=False),
    "1 worker": SolverSettings(workers=1),
    "2 workers, phased, 3-day windows": SolverSettings(strategy="phased",
                                                       phased=PhasedSettings(window_days=3)),
}


SEED_CONFIGS = {
    "default": SolverSettings(),
    "every worker kept": SolverSettings(skip_subsolvers=()),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seeds", type=int, default=0, help="compare worker sets over seeds 0..N-1")
    args = parser.parse_args()
    inputs = load_inputs(ROOT / "inputs/center.xlsx", ROOT / "inputs/rules.toml",
                         ROOT / "forecasts/sample-week-2026-11-30.csv", date(2026, 11, 30), 7)
    data = ModelData(inputs.center, inputs.rules, inputs.horizon, inputs.requirements)
    configs = SEED_CONFIGS if args.seeds else CONFIGS
    print("| settings | seed | status | objective | bound | gap | uncovered position-hours | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    for name, base in configs.items():
        gaps = []
        for seed in range(max(1, args.seeds)):
            r = solve(data, settings=replace(base, time_limit_s=args.time_limit, seed=seed))
            gaps.append(100 * r.gap)
            short = sum(uncovered_by_position(r.assignments, data.center, data.requirements,
                                              data.history).values())
            print(f"| {name} | {seed} | {r.status} | {r.objective:,.0f} | {r.best_bound:,.0f} "
                  f"| {gaps[-1]:.2f}% | {short:.0f} | {r.seconds:.1f} |", flush=True)
        if args.seeds:
            print(f"{name}: median gap {statistics.median(gaps):.2f}%, at most 1% for "
                  f"{sum(g <= 1 for g in gaps)} of {len(gaps)} seeds", flush=True)


if __name__ == "__main__":
    main()
