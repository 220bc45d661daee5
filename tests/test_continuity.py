"""A previous roster's last days carry into the plan (ModelData.history): each rule on days or hours in a row
binds across the plan's start, and is slack without the history (the plan then a cycle) or with a harmless
one; coverage carries over too (its nights cover the plan's first hours, the plan's last night no longer
wraps)."""

from datetime import time, timedelta
from pathlib import Path

import numpy as np

from scheduler.checker import Violation, check_coverage_sheet, check_open_shifts
from scheduler.domain import Assignment, History, Horizon, PastShift, Queue, Requirements, ShiftTemplate
from scheduler.model.data import ModelData
from scheduler.model.registry import check_rules, recompute_penalties
from scheduler.open_shifts import open_shifts
from scheduler.report import coverage_table, uncovered_by_position
from scheduler.weights import LATE_CALLS, Weights
from tests.checked import OVER, SHORT, add, case_of, shifts, solve_checked
from tests.factory import CALLS, DAY8, EVE8, NIGHT8, RADIO, START, center, employee, hours, model_data, rules

MON_D8 = {"radio": hours(0, 7, 15, 24)}  # a one-day plan: D8 Mon 07:00-15:00 needed
MON_N8 = {"radio": [1] * 7 + [0] * 16 + [1]}  # N8 Mon 23:00-Tue 07:00 (as a cycle it wraps to Mon morning)
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
    # Limit 2 days in a row: Sat and Sun worked before the plan, so Mon is off (8 h short); a one-day cycle
    # alone holds no run of 3 and Mon is worked; with only Sun worked, Mon makes 2 in a row: worked.
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
    assert worked(model_data(c, required=MON_N8, r=r,
                             past=(("A", -2, NIGHT8, 0), ("A", -1, NIGHT8, 0)))) == []
    assert worked(model_data(c, required=MON_N8, r=r)) == [("A", 0, "N8", "radio")]
    days = (("A", -2, DAY8, 0), ("A", -1, DAY8, 0))
    assert worked(model_data(c, required=MON_N8, r=r, past=days)) == [("A", 0, "N8", "radio")]


def test_days_off_after_the_previous_roster():
    # At least 2 days off in a row: worked Sat, off Sun, so Mon must stay off (1 day off would sit between two
    # work days); worked Fri, off Sat and Sun: Mon is worked; no history: a one-day cycle is not constrained.
    r = rules(min_days_off=2)
    c = center([employee("A")], shifts=(DAY8,))
    assert worked(model_data(c, required=MON_D8, r=r, past=(("A", -2, DAY8, 0),))) == []
    assert worked(model_data(c, required=MON_D8, r=r, past=(("A", -3, DAY8, 0),))) == [
        ("A", 0, "D8", "radio")]
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
    assert worked(model_data(c, required=MON_D12, r=r, past=(("A", -1, DAY12, 0),))) == [
        ("A", 0, "D12", "radio")]
    assert worked(model_data(c, required=MON_D12, r=r, past=(("A", -1, DAY12, 5),))) == []


def test_the_plans_end_is_open_with_a_previous_roster():
    # Two days: D8 Mon and N8 Tue 23:00-Wed 07:00. As a cycle the night ends at Mon 07:00 of the next cycle,
    # so the D8 starts with no rest: one of the two. With a previous roster (here an empty one) the plan does
    # not wrap (the next plan, built with this one as its previous roster, sees that night): both are worked.
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
    found = check_rules(case_of(data, monday))
    assert [(v.rule, v.detail) for v in found] == [
        ("minimum rest", "8 h after the previous shift, minimum 10 h")]
    assert check_rules(case_of(data, monday, history=None)) == []
    days = model_data(center([employee("A")]), r=rules(max_consecutive_days=2),
                      past=(("A", -2, DAY8, 0), ("A", -1, DAY8, 0)))
    assert [v.rule for v in check_rules(case_of(days, monday))] == [
        "max consecutive days"]


def test_checker_verifies_nights_days_off_and_fatigue_across_the_start():
    twelve = model_data(center([employee("A", length=12)], shifts=(DAY12, NIGHT12)),
                        r=rules(min_rest_hours=0), past=(("A", -1, NIGHT12, 0),))
    w = twelve.windows[0, "D12"]
    found = check_rules(case_of(twelve, [Assignment("A", START, "D12", "radio", w.start, w.end)]))
    assert [(v.rule, v.when) for v in found] == [("max hours in 24", "24 h from Sun 2026-11-29 19:00")]
    nights = model_data(center([employee("A")]), r=rules(max_consecutive_nights=2),
                        past=(("A", -2, NIGHT8, 0), ("A", -1, NIGHT8, 0)))
    n = nights.windows[0, "N8"]
    night = [Assignment("A", START, "N8", "radio", n.start, n.end)]
    assert [v.rule for v in check_rules(case_of(nights, night))] == [
        "max consecutive nights"]
    off = model_data(center([employee("A")]), r=rules(min_days_off=2), past=(("A", -2, DAY8, 0),))
    d = off.windows[0, "D8"]
    found = check_rules(case_of(off, [Assignment("A", START, "D8", "radio", d.start, d.end)]))
    assert [(v.rule, v.when) for v in found] == [("min days off", f"{START}")]


def test_forward_rotation_follows_the_previous_roster():
    # Forward rotation, rest off: E8 Sun 15:00-23:00 before the plan forbids D8 Mon (evening -> day), so the
    # D8 Mon is short (8 h); after a D8 Sun it is worked; without history a one-day plan has no succession to
    # forbid.
    r = rules(forward_rotation=True, min_rest_hours=0)
    c = center([employee("A")], shifts=(DAY8, EVE8))
    result = solve_checked(model_data(c, required=MON_D8, r=r, past=(("A", -1, EVE8, 0),)))
    assert result.assignments == () and result.penalties[SHORT] == 8 * 1000
    assert worked(model_data(c, required=MON_D8, r=r, past=(("A", -1, DAY8, 0),))) == [
        ("A", 0, "D8", "radio")]
    assert worked(model_data(c, required=MON_D8, r=r)) == [("A", 0, "D8", "radio")]
    # The checker finds the same step back from the roster and the history alone.
    data = model_data(c, required=MON_D8, r=r, past=(("A", -1, EVE8, 0),))
    w = data.windows[0, "D8"]
    found = check_rules(case_of(data, [Assignment("A", START, "D8", "radio", w.start, w.end)]))
    assert [(v.rule, v.detail) for v in found] == [
        ("forward rotation", "day shift the day after a evening shift")]


# --- coverage carries over: the previous roster's nights cover the plan's first hours, the plan's end is open

MON_EARLY = {"radio": hours(0, 0, 7, 24)}  # a seat Mon 00:00-07:00: only a night shift from Sunday covers it


def sheets(data, result) -> tuple[list[Violation], dict[str, int], list[int]]:
    """The Coverage and Open shifts sheets a build writes from this roster and history, as the checker finds
    them (violations), the uncovered position-hours per position (report.uncovered_by_position), and the
    Coverage sheet's radio `scheduled` column."""
    roster = list(result.assignments)
    coverage = coverage_table(result.assignments, data.center, data.rules, data.requirements, data.history)
    posted = open_shifts(coverage, result.assignments, data.center, data.rules, data.horizon, data.history)
    found = [*check_coverage_sheet(_rows(coverage), roster, data.center, data.requirements, data.history),
             *check_open_shifts(_rows(posted), roster, data.center, data.requirements, data.history)]
    uncovered = uncovered_by_position(result.assignments, data.center, data.requirements, data.history)
    return found, uncovered, coverage[coverage["position"] == "radio"]["scheduled"].tolist()


def _rows(frame) -> list[dict]:
    return [{**record, "row": number} for number, record in enumerate(frame.to_dict("records"), start=2)]


def test_a_carried_night_covers_the_plans_first_hours():
    # A's N8 Sun 23:00-Mon 07:00 in the previous roster covers Mon 00:00-07:00 at radio, the whole need: the
    # solver leaves that seat to nobody, with nothing short and nothing overstaffed. The Coverage sheet counts
    # the carried seat as scheduled, and the checker recomputes the same (solve_checked: the same penalties).
    c = center([employee("A")])
    data = model_data(c, required=MON_EARLY, past=(("A", -1, NIGHT8, 0),))
    result = solve_checked(data)
    assert result.assignments == ()
    assert result.penalties[SHORT] == 0 and result.penalties[OVER] == 0
    found, uncovered, scheduled = sheets(data, result)
    assert found == [] and uncovered == {"radio": 0} and scheduled == [1] * 7 + [0] * 17
    # Without a previous roster the plan is a cycle: its own N8 Mon 23:00 wraps onto 00:00-07:00, and its hour
    # 23:00-24:00 is not needed (1 overstaffed).
    cyclic = solve_checked(model_data(c, required=MON_EARLY))
    assert shifts(cyclic) == [("A", 0, "N8", "radio")]
    assert cyclic.penalties[SHORT] == 0 and cyclic.penalties[OVER] == 1
    # A previous roster without that night: nothing in the plan reaches 00:00-07:00 (the N8 Mon's hours past
    # the end belong to the next plan), 7 hours short and nobody works.
    empty = solve_checked(model_data(c, required=MON_EARLY, past=()))
    assert empty.assignments == () and empty.penalties[SHORT] == 7 * 1000 and empty.penalties[OVER] == 0
    # Two carried nights for one seat: the second is 7 overstaffed position-hours (it is a scheduled seat),
    # never a negative shortfall.
    two = model_data(center([employee("A"), employee("B")]), required=MON_EARLY,
                     past=(("A", -1, NIGHT8, 0), ("B", -1, NIGHT8, 0)))
    result = solve_checked(two)
    assert result.assignments == () and result.penalties[SHORT] == 0 and result.penalties[OVER] == 7
    assert sheets(two, result)[2] == [2] * 7 + [0] * 17


def test_a_carried_night_covers_its_own_position_and_never_as_a_trainee():
    # The night was worked at call-taking: radio stays 7 h short and the call-taker seat it holds (none
    # needed) is 7 overstaffed; a trainee's night counts nowhere, as in the plan.
    both = center([employee("A", "RAD,CT")], positions=(RADIO, CALLS))
    result = solve_checked(model_data(both, required=MON_EARLY, past=(("A", -1, NIGHT8, 0, "ct"),)))
    assert result.penalties[SHORT] == 7 * 1000 and result.penalties[OVER] == 7
    trainee = center([employee("T", job_class="trainee")])
    result = solve_checked(model_data(trainee, required=MON_EARLY, past=(("T", -1, NIGHT8, 0),)))
    assert result.penalties[SHORT] == 7 * 1000 and result.penalties[OVER] == 0


def test_a_carried_night_answers_the_calls_of_the_first_hours():
    # Service objective: a call-taker seat Mon 00:00-07:00 for 3 calls of 100 s an hour (shrinkage 0; value
    # curve [-3322, 278] hundredths, tests/test_rule_coverage.py). A carried N8 at call-taking answers them:
    # no late calls. Without it (an empty previous roster) each hour loses 278 + 3322 hundredths at 2 each:
    # 7 x 3600 x 2.
    r = rules(shrinkage=0.0)
    horizon = Horizon(START, 1, r.tz)
    early = np.array(hours(0, 0, 7, 24))
    requirements = Requirements(horizon, {"ct": early}, {"ct": np.zeros(24, int)},
                                {"ct": Queue(CALLS.streams, 3.0 * early, np.full(24, 100.0))})
    c = center([employee("A", "CT")], positions=(CALLS,))

    def data(past: tuple) -> ModelData:
        shift = PastShift("A", START - timedelta(days=1), "ct", *horizon.shift_window(-1, NIGHT8))
        history = History(Path("previous.xlsx"), START, r.history_days, (shift,) if past else ())
        return ModelData(c, r, horizon, requirements, history=history)

    carried = solve_checked(data(past=True))
    assert carried.assignments == () and carried.penalties[LATE_CALLS] == 0
    assert solve_checked(data(past=False)).penalties[LATE_CALLS] == 7 * 3600 * 2


def test_the_plans_last_night_no_longer_wraps_with_a_previous_roster():
    # Two days; a seat needed Mon 00:00-07:00 and Tue 23:00-24:00. As a cycle the N8 Tue 23:00-Wed 07:00
    # covers both (its hours past the end wrap onto Monday morning): nothing short. With a previous roster
    # (here an empty one) they belong to the next plan: the N8 Tue still covers Tue 23:00 (worth working) but
    # Monday 00:00-07:00 is 7 position-hours short, posted as one open shift. With B's N8 Sun carried in,
    # everything is covered again; A works Tue's night (B, after Sun, would have one day off between two work
    # days, under the minimum of 2).
    need = add(hours(0, 0, 7, 48), hours(1, 23, 24, 48))
    c = center([employee("A"), employee("B")])
    cyclic = solve_checked(model_data(center([employee("A")]), days=2, required={"radio": need}))
    assert shifts(cyclic) == [("A", 1, "N8", "radio")]
    assert cyclic.penalties[SHORT] == 0 and cyclic.penalties[OVER] == 0
    data = model_data(center([employee("A")]), days=2, required={"radio": need}, past=())
    result = solve_checked(data)
    assert shifts(result) == [("A", 1, "N8", "radio")]
    assert result.penalties[SHORT] == 7 * 1000 and result.penalties[OVER] == 0
    found, uncovered, scheduled = sheets(data, result)
    assert found == [] and uncovered == {"radio": 7} and scheduled == [0] * 47 + [1]
    coverage = coverage_table(result.assignments, data.center, data.rules, data.requirements, data.history)
    posted = open_shifts(coverage, result.assignments, data.center, data.rules, data.horizon, data.history)
    # No shift of the plan's own days covers Mon 00:00-07:00 (only a Sunday night would): one run, no code.
    assert posted[["shift_code", "start", "hours"]].values.tolist() == [["", data.horizon.slot_start(0), 7]]
    chained = model_data(c, days=2, required={"radio": need}, past=(("B", -1, NIGHT8, 0),))
    result = solve_checked(chained)
    assert shifts(result) == [("A", 1, "N8", "radio")]
    assert result.penalties[SHORT] == 0 and result.penalties[OVER] == 0
    assert sheets(chained, result)[:2] == ([], {"radio": 0})


def test_the_checker_counts_coverage_from_the_roster_and_the_history():
    # The Coverage sheet of a plan built on a carried night, checked without that history (as a cycle), says 1
    # scheduled and 0 short where the roster alone holds nobody: the checker reports both in each of the 7
    # hours; and the objective it recomputes without the history has the 7 hours short that the history
    # covers.
    data = model_data(center([employee("A")]), required=MON_EARLY, past=(("A", -1, NIGHT8, 0),))
    coverage = coverage_table((), data.center, data.rules, data.requirements, data.history)
    found = check_coverage_sheet(_rows(coverage), [], data.center, data.requirements)
    assert [v.detail for v in found] == ["radio scheduled says 1, recomputed 0",
                                         "radio shortfall says 0, recomputed 1"] * 7
    penalties = recompute_penalties(case_of(data, [], history=None), Weights())
    assert penalties[SHORT] == 7 * 1000
    assert recompute_penalties(case_of(data, []), Weights())[SHORT] == 0
