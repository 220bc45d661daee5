"""The workforce a scenario has on a given day: today's staff less those who left (seeded attrition draws,
named separations), plus the academy classes' hires at their stage of training; and the center changed as the
scenario says (authorized headcount, answering, shift lengths).

Every draw depends only on the seed and the person (a stable hash of their id), so the same employee leaves on
the same day in every scenario, period and process: comparisons between scenarios are not noise.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from scheduler.domain import (
    ALL_CLASSES,
    TRAINEE,
    Center,
    Employee,
    Leave,
    Position,
    PositionKind,
    ShiftTemplate,
    filled_lines,
)
from scheduler.domain.scenario import AcademyClass, Scenario, ScenarioSet, Training
from scheduler.errors import InputError

DAYS_PER_MONTH = 365.25 / 12
POOLED = "call_taking"  # the one call-taking position of a pooled center
POOLED_QUALIFICATION = "CT_POOLED"
TRAINING_LEAVE = "TRAIN"  # a leave type of sheet Leave (domain LEAVE_TYPES)


def draw(seed: int, *key: object) -> float:
    """A uniform draw in [0, 1) that depends only on the seed and `key` (not on the order of the draws)."""
    digest = hashlib.sha256(repr((seed, *key)).encode()).digest()
    return float(np.random.default_rng(int.from_bytes(digest[:8], "little")).random())


def months_after(day: date, months: float) -> date:
    return day + timedelta(days=round(months * DAYS_PER_MONTH))


def leaves_on(seed: int, person: str, rate: float, since: date) -> date | None:
    """When attrition takes `person` (on roll from `since`): an exponential time with P(gone within a year) =
    `rate`; None when the rate is 0."""
    if rate <= 0:
        return None
    years = -math.log(1 - draw(seed, "attrition", person)) / -math.log(1 - rate)
    return since + timedelta(days=min(round(years * 365.25), 100 * 365))


def hire_ids(scenario: Scenario) -> list[tuple[str, AcademyClass]]:
    """Every hire's employee id with their class: the class's start (and a letter for a second class that
    day) and their number in it, so two scenarios with the same classes draw the same fates for them."""
    found, seen = [], Counter()
    for academy in scenario.hires:
        letter = "abcdefghijklmnopqrstuvwxyz"[seen[academy.start] - 1] if seen[academy.start] else ""
        seen[academy.start] += 1
        found += [(f"H{academy.start:%y%m%d}{letter}-{i:03d}", academy) for i in range(1, academy.size + 1)]
    return found


@dataclass(frozen=True)
class Hire:
    """One person of an academy class, with the day they leave (washout or attrition; None: stays)."""

    employee_id: str
    academy: AcademyClass
    leaves: date | None

    def employee(self, on: date) -> Employee:
        """The hire on `on`: a trainee until certified for call-taking, then `academy.job_class`, with radio
        from radio_months on."""
        academy, training = self.academy, self.academy.training
        certified = on >= months_after(academy.start, training.call_taking_months)
        qualifications = academy.call_taking
        if academy.radio and on >= months_after(academy.start, training.radio_months):
            qualifications = qualifications | academy.radio
        return Employee(id=self.employee_id, name=f"Hire {self.employee_id}",
                        job_class=academy.job_class if certified else TRAINEE,
                        qualifications=frozenset(qualifications), shift_length=academy.shift_length,
                        hire_date=academy.start, contract_hours=academy.contract_hours)


def hires(scenario: Scenario, seed: int) -> tuple[Hire, ...]:
    """Every hire of the scenario's classes with their leaving day: a washout leaves at a drawn time during
    training, anyone else may leave by attrition (their class's job class rate) from their start."""
    rates = dict(scenario.attrition)
    found = []
    for person, academy in hire_ids(scenario):
        training = academy.training
        gone = leaves_on(seed, person, rates.get(academy.job_class, 0.0), academy.start)
        if draw(seed, "washout", person) < training.washout:
            span = max(training.radio_months if academy.radio else training.call_taking_months, 1 / 30)
            washout = months_after(academy.start, span * draw(seed, "washout time", person))
            gone = min(gone, washout) if gone else washout
        found.append(Hire(person, academy, gone))
    return tuple(found)


def certified_class(center: Center) -> str:
    """The job class today's trainees certify into: the most common other than trainee and supervisor."""
    counts = Counter(e.job_class for e in center.staff if e.job_class not in (TRAINEE, "supervisor"))
    return counts.most_common(1)[0][0] if counts else TRAINEE


def staff_on(center: Center, scenario: Scenario, on: date, first: date, seed: int,
             training: Training) -> tuple[Employee, ...]:
    """Who is on roll on `on`: today's staff (drawn attrition from `first`, the first period, and named
    separations; today's trainees certify `training.call_taking_months` after their hire date) and the
    hires on roll then."""
    rates = dict(scenario.attrition)
    named = {s.employee_id: s.on for s in scenario.separations}
    into = certified_class(center)
    staff = []
    for employee in center.staff:
        gone = leaves_on(seed, employee.id, rates.get(employee.job_class, 0.0), first)
        if employee.id in named:
            gone = min(gone, named[employee.id]) if gone else named[employee.id]
        if gone is not None and gone <= on:
            continue
        if employee.is_trainee and on >= months_after(employee.hire_date, training.call_taking_months):
            employee = replace(employee, job_class=into)
        staff.append(employee)
    staff += [h.employee(on) for h in hires(scenario, seed)
              if h.academy.start <= on and (h.leaves is None or h.leaves > on)]
    return tuple(staff)


def budget_counts(staff: tuple[Employee, ...], scenario: Scenario) -> Counter[str]:
    """On roll per authorized line: hires count against their class's job class from their first day."""
    into = {person: academy.job_class for person, academy in hire_ids(scenario)}
    return filled_lines(into.get(e.id, e.job_class) for e in staff)


def authorized(center: Center, scenario: Scenario) -> dict[str, int]:
    return {**dict(center.authorized), **dict(scenario.authorized)}


def check_hiring(center: Center, scenarios: ScenarioSet, starts: tuple[date, ...],
                 training: Training) -> None:
    """Refuse a class that would take its job class past the authorized headcount, on its first day or on
    any period's (today's trainees certify into a job class later), with the staff the draws leave then;
    and a class into a job class with no authorized count where sheet Authorized has rows. Names the
    scenario and the class. Today's trainees need their hire date: they certify from it."""
    undated = [e.id for e in center.staff if e.is_trainee and e.hire_date is None]
    if undated:
        months = f"{training.call_taking_months:g}"
        raise InputError("a trainee without hire_date: scenarios certify trainees from it",
                         file=center.source, sheet="Staff", column="hire_date", value=undated[0],
                         fix=f"give the hire date (they certify {months} months after it)")
    for scenario in scenarios.scenarios:
        budget = authorized(center, scenario)
        for number, academy in enumerate(scenario.hires, start=1):
            if center.authorized and academy.job_class not in budget and ALL_CLASSES not in budget:
                raise InputError("no authorized count for this job class", file=scenarios.source,
                                 scenario=scenario.name, key=f"hire[{number}].job_class",
                                 value=academy.job_class,
                                 fix="authorize it in sheet Authorized or the scenario's authorized")
        hired = {person for person, _ in hire_ids(scenario)}
        for day in sorted({*starts, *(a.start for a in scenario.hires)}):
            started = [(n, a) for n, a in enumerate(scenario.hires, start=1) if a.start <= day]
            staff = staff_on(center, scenario, day, starts[0], scenarios.seed, training)
            counts = budget_counts(staff, scenario)
            before = budget_counts(tuple(e for e in staff if e.id not in hired), scenario)
            for number, academy in reversed(started):  # the latest class into each line is named
                for line in (academy.job_class, ALL_CLASSES):
                    # Over the budget because of the hires (a center already over it is not their doing).
                    if line in budget and before[line] <= budget[line] < counts[line]:
                        raise InputError(
                            f"hiring takes {line} past its {budget[line]} authorized positions on {day} "
                            f"({counts[line]} on roll)", file=scenarios.source, scenario=scenario.name,
                            key=f"hire[{number}].size", value=academy.size,
                            fix=f"hire fewer, or raise authorized.{line} in this scenario")


def pooled(center: Center) -> Center:
    """One call-taking position answering every stream, open to everyone qualified for any call-taking
    position (a consolidated center cross-trains its call-takers); its floors are the call-taking floors, the
    larger holding where they overlap."""
    taking = [p for p in center.positions if p.kind is PositionKind.CALL_TAKING]
    if len(taking) < 2:
        return center
    qualifications = {p.qualification for p in taking}
    merged = Position(POOLED, "Call-taking (pooled)", PositionKind.CALL_TAKING, POOLED_QUALIFICATION,
                      tuple(s for p in taking for s in p.streams),
                      criticality=max(p.criticality for p in taking))
    ids = {p.id for p in taking}
    staff = tuple(replace(e, qualifications=e.qualifications | {POOLED_QUALIFICATION})
                  if e.qualifications & qualifications else e for e in center.staff)
    return replace(center, staff=staff,
                   positions=(merged, *(p for p in center.positions if p.id not in ids)),
                   minimums=tuple(replace(m, position=POOLED) if m.position in ids else m
                                  for m in center.minimums),
                   pins=tuple(replace(p, position=POOLED) if p.position in ids else p for p in center.pins))


def with_shift_hours(center: Center, hours: tuple[int, ...]) -> Center:
    """Only the templates of the given lengths: everyone works the longest of them unless their own length
    is allowed; bids keep the allowed templates (none left: no bid); fixed patterns of staff whose length
    changed are dropped."""
    if not hours:
        return center
    shifts = tuple(s for s in center.shifts if s.hours in hours)
    codes = {s.code for s in shifts}
    staff = []
    for e in center.staff:
        length = e.shift_length if e.shift_length in hours else max(hours)
        bid = tuple(c for c in e.shift_codes if c in codes)
        staff.append(replace(e, shift_length=length, shift_codes=bid))
    changed = {e.id for e, f in zip(center.staff, staff, strict=True) if e.shift_length != f.shift_length}
    return replace(center, shifts=shifts, staff=tuple(staff),
                   patterns=tuple(p for p in center.patterns if p.employee_id not in changed),
                   pins=tuple(p for p in center.pins if p.shift_code in codes))


def _compatible(trainee: Employee, cto: Employee, shifts: tuple[ShiftTemplate, ...]) -> bool:
    """Whether a CTO can carry the trainee (rules/trainees.py: same day, template and position)."""
    def codes(e: Employee) -> set[str]:
        return set(e.shift_codes) or {s.code for s in shifts if s.hours == e.shift_length}
    return bool(trainee.qualifications & cto.qualifications) and bool(codes(trainee) & codes(cto))


def off_the_floor(center: Center, hired: dict[str, Hire], on: date
                  ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Who is on roll but not rostered the week of `on`: hires still in the academy (classroom), and trainees
    no training officer is free to carry (one trainee per CTO, earliest hire first: a class larger than the
    CTOs waits its turn)."""
    classroom = tuple(e.id for e in center.staff if e.id in hired and on < months_after(
        hired[e.id].academy.start, hired[e.id].academy.training.academy_months))
    week = [on + timedelta(days=i) for i in range(7)]
    officers = [e for e in center.staff  # a CTO away any day of the week cannot carry a trainee's week
                if e.cto and not e.is_trainee and not any(center.on_leave(e.id, d) for d in week)]
    trainees = sorted((e for e in center.staff if e.is_trainee and e.id not in classroom),
                      key=lambda e: (e.hire_date or date.min, e.id))
    carried = _pairs(trainees, officers, center.shifts)
    return classroom, tuple(t.id for t in trainees if t.id not in carried)


def _pairs(trainees: list[Employee], officers: list[Employee], shifts: tuple[ShiftTemplate, ...]
           ) -> dict[str, str]:
    """Trainee id -> officer id: a largest matching of compatible pairs (augmenting paths), trainees taken in
    order so that, where not all can be carried, the earlier ones are."""
    fits = {t.id: [c.id for c in officers if _compatible(t, c, shifts)] for t in trainees}
    officer_of: dict[str, str] = {}  # officer id -> trainee id

    def place(trainee: str, tried: set[str]) -> bool:
        for officer in fits[trainee]:
            if officer not in tried:
                tried.add(officer)
                if officer not in officer_of or place(officer_of[officer], tried):
                    officer_of[officer] = trainee
                    return True
        return False
    for trainee in trainees:
        place(trainee.id, set())
    return {trainee: officer for officer, trainee in officer_of.items()}


@dataclass(frozen=True)
class Projection:
    """A scenario's center for one week, and who of its staff is kept off the floor (on TRAIN leave)."""

    center: Center
    classroom: tuple[str, ...]  # hires in the academy
    waiting: tuple[str, ...]  # trainees without a free training officer


def center_on(center: Center, scenario: Scenario, on: date, first: date, seed: int,
              training: Training) -> Projection:
    """The scenario's center for the week starting `on`: staff on roll then, authorized as changed, pooled
    answering and shift lengths applied; leave, requests, pins and preferences of people gone dropped; hires
    in the academy and trainees without a training officer on TRAIN leave all week."""
    staff = staff_on(center, scenario, on, first, seed, training)
    present = {e.id for e in staff}
    projected = replace(
        center, staff=staff, authorized=tuple(sorted(authorized(center, scenario).items())),
        leave=tuple(lv for lv in center.leave if lv.employee_id in present),
        requests=tuple(r for r in center.requests if r.employee_id in present),
        pins=tuple(p for p in center.pins if p.employee_id in present),
        preferences=tuple(p for p in center.preferences if p.employee_id in present),
        patterns=tuple(p for p in center.patterns if p.employee_id in present),
    )
    if scenario.answering == "pooled":
        projected = pooled(projected)
    projected = with_shift_hours(projected, scenario.shift_hours)
    classroom, waiting = off_the_floor(projected, {h.employee_id: h for h in hires(scenario, seed)}, on)
    week = tuple(Leave(person, on, on + timedelta(days=6), TRAINING_LEAVE)
                 for person in (*classroom, *waiting))
    return Projection(replace(projected, leave=projected.leave + week), classroom, waiting)
