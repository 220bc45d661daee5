"""Trainee supervision (hard, rules/trainees.py): a trainee works only beside a CTO on the same day, shift and
position, one trainee per CTO; trainees never count toward coverage (variables.py)."""

import pytest

from scheduler.errors import SolveError
from scheduler.model.solve import solve
from tests.checked import OVER, SETTINGS, SHORT, solve_checked
from tests.factory import center, employee, hours, model_data


def trainee(eid: str, **kwargs):
    return employee(eid, job_class="trainee", **kwargs)


@pytest.mark.binds
def test_trainee_binds_paired_with_cto():
    # 7 days, no demand, trainee T and CTO C each have an 8 h floor: each works one shift, and T's must be C's
    # (same day, template, seat). Only C counts as staffing, so 8 overstaffed hours, not 16.
    c = center([trainee("T", contract_hours=8), employee("C", cto=True, contract_hours=8)])
    result = solve_checked(model_data(c, days=7))
    by_id = {a.employee_id: a for a in result.assignments}
    assert sorted(by_id) == ["C", "T"] and len(result.assignments) == 2
    assert (by_id["T"].day, by_id["T"].shift_code, by_id["T"].position) == (
        by_id["C"].day, by_id["C"].shift_code, by_id["C"].position)
    assert result.penalties[OVER] == 8


def test_trainee_binds_no_cto_means_no_roster():
    # T needs 8 h but the only other employee is not a CTO: the trainee can never work -> infeasible.
    c = center([trainee("T", contract_hours=8), employee("N", contract_hours=8)])
    with pytest.raises(SolveError, match="INFEASIBLE"):
        solve(model_data(c, days=7), settings=SETTINGS)


def test_trainee_flagged_cto_does_not_supervise():
    # A trainee with the CTO flag is still a trainee: it cannot supervise itself, so an 8 h floor is
    # infeasible.
    c = center([trainee("U", contract_hours=8, cto=True)])
    with pytest.raises(SolveError, match="INFEASIBLE"):
        solve(model_data(c, days=7), settings=SETTINGS)


def test_trainee_binds_one_trainee_per_cto():
    # Two trainees need one shift each; the CTO may work only 8 h (no overtime), i.e. one shift, and one CTO
    # supervises one trainee -> infeasible.
    c = center([trainee("T1", contract_hours=8), trainee("T2", contract_hours=8),
                employee("C", cto=True, contract_hours=8, max_overtime_hours=0)])
    with pytest.raises(SolveError, match="INFEASIBLE"):
        solve(model_data(c, days=7), settings=SETTINGS)


def test_trainee_slack_cto_with_two_shifts_supervises_both():
    # The CTO's floor is now 16 h: two CTO shifts, each with its own trainee; 16 overstaffed hours (the
    # CTO's).
    c = center([trainee("T1", contract_hours=8), trainee("T2", contract_hours=8),
                employee("C", cto=True, contract_hours=16, max_overtime_hours=0)])
    result = solve_checked(model_data(c, days=7))
    cto = {(a.day, a.shift_code, a.position) for a in result.assignments if a.employee_id == "C"}
    t1 = [(a.day, a.shift_code, a.position) for a in result.assignments if a.employee_id == "T1"]
    t2 = [(a.day, a.shift_code, a.position) for a in result.assignments if a.employee_id == "T2"]
    assert len(cto) == 2 and len(t1) == 1 and len(t2) == 1
    assert {t1[0], t2[0]} == cto
    assert result.penalties[OVER] == 16


def test_trainee_never_counts_toward_coverage():
    # Two seats needed 07-15, staff = one CTO and one trainee: the trainee's presence covers nothing,
    # so one seat (8 h) is short.
    c = center([trainee("T"), employee("C", cto=True)])
    data = model_data(c, days=1, required={"radio": [2 * v for v in hours(0, 7, 15, 24)]})
    result = solve_checked(data)
    assert [a.employee_id for a in result.assignments if a.employee_id == "C"] == ["C"]
    assert result.penalties[SHORT] == 8 * 1000
    assert result.penalties[OVER] == 0


@pytest.mark.slack
def test_trainee_slack_one_seat_covered_by_cto():
    # One seat needed: the CTO covers it, nothing short.
    c = center([trainee("T"), employee("C", cto=True)])
    result = solve_checked(model_data(c, days=1, required={"radio": hours(0, 7, 15, 24)}))
    assert [(a.employee_id, a.shift_code) for a in result.assignments
            if a.employee_id == "C"] == [("C", "D8")]
    assert result.penalties[SHORT] == 0
