"""Fairness (soft, rules/fairness.py): spread of nights and of weekend shifts, most overtime on one person,
per group of comparable staff (domain.fairness_groups). Weights: 2 per night or weekend shift of spread, 1 per
hour."""

from datetime import time, timedelta

import pytest

from scheduler.domain import Assignment, Leave, ShiftTemplate, fairness_groups
from scheduler.model.registry import recompute_penalties
from scheduler.weights import NIGHT_SPREAD, OVERTIME_PEAK, WEEKEND_SPREAD, Weights
from tests.checked import OT, SHORT, add, case_of, shifts, solve_checked
from tests.factory import DAY8, EVE8, NIGHT8, START, center, employee, hours, model_data, rules

NIGHTS_MON_TUE = add(hours(0, 23, 24, 48), hours(1, 0, 7, 48), hours(1, 23, 24, 48))  # N8 on day 0 and day 1
FAIRNESS = rules(fair_nights=True, fair_weekends=True, fair_overtime=True)
NO_FAIRNESS = rules(fair_nights=False, fair_weekends=False, fair_overtime=False)


def per_employee(result, keep) -> dict[str, int]:
    found = {"A": 0, "B": 0}
    for e, day, code, _ in shifts(result):
        found[e] += keep(day, code)
    return found


def test_fairness_binds_nights_one_each():
    # Two N8s (Mon, Tue), A and B alike (no weekly floor in 2 days, no overtime): 2/0 costs a spread of 2
    # nights (4), 1/1 costs nothing and is otherwise the same roster, so each works one night.
    c = center([employee("A"), employee("B")])
    result = solve_checked(model_data(c, days=2, required={"radio": NIGHTS_MON_TUE}, r=FAIRNESS))
    assert per_employee(result, lambda d, code: code == "N8") == {"A": 1, "B": 1}
    assert result.penalties[NIGHT_SPREAD] == 0
    assert result.penalties[SHORT] == 0


def test_fairness_slack_switched_off():
    # The same with fairness off: any split covers both nights; no fairness terms at all.
    c = center([employee("A"), employee("B")])
    result = solve_checked(model_data(c, days=2, required={"radio": NIGHTS_MON_TUE}, r=NO_FAIRNESS))
    assert sum(per_employee(result, lambda d, code: code == "N8").values()) == 2
    assert not {NIGHT_SPREAD, WEEKEND_SPREAD, OVERTIME_PEAK} & set(result.penalties)


@pytest.mark.slack
def test_fairness_slack_the_caps_already_split_the_nights():
    # The two nights above, but A and B may work 8 h each (contract 8, no overtime; the weekly maximum holds
    # in a partial week too): every roster that covers both nights gives each one. Fairness, in force, changes
    # nothing: no spread, and the same split and objective as with it off.
    one_shift = {"contract_hours": 8, "max_overtime_hours": 0}
    c = center([employee("A", **one_shift), employee("B", **one_shift)])
    on = solve_checked(model_data(c, days=2, required={"radio": NIGHTS_MON_TUE}, r=FAIRNESS))
    off = solve_checked(model_data(c, days=2, required={"radio": NIGHTS_MON_TUE}, r=NO_FAIRNESS))
    for result in (on, off):
        assert per_employee(result, lambda d, code: code == "N8") == {"A": 1, "B": 1}
    assert on.penalties[NIGHT_SPREAD] == 0 and on.penalties[SHORT] == 0
    assert on.objective == off.objective


def test_fairness_never_buys_overtime():
    # B's contract is 0 h, so any shift of B is overtime (8 h x 15 = 120); A has 16 h. Both nights go to A: a
    # night spread of 2 (4) is cheaper than 8 overtime hours.
    c = center([employee("A", contract_hours=16), employee("B", contract_hours=0)])
    result = solve_checked(model_data(c, days=2, required={"radio": NIGHTS_MON_TUE}, r=FAIRNESS))
    assert shifts(result) == [("A", 0, "N8", "radio"), ("A", 1, "N8", "radio")]
    assert result.penalties[NIGHT_SPREAD] == 2 * 2
    assert result.penalties[OT] == 0


def test_fairness_binds_weekend_one_each():
    # A week, each works exactly 16 h (two D8s); D8 needed Mon, Tue, Sat, Sun. A could take both weekend days
    # and B Mon-Tue (weekend spread 2), but e.g. A Sun+Mon and B Tue+Sat cover the same with a spread of 0.
    two_shifts = {"contract_hours": 16, "max_overtime_hours": 0}
    c = center([employee("A", **two_shifts), employee("B", **two_shifts)])
    need = add(*(hours(d, 7, 15, 168) for d in (0, 1, 5, 6)))
    result = solve_checked(model_data(c, days=7, required={"radio": need}, r=FAIRNESS))
    assert per_employee(result, lambda d, code: d >= 5) == {"A": 1, "B": 1}
    assert result.penalties[WEEKEND_SPREAD] == 0
    assert result.penalties[SHORT] == 0


@pytest.mark.binds
def test_fairness_binds_overtime_peak():
    # Contract 8 h, overtime cap 24 h: D8 Mon-Fri (40 h, 24 of them overtime whoever works). 4/1 shifts puts
    # 24 h on A; 3/2 puts 16 and 8, a peak of 16: the same total overtime (24 x 15), so 3/2.
    c = center([employee("A", contract_hours=8, max_overtime_hours=24),
                employee("B", contract_hours=8, max_overtime_hours=24)], shifts=(DAY8,))
    need = add(*(hours(d, 7, 15, 168) for d in range(5)))
    result = solve_checked(model_data(c, days=7, required={"radio": need}, r=FAIRNESS))
    assert sorted(per_employee(result, lambda d, code: 1).values()) == [2, 3]
    assert result.penalties[OVERTIME_PEAK] == 16
    assert result.penalties[OT] == 24 * 15


def test_groups_compare_like_with_like():
    # Trainees, staff on leave most of the plan and night-only bids are left out; 12-hour staff are apart from
    # 8-hour staff in shift counts, together for overtime; no overtime cap, no overtime group.
    staff = [employee("A"), employee("B"), employee("C", length=12), employee("D", length=12),
             employee("T", job_class="trainee"), employee("L"), employee("N", shift_codes=("N8",)),
             employee("Z", max_overtime_hours=0)]
    leave = (Leave("L", START, START + timedelta(days=1), "vacation"),)
    data = model_data(center(staff, shifts=(DAY8, EVE8, NIGHT8), leave=leave), days=3, r=FAIRNESS)
    assert fairness_groups(data.center, data.rules, data.horizon) == {
        "nights": (("A", "B", "Z"),),  # C, D: no 12-hour template here, so no night either
        "weekends": (("A", "B", "N", "Z"), ("C", "D")),
        "overtime": (("A", "B", "C", "D", "N"),),
    }


def test_checker_recomputes_fairness():
    # Hand-made roster: A works N8 on Sat and Sun and B a D8 on Fri: nights 2/0, weekend shifts 2/0
    # (Friday's D8 ends before Saturday); with B's Friday shift an N8 it ends Saturday morning: weekend 2/1.
    c = center([employee("A"), employee("B")])
    data = model_data(c, days=7, r=FAIRNESS)

    def roster(*worked):
        return [Assignment(e, START + timedelta(days=d), code, "radio", w.start, w.end)
                for e, d, code in worked for w in [data.windows[d, code]]]

    def fairness(*worked):
        found = recompute_penalties(case_of(data, roster(*worked)), Weights())
        return found[NIGHT_SPREAD], found[WEEKEND_SPREAD], found[OVERTIME_PEAK]

    assert fairness(("A", 5, "N8"), ("A", 6, "N8"), ("B", 4, "D8")) == (2 * 2, 2 * 2, 0)
    assert fairness(("A", 5, "N8"), ("A", 6, "N8"), ("B", 4, "N8")) == (2 * 1, 2 * 1, 0)


def test_a_friday_shift_half_an_hour_into_saturday_is_a_weekend_shift():
    # X8 16:30-00:30 on Friday (day 4 of a Monday plan) works 30 minutes of Saturday: a weekend shift for the
    # model and for the checker alike (solve_checked asserts the two agree): one of two staff has it, spread 1
    # x 2 = 2.
    late = ShiftTemplate("X8", time(16, 30), 8, "Friday late")
    c = center([employee("A"), employee("B")], shifts=(late,))
    need = [0] * (5 * 24)
    for hour in range(4 * 24 + 17, 5 * 24):
        need[hour] = 1
    result = solve_checked(model_data(c, days=5, required={"radio": need},
                                      r=rules(fair_weekends=True, weekend_off_every_weeks=0)))
    assert len(result.assignments) == 1 and result.penalties[WEEKEND_SPREAD] == 2
