"""The phased strategy's start on large plans: a first roster from best responses (best_response.py),
completed by CP-SAT under every rule (phases "best responses" and "completion"; StartSettings)."""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from scheduler.model.chains import best_responses
from scheduler.model.cpsat import FOUND, Report, run, solution, with_values
from scheduler.model.data import ModelData
from scheduler.model.result import Phase, Progress
from scheduler.model.schedules import unsupported
from scheduler.model.settings import WORK_PER_SECOND, SolverSettings
from scheduler.model.variables import RosterVars


def starts_from_best_responses(data: ModelData, roster: RosterVars, settings: SolverSettings) -> bool:
    """Whether the phased strategy starts from best responses: a plan too large for the LP workers whose rules
    the schedule search states. Not a repair: its search starts from the published roster (rules/repair.py),
    which the best responses would ignore, and they do not know the shifts before `now` that must stay as
    published."""
    return (settings.start.share > 0 and len(roster.x) > settings.start.above and data.repair is None
            and unsupported(data) is None)


def best_response_start(model: cp_model.CpModel, roster: RosterVars, data: ModelData,
                        settings: SolverSettings, report: Report | None, started: float, phases: list[Phase]
                        ) -> tuple[list[int] | None, float]:
    """Phases "best responses" (best_response.py: `start.share` of the limit, counted in the searches' work at
    WORK_PER_SECOND) and "completion": CP-SAT schedules, for at most `phased.shortfall_share` of the limit,
    the employees the plan leaves out (trainees, anyone who found no schedule) with every planned schedule
    fixed, under every rule and `model`'s objective (the shortfall count). The schedules keep their employees'
    own rules but not those that tie employees together, so when no roster keeps them all (a vacancy cap, the
    overtime budget; a trainee's weekly floor in a week of its CTO's leave), the CTO-trainee pairs are freed
    too, then everyone (the plan hinted). Appends the phases; returns every variable's value (None: no roster
    found) and the deterministic seconds spent."""
    since = time.perf_counter()
    limit = settings.start.share * settings.time_limit_s

    def progress(passes: int, uncovered: int, fewest: int) -> None:
        if report:
            report(Progress(fewest, 0.0, 1.0 if fewest else 0.0, time.perf_counter() - started,
                            "best responses"))

    plan = best_responses(data, round(limit * WORK_PER_SECOND), settings.seed, settings.start.grow, progress,
                          chains=settings.workers, processes=settings.start.processes)
    spent = plan.work / WORK_PER_SECOND
    phases.append(Phase("best responses", plan.uncovered, 0.0, time.perf_counter() - since, spent))
    since, completing = time.perf_counter(), 0.0
    worked = {(e, day, code, position) for e, shifts in plan.schedules.items()
              for day, code, position in shifts}
    pairs = {e for cto, trainee in plan.pairs.items() for e in (cto, trainee)}
    for free in (set(), pairs, set(plan.schedules)):
        fixed = {var.index: int(key in worked) for key, var in roster.x.items()
                 if key[0] in plan.schedules and key[0] not in free}
        sub = with_values(model, fixed)
        sub.clear_hints()
        for key, var in roster.x.items():
            if var.index not in fixed:
                sub.add_hint(var, int(key in worked))
        solver, status = run(sub, settings, settings.phased.shortfall_share * settings.time_limit_s, report,
                             "completion", started, lp=False)
        completing += solver.deterministic_time
        if status in FOUND:
            phases.append(Phase("completion", solver.objective_value, 0.0, time.perf_counter() - since,
                                completing))
            return solution(solver), spent + completing
    return None, spent + completing
