"""Independent roster checker: recomputes every hard rule and the objective from the roster alone.

It shares only the validated inputs with the model (never the solver or the model's constraint code), so a
roster edited by hand, or a model bug, shows up here. Each rule is re-derived in its plainest form: sort the
shifts and look. One module per rule family, named as the model's (scheduler/model/rules/): each hard rule a
`check_<rule>(case) -> list[Violation]`, each soft rule a `penalty_<rule>(case, weights) -> dict[str, float]`
of its named terms (scheduler/weights.py), all reading one RosterCase (case.py). The rule registry
(scheduler/model/registry.py) pairs each with the model function of its rule and runs them all (check_rules,
recompute_penalties): the checker itself never imports the model.
"""

from __future__ import annotations

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
from scheduler.checker.sheets import check_coverage_sheet, check_open_shifts, check_pay_codes
from scheduler.checker.shift_cover import penalty_shift_cover
from scheduler.checker.stability import penalty_start_stability
from scheduler.checker.trainees import check_trainee_supervision
from scheduler.checker.vacancy_caps import check_vacancy_caps
from scheduler.checker.weekends import check_weekend_off
from scheduler.checker.work_blocks import check_work_blocks
from scheduler.domain import Violation

__all__ = [
    "RosterCase", "Violation", "check_assignments", "check_coverage_sheet",
    "check_fixed_patterns", "check_forbidden_successions", "check_max_consecutive_days",
    "check_max_consecutive_nights", "check_max_hours_in_24", "check_min_days_off", "check_min_rest",
    "check_one_shift_per_day", "check_open_shifts", "check_overtime_budget", "check_pay_codes",
    "check_pinned_assignments", "check_plan_limits", "check_repair", "check_trainee_supervision",
    "check_vacancy_caps", "check_weekend_off", "check_weekly_hours", "check_work_blocks", "penalty_coverage",
    "penalty_day_off_requests", "penalty_fairness", "penalty_repair", "penalty_shift_cover",
    "penalty_shift_preferences", "penalty_start_stability", "penalty_weekly_hours",
]
