"""A Curtois & Qu rostering instance (domain.NurseInstance, read by io/curtois.py) as this project's own
roster model, solved by its own solver code, and the roster back as the benchmark's solution rows.

The mapping states the instance with the model's general data, no side model:
- shift types -> shift templates starting at 00:00 (the instance gives lengths, no times; a start at midnight
  keeps every shift on its own day, so a weekend is worked exactly when its Saturday or Sunday has a shift);
  forbidden successions -> Center.forbidden_successions (rules/rotation.py);
- per-employee MaxShifts -> the employee's bid list (types allowed at least once) and a cap per type, total
  minutes, consecutive shifts and days off, weekends -> PlanLimits (rules/plan_limits.py, work_blocks.py);
- fixed days off -> approved leave (no variable on those days);
- shift on-requests -> "prefer" preferences a day off also breaks; off-requests -> "avoid" preferences
  (rules/preferences.py), each with the request's weight;
- cover per day and shift type -> ShiftCover with its under and over weights (rules/shift_cover.py).
The center's own rules the instance does not have are switched off (rest, the 24-hour cap, nights, the
weekend-off cycle, hours above contract cost nothing), and the plan comes with an empty previous roster, so
nothing wraps: the benchmark takes the days before and after the horizon as off. One position, no hourly
requirement. The objective is then the benchmark's own, term for term (weights of 1).
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from zoneinfo import ZoneInfo

from scheduler.domain import (
    Center,
    Employee,
    History,
    Horizon,
    Leave,
    NurseAssignment,
    NurseInstance,
    PlanLimits,
    Position,
    PositionKind,
    Requirements,
    Rules,
    ShiftCover,
    ShiftPreference,
    ShiftTemplate,
)
from scheduler.errors import InputError
from scheduler.model.data import ModelData
from scheduler.model.result import SolveResult
from scheduler.model.settings import SolverSettings
from scheduler.model.solve import solve
from scheduler.weights import Weights

MONDAY = date(2024, 1, 1)  # day 0 of every instance is a Monday
WARD = Position("ward", "Ward", PositionKind.RADIO, "nurse")
# Each term of the benchmark's objective counted once, its own weights carrying the rest.
BENCHMARK_WEIGHTS = Weights(overstaffing=0, overtime=0, shift_preference=1, shift_cover=1, coverage="flat")


def source(instance: NurseInstance) -> Path:
    return instance.source or Path(f"{instance.name}.txt")


def templates(instance: NurseInstance) -> tuple[ShiftTemplate, ...]:
    """One template per shift type, starting at midnight; a length that is not whole hours is refused (the
    model's grid is hourly)."""
    found = []
    for shift in instance.shifts:
        if shift.minutes % 60:
            raise InputError(f"shift type {shift.id} lasts {shift.minutes} minutes, not whole hours",
                             file=source(instance), section="SECTION_SHIFTS", column="Length",
                             value=shift.minutes, fix="the roster model counts shifts in whole hours")
        found.append(ShiftTemplate(shift.id, time(0), shift.minutes // 60))
    return tuple(found)


def model_data(instance: NurseInstance) -> ModelData:
    """The instance as the roster model's inputs (see the module's docstring)."""
    horizon = Horizon(MONDAY, instance.days, ZoneInfo("UTC"))
    day = horizon.day
    codes = tuple(s.id for s in instance.shifts)
    staff, limits, leave = [], [], []
    for e in instance.staff:
        allowed = tuple(c for c in codes if e.max_shifts_of(c) != 0) or codes
        staff.append(Employee(e.id, e.id, "nurse", frozenset({"nurse"}), 8, None, shift_codes=allowed,
                              contract_hours=0, max_overtime_hours=168))
        caps = tuple((c, m) for c, m in e.max_shifts if m < instance.days and (m > 0 or c in allowed))
        limits.append(PlanLimits(e.id, caps, e.min_total_minutes, e.max_total_minutes,
                                 e.max_consecutive_shifts, e.min_consecutive_shifts,
                                 e.min_consecutive_days_off, e.max_weekends))
        leave += [Leave(e.id, day(d), day(d), "OFF") for d in sorted(e.days_off)]
    preferences = (
        *(ShiftPreference(r.employee_id, False, (r.shift_id,), day=day(r.day), weight=r.weight,
                          day_off_breaks=True) for r in instance.on_requests),
        *(ShiftPreference(r.employee_id, True, (r.shift_id,), day=day(r.day), weight=r.weight)
          for r in instance.off_requests),
    )
    center = Center(
        source=source(instance), staff=tuple(staff), shifts=templates(instance),
        positions=(WARD,), leave=tuple(leave), preferences=preferences, limits=tuple(limits),
        shift_cover=tuple(ShiftCover(day(c.day), c.shift_id, c.requirement, c.under_weight, c.over_weight)
                          for c in instance.cover),
        forbidden_successions=tuple((s.id, after) for s in instance.shifts
                                    for after in sorted(s.forbidden_next)),
    )
    longest = max((e.max_consecutive_shifts for e in instance.staff), default=7)
    rules = Rules(center_name=instance.name, timezone="UTC", min_rest_hours=0, max_hours_in_24=0,
                  max_consecutive_days=max(1, longest), min_days_off=0, max_consecutive_nights=0,
                  weekend_off_every_weeks=0, holiday_country="")
    requirements = Requirements(horizon, required={}, floor={}, queues={})
    history = History(center.source, MONDAY, rules.history_days, ())
    return ModelData(center, rules, horizon, requirements, history=history)


def solve_instance(instance: NurseInstance, settings: SolverSettings, on_progress=None
                   ) -> tuple[tuple[NurseAssignment, ...], SolveResult, ModelData]:
    """Solve the instance with the roster model (`settings.strategy` "auto" runs the direct solve here: the
    best-response start does not price limits over the plan, schedules.unsupported); the roster as solution
    rows (day 0 first), the solve's typed result, and the inputs it was solved on (for the project's own
    checker)."""
    data = model_data(instance)
    result = solve(data, BENCHMARK_WEIGHTS, settings, on_progress)
    rows = tuple(NurseAssignment(a.employee_id, (a.day - MONDAY).days, a.shift_code)
                 for a in result.assignments)
    return rows, result, data
