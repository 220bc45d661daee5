"""Service-weighted coverage objective against a flat shortfall count: same staff, same week, same solver
budget.

Run from the repository root:
    python benchmarks/service_objective.py [--time-limits 20 30 60] [--seeds 0 1] [--runs 20]
Every (limit, seed) pair is solved with both objectives (deterministic seconds, so machine load does not move
the result) and each roster is scored by the call simulation (the same seeded calls for all). Results:
benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from scheduler.domain import on_duty
from scheduler.model.data import ModelData
from scheduler.model.settings import SolverSettings
from scheduler.model.solve import solve
from scheduler.pipeline import load_inputs
from scheduler.report import uncovered_by_position
from scheduler.staffing import on_phones, simulate_queues
from scheduler.weights import Weights

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limits", type=float, nargs="+", default=[20.0, 30.0, 60.0],
                        help="deterministic seconds per solve")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1], help="solver seeds")
    parser.add_argument("--runs", type=int, default=20, help="simulation replications per roster")
    parser.add_argument("--strategy", choices=("auto", "direct", "phased"), default=SolverSettings.strategy,
                        help="solve strategy (SolverSettings)")
    parser.add_argument("--workers", type=int, default=SolverSettings.workers, help="solver threads")
    args = parser.parse_args()
    inputs = load_inputs(ROOT / "inputs/center.xlsx", ROOT / "inputs/rules.toml",
                         ROOT / "forecasts/sample-week-2026-11-30.csv", date(2026, 11, 30), 7)
    data = ModelData(inputs.center, inputs.rules, inputs.horizon, inputs.requirements)
    print("| objective | limit | seed | uncovered position-hours | call-taker seat-hours short "
          "| radio and supervisor position-hours short | within 10 s | within 15 s | within 20 s | ASA "
          "| solve s (wall) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for limit in args.time_limits:
        for seed in args.seeds:
            for name in ("flat", "service"):
                settings = SolverSettings(time_limit_s=limit, seed=seed, strategy=args.strategy,
                                          workers=args.workers)
                result = solve(data, Weights(coverage=name), settings)
                scheduled = on_duty(result.assignments, inputs.center, inputs.horizon, data.history)
                answering = {p: on_phones(scheduled[p], inputs.rules) for p in inputs.requirements.queues}
                service = simulate_queues(answering, inputs.requirements, inputs.rules, seed=1,
                                          replications=args.runs)
                short = uncovered_by_position(result.assignments, inputs.center, inputs.requirements,
                                              data.history)
                calls_short = sum(short[p] for p in inputs.requirements.queues)
                t = service.total
                print(f"| {name} | {limit:g} | {seed} | {sum(short.values())} | {calls_short} "
                      f"| {sum(short.values()) - calls_short} | {100 * t['answered_within_10s']:.1f}% "
                      f"| {100 * t['answered_within_15s']:.1f}% | {100 * t['answered_within_20s']:.1f}% "
                      f"| {t['asa_seconds']:.1f} s | {result.seconds:.1f} |", flush=True)

if __name__ == "__main__":
    main()
