"""The phased strategy's large-neighbourhood searches (phased.py): over time (day windows) and over staff.

Each re-solves a part of the roster with everything else fixed, hinted with the roster so far, and keeps a
better roster; both are deterministic solves, the staff draws seeded with the solver's seed."""

from __future__ import annotations

import math
import random
from dataclasses import replace

import numpy as np
from ortools.sat.python import cp_model

from scheduler.model.cpsat import FOUND, Report, fixed, hint, run, solution, with_values
from scheduler.model.data import ModelData
from scheduler.model.settings import LP_MAX_VARIABLES, SolverSettings
from scheduler.model.variables import RosterVars


def search_windows(model: cp_model.CpModel, roster: RosterVars, windows: list[set[int]],
                   settings: SolverSettings, values: list[int], best: float, floor: float, budget: float,
                   report: Report | None, started: float) -> tuple[float, float]:
    """Large-neighbourhood search over time: re-solve each day set of `windows` (PhasedSettings.windows) in
    turn with every assignment outside it fixed, each given budget / (window_passes x windows in a pass), pass
    after pass, until the budget is spent, a pass improves nothing or the objective reaches its proven bound.
    Rest, consecutive-day and weekly-hour rules only link nearby days, so a window holds most of what one
    assignment change needs. Updates `values` (every variable's); returns the best objective and the
    deterministic time used."""
    each = budget / (settings.phased.window_passes * len(windows))
    free = sum(1 for key in roster.x if key[1] in windows[0])  # shift variables of one window
    used, improved = 0.0, True
    while improved and best > floor and used < budget:
        improved = False
        for window in windows:
            if best <= floor or used >= budget:
                break
            sub = fixed(model, roster, values, free=lambda key, days=window: key[1] in days)
            hint(sub, values)
            solver, status = run(sub, settings, min(each, budget - used), report, "windows", started,
                                 bound=floor, lp=free <= LP_MAX_VARIABLES)
            used += solver.deterministic_time
            if status in FOUND and solver.objective_value < best:
                best, improved = solver.objective_value, True
                values[:] = solution(solver)
    return best, used


def staff_rounds(model: cp_model.CpModel, roster: RosterVars, data: ModelData, windows: list[set[int]],
                 settings: SolverSettings, values: list[int], best: float, floor: float, budget: float,
                 report: Report | None, started: float) -> tuple[float, float]:
    """Phase "staff": rounds of staff neighbourhoods (staff_groups) until the budget is spent or they stall,
    each followed by one pass of the day windows with every weekend off the roster now declares fixed
    (`round_windows` of the limit at most), until the budget is spent, a round improves nothing or the
    objective reaches `floor`. The staff neighbourhoods move weekends off, which the windows cannot; the
    windows then re-solve the days around the weekends moved. Updates `values`; returns the best objective and
    the deterministic time used."""
    draw = random.Random(settings.seed)
    pass_cap, used, improved = settings.phased.round_windows * settings.time_limit_s, 0.0, True
    one_pass = replace(settings, phased=replace(settings.phased, window_passes=1))
    while improved and best > floor and used < budget:
        before = best
        best, spent = staff_groups(model, roster, data, settings, draw, values, best, floor, budget - used,
                                   report, started)
        used += spent
        if best > floor and used < budget and windows:
            weekends = with_values(model, {var.index: 1 for var in roster.weekend_off.values()
                                           if values[var.index]})
            best, spent = search_windows(weekends, roster, windows, one_pass, values, best, floor,
                                         min(pass_cap, budget - used), report, started)
            used += spent
        improved = best < before
    return best, used


def staff_groups(model: cp_model.CpModel, roster: RosterVars, data: ModelData, settings: SolverSettings,
                 draw: random.Random, values: list[int], best: float, floor: float, budget: float,
                 report: Report | None, started: float) -> tuple[float, float]:
    """Large-neighbourhood search over staff: draw a position, weighted by its uncovered seat-hours in the
    current roster (plus one, so that every position may come up), then `staff_group` of the non-trainee
    employees qualified for it (trainees never cover a seat), and re-solve their whole plan, weekends off
    included, with every other employee's shifts fixed, for `staff_seconds` each. Where the day windows cannot
    move a weekend off, this trades one between people who can stand in for each other. Stops when the budget
    is spent, the objective reaches `floor`, or after twice as many draws in a row without improvement as it
    takes groups to cover the staff once (a small neighbourhood costs almost no deterministic time, so the
    budget alone could take hours). `draw` is seeded with the solver's seed (deterministic). Updates `values`;
    returns the best objective and the deterministic time used."""
    holders = {p.id: [e.id for e in data.center.staff if e.qualified_for(p) and not e.is_trainee]
               for p in data.center.positions}
    holders = {p: ids for p, ids in holders.items() if ids}
    staff = len({e for ids in holders.values() for e in ids})
    patience = 2 * math.ceil(staff / settings.phased.staff_group)
    used, idle = 0.0, 0
    short = short_by_position(data, roster, values)  # recounted only when a draw changes the roster
    while best > floor and used < budget and idle < patience:
        position = draw.choices(list(holders), weights=[short[p] + 1 for p in holders])[0]
        group = set(draw.sample(holders[position], min(settings.phased.staff_group, len(holders[position]))))
        sub = fixed(model, roster, values, free=lambda key, staff=group: key[0] in staff)
        hint(sub, values)
        solver, status = run(sub, settings, min(settings.phased.staff_seconds, budget - used), report,
                             "staff", started, bound=floor, lp=False)
        used += solver.deterministic_time
        idle += 1
        if status in FOUND and solver.objective_value < best:
            best, idle = solver.objective_value, 0
            values[:] = solution(solver)
            short = short_by_position(data, roster, values)
    return best, used


def short_by_position(data: ModelData, roster: RosterVars, values: list[int]) -> dict[str, int]:
    """Seat-hours each position is left short in the roster `values` (ModelData.short: required, less the
    seats carried in from a previous roster, less the seats filled, per hour, 0 at least)."""
    seats = {position: np.array([sum(values[roster.x[key].index]
                                     for key in roster.by_position_slot.get((position, slot), ()))
                                 for slot in range(data.horizon.n_slots)])
             for position in data.requirements.required}
    return data.short(seats)
