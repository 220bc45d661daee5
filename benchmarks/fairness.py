"""The sample week with the fairness terms off and on: what evenness costs in coverage, overtime and gap.

Run from the repository root:  python benchmarks/fairness.py [--time-limit 30]
Spreads are most minus fewest per group of comparable staff (domain.fairness_groups, every measure on), the
worst group shown. Results are recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path

from scheduler.domain import Rules, fairness_groups, works_weekend
from scheduler.model.data import ModelData
from scheduler.model.objective import OVERTIME, Weights
from scheduler.model.solve import SolverSettings, solve
from scheduler.pipeline import load_inputs
from scheduler.report import uncovered_by_position

ROOT = Path(__file__).resolve().parent.parent


def spreads(result, data: ModelData, everything_on: Rules) -> dict[str, int]:
    """Worst group's most minus fewest per measure (overtime too, in hours)."""
    shifts = data.center.shifts_by_code
    nights = Counter(a.employee_id for a in result.assignments if data.rules.is_night(shifts[a.shift_code]))
    weekends = Counter(a.employee_id for a in result.assignments if works_weekend(a.day, shifts[a.shift_code]))
    worked: dict[tuple[str, int], float] = defaultdict(float)
    for a in result.assignments:
        worked[a.employee_id, (a.day - data.horizon.start).days // 7] += a.hours
    overtime: Counter = Counter()
    for (e, _), hours in worked.items():
        overtime[e] += max(0.0, hours - data.center.employees_by_id[e].contract_hours)
    groups = fairness_groups(data.center, everything_on, data.horizon)
    return {measure: max((max(counts[e] for e in g) - min(counts[e] for e in g) for g in groups[measure]), default=0)
            for measure, counts in (("nights", nights), ("weekends", weekends), ("overtime", overtime))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()
    inputs = load_inputs(ROOT / "inputs/center.xlsx", ROOT / "inputs/rules.toml",
                         ROOT / "forecasts/sample-week-2026-11-30.csv", date(2026, 11, 30), 7)
    on = replace(inputs.rules, fair_nights=True, fair_weekends=True, fair_overtime=True)
    off = replace(inputs.rules, fair_nights=False, fair_weekends=False, fair_overtime=False)
    required = sum(int(seats.sum()) for seats in inputs.requirements.required.values())
    print("| fairness | status | objective | bound | gap | uncovered position-hours | overtime hours "
          "| night spread | weekend spread | overtime spread (h) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, rules in (("off", off), ("on", on)):
        data = ModelData(inputs.center, rules, inputs.horizon, inputs.requirements)
        r = solve(data, settings=SolverSettings(args.time_limit))
        short = sum(uncovered_by_position(r.assignments, data.center, data.requirements, data.history).values())
        s = spreads(r, data, on)
        print(f"| {name} | {r.status} | {r.objective:,.0f} | {r.best_bound:,.0f} | {100 * r.gap:.2f}% "
              f"| {short:.0f} ({100 * (1 - short / required):.1f}% covered) "
              f"| {r.penalties[OVERTIME] / Weights().overtime:.0f} | {s['nights']} | {s['weekends']} "
              f"| {s['overtime']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
