"""Weekly hours (rules/hours.py): hard max (contract + overtime cap), hard min on full weeks, soft
overtime."""

from datetime import time, timedelta

import pytest

from scheduler.domain import Leave, ShiftTemplate
from scheduler.errors import SolveError
from scheduler.model.solve import solve
from tests.checked import OT, OVER, SETTINGS, SHORT, add, shifts, solve_checked
from tests.factory import DAY8, START, center, employee, hours, model_data

DAY12 = ShiftTemplate("D12", time(7), 12, "Day 12")
DAILY_D8 = add(hours(0, 7, 15, 72), hours(1, 7, 15, 72), hours(2, 7, 15, 72))


# --- weekly maximum -----------------------------------------------------------------------------------------

@pytest.mark.binds
def test_max_hours_binds_partial_week():
    # Contract 16 h, no overtime allowed: at most 16 h = two D8s, even in a 3-day (partial) week.
    # Three D8s are needed, so one day (8 h) stays short; no overtime.
    c = center([employee("A", contract_hours=16, max_overtime_hours=0)])
    data = model_data(c, days=3, required={"radio": DAILY_D8})
    result = solve_checked(data)
    assert len(result.assignments) == 2
    assert result.penalties[SHORT] == 8 * 1000
    assert result.penalties[OT] == 0


def test_max_hours_slack_overtime_allowed_is_worked_and_penalized():
    # Same, with up to 8 overtime hours: A works all three (24 h), 8 h over contract cost 8 x 15 = 120,
    # far cheaper than 8 uncovered hours (8000).
    c = center([employee("A", contract_hours=16, max_overtime_hours=8)])
    data = model_data(c, days=3, required={"radio": DAILY_D8})
    result = solve_checked(data)
    assert shifts(result) == [("A", d, "D8", "radio") for d in range(3)]
    assert result.penalties[SHORT] == 0
    assert result.penalties[OT] == 8 * 15


def test_max_hours_default_cap_from_rules():
    # No per-employee cap: the center's 12 h cap applies. Contract 8 + 12 = 20 h -> two D8s at most.
    c = center([employee("A", contract_hours=8)])
    data = model_data(c, days=3, required={"radio": DAILY_D8})
    result = solve_checked(data)
    assert len(result.assignments) == 2
    assert result.penalties[SHORT] == 8 * 1000
    assert result.penalties[OT] == 8 * 15  # 16 h worked, 8 over contract


# --- overtime (soft) ----------------------------------------------------------------------------------------

def test_overtime_slack_within_contract():
    # Contract 24 h: three D8s are exactly the contract, no overtime.
    c = center([employee("A", contract_hours=24)])
    data = model_data(c, days=3, required={"radio": DAILY_D8})
    result = solve_checked(data)
    assert len(result.assignments) == 3
    assert result.penalties[OT] == 0


def test_overtime_avoided_when_a_colleague_has_room():
    # Two 16 h-contract people, three D8s: 2 + 1 shifts keeps both within contract, so no overtime.
    c = center([employee("A", contract_hours=16), employee("B", contract_hours=16)])
    data = model_data(c, days=3, required={"radio": DAILY_D8})
    result = solve_checked(data)
    per_person = sorted(sum(a.employee_id == e for a in result.assignments) for e in "AB")
    assert per_person == [1, 2]
    assert result.penalties[SHORT] == 0
    assert result.penalties[OT] == 0


def test_overtime_never_worked_without_need():
    # No demand: working would only cost overstaffing and overtime, so nobody works.
    c = center([employee("A", contract_hours=8)])
    result = solve_checked(model_data(c, days=3))
    assert result.assignments == ()
    assert set(result.penalties.values()) == {0}


# --- weekly minimum (full weeks only) -----------------------------------------------------------------------

def test_min_hours_binds_full_week():
    # 7 days, contract 20 h in 8 h shifts -> floor 16 h (rounded down to whole shifts): exactly two D8-length
    # shifts with no demand at all, i.e. 16 overstaffed position-hours; no overtime.
    c = center([employee("A", contract_hours=20)])
    data = model_data(c, days=7)
    result = solve_checked(data)
    assert len(result.assignments) == 2
    assert sum(a.hours for a in result.assignments) == 16
    assert result.penalties[OVER] == 16
    assert result.penalties[OT] == 0


def test_min_hours_binds_twelve_hour_rounding():
    # 40 h contract in 12 h shifts -> floor 36 h = three D12s (a fourth would be 48 h: 8 h overtime).
    c = center([employee("A", contract_hours=40, length=12)], shifts=(DAY8, DAY12))
    data = model_data(c, days=7)
    result = solve_checked(data)
    assert [a.shift_code for a in result.assignments] == ["D12"] * 3
    assert result.penalties[OVER] == 36
    assert result.penalties[OT] == 0


def test_min_hours_leave_credit():
    # Contract 20 (floor 16) with one leave day credited 8 h -> floor 8: one shift, not on the leave day.
    c = center([employee("A", contract_hours=20)], leave=(Leave("A", START, START, "vacation"),))
    data = model_data(c, days=7)
    result = solve_checked(data)
    assert len(result.assignments) == 1
    assert result.assignments[0].day != START
    assert result.penalties[OVER] == 8


def test_min_hours_leave_credit_clamped_at_zero():
    # Floor 16, three leave days (24 h credit): floor 0, nobody works.
    c = center([employee("A", contract_hours=20)],
               leave=(Leave("A", START, START + timedelta(days=2), "vacation"),))
    result = solve_checked(model_data(c, days=7))
    assert result.assignments == ()


def test_min_hours_slack_partial_week():
    # Six days is not a full week: no floor, and with no demand nobody works.
    c = center([employee("A", contract_hours=20)])
    result = solve_checked(model_data(c, days=6))
    assert result.assignments == ()
    assert set(result.penalties.values()) == {0}


@pytest.mark.slack
def test_min_hours_met_by_demand_without_extra_shifts():
    # Floor 16 and two D8s needed: the needed shifts satisfy the floor, no overstaffing.
    c = center([employee("A", contract_hours=20)])
    need = add(hours(0, 7, 15, 168), hours(3, 7, 15, 168))
    result = solve_checked(model_data(c, days=7, required={"radio": need}))
    assert shifts(result) == [("A", 0, "D8", "radio"), ("A", 3, "D8", "radio")]
    assert result.penalties[OVER] == 0


def test_min_hours_above_max_is_infeasible():
    # A bid no template matches: A can work nothing, yet the full-week floor is 16 h -> no roster.
    c = center([employee("A", contract_hours=20, shift_codes=("X",))])
    with pytest.raises(SolveError, match="INFEASIBLE"):
        solve(model_data(c, days=7), settings=SETTINGS)
