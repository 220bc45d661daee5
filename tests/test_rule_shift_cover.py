"""Cover per day and shift template (soft, rules/shift_cover.py; Center.shift_cover, domain.ShiftCover):
weights.shift_cover x (under_weight x shifts short + over_weight x shifts over) per row; trainees never count.

With no hourly requirement every worked hour is overstaffed (rules/coverage.py): Weights(overstaffing=0)
where a test has none, so the objective is the cover's alone."""

from datetime import timedelta

import pytest

from scheduler.checker.shift_cover import penalty_shift_cover
from scheduler.domain import Assignment, ShiftCover
from scheduler.weights import SHIFT_COVER_OVER, SHIFT_COVER_SHORT, Weights
from tests.checked import SHORT, add, case_of, shifts, solve_checked
from tests.factory import DAY8, EVE8, START, center, employee, hours, model_data, rules

FREE_OVER = Weights(overstaffing=0)
LOOSE = rules(min_days_off=1)


def cover(day: int, code: str, required: int, under: int = 1, over: int = 1) -> ShiftCover:
    return ShiftCover(START + timedelta(days=day), code, required, under, over)


def roster(data, *worked):
    """A hand-made roster: (employee, day index, template code) each."""
    return [Assignment(e, data.horizon.day(d), code, "radio", w.start, w.end)
            for e, d, code in worked for w in [data.windows[d, code]]]


@pytest.mark.binds
def test_cover_binds_short_costs_under_weight():
    # Day 0 asks for 3 on D8 (under weight 3), weights.shift_cover 2; A and B are all there is: both work D8
    # (no hourly need asks for them) and the one missing costs 2 x 3 = 6.
    c = center([employee("A"), employee("B")], shifts=(DAY8, EVE8), shift_cover=(cover(0, "D8", 3, under=3),))
    result = solve_checked(model_data(c, days=1), Weights(overstaffing=0, shift_cover=2))
    assert shifts(result) == [("A", 0, "D8", "radio"), ("B", 0, "D8", "radio")]
    assert result.penalties[SHIFT_COVER_SHORT] == 6 and result.penalties[SHIFT_COVER_OVER] == 0


def test_cover_binds_over_costs_over_weight():
    # Two seats needed 07:00-15:00 (hourly) but the D8 row asks for 1 (over weight 3): both work D8 anyway
    # (16,000 of coverage against 3), one over.
    c = center([employee("A"), employee("B")], shifts=(DAY8,), shift_cover=(cover(0, "D8", 1, over=3),))
    need = add(hours(0, 7, 15, 24), hours(0, 7, 15, 24))
    result = solve_checked(model_data(c, days=1, required={"radio": need}))
    assert len(result.assignments) == 2
    assert result.penalties[SHIFT_COVER_OVER] == 3 and result.penalties[SHORT] == 0


@pytest.mark.parametrize(("d8_weight", "e8_weight", "taken", "cost"), [(5, 2, "D8", 2), (2, 5, "E8", 2)])
def test_cover_per_row_weights_pick_the_shift(d8_weight: int, e8_weight: int, taken: str, cost: int):
    # Day 0 asks for one D8 and one E8, A alone works one shift a day: A takes the row with the higher under
    # weight and the other's weight is the cost.
    rows = (cover(0, "D8", 1, under=d8_weight), cover(0, "E8", 1, under=e8_weight))
    c = center([employee("A")], shifts=(DAY8, EVE8), shift_cover=rows)
    result = solve_checked(model_data(c, days=1), FREE_OVER)
    assert shifts(result) == [("A", 0, taken, "radio")]
    assert result.penalties[SHIFT_COVER_SHORT] == cost


def test_cover_trainee_never_counts():
    # D8 asks for 2 (under weight 5): CTO A works it; trainee T may work beside A but would not count, so one
    # is short: 5 (were trainees counted, A and T would meet it at 0).
    c = center([employee("A", cto=True), employee("T", job_class="trainee")], shifts=(DAY8,),
               shift_cover=(cover(0, "D8", 2, under=5),))
    result = solve_checked(model_data(c, days=1), FREE_OVER)
    assert ("A", 0, "D8", "radio") in shifts(result)
    assert result.penalties[SHIFT_COVER_SHORT] == 5


@pytest.mark.slack
def test_cover_slack_met_exactly():
    # The hourly need and the row agree on one D8: A works it, the cover costs nothing either way.
    c = center([employee("A"), employee("B")], shifts=(DAY8, EVE8), shift_cover=(cover(0, "D8", 1, 9, 9),))
    result = solve_checked(model_data(c, days=1, required={"radio": hours(0, 7, 15, 24)}))
    assert len(result.assignments) == 1 and result.assignments[0].shift_code == "D8"
    assert result.penalties[SHIFT_COVER_SHORT] == 0 and result.penalties[SHIFT_COVER_OVER] == 0


@pytest.mark.slack
def test_no_cover_rows_no_terms():
    # Without rows the rule adds no terms: the penalty function returns {} and the breakdown names neither.
    c = center([employee("A")], shifts=(DAY8,))
    data = model_data(c, days=1, required={"radio": hours(0, 7, 15, 24)})
    result = solve_checked(data)
    assert SHIFT_COVER_SHORT not in result.penalties and SHIFT_COVER_OVER not in result.penalties
    assert penalty_shift_cover(case_of(data, result.assignments), Weights()) == {}


def test_checker_recomputes_cover():
    # Hand-made 2-day roster. Day 0 asks for 2 D8 (under 3): A alone works it, 1 short. Day 1 asks for no D8
    # (over 4) and 1 E8 (under 7): A and B work D8 (2 over) and nobody E8 (1 short); the trainee T on E8 does
    # not count. weights.shift_cover 2: short 2 x (3 + 7) = 20, over 2 x 4 x 2 = 16.
    rows = (cover(0, "D8", 2, under=3), cover(1, "D8", 0, over=4), cover(1, "E8", 1, under=7))
    c = center([employee("A"), employee("B"), employee("T", job_class="trainee")], shifts=(DAY8, EVE8),
               shift_cover=rows)
    data = model_data(c, days=2, r=LOOSE)
    worked = roster(data, ("A", 0, "D8"), ("A", 1, "D8"), ("B", 1, "D8"), ("T", 1, "E8"))
    assert penalty_shift_cover(case_of(data, worked), Weights(shift_cover=2)) == {
        SHIFT_COVER_SHORT: 20.0, SHIFT_COVER_OVER: 16.0}
    # Met: two on D8 on day 0, nobody on D8 and one (not a trainee) on E8 on day 1.
    met = roster(data, ("A", 0, "D8"), ("B", 0, "D8"), ("B", 1, "E8"))
    assert penalty_shift_cover(case_of(data, met), Weights(shift_cover=2)) == {
        SHIFT_COVER_SHORT: 0.0, SHIFT_COVER_OVER: 0.0}
