"""CP-SAT helpers the strategies share: one solve with progress reports, and copies of a model with variables
fixed or hinted from a roster's values."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.errors import SolveError
from scheduler.model.result import Progress, relative_gap
from scheduler.model.settings import SolverSettings
from scheduler.model.variables import Key, RosterVars

Report = Callable[[Progress], None]
FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)


class ProgressCallback(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution; `bound` replaces the solver's when a sub-solve's own bound is not
    global."""

    def __init__(self, report: Report, phase: str, started: float, bound: float | None = None):
        super().__init__()
        self._report, self._phase, self._started, self._bound = report, phase, started, bound

    def on_solution_callback(self) -> None:
        objective = self.objective_value
        bound = self.best_objective_bound if self._bound is None else self._bound
        self._report(Progress(objective, bound, relative_gap(objective, bound),
                              time.perf_counter() - self._started, self._phase))


def run(model: cp_model.CpModel, settings: SolverSettings, limit: float, report: Report | None, phase: str,
        started: float, bound: float | None = None, lp: bool = True, focused: bool = False
        ) -> tuple[cp_model.CpSolver, int]:
    """Solve `model` for `limit` deterministic seconds (SolverSettings.apply), reporting as phase `phase`."""
    solver = cp_model.CpSolver()
    settings.apply(solver, limit, lp, focused)
    status = _solve(solver, model, ProgressCallback(report, phase, started, bound) if report else None)
    return solver, status


class Interrupted(Exception):
    """Ctrl-C: the search stopped at once. `solver` holds what the interrupted solve had found (None when the
    interrupt came between solves), `values` the best roster the strategy held (every variable's value), if
    any."""

    def __init__(self, solver: cp_model.CpSolver | None, status: int, values: list[int] | None = None):
        super().__init__("interrupted")
        self.solver, self.status, self.values = solver, status, values
        self.bound = 0.0  # a proven bound on the weighted objective, where the strategy has one

    def rosters(self) -> list[list[int]]:
        """The rosters known when the search stopped (every variable's value): the strategy's best and the
        interrupted solve's, if any. Every solve's model is the roster model or a restriction of it, so each
        is a roster under every hard rule."""
        found = [self.values] if self.values is not None else []
        if self.solver is not None and self.status in FOUND:
            found.append(solution(self.solver))
        return found


def _solve(solver: cp_model.CpSolver, model: cp_model.CpModel,
           callback: cp_model.CpSolverSolutionCallback | None) -> int:
    """CP-SAT's solve. In the main thread it runs beside it, so that Ctrl-C (KeyboardInterrupt, raised only in
    the main thread) stops the search at once and raises Interrupted with what it found: CP-SAT's own catch of
    SIGINT, off in SolverSettings.apply, stops the search as a time limit would, and nothing above could tell
    the roster was cut short. Elsewhere (a worker thread or process) it runs as is."""
    if threading.current_thread() is not threading.main_thread():
        return solver.solve(model, callback)
    done, outcome = threading.Event(), []

    def work() -> None:
        try:
            outcome.append(solver.solve(model, callback))
        except BaseException as error:  # noqa: BLE001 (re-raised in the main thread below)
            outcome.append(error)
        finally:
            done.set()

    threading.Thread(target=work, daemon=True).start()
    try:
        while not done.wait(0.05):
            pass
    except KeyboardInterrupt:
        solver.stop_search()
        done.wait()
        status = outcome[0] if outcome and not isinstance(outcome[0], BaseException) else cp_model.UNKNOWN
        raise Interrupted(solver, status) from None
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def solution(solver: cp_model.CpSolver) -> list[int]:
    """Every variable's value, auxiliaries included: a hint of the decisions alone lets CP-SAT complete it
    with each unhinted variable at its lowest value, which for a seat count (rules/coverage.py) is the worst.
    """
    return list(solver.response_proto.solution)


def hint(model: cp_model.CpModel, values: list[int]) -> None:
    model.clear_hints()
    model.proto.solution_hint.vars.extend(range(len(values)))
    model.proto.solution_hint.values.extend(values)


def with_values(model: cp_model.CpModel, fixed: dict[int, int]) -> cp_model.CpModel:
    """A copy of the model with each variable (by index) in `fixed` fixed to its value."""
    copy = model.clone()
    for index, value in fixed.items():
        domain = copy.proto.variables[index].domain  # a boolean's [0, 1] becomes [v, v]
        domain[0] = domain[1] = value
    return copy


def fixed(model: cp_model.CpModel, roster: RosterVars, values: list[int], free: Callable[[Key], bool]
          ) -> cp_model.CpModel:
    """A copy of the model with every shift variable whose key is not `free` fixed to its `values` (a window:
    the keys of its days; a staff neighbourhood: of its employees)."""
    kept = {var.index: values[var.index] for key, var in roster.x.items() if not free(key)}
    return with_values(model, kept)


def settle(model: cp_model.CpModel, roster: RosterVars, settings: SolverSettings, values: list[int]
           ) -> cp_model.CpSolver:
    """The model solved for the roster in `values`, its shifts fixed and every other variable at its best (a
    propagation-sized solve): its objective is the roster's own. Updates `values`."""
    copy = fixed(model, roster, values, free=lambda key: False)
    hint(copy, values)
    solver, status = run(copy, settings, settings.time_limit_s, None, "shortfall", 0.0)
    if status not in FOUND:  # cannot happen: `values` is a solution of it
        raise SolveError(f"a found roster no longer solves its own model ({solver.status_name(status)})")
    values[:] = solution(solver)
    return solver
