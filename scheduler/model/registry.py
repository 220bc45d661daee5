"""The rule registry: every rule family once, as data: its name (its module in model/rules/ and in
checker/), whether it is hard, soft or both, the model function that states it and the checker functions that
verify it.

The model is built from it in its order (build.py); the explanation of an infeasible model groups
constraints by its names (explain.py); the independent check of a roster runs every rule's check and
recomputes every soft term through it (check_rules, recompute_penalties). The checker sits below the
model: it never imports the model nor OR-Tools, so the registry, not the checker, pairs them.

Adding a rule: a module in model/rules/ with its add_<rule>, one in checker/ with its check_<rule> and/or
penalty_<rule>, a line here, and tests/test_rule_<name>.py with tests where it binds and where it is slack
(tests/test_rule_registry.py insists on each).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scheduler.checker.assignments import check_assignments
from scheduler.checker.case import RosterCase
from scheduler.checker.consecutive import check_max_consecutive_days
from scheduler.checker.coverage import penalty_coverage
from scheduler.checker.daily import check_one_shift_per_day
from scheduler.checker.days_off import check_min_days_off
from scheduler.checker.fairness import penalty_fairness
from scheduler.checker.fatigue import check_max_hours_in_24
from scheduler.checker.hours import check_weekly_hours, penalty_weekly_hours
from scheduler.checker.nights import check_max_consecutive_nights
from scheduler.checker.overtime_budget import check_overtime_budget
from scheduler.checker.patterns import check_fixed_patterns
from scheduler.checker.pinned import check_pinned_assignments
from scheduler.checker.plan_limits import check_plan_limits
from scheduler.checker.preferences import penalty_shift_preferences
from scheduler.checker.repair import check_repair, penalty_repair
from scheduler.checker.requests import penalty_day_off_requests
from scheduler.checker.rest import check_min_rest
from scheduler.checker.rotation import check_forbidden_successions
from scheduler.checker.shift_cover import penalty_shift_cover
from scheduler.checker.stability import penalty_start_stability
from scheduler.checker.trainees import check_trainee_supervision
from scheduler.checker.vacancy_caps import check_vacancy_caps
from scheduler.checker.weekends import check_weekend_off
from scheduler.checker.work_blocks import check_work_blocks
from scheduler.domain import Violation
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
from scheduler.model.rules.plan_limits import add_plan_limits
from scheduler.model.rules.preferences import add_shift_preferences
from scheduler.model.rules.repair import add_repair
from scheduler.model.rules.requests import add_day_off_requests
from scheduler.model.rules.rest import add_min_rest
from scheduler.model.rules.rotation import add_forbidden_successions
from scheduler.model.rules.shift_cover import add_shift_cover
from scheduler.model.rules.stability import add_start_stability
from scheduler.model.rules.trainees import add_trainee_supervision
from scheduler.model.rules.vacancy_caps import add_vacancy_caps
from scheduler.model.rules.weekends import add_weekend_off
from scheduler.model.rules.work_blocks import add_work_blocks
from scheduler.weights import TERMS, Weights


@dataclass(frozen=True)
class Rule:
    """One rule family. `add(model, data, vars)` states a hard rule; a soft one's `add(model, data, vars,
    weights)` returns its named penalty terms (a rule both hard and soft does both). `check(case)` lists the
    roster's violations of its hard part, `penalty(case, weights)` recomputes its soft terms from the
    roster."""

    name: str
    add: Callable
    check: Callable | None = None
    penalty: Callable | None = None

    @property
    def hard(self) -> bool:
        return self.check is not None

    @property
    def soft(self) -> bool:
        return self.penalty is not None


# In the order the model adds them: add_overtime_budget and add_fairness use the overtime variables that
# add_weekly_hours makes. The checks report in this order too.
RULES: tuple[Rule, ...] = (
    Rule("daily", add_one_shift_per_day, check=check_one_shift_per_day),
    Rule("rest", add_min_rest, check=check_min_rest),
    Rule("fatigue", add_max_hours_in_24, check=check_max_hours_in_24),
    Rule("consecutive", add_max_consecutive_days, check=check_max_consecutive_days),
    Rule("trainees", add_trainee_supervision, check=check_trainee_supervision),
    Rule("days_off", add_min_days_off, check=check_min_days_off),
    Rule("nights", add_max_consecutive_nights, check=check_max_consecutive_nights),
    Rule("weekends", add_weekend_off, check=check_weekend_off),
    Rule("rotation", add_forbidden_successions, check=check_forbidden_successions),
    Rule("patterns", add_fixed_patterns, check=check_fixed_patterns),
    Rule("vacancy_caps", add_vacancy_caps, check=check_vacancy_caps),
    Rule("pinned", add_pinned_assignments, check=check_pinned_assignments),
    Rule("plan_limits", add_plan_limits, check=check_plan_limits),
    Rule("work_blocks", add_work_blocks, check=check_work_blocks),
    Rule("coverage", add_coverage, penalty=penalty_coverage),
    Rule("shift_cover", add_shift_cover, penalty=penalty_shift_cover),
    Rule("hours", add_weekly_hours, check=check_weekly_hours, penalty=penalty_weekly_hours),
    Rule("requests", add_day_off_requests, penalty=penalty_day_off_requests),
    Rule("preferences", add_shift_preferences, penalty=penalty_shift_preferences),
    Rule("stability", add_start_stability, penalty=penalty_start_stability),
    Rule("overtime_budget", add_overtime_budget, check=check_overtime_budget),
    Rule("fairness", add_fairness, penalty=penalty_fairness),
    Rule("repair", add_repair, check=check_repair, penalty=penalty_repair),
)


def check_rules(case: RosterCase) -> list[Violation]:
    """Every hard rule of the roster in `case`: the assignments one by one (check_assignments: known ids, the
    plan's days, shift templates and bids, qualification, leave; the model states these in its variables),
    then each rule's check, in the registry's order."""
    hard = (found for rule in RULES if rule.check for found in rule.check(case))
    return [*check_assignments(case), *hard]


def recompute_penalties(case: RosterCase, weights: Weights) -> dict[str, float]:
    """The objective from the roster alone (and, for coverage, the previous roster's shifts that run into the
    plan), with the names the solver's breakdown uses, in the order reports list them (weights.TERMS)."""
    terms = (rule.penalty(case, weights) for rule in RULES if rule.penalty)
    found = {name: value for each in terms for name, value in each.items()}
    return dict(sorted(found.items(), key=lambda item: TERMS.index(item[0])))
