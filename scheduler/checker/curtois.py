"""Scores a solution of a Curtois & Qu benchmark instance from the benchmark's own definition
(schedulingbenchmarks.org; ../shared/benchmarks/curtois/README.md): its hard constraints, each broken one a
Violation naming the employee, a day and the rule, and its objective.

Here in the independent checker, not beside the benchmark scripts, for the checker's guarantees: it imports
neither the model nor OR-Tools (tests/test_architecture.py holds every checker module to it), so a solve of
these instances by the project's roster model is judged by code that shares nothing with it but the instance.
Not a rule of the registry: it scores the benchmark's rules on its instance (domain/benchmark.py), not the
center's rules on a RosterCase.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from scheduler.domain import NurseAssignment, NurseEmployee, NurseInstance, Violation

# The objective's terms, in the order they are reported.
TERMS = ("shift on-requests not met", "shift off-requests broken", "cover under", "cover over")


@dataclass(frozen=True)
class NurseScore:
    objective: int
    terms: dict[str, int]  # TERMS, each a weighted sum; they add up to the objective
    violations: tuple[Violation, ...]  # of the hard constraints: none in a feasible solution


# One employee's solution: the shift types worked on each day (two or more break "one shift a day").
Worked = dict[int, list[str]]


def score_solution(instance: NurseInstance, assignments: Iterable[NurseAssignment]) -> NurseScore:
    """The objective of `assignments` on `instance` and every hard constraint they break, by employee in the
    instance's order, then by rule."""
    assignments = tuple(assignments)
    worked: dict[str, Worked] = {e.id: defaultdict(list) for e in instance.staff}
    for a in assignments:
        worked[a.employee_id][a.day].append(a.shift_id)
    violations = [v for employee in instance.staff for rule in HARD_RULES
                  for v in rule(instance, employee, worked[employee.id])]
    terms = _terms(instance, assignments, worked)
    return NurseScore(sum(terms.values()), terms, tuple(violations))


def _terms(instance: NurseInstance, assignments: tuple[NurseAssignment, ...],
           worked: dict[str, Worked]) -> dict[str, int]:
    def assigned(employee_id: str, day: int, shift_id: str) -> bool:
        return shift_id in worked[employee_id].get(day, ())

    counts = Counter((a.day, a.shift_id) for a in assignments)
    values = (
        sum(r.weight for r in instance.on_requests if not assigned(r.employee_id, r.day, r.shift_id)),
        sum(r.weight for r in instance.off_requests if assigned(r.employee_id, r.day, r.shift_id)),
        sum(c.under_weight * max(0, c.requirement - counts[c.day, c.shift_id]) for c in instance.cover),
        sum(c.over_weight * max(0, counts[c.day, c.shift_id] - c.requirement) for c in instance.cover),
    )
    return dict(zip(TERMS, values, strict=True))


def _one_shift_a_day(instance: NurseInstance, employee: NurseEmployee, worked: Worked) -> list[Violation]:
    return [Violation("one shift a day", employee.id, f"day {day}",
                      f"{len(shifts)} shifts: {', '.join(shifts)}")
            for day, shifts in sorted(worked.items()) if len(shifts) > 1]


def _forbidden_successions(instance: NurseInstance, employee: NurseEmployee,
                           worked: Worked) -> list[Violation]:
    """Days before 0 and after the last are off: only successions within the horizon count."""
    shifts = instance.shifts_by_id
    return [Violation("forbidden succession", employee.id, f"day {day + 1}",
                      f"{after} may not follow {before} (day {day})")
            for day, befores in sorted(worked.items()) for before in befores
            for after in worked.get(day + 1, ()) if after in shifts[before].forbidden_next]


def _max_shifts(instance: NurseInstance, employee: NurseEmployee, worked: Worked) -> list[Violation]:
    """Named on the day of the first shift of a type over its limit."""
    violations = []
    for shift in instance.shifts:
        limit = employee.max_shifts_of(shift.id)
        days = [day for day, shifts in sorted(worked.items()) for s in shifts if s == shift.id]
        if limit is not None and len(days) > limit:
            violations.append(Violation("max shifts", employee.id, f"day {days[limit]}",
                                        f"{len(days)} {shift.id} shifts, at most {limit}"))
    return violations


def _total_minutes(instance: NurseInstance, employee: NurseEmployee, worked: Worked) -> list[Violation]:
    """Over the maximum: named on the day the running total passes it; under the minimum: on the last day."""
    minutes = instance.shifts_by_id
    running, passed = 0, None
    for day, shifts in sorted(worked.items()):
        running += sum(minutes[s].minutes for s in shifts)
        if passed is None and running > employee.max_total_minutes:
            passed = day
    if passed is not None:
        return [Violation("max total minutes", employee.id, f"day {passed}",
                          f"{running} minutes, at most {employee.max_total_minutes}")]
    if running < employee.min_total_minutes:
        return [Violation("min total minutes", employee.id, f"day {instance.days - 1}",
                          f"{running} minutes, at least {employee.min_total_minutes}")]
    return []


def _blocks(days: int, worked: Worked) -> list[tuple[bool, int, int]]:
    """The horizon cut into its runs of days worked and days off: (worked, first day, last day)."""
    blocks: list[tuple[bool, int, int]] = []
    for day in range(days):
        on = bool(worked.get(day))
        if blocks and blocks[-1][0] == on:
            blocks[-1] = (on, blocks[-1][1], day)
        else:
            blocks.append((on, day, day))
    return blocks


def _consecutive(instance: NurseInstance, employee: NurseEmployee, worked: Worked) -> list[Violation]:
    """Work blocks at most MaxConsecutiveShifts long (named on the first day past it) and, like off blocks,
    at least their minimum unless they touch the first or the last day (the periods around continue them)."""
    violations, last = [], instance.days - 1
    for on, first, end in _blocks(instance.days, worked):
        length, inside = end - first + 1, first > 0 and end < last
        block = f"{'worked' if on else 'off'} {f'days {first}-{end}' if end > first else f'day {first}'}"
        most = employee.max_consecutive_shifts
        if on and length > most:
            violations.append(Violation("max consecutive shifts", employee.id, f"day {first + most}",
                                        f"{block}: {length} in a row, at most {most}"))
        least = employee.min_consecutive_shifts if on else employee.min_consecutive_days_off
        if inside and length < least:
            rule = "min consecutive shifts" if on else "min consecutive days off"
            violations.append(Violation(rule, employee.id, f"day {first}",
                                        f"{block}: {length} in a row, at least {least}"))
    return violations


def _max_weekends(instance: NurseInstance, employee: NurseEmployee, worked: Worked) -> list[Violation]:
    """A weekend is worked when either of its days has a shift; named on the first day worked of the first
    weekend over the limit."""
    days_worked = ([d for d in days if worked.get(d)] for days in instance.weekends)
    first_days = [days[0] for days in days_worked if days]
    if len(first_days) <= employee.max_weekends:
        return []
    return [Violation("max weekends", employee.id, f"day {first_days[employee.max_weekends]}",
                      f"weekends worked: {len(first_days)}, at most {employee.max_weekends}")]


def _days_off(instance: NurseInstance, employee: NurseEmployee, worked: Worked) -> list[Violation]:
    return [Violation("day off", employee.id, f"day {day}", f"works {', '.join(shifts)} on a fixed day off")
            for day, shifts in sorted(worked.items()) if shifts and day in employee.days_off]


HARD_RULES: tuple[Callable[[NurseInstance, NurseEmployee, Worked], list[Violation]], ...] = (
    _one_shift_a_day, _forbidden_successions, _max_shifts, _total_minutes, _consecutive, _max_weekends,
    _days_off,
)
