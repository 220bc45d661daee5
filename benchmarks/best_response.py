"""The 4-week center (benchmarks/large_center.py) from a best-response start: a roster built one employee at a time.

Run from the repository root:
    python benchmarks/best_response.py [--passes 150] [--grow 1] [--cuts current] [--seeds 0 [1 ...]] [--complete 20]
        [--windows 20]

- **Best response**: each non-trainee employee in turn (the least flexible first: fewest templates, then fewest
  qualifications) drops its schedule and takes the whole-plan schedule worth most, every other employee's staying
  as it is: a (day, template, position) shift is worth the weights of the position-hours it covers that the others
  leave uncovered, so the value is the exact drop in weighted uncovered position-hours. The schedule comes from
  pattern_dive.Pricing: a dynamic program over the days with the employee's own hard rules (one shift a day,
  leave, templates and qualifications, rest and forward rotation, days and nights in a row, weekly hours, a full
  weekend off in the plan; the 24-hour cap, minimum days off, pins, patterns, vacancy caps and the overtime
  budget are left to CP-SAT).
- **Breakout weights**: every position-hour weighs 1 at first; after each pass each one still uncovered weighs
  `--grow` more, so that hours no one takes draw people away from a local optimum (with weights fixed at 1 the
  passes stop improving at 382). The best plan of the passes (flat count) is kept.
- **Cuts**: the plan is a cycle cut at a Sunday off (pattern_dive.Pricing). `--cuts all` tries every Sunday;
  `current` (default) only those of the employee's current weekends off and one that turns with the pass and the
  employee, about half the work.
- **Trainees** shadow a CTO (pattern_dive.shadows): the CTO is priced on what both can work and the trainee
  takes the CTO's shifts but on its own leave days. The CTO keeps its own weekly floor, so in a week of the CTO's
  leave the trainee may fall short of its own; the completion then solves the pairs again.
- **Roster**: pattern_dive.finish: CP-SAT (the product's model, every hard rule) completes the roster from the
  fixed schedules, the phased strategy's pairs of weeks re-solve it for `--windows` deterministic seconds, and the
  independent checker confirms it.
With several `--seeds`, each runs in a process of its own (2 at once, the machine's cores) and the best plan
goes on. Prints every 10th pass, then a row: passes | grow | cuts | seeds | each seed's best plan (uncovered
position-hours) | seconds of passes | after CP-SAT's completion | after the windows (det-s) | seconds in all |
violations. Results: benchmarks/README.md.
Deterministic: the same arguments give the same roster. Plain Python: the passes take about 0.6 s
each on this machine (1.3 s with every cut).
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import time
from functools import partial

import numpy as np
from large_center import large_inputs  # the script's own directory is on the path
from pattern_dive import PROCESSES, Pricing, Shift, finish, shadows

from scheduler.domain import works_weekend
from scheduler.model.data import ModelData


class Coverage:
    """Seats per position and hour of the plan's schedules, with the breakout weights of the uncovered ones."""

    def __init__(self, data: ModelData):
        self.need = {p: r.astype(int) for p, r in data.requirements.required.items()}
        self.seats = {p: np.zeros_like(r) for p, r in self.need.items()}
        self.weight = {p: np.ones(len(r)) for p, r in self.need.items()}
        self.slots = {key: np.array(window.slots, dtype=int) for key, window in data.windows.items()}
        # Every shift's hours as indices into the positions' hours laid end to end, so that one reduceat sums
        # the weights each shift covers.
        positions, hours = list(self.need), data.horizon.n_slots
        self.shifts: list[Shift] = [(day, code, p) for (day, code) in self.slots for p in positions]
        offset = {p: i * hours for i, p in enumerate(positions)}
        self.flat = np.concatenate([offset[p] + self.slots[day, code] for day, code, p in self.shifts])
        self.starts = np.cumsum([0] + [len(self.slots[day, code]) for day, code, _ in self.shifts[:-1]])

    def add(self, shifts: list[Shift], sign: int) -> None:
        for day, code, position in shifts:
            self.seats[position][self.slots[day, code]] += sign

    def values(self) -> dict[Shift, float]:
        """Each shift's worth: the weights of the hours it covers that are short of their need."""
        short = np.concatenate([(self.seats[p] < need) * self.weight[p] for p, need in self.need.items()])
        return dict(zip(self.shifts, np.add.reduceat(short[self.flat], self.starts).tolist()))

    def uncovered(self) -> int:
        return int(sum(np.maximum(0, need - self.seats[p]).sum() for p, need in self.need.items()))

    def grow(self, step: float) -> None:
        for p, need in self.need.items():
            self.weight[p] += step * (self.seats[p] < need)


def best_response(data: ModelData, shadowed: dict[str, tuple], passes: int, grow: float, every_cut: bool, seed: int,
                  started: float) -> tuple[dict[str, list[Shift]], int]:
    """The best plan (employee id -> schedule) of `passes` passes of best responses, and its uncovered
    position-hours. Seed 0 takes the least flexible employees first; another seed shuffles that order."""
    pricing, coverage = Pricing(data), Coverage(data)
    weeks, horizon = data.horizon.days // 7, data.horizon
    staff = sorted((e for e in data.center.staff if not e.is_trainee),
                   key=lambda e: (sum(map(e.can_work, data.center.shifts)), len(e.qualifications), e.id))
    if seed:
        random.Random(seed).shuffle(staff)
    plan: dict[str, list[Shift]] = {e.id: [] for e in staff}
    best, fewest = dict(plan), coverage.uncovered()
    for turn in range(passes):
        for i, employee in enumerate(staff):
            coverage.add(plan[employee.id], -1)
            cuts = None
            if not every_cut:
                busy = {day // 7 for day, code, _ in plan[employee.id]
                        if works_weekend(horizon.day(day), data.windows[day, code].template)}
                cuts = sorted({(week + 1) % weeks for week in range(weeks) if week not in busy} | {(turn + i) % weeks})
            priced = shadowed[employee.id][1] if employee.id in shadowed else employee
            found = pricing.best(priced, coverage.values(), cuts)
            plan[employee.id] = found[0][1] if found else []
            coverage.add(plan[employee.id], +1)
        uncovered = coverage.uncovered()
        if uncovered < fewest:
            best, fewest = dict(plan), uncovered
        coverage.grow(grow)
        if turn % 10 == 9 or fewest == 0:
            print(f"  seed {seed}, pass {turn + 1}: {uncovered} uncovered, best {fewest}, "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
        if fewest == 0:
            break
    return best, fewest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--passes", type=int, default=150, help="passes of best responses over the staff")
    parser.add_argument("--grow", type=float, default=1.0, help="weight added to each uncovered hour per pass")
    parser.add_argument("--cuts", choices=("current", "all"), default="current",
                        help="the Sundays each best response cuts the cycle at")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0],
                        help="0: the least flexible employees first, else shuffled; several: one process each "
                             "(PROCESSES at once), the plan with the fewest uncovered kept")
    parser.add_argument("--complete", type=float, default=20.0,
                        help="deterministic seconds for CP-SAT to complete the roster from the fixed schedules")
    parser.add_argument("--windows", type=float, default=20.0, help="deterministic seconds of day windows after")
    args = parser.parse_args()
    started = time.perf_counter()
    data = large_inputs()
    shadowed = shadows(data)
    run = partial(best_response, data, shadowed, args.passes, args.grow, args.cuts == "all", started=started)
    if len(args.seeds) == 1:
        plans = [run(args.seeds[0])]
    else:
        with multiprocessing.get_context("fork").Pool(min(PROCESSES, len(args.seeds))) as pool:
            plans = pool.map(run, args.seeds)
    plan = min(plans, key=lambda p: p[1])[0]  # the first seed's on a tie
    planned = time.perf_counter() - started
    start, best, used, violations = finish(data, plan, shadowed, args.complete, args.windows)
    print(f"| {args.passes} | {args.grow} | {args.cuts} | {' '.join(map(str, args.seeds))} | "
          f"{' / '.join(str(p[1]) for p in plans)} | {planned:.0f} | {start:.0f} | {best:.0f} ({used:.0f} det-s) "
          f"| {time.perf_counter() - started:.0f} | {violations} |")


if __name__ == "__main__":
    main()
