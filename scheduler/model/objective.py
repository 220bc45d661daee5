"""Objective weights (all in one place) and named penalty terms returned by soft rules."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model


@dataclass(frozen=True)
class Weights:
    """Cost per unit of each soft rule. Shortfall dwarfs the rest: an uncovered seat-hour is never traded for
    comfort, but a covered one is worth an 8-hour overtime shift (8 x 15 < 1000)."""

    shortfall: int = 1000  # per uncovered position-hour
    overstaffing: int = 1  # per scheduled position-hour above the requirement
    overtime: int = 15  # per overtime hour
    day_off_request: int = 40  # per denied request, times its weight (1-5)


@dataclass(frozen=True)
class PenaltyTerm:
    """One named part of the objective: weight x amount."""

    name: str
    weight: int
    amount: cp_model.LinearExprT
