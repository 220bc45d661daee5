"""Build the CP-SAT roster model from the rule modules, solve it, and return a typed result."""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from ortools.sat.python import cp_model

from scheduler.domain import Assignment
from scheduler.errors import SolveError
from scheduler.model.best_response import best_responses
from scheduler.model.data import ModelData
from scheduler.model.objective import PenaltyTerm, weighted
from scheduler.model.rules.consecutive import add_max_consecutive_days
from scheduler.model.rules.coverage import add_coverage
from scheduler.model.rules.daily import add_one_shift_per_day
from scheduler.model.rules.days_off import add_min_days_off
from scheduler.model.rules.fairness import add_fairness
from scheduler.model.rules.fatigue import add_max_hours_in_24
from scheduler.model.rules.hours import add_weekly_hours
from scheduler.model.rules.nights import add_max_consecutive_nights
from scheduler.model.rules.overtime_budget import add_overtime_budget
from scheduler.model.rules.patterns import add_fixed_patterns
from scheduler.model.rules.pinned import add_pinned_assignments
from scheduler.model.rules.preferences import add_shift_preferences
from scheduler.model.rules.repair import add_repair
from scheduler.model.rules.requests import add_day_off_requests
from scheduler.model.rules.rest import add_min_rest
from scheduler.model.rules.rotation import add_forward_rotation
from scheduler.model.rules.stability import add_start_stability
from scheduler.model.rules.trainees import add_trainee_supervision
from scheduler.model.rules.vacancy_caps import add_vacancy_caps
from scheduler.model.rules.weekends import add_weekend_off, weekend_windows
from scheduler.model.schedules import unsupported
from scheduler.model.settings import LP_MAX_VARIABLES, WORK_PER_SECOND, SolverSettings
from scheduler.model.variables import Key, RosterVars, add_variables
from scheduler.weights import (
    CRITICAL,
    FAIRNESS_TERMS,
    LATE_CALLS,
    UNCOVERED,
    Weights,
)


@dataclass(frozen=True)
class Progress:
    objective: float
    best_bound: float
    gap: float
    seconds: float
    phase: str = "solve"  # "solve" (direct); "best responses", "completion", "weekends", "shortfall", "windows",
    # "staff" or "polish" (phased);
    # "fairness" (the last pass, fairness and stability terms alone, when those rules are on)


@dataclass(frozen=True)
class Phase:
    """One solver phase of a solve: its last objective and bound (in its own units) and the time it took."""

    name: str
    objective: float
    best_bound: float
    seconds: float
    deterministic_seconds: float


@dataclass(frozen=True)
class SolveResult:
    # OPTIMAL, FEASIBLE. With fairness or stability on (solve), OPTIMAL means every other term proven optimal and
    # the fairness and stability terms proven lowest among rosters that keep it; best_bound then bounds the other
    # terms, so a proven objective may exceed it by the fairness and stability terms (its gap is 0 all the same).
    status: str
    objective: float
    best_bound: float
    gap: float  # relative: (objective - bound) / objective, 0 when proven optimal
    seconds: float
    assignments: tuple[Assignment, ...]
    penalties: dict[str, float]  # human rule name -> weighted penalty
    phases: tuple[Phase, ...] = ()
    strategy: str = "direct"  # the strategy that ran: "direct" or "phased" ("auto" resolved)

    @property
    def proven_optimal(self) -> bool:
        return self.status == "OPTIMAL"


def relative_gap(objective: float, bound: float) -> float:
    return 0.0 if objective <= bound else (objective - bound) / max(abs(objective), 1e-9)


class _ProgressCallback(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution; `bound` replaces the solver's when a sub-solve's own bound is not global."""

    def __init__(self, report: Callable[[Progress], None], phase: str, started: float, bound: float | None = None):
        super().__init__()
        self._report, self._phase, self._started, self._bound = report, phase, started, bound

    def on_solution_callback(self) -> None:
        objective = self.objective_value
        bound = self.best_objective_bound if self._bound is None else self._bound
        self._report(Progress(objective, bound, relative_gap(objective, bound), time.perf_counter() - self._started,
                              self._phase))


# Every rule family, in the order the model adds them: add_overtime_budget and add_fairness use the overtime
# variables that add_weekly_hours makes. Soft rules take the weights and return their penalty terms.
RULES: tuple[Callable, ...] = (
    add_one_shift_per_day, add_min_rest, add_max_hours_in_24, add_max_consecutive_days, add_trainee_supervision,
    add_min_days_off, add_max_consecutive_nights, add_weekend_off, add_forward_rotation, add_fixed_patterns,
    add_vacancy_caps, add_pinned_assignments, add_coverage, add_weekly_hours, add_day_off_requests,
    add_shift_preferences, add_start_stability, add_overtime_budget, add_fairness, add_repair,
)
SOFT_RULES = frozenset({add_coverage, add_weekly_hours, add_day_off_requests, add_shift_preferences,
                        add_start_stability, add_fairness, add_repair})


def add_rule(rule: Callable, model: cp_model.CpModel, data: ModelData, roster: RosterVars,
             weights: Weights) -> list[PenaltyTerm]:
    if rule in SOFT_RULES:
        return list(rule(model, data, roster, weights))
    rule(model, data, roster)
    return []


def build_model(data: ModelData, weights: Weights) -> tuple[cp_model.CpModel, RosterVars, list[PenaltyTerm]]:
    model = cp_model.CpModel()
    roster = add_variables(model, data)
    terms = [term for rule in RULES for term in add_rule(rule, model, data, roster, weights)]
    model.minimize(weighted(terms))
    return model, roster, terms


def solve(data: ModelData, weights: Weights = Weights(), settings: SolverSettings = SolverSettings(),
          on_progress: Callable[[Progress], None] | None = None) -> SolveResult:
    """Solve the weighted objective (SolverSettings.strategy). When the model has fairness or stability terms, the
    main solve leaves them out and the fairness pass (_fairness_pass) minimizes them after it with the weighted sum
    of every other term held: they are then a last tier, never bought with a worse weighted sum of the rest."""
    model, roster, terms = build_model(data, weights)
    started = time.perf_counter()
    main_terms = [t for t in terms if t.name not in FAIRNESS_TERMS]
    fair = len(main_terms) < len(terms)
    main = settings
    if fair:
        model.minimize(weighted(main_terms))
        main = replace(settings, time_limit_s=(1 - settings.fairness_share) * settings.time_limit_s)
    since = time.perf_counter()
    strategy = settings.strategy
    if strategy == "auto":
        strategy = "phased" if _starts_from_best_responses(data, roster, settings) else "direct"
    if strategy == "phased":
        solver, status, phases, bound = _phased(model, roster, main_terms, data, weights, main, on_progress, started)
    else:
        solver, status = _run(model, main, main.time_limit_s, on_progress, "solve", started,
                              focused=len(roster.x) <= LP_MAX_VARIABLES)
        phases, bound = (), solver.best_objective_bound
    seconds = time.perf_counter() - started
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        from scheduler.model import explain  # only on failure; explain builds its own guarded model

        name = f"solver status {solver.status_name(status)} after {seconds:.1f} s"
        if status == cp_model.INFEASIBLE:  # never a bare INFEASIBLE: which rules, who, when
            raise SolveError(explain.infeasible_message(explain.explain_infeasible(data, weights), name))
        if status == cp_model.MODEL_INVALID:
            raise SolveError(f"no roster: the model is invalid, a bug in a rule module ({name}: {model.validate()})")
        if findings := explain.precheck(data):  # pre-checks are proofs: no time limit would have helped
            raise SolveError(explain.infeasible_message(findings, name))
        raise SolveError(f"no roster found in the time limit ({name}): raise --time-limit")
    objective = solver.objective_value
    if fair:
        # The main solve's bound stays the result's bound: it bounds every roster's other terms, the fairness and
        # stability terms are never negative, so it bounds every roster's whole objective too.
        if not phases:  # the direct solve, named beside the pass
            phases = (Phase("solve", objective, bound, time.perf_counter() - since, solver.deterministic_time),)
        since = time.perf_counter()
        solver, fairness, proven = _fairness_pass(model, roster, terms, settings, solver, on_progress, started)
        objective = solver.objective_value  # the whole weighted objective, for the roster kept
        if fairness is not None:
            found = fairness.response_proto.status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
            phases += (Phase("fairness", fairness.objective_value if found else solver.value(_fairness_sum(terms)),
                             max(0.0, fairness.best_objective_bound), time.perf_counter() - since,
                             fairness.deterministic_time),)
        if not proven:  # optimal now means: the other terms proven, then fairness given them
            status = cp_model.FEASIBLE
        seconds = time.perf_counter() - started
    return SolveResult(
        status=solver.status_name(status),
        objective=objective,
        best_bound=bound,
        gap=0.0 if status == cp_model.OPTIMAL else relative_gap(objective, bound),
        seconds=seconds,
        assignments=_assignments(data, roster, solver),
        penalties={t.name: t.weight * solver.value(t.amount) for t in terms},
        phases=phases,
        strategy=strategy,
    )


def _fairness_sum(terms: list[PenaltyTerm]) -> cp_model.LinearExprT:
    return weighted(t for t in terms if t.name in FAIRNESS_TERMS)


def _fairness_pass(model: cp_model.CpModel, roster: RosterVars, terms: list[PenaltyTerm], settings: SolverSettings,
                   found: cp_model.CpSolver, report: Callable[[Progress], None] | None, started: float
                   ) -> tuple[cp_model.CpSolver, cp_model.CpSolver | None, bool]:
    """Lower the fairness and stability terms of the roster `found` (a solution of `model` under every other term)
    without giving up anything else: the weighted sum of every other term is held at or below its value in that
    roster, the roster hinted (every variable), and fairness + stability, weighted as in Weights, minimized for
    fairness_share of the limit. In one search with the rest they made the sample week land on worse coverage in
    the same time (benchmarks/README.md, "Fairness"); held apart they cannot cost any.

    Returns the roster kept, settled (its shifts fixed, every other variable at its best under the whole weighted
    objective: the penalties are the roster's own, and its whole objective is never above the found roster's), and
    the pass's solver (its objective: fairness + stability), or None when the found roster's fairness and stability
    terms are 0 already and the pass is not run, and whether they are proven lowest given the rest. Mutates
    `model` (constraint, objective, hint): it is not solved again after this."""
    values = _solution(found)
    others = weighted(t for t in terms if t.name not in FAIRNESS_TERMS)
    fairness = _fairness_sum(terms)
    everything = weighted(terms)
    model.minimize(everything)  # the main solve left the fairness auxiliaries anywhere: settle them, and any other
    settled = _settle(model, roster, settings, values)  # term an unproven search left above the roster's own
    held, unfair = settled.value(others), settled.value(fairness)
    if unfair <= 0:
        return settled, None, True
    model.add(others <= held)
    model.minimize(fairness)
    _hint(model, values)
    # No LP workers, whatever the size: on the sample week (about 2,000 shift variables, under LP_MAX_VARIABLES)
    # their first turns solved the root LP for 2.8 deterministic seconds each, so a 3-second pass ran 9 and left
    # the spreads as found (176), where the neighbourhood search alone lowered them to 142 in 3.
    # Its progress lines show bound 0: the terms are never negative, and CP-SAT's own bound without LP (-70 on the
    # sample week) made a gap above 100%.
    solver, status = _run(model, settings, settings.fairness_share * settings.time_limit_s, report, "fairness",
                          started, bound=0.0, lp=False)
    proven = status == cp_model.OPTIMAL
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.objective_value >= unfair:
        return settled, solver, proven  # the found roster not bettered (nor even reached in the time): keep it
    model.minimize(everything)
    return _settle(model, roster, settings, _solution(solver)), solver, proven


def _run(model: cp_model.CpModel, settings: SolverSettings, limit: float,
         report: Callable[[Progress], None] | None, phase: str, started: float,
         bound: float | None = None, lp: bool = True, focused: bool = False) -> tuple[cp_model.CpSolver, int]:
    solver = cp_model.CpSolver()
    settings.apply(solver, limit, lp, focused)
    status = solver.solve(model, _ProgressCallback(report, phase, started, bound) if report else None)
    return solver, status


def _phased(model: cp_model.CpModel, roster: RosterVars, terms: list[PenaltyTerm], data: ModelData,
            weights: Weights, settings: SolverSettings, report: Callable[[Progress], None] | None,
            started: float) -> tuple[cp_model.CpSolver, int, tuple[Phase, ...], float]:
    """Weekends off (with the weekend rule), shortfall, then day windows, then staff rounds, then the weighted
    objective (SolverSettings explains the phases).
    Returns the solver holding the roster, its status, the phases and the proven bound on the weighted objective."""
    budget, phases, values = settings.time_limit_s, [], None

    def record(name: str, solver: cp_model.CpSolver, objective: float, bound: float, since: float) -> None:
        nonlocal budget
        budget -= solver.deterministic_time
        phases.append(Phase(name, objective, bound, time.perf_counter() - since, solver.deterministic_time))

    # The flat count of uncovered position-hours has a tight LP and the search finds near-optimal rosters for it
    # fast; as the start of the service objective's windows it beat minimizing the calls not answered in time
    # from the outset (benchmarks/README.md). Without seat gaps (flat objective) it is the coverage tier itself.
    shortfall = _shortfall_count(terms, roster, weights)
    coverage = weighted(t for t in terms if t.name in (UNCOVERED, CRITICAL, LATE_CALLS))
    work = model  # the model of the shortfall and window phases: with weekends off fixed, a restriction of it
    lp = len(roster.x) <= LP_MAX_VARIABLES
    scale = 1.0  # of the limit, what the window and staff phases' shares are shares of
    if _starts_from_best_responses(data, roster, settings):
        model.minimize(shortfall)
        values, spent = _best_response_start(model, roster, data, settings, report, started, phases)
        budget -= spent
        scale = budget / settings.time_limit_s
    if values is None:
        if settings.weekend_share > 0 and roster.weekend_off:
            since = time.perf_counter()
            chosen, solver = _weekend_choice(data, weights, settings, settings.weekend_share * budget, report,
                                             started)
            found = solver.response_proto.status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
            record("weekends", solver, solver.objective_value if found else math.inf, solver.best_objective_bound,
                   since)
            if chosen:
                work = _with_values(model, {roster.weekend_off[key].index: 1 for key in chosen})
        since = time.perf_counter()
        work.minimize(shortfall)
        solver, status = _run(work, settings, settings.shortfall_share * budget, report, "shortfall", started, lp=lp)
        if status == cp_model.INFEASIBLE:
            return solver, status, tuple(phases), solver.best_objective_bound  # no objective helps: the caller explains
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            budget -= solver.deterministic_time  # spent all the same
        else:
            values = _solution(solver)
            best, floor = solver.objective_value, math.ceil(solver.best_objective_bound - 1e-6)
            record("shortfall", solver, best, floor, since)
            work.add(shortfall >= floor)  # proven (for `work`): a valid cut for the phases that solve it
    else:
        best, floor = phases[-1].objective, 0  # the start proves nothing: only the terms' own floor of 0 holds
    if values is not None:
        work.minimize(coverage)
        if roster.seat_gaps:  # the late calls were free in phase 1: count them for the roster it found
            settled = _settle(work, roster, settings, values)
            best, floor = settled.objective_value, 0
            budget -= settled.deterministic_time
        # None on a plan that one window would cover whole (a 1-day plan): that is the shortfall phase again.
        windows = [w for w in settings.windows(data.horizon.days) if len(w) < data.horizon.days]
        if best > floor and settings.window_share > 0 and windows:
            since = time.perf_counter()
            share = settings.window_share * scale * settings.time_limit_s
            best, deterministic = _windows(work, roster, windows, settings, values, best, floor, share, report,
                                           started)
            budget -= deterministic
            phases.append(Phase("windows", best, floor, time.perf_counter() - since, deterministic))
        if work is not model:
            # The staff neighbourhoods solve the model itself: one may move its employees' weekends off, which
            # `work` fixes, so only the coverage terms' own floor of 0 holds there.
            model.minimize(coverage)
            floor = 0
        if best > floor and settings.staff_share > 0:
            since = time.perf_counter()
            best, deterministic = _staff_rounds(model, roster, data, windows, settings, values, best, floor,
                                                settings.staff_share * scale * settings.time_limit_s, report,
                                                started)
            budget -= deterministic
            phases.append(Phase("staff", best, floor, time.perf_counter() - since, deterministic))
        _hint(model, values)
    since = time.perf_counter()
    model.minimize(weighted(terms))
    solver, status = _run(model, settings, max(budget, 0.1 * settings.time_limit_s), report, "polish", started,
                          lp=lp)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        record("polish", solver, solver.objective_value, solver.best_objective_bound, since)
    elif status == cp_model.UNKNOWN and values is not None:
        # The polish found no roster in its time (unlikely: it starts from a complete feasible hint). Keep the
        # earlier phases' roster, settled under the whole objective, with the polish's bound: whatever it proved
        # holds for this model, whose one added cut, if any (none after the weekend phase), is itself proven.
        settled = _settle(model, roster, settings, values)
        return settled, cp_model.FEASIBLE, tuple(phases), min(solver.best_objective_bound, settled.objective_value)
    return solver, status, tuple(phases), solver.best_objective_bound


def _starts_from_best_responses(data: ModelData, roster: RosterVars, settings: SolverSettings) -> bool:
    """Whether the phased strategy starts from best responses: a plan too large for the LP workers whose rules the
    schedule search states. Not a repair: its search starts from the published roster (rules/repair.py), which the
    best responses would ignore, and they do not know the shifts before `now` that must stay as published."""
    return (settings.start_share > 0 and len(roster.x) > settings.start_above and data.repair is None
            and unsupported(data) is None)


def _best_response_start(model: cp_model.CpModel, roster: RosterVars, data: ModelData, settings: SolverSettings,
                         report: Callable[[Progress], None] | None, started: float, phases: list[Phase]
                         ) -> tuple[list[int] | None, float]:
    """Phases "best responses" (best_response.py: `start_share` of the limit, counted in the searches' work at
    WORK_PER_SECOND) and "completion": CP-SAT schedules, for at most `shortfall_share` of the limit, the employees
    the plan leaves out (trainees, anyone who found no schedule) with every planned schedule fixed, under every rule
    and `model`'s objective (the shortfall count). The schedules keep their employees' own rules but not those that
    tie employees together, so when no roster keeps them all (a vacancy cap, the overtime budget; a trainee's
    weekly floor in a week of its CTO's leave), the CTO-trainee pairs are freed too, then everyone (the plan
    hinted). Appends the phases; returns every variable's value (None: no roster found) and the deterministic
    seconds spent."""
    since = time.perf_counter()
    limit = settings.start_share * settings.time_limit_s

    def progress(passes: int, uncovered: int, fewest: int) -> None:
        if report:
            report(Progress(fewest, 0.0, 1.0 if fewest else 0.0, time.perf_counter() - started, "best responses"))

    plan = best_responses(data, round(limit * WORK_PER_SECOND), settings.seed, settings.start_grow, progress,
                          chains=settings.workers)
    spent = plan.work / WORK_PER_SECOND
    phases.append(Phase("best responses", plan.uncovered, 0.0, time.perf_counter() - since, spent))
    since, completing = time.perf_counter(), 0.0
    worked = {(e, day, code, position) for e, shifts in plan.schedules.items() for day, code, position in shifts}
    pairs = {e for cto, trainee in plan.pairs.items() for e in (cto, trainee)}
    for free in (set(), pairs, set(plan.schedules)):
        fixed = {var.index: int(key in worked) for key, var in roster.x.items()
                 if key[0] in plan.schedules and key[0] not in free}
        sub = _with_values(model, fixed)
        sub.clear_hints()
        for key, var in roster.x.items():
            if var.index not in fixed:
                sub.add_hint(var, int(key in worked))
        solver, status = _run(sub, settings, settings.shortfall_share * settings.time_limit_s, report, "completion",
                              started, lp=False)
        completing += solver.deterministic_time
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            phases.append(Phase("completion", solver.objective_value, 0.0, time.perf_counter() - since, completing))
            return _solution(solver), spent + completing
    return None, spent + completing


def _shortfall_count(terms: list[PenaltyTerm], roster: RosterVars, weights: Weights) -> cp_model.LinearExprT:
    """Uncovered position-hours counted flat: the floors' terms and, under the service objective, every empty
    call-taker seat at the shortfall weight."""
    return (weighted(t for t in terms if t.name in (UNCOVERED, CRITICAL))
            + weights.shortfall * sum(roster.seat_gaps))


def _weekend_choice(data: ModelData, weights: Weights, settings: SolverSettings, limit: float,
                    report: Callable[[Progress], None] | None, started: float
                    ) -> tuple[list[tuple[str, int]], cp_model.CpSolver]:
    """Phase "weekends": every rule over the weekend hours alone (each weekday hour's requirement 0, but for the
    positions with a shortfall cap: the cap is a hard rule on the requirement, so that the roster found solves the
    whole model and the weekends fixed from it leave it solvable), uncovered position-hours counted flat, no LP
    (the whole plan's shift variables stay). From that roster each employee
    keeps, for every window of the weekend rule that it does not already hold off (leave), one weekend off
    that roster gives them, the weekend chosen fewest times so far first. Returns those (employee id, Saturday)
    keys of RosterVars.weekend_off, none when no roster was found, and the solver."""
    horizon, requirements = data.horizon, data.requirements
    weekday = np.array([horizon.slot_start(slot).weekday() < 5 for slot in range(horizon.n_slots)])
    capped = data.rules.shortfall_caps
    weekends = replace(requirements, floor={p: np.where(weekday, 0, r) for p, r in requirements.floor.items()},
                       required={p: r if p in capped else np.where(weekday, 0, r)
                                 for p, r in requirements.required.items()})
    model, roster, terms = build_model(replace(data, requirements=weekends), weights)
    model.minimize(_shortfall_count(terms, roster, weights))
    solver, status = _run(model, settings, limit, report, "weekends", started, lp=False)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return [], solver
    saturdays, windows = weekend_windows(data)
    chosen, times = [], Counter()
    for employee in data.center.staff:
        off = {k: solver.boolean_value(var) for k, saturday in enumerate(saturdays)  # weekends that can be worked
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


def _settle(model: cp_model.CpModel, roster: RosterVars, settings: SolverSettings, values: list[int]
            ) -> cp_model.CpSolver:
    """The model solved for the roster in `values`, its shifts fixed and every other variable at its best (a
    propagation-sized solve): its objective is the roster's own. Updates `values`."""
    fixed = _fixed(model, roster, values, free=lambda key: False)
    _hint(fixed, values)
    solver, status = _run(fixed, settings, settings.time_limit_s, None, "shortfall", 0.0)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # cannot happen: `values` is a solution of it
        raise SolveError(f"a found roster no longer solves its own model ({solver.status_name(status)})")
    values[:] = _solution(solver)
    return solver


def _fixed(model: cp_model.CpModel, roster: RosterVars, values: list[int], free: Callable[[Key], bool]
           ) -> cp_model.CpModel:
    """A copy of the model with every shift variable whose key is not `free` fixed to its `values` (a window:
    the keys of its days; a staff neighbourhood: of its employees)."""
    return _with_values(model, {var.index: values[var.index] for key, var in roster.x.items() if not free(key)})


def _with_values(model: cp_model.CpModel, fixed: dict[int, int]) -> cp_model.CpModel:
    """A copy of the model with each variable (by index) in `fixed` fixed to its value."""
    copy = model.clone()
    for index, value in fixed.items():
        domain = copy.proto.variables[index].domain  # a boolean's [0, 1] becomes [v, v]
        domain[0] = domain[1] = value
    return copy


def _windows(model: cp_model.CpModel, roster: RosterVars, windows: list[set[int]], settings: SolverSettings,
             values: list[int], best: float, floor: float, budget: float,
             report: Callable[[Progress], None] | None, started: float) -> tuple[float, float]:
    """Large-neighbourhood search over time: re-solve each day set of `windows` (SolverSettings.windows) in turn
    with every assignment outside it fixed, each given budget / (window_passes x windows in a pass), pass after pass,
    until the budget is spent, a pass improves nothing or the objective reaches its proven bound. Rest, consecutive-day and
    weekly-hour rules only link nearby days, so a window holds most of what one assignment change needs. Updates
    `values` (every variable's); returns the best objective and the deterministic time used."""
    each = budget / (settings.window_passes * len(windows))
    free = sum(1 for key in roster.x if key[1] in windows[0])  # shift variables of one window
    used, improved = 0.0, True
    while improved and best > floor and used < budget:
        improved = False
        for window in windows:
            if best <= floor or used >= budget:
                break
            sub = _fixed(model, roster, values, free=lambda key, days=window: key[1] in days)
            _hint(sub, values)
            solver, status = _run(sub, settings, min(each, budget - used), report, "windows", started, bound=floor,
                                  lp=free <= LP_MAX_VARIABLES)
            used += solver.deterministic_time
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and solver.objective_value < best:
                best, improved = solver.objective_value, True
                values[:] = _solution(solver)
    return best, used


def _staff_rounds(model: cp_model.CpModel, roster: RosterVars, data: ModelData, windows: list[set[int]],
                  settings: SolverSettings, values: list[int], best: float, floor: float, budget: float,
                  report: Callable[[Progress], None] | None, started: float) -> tuple[float, float]:
    """Phase "staff": rounds of staff neighbourhoods (_staff_groups) until the budget is spent or they stall, each
    followed by one pass of the day windows with every weekend off the roster now declares fixed (`round_windows`
    of the limit at most), until the budget is spent, a round improves nothing or the objective reaches `floor`.
    The staff neighbourhoods move weekends off, which the windows cannot; the windows then re-solve the days around
    the weekends moved. Updates `values`; returns the best objective and the deterministic time used."""
    draw = random.Random(settings.seed)
    pass_cap, used, improved = settings.round_windows * settings.time_limit_s, 0.0, True
    one_pass = replace(settings, window_passes=1)
    while improved and best > floor and used < budget:
        before = best
        best, spent = _staff_groups(model, roster, data, settings, draw, values, best, floor, budget - used, report,
                                    started)
        used += spent
        if best > floor and used < budget and windows:
            weekends = _with_values(model, {var.index: 1 for var in roster.weekend_off.values() if values[var.index]})
            best, spent = _windows(weekends, roster, windows, one_pass, values, best, floor, min(pass_cap, budget - used),
                                   report, started)
            used += spent
        improved = best < before
    return best, used


def _staff_groups(model: cp_model.CpModel, roster: RosterVars, data: ModelData, settings: SolverSettings,
                  draw: random.Random, values: list[int], best: float, floor: float, budget: float,
                  report: Callable[[Progress], None] | None, started: float) -> tuple[float, float]:
    """Large-neighbourhood search over staff: draw a position, weighted by its uncovered seat-hours in the current
    roster (plus one, so that every position may come up), then `staff_group` of the non-trainee employees
    qualified for it (trainees never cover a seat), and re-solve their whole plan, weekends off included, with
    every other employee's shifts fixed, for `staff_seconds` each. Where the day windows cannot move a weekend off,
    this trades one between people who can stand in for each other. Stops when the budget is spent, the objective
    reaches `floor`, or after twice as many draws in a row without improvement as it takes groups to cover the
    staff once (a small neighbourhood costs almost no deterministic time, so the budget alone could take hours).
    `draw` is seeded with the solver's seed (deterministic). Updates `values`; returns the best objective and the
    deterministic time used."""
    holders = {p.id: [e.id for e in data.center.staff if e.qualified_for(p) and not e.is_trainee]
               for p in data.center.positions}
    holders = {p: ids for p, ids in holders.items() if ids}
    staff = len({e for ids in holders.values() for e in ids})
    patience = 2 * math.ceil(staff / settings.staff_group)
    used, idle = 0.0, 0
    short = _short_by_position(data, roster, values)  # recounted only when a draw changes the roster
    while best > floor and used < budget and idle < patience:
        position = draw.choices(list(holders), weights=[short[p] + 1 for p in holders])[0]
        group = set(draw.sample(holders[position], min(settings.staff_group, len(holders[position]))))
        sub = _fixed(model, roster, values, free=lambda key, staff=group: key[0] in staff)
        _hint(sub, values)
        solver, status = _run(sub, settings, min(settings.staff_seconds, budget - used), report, "staff", started,
                              bound=floor, lp=False)
        used += solver.deterministic_time
        idle += 1
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and solver.objective_value < best:
            best, idle = solver.objective_value, 0
            values[:] = _solution(solver)
            short = _short_by_position(data, roster, values)
    return best, used


def _short_by_position(data: ModelData, roster: RosterVars, values: list[int]) -> Counter:
    """Seat-hours each position is left short in the roster `values`, counted as rules/coverage.py does: required,
    less the seats carried in from a previous roster, less the seats filled, per hour (0 at least)."""
    short: Counter = Counter()
    for position, required in data.requirements.required.items():
        carried = data.carried_in[position]
        for slot in range(len(required)):
            filled = sum(values[roster.x[key].index] for key in roster.by_position_slot.get((position, slot), ()))
            short[position] += max(0, int(required[slot]) - int(carried[slot]) - filled)
    return short


def _solution(solver: cp_model.CpSolver) -> list[int]:
    """Every variable's value, auxiliaries included: a hint of the decisions alone lets CP-SAT complete it with
    each unhinted variable at its lowest value, which for a seat count (rules/coverage.py) is the worst."""
    return list(solver.response_proto.solution)


def _hint(model: cp_model.CpModel, values: list[int]) -> None:
    model.clear_hints()
    model.proto.solution_hint.vars.extend(range(len(values)))
    model.proto.solution_hint.values.extend(values)


def _assignments(data: ModelData, roster: RosterVars, solver: cp_model.CpSolver) -> tuple[Assignment, ...]:
    result = []
    for (employee_id, day, code, position), var in roster.x.items():
        if solver.boolean_value(var):
            window = data.windows[day, code]
            result.append(Assignment(employee_id, data.horizon.day(day), code, position, window.start, window.end))
    return tuple(sorted(result, key=lambda a: (a.employee_id, a.start)))
