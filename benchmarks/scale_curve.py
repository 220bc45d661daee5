"""The scale curve: generated centers of the sample center's shape, 50 to 400 staff over 1 to 4 weeks, under
the default strategy and objective; where building and solving stop keeping up.

Run from the repository root:  python benchmarks/scale_curve.py [--staff 50 100] [--weeks 1] [--limits 30 60]
The center of N staff (generate) keeps the sample's job-class mix (58 telecommunicators, 8 supervisors, 4
trainees in 70): the sample whole N // 70 times, then the rest of N in the proportions of the classes but
trainee (trainees come with whole copies only, beside the CTOs they need: _class_counts), each class's people
taken in order; past the sample's own, people are copies under new ids with their qualifications, shifts,
CTO flag and contracts; each copy keeps its original's leave of the sample week, repeated every
week (the leave rate). Floors and calls are the sample's times N/70, so staff and demand grow together (the
shortage ratio stays the sample's, up to rounding of the floors); the forecast is the sample week's repeated.
Day-off requests and preferences stay those of the sample's people kept, not copied. No randomness: the same
options give the same centers, and the solver's `--seed` the same rosters.

Each point (N, W, limit) runs in a fresh process, one at a time, for its own peak memory; a solve per limit,
since the phased strategy splits its limit into shares (a 120 s run is not a 60 s run continued). Columns:
required position-hours; build s: wall seconds of build_model alone (before solving, timed apart); first
roster s: wall seconds from calling solve() (which builds the model again) to its first progress report, and
that report's phase; status, objective, bound (CP-SAT's, on the default objective) and gap; uncovered
position-hours of the roster (report.uncovered_by_position); within 15 s: simulated share of 9-1-1 calls
answered within 15 s (report.simulate_roster, seed 0, 5 replications); solve s: wall seconds of solve();
peak MB: the process's peak resident memory (resource.getrusage ru_maxrss: CP-SAT's C++ memory too, which
tracemalloc would miss); best bound: the highest bound of the point's limits run (the best lower bound known
for the point from this run). A solve that finds no roster in its limit prints NO ROSTER and "-" (where the
curve breaks); a center with no roster at all (hard rules that cannot hold) stops the run.
`--profile` instead profiles build_model for each (N, W) asked (cProfile, the top 10 by cumulative time).
Results: benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import multiprocessing
import pstats
import resource
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Run as a script: its sibling large_center, and this checkout's scheduler before an installed one.
sys.path[:0] = [str(HERE), str(HERE.parent)]

from large_center import ROOT, START, generated_inputs

from scheduler.domain import Employee, Leave
from scheduler.errors import OutOfTime
from scheduler.io.center import read_center
from scheduler.model.build import build_model
from scheduler.model.data import ModelData
from scheduler.model.result import Progress
from scheduler.model.settings import SolverSettings
from scheduler.model.solve import solve
from scheduler.report import simulate_roster, uncovered_by_position
from scheduler.weights import Weights

SAMPLE_STAFF = 70
TARGET = "answered_within_15s"


def generate(staff: int, weeks: int) -> ModelData:
    """The center of `staff` people over `weeks` weeks (the module's docstring)."""
    center = read_center(ROOT / "inputs/center.xlsx")
    people: list[Employee] = []
    original_of: dict[str, str] = {}
    for job_class, count in _class_counts(center.staff, staff).items():
        members = [e for e in center.staff if e.job_class == job_class]
        for i in range(count):
            original, copy = members[i % len(members)], i // len(members)
            people.append(original if copy == 0 else replace(original, id=f"{original.id}-{copy}",
                                                             name=f"{original.name} ({copy})"))
            original_of[people[-1].id] = original.id
    kept = {field: tuple(x for x in getattr(center, field) if x.employee_id in original_of)
            for field in ("requests", "preferences", "pins", "patterns")}
    center = replace(center, **kept)
    return generated_inputs(center, tuple(people), _leave(center.leave, original_of, weeks),
                            demand=staff / SAMPLE_STAFF, weeks=weeks)


def _class_counts(sample: tuple[Employee, ...], staff: int) -> dict[str, int]:
    """People per job class: the sample's own per whole copy of it, and the rest of `staff` spread over the
    classes but trainee in the sample's proportions (largest remainders first). Trainees come with whole
    copies only: each brings the CTOs its trainees must work beside on their bid shifts, where a part copy
    could bring the trainees without them (100 staff with 6 trainees had no roster)."""
    whole, rest = divmod(staff, len(sample))
    shares = Counter(e.job_class for e in sample if not e.is_trainee)
    exact = {c: rest * n / sum(shares.values()) for c, n in shares.items()}
    counts = {c: int(v) for c, v in exact.items()}
    for job_class in sorted(exact, key=lambda c: (counts[c] - exact[c], c))[:rest - sum(counts.values())]:
        counts[job_class] += 1
    return {c: whole * n + counts.get(c, 0) for c, n in Counter(e.job_class for e in sample).items()}


def _leave(sample: tuple[Leave, ...], original_of: dict[str, str], weeks: int) -> tuple[Leave, ...]:
    """Each person's original's leave within the sample week, every week of the plan."""
    last = START + timedelta(days=6)
    leave = []
    for person, original in original_of.items():
        for lv in sample:
            if lv.employee_id != original or lv.end < START or lv.start > last:
                continue
            for week in range(weeks):
                shift = timedelta(weeks=week)
                leave.append(Leave(person, max(lv.start, START) + shift, min(lv.end, last) + shift, lv.type))
    return tuple(leave)


def measure(staff: int, weeks: int, limit: float, seed: int) -> dict[str, object]:
    """One point, in its own process (peak memory is the process's)."""
    data = generate(staff, weeks)
    since = time.perf_counter()
    build_model(data, Weights())
    build = time.perf_counter() - since
    first: list[tuple[float, str]] = []
    called = time.perf_counter()

    def on_progress(progress: Progress) -> None:
        if not first:
            first.append((time.perf_counter() - called, progress.phase))

    required = sum(int(v.sum()) for v in data.requirements.required.values())
    try:
        r = solve(data, settings=SolverSettings(time_limit_s=limit, seed=seed), on_progress=on_progress)
    except OutOfTime:  # where the curve breaks: a row all the same
        return {"required": required, "build": build, "status": "NO ROSTER", "peak_mb": _peak_mb()}
    uncovered = sum(uncovered_by_position(r.assignments, data.center, data.requirements).values())
    service = simulate_roster(r.assignments, data.center, data.rules, data.requirements, seed=0, history=None)
    return {"required": required, "build": build, "first": first[0] if first else (float("nan"), "-"),
            "status": r.status, "objective": r.objective, "bound": r.best_bound, "gap": r.gap,
            "uncovered": uncovered, "within": service.total[TARGET], "seconds": r.seconds,
            "strategy": r.strategy, "peak_mb": _peak_mb()}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _row(staff: int, weeks: int, limit: float, m: dict[str, object], best: float | None) -> str:
    """One printed row; "-" where a solve found no roster."""
    solved = "objective" in m
    cells = [f"{staff}", f"{weeks}", f"{m['required']:,}", f"{limit:g}", m.get("strategy", "-"),
             f"{m['build']:.1f}", f"{m['first'][0]:.1f} ({m['first'][1]})" if solved else "-", m["status"]]
    if solved:
        cells += [f"{m['objective']:,.0f}", f"{m['bound']:,.0f}", f"{100 * m['gap']:.2f}%",
                  f"{m['uncovered']:,}", f"{100 * m['within']:.1f}%", f"{m['seconds']:.1f}"]
    else:
        cells += ["-"] * 6
    cells += [f"{m['peak_mb']:,.0f}", "-" if best is None else f"{best:,.0f}"]
    return "| " + " | ".join(cells) + " |"


def profile(staff: int, weeks: int) -> None:
    data = generate(staff, weeks)
    profiler = cProfile.Profile()
    profiler.runcall(build_model, data, Weights())
    print(f"build_model, {staff} staff, {weeks} week(s): the top 10 by cumulative time")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staff", type=int, nargs="+", default=[50, 100, 200, 400])
    parser.add_argument("--weeks", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--limits", type=float, nargs="+", default=[30.0, 60.0, 120.0],
                        help="deterministic seconds, one solve each")
    parser.add_argument("--seed", type=int, default=0, help="the solver's seed")
    parser.add_argument("--profile", action="store_true", help="profile build_model only, no solve")
    args = parser.parse_args()
    if args.profile:
        for staff, weeks in itertools.product(args.staff, args.weeks):
            profile(staff, weeks)
        return
    print("| staff | weeks | required position-hours | limit (det-s) | strategy | build s | first roster s "
          "| status | objective | bound | gap | uncovered position-hours | within 15 s | solve s | peak MB "
          "| best bound |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    spawn = multiprocessing.get_context("spawn")
    for staff, weeks in itertools.product(args.staff, args.weeks):
        rows = []
        for limit in args.limits:
            with ProcessPoolExecutor(1, mp_context=spawn) as pool:
                rows.append((limit, pool.submit(measure, staff, weeks, limit, args.seed).result()))
        bounds = [m["bound"] for _, m in rows if "bound" in m]
        for limit, m in rows:
            print(_row(staff, weeks, limit, m, max(bounds, default=None)), flush=True)

if __name__ == "__main__":
    main()
