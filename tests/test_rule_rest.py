"""Minimum rest between shifts (hard)."""

import pytest

from scheduler.model.registry import check_rules
from scheduler.model.settings import SolverSettings
from scheduler.model.solve import solve
from tests.checked import case_of
from tests.factory import center, employee, hours, model_data, rules

SETTINGS = SolverSettings(time_limit_s=10, workers=1)


@pytest.mark.binds
def test_rest_binds_evening_then_day():
    # One employee, demand E8 on day 0 (15-23) and D8 on day 1 (07-15): only 8 h apart, below the 10 h rest.
    # So only one of the two can be worked: 8 of the 16 required hours stay uncovered.
    c = center([employee("A")])
    need = [a or b for a, b in zip(hours(0, 15, 23, 48), hours(1, 7, 15, 48), strict=True)]
    data = model_data(c, days=2, required={"radio": need})
    result = solve(data, settings=SETTINGS)
    assert len(result.assignments) == 1
    assert result.penalties["Uncovered position-hours"] == 8 * 1000
    assert check_rules(case_of(data, result.assignments)) == []


@pytest.mark.slack
def test_rest_slack_when_rule_is_eight_hours():
    # Same demand with an 8 h rest rule: E8 then D8 (exactly 8 h apart) is allowed, all 16 hours covered. (No
    # holdover reserve: with one, the 16 h in 24 cap would bind instead, see test_rule_fatigue.py.)
    c = center([employee("A")])
    need = [a or b for a, b in zip(hours(0, 15, 23, 48), hours(1, 7, 15, 48), strict=True)]
    data = model_data(c, days=2, required={"radio": need}, r=rules(min_rest_hours=8, holdover_hours=0))
    result = solve(data, settings=SETTINGS)
    assert [a.shift_code for a in result.assignments] == ["E8", "D8"]
    assert result.penalties["Uncovered position-hours"] == 0
