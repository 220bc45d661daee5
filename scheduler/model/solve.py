"""Build the CP-SAT roster model from the rule modules, solve it, and return a typed result."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.domain import Assignment
from scheduler.errors import SolveError
from scheduler.model.data import ModelData
from scheduler.model.objective import CRITICAL, LATE_CALLS, UNCOVERED, PenaltyTerm, Weights
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
from scheduler.model.rules.weekends import add_weekend_off
from scheduler.model.variables import RosterVars, add_variables


@dataclass(frozen=True)
class SolverSettings:
    """All CP-SAT parameters in one place.

    strategy "direct" solves the weighted objective in one go. "phased" spends `shortfall_share` of the limit on
    the objective's first tier alone, coverage (uncovered position-hours and, with the service objective, calls not
    answered in time, as weighted; phase "shortfall": its proven bound becomes a valid cut), then
    `window_share` on a large-neighbourhood search that re-solves `window_days` consecutive days at a time with
    every other day fixed (phase "windows"), and the rest on the weighted objective from that roster (phase
    "polish"). Every phase is a deterministic solve, so the phased strategy is as reproducible as the direct one.
    """

    time_limit_s: float = 30.0
    seed: int = 0
    workers: int = 2
    deterministic: bool = True
    strategy: str = "direct"
    shortfall_share: float = 0.3
    window_share: float = 0.4
    window_days: int = 3  # measured on the sample week, where 7 days would be the whole plan

    def apply(self, solver: cp_model.CpSolver, time_limit_s: float | None = None) -> None:
        limit = self.time_limit_s if time_limit_s is None else time_limit_s
        solver.parameters.random_seed = self.seed
        solver.parameters.num_workers = self.workers
        if self.deterministic:
            # A wall-clock limit stops the search wherever machine load leaves it, and racing workers finish in any
            # order; counting the solver's deterministic time (work done, about 1.2-2 s of wall-clock each on 2
            # idle cores here) over interleaved workers stops at the same point on every run. The wall-clock limit
            # is only a safety net: on a machine shared by many solves one deterministic second took 15-25 s, and a
            # net that fires changes the roster.
            solver.parameters.max_deterministic_time = limit
            solver.parameters.max_time_in_seconds = 50 * limit + 60
            solver.parameters.interleave_search = self.workers > 1
        else:
            solver.parameters.max_time_in_seconds = limit


@dataclass(frozen=True)
class Progress:
    objective: float
    best_bound: float
    gap: float
    seconds: float
    phase: str = "solve"  # "solve" (direct); "shortfall", "windows" or "polish" (phased: position-hours, then cost)


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
    status: str  # OPTIMAL, FEASIBLE
    objective: float
    best_bound: float
    gap: float  # relative: (objective - bound) / objective, 0 when proven optimal
    seconds: float
    assignments: tuple[Assignment, ...]
    penalties: dict[str, float]  # human rule name -> weighted penalty
    phases: tuple[Phase, ...] = ()

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
    model.minimize(sum(term.weight * term.amount for term in terms))
    return model, roster, terms


def solve(data: ModelData, weights: Weights = Weights(), settings: SolverSettings = SolverSettings(),
          on_progress: Callable[[Progress], None] | None = None) -> SolveResult:
    model, roster, terms = build_model(data, weights)
    started = time.perf_counter()
    if settings.strategy == "phased":
        solver, status, phases = _phased(model, roster, terms, data, settings, on_progress, started)
    else:
        solver, status = _run(model, settings, settings.time_limit_s, on_progress, "solve", started)
        phases = ()
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
    objective, bound = solver.objective_value, solver.best_objective_bound
    return SolveResult(
        status=solver.status_name(status),
        objective=objective,
        best_bound=bound,
        gap=0.0 if status == cp_model.OPTIMAL else relative_gap(objective, bound),
        seconds=seconds,
        assignments=_assignments(data, roster, solver),
        penalties={t.name: t.weight * solver.value(t.amount) for t in terms},
        phases=phases,
    )


def _run(model: cp_model.CpModel, settings: SolverSettings, limit: float,
         report: Callable[[Progress], None] | None, phase: str, started: float,
         bound: float | None = None) -> tuple[cp_model.CpSolver, int]:
    solver = cp_model.CpSolver()
    settings.apply(solver, limit)
    status = solver.solve(model, _ProgressCallback(report, phase, started, bound) if report else None)
    return solver, status


def _phased(model: cp_model.CpModel, roster: RosterVars, terms: list[PenaltyTerm], data: ModelData,
            settings: SolverSettings, report: Callable[[Progress], None] | None,
            started: float) -> tuple[cp_model.CpSolver, int, tuple[Phase, ...]]:
    """Shortfall first, then day windows, then the weighted objective (SolverSettings explains the phases)."""
    budget, phases = settings.time_limit_s, []

    def record(name: str, solver: cp_model.CpSolver, objective: float, bound: float, since: float) -> None:
        nonlocal budget
        budget -= solver.deterministic_time
        phases.append(Phase(name, objective, bound, time.perf_counter() - since, solver.deterministic_time))

    # Tier 1, coverage: with the service objective the calls not answered in time, not only the floors' hours.
    coverage = sum(t.weight * t.amount for t in terms if t.name in (UNCOVERED, CRITICAL, LATE_CALLS))
    since = time.perf_counter()
    model.minimize(coverage)
    solver, status = _run(model, settings, settings.shortfall_share * budget, report, "shortfall", started)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = {var.index: solver.value(var) for var in roster.x.values()}
        best, floor = solver.objective_value, math.ceil(solver.best_objective_bound - 1e-6)
        record("shortfall", solver, best, floor, since)
        model.add(coverage >= floor)  # proven: a valid cut for every later phase
        if best > floor and settings.window_share > 0 and data.horizon.days > settings.window_days:
            since = time.perf_counter()
            share = settings.window_share * settings.time_limit_s
            best, deterministic = _windows(model, roster, data, settings, values, best, floor, share, report, started)
            budget -= deterministic
            phases.append(Phase("windows", best, floor, time.perf_counter() - since, deterministic))
        model.clear_hints()
        for index, value in values.items():
            model.proto.solution_hint.vars.append(index)
            model.proto.solution_hint.values.append(value)
    elif status == cp_model.INFEASIBLE:
        return solver, status, tuple(phases)  # no objective helps: the caller explains
    since = time.perf_counter()
    model.minimize(sum(t.weight * t.amount for t in terms))
    solver, status = _run(model, settings, max(budget, 0.1 * settings.time_limit_s), report, "polish", started)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        record("polish", solver, solver.objective_value, solver.best_objective_bound, since)
    return solver, status, tuple(phases)


def _windows(model: cp_model.CpModel, roster: RosterVars, data: ModelData, settings: SolverSettings,
             values: dict[int, int], best: float, floor: float, budget: float,
             report: Callable[[Progress], None] | None, started: float) -> tuple[float, float]:
    """Large-neighbourhood search over time: re-solve `window_days` consecutive days (wrapping around the plan, a
    cycle) with every assignment outside them fixed, each window starting half a window (at least a day) after the
    last, until the budget is spent or the objective reaches its proven bound. Rest, consecutive-day and
    weekly-hour rules only link nearby days, so a window holds most of what one assignment change needs. Updates
    `values`; returns the best objective and the deterministic time used."""
    days, width = data.horizon.days, settings.window_days
    starts = range(0, days, max(1, width // 2))
    each, used = budget / len(starts), 0.0
    for start in starts:
        if best <= floor:
            break
        sub = model.clone()
        for key, var in roster.x.items():
            if (key[1] - start) % days >= width:
                domain = sub.proto.variables[var.index].domain  # a boolean's [0, 1] becomes [v, v]
                domain[0] = domain[1] = values[var.index]
        for index, value in values.items():
            sub.proto.solution_hint.vars.append(index)
            sub.proto.solution_hint.values.append(value)
        solver, status = _run(sub, settings, each, report, "windows", started, bound=floor)
        used += solver.deterministic_time
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and solver.objective_value < best:
            best = solver.objective_value
            values.update((var.index, solver.value(var)) for var in roster.x.values())
    return best, used


def _assignments(data: ModelData, roster: RosterVars, solver: cp_model.CpSolver) -> tuple[Assignment, ...]:
    result = []
    for (employee_id, day, code, position), var in roster.x.items():
        if solver.boolean_value(var):
            window = data.windows[day, code]
            result.append(Assignment(employee_id, data.horizon.day(day), code, position, window.start, window.end))
    return tuple(sorted(result, key=lambda a: (a.employee_id, a.start)))
