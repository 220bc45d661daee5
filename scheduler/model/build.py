"""The CP-SAT roster model, built from the rule registry (registry.py) in its order: the one place the solve
and the explanation of an infeasible model both build it from."""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.objective import PenaltyTerm, weighted
from scheduler.model.registry import RULES, Rule
from scheduler.model.variables import RosterVars, add_variables
from scheduler.weights import Weights


def add_rule(rule: Rule, model: cp_model.CpModel, data: ModelData, roster: RosterVars,
             weights: Weights) -> list[PenaltyTerm]:
    """State one rule family in `model`; a soft one returns its named penalty terms."""
    if rule.soft:
        return list(rule.add(model, data, roster, weights))
    rule.add(model, data, roster)
    return []


def build_model(data: ModelData, weights: Weights) -> tuple[cp_model.CpModel, RosterVars, list[PenaltyTerm]]:
    model = cp_model.CpModel()
    roster = add_variables(model, data)
    terms = [term for rule in RULES for term in add_rule(rule, model, data, roster, weights)]
    model.minimize(weighted(terms))
    return model, roster, terms
