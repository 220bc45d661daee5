"""A previous roster's last days carry into the plan (ModelData.history): each rule on days or hours in a row binds
across the plan's start, and is slack without the history (the plan then a cycle) or with a harmless one."""

from datetime import time

from scheduler.checker import check_shifts
from scheduler.domain import Assignment, ShiftTemplate
from tests.checked import SHORT, shifts, solve_checked
from tests.factory import DAY8, EVE8, NIGHT8, START, center, employee, hours, model_data, rules

MON_D8 = {"radio": hours(0, 7, 15, 24)}  # a one-day plan: D8 Mon 07:00-15:00 needed
MON_N8 = {"radio": [1] * 7 + [0] * 16 + [1]}  # N8 Mon 23:00-Tue 07:00 (past the end wraps to Mon morning)
DAY12 = ShiftTemplate("D12", time(7), 12, "Day 12")
NIGHT12 = ShiftTemplate("N12", time(19), 12, "Night 12")
MON_D12 = {"radio": hours(0, 7, 19, 24)}


def worked(data) -> list[tuple[str, int, str, str]]:
    return shifts(solve_checked(data))


def test_rest_binds_across_the_plans_start():
    # E8 Sun 15:00-23:00 before the plan: D8 Mon 07:00 is 8 h later, under the 10 h rest: off, 8 h short.
    result = solve_checked(model_data(center([employee("A")]), required=MON_D8, past=(("A", -1, EVE8, 0),)))
    assert result.assignments == () and result.penalties[SHORT] == 8 * 1000
    # Without history (a one-day cycle) or with a Sun D8 (16 h rest) the D8 is worked.
    assert worked(model_data(center([employee("A")]), required=MON_D8)) == [("A", 0, "D8", "radio")]
    assert worked(model_data(center([employee("A")]), required=MON_D8, past=(("A", -1, DAY8, 0),))) == [
        ("A", 0, "D8", "radio")]


def test_rest_counts_the_recorded_holdover():
    # D8 Sun 07:00-15:00 held over 7 h (to 22:00): 9 h of rest before Mon 07:00, under 10: off.
    data = model_data(center([employee("A")]), required=MON_D8, past=(("A", -1, DAY8, 7),))
    assert worked(data) == []


def test_consecutive_days_count_the_trailing_run():
    # Limit 2 days in a row: Sat and Sun worked before the plan, so Mon is off (8 h short); a one-day cycle alone
    # holds no run of 3 and Mon is worked; with only Sun worked, Mon makes 2 in a row: worked.
    r = rules(max_consecutive_days=2)
    c = center([employee("A")], shifts=(DAY8,))
    both = (("A", -2, DAY8, 0), ("A", -1, DAY8, 0))
    assert worked(model_data(c, required=MON_D8, r=r, past=both)) == []
    assert worked(model_data(c, required=MON_D8, r=r)) == [("A", 0, "D8", "radio")]
    assert worked(model_data(c, required=MON_D8, r=r, past=both[1:])) == [("A", 0, "D8", "radio")]


def test_consecutive_nights_count_the_trailing_run():
    # Limit 2 nights in a row: N8 Sat and Sun before the plan, so no N8 Mon; D8s Sat and Sun do not count.
    r = rules(max_consecutive_nights=2)
    c = center([employee("A")], shifts=(NIGHT8,))
    assert worked(model_data(c, required=MON_N8, r=r, past=(("A", -2, NIGHT8, 0), ("A", -1, NIGHT8, 0)))) == []
    assert worked(model_data(c, required=MON_N8, r=r)) == [("A", 0, "N8", "radio")]
    days = (("A", -2, DAY8, 0), ("A", -1, DAY8, 0))
    assert worked(model_data(c, required=MON_N8, r=r, past=days)) == [("A", 0, "N8", "radio")]


def test_days_off_after_the_previous_roster():
    # At least 2 days off in a row: worked Sat, off Sun, so Mon must stay off (1 day off would sit between two
    # work days); worked Fri, off Sat and Sun: Mon is worked; no history: a one-day cycle is not constrained.
    r = rules(min_days_off=2)
    c = center([employee("A")], shifts=(DAY8,))
    assert worked(model_data(c, required=MON_D8, r=r, past=(("A", -2, DAY8, 0),))) == []
    assert worked(model_data(c, required=MON_D8, r=r, past=(("A", -3, DAY8, 0),))) == [("A", 0, "D8", "radio")]
    assert worked(model_data(c, required=MON_D8, r=r)) == [("A", 0, "D8", "radio")]


def test_fatigue_binds_across_the_plans_start():
    # Rest off: N12 Sun 19:00-Mon 07:00 before the plan, then D12 Mon 07:00-19:00 would be 24 h in 24: off.
    c, r = center([employee("A", length=12)], shifts=(DAY12, NIGHT12)), rules(min_rest_hours=0)
    assert worked(model_data(c, required=MON_D12, r=r, past=(("A", -1, NIGHT12, 0),))) == []
    assert worked(model_data(c, required=MON_D12, r=r)) == [("A", 0, "D12", "radio")]


def test_fatigue_counts_the_recorded_holdover():
    # Rest off: D12 Sun 07:00-19:00, then D12 Mon 07:00 (+2 h reserve): 12 h between them, at most 14 h in 24.
    # Held over 5 h on Sunday (to midnight): the 24 h from Sun 21:00 hold 3 + 14 = 17 h, above 16: off.
    c, r = center([employee("A", length=12)], shifts=(DAY12, NIGHT12)), rules(min_rest_hours=0)
    assert worked(model_data(c, required=MON_D12, r=r, past=(("A", -1, DAY12, 0),))) == [("A", 0, "D12", "radio")]
    assert worked(model_data(c, required=MON_D12, r=r, past=(("A", -1, DAY12, 5),))) == []


def test_the_plans_end_is_open_with_a_previous_roster():
    # Two days: D8 Mon and N8 Tue 23:00-Wed 07:00. As a cycle the night ends at Mon 07:00 of the next cycle, so the
    # D8 starts with no rest: one of the two. With a previous roster (here an empty one) the plan does not wrap
    # (the next plan, built with this one as its previous roster, sees that night): both are worked.
    c = center([employee("A")])
    need = [a or b for a, b in zip(hours(0, 7, 15, 48), hours(1, 23, 24, 48), strict=True)]
    need[:7] = [1] * 7
    assert len(worked(model_data(c, days=2, required={"radio": need}))) == 1
    assert worked(model_data(c, days=2, required={"radio": need}, past=())) == [
        ("A", 0, "D8", "radio"), ("A", 1, "N8", "radio")]


def test_a_new_employee_has_no_history():
    # B is not in the previous roster: B works the D8 that A, 8 h after an evening shift, may not.
    data = model_data(center([employee("A"), employee("B")]), required=MON_D8, past=(("A", -1, EVE8, 0),))
    assert worked(data) == [("B", 0, "D8", "radio")]


def test_checker_verifies_the_carried_rules():
    # A hand-made D8 Mon after E8 Sun: the checker reports the rest with the history, nothing without it; and
    # after D8s Sat and Sun with a limit of 2 days in a row, a third day.
    data = model_data(center([employee("A")]), past=(("A", -1, EVE8, 0),))
    w = data.windows[0, "D8"]
    monday = [Assignment("A", START, "D8", "radio", w.start, w.end)]
    found = check_shifts(monday, data.center, data.rules, data.horizon, data.history)
    assert [(v.rule, v.detail) for v in found] == [("minimum rest", "8 h after the previous shift, minimum 10 h")]
    assert check_shifts(monday, data.center, data.rules, data.horizon) == []
    days = model_data(center([employee("A")]), r=rules(max_consecutive_days=2),
                      past=(("A", -2, DAY8, 0), ("A", -1, DAY8, 0)))
    assert [v.rule for v in check_shifts(monday, days.center, days.rules, days.horizon, days.history)] == [
        "max consecutive days"]


def test_checker_verifies_nights_days_off_and_fatigue_across_the_start():
    twelve = model_data(center([employee("A", length=12)], shifts=(DAY12, NIGHT12)), r=rules(min_rest_hours=0),
                        past=(("A", -1, NIGHT12, 0),))
    w = twelve.windows[0, "D12"]
    found = check_shifts([Assignment("A", START, "D12", "radio", w.start, w.end)], twelve.center, twelve.rules,
                         twelve.horizon, twelve.history)
    assert [(v.rule, v.when) for v in found] == [("max hours in 24", "24 h from Sun 2026-11-29 19:00")]
    nights = model_data(center([employee("A")]), r=rules(max_consecutive_nights=2),
                        past=(("A", -2, NIGHT8, 0), ("A", -1, NIGHT8, 0)))
    n = nights.windows[0, "N8"]
    night = [Assignment("A", START, "N8", "radio", n.start, n.end)]
    assert [v.rule for v in check_shifts(night, nights.center, nights.rules, nights.horizon, nights.history)] == [
        "max consecutive nights"]
    off = model_data(center([employee("A")]), r=rules(min_days_off=2), past=(("A", -2, DAY8, 0),))
    d = off.windows[0, "D8"]
    found = check_shifts([Assignment("A", START, "D8", "radio", d.start, d.end)], off.center, off.rules,
                         off.horizon, off.history)
    assert [(v.rule, v.when) for v in found] == [("min days off", f"{START}")]


def test_forward_rotation_follows_the_previous_roster():
    # Forward rotation, rest off: E8 Sun 15:00-23:00 before the plan forbids D8 Mon (evening -> day), so the D8 Mon
    # is short (8 h); after a D8 Sun it is worked; without history a one-day plan has no succession to forbid.
    r = rules(forward_rotation=True, min_rest_hours=0)
    c = center([employee("A")], shifts=(DAY8, EVE8))
    result = solve_checked(model_data(c, required=MON_D8, r=r, past=(("A", -1, EVE8, 0),)))
    assert result.assignments == () and result.penalties[SHORT] == 8 * 1000
    assert worked(model_data(c, required=MON_D8, r=r, past=(("A", -1, DAY8, 0),))) == [("A", 0, "D8", "radio")]
    assert worked(model_data(c, required=MON_D8, r=r)) == [("A", 0, "D8", "radio")]
    # The checker finds the same step back from the roster and the history alone.
    data = model_data(c, required=MON_D8, r=r, past=(("A", -1, EVE8, 0),))
    w = data.windows[0, "D8"]
    found = check_shifts([Assignment("A", START, "D8", "radio", w.start, w.end)], data.center, data.rules,
                         data.horizon, data.history)
    assert [(v.rule, v.detail) for v in found] == [("forward rotation", "day shift the day after a evening shift")]
