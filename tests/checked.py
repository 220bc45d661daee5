"""Shared helper for rule tests: solve a tiny center and cross-check the roster with the independent
checker."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from scheduler.checker import RosterCase
from scheduler.domain import Assignment
from scheduler.model.data import ModelData
from scheduler.model.registry import check_rules, recompute_penalties
from scheduler.model.settings import SolverSettings
from scheduler.model.solve import SolveResult, solve
from scheduler.weights import Weights
from tests.factory import START

SETTINGS = SolverSettings(time_limit_s=10, workers=1)
SHORT, OVER, OT, REQUESTS = ("Uncovered position-hours", "Overstaffed position-hours", "Overtime hours",
                             "Day-off requests denied (weighted)")
AVOIDED, UNMET = "Avoided shifts worked (weighted)", "Preferred shifts not granted (weighted)"


def solve_checked(data: ModelData, weights: Weights = Weights(), settings: SolverSettings = SETTINGS,
                  optimal: bool = True) -> SolveResult:
    """Solve, then demand that the checker finds no hard-rule violation and recomputes the same penalties."""
    result = solve(data, weights, settings)
    if optimal:
        assert result.proven_optimal, result.status
    case = case_of(data, result.assignments)
    assert check_rules(case) == []
    assert recompute_penalties(case, weights) == result.penalties
    return result


def case_of(data: ModelData, roster: Iterable[Assignment], **changes) -> RosterCase:
    """The checker's case of a roster for the model's inputs, with `changes` (other rules, history=None,
    ...)."""
    case = RosterCase(tuple(roster), data.center, data.rules, data.requirements, data.history, data.repair)
    return replace(case, **changes)


def add(*shapes: list[int]) -> list[int]:
    """Element-wise sum of requirement shapes (see factory.hours)."""
    return [sum(values) for values in zip(*shapes, strict=True)]


def shifts(result: SolveResult) -> list[tuple[str, int, str, str]]:
    """(employee, day index, shift code, position) of every assignment, sorted."""
    return sorted((a.employee_id, (a.day - START).days, a.shift_code, a.position) for a in result.assignments)
