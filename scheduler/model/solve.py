"""Solve the roster model and return a typed result: the strategy that runs the main solve, the fairness pass
after it, and the explanation when no roster is found."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduler.domain import Assignment
from scheduler.errors import OutOfTime, SolveError
from scheduler.model import explain
from scheduler.model.build import build_model
from scheduler.model.cpsat import FOUND, Interrupted, Report, hint, run, settle, solution
from scheduler.model.data import ModelData
from scheduler.model.objective import PenaltyTerm, weighted
from scheduler.model.phased import phased
from scheduler.model.result import INTERRUPTED, Phase, Progress, SolveResult, relative_gap
from scheduler.model.settings import LP_MAX_VARIABLES, SolverSettings
from scheduler.model.start import starts_from_best_responses
from scheduler.model.variables import RosterVars
from scheduler.weights import FAIRNESS_TERMS, Weights


def solve(data: ModelData, weights: Weights = Weights(), settings: SolverSettings = SolverSettings(),
          on_progress: Callable[[Progress], None] | None = None) -> SolveResult:
    """Solve the weighted objective (SolverSettings.strategy). When the model has fairness or stability terms,
    the main solve leaves them out and the fairness pass (fairness_pass) minimizes them after it with the
    weighted sum of every other term held: they are then a last tier, never bought with a worse weighted sum
    of the rest. On Ctrl-C the search stops at once and the best roster found so far comes back, with status
    INTERRUPTED (_interrupted)."""
    model, roster, terms = build_model(data, weights)
    started = time.perf_counter()
    strategy = settings.strategy
    if strategy == "auto":
        strategy = "phased" if starts_from_best_responses(data, roster, settings) else "direct"
    try:
        return _solve(model, roster, terms, data, weights, settings, strategy, on_progress, started)
    except Interrupted as stop:
        return _interrupted(model, roster, terms, data, settings, stop, strategy, started)


def _solve(model: cp_model.CpModel, roster: RosterVars, terms: list[PenaltyTerm], data: ModelData,
           weights: Weights, settings: SolverSettings, strategy: str, on_progress: Report | None,
           started: float) -> SolveResult:
    main_terms = [t for t in terms if t.name not in FAIRNESS_TERMS]
    fair = len(main_terms) < len(terms)
    main = settings
    if fair:
        model.minimize(weighted(main_terms))
        main = replace(settings, time_limit_s=(1 - settings.fairness_share) * settings.time_limit_s)
    since = time.perf_counter()
    if strategy == "phased":
        solver, status, phases, bound = phased(model, roster, main_terms, data, weights, main, on_progress,
                                               started)
    else:
        solver, status = _direct(model, roster, main, on_progress, started)
        phases, bound = (), solver.best_objective_bound
    if status not in FOUND:
        raise _no_roster(data, weights, model, solver, status, time.perf_counter() - started)
    if not fair and strategy != "phased" and status != cp_model.OPTIMAL:
        # An unproven search may leave a penalty's slack above what its roster costs (Curtois' Instance10:
        # 6,994 for a roster the scorer costs 6,889): settled, the roster reports its own objective, the
        # checker's. (The phased strategy and the fairness pass settle their rosters already.) A fixed roster:
        # propagation-sized, a fraction of a second.
        found = solution(solver)
        try:
            solver = settle(model, roster, main, found)
        except Interrupted as stop:  # the search's roster stands
            stop.values, stop.bound = found, bound
            raise
    objective = solver.objective_value
    if fair:
        # The main solve's bound stays the result's bound: it bounds every roster's other terms, the fairness
        # and stability terms are never negative, so it bounds every roster's whole objective too.
        if not phases:  # the direct solve, named beside the pass
            phases = (Phase("solve", objective, bound, time.perf_counter() - since,
                            solver.deterministic_time),)
        found = solution(solver)
        try:
            solver, pass_phase, proven = fairness_pass(model, roster, terms, settings, solver, on_progress,
                                                       started)
        except Interrupted as stop:  # the main solve's roster stands
            stop.values, stop.bound = found, bound
            raise
        objective = solver.objective_value  # the whole weighted objective, for the roster kept
        phases += pass_phase
        if not proven:  # optimal now means: the other terms proven, then fairness given them
            status = cp_model.FEASIBLE
    return SolveResult(
        status=solver.status_name(status),
        objective=objective,
        best_bound=bound,
        gap=0.0 if status == cp_model.OPTIMAL else relative_gap(objective, bound),
        seconds=time.perf_counter() - started,
        assignments=_assignments(data, roster, solver),
        penalties={t.name: t.weight * solver.value(t.amount) for t in terms},
        phases=phases,
        strategy=strategy,
    )


def _direct(model: cp_model.CpModel, roster: RosterVars, settings: SolverSettings, on_progress: Report | None,
            started: float) -> tuple[cp_model.CpSolver, int]:
    """The direct strategy: the weighted objective in one solve."""
    try:
        return run(model, settings, settings.time_limit_s, on_progress, "solve", started,
                   focused=len(roster.x) <= LP_MAX_VARIABLES)
    except Interrupted as stop:  # its bound holds for every roster
        stop.bound = stop.solver.best_objective_bound
        raise


def _interrupted(model: cp_model.CpModel, roster: RosterVars, terms: list[PenaltyTerm], data: ModelData,
                 settings: SolverSettings, stop: Interrupted, strategy: str, started: float) -> SolveResult:
    """Ctrl-C: the best of the rosters known when the search stopped (the strategy's, the interrupted
    solve's), each settled under the whole objective; status INTERRUPTED (where the search stopped depends
    on when the key was pressed, so it is not the limit's reproducible result). None found: KeyboardInterrupt.
    """
    candidates = stop.rosters()
    if not candidates:  # nothing to keep: an interrupt like any other
        raise KeyboardInterrupt
    model.minimize(weighted(terms))
    settled = min((settle(model, roster, settings, values) for values in candidates),
                  key=lambda solver: solver.objective_value)
    objective = settled.objective_value
    return SolveResult(
        status=INTERRUPTED,
        objective=objective,
        best_bound=stop.bound,
        gap=relative_gap(objective, stop.bound),
        seconds=time.perf_counter() - started,
        assignments=_assignments(data, roster, settled),
        penalties={t.name: t.weight * settled.value(t.amount) for t in terms},
        strategy=strategy,
    )


def _no_roster(data: ModelData, weights: Weights, model: cp_model.CpModel, solver: cp_model.CpSolver,
               status: int, seconds: float) -> SolveError:
    """Why no roster came out, never a bare solver status: which rules, who, when (explain.py)."""
    name = f"solver status {solver.status_name(status)} after {seconds:.1f} s"
    if status == cp_model.INFEASIBLE:
        return SolveError(explain.infeasible_message(explain.explain_infeasible(data, weights), name))
    if status == cp_model.MODEL_INVALID:
        return SolveError(f"no roster: the model is invalid, a bug in a rule module "
                          f"({name}: {model.validate()})")
    if findings := explain.precheck(data):  # pre-checks are proofs: no time limit would have helped
        return SolveError(explain.infeasible_message(findings, name))
    return OutOfTime(f"no roster found in the time limit ({name}): raise --time-limit")


def _fairness_sum(terms: list[PenaltyTerm]) -> cp_model.LinearExprT:
    return weighted(t for t in terms if t.name in FAIRNESS_TERMS)


def fairness_pass(model: cp_model.CpModel, roster: RosterVars, terms: list[PenaltyTerm],
                  settings: SolverSettings, found: cp_model.CpSolver, report: Report | None, started: float
                  ) -> tuple[cp_model.CpSolver, tuple[Phase, ...], bool]:
    """Lower the fairness and stability terms of the roster `found` (a solution of `model` under every other
    term) without giving up anything else: the weighted sum of every other term is held at or below its value
    in that roster, the roster hinted (every variable), and fairness + stability, weighted as in Weights,
    minimized for fairness_share of the limit. In one search with the rest they made the sample week land on
    worse coverage in the same time (benchmarks/RESULTS.md, "Fairness"); held apart they cannot cost any.

    Returns the roster kept, settled (its shifts fixed, every other variable at its best under the whole
    weighted objective: the penalties are the roster's own, and its whole objective is never above the found
    roster's), the pass's phase "fairness" (its objective: fairness + stability; none when the found roster's
    fairness and stability terms are 0 already and the pass is not run), and whether they are proven lowest
    given the rest. Mutates `model` (constraint, objective, hint): it is not solved again after this."""
    since = time.perf_counter()
    values = solution(found)
    others = weighted(t for t in terms if t.name not in FAIRNESS_TERMS)
    fairness = _fairness_sum(terms)
    everything = weighted(terms)
    model.minimize(everything)  # the main solve left the fairness auxiliaries anywhere: settle them, and any
    settled = settle(model, roster, settings, values)  # other term an unproven search left above its own
    held, unfair = settled.value(others), settled.value(fairness)
    if unfair <= 0:
        return settled, (), True
    model.add(others <= held)
    model.minimize(fairness)
    hint(model, values)
    # No LP workers, whatever the size: on the sample week (about 2,000 shift variables, under
    # LP_MAX_VARIABLES) their first turns solved the root LP for 2.8 deterministic seconds each, so a 3-second
    # pass ran 9 and left the spreads as found (176), where the neighbourhood search alone lowered them to 142
    # in 3. Its progress lines show bound 0: the terms are never negative, and CP-SAT's own bound without LP
    # (-70 on the sample week) made a gap above 100%.
    solver, status = run(model, settings, settings.fairness_share * settings.time_limit_s, report, "fairness",
                         started, bound=0.0, lp=False)
    proven = status == cp_model.OPTIMAL
    if status in FOUND and solver.objective_value < unfair:
        model.minimize(everything)
        kept = settle(model, roster, settings, solution(solver))
    else:
        kept = settled  # the found roster not bettered (nor even reached in the time): keep it
    amount = solver.objective_value if status in FOUND else kept.value(fairness)
    phase = Phase("fairness", amount, max(0.0, solver.best_objective_bound), time.perf_counter() - since,
                  solver.deterministic_time)
    return kept, (phase,), proven


def _assignments(data: ModelData, roster: RosterVars, solver: cp_model.CpSolver) -> tuple[Assignment, ...]:
    result = []
    for (employee_id, day, code, position), var in roster.x.items():
        if solver.boolean_value(var):
            result.append(Assignment(employee_id, data.horizon.day(day), code, position,
                                     data.windows[day, code].start, data.end_of(employee_id, day, code)))
    return tuple(sorted(result, key=lambda a: (a.employee_id, a.start)))
