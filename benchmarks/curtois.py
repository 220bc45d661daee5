"""Curtois & Qu shift scheduling benchmark instances (schedulingbenchmarks.org; instances 1-12 in
../shared/benchmarks/curtois/, whose README gives the format and the objective), solved by this project's own
roster model (scheduler/curtois_roster.py) and scored by an independent scorer (scheduler/checker/curtois.py).

Run from the repository root:
  python benchmarks/curtois.py info INSTANCE.txt
      horizon, staff, shift types, cover demand, requests, and the best known objective when best_known.csv
      beside the instance has its row
  python benchmarks/curtois.py score INSTANCE.txt SOLUTION.csv
      the objective of a solution (rows employee_id,day,shift_id; day 0 first; a day off has no row) by the
      independent scorer and every hard constraint it breaks
  python benchmarks/curtois.py solve INSTANCE.txt --time-limit S [--out SOLUTION.csv] [--force]
      solve with the roster model (2 workers, S wall-clock seconds; --deterministic: S deterministic seconds,
      the same roster on every run), print the objective, the proven bound and the scorer's verdict, and
      write the solution rows
  python benchmarks/curtois.py table INSTANCE.txt... --time-limit S [--time-limit S2 ...]
      one solve per instance and limit, as a Markdown table: objective, bound, gap to the best known and to
      the bound, seconds (`python benchmarks/run.py curtois table ...` keeps it as CSV too)
Exit code: 0, 1 when a solution breaks a hard constraint or the scorer disagrees with the solver, 2 on bad
input (one `Error:` line).
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the package beside this script, not another checkout's installed one

import pandas as pd

from scheduler.checker import RosterCase
from scheduler.checker.curtois import score_solution
from scheduler.curtois_roster import solve_instance
from scheduler.domain import NurseInstance
from scheduler.errors import InputError, SolveError
from scheduler.io.curtois import read_instance, read_solution
from scheduler.io.tables import csv_writer, write_files
from scheduler.model.registry import check_rules
from scheduler.model.settings import RACING_LP, SolverSettings

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


def gap_to_best(objective: int, best: int | None) -> float | None:
    """The objective's gap to the best known, in % of it (None: no best known, or a best of 0)."""
    return round(100 * (objective - best) / best, 2) if best else None


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}%"


def score(instance_path: Path, solution_path: Path) -> tuple[list[str], bool]:
    """What `score` prints, and whether the solution keeps every hard constraint."""
    instance: NurseInstance = read_instance(instance_path)
    result = score_solution(instance, read_solution(solution_path, instance))
    terms = ", ".join(f"{name} {value:,}" for name, value in result.terms.items())
    lines = [f"{instance.name}: objective {result.objective:,} ({terms})"]
    known = best_known(instance_path)
    if known is not None:
        lines.append(f"best known {known[1]:,}: gap {percent(gap_to_best(result.objective, known[1]))}")
    lines.append(f"hard constraints broken: {len(result.violations)}")
    lines += [f"  {violation}" for violation in result.violations]
    return lines, not result.violations


def settings_for(time_limit: float, deterministic: bool, seed: int) -> SolverSettings:
    """The project's racing settings (model/settings.RACING_LP, 2 workers) at this limit in wall-clock
    seconds; with `deterministic`, the project's defaults in deterministic seconds (reproducible, weaker here:
    benchmarks/RESULTS.md)."""
    if deterministic:
        return SolverSettings(time_limit_s=time_limit, seed=seed)
    return replace(RACING_LP, time_limit_s=time_limit, seed=seed)


def solved(instance: NurseInstance, settings: SolverSettings) -> dict:
    """Solve one instance (read_instance's); the table row, the solution rows, and what went wrong (the
    independent scorer's hard violations, the project's checker's, a scorer objective other than the
    solver's)."""
    rows, result, data = solve_instance(instance, settings)
    scored = score_solution(instance, rows)
    checked = check_rules(RosterCase(result.assignments, data.center, data.rules, data.requirements,
                                     data.history))
    problems = [f"scorer: {v}" for v in scored.violations] + [f"checker: {v}" for v in checked]
    if scored.objective != round(result.objective):
        problems.append(f"the scorer's objective {scored.objective:,} is not the solver's "
                        f"{result.objective:,.0f}")
    known = best_known(instance.source)
    best = known[1] if known else None
    return {
        "instance": instance.name, "limit": settings.time_limit_s, "best known": best,
        "objective": scored.objective, "bound": round(result.best_bound),
        "gap to best known %": gap_to_best(scored.objective, best),
        "gap to bound %": round(100 * result.gap, 2), "status": result.status,
        "seconds": round(result.seconds, 1), "rows": rows, "problems": problems,
    }


def solve_lines(row: dict) -> list[str]:
    best = "" if row["best known"] is None else (f"; best known {row['best known']:,}, gap "
                                                 f"{percent(row['gap to best known %'])}")
    verdict = "DISAGREES" if row["problems"] else "agrees, no hard constraint broken"
    return [(f"{row['instance']}: objective {row['objective']:,}, proven bound {row['bound']:,} "
             f"({row['status']}, gap {row['gap to bound %']:.2f}%, {row['seconds']:.1f} s){best}"),
            f"independent scorer: {verdict}", *(f"  {problem}" for problem in row["problems"])]


def table_lines(rows: list[dict]) -> list[str]:
    columns = ("instance", "limit", "best known", "objective", "bound", "gap to best known %",
               "gap to bound %", "seconds", "status")
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join("" if row[c] is None else f"{row[c]:g}" if isinstance(row[c], float)
                                        else str(row[c]) for c in columns) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("info", help="what an instance holds").add_argument("instance", type=Path)
    scoring = commands.add_parser("score", help="a solution's objective and hard violations")
    scoring.add_argument("instance", type=Path)
    scoring.add_argument("solution", type=Path)
    solving = commands.add_parser("solve", help="solve one instance with the roster model")
    solving.add_argument("instance", type=Path)
    solving.add_argument("--out", type=Path, help="write the solution rows here (employee_id,day,shift_id)")
    solving.add_argument("--force", action="store_true", help="replace an existing --out file")
    tabling = commands.add_parser("table", help="solve instances at one or more limits, as a table")
    tabling.add_argument("instances", type=Path, nargs="+")
    for each in (solving, tabling):
        each.add_argument("--time-limit", type=float, action="append", required=True,
                          help="seconds (repeat on `table` for more limits)")
        each.add_argument("--deterministic", action="store_true", help="deterministic seconds")
        each.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        lines, ok = run(args)
    except (InputError, SolveError) as error:  # SolveError: no roster (the instance's rules cannot hold, or
        print(f"Error: {error}", file=sys.stderr)  # none found in the limit), said as CLI commands say it
        return 2
    print("\n".join(lines))
    return 0 if ok else 1


def run(args: argparse.Namespace) -> tuple[list[str], bool]:
    if args.command == "info":
        return info(args.instance), True
    if args.command == "score":
        return score(args.instance, args.solution)
    if args.command == "table":
        instances = [read_instance(path) for path in args.instances]  # a bad file stops before any solve
        rows = [solved(instance, settings_for(limit, args.deterministic, args.seed))
                for instance in instances for limit in args.time_limit]
        problems = [f"{row['instance']} at {row['limit']:g} s: {p}" for row in rows for p in row["problems"]]
        return table_lines(rows) + problems, not problems
    if args.out and args.out.exists() and not args.force:
        raise InputError("the solution file exists", file=args.out, fix="give another --out, or --force")
    settings = settings_for(args.time_limit[-1], args.deterministic, args.seed)
    row = solved(read_instance(args.instance), settings)
    if args.out:
        frame = pd.DataFrame([(a.employee_id, a.day, a.shift_id) for a in row["rows"]],
                             columns=["employee_id", "day", "shift_id"])
        write_files({args.out: csv_writer(frame)})
    return solve_lines(row), not row["problems"]


if __name__ == "__main__":
    sys.exit(main())
