"""A first roster built one employee at a time: each takes its best whole-plan schedule against the others.

The phased strategy's start on large plans (start.py, phase "best responses"). In passes over the staff, each
non-trainee employee in turn (seed 0: the least flexible first, fewest templates then fewest qualifications;
another seed shuffles the order) drops its schedule and takes the one worth most (schedules.SchedulePricer,
its own hard rules exactly) with every other schedule fixed. A shift (day, template, position) is worth the
weights of the position-hours it covers that the others leave short, so the choice is the exact drop in
weighted uncovered position-hours; ties go to the schedule with the most seats the others leave exactly at
need (`Coverage.spare`, worth less than any whole difference in weight). Each hour weighs its position's
criticality at first; after every pass each hour still uncovered weighs `grow` more (breakout weights): with
weights fixed the passes stall in a local optimum (on the 4-week center at 382 uncovered position-hours after
8 passes), with them they keep improving (benchmarks/RESULTS.md). The seats a vacancy cap requires
(rules/vacancy_caps.py) are worth CAPPED more, so they are filled first. The plan with the fewest seats
missing under the caps, then the fewest uncovered position-hours (flat count), is kept (`Standing`).
Independent chains of passes (other seeds) can run side by side, one per process, the best plan kept
(chains.best_responses, one chain per CP-SAT worker in the phased strategy).

Trainees cover nothing: each follows a CTO of its own (`shadows`), who is priced on the templates and
positions both can work, so that the trainee can take the CTO's shifts (but on its own leave days). CP-SAT
then completes the roster under every rule (start.best_response_start): the trainees, whoever found no
schedule, and the rules the schedules leave out.

Each best response starts its search after one of few cuts (SchedulePricer.cut_days): those the employee's
current schedule keeps off (at most `CURRENT_CUTS`) and one that turns with the pass and the employee; every
cut each time took twice as long for about the same plans. The search's work (SchedulePricer.work) is the
budget, not the clock.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from scheduler.domain import Employee, works_weekend
from scheduler.model.data import ModelData
from scheduler.model.schedules import SchedulePricer, Shift

CURRENT_CUTS = 2
# Passes without a better plan before the passes stop, whatever budget is left: where no schedule can cover an
# hour the weights grow for ever. At 50, both chains of a 4-week center's run at 120 det-s stopped with 53 of
# their 76 det-s spent (benchmarks/RESULTS.md).
PATIENCE = 100
# The worth of a seat a vacancy cap requires, on top of its hour's weight: above anything the breakout weights
# reach in the passes a budget allows (they grow by `grow`, 1, a pass).
CAPPED = 10_000.0


class Standing(NamedTuple):
    """How far a plan is from covering everything, compared in this order (fewer is better)."""

    missing: int  # seats missing under the vacancy caps (0: the caps hold)
    uncovered: int  # position-hours left uncovered (flat count)


@dataclass(frozen=True)
class Plan:
    schedules: dict[str, list[Shift]]  # employee id -> its shifts; trainees shadowing a CTO included
    uncovered: int  # position-hours left uncovered by those schedules (flat count)
    passes: int
    work: int  # the searches' work (SchedulePricer.work)
    pairs: dict[str, str]  # CTO id -> the trainee who shadows them
    missing: int = 0  # seats missing under the vacancy caps; plans are compared on it first (`standing`)

    @property
    def standing(self) -> Standing:
        return Standing(self.missing, self.uncovered)


class Coverage:
    """Seats per position and hour of the plan's schedules, with the breakout weights of the uncovered hours.
    """

    def __init__(self, data: ModelData):
        criticality = {p.id: p.criticality for p in data.center.positions}
        self.data, self.need = data, data.need
        self.seats = {p: np.zeros_like(r) for p, r in self.need.items()}
        self.weight = {p: np.full(len(r), float(criticality.get(p, 1))) for p, r in self.need.items()}
        # A seat that the others leave exactly at a need above 0 is worth a little (a spare seat if they
        # change), so that among schedules of equal worth the best responses keep slack where the plan is
        # tight: on the 4-week center 24-32 uncovered position-hours after 100 passes (seeds 0-4) against
        # 28-51 without. A schedule covers each hour of the plan at most once, so its spare seats together are
        # worth at most 0.5: less than any difference in worth while weights differ by whole numbers
        # (criticality, `grow` 1); with a fractional `grow` they may also settle near ties.
        self.spare = 0.5 / max(1, data.horizon.n_slots)
        # What values() adds per seat.
        self.spare_at = {p: self.spare * (need > 0) for p, need in self.need.items()}
        # A vacancy cap c on a position (rules/vacancy_caps.py, hard) makes its first need - c seats of each
        # hour must-haves: each worth CAPPED more, so that the best responses fill them before any other hour
        # (the breakout weights grow by `grow` a pass) and the completion can keep the plan; plans are
        # compared by their seats still missing under the caps first (`standing`).
        self.floor = {p: np.maximum(0, self.need[p] - cap) for p, cap in data.rules.vacancy_caps.items()
                      if p in self.need}
        self.slots = {key: np.array(window.slots, dtype=int) for key, window in data.windows.items()}
        # Every shift's hours as indices into the positions' hours laid end to end, so that one reduceat sums
        # the weights each shift covers.
        positions, hours = list(self.need), data.horizon.n_slots
        self.shifts: list[Shift] = [(day, code, p) for (day, code) in self.slots for p in positions
                                    if len(self.slots[day, code])]
        offset = {p: i * hours for i, p in enumerate(positions)}
        self.flat = np.concatenate([offset[p] + self.slots[day, code] for day, code, p in self.shifts]) \
            if self.shifts else np.zeros(0, dtype=int)
        self.starts = np.cumsum([0] + [len(self.slots[day, code]) for day, code, _ in self.shifts[:-1]])

    def add(self, shifts: list[Shift], sign: int) -> None:
        for day, code, position in shifts:
            if position in self.seats:
                self.seats[position][self.slots[day, code]] += sign

    def values(self) -> dict[Shift, float]:
        """Each shift's worth: the weights of the hours it covers that are short of their need."""
        if not self.shifts:
            return {}
        short = np.concatenate([(self.seats[p] < need) * self.weight[p]
                                + (self.seats[p] == need) * self.spare_at[p]
                                + (CAPPED * (self.seats[p] < self.floor[p]) if p in self.floor else 0.0)
                                for p, need in self.need.items()])
        return dict(zip(self.shifts, np.add.reduceat(short[self.flat], self.starts).tolist(), strict=True))

    def uncovered(self) -> int:
        return sum(self.data.short(self.seats).values())

    def standing(self) -> Standing:
        return Standing(sum(self.data.short(self.seats, self.floor).values()), self.uncovered())

    def grow(self, step: float) -> None:
        for p, need in self.need.items():
            self.weight[p] += step * (self.seats[p] < need)


def shadows(data: ModelData) -> dict[str, tuple[Employee, Employee]]:
    """Each trainee's CTO (the first free one who can work a template and a position with them): CTO id ->
    (trainee, the CTO as priced: only the templates and positions both can work, the smaller overtime cap), so
    that the trainee can work every shift of the CTO's schedule. A trainee without such a CTO is left out."""
    center, rules = data.center, data.rules
    paired = {}
    for trainee in (e for e in center.staff if e.is_trainee):
        for cto in (e for e in center.staff if e.cto and not e.is_trainee and e.id not in paired):
            codes = tuple(t.code for t in center.shifts if cto.can_work(t) and trainee.can_work(t))
            qualifications = cto.qualifications & trainee.qualifications
            if codes and any(p.qualification in qualifications for p in center.positions):
                paired[cto.id] = (trainee, replace(cto, shift_codes=codes, qualifications=qualifications,
                                                   max_overtime_hours=min(rules.overtime_cap(cto),
                                                                          rules.overtime_cap(trainee))))
                break
    return paired


def chain(data: ModelData, budget: int, seed: int, grow: float,
          report: Callable[[int, int, int], None] | None = None) -> Plan:
    """Passes of best responses until the searches' work reaches `budget` (a pass started is finished), a plan
    covers every hour, or PATIENCE passes find no better plan. `report(pass, uncovered, best)` after each
    pass."""
    pricer, coverage, shadowed = SchedulePricer(data), Coverage(data), shadows(data)
    center, horizon = data.center, data.horizon
    staff = sorted((e for e in center.staff if not e.is_trainee),
                   key=lambda e: (sum(map(e.can_work, center.shifts)), len(e.qualifications), e.id))
    if seed:
        random.Random(seed).shuffle(staff)
    candidates = pricer.cut_days()
    weekend_cuts = pricer.weekends.applies

    def cuts(schedule: list[Shift], turn: int) -> list[int]:
        if weekend_cuts:  # a Sunday whose weekend the schedule works is no cut
            busy = {day + (6 - horizon.day(day).weekday()) % 7 for day, code, _ in schedule
                    if works_weekend(horizon.day(day), data.windows[day, code].template)}
        else:
            busy = {day for day, _, _ in schedule}
        ring = candidates[turn % len(candidates):] + candidates[:turn % len(candidates)]
        return sorted({ring[0], *[c for c in ring if c % horizon.days not in busy][:CURRENT_CUTS]})

    plan: dict[str, list[Shift]] = {e.id: [] for e in staff}
    best, fewest, turn, found_at = dict(plan), coverage.standing(), 0, 0
    while pricer.work < budget and fewest.uncovered > 0 and turn - found_at < PATIENCE:
        for i, employee in enumerate(staff):
            coverage.add(plan[employee.id], -1)
            priced = shadowed[employee.id][1] if employee.id in shadowed else employee
            found = pricer.best(priced, coverage.values(),
                                cuts(plan[employee.id], turn + i) if pricer.cyclic else None)
            plan[employee.id] = found[0][1] if found else []
            coverage.add(plan[employee.id], +1)
        turn += 1
        now = coverage.standing()
        if now < fewest:
            best, fewest, found_at = dict(plan), now, turn
        coverage.grow(grow)
        if report:
            report(turn, now.uncovered, fewest.uncovered)
    schedules = {e: shifts for e, shifts in best.items() if shifts}
    for cto, (trainee, _) in shadowed.items():
        if cto in schedules:
            schedules[trainee.id] = [(day, code, position) for day, code, position in schedules[cto]
                                     if not center.on_leave(trainee.id, horizon.day(day))]
    return Plan(schedules, fewest.uncovered, turn, pricer.work,
                {cto: trainee.id for cto, (trainee, _) in shadowed.items()}, fewest.missing)
