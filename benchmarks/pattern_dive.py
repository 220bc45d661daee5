"""The 4-week center (benchmarks/large_center.py) through whole-plan schedules: a lower bound and a start.

Run from the repository root:  python benchmarks/pattern_dive.py [--batch 5] [--rounds 1000] [--windows 30]

Column generation over whole-plan schedules, uncovered position-hours counted flat:
- **Master LP** (GLOP): every class of interchangeable employees (same job class, qualifications, shift length and
  bids, contract, overtime cap, CTO or trainee, leave days) takes a convex mix of schedules, as many as it has
  members; per position and hour, seats covered + uncovered >= required; per day, template and position a
  trainee's shift needs a CTO's (trainees cover nothing; a penalized slack keeps the first LP solvable).
- **Pricing**: for each class the schedule worth most at the LP's duals, by dynamic programming over the days
  with the employee's own hard rules exactly: one shift a day, leave, shift templates and qualifications, rest
  and forward rotation between consecutive days (rules/rest.py, rules/rotation.py give the forbidden pairs),
  work days and nights in a row, weekly hours, a full weekend off in the plan. The plan is a cycle; every schedule
  with a weekend off has a Sunday off, so cutting the cycle at each Sunday in turn (the day after it starts with
  nothing carried) covers every schedule exactly. The 24-hour cap, minimum days off, pins, fixed patterns, vacancy
  caps and the overtime budget are left out: the LP relaxes them, so its optimal value bounds the uncovered
  position-hours of every roster from below (here it reaches 0, so no bound above 0 comes from it).
- **Dive**: fix the columns' whole parts, then round up the `--batch` columns nearest their next whole number
  (trainee classes first, so that CTOs are placed around them), generate columns again, until every class is
  whole: one schedule per employee.
- **Roster**: the CP-SAT model of the product (every hard rule, the 24-hour cap included) takes the dive's
  schedules as they are; the phased strategy's day windows (pairs of weeks) then re-solve it for `--windows`
  deterministic seconds; the independent checker confirms the roster.
Prints the root LP and each dive step, then a row: batch | rounds | root LP | dive's uncovered position-hours |
seconds to the end of the dive | after the windows | seconds in all | violations the checker finds.
Results: benchmarks/README.md. The pricing is plain Python: the whole run takes many minutes.
"""

from __future__ import annotations

import argparse
import math
import time
from collections import Counter, defaultdict

from large_center import FLAT, large_inputs  # the script's own directory is on the path
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from scheduler.checker import check_shifts
from scheduler.domain import Assignment, works_weekend
from scheduler.model import solve as solving
from scheduler.model.data import ModelData
from scheduler.model.rules.rest import conflicting_windows
from scheduler.model.rules.rotation import forbidden_successions
from scheduler.model.rules.weekends import weekend_rule_applies

Shift = tuple[int, str, str]  # day index, template code, position id
TRAINEE_SLACK_COST = 100  # per trainee shift without a CTO, far above an uncovered position-hour (1)


class Pricing:
    """The best whole-plan schedule of one employee for given values of each (day, template, position)."""

    def __init__(self, data: ModelData):
        rules, days = data.rules, data.horizon.days
        if not (weekend_rule_applies(data) and rules.weekend_off_every_weeks == days // 7 and rules.min_days_off <= 1
                and data.history is None and data.horizon.day(0).weekday() == 0):
            raise SystemExit("the pricing handles a cyclic plan of whole weeks from a Monday with one weekend off")
        self.data, self.days = data, days
        self.rest_conflicts: dict[int, set[tuple[str, str]]] = defaultdict(set)  # day -> (code the day before, code)
        for (d1, s1), (d2, s2) in conflicting_windows(data):
            if (d2 - d1) % days != 1:
                raise SystemExit(f"a rest conflict between days {d1} and {d2}: the pricing checks adjacent days only")
            self.rest_conflicts[d2].add((s1, s2))
        self.successions = set(forbidden_successions(data))
        self.night = {t.code: rules.is_night(t) for t in data.center.shifts}

    def best(self, employee, value) -> tuple[float, list[Shift]]:
        """`value(day, template, position)`; the cycle cut at each Sunday in turn, the best schedule of all."""
        positions = [p.id for p in self.data.center.positions if employee.qualified_for(p)]
        gains = {(day, t.code): max(((value(day, t.code, p), p) for p in positions), key=lambda g: g[0])
                 for day in range(self.days) for t in self.data.center.shifts if employee.can_work(t)}
        found = [self._from(employee, gains, [(7 * week + i) % self.days for i in range(self.days)])
                 for week in range(self.days // 7)]
        return max((f for f in found if f is not None), key=lambda f: f[0])

    def _from(self, employee, gains: dict, order: list[int]) -> tuple[float, list[Shift]] | None:
        data, center, rules = self.data, self.data.center, self.data.rules
        templates = [t for t in center.shifts if employee.can_work(t)]
        # state: (code worked the day before or None, work days in a row, nights in a row, hours this week,
        #         a weekend off already, this week's weekend still free)
        layer = {(None, 0, 0, 0, False, True): (0.0, None)}
        layers = []
        for step, day in enumerate(order):
            date = data.horizon.day(day)
            options = []
            if not center.on_leave(employee.id, date) and step < len(order) - 1:  # the last day is the cut's Sunday
                for t in templates:
                    gain, position = gains[day, t.code]
                    options.append((t.code, data.windows[day, t.code].hours, self.night[t.code],
                                    works_weekend(date, t), gain, position))
            week = day // 7
            high = data.max_hours(employee, week)
            nxt: dict = {}
            for state, (total, _) in layer.items():
                last, run, nights, hours, had_weekend, free = state
                _keep(nxt, (None, 0, 0, hours, had_weekend, free), total, (state, None))
                if run >= rules.max_consecutive_days:
                    continue
                for code, length, night, weekend, gain, position in options:
                    if last is not None and ((last, code) in self.rest_conflicts[day] or (last, code) in self.successions):
                        continue
                    in_a_row = nights + 1 if night else 0
                    if hours + length > high or (rules.max_consecutive_nights and in_a_row > rules.max_consecutive_nights):
                        continue
                    _keep(nxt, (code, run + 1, in_a_row, hours + length, had_weekend, free and not weekend),
                          total + gain, (state, (code, position)))
            if date.weekday() == 6:  # the week closes: its floor on hours, its weekend
                low, closed = data.min_hours(employee, week), {}
                for (last, run, nights, hours, had_weekend, free), (total, back) in nxt.items():
                    if hours >= low:
                        _keep(closed, (last, run, nights, 0, had_weekend or free, True), total, back)
                nxt = closed
            layers.append(nxt)
            layer = nxt
        ends = [(total, state) for state, (total, _) in layer.items() if state[4]]
        if not ends:
            return None
        total, state = max(ends, key=lambda e: e[0])
        shifts = []
        for step in range(len(order) - 1, -1, -1):
            state, choice = layers[step][state][1]
            if choice:
                shifts.append((order[step], *choice))
        return total, shifts


def _keep(table: dict, state: tuple, total: float, back) -> None:
    """Keep the better of two ways into one state."""
    if state not in table or total > table[state][0]:
        table[state] = (total, back)


class Master:
    """The restricted master LP over the columns generated so far."""

    def __init__(self, data: ModelData, classes: dict[tuple, list]):
        self.data, self.classes = data, classes
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        self.columns: dict[tuple, list] = defaultdict(list)  # class -> [(variable, shifts)]
        objective = self.lp.Objective()
        self.cover = {}
        for position, required in data.requirements.required.items():
            for slot, need in enumerate(required):
                if need > 0:
                    self.cover[position, slot] = row = self.lp.Constraint(float(need), self.lp.infinity())
                    short = self.lp.NumVar(0, self.lp.infinity(), "")
                    row.SetCoefficient(short, 1)
                    objective.SetCoefficient(short, 1)
        self.beside = {}  # (day, code, position) -> CTO shifts - trainee shifts >= 0
        for members in classes.values():
            trainee = members[0]
            if not trainee.is_trainee:
                continue
            for day in range(data.horizon.days):
                for t in data.center.shifts:
                    for p in data.center.positions:
                        if trainee.can_work(t) and trainee.qualified_for(p) and (day, t.code, p.id) not in self.beside:
                            self.beside[day, t.code, p.id] = row = self.lp.Constraint(0, self.lp.infinity())
                            slack = self.lp.NumVar(0, self.lp.infinity(), "")
                            row.SetCoefficient(slack, 1)
                            objective.SetCoefficient(slack, TRAINEE_SLACK_COST)
        self.size = {key: self.lp.Constraint(len(m), len(m)) for key, m in classes.items()}
        objective.SetMinimization()

    def add(self, key: tuple, shifts: list[Shift]) -> None:
        employee, windows = self.classes[key][0], self.data.windows
        column = self.lp.NumVar(0, self.lp.infinity(), "")
        self.size[key].SetCoefficient(column, 1)
        seats = Counter()
        for day, code, position in shifts:
            if not employee.is_trainee:  # trainees never count toward coverage
                seats.update((position, slot) for slot in windows[day, code].slots)
            if (employee.is_trainee or employee.cto) and (day, code, position) in self.beside:
                self.beside[day, code, position].SetCoefficient(column, -1 if employee.is_trainee else 1)
        for key_slot, count in seats.items():
            if key_slot in self.cover:
                self.cover[key_slot].SetCoefficient(column, count)
        self.columns[key].append((column, shifts))

    def solve(self) -> float:
        if self.lp.Solve() not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
            raise SystemExit("the master LP failed")
        return self.lp.Objective().Value()

    def prices(self):
        """The current duals, read before any column is added (adding one discards the LP's solution): a function
        giving an employee's value of each (day, template, position), and the classes' size duals."""
        cover = {key: row.dual_value() for key, row in self.cover.items()}
        beside = {key: row.dual_value() for key, row in self.beside.items()}
        size = {key: row.dual_value() for key, row in self.size.items()}
        windows = self.data.windows

        def value_for(employee):
            sign = -1 if employee.is_trainee else (1 if employee.cto else 0)

            def value(day, code, position):
                seats = 0.0 if employee.is_trainee else sum(cover.get((position, s), 0.0)
                                                            for s in windows[day, code].slots)
                return seats + sign * beside.get((day, code, position), 0.0)
            return value
        return value_for, size


def interchangeable(data: ModelData) -> dict[tuple, list]:
    center, horizon = data.center, data.horizon
    classes = defaultdict(list)
    for e in center.staff:
        leave = tuple(d for d in range(horizon.days) if center.on_leave(e.id, horizon.day(d)))
        classes[(e.job_class, e.is_trainee, e.cto, e.qualifications, e.shift_length, e.shift_codes, e.contract_hours,
                 e.max_overtime_hours, leave)].append(e)
    return classes


def generate(master: Master, pricing: Pricing, rounds: int, open_classes) -> tuple[float, int]:
    """Column generation until no column prices out or `rounds` run: (LP value, rounds)."""
    for done in range(1, rounds + 1):
        z = master.solve()
        value_for, size = master.prices()
        found = []
        for key in open_classes():
            employee = master.classes[key][0]
            total, shifts = pricing.best(employee, value_for(employee))
            if -total - size[key] < -1e-6:  # a negative reduced cost
                found.append((key, shifts))
        if not found:
            return z, done
        for key, shifts in found:
            master.add(key, shifts)
    return master.solve(), rounds


def dive(master: Master, pricing: Pricing, batch: int, rounds: int, started: float) -> dict[str, list[Shift]]:
    fixed = Counter()

    def open_classes():
        return [key for key, members in master.classes.items() if fixed[key] < len(members)]

    while open_classes():
        # read the LP's values first: changing a bound discards its solution
        values = [(key, column, column.solution_value()) for key, columns in master.columns.items()
                  for column, _ in columns]
        fractional = []
        for key, column, value in values:
            whole = math.floor(value + 1e-9)
            if whole > column.lb():
                fixed[key] += whole - int(column.lb())
                column.SetLb(whole)
            part = value - whole
            if part > 1e-6:
                fractional.append((not master.classes[key][0].is_trainee, -part, key, column))
        for _, _, key, column in sorted(fractional, key=lambda f: f[:2])[:batch]:
            if fixed[key] < len(master.classes[key]):
                column.SetLb(column.lb() + 1)
                fixed[key] += 1
        z, done = generate(master, pricing, rounds, open_classes)
        print(f"  dive: {sum(fixed.values())} of {sum(map(len, master.classes.values()))} schedules fixed, LP {z:.1f}, "
              f"{done} rounds, {time.perf_counter() - started:.0f} s", flush=True)
    master.solve()
    plan = {}
    for key, columns in master.columns.items():
        members = iter(master.classes[key])
        for column, shifts in columns:
            for _ in range(round(column.solution_value())):
                plan[next(members).id] = shifts
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch", type=int, default=5, help="columns rounded up per dive step")
    parser.add_argument("--rounds", type=int, default=1000, help="pricing rounds at most per LP")
    parser.add_argument("--windows", type=float, default=30.0, help="deterministic seconds of day windows after")
    args = parser.parse_args()
    started = time.perf_counter()
    data = large_inputs()
    classes = interchangeable(data)
    pricing, master = Pricing(data), Master(data, classes)
    for key, members in classes.items():  # a first column each: any schedule the rules allow
        master.add(key, pricing.best(members[0], lambda day, code, position: 0.0)[1])
    z, done = generate(master, pricing, args.rounds, lambda: list(classes))
    print(f"{len(classes)} classes; root LP {z:.3f} after {done} rounds, "
          f"{sum(map(len, master.columns.values()))} columns, {time.perf_counter() - started:.0f} s", flush=True)
    plan = dive(master, pricing, args.batch, args.rounds, started)
    dived = time.perf_counter() - started

    model, roster, terms = solving.build_model(data, FLAT)
    model.minimize(solving._shortfall_count(terms, roster, FLAT))
    worked = {(e, day, code, position) for e, shifts in plan.items() for day, code, position in shifts}
    dived_roster = solving._with_values(model, {var.index: int(key in worked) for key, var in roster.x.items()})
    settings = solving.SolverSettings(time_limit_s=args.windows)
    solver, status = solving._run(dived_roster, settings, 20.0, None, "dive", 0.0, lp=False)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # e.g. a 24-hour cap the pricing does not see
        raise SystemExit(f"the dive's roster breaks a rule of the model ({solver.status_name(status)})")
    values, start = solving._solution(solver), solver.objective_value
    windows = settings.windows(data.horizon.days)
    best, used = solving._windows(model, roster, windows, settings, values, start, 0, args.windows, None, 0.0)
    assignments = [Assignment(e, data.horizon.day(day), code, position, data.windows[day, code].start,
                              data.windows[day, code].end)
                   for (e, day, code, position), var in roster.x.items() if values[var.index]]
    violations = check_shifts(assignments, data.center, data.rules, data.horizon)
    print(f"| {args.batch} | {args.rounds} | {z:.0f} | {start / FLAT.shortfall:.0f} | {dived:.0f} "
          f"| {best / FLAT.shortfall:.0f} ({used:.0f} det-s) | {time.perf_counter() - started:.0f} "
          f"| {len(violations)} |")


if __name__ == "__main__":
    main()
