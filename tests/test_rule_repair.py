"""Repair of a published roster (rules/repair.py): the past stays, later shifts change only to buy
coverage."""

from dataclasses import replace
from datetime import timedelta

import pytest

from scheduler.domain import Assignment, Cut, Leave, Repair
from scheduler.weights import CHANGES
from tests.checked import OVER, SHORT, add, shifts, solve_checked
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


def _cut_repair(staff, cut_hour, now_hours):
    """A's published D8 on day 0 (07-15) cut by a call-out at `cut_hour`, the repair starting at
    `now_hours`; radio needs D8 on days 0 and 1."""
    data = model_data(center(staff), days=2, required={"radio": NEED})
    midnight = data.horizon.local_midnight(0)
    cut = Cut("A", START, midnight + timedelta(hours=cut_hour))
    repair = Repair(published(data, ("A", 0, "D8"), ("A", 1, "D8")), midnight + timedelta(hours=now_hours),
                    cuts=(cut,))
    return solve_checked(replace(data, repair=repair))


def test_a_call_out_during_a_worked_shift_keeps_the_hours_worked():
    # It is 10:00 and A, on D8 since 07:00, calls out now. A keeps 07:00-10:00 (covered, paid: the shift ends
    # at the call-out; the checker accepts it because the repair records the cut); 10:00-15:00 is open and
    # nobody can be called in to a shift that started at 07:00: 5 position-hours short, not the 8 of dropping
    # the whole shift (test_the_past_stays_even_when_a_change_would_help).
    result = _cut_repair([employee("A"), employee("B")], cut_hour=10, now_hours=10)
    day0 = next(a for a in result.assignments if a.day == START)
    assert (day0.employee_id, day0.start.hour, day0.end.hour, day0.hours) == ("A", 7, 10, 3.0)
    assert result.penalties[SHORT] == 5 * 1000 and result.penalties[CHANGES] == 0


@pytest.mark.binds
def test_a_cut_shift_covers_only_until_the_call_out_so_someone_is_called_in():
    # At midnight A says they must leave D8 at 10:00. A's 07:00-10:00 stays; the rest is open, so B is called
    # in to day 0's D8 (a change, 1500): B's 07:00-10:00 overlaps A's (3 position-hours overstaffed) and
    # covers 10:00-15:00. Were the cut shift counted whole, nobody would be called in.
    result = _cut_repair([employee("A"), employee("B")], cut_hour=10, now_hours=0)
    assert shifts(result) == [("A", 0, "D8", "radio"), ("A", 1, "D8", "radio"), ("B", 0, "D8", "radio")]
    assert result.penalties[SHORT] == 0 and result.penalties[OVER] == 3 and result.penalties[CHANGES] == 1500
