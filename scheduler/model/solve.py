"""Build the CP-SAT roster model from the rule modules, solve it, and return a typed result."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.domain import Assignment
from scheduler.errors import SolveError
from scheduler.model.data import ModelData
from scheduler.model.objective import PenaltyTerm, Weights
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
    """All CP-SAT parameters in one place."""

    time_limit_s: float = 30.0
    seed: int = 0
    workers: int = 2
    deterministic: bool = True

    def apply(self, solver: cp_model.CpSolver) -> None:
        solver.parameters.random_seed = self.seed
        solver.parameters.num_workers = self.workers
        if self.deterministic:
            # A wall-clock limit stops the search wherever machine load leaves it, and racing workers finish in any
            # order; counting the solver's deterministic time (work done, about 1.2-2 s of wall-clock each on 2
            # cores here) over interleaved workers stops at the same point on every run.
            solver.parameters.max_deterministic_time = self.time_limit_s
            solver.parameters.max_time_in_seconds = 10 * self.time_limit_s + 60  # a safety net, not the limit
            solver.parameters.interleave_search = self.workers > 1
        else:
            solver.parameters.max_time_in_seconds = self.time_limit_s


@dataclass(frozen=True)
class Progress:
    objective: float
    best_bound: float
    gap: float
    seconds: float


@dataclass(frozen=True)
class SolveResult:
    status: str  # OPTIMAL, FEASIBLE
    objective: float
    best_bound: float
    gap: float  # relative: (objective - bound) / objective, 0 when proven optimal
    seconds: float
    assignments: tuple[Assignment, ...]
    penalties: dict[str, float]  # human rule name -> weighted penalty

    @property
    def proven_optimal(self) -> bool:
        return self.status == "OPTIMAL"


def relative_gap(objective: float, bound: float) -> float:
    return 0.0 if objective <= bound else (objective - bound) / max(abs(objective), 1e-9)


class _ProgressCallback(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[Progress], None]):
        super().__init__()
        self._report = report

    def on_solution_callback(self) -> None:
        objective, bound = self.objective_value, self.best_objective_bound
        self._report(Progress(objective, bound, relative_gap(objective, bound), self.wall_time))


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
    solver = cp_model.CpSolver()
    settings.apply(solver)
    started = time.perf_counter()
    status = solver.solve(model, _ProgressCallback(on_progress) if on_progress else None)
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
    )


def _assignments(data: ModelData, roster: RosterVars, solver: cp_model.CpSolver) -> tuple[Assignment, ...]:
    result = []
    for (employee_id, day, code, position), var in roster.x.items():
        if solver.boolean_value(var):
            window = data.windows[day, code]
            result.append(Assignment(employee_id, data.horizon.day(day), code, position, window.start, window.end))
    return tuple(sorted(result, key=lambda a: (a.employee_id, a.start)))
