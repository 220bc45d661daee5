"""Peers side by side: this project's staffing math against pyworkforce's (PyPI; issue 25, point 4).

    python benchmarks/peers.py erlang [--grid]

`erlang`: the sample week's call-taking queues (inputs/center.xlsx, inputs/rules.toml,
forecasts/sample-week-2026-11-30.csv from 2026-11-30: calls and call-weighted handle time per hour, as
`scheduler staffing` pools them) staffed by pyworkforce's ErlangC and by ours (scheduler.staffing.queue_seats,
what `build` uses), at the rules' targets, occupancy cap and shrinkage. pyworkforce takes one service target
per call, so its seats for several targets are the most any one target needs (each target's service level
rises with the seats, so that is the least meeting all). Rows: per queue, with the rules' targets and with the
first alone, the seat-hours of each, the hours that differ and the milliseconds each took; then every hour
that differs, with why. `--grid` adds a sweep over loads, handle times, targets, caps and shrinkage beyond the
sample's, counting where the two differ and why.

pyworkforce is optional, never a test dependency: install it in a separate environment with this project's
requirements and run this checkout's code there:

    python3 -m venv /tmp/pwf && /tmp/pwf/bin/pip install pyworkforce "ortools>=9.10,<10" pandas openpyxl \\
        defusedxml click holidays matplotlib distributed
    PYTHONPATH=. /tmp/pwf/bin/python benchmarks/peers.py erlang

Results: benchmarks/RESULTS.md ("pyworkforce side by side").
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

from scheduler.agents_needed import agents_needed
from scheduler.domain import Rules
from scheduler.pipeline import load_inputs
from scheduler.staffing import queue_seats

ROOT = Path(__file__).resolve().parent.parent
INSTALL = ('python3 -m venv /tmp/pwf && /tmp/pwf/bin/pip install pyworkforce "ortools>=9.10,<10" pandas '
           "openpyxl defusedxml click holidays matplotlib distributed; then PYTHONPATH=. /tmp/pwf/bin/python "
           "benchmarks/peers.py erlang")
TOL = 1e-9  # a ratio this close above a whole number is that number in exact arithmetic


def pyworkforce_seats(calls: float, aht: float, targets, occupancy_cap: float, shrinkage: float
                      ) -> tuple[int, int]:
    """pyworkforce's (on-phone, scheduled) agents for one hour, the most any single target needs. It refuses
    an hour without calls (ValueError): no calls need no one, as in ours."""
    from pyworkforce.queuing import ErlangC

    if calls <= 0:
        return 0, 0
    answers = [ErlangC(transactions=calls, aht=aht / 60, asa=seconds / 60, interval=60, shrinkage=shrinkage)
               .required_positions(service_level=fraction, max_occupancy=occupancy_cap)
               for fraction, seconds in targets]
    return max(a["raw_positions"] for a in answers), max(a["positions"] for a in answers)


def why(load: float, ours_raw: int, theirs_raw: int, occupancy_cap: float, shrinkage: float) -> str:
    """The reason the two answers differ, found from the inputs (the cases the sweep meets)."""
    if theirs_raw != ours_raw:
        exact = load / occupancy_cap
        if theirs_raw == math.ceil(exact) and abs(exact - round(exact)) < TOL:
            return (f"occupancy: load / cap = {exact!r}, a whole number in exact arithmetic; pyworkforce's "
                    "ceil() takes the float's excess as one more agent, ours allows 1e-12")
        return "on-phone agents differ for another reason (not met in the sweep)"
    exact = ours_raw / (1 - shrinkage)
    if abs(exact - round(exact)) < TOL:
        return (f"shrinkage: {ours_raw} / (1 - {shrinkage:g}) = {exact!r}, a whole number in exact "
                "arithmetic; pyworkforce's ceil() adds one, ours allows 1e-12")
    return "scheduled agents differ for another reason (not met in the sweep)"


def sample_queues():
    inputs = load_inputs(ROOT / "inputs/center.xlsx", ROOT / "inputs/rules.toml",
                         ROOT / "forecasts/sample-week-2026-11-30.csv", date(2026, 11, 30), 7)
    return inputs.rules, inputs.requirements


def erlang(grid: bool) -> None:
    rules, requirements = sample_queues()
    if rules.queue_model != "C":
        raise SystemExit("Error: the comparison is of Erlang C; the rules' [service] model must be \"C\"")
    target_sets = {"rules' targets": rules,
                   "first target alone": replace(rules, service_targets=rules.service_targets[:1])}
    print(f"Sample week 2026-11-30, occupancy at most {rules.occupancy_cap:g}, "
          f"shrinkage {rules.shrinkage:g}, Erlang C, no ASA cap")
    queue_seats(next(iter(requirements.queues.values())), rules)  # warm up: the first call's imports
    print("| queue | targets | hours | calls | seat-hours ours | seat-hours pyworkforce | hours that differ "
          "| ms ours | ms pyworkforce |")
    print("|---|---|---|---|---|---|---|---|---|")
    differing = []
    for position, queue in requirements.queues.items():
        for label, set_rules in target_sets.items():
            started = time.perf_counter()
            ours = queue_seats(queue, set_rules)
            ours_ms = 1000 * (time.perf_counter() - started)
            targets = [(t.fraction, t.seconds) for t in set_rules.service_targets]
            started = time.perf_counter()
            theirs = [pyworkforce_seats(c, h, targets, rules.occupancy_cap, rules.shrinkage)
                      for c, h in zip(queue.calls, queue.aht, strict=True)]
            theirs_ms = 1000 * (time.perf_counter() - started)
            scheduled = np.array([s for _, s in theirs])
            hours = np.flatnonzero(scheduled != ours)
            print(f"| {position} | {_targets(set_rules)} | {len(ours)} | {queue.calls.sum():,.0f} "
                  f"| {ours.sum():,} | {scheduled.sum():,} | {len(hours)} | {ours_ms:.1f} "
                  f"| {theirs_ms:.1f} |")
            differing += [(position, label, int(h), queue, set_rules, theirs[h]) for h in hours]
    print(f"\nHours that differ: {len(differing)}")
    if differing:
        _print_differing(differing, requirements.horizon)
    if grid:
        sweep()


def _targets(rules: Rules) -> str:
    return " and ".join(f"{t.fraction:.0%} in {t.seconds:g} s" for t in rules.service_targets)


def _print_differing(differing, horizon) -> None:
    print("| queue | targets | hour | calls | handle s | ours | pyworkforce | why |")
    print("|---|---|---|---|---|---|---|---|")
    for position, label, h, queue, set_rules, (theirs_raw, theirs) in differing:
        targets = [(t.fraction, t.seconds) for t in set_rules.service_targets]
        ours_raw = int(agents_needed(queue.calls[h], queue.aht[h], targets, set_rules.occupancy_cap))
        ours = int(queue_seats(queue, set_rules)[h])
        load = queue.calls[h] * queue.aht[h] / 3600
        print(f"| {position} | {label} | {horizon.slot_start(h):%a %H:%M} | {queue.calls[h]:.2f} "
              f"| {queue.aht[h]:.1f} | {ours} | {theirs} "
              f"| {why(load, ours_raw, theirs_raw, set_rules.occupancy_cap, set_rules.shrinkage)} |")


SWEEP = {"aht_seconds": (60, 120, 180, 240, 300), "targets": ((0.90, 15), (0.95, 20), (0.80, 20)),
         "occupancy_cap": (0.85, 1.0), "shrinkage": (0.0, 0.1, 0.3)}


def sweep() -> None:
    """Calls 0.5 to 600 an hour in steps of 0.5 under every combination of SWEEP."""
    calls = np.arange(0.5, 600.25, 0.5)
    cases, reasons, example = 0, {}, {}
    for aht in SWEEP["aht_seconds"]:
        for target in SWEEP["targets"]:
            for cap in SWEEP["occupancy_cap"]:
                for shrinkage in SWEEP["shrinkage"]:
                    ours_raw = agents_needed(calls, aht, (target,), cap)
                    ours = agents_needed(calls, aht, (target,), cap, shrinkage)
                    for i, c in enumerate(calls):
                        theirs_raw, theirs = pyworkforce_seats(c, aht, (target,), cap, shrinkage)
                        cases += 1
                        if theirs != ours[i]:
                            reason = why(c * aht / 3600, ours_raw[i], theirs_raw, cap, shrinkage)
                            key = (reason.split(":")[0], int(theirs - ours[i]))
                            reasons[key] = reasons.get(key, 0) + 1
                            example.setdefault(key, (c, aht, target, cap, shrinkage, ours[i], theirs))
    print(f"\nSweep: {cases:,} hours (calls 0.5-600 by 0.5 x handle time x target x cap x shrinkage)")
    print("| why | pyworkforce minus ours | hours | example: calls, handle s, target, cap, shrinkage, ours, "
          "pyworkforce |\n|---|---|---|---|")
    for (reason, delta), count in sorted(reasons.items()):
        c, aht, (fraction, seconds), cap, shrinkage, ours, theirs = example[(reason, delta)]
        print(f"| {reason} | {delta:+d} | {count:,} | {c:g}, {aht}, {fraction:.0%} in {seconds:g} s, "
              f"{cap:g}, {shrinkage:g}, {ours}, {theirs} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    erlang_parser = commands.add_parser("erlang", help="Erlang C seats per hour, pyworkforce against ours")
    erlang_parser.add_argument("--grid", action="store_true", help="also sweep loads and settings")
    args = parser.parse_args()
    try:
        import pyworkforce  # noqa: F401
    except ImportError:
        print(f"Error: pyworkforce is not installed here (it is optional). Fix: {INSTALL}", file=sys.stderr)
        sys.exit(2)
    erlang(args.grid)


if __name__ == "__main__":
    main()
