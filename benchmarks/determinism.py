"""What reproducibility costs on the sample week: reproducible mode against free-running workers and one
worker.

Run from the repository root:  python benchmarks/determinism.py --mode free --limit 30 --runs 3
Modes: `reproducible` (the default SolverSettings: 2 workers, interleave_search, `--limit` deterministic
seconds), `free` (2 free-running workers stopped at `--limit` wall-clock seconds), `free-det` (2 free-running
workers stopped at `--limit` deterministic seconds: the same work budget as the reproducible mode, whatever
the machine load) and `one` (1 worker, `--limit` deterministic seconds). Each row records the 1-minute load
average before and after, because on a shared machine wall-clock limits buy less work under load. The
objective is the flat shortfall count, as when the results were recorded (its uncovered term is every
uncovered position-hour; under the service objective it would hold only the floors'). Results:
benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import time
from datetime import date
from pathlib import Path

from ortools.sat.python import cp_model

from scheduler.model.build import build_model
from scheduler.model.data import ModelData
from scheduler.model.result import relative_gap
from scheduler.model.settings import SolverSettings
from scheduler.pipeline import load_inputs
from scheduler.weights import UNCOVERED, Weights

ROOT = Path(__file__).resolve().parent.parent


def configure(solver: cp_model.CpSolver, mode: str, limit: float, seed: int) -> None:
    if mode == "reproducible":
        SolverSettings(limit, seed).apply(solver)
    elif mode == "one":
        SolverSettings(limit, seed, workers=1).apply(solver)
    elif mode == "free":
        SolverSettings(limit, seed, deterministic=False).apply(solver)
    else:  # free-det: the reproducible mode's work budget without interleaving
        SolverSettings(limit, seed).apply(solver)
        solver.parameters.interleave_search = False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mode", choices=("reproducible", "free", "free-det", "one"), default="reproducible")
    parser.add_argument("--limit", type=float, default=30.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    inputs = load_inputs(ROOT / "inputs/center.xlsx", ROOT / "inputs/rules.toml",
                         ROOT / "forecasts/sample-week-2026-11-30.csv", date(2026, 11, 30), 7)
    data = ModelData(inputs.center, inputs.rules, inputs.horizon, inputs.requirements)
    for run in range(args.runs):
        model, roster, terms = build_model(data, Weights(coverage="flat"))
        uncovered = next(t.amount for t in terms if t.name == UNCOVERED)
        solver = cp_model.CpSolver()
        configure(solver, args.mode, args.limit, args.seed)
        load_before, started = os.getloadavg()[0], time.perf_counter()
        status = solver.solve(model)
        wall, load_after = time.perf_counter() - started, os.getloadavg()[0]
        objective, bound = solver.objective_value, solver.best_objective_bound
        worked = sorted(k for k, v in roster.x.items() if solver.boolean_value(v))
        fingerprint = hashlib.sha1(repr(worked).encode()).hexdigest()[:8]
        print(f"| {args.mode} | {args.limit:g} | {run + 1} | {solver.status_name(status)} | {objective:,.0f} "
              f"| {bound:,.0f} | {100 * relative_gap(objective, bound):.2f}% | {solver.value(uncovered)} "
              f"| {solver.deterministic_time:.1f} | {wall:.1f} | {load_before:.1f}-{load_after:.1f} "
              f"| {fingerprint} |", flush=True)


if __name__ == "__main__":
    main()
