"""Curtois & Qu shift scheduling benchmark instances (schedulingbenchmarks.org; instances 1-12 in
../shared/benchmarks/curtois/, whose README gives the format and the objective).

Run from the repository root:
  python benchmarks/curtois.py info INSTANCE.txt
      horizon, staff, shift types, cover demand, requests, and the best known objective when best_known.csv
      beside the instance has its row
  python benchmarks/curtois.py score INSTANCE.txt SOLUTION.csv
      the objective of a solution (rows employee_id,day,shift_id; day 0 first; a day off has no row) by the
      independent scorer (scheduler/checker/curtois.py) and every hard constraint it breaks
Exit code: 0, 1 when the solution breaks a hard constraint, 2 on bad input (one `Error:` line).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the package beside this script, not another checkout's installed one

from scheduler.checker.curtois import score_solution
from scheduler.domain import NurseInstance
from scheduler.errors import InputError
from scheduler.io.curtois import read_instance, read_solution

BEST_KNOWN = "best_known.csv"  # instance, ..., lower_bound, best_known: one row per instance


def best_known(instance_path: Path) -> tuple[int, int] | None:
    """(lower bound, best known objective) of the instance from best_known.csv in its folder, if there."""
    table = instance_path.parent / BEST_KNOWN
    if not table.exists():
        return None
    with table.open(newline="", encoding="utf-8-sig") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if row.get("instance") == instance_path.stem:
                try:
                    return int(row["lower_bound"]), int(row["best_known"])
                except (KeyError, TypeError, ValueError):
                    raise InputError("no whole numbers lower_bound and best_known", file=table, line=number,
                                     fix="give columns instance,lower_bound,best_known") from None
    return None


def info(path: Path) -> list[str]:
    instance = read_instance(path)
    shifts = ", ".join(f"{s.id} {s.minutes} min" for s in instance.shifts)
    lines = [
        (f"{instance.name}: {instance.days} days from a Monday, {len(instance.staff)} employees, "
         f"{len(instance.shifts)} shift types ({shifts})"),
        f"cover demand: {instance.cover_demand:,} shifts on {len(instance.cover):,} day and shift type rows",
        (f"requests: {len(instance.on_requests)} shift on, {len(instance.off_requests)} shift off; "
         f"fixed days off: {sum(len(e.days_off) for e in instance.staff)}"),
    ]
    known = best_known(path)
    if known is not None:
        lines.append(f"best known objective: {known[1]:,} (proven lower bound {known[0]:,})")
    return lines


def score(instance_path: Path, solution_path: Path) -> tuple[list[str], bool]:
    """What `score` prints, and whether the solution keeps every hard constraint."""
    instance: NurseInstance = read_instance(instance_path)
    result = score_solution(instance, read_solution(solution_path, instance))
    terms = ", ".join(f"{name} {value:,}" for name, value in result.terms.items())
    lines = [f"{instance.name}: objective {result.objective:,} ({terms})"]
    known = best_known(instance_path)
    if known is not None:
        gap = (result.objective - known[1]) / known[1] if known[1] else 0.0
        lines.append(f"best known {known[1]:,}: gap {100 * gap:.2f}%")
    lines.append(f"hard constraints broken: {len(result.violations)}")
    lines += [f"  {violation}" for violation in result.violations]
    return lines, not result.violations


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("info", help="what an instance holds").add_argument("instance", type=Path)
    scoring = commands.add_parser("score", help="a solution's objective and hard violations")
    scoring.add_argument("instance", type=Path)
    scoring.add_argument("solution", type=Path)
    args = parser.parse_args(argv)
    try:
        lines, feasible = (info(args.instance), True) if args.command == "info" else score(args.instance,
                                                                                           args.solution)
    except InputError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0 if feasible else 1


if __name__ == "__main__":
    sys.exit(main())
