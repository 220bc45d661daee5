"""Hard rules enforced by construction in variables.py: qualification, approved leave, shift templates /
bids."""

from datetime import time, timedelta

from ortools.sat.python import cp_model

from scheduler.domain import Leave, ShiftTemplate
from scheduler.model.variables import add_variables
from tests.checked import OVER, SHORT, add, shifts, solve_checked
from tests.factory import CALLS, DAY8, EVE8, RADIO, START, center, employee, hours, model_data

DAY12 = ShiftTemplate("D12", time(7), 12, "Day 12")


# --- qualification ------------------------------------------------------------------------------------------

def test_qualification_binds_no_variable_for_unqualified_position():
    # A holds only RAD: no variable may put A on the call-taker seat (qualification CT).
    c = center([employee("A", "RAD")], positions=(RADIO, CALLS))
    data = model_data(c, days=1)
    keys = add_variables(cp_model.CpModel(), data).x
    assert {k[3] for k in keys} == {"radio"}
    assert len(keys) == 3  # one day x three 8 h templates x the radio seat


def test_qualification_binds_unqualified_employee_leaves_seat_open():
    # Call-taker seat needed 07-15; the only employee is radio-only, so all 8 seat-hours stay uncovered
    # and (nothing needed on radio) A is better off not working at all.
    c = center([employee("A", "RAD")], positions=(RADIO, CALLS))
    data = model_data(c, days=1, required={"ct": hours(0, 7, 15, 24)})
    result = solve_checked(data)
    assert result.assignments == ()
    assert result.penalties[SHORT] == 8 * 1000
    assert result.penalties[OVER] == 0


def test_qualification_slack_each_seat_gets_the_qualified_person():
    # Both seats needed 07-15. A is radio-only, B call-taker-only: the only full cover is A radio, B ct.
    c = center([employee("A", "RAD"), employee("B", "CT")], positions=(RADIO, CALLS))
    need = hours(0, 7, 15, 24)
    data = model_data(c, days=1, required={"radio": need, "ct": need})
    result = solve_checked(data)
    assert shifts(result) == [("A", 0, "D8", "radio"), ("B", 0, "D8", "ct")]
    assert result.penalties[SHORT] == 0


def test_qualification_slack_dual_qualified_covers_call_taking():
    # Same as the binding case but A also holds CT: A works the D8 on ct and nothing is short.
    c = center([employee("A", "RAD,CT")], positions=(RADIO, CALLS))
    data = model_data(c, days=1, required={"ct": hours(0, 7, 15, 24)})
    result = solve_checked(data)
    assert shifts(result) == [("A", 0, "D8", "ct")]
    assert result.penalties[SHORT] == 0


# --- approved leave -----------------------------------------------------------------------------------------

def test_leave_binds_no_shift_on_leave_day():
    # D8 needed on both days; A is on leave day 0, so A covers day 1 only and day 0's 8 hours are short.
    c = center([employee("A")], leave=(Leave("A", START, START, "vacation"),))
    need = add(hours(0, 7, 15, 48), hours(1, 7, 15, 48))
    data = model_data(c, days=2, required={"radio": need})
    result = solve_checked(data)
    assert shifts(result) == [("A", 1, "D8", "radio")]
    assert result.penalties[SHORT] == 8 * 1000
    assert not any(k[1] == 0 for k in add_variables(cp_model.CpModel(), data).x)


def test_leave_binds_colleague_covers():
    # A on leave day 0, B is not: B works the D8 and nothing is short.
    c = center([employee("A"), employee("B")], leave=(Leave("A", START, START, "sick"),))
    data = model_data(c, days=1, required={"radio": hours(0, 7, 15, 24)})
    result = solve_checked(data)
    assert shifts(result) == [("B", 0, "D8", "radio")]
    assert result.penalties[SHORT] == 0


def test_leave_slack_outside_the_horizon():
    # Leave the day after a 2-day plan: A works both D8s.
    day2 = START + timedelta(days=2)
    c = center([employee("A")], leave=(Leave("A", day2, day2, "vacation"),))
    need = add(hours(0, 7, 15, 48), hours(1, 7, 15, 48))
    data = model_data(c, days=2, required={"radio": need})
    result = solve_checked(data)
    assert shifts(result) == [("A", 0, "D8", "radio"), ("A", 1, "D8", "radio")]
    assert result.penalties[SHORT] == 0


# --- shift templates and bids -------------------------------------------------------------------------------

def test_shift_length_binds_eight_hour_person_cannot_work_twelve():
    # 07-19 needed; A works 8 h shifts, so only D8 (07-15) is allowed: 4 hours short (15-19), none over.
    c = center([employee("A", length=8)], shifts=(DAY8, DAY12))
    data = model_data(c, days=1, required={"radio": hours(0, 7, 19, 24)})
    result = solve_checked(data)
    assert shifts(result) == [("A", 0, "D8", "radio")]
    assert result.penalties[SHORT] == 4 * 1000
    assert result.penalties[OVER] == 0


def test_shift_length_slack_twelve_hour_person_works_d12():
    # Same demand, A works 12 h shifts: D12 covers 07-19 exactly.
    c = center([employee("A", length=12)], shifts=(DAY8, DAY12))
    data = model_data(c, days=1, required={"radio": hours(0, 7, 19, 24)})
    result = solve_checked(data)
    assert shifts(result) == [("A", 0, "D12", "radio")]
    assert result.penalties[SHORT] == 0


def test_bid_binds_only_bid_shift_worked():
    # D8 needed; A bid E8 only, so A cannot cover it (and E8 would only add overstaffing): 8 hours short.
    c = center([employee("A", shift_codes=("E8",))])
    data = model_data(c, days=1, required={"radio": hours(0, 7, 15, 24)})
    result = solve_checked(data)
    assert result.assignments == ()
    assert result.penalties[SHORT] == 8 * 1000
    assert {k[2] for k in add_variables(cp_model.CpModel(), data).x} == {"E8"}


def test_bid_slack_bid_matches_demand():
    # Evening needed, A bid E8: A works it.
    c = center([employee("A", shift_codes=("E8",))], shifts=(DAY8, EVE8))
    data = model_data(c, days=1, required={"radio": hours(0, 15, 23, 24)})
    result = solve_checked(data)
    assert shifts(result) == [("A", 0, "E8", "radio")]
    assert result.penalties[SHORT] == 0


def test_bid_overrides_shift_length():
    # An 8 h person who bid D12 may work it (the bid list replaces the shift-length test).
    c = center([employee("A", length=8, shift_codes=("D12",))], shifts=(DAY8, DAY12))
    data = model_data(c, days=1, required={"radio": hours(0, 7, 19, 24)})
    result = solve_checked(data)
    assert shifts(result) == [("A", 0, "D12", "radio")]
    assert result.penalties[SHORT] == 0
