"""Center-wide overtime hours per workweek at most `overtime_budget_hours` (hard, rules/overtime_budget.py).
"""

import pytest
from ortools.sat.python import cp_model

from scheduler.model.build import build_model
from scheduler.model.registry import check_rules
from scheduler.model.rules.overtime_budget import add_overtime_budget
from scheduler.model.variables import add_variables
from scheduler.weights import Weights
from tests.checked import OT, SHORT, add, case_of, solve_checked
from tests.factory import center, employee, hours, model_data, rules

# Two seats 07-15 on each of 3 days: six D8s (48 h). A and B: 16 h contract + up to 8 h overtime each, so each
# can work all three days (24 h, 8 h overtime) and together they cover everything with 16 overtime hours.
TWO_SEATS = add(*(hours(d, 7, 15, 72) for d in range(3) for _ in range(2)))
STAFF = [employee("A", contract_hours=16, max_overtime_hours=8),
         employee("B", contract_hours=16, max_overtime_hours=8)]


def test_overtime_budget_slack_when_off():
    # No budget (the default): all six D8s, 16 overtime hours (16 x 15 = 240), nothing short.
    result = solve_checked(model_data(center(STAFF), days=3, required={"radio": TWO_SEATS}))
    assert len(result.assignments) == 6
    assert result.penalties[SHORT] == 0
    assert result.penalties[OT] == 16 * 15


@pytest.mark.slack
def test_overtime_budget_slack_when_it_covers_the_need():
    # A budget of 16 h is exactly the overtime needed: same roster as without a budget.
    data = model_data(center(STAFF), days=3, required={"radio": TWO_SEATS}, r=rules(overtime_budget_hours=16))
    result = solve_checked(data)
    assert len(result.assignments) == 6
    assert result.penalties[OT] == 16 * 15


@pytest.mark.binds
def test_overtime_budget_binds_one_overtime_shift():
    # Budget 12 h center-wide: only one of the two may work a third D8 (8 h overtime; a second would make 16 >
    # 12), so five D8s are worked and one (8 h) stays short.
    data = model_data(center(STAFF), days=3, required={"radio": TWO_SEATS}, r=rules(overtime_budget_hours=12))
    result = solve_checked(data)
    assert len(result.assignments) == 5
    assert result.penalties[SHORT] == 8 * 1000
    assert result.penalties[OT] == 8 * 15


def test_overtime_budget_binds_zero_forbids_overtime():
    # Budget 0: both stay within their 16 h contracts, two D8s each; two D8s (16 h) stay short.
    data = model_data(center(STAFF), days=3, required={"radio": TWO_SEATS}, r=rules(overtime_budget_hours=0))
    result = solve_checked(data)
    assert len(result.assignments) == 4
    assert result.penalties[SHORT] == 2 * 8 * 1000
    assert result.penalties[OT] == 0


def test_checker_flags_overtime_over_budget():
    # The roster of the unbudgeted case (16 overtime hours) checked against a 12 h budget: one violation, week
    # 1.
    free = model_data(center(STAFF), days=3, required={"radio": TWO_SEATS})
    roster = list(solve_checked(free).assignments)
    found = check_rules(case_of(free, roster, rules=rules(overtime_budget_hours=12)))
    assert [(v.rule, v.when) for v in found] == [("overtime budget", "week 1")]


def test_overtime_budget_needs_the_weekly_hours_rule_first():
    # build_model adds the budget after add_weekly_hours made the overtime variables; out of order it refuses.
    data = model_data(center(STAFF), days=3, r=rules(overtime_budget_hours=0))
    model = cp_model.CpModel()
    with pytest.raises(RuntimeError, match="add_weekly_hours"):
        add_overtime_budget(model, data, add_variables(model, data))
    build_model(data, Weights())  # in order: fine
