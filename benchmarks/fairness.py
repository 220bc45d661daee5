"""The sample week with the fairness terms and start stability off and on: what they cost in coverage and
overtime.

Run from the repository root:
    python benchmarks/fairness.py [--time-limit 30] [--strategy direct] [--fairness-share 0.1]
With either rule on, solve keeps SolverSettings.fairness_share of the limit for its fairness pass (fairness
and stability minimized with every other term held at no worse than the main solve's roster), so every row has
the same total limit. Spreads are most minus fewest per group of comparable staff (domain.fairness_groups,
every measure on), the worst group shown; fairness terms are the three weighted fairness penalties over all
groups (what the pass minimizes; rules/fairness.py); start changes are the start times beyond the first in
each employee's week, summed.
Results are recorded in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path

from scheduler.checker import RosterCase
from scheduler.domain import Rules, fairness_groups, works_weekend
from scheduler.model.data import ModelData
from scheduler.model.registry import recompute_penalties
from scheduler.model.settings import SolverSettings
from scheduler.model.solve import solve
from scheduler.pipeline import load_inputs
from scheduler.report import uncovered_by_position
from scheduler.weights import NIGHT_SPREAD, OVERTIME, OVERTIME_PEAK, START_CHANGES, WEEKEND_SPREAD, Weights

ROOT = Path(__file__).resolve().parent.parent
WEIGHTS = Weights()
# both: the three fairness measures and start_stability
ROWS = ("none", "fairness", "start_stability", "both")


def spreads(result, data: ModelData, everything_on: Rules) -> dict[str, int]:
    """Worst group's most minus fewest per measure (overtime too, in hours)."""
    shifts = data.center.shifts_by_code
    nights = Counter(a.employee_id for a in result.assignments
                     if data.rules.is_night(shifts[a.shift_code]))
    weekends = Counter(a.employee_id for a in result.assignments
                       if works_weekend(a.day, shifts[a.shift_code]))
    worked: dict[tuple[str, int], float] = defaultdict(float)
    for a in result.assignments:
        worked[a.employee_id, (a.day - data.horizon.start).days // 7] += a.hours
    overtime: Counter = Counter()
    for (e, _), hours in worked.items():
        overtime[e] += max(0.0, hours - data.center.employees_by_id[e].contract_hours)
    groups = fairness_groups(data.center, everything_on, data.horizon)
    return {measure: max((max(counts[e] for e in g) - min(counts[e] for e in g) for g in groups[measure]),
                         default=0)
            for measure, counts in (("nights", nights), ("weekends", weekends), ("overtime", overtime))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--strategy", choices=("direct", "phased"), default="direct")
    parser.add_argument("--fairness-share", type=float, default=SolverSettings.fairness_share)
    parser.add_argument("--rows", nargs="+", choices=ROWS, default=ROWS,
                        help="rules on per row (default: all)")
    args = parser.parse_args()
    inputs = load_inputs(ROOT / "inputs/center.xlsx", ROOT / "inputs/rules.toml",
                         ROOT / "forecasts/sample-week-2026-11-30.csv", date(2026, 11, 30), 7)
    off = replace(inputs.rules, fair_nights=False, fair_weekends=False, fair_overtime=False,
                  start_stability=False)
    fair = replace(off, fair_nights=True, fair_weekends=True, fair_overtime=True)
    required = sum(int(seats.sum()) for seats in inputs.requirements.required.values())
    print("| rules on | status | objective | bound | gap | uncovered position-hours | overtime hours "
          "| night spread | weekend spread | overtime spread (h) | fairness terms | start changes "
          "| fairness pass |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    variants = {"none": off, "fairness": fair, "start_stability": replace(off, start_stability=True),
                "both": replace(fair, start_stability=True)}
    for name in args.rows:
        rules = variants[name]
        data = ModelData(inputs.center, rules, inputs.horizon, inputs.requirements)
        settings = SolverSettings(args.time_limit, strategy=args.strategy, fairness_share=args.fairness_share)
        r = solve(data, settings=settings)
        short = sum(uncovered_by_position(r.assignments, data.center, data.requirements,
                                          data.history).values())
        s = spreads(r, data, fair)
        # Every measure counted whatever is on, by the independent checker.
        every = recompute_penalties(RosterCase(r.assignments, data.center, variants["both"],
                                               data.requirements), WEIGHTS)
        terms = sum(every[term] for term in (NIGHT_SPREAD, WEEKEND_SPREAD, OVERTIME_PEAK))
        changes = every[START_CHANGES] / WEIGHTS.start_change
        passes = [p for p in r.phases if p.name == "fairness"]
        passed = (f"{passes[0].objective:,.0f} (bound {passes[0].best_bound:,.0f}, "
                  f"{passes[0].deterministic_seconds:.1f} det-s)" if passes else "-")
        print(f"| {name} | {r.status} | {r.objective:,.0f} | {r.best_bound:,.0f} | {100 * r.gap:.2f}% "
              f"| {short:.0f} ({100 * (1 - short / required):.1f}% covered) "
              f"| {r.penalties[OVERTIME] / WEIGHTS.overtime:.0f} | {s['nights']} | {s['weekends']} "
              f"| {s['overtime']:.0f} | {terms:.0f} | {changes:.0f} | {passed} |", flush=True)


if __name__ == "__main__":
    main()
