"""The roster stages: build (solve, then the independent check and the penalties recomputed from the roster
itself), check (every call into the checker), simulate. No file I/O; every object here pickles."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from scheduler.checker import RosterCase, Violation, check_coverage_sheet, check_open_shifts, check_pay_codes
from scheduler.domain import Assignment, Cut, Repair
from scheduler.io.payroll import Payroll
from scheduler.io.roster_xlsx import assignments_frame
from scheduler.model.data import ModelData
from scheduler.model.registry import check_rules, recompute_penalties
from scheduler.model.settings import SolverSettings
from scheduler.model.solve import Progress, SolveResult, relative_gap, solve
from scheduler.open_shifts import open_shifts
from scheduler.payroll import pay_segments, payroll_tables
from scheduler.plan import Plan
from scheduler.report import Summary, coverage_table, simulate_roster, summarize
from scheduler.staffing import SimulatedService
from scheduler.weights import Weights


@dataclass(frozen=True)
class RosterCheck:
    violations: tuple[Violation, ...]  # hard rules, pay codes, the Coverage and Open shifts sheets
    penalties: dict[str, float]  # rule name -> weighted penalty, recomputed from the roster alone


def check_roster(plan: Plan, shifts: list[Assignment], pay_rows: list[dict], coverage_rows: list[dict] | None,
                 open_rows: list[dict] | None, weights: Weights = Weights(),
                 repair: Repair | None = None, cuts: tuple[Cut, ...] = ()) -> RosterCheck:
    """Every call into the independent checker: hard rules, pay codes, the Coverage and Open shifts sheets'
    rows (as read from a workbook, each with its sheet row number under "row"), and the penalties recomputed.
    `cuts`: the shifts call-outs cut short, as a repaired roster's Run sheet records them. Sheet rows None:
    the sheets are known to be stale (sheet Assignments edited since): pay codes and sheets are not checked.
    """
    center, horizon, requirements = plan.center, plan.horizon, plan.requirements
    case = RosterCase(tuple(shifts), center, plan.rules, requirements, plan.history, repair, cuts)
    violations = [*check_rules(case)]
    if coverage_rows is not None and open_rows is not None:
        violations += [
            *check_pay_codes(pay_rows, center, plan.rules, horizon),
            *check_coverage_sheet(coverage_rows, shifts, center, requirements, plan.history),
            *check_open_shifts(open_rows, shifts, center, requirements, plan.history),
        ]
    penalties = recompute_penalties(case, weights)
    return RosterCheck(tuple(violations), penalties)


@dataclass(frozen=True)
class Roster:
    """A solved and checked roster with the tables its workbook shows (the checker read them as sheet rows).
    """

    # The solver's result with its penalties, objective and gap recomputed from the roster itself.
    result: SolveResult
    # The independent check's findings: a roster with any is never published.
    violations: tuple[Violation, ...]
    summary: Summary  # key figures: staff, coverage, shortfall, overtime
    # The Assignments sheet: one row per shift and pay code (io.roster_xlsx.assignments_frame).
    pay: pd.DataFrame
    coverage: pd.DataFrame  # per hour and position (report.coverage_table)
    open_shifts: pd.DataFrame  # uncovered position-hours cut into template blocks (scheduler.open_shifts)
    payroll: Payroll  # pay lines and hours per week and pay period (payroll.payroll_tables)

    @property
    def passed(self) -> bool:
        return not self.violations


def sheet_rows(frame: pd.DataFrame) -> list[dict]:
    """Table rows as the checker reads them from a workbook, numbered as sheet rows (header is row 1)."""
    return [{**record, "row": number} for number, record in enumerate(frame.to_dict("records"), start=2)]


def build_roster(plan: Plan, settings: SolverSettings = SolverSettings(), weights: Weights = Weights(),
                 on_progress: Callable[[Progress], None] | None = None,
                 repair: Repair | None = None) -> Roster:
    """Solve the plan (or re-plan a published roster, `repair`), then check the roster independently and
    recompute its penalties."""
    data = ModelData(plan.center, plan.rules, plan.horizon, plan.requirements, repair, plan.history)
    return tabulate(plan, solve(data, weights, settings, on_progress), weights, repair)


def tabulate(plan: Plan, result: SolveResult, weights: Weights = Weights(), repair: Repair | None = None,
             cuts: tuple[Cut, ...] = ()) -> Roster:
    """A roster's tables from its shifts (a solve's, or a hand-edited roster's: `refresh`), checked
    independently, with the penalties, objective and gap recomputed from the roster itself."""
    center, horizon = plan.center, plan.horizon
    segments = pay_segments(result.assignments, center, plan.rules, horizon)
    coverage = coverage_table(result.assignments, center, plan.rules, plan.requirements, plan.history)
    summary = summarize(result.assignments, center, coverage, segments)
    pay = assignments_frame(segments, center, horizon)
    posted = open_shifts(coverage, result.assignments, center, plan.rules, horizon, plan.history)
    checked = check_roster(plan, list(result.assignments), sheet_rows(pay), sheet_rows(coverage),
                           sheet_rows(posted), weights, repair, cuts)
    result, overstated = _with_recomputed_penalties(result, checked.penalties)
    return Roster(result, (*checked.violations, *overstated), summary, pay, coverage, posted,
                  payroll_tables(segments, center, plan.rules, horizon))


def _with_recomputed_penalties(result: SolveResult,
                               recomputed: dict[str, float]) -> tuple[SolveResult, tuple[Violation, ...]]:
    """The solver's penalty variables are only bounded below, so before optimality they may overstate the
    roster's true cost; the roster's own numbers are published, and a cost above the solver's would be a model
    bug (returned as a violation)."""
    # A roster not from the solver (edited by hand: scheduler.edits) has no solver penalties to hold it to.
    solver = {name: result.penalties.get(name, math.inf) for name in recomputed}
    above = tuple(Violation("objective", "", name, f"solver {solver[name]:g}, recomputed {value:g}")
                  for name, value in recomputed.items() if value > solver[name] + 1e-6)
    objective = sum(recomputed.values())
    gap = 0.0 if result.proven_optimal else relative_gap(objective, result.best_bound)
    return replace(result, penalties=recomputed, objective=objective, gap=gap), above


def simulate_service(plan: Plan, roster: Roster, seed: int = 0) -> SimulatedService:
    """Simulated calls against the roster's call-takers on duty (report.simulate_roster)."""
    return simulate_roster(roster.result.assignments, plan.center, plan.rules, plan.requirements, seed,
                           plan.history)
