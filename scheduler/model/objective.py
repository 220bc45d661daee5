"""Named penalty terms returned by soft rules, and their weighted sum (the objective)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ortools.sat.python import cp_model


@dataclass(frozen=True)
class PenaltyTerm:
    """One named part of the objective: weight x amount."""

    name: str
    weight: int
    amount: cp_model.LinearExprT


def weighted(terms: Iterable[PenaltyTerm]) -> cp_model.LinearExprT:
    """The terms' weighted sum, as the objective counts them."""
    return sum(t.weight * t.amount for t in terms)
