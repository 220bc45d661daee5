"""The phased strategy (SolverSettings.strategy "phased"; shares in PhasedSettings).

On a plan too large for CP-SAT's LP workers whose rules the schedule search states, and no repair, it starts
from best responses (phases "best responses" and "completion", start.py); if the completion finds no roster,
the phases below run as usual with what is left. Otherwise, when the weekend rule is in force, it first spends
`weekend_share` of the limit on the weekend hours alone and keeps each employee's weekend off from that roster
fixed until the staff phase (phase "weekends", weekend_choice; the shortfall and window phases' bounds then
hold for rosters with those weekends only, the result's bound for every roster: the polish solves the model
without them), then spends `shortfall_share` of the limit on uncovered position-hours alone, counted per seat
whatever the coverage objective (with the service objective each empty call-taker seat-hour, plus the floors'
hours as their own term; phase "shortfall": its proven bound becomes a valid cut). Then `window_share` on a
large-neighbourhood search over the objective's first tier, coverage (with the service objective, the calls
not answered in time), that re-solves a window of days at a time with every other day fixed
(PhasedSettings.windows; phase "windows"), then `staff_share` on rounds of a large-neighbourhood search over
staff (phase "staff"; both in neighbourhoods.py), and the rest on the weighted objective from that roster
(phase "polish", at least a tenth of the limit).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np
from ortools.sat.python import cp_model

from scheduler.model.build import build_model
from scheduler.model.cpsat import FOUND, Interrupted, Report, hint, run, settle, solution, with_values
from scheduler.model.data import ModelData
from scheduler.model.neighbourhoods import search_windows, staff_rounds
from scheduler.model.objective import PenaltyTerm, weighted
from scheduler.model.result import Phase
from scheduler.model.rules.weekends import weekend_windows
from scheduler.model.settings import LP_MAX_VARIABLES, SolverSettings
from scheduler.model.start import best_response_start, starts_from_best_responses
from scheduler.model.variables import RosterVars
from scheduler.weights import CRITICAL, LATE_CALLS, UNCOVERED, Weights


@dataclass
class _Search:
    """One phased solve's state: the time left, the phases run, the roster so far (every variable's value) and
    its objective in the coverage phases with their proven floor."""

    model: cp_model.CpModel
    roster: RosterVars
    data: ModelData
    settings: SolverSettings
    report: Report | None
    started: float
    budget: float
    phases: list[Phase] = field(default_factory=list)
    values: list[int] | None = None
    best: float = math.inf
    floor: float = 0.0

    def record(self, name: str, solver: cp_model.CpSolver, objective: float, bound: float, since: float
               ) -> None:
        self.budget -= solver.deterministic_time
        self.phases.append(Phase(name, objective, bound, time.perf_counter() - since,
                                 solver.deterministic_time))


def phased(model: cp_model.CpModel, roster: RosterVars, terms: list[PenaltyTerm], data: ModelData,
           weights: Weights, settings: SolverSettings, report: Report | None,
           started: float) -> tuple[cp_model.CpSolver, int, tuple[Phase, ...], float]:
    """Best responses or weekends off (with the weekend rule) and shortfall, then day windows, then staff
    rounds, then the weighted objective (the module's docstring explains the phases). Returns the solver
    holding the roster, its status, the phases and the proven bound on the weighted objective."""
    search = _Search(model, roster, data, settings, report, started, settings.time_limit_s)
    try:
        return _phases(search, terms, weights)
    except (Interrupted, KeyboardInterrupt) as stop:
        # Ctrl-C: the best roster the phases held so far, else what the interrupted solve found.
        if isinstance(stop, Interrupted):
            raise Interrupted(stop.solver, stop.status, search.values) from None
        raise Interrupted(None, cp_model.UNKNOWN, search.values) from None


def _phases(search: _Search, terms: list[PenaltyTerm], weights: Weights
            ) -> tuple[cp_model.CpSolver, int, tuple[Phase, ...], float]:
    model, roster, data, settings = search.model, search.roster, search.data, search.settings
    report, started = search.report, search.started
    # The flat count of uncovered position-hours has a tight LP and the search finds near-optimal rosters for
    # it fast; as the start of the service objective's windows it beat minimizing the calls not answered in
    # time from the outset (benchmarks/RESULTS.md). Without seat gaps (flat objective) it is the coverage tier
    # itself.
    shortfall = shortfall_count(terms, roster, weights)
    scale = 1.0  # of the limit, what the window and staff phases' shares are shares of
    work = model  # the model of the shortfall and window phases: with weekends off fixed, a restriction of it
    if starts_from_best_responses(data, roster, settings):
        model.minimize(shortfall)
        search.values, spent = best_response_start(model, roster, data, settings, report, started,
                                                   search.phases)
        search.budget -= spent
        scale = search.budget / settings.time_limit_s
        search.best, search.floor = search.phases[-1].objective, 0  # the start proves nothing but the floor 0
    if search.values is None:
        work, infeasible = _shortfall_phases(search, shortfall, weights)
        if infeasible is not None:  # no objective helps: the caller explains
            return infeasible, cp_model.INFEASIBLE, tuple(search.phases), infeasible.best_objective_bound
    if search.values is not None:
        coverage = weighted(t for t in terms if t.name in (UNCOVERED, CRITICAL, LATE_CALLS))
        _coverage_phases(search, work, coverage, scale)
        hint(model, search.values)
    return _polish(search, terms)


def _shortfall_phases(search: _Search, shortfall: cp_model.LinearExprT, weights: Weights
                      ) -> tuple[cp_model.CpModel, cp_model.CpSolver | None]:
    """Phases "weekends" (with the weekend rule) and "shortfall". Returns the model the coverage phases solve
    (with the weekends off chosen fixed) and, when the shortfall phase proves the model infeasible, its
    solver."""
    model, roster, settings = search.model, search.roster, search.settings
    work = model
    if settings.phased.weekend_share > 0 and roster.weekend_off:
        since = time.perf_counter()
        chosen, solver = weekend_choice(search.data, weights, settings,
                                        settings.phased.weekend_share * search.budget, search.report,
                                        search.started)
        found = solver.response_proto.status in FOUND
        search.record("weekends", solver, solver.objective_value if found else math.inf,
                      solver.best_objective_bound, since)
        if chosen:
            work = with_values(model, {roster.weekend_off[key].index: 1 for key in chosen})
    since = time.perf_counter()
    work.minimize(shortfall)
    solver, status = run(work, settings, settings.phased.shortfall_share * search.budget, search.report,
                         "shortfall", search.started, lp=len(roster.x) <= LP_MAX_VARIABLES)
    if status == cp_model.INFEASIBLE:
        return work, solver
    if status not in FOUND:
        search.budget -= solver.deterministic_time  # spent all the same
        return work, None
    search.values = solution(solver)
    search.best, search.floor = solver.objective_value, math.ceil(solver.best_objective_bound - 1e-6)
    search.record("shortfall", solver, search.best, search.floor, since)
    work.add(shortfall >= search.floor)  # proven (for `work`): a valid cut for the phases that solve it
    return work, None


def _coverage_phases(search: _Search, work: cp_model.CpModel, coverage: cp_model.LinearExprT,
                     scale: float) -> None:
    """Phases "windows" and "staff" on the coverage tier, from the roster found (search.values)."""
    model, roster, data, settings = search.model, search.roster, search.data, search.settings
    limit = settings.time_limit_s
    work.minimize(coverage)
    if roster.seat_gaps:  # the late calls were free in phase 1: count them for the roster it found
        settled = settle(work, roster, settings, search.values)
        search.best, search.floor = settled.objective_value, 0
        search.budget -= settled.deterministic_time
    # None on a plan that one window would cover whole (a 1-day plan): that is the shortfall phase again.
    windows = [w for w in settings.phased.windows(data.horizon.days) if len(w) < data.horizon.days]
    if search.best > search.floor and settings.phased.window_share > 0 and windows:
        since = time.perf_counter()
        search.best, deterministic = search_windows(
            work, roster, windows, settings, search.values, search.best, search.floor,
            settings.phased.window_share * scale * limit, search.report, search.started)
        search.budget -= deterministic
        search.phases.append(Phase("windows", search.best, search.floor, time.perf_counter() - since,
                                   deterministic))
    if work is not model:
        # The staff neighbourhoods solve the model itself: one may move its employees' weekends off, which
        # `work` fixes, so only the coverage terms' own floor of 0 holds there.
        model.minimize(coverage)
        search.floor = 0
    if search.best > search.floor and settings.phased.staff_share > 0:
        since = time.perf_counter()
        search.best, deterministic = staff_rounds(
            model, roster, data, windows, settings, search.values, search.best, search.floor,
            settings.phased.staff_share * scale * limit, search.report, search.started)
        search.budget -= deterministic
        search.phases.append(Phase("staff", search.best, search.floor, time.perf_counter() - since,
                                   deterministic))


def _polish(search: _Search, terms: list[PenaltyTerm]
            ) -> tuple[cp_model.CpSolver, int, tuple[Phase, ...], float]:
    """Phase "polish": the weighted objective for what is left of the limit (at least a tenth of it), from the
    roster found (hinted)."""
    model, roster, settings = search.model, search.roster, search.settings
    since = time.perf_counter()
    model.minimize(weighted(terms))
    solver, status = run(model, settings, max(search.budget, 0.1 * settings.time_limit_s), search.report,
                         "polish", search.started, lp=len(roster.x) <= LP_MAX_VARIABLES)
    if status in FOUND:
        search.record("polish", solver, solver.objective_value, solver.best_objective_bound, since)
    elif status == cp_model.UNKNOWN and search.values is not None:
        # The polish found no roster in its time (unlikely: it starts from a complete feasible hint). Keep the
        # earlier phases' roster, settled under the whole objective, with the polish's bound: whatever it
        # proved holds for this model, whose one added cut, if any (none after the weekend phase), is itself
        # proven.
        settled = settle(model, roster, settings, search.values)
        return (settled, cp_model.FEASIBLE, tuple(search.phases),
                min(solver.best_objective_bound, settled.objective_value))
    return solver, status, tuple(search.phases), solver.best_objective_bound


def shortfall_count(terms: list[PenaltyTerm], roster: RosterVars, weights: Weights) -> cp_model.LinearExprT:
    """Uncovered position-hours counted flat: the floors' terms and, under the service objective, every empty
    call-taker seat at the shortfall weight."""
    return (weighted(t for t in terms if t.name in (UNCOVERED, CRITICAL))
            + weights.shortfall * sum(roster.seat_gaps))


def weekend_choice(data: ModelData, weights: Weights, settings: SolverSettings, limit: float,
                   report: Report | None, started: float) -> tuple[list[tuple[str, int]], cp_model.CpSolver]:
    """Phase "weekends": every rule over the weekend hours alone (each weekday hour's requirement 0, but for
    the positions with a shortfall cap: the cap is a hard rule on the requirement, so that the roster found
    solves the whole model and the weekends fixed from it leave it solvable), uncovered position-hours counted
    flat, no LP (the whole plan's shift variables stay). From that roster each employee keeps, for every
    window of the weekend rule that it does not already hold off (leave), one weekend off that roster gives
    them, the weekend chosen fewest times so far first. Returns those (employee id, Saturday) keys of
    RosterVars.weekend_off, none when no roster was found, and the solver."""
    horizon, requirements = data.horizon, data.requirements
    weekday = np.array([horizon.slot_start(slot).weekday() < 5 for slot in range(horizon.n_slots)])
    capped = data.rules.vacancy_caps
    weekends = replace(requirements,
                       floor={p: np.where(weekday, 0, r) for p, r in requirements.floor.items()},
                       required={p: r if p in capped else np.where(weekday, 0, r)
                                 for p, r in requirements.required.items()})
    model, roster, terms = build_model(replace(data, requirements=weekends), weights)
    model.minimize(shortfall_count(terms, roster, weights))
    solver, status = run(model, settings, limit, report, "weekends", started, lp=False)
    if status not in FOUND:
        return [], solver
    saturdays, windows = weekend_windows(data)
    chosen, times = [], Counter()
    for employee in data.center.staff:
        # Weekends that can be worked.
        off = {k: solver.boolean_value(var) for k, saturday in enumerate(saturdays)
               if (var := roster.weekend_off.get((employee.id, saturday))) is not None}
        kept: set[int] = set()
        for window in windows:
            if any(k not in off or k in kept for k in window):
                continue  # off by leave, or by a weekend already kept
            k = min((k for k in window if off[k]), key=lambda k: (times[k], k))
            kept.add(k)
            times[k] += 1
            chosen.append((employee.id, saturdays[k]))
    return chosen, solver
