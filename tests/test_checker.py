"""The independent checker (scheduler/checker/): one violation per broken hard rule, pay codes, and a
property test that every roster the model returns passes it with the same penalties."""

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.checker import RosterCase, check_pay_codes, check_weekly_hours
from scheduler.domain import (
    Assignment,
    Center,
    Cut,
    DayOffRequest,
    Horizon,
    Leave,
    Requirements,
    Rules,
    ShiftPreference,
    ShiftTemplate,
)
from scheduler.model.registry import check_rules, recompute_penalties
from scheduler.model.settings import SolverSettings, StartSettings
from scheduler.model.solve import solve
from scheduler.payroll import pay_segments
from scheduler.weights import Weights
from tests.checked import case_of
from tests.factory import CALLS, DAY8, EVE8, NIGHT8, RADIO, START, center, employee, model_data, rules

DAY12 = ShiftTemplate("D12", time(7), 12, "Day 12")
TEMPLATES = {t.code: t for t in (DAY8, EVE8, NIGHT8, DAY12)}

STAFF = (
    employee("A", "RAD"),
    employee("B", "RAD,CT"),
    employee("K", "RAD", shift_codes=("D8",)),  # bids D8 only
    employee("L", "RAD", length=12),  # works 12 h shifts
    employee("M", "RAD", contract_hours=8, max_overtime_hours=0),  # at most 8 h a week
    employee("T", "RAD", job_class="trainee"),
    employee("C", "RAD,CT", cto=True),
    employee("U", "RAD", job_class="trainee", cto=True),  # a trainee flagged CTO supervises nobody
    employee("W", "RAD", contract_hours=16),  # 16 h floor in a full week
)
CENTER = center(STAFF, shifts=tuple(TEMPLATES.values()), positions=(RADIO, CALLS),
                leave=(Leave("A", START + timedelta(days=2), START + timedelta(days=2), "vacation"),))


def horizon(days: int, r: Rules | None = None) -> Horizon:
    return Horizon(START, days, (r or rules()).tz)


def case(roster: list[Assignment], r: Rules, days: int, c: Center | None = None) -> RosterCase:
    """The roster checked on `c` for a `days`-day plan, without requirements (these tests are about the
    shifts). By default `c` is CENTER with only the staff on the roster: the others, without a shift in a full
    week, would each break their weekly minimum too."""
    if c is None:
        on_roster = {a.employee_id for a in roster}
        c = replace(CENTER, staff=tuple(e for e in STAFF if e.id in on_roster))
    return RosterCase(tuple(roster), c, r, Requirements(horizon(days, r), {}, {}, {}))


def shift(eid: str, day: int, code: str = "D8", position: str = "radio", days: int = 3) -> Assignment:
    h = horizon(days)
    start, end = h.shift_window(day, TEMPLATES[code])
    return Assignment(eid, h.day(day), code, position, start, end)


def moved(a: Assignment, hours: int) -> Assignment:
    return Assignment(a.employee_id, a.day, a.shift_code, a.position, a.start + timedelta(hours=hours),
                      a.end + timedelta(hours=hours))


# --- (1) one broken hard rule -> exactly one violation naming it --------------------------------------------

BROKEN = [
    # (expected rule, roster, rules, days)
    ("known ids", [shift("Z", 0)], rules(), 3),
    ("horizon", [shift("A", 3, days=4)], rules(), 3),  # day 3 of a 3-day plan
    ("shift template", [moved(shift("A", 0), 1)], rules(), 3),  # D8 starting 08:00
    ("shift bid", [shift("K", 0, "E8")], rules(), 3),
    ("shift length", [shift("L", 0, "D8")], rules(), 3),
    ("qualification", [shift("A", 0, position="ct")], rules(), 3),
    ("leave", [shift("A", 2)], rules(), 3),
    # D8 then E8 the same day, back to back: with a 0 h rest rule and no 24-hour cap only one-per-day is
    # broken.
    ("one shift per day", [shift("A", 0, "D8"), shift("A", 0, "E8")],
     rules(min_rest_hours=0, max_hours_in_24=0), 3),
    # (the 24-hour cap off: these short rests break it too)
    ("minimum rest", [shift("A", 0, "E8"), shift("A", 1, "D8")], rules(max_hours_in_24=0), 3),  # 8 h < 10 h
    ("minimum rest", [shift("A", 0, "E8"), shift("A", 1, "D8")],
     rules(min_rest_hours=9, max_hours_in_24=0), 3),
    # 0 h: back to back
    ("minimum rest", [shift("A", 0, "N8"), shift("A", 1, "D8")], rules(max_hours_in_24=0), 3),
    ("max consecutive days", [shift("B", d) for d in range(3)], rules(max_consecutive_days=2), 3),
    # E8 + 2 h reserve + 8 h rest + D8: 18 h in the 24 h from Mon 15:00, above 16 (the 8 h rest rule holds).
    ("max hours in 24", [shift("A", 0, "E8"), shift("A", 1, "D8")], rules(min_rest_hours=8), 3),
    ("weekly hours max", [shift("M", 0), shift("M", 1)], rules(), 3),  # 16 h > 8 + 0
    ("weekly hours min", [shift("W", 0, days=7)], rules(), 7),  # 8 h < 16 h in a full week
    ("trainee supervision", [shift("T", 0)], rules(), 3),  # alone
    ("trainee supervision", [shift("U", 0)], rules(), 3),  # a trainee's CTO flag does not count
    ("trainee supervision", [shift("T", 0), shift("C", 0, "E8")], rules(), 3),  # CTO on another shift
    ("trainee supervision", [shift("T", 0), shift("B", 0)], rules(), 3),  # beside a non-CTO
    ("trainee supervision", [shift("T", 0), shift("C", 0, position="ct")], rules(), 3),  # other seat
]


@pytest.mark.parametrize(("rule", "roster", "r", "days"), BROKEN,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(BROKEN)])
def test_one_broken_rule_one_violation(rule, roster, r, days):
    found = check_rules(case(roster, r, days))
    assert [v.rule for v in found] == [rule], [str(v) for v in found]


CLEAN = [
    ([], rules(), 3),
    ([shift("A", 0), shift("A", 1), shift("B", 0, "E8", "ct"), shift("L", 0, "D12")], rules(), 3),
    ([shift("K", 0), shift("K", 1)], rules(), 3),
    # exactly 8 h is enough, and exactly 16 h in 24 without a holdover reserve
    ([shift("A", 0, "E8"), shift("A", 1, "D8")], rules(min_rest_hours=8, holdover_hours=0), 3),
    ([shift("A", 0), shift("A", 1)], rules(max_consecutive_days=2), 3),
    ([shift("M", 0)], rules(), 3),  # 8 h = cap
    ([shift("W", 0, days=7), shift("W", 3, days=7)], rules(), 7),  # 16 h = floor
    ([shift("T", 0), shift("C", 0)], rules(), 3),
]


@pytest.mark.parametrize(("roster", "r", "days"), CLEAN)
def test_clean_roster_no_violation(roster, r, days):
    assert check_rules(case(roster, r, days)) == []


def test_max_consecutive_reported_once_per_run():
    # Four days in a row with limit 2 is one run that breaks the rule: one violation, not two.
    roster = [shift("A", d, days=4) for d in range(4)]
    c = center([employee("A")])
    found = check_rules(case(roster, rules(max_consecutive_days=2), 4, c))
    assert [v.rule for v in found] == ["max consecutive days"]


def test_weekly_minimum_without_a_shift_full_week_only():
    # W (16 h floor) has no shift: a violation in a 7-day plan, none in a 6-day plan (not a full week).
    c = center([employee("W", contract_hours=16)])
    assert [v.rule for v in check_weekly_hours(case([], rules(), 7, c))] == ["weekly hours min"]
    assert check_weekly_hours(case([], rules(), 6, c)) == []
    # Leave credit: three leave days (24 h) wipe out the 16 h floor.
    on_leave = center([employee("W", contract_hours=16)],
                      leave=(Leave("W", START, START + timedelta(days=2), "vacation"),))
    assert check_weekly_hours(case([], rules(), 7, on_leave)) == []


# --- (2) pay codes ------------------------------------------------------------------------------------------

PAY_CENTER = center([employee("A", contract_hours=20)])


def pay_rows(roster: list[Assignment], h: Horizon) -> list[dict]:
    return [{"employee_id": s.assignment.employee_id, "shift_date": s.assignment.day, "start": s.start,
             "hours": s.hours, "pay_code": s.pay_code}
            for s in pay_segments(tuple(roster), PAY_CENTER, rules(), h)]


def test_pay_segments_split_the_shift_crossing_contract():
    # 3 x 8 h with a 20 h contract: 8 REG, 8 REG, then 4 REG + 4 OT on the third shift.
    rows = pay_rows([shift("A", d) for d in range(3)], horizon(3))
    assert [(r["hours"], r["pay_code"]) for r in rows] == [(8, "REG"), (8, "REG"), (4, "REG"), (4, "OT")]
    assert check_pay_codes(rows, PAY_CENTER, rules(), horizon(3)) == []


def test_pay_codes_missing_overtime():
    rows = pay_rows([shift("A", d) for d in range(3)], horizon(3))
    rows = [{**r, "pay_code": "REG"} for r in rows]  # 4 h of overtime coded REG
    found = check_pay_codes(rows, PAY_CENTER, rules(), horizon(3))
    assert [v.rule for v in found] == ["pay codes"]
    assert "0 h coded OT, 4 h above contract" in found[0].detail


def test_pay_codes_too_much_overtime():
    rows = pay_rows([shift("A", d) for d in range(3)], horizon(3))
    rows = [{**r, "pay_code": "OT"} if i >= 1 else r for i, r in enumerate(rows)]  # from day 1 on, all OT
    found = check_pay_codes(rows, PAY_CENTER, rules(), horizon(3))
    assert [v.rule for v in found] == ["pay codes"]
    assert "16 h coded OT, 4 h above contract" in found[0].detail  # 8 + 4 + 4 coded, 24 - 20 due


def test_pay_codes_reg_after_ot():
    # Right OT total (4 h) but paid on the first hours of the week: REG after OT.
    rows = pay_rows([shift("A", d) for d in range(3)], horizon(3))
    first = rows[0]
    rows = [{**first, "hours": 4, "pay_code": "OT"},
            {**first, "start": first["start"] + timedelta(hours=4), "hours": 4, "pay_code": "REG"},
            rows[1], {**rows[2], "hours": 8}]
    found = check_pay_codes(rows, PAY_CENTER, rules(), horizon(3))
    assert [v.detail for v in found] == ["REG hours after OT hours"]


def test_pay_codes_workweeks_counted_separately():
    # 8-day plan, contract 20: 16 h in week 1 and 8 h in week 2 is no overtime (not 24 h in one week).
    h = horizon(8)
    roster = [shift("A", 0, days=8), shift("A", 1, days=8), shift("A", 7, days=8)]
    rows = pay_rows(roster, h)
    assert {r["pay_code"] for r in rows} == {"REG"}
    assert check_pay_codes(rows, PAY_CENTER, rules(), h) == []
    wrong = [{**r, "pay_code": "OT"} if r["shift_date"] == h.day(7) else r for r in rows]
    assert [v.when for v in check_pay_codes(wrong, PAY_CENTER, rules(), h)] == ["week 2"]


# --- (3) property: every solved roster passes the checker ---------------------------------------------------

@st.composite
def tiny_instances(draw):
    days = draw(st.integers(1, 3))
    fair = draw(st.booleans())  # fairness terms: the checker recomputes them too
    r = rules(min_rest_hours=draw(st.integers(6, 12)), max_consecutive_days=draw(st.integers(1, 3)),
              holdover_hours=draw(st.sampled_from([0, 2, 4])), min_days_off=draw(st.sampled_from([0, 2])),
              max_consecutive_nights=draw(st.sampled_from([0, 1, 2])),
              forward_rotation=draw(st.booleans()), start_stability=draw(st.booleans()),
              fair_nights=fair, fair_weekends=fair, fair_overtime=fair,
              seniority_weighting=draw(st.booleans()))
    staff, leave, requests, preferences = [], [], [], []
    for i in range(draw(st.integers(2, 4))):
        eid = f"E{i}"
        quals = draw(st.sets(st.sampled_from(["RAD", "CT"]), min_size=1))
        staff.append(employee(
            eid, ",".join(sorted(quals)),
            job_class="trainee" if draw(st.integers(0, 3)) == 0 else "telecommunicator",
            cto=draw(st.booleans()),
            shift_codes=draw(st.sampled_from([(), ("D8",), ("E8", "N8")])),
            contract_hours=draw(st.sampled_from([8, 16, 40])),
            max_overtime_hours=draw(st.sampled_from([None, 0, 8])),
            hire_date=draw(st.sampled_from([date(1995, 5, 1), date(2019, 1, 1), date(2026, 1, 1)])),
        ))
        if draw(st.integers(0, 2)) == 0:  # a shift preference on some weekdays
            codes = draw(st.sets(st.sampled_from(staff[-1].shift_codes or ("D8", "E8", "N8")), min_size=1))
            preferences.append(ShiftPreference(eid, avoid=draw(st.booleans()),
                                               shift_codes=tuple(sorted(codes)),
                                               weekdays=frozenset(draw(st.sets(st.integers(0, 6)))),
                                               weight=draw(st.integers(1, 5))))
        for day in range(days):
            if draw(st.integers(0, 4)) == 0:
                leave.append(Leave(eid, START + timedelta(days=day), START + timedelta(days=day), "vacation"))
            if draw(st.integers(0, 4)) == 0:
                requests.append(DayOffRequest(eid, START + timedelta(days=day), draw(st.integers(1, 5))))
    c = center(staff, positions=(RADIO, CALLS), leave=tuple(leave), requests=tuple(requests),
               preferences=tuple(preferences))
    need = {p: draw(st.lists(st.integers(0, 2), min_size=24 * days, max_size=24 * days))
            for p in ("radio", "ct")}
    # Sometimes a previous roster: shifts on the 3 days before the plan, some held over, at either position (a
    # night shift from the day before covers the plan's first hours; ModelData.history).
    past_shift = st.tuples(st.sampled_from([e.id for e in staff]), st.integers(-3, -1),
                           st.sampled_from([DAY8, EVE8, NIGHT8]), st.sampled_from([0, 0, 3]),
                           st.sampled_from(["radio", "ct"]))
    past = draw(st.none() | st.lists(past_shift, max_size=6, unique_by=lambda t: t[:2]))
    return model_data(c, days=days, required=need, r=r, past=None if past is None else tuple(past))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instances())
def test_every_solved_roster_passes_the_checker(data):
    result = solve(data, settings=SolverSettings(time_limit_s=5, workers=1))
    roster = case_of(data, result.assignments)
    assert check_rules(roster) == []
    assert recompute_penalties(roster, Weights()) == result.penalties
    segments = [{"employee_id": s.assignment.employee_id, "shift_date": s.assignment.day, "start": s.start,
                 "hours": s.hours, "pay_code": s.pay_code}
                for s in pay_segments(result.assignments, data.center, data.rules, data.horizon)]
    assert check_pay_codes(segments, data.center, data.rules, data.horizon) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instances())
def test_every_roster_from_the_best_response_start_passes_the_checker(data):
    """The phased strategy's start (model/best_response.py) forced on tiny centers where its schedules can
    state the rules (with a previous roster, or a cycle longer than the work days allowed in a row)."""
    weights = Weights(coverage="flat")
    result = solve(data, weights, SolverSettings(time_limit_s=5, workers=1, strategy="phased",
                                                  start=StartSettings(above=0)))
    roster = case_of(data, result.assignments)
    assert check_rules(roster) == []
    assert recompute_penalties(roster, weights) == result.penalties


def test_a_shift_a_call_out_cut_short_is_accepted_only_at_the_cut():
    # W (16 h floor, full week) works D8 on days 0 and 1; a call-out cut day 1's shift at 10:00 (3 h worked).
    # Recorded as a cut, the short shift is what the model could make and its 5 lost hours count as leave
    # toward the floor (11 h worked >= 16 - 5). Not recorded, it is a shift that does not match its template;
    # recorded at another time, too.
    c = center([employee("W", contract_hours=16)], shifts=tuple(TEMPLATES.values()))
    whole = [shift("W", 0, days=7), shift("W", 1, days=7)]
    cut_at = whole[1].start + timedelta(hours=3)
    roster = [whole[0], replace(whole[1], end=cut_at)]
    recorded = replace(case(roster, rules(), 7, c), cuts=(Cut("W", whole[1].day, cut_at),))
    assert check_rules(recorded) == []
    unrecorded = check_rules(case(roster, rules(), 7, c))
    assert [v.rule for v in unrecorded] == ["shift template", "weekly hours min"]
    elsewhere = replace(recorded, cuts=(Cut("W", whole[1].day, cut_at + timedelta(hours=1)),))
    assert [(v.rule, v.detail) for v in check_rules(elsewhere)] == [
        ("shift template", "D8 on 2026-12-01 runs 07:00 for 8 h, until the call-out at Tue 2026-12-01 11:00")]
