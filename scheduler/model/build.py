"""The CP-SAT roster model, built from the rule modules: the one place the solve and the explanation of an
infeasible model both build it from."""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.objective import PenaltyTerm, weighted
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
from scheduler.weights import Weights

# Every rule family, in the order the model adds them: add_overtime_budget and add_fairness use the overtime
# variables that add_weekly_hours makes. Soft rules take the weights and return their penalty terms.
RULES: tuple[Callable, ...] = (
    add_one_shift_per_day,
    add_min_rest,
    add_max_hours_in_24,
    add_max_consecutive_days,
    add_trainee_supervision,
    add_min_days_off,
    add_max_consecutive_nights,
    add_weekend_off,
    add_forward_rotation,
    add_fixed_patterns,
    add_vacancy_caps,
    add_pinned_assignments,
    add_coverage,
    add_weekly_hours,
    add_day_off_requests,
    add_shift_preferences,
    add_start_stability,
    add_overtime_budget,
    add_fairness,
    add_repair,
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
    model.minimize(weighted(terms))
    return model, roster, terms
