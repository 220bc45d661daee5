"""Repair of a published roster (rules/repair.py): the past stays, later shifts change only to buy
coverage."""

from dataclasses import replace
from datetime import timedelta

import pytest

from scheduler.domain import Assignment, Leave, Repair
from scheduler.weights import CHANGES
from tests.checked import SHORT, add, shifts, solve_checked
from tests.factory import START, center, employee, hours, model_data

# Radio needs D8 on day 0 and day 1; A was published on both, B was off.
NEED = add(hours(0, 7, 15, 48), hours(1, 7, 15, 48))


def published(data, *keys):
    result = []
    for employee_id, day, code in keys:
        start, end = data.horizon.shift_window(day, data.center.shifts_by_code[code])
        result.append(Assignment(employee_id, data.horizon.day(day), code, "radio", start, end))
    return tuple(result)


def repaired(staff, leave=(), now_hours=0, volunteers=frozenset()):
    data = model_data(center(staff, leave=leave), days=2, required={"radio": NEED})
    roster = published(data, ("A", 0, "D8"), ("A", 1, "D8"))
    now = data.horizon.local_midnight(0) + timedelta(hours=now_hours)
    return solve_checked(replace(data, repair=Repair(roster, now, frozenset(volunteers))))


@pytest.mark.binds
def test_repair_binds_a_call_out_is_covered_by_calling_someone_in():
    # A calls out on day 1 (leave): B is called in for that D8. Changes: A's day-1 shift dropped (forced,
    # 1500) and B's new shift (a volunteer: 500); nothing short.
    result = repaired([employee("A"), employee("B")], leave=(Leave("A", START + timedelta(days=1),
                                                                   START + timedelta(days=1), "CALLOUT"),),
                      volunteers={"B"})
    assert shifts(result) == [("A", 0, "D8", "radio"), ("B", 1, "D8", "radio")]
    assert result.penalties[CHANGES] == 1500 + 500 and result.penalties[SHORT] == 0


def test_repair_is_slack_without_call_outs_nothing_changes():
    # No call-out: the published roster already covers everything, so the repair keeps it as it is.
    result = repaired([employee("A"), employee("B")])
    assert shifts(result) == [("A", 0, "D8", "radio"), ("A", 1, "D8", "radio")]
    assert result.penalties[CHANGES] == 0


@pytest.mark.slack
def test_repair_slack_when_the_published_roster_is_the_only_best_one():
    # A alone, published on both needed D8s, no call-out: nobody else could cover either day, so the roster
    # solved afresh (no repair) is the published one too. The rule, in force, changes nothing: no change,
    # nothing short, the same roster.
    result = repaired([employee("A")])
    afresh = solve_checked(model_data(center([employee("A")]), days=2, required={"radio": NEED}))
    assert shifts(result) == shifts(afresh) == [("A", 0, "D8", "radio"), ("A", 1, "D8", "radio")]
    assert result.penalties[CHANGES] == 0 and result.penalties[SHORT] == 0

def test_the_past_stays_even_when_a_change_would_help():
    # A calls out on day 0, but it is already 10:00 on day 0: A's day-0 shift started at 07:00 and is past.
    # Leave on that day removes the variable, so the past shift cannot be kept and day 0 stays short from
    # 07:00 to 15:00, and B cannot be called in to a shift that started before now.
    result = repaired([employee("A"), employee("B")],
                      leave=(Leave("A", START, START, "CALLOUT"),), now_hours=10)
    assert ("B", 0, "D8", "radio") not in shifts(result)
    assert result.penalties[SHORT] == 8 * 1000
