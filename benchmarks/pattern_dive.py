"""The 4-week center (benchmarks/large_center.py) through whole-plan schedules: a lower bound and a start.

Run from the repository root:
    python benchmarks/pattern_dive.py [--batch 5] [--handover 0.5] [--complete 20] [--windows 30]

Column generation over whole-plan schedules, uncovered position-hours counted flat:
- **Master LP** (GLOP through MathOpt, re-solved from its last basis): every class of interchangeable
  employees (same job class, qualifications, shift length and bids, contract, overtime cap, CTO or not, leave
  days) takes a convex mix of schedules, as many as it has members; seats covered + uncovered >= required, per
  position and block of hours that the same shifts cover (one row per distinct requirement in the block).
  Trainees cover nothing: each follows a CTO of its own (`shadows`), who is a class alone and is priced on
  only the templates and positions both can work, so that the trainee can take every shift of the CTO's
  schedule but on its own leave days. That restricts those CTOs: with them, the LP bounds only the rosters in
  which trainees shadow them (the seventh session's LP, with trainees beside any CTO, was 0 as well).
- **Pricing**: for each class the schedule worth most at the LP's duals, by the product's single-employee
  schedule search (scheduler/model/schedules.py: a dynamic program over the days with the employee's own hard
  rules exactly, the plan cut at each Sunday in turn). The 24-hour cap, vacancy caps and the overtime budget
  are left out: the LP relaxes them (its value would bound every roster's uncovered position-hours from below
  but for the shadows; here it is 0). The classes are priced in 2 processes.
- **Dive**: fix the columns' whole parts, then round up the `--batch` columns nearest their next whole number,
  generate columns again, until every class is whole (one schedule per employee) or the LP rises above
  `--handover`; then the schedules fixed before that step.
- **Roster**: the CP-SAT model of the product (every hard rule, the 24-hour cap included) takes the fixed
  schedules (each trainee its CTO's) and solves the employees the dive left for `--complete` deterministic
  seconds (if a shadowing trainee breaks a rule of its own, the pairs are solved again too, from their dived
  schedules); the phased strategy's day windows (pairs of weeks) then re-solve it for
  `--windows` deterministic seconds; the independent checker confirms the roster.
Prints the root LP and each dive step, then a row: batch | handover | root LP | uncovered position-hours after
CP-SAT's completion | seconds to the end of the dive | after the windows | seconds in all | violations the
checker finds. Results: benchmarks/RESULTS.md. The pricing is plain Python: the whole run takes minutes.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import multiprocessing.pool
import time
from collections import Counter, defaultdict
from functools import partial

from large_center import FLAT, large_inputs  # the script's own directory is on the path
from ortools.math_opt.python import mathopt
from ortools.sat.python import cp_model

from scheduler.checker import RosterCase
from scheduler.domain import Assignment
from scheduler.model import cpsat
from scheduler.model.best_response import shadows
from scheduler.model.build import build_model
from scheduler.model.data import ModelData
from scheduler.model.neighbourhoods import search_windows
from scheduler.model.phased import shortfall_count
from scheduler.model.registry import check_rules
from scheduler.model.schedules import SchedulePricer, Shift
from scheduler.model.settings import SolverSettings

PROCESSES = 2  # the pricing's processes: the machine's 2 cores (CP-SAT runs only after the dive)


def hour_blocks(data: ModelData) -> tuple[dict, dict]:
    """Each needed (position, slot)'s block, and each block's hours per need (Master's rows)."""
    by_slot = defaultdict(set)
    for (day, code), window in data.windows.items():
        for slot in window.slots:
            by_slot[slot].add((day, code))
    needs = defaultdict(Counter)  # (position, windows covering) -> need -> hours
    block_of = {}  # (position, slot) -> the slot's block
    for position, required in data.requirements.required.items():
        for slot, need in enumerate(required):
            if need > 0:
                block_of[position, slot] = (position, frozenset(by_slot[slot]))
                needs[block_of[position, slot]][int(need)] += 1
    return block_of, needs


class Master:
    """The restricted master LP over the columns generated so far, solved incrementally by GLOP from the last
    basis: after new columns by the primal simplex (the basis stays primal feasible), after a dive step's new
    bounds by the dual simplex (it stays dual feasible; a cold re-solve took 9 s)."""

    def __init__(self, data: ModelData, classes: dict[tuple, list]):
        self.data, self.classes = data, classes
        self.lp = mathopt.Model()
        self.columns: dict[tuple, list] = defaultdict(list)  # class -> [(variable, shifts)]
        # Hours of one position worked by the same shifts (the same set of (day, template) windows) have the
        # same seats, so they form a block: its uncovered position-hours sum_h max(0, need_h - seats) take one
        # row per distinct need L, seats + short_L >= L, short_L weighted by the hours that need L (half the
        # rows here).
        block_of, needs = hour_blocks(data)
        objective, self.cover = [], defaultdict(list)  # block -> its rows
        for block, hours in needs.items():
            for need, count in hours.items():
                row = self.lp.add_linear_constraint(lb=float(need))
                short = self.lp.add_variable(lb=0)
                row.set_coefficient(short, 1)
                objective.append(count * short)
                self.cover[block].append(row)
        # The blocks each shift covers (none: not listed), in the order of its hours: a set's order would
        # change with Python's string hashing from run to run, and with it the sums of the duals in their last
        # bits.
        self.shift_blocks: dict[Shift, tuple] = {}
        for (day, code), window in data.windows.items():
            for position in data.requirements.required:
                covered = tuple(dict.fromkeys(block_of[position, slot] for slot in window.slots
                                              if (position, slot) in block_of))
                if covered:
                    self.shift_blocks[day, code, position] = covered
        self.size = {key: self.lp.add_linear_constraint(lb=len(m), ub=len(m)) for key, m in classes.items()}
        self.lp.minimize(mathopt.fast_sum(objective))
        self.solver = mathopt.IncrementalSolver(self.lp, mathopt.SolverType.GLOP)
        # cold, too, the dual simplex was faster: 2.8 s against 9
        self.result, self.bounds_changed = None, True

    def add(self, key: tuple, shifts: list[Shift]) -> None:
        column = self.lp.add_variable(lb=0)
        self.size[key].set_coefficient(column, 1)
        seats = Counter()
        for shift in shifts:
            seats.update(self.shift_blocks.get(shift, ()))
        for block, count in seats.items():
            for row in self.cover[block]:
                row.set_coefficient(column, count)
        self.columns[key].append((column, shifts))

    def raise_bound(self, column, lower: int) -> None:
        column.lower_bound = lower
        self.bounds_changed = True

    def solve(self) -> float:
        algorithm = (mathopt.LPAlgorithm.DUAL_SIMPLEX if self.bounds_changed
                     else mathopt.LPAlgorithm.PRIMAL_SIMPLEX)
        self.result = self.solver.solve(params=mathopt.SolveParameters(lp_algorithm=algorithm))
        self.bounds_changed = False
        if self.result.termination.reason != mathopt.TerminationReason.OPTIMAL:
            raise SystemExit(f"the master LP failed: {self.result.termination}")
        return self.result.objective_value()

    def value(self, column) -> float:
        return self.result.variable_values(column)

    def prices(self):
        """The last solve's duals: the value of each shift (day, template, position) that covers a block, and
        the classes' size duals."""
        duals = self.result.dual_values()
        seat = {block: sum(duals[row] for row in rows) for block, rows in self.cover.items()}
        size = {key: duals[row] for key, row in self.size.items()}
        return {shift: sum(seat[block] for block in blocks)
                for shift, blocks in self.shift_blocks.items()}, size


def interchangeable(data: ModelData, shadowed: dict[str, tuple]) -> dict[tuple, list]:
    """Classes of employees the LP cannot tell apart; a CTO with a trainee is a class of its own; trainees are
    left out (they cover nothing and follow their CTO)."""
    center, horizon = data.center, data.horizon
    classes = defaultdict(list)
    for e in center.staff:
        if e.is_trainee:
            continue
        if e.id in shadowed:
            classes[e.id,].append(shadowed[e.id][1])
            continue
        leave = tuple(d for d in range(horizon.days) if center.on_leave(e.id, horizon.day(d)))
        classes[(e.job_class, e.cto, e.qualifications, e.shift_length, e.shift_codes, e.contract_hours,
                 e.max_overtime_hours, leave)].append(e)
    return classes


_pricing: SchedulePricer | None = None  # the pricing processes' own copy (forked)


def _best(value: dict[Shift, float], employee) -> list[tuple[float, list[Shift]]]:
    return _pricing.best(employee, value)


def generate(master: Master, pricing: multiprocessing.pool.Pool, rounds: int,
             open_classes) -> tuple[float, int]:
    """Column generation until no column prices out or `rounds` run: (LP value, rounds)."""
    for done in range(1, rounds + 1):
        z = master.solve()
        value, size = master.prices()
        keys = open_classes()
        priced = pricing.map(partial(_best, value), [master.classes[key][0] for key in keys],
                             chunksize=max(1, math.ceil(len(keys) / PROCESSES)))
        found = [(key, shifts) for key, schedules in zip(keys, priced, strict=True)
                 for total, shifts in schedules if -total - size[key] < -1e-6]  # a negative reduced cost
        if not found:
            return z, done
        for key, shifts in found:
            master.add(key, shifts)
    return master.solve(), rounds


def fix_step(master: Master, fixed: Counter, batch: int) -> None:
    """One dive step's bounds: the columns' whole parts fixed, then the `batch` columns nearest their next
    whole number rounded up; `fixed` counts each class's schedules fixed."""
    fractional = []
    for key, columns in master.columns.items():
        for column, _ in columns:
            value = master.value(column)
            whole = math.floor(value + 1e-9)
            if whole > column.lower_bound:
                fixed[key] += whole - int(column.lower_bound)
                master.raise_bound(column, whole)
            part = value - whole
            if part > 1e-6:
                fractional.append((-part, key, column))
    for _, key, column in sorted(fractional, key=lambda f: f[0])[:batch]:
        if fixed[key] < len(master.classes[key]):
            master.raise_bound(column, int(column.lower_bound) + 1)
            fixed[key] += 1


def dive(master: Master, pricing: multiprocessing.pool.Pool, batch: int, rounds: int, handover: float,
         started: float) -> dict[str, list[Shift]]:
    """Schedules fixed one batch at a time until every employee has one, or until the LP rises above
    `handover`: then the schedules fixed before that step (the rest of the staff is left to CP-SAT)."""
    fixed = Counter()

    def open_classes():
        return [key for key, members in master.classes.items() if fixed[key] < len(members)]

    def plan() -> dict[str, list[Shift]]:  # each class's members take its columns' fixed counts in turn
        schedules = {}
        for key, columns in master.columns.items():
            members = iter(master.classes[key])
            for column, shifts in columns:
                for _ in range(int(column.lower_bound)):
                    schedules[next(members).id] = shifts
        return schedules

    while open_classes():
        before = plan()
        fix_step(master, fixed, batch)
        z, done = generate(master, pricing, rounds, open_classes)
        print(f"  dive: {sum(fixed.values())} of {sum(map(len, master.classes.values()))} schedules fixed, "
              f"LP {z:.1f}, {done} rounds, {time.perf_counter() - started:.0f} s", flush=True)
        if z > handover:
            return before
    return plan()


def finish(data: ModelData, plan: dict[str, list[Shift]], shadowed: dict[str, tuple], complete: float,
           window_seconds: float) -> tuple[float, float, float, int]:
    """The roster of `plan`'s schedules (each shadowing trainee its CTO's shifts, but on its own leave days),
    the employees it leaves out solved by the product's CP-SAT model (every hard rule) for `complete`
    deterministic seconds (if a pair breaks a rule of its own, the pairs are solved again too, from their
    planned schedules), then the phased strategy's day windows for `window_seconds`: (uncovered position-hours
    after the completion, after the windows, the windows' deterministic seconds, the violations the
    independent checker finds)."""
    model, roster, terms = build_model(data, FLAT)
    model.minimize(shortfall_count(terms, roster, FLAT))
    worked = {(e, day, code, position) for e, shifts in plan.items() for day, code, position in shifts}
    for cto, (trainee, _) in shadowed.items():
        worked |= {(trainee.id, day, code, position) for day, code, position in plan.get(cto, ())
                   if not data.center.on_leave(trainee.id, data.horizon.day(day))}
    fixed = set(plan) | {trainee.id for cto, (trainee, _) in shadowed.items() if cto in plan}
    settings = SolverSettings(time_limit_s=window_seconds)
    for free in (set(), set(shadowed) | {trainee.id for trainee, _ in shadowed.values()}):
        planned = cpsat.with_values(model, {var.index: int(key in worked) for key, var in roster.x.items()
                                               if key[0] in fixed - free})
        for key, var in roster.x.items():
            if key[0] in free:
                planned.add_hint(var, int(key in worked))
        solver, status = cpsat.run(planned, settings, complete, None, "completion", 0.0, lp=False)
        print(f"  completion with {len(free)} of the planned employees free: {solver.status_name(status)}, "
              f"{solver.objective_value / FLAT.shortfall:.0f}", flush=True)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
    else:  # e.g. a 24-hour cap the pricing does not see
        raise SystemExit(f"the planned roster breaks a rule of the model ({solver.status_name(status)})")
    values, start = cpsat.solution(solver), solver.objective_value
    windows = settings.phased.windows(data.horizon.days)
    best, used = search_windows(model, roster, windows, settings, values, start, 0, window_seconds, None, 0.0)
    assignments = [Assignment(e, data.horizon.day(day), code, position, data.windows[day, code].start,
                              data.windows[day, code].end)
                   for (e, day, code, position), var in roster.x.items() if values[var.index]]
    violations = check_rules(RosterCase(tuple(assignments), data.center, data.rules, data.requirements))
    return start / FLAT.shortfall, best / FLAT.shortfall, used, len(violations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=5, help="columns rounded up per dive step")
    parser.add_argument("--rounds", type=int, default=1000, help="pricing rounds at most per LP")
    parser.add_argument("--handover", type=float, default=0.5,
                        help="stop the dive when the LP exceeds this; "
                             "CP-SAT schedules the employees not fixed")
    parser.add_argument("--complete", type=float, default=20.0,
                        help="deterministic seconds for CP-SAT to schedule the employees the dive left")
    parser.add_argument("--windows", type=float, default=30.0,
                        help="deterministic seconds of day windows after")
    args = parser.parse_args()
    started = time.perf_counter()
    data = large_inputs()
    shadowed = shadows(data)
    classes = interchangeable(data, shadowed)
    global _pricing
    _pricing, master = SchedulePricer(data), Master(data, classes)
    for key, members in classes.items():  # a first column each: any schedule the rules allow
        master.add(key, _pricing.best(members[0], {})[0][1])
    pricing = multiprocessing.get_context("fork").Pool(PROCESSES)
    z, done = generate(master, pricing, args.rounds, lambda: list(classes))
    print(f"{len(classes)} classes; root LP {z:.3f} after {done} rounds, "
          f"{sum(map(len, master.columns.values()))} columns, {time.perf_counter() - started:.0f} s",
          flush=True)
    plan = dive(master, pricing, args.batch, args.rounds, args.handover, started)
    dived = time.perf_counter() - started

    start, best, used, violations = finish(data, plan, shadowed, args.complete, args.windows)
    print(f"| {args.batch} | {args.handover} | {z:.0f} | {start:.0f} | {dived:.0f} "
          f"| {best:.0f} ({used:.0f} det-s) | {time.perf_counter() - started:.0f} | {violations} |")


if __name__ == "__main__":
    main()
