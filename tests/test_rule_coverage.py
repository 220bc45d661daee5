"""Coverage (soft, rules/coverage.py): shortfall (1000 per seat-hour) and overstaffing (1 per seat-hour); with
the service objective, call-taker seats cost the calls answered in time they lose (2 per hundredth of a call).
Without a previous roster, coverage past the horizon end wraps to its start (steady-state week); with one it
does not, and the previous roster's nights cover the first hours (tests/test_continuity.py)."""

from datetime import timedelta

import numpy as np
import pytest

from scheduler.checker import penalty_coverage
from scheduler.domain import Assignment, Horizon, Position, PositionKind, Queue, Requirements
from scheduler.model.data import ModelData
from scheduler.model.registry import recompute_penalties
from scheduler.weights import CRITICAL, LATE_CALLS, Weights
from tests.checked import OVER, SHORT, add, case_of, shifts, solve_checked
from tests.factory import CALLS, RADIO, START, center, employee, hours, model_data, rules

SERVICE = Weights(coverage="service")


@pytest.mark.binds
def test_shortfall_binds_two_seats_one_person():
    # Two seats 07-15, one employee: one seat is covered, the other's 8 hours are short.
    c = center([employee("A")])
    data = model_data(c, days=1, required={"radio": [2 * v for v in hours(0, 7, 15, 24)]})
    result = solve_checked(data)
    assert shifts(result) == [("A", 0, "D8", "radio")]
    assert result.penalties[SHORT] == 8 * 1000
    assert result.penalties[OVER] == 0


def test_shortfall_slack_two_people():
    c = center([employee("A"), employee("B")])
    data = model_data(c, days=1, required={"radio": [2 * v for v in hours(0, 7, 15, 24)]})
    result = solve_checked(data)
    assert shifts(result) == [("A", 0, "D8", "radio"), ("B", 0, "D8", "radio")]
    assert result.penalties[SHORT] == 0


def test_shortfall_counted_per_position():
    # Radio and call-taker each need a seat 07-15; only a radio operator exists: 8 call-taker hours short.
    c = center([employee("A", "RAD")], positions=(RADIO, CALLS))
    need = hours(0, 7, 15, 24)
    result = solve_checked(model_data(c, days=1, required={"radio": need, "ct": need}))
    assert shifts(result) == [("A", 0, "D8", "radio")]
    assert result.penalties[SHORT] == 8 * 1000


def test_overstaffing_binds_shift_longer_than_need():
    # A seat is needed only 07-11; the D8 (07-15) covers it, 11-15 is 4 overstaffed hours (4 x 1),
    # much cheaper than leaving 4 hours short (4000).
    c = center([employee("A")])
    result = solve_checked(model_data(c, days=1, required={"radio": hours(0, 7, 11, 24)}))
    assert shifts(result) == [("A", 0, "D8", "radio")]
    assert result.penalties[SHORT] == 0
    assert result.penalties[OVER] == 4


def test_overstaffing_slack_exact_fit():
    c = center([employee("A")])
    result = solve_checked(model_data(c, days=1, required={"radio": hours(0, 7, 15, 24)}))
    assert shifts(result) == [("A", 0, "D8", "radio")]
    assert result.penalties[OVER] == 0


@pytest.mark.slack
def test_checker_prices_a_roster_that_keeps_coverage_at_nothing():
    # A hand-made roster that meets the need exactly: one radio seat 07-15 on day 0 and 15-23 on day 1, held
    # by A's D8 and B's E8. No hour short, none over: every coverage term the checker recomputes is 0.
    c = center([employee("A"), employee("B")])
    data = model_data(c, days=2, required={"radio": add(hours(0, 7, 15, 48), hours(1, 15, 23, 48))})
    roster = [Assignment(e, START + timedelta(days=d), code, "radio", w.start, w.end)
              for e, d, code in (("A", 0, "D8"), ("B", 1, "E8")) for w in [data.windows[d, code]]]
    penalties = penalty_coverage(case_of(data, roster), Weights())
    assert penalties[SHORT] == 0 and set(penalties.values()) == {0}


def test_no_demand_nobody_works():
    # Every worked hour would be overstaffing: the empty roster costs 0.
    c = center([employee("A"), employee("B")])
    result = solve_checked(model_data(c, days=2))
    assert result.assignments == ()
    assert set(result.penalties.values()) == {0}


def test_coverage_wraps_last_night_to_first_morning():
    # 2 days; a seat needed 00-07 on day 0 and 23-24 on day 1. The N8 on day 1 (23:00-07:00) covers 23-24 and,
    # past the horizon end, wraps to 00-07 of day 0: all 8 hours covered with no surplus. The N8 on day 0
    # would instead cover 23-24 day 0 and 00-07 day 1, none of it needed.
    c = center([employee("A")])
    need = add(hours(0, 0, 7, 48), hours(1, 23, 24, 48))
    result = solve_checked(model_data(c, days=2, required={"radio": need}))
    assert shifts(result) == [("A", 1, "N8", "radio")]
    assert result.penalties[SHORT] == 0
    assert result.penalties[OVER] == 0


def test_coverage_no_wrap_inside_the_horizon():
    # Contrast: 23-24 day 0 and 00-07 day 1 is the day-0 night shift, no wrap involved.
    c = center([employee("A")])
    need = add(hours(0, 23, 24, 48), hours(1, 0, 7, 48))
    result = solve_checked(model_data(c, days=2, required={"radio": need}))
    assert shifts(result) == [("A", 0, "N8", "radio")]
    assert result.penalties[SHORT] == 0
    assert result.penalties[OVER] == 0


def test_coverage_wrap_one_day_horizon():
    # 1 day: the N8 covers 23-24 and wraps to 00-07 of the same day; that is the whole need.
    c = center([employee("A")])
    need = add(hours(0, 0, 7, 24), hours(0, 23, 24, 24))
    result = solve_checked(model_data(c, days=1, required={"radio": need}))
    assert shifts(result) == [("A", 0, "N8", "radio")]
    assert result.penalties[SHORT] == 0
    assert result.penalties[OVER] == 0


def _service_data(c, ct_seats: int, calls: float = 3.0, aht: float = 100.0) -> ModelData:
    """One day: radio needs 1 seat and call-taking `ct_seats` from 07 to 15, when `calls` calls of `aht` s
    come an hour (shrinkage 0). Value curves (tests/test_staffing.py): [-3322, 278] for 1 seat,
    [-3322, 278, 299] for 2."""
    r = rules(shrinkage=0.0)
    horizon = Horizon(START, 1, r.tz)
    day = np.array(hours(0, 7, 15, 24))
    queue = Queue(CALLS.streams, calls * day, np.full(24, aht))
    requirements = Requirements(horizon, {"radio": day, "ct": ct_seats * day},
                                {"radio": np.zeros(24, int), "ct": np.zeros(24, int)}, {"ct": queue})
    return ModelData(c, r, horizon, requirements)


def test_service_seat_at_the_knee_outweighs_a_radio_seat():
    # One person for a radio seat and a call-taker seat. Leaving the lone call-taker seat empty costs the 278
    # hundredths it answers in time plus the 3600 of backlog: 8 h x 3600 x 2 = 57,600, against 8 x 1000 for
    # the radio seat. (Priced by the envelope alone, 8 x 278 x 2 = 4,448, the radio seat would win.)
    c = center([employee("A", "RAD,CT")], positions=(RADIO, CALLS))
    result = solve_checked(_service_data(c, 1), SERVICE)
    assert shifts(result) == [("A", 0, "D8", "ct")]
    assert result.penalties[SHORT] == 8 * 1000
    assert result.penalties[LATE_CALLS] == 0


def test_service_seat_above_the_knee_yields_to_a_radio_seat():
    # Two people, call-taking wants 2 seats: the second answers only 299 - 278 = 21 hundredths more an hour
    # (8 x 21 x 2 = 336), far less than the radio seat (8,000), so one person takes each position.
    c = center([employee("A", "RAD,CT"), employee("B", "RAD,CT")], positions=(RADIO, CALLS))
    result = solve_checked(_service_data(c, 2), SERVICE)
    assert sorted(s[3] for s in shifts(result)) == ["ct", "radio"]
    assert result.penalties[SHORT] == 0
    assert result.penalties[LATE_CALLS] == 8 * 21 * 2


def test_checker_prices_an_empty_queue_with_its_backlog():
    # Nobody on duty: 8 radio hours short, and the call-taker queue loses 278 + 3322 hundredths an hour.
    c = center([employee("A", "RAD,CT")], positions=(RADIO, CALLS))
    data = _service_data(c, 1)
    penalties = recompute_penalties(case_of(data, [], center=c), SERVICE)
    assert penalties[SHORT] == 8 * 1000
    assert penalties[LATE_CALLS] == 8 * 3600 * 2


def test_service_hour_nobody_can_staff_costs_its_whole_curve():
    # Nobody may take calls (A holds only the radio qualification), 36 calls of 210 s an hour want 4 seats:
    # the curve is [-3883, -2169, -455, 1259, 2973] (steps 1714, the backlog of 3600 / 210 calls, and 1714
    # rounded per step), so each of the 8 hours loses its whole range, 6856 hundredths, x 2 per hundredth.
    # With the points rounded one by one a step came out 1715 and the empty hour had no solution at all.
    c = center([employee("A", "RAD")], positions=(RADIO, CALLS))
    result = solve_checked(_service_data(c, 4, calls=36.0, aht=210.0), SERVICE)
    assert shifts(result) == [("A", 0, "D8", "radio")]
    assert result.penalties[LATE_CALLS] == 8 * 6856 * 2


def test_service_hour_with_almost_no_calls_costs_nothing_in_model_and_checker():
    # 0.001 calls an hour round to a curve of 0, so leaving the seat empty costs nothing, and the model and
    # the independent checker agree on that (solve_checked compares every penalty).
    c = center([employee("A", "RAD")], positions=(RADIO, CALLS))
    result = solve_checked(_service_data(c, 1, calls=0.001), SERVICE)
    assert result.penalties[LATE_CALLS] == 0


def test_criticality_binds_the_critical_channel_is_covered_first():
    # Two radio channels each need a seat 07-15; one employee holds both qualifications. Channel "fire" has
    # criticality 3: its uncovered hour costs 3 x 1000, so the employee takes it and "police" is short 8
    # hours: 8,000 uncovered and no critical extra. On police instead: 8 x 1000 + 8 x (3 - 1) x 1000 = 24,000.
    police = RADIO
    fire = Position("fire", "Fire radio", PositionKind.RADIO, "RAD", criticality=3)
    c = center([employee("A")], positions=(police, fire))
    need = hours(0, 7, 15, 24)
    result = solve_checked(model_data(c, days=1, required={"radio": need, "fire": need}))
    assert shifts(result) == [("A", 0, "D8", "fire")]
    assert result.penalties[SHORT] == 8 * 1000 and result.penalties[CRITICAL] == 0
    # The checker prices the other choice from the roster alone.
    data = model_data(c, days=1, required={"radio": need, "fire": need})
    w = data.windows[0, "D8"]
    police_roster = [Assignment("A", START, "D8", "radio", w.start, w.end)]
    penalties = recompute_penalties(case_of(data, police_roster, center=c), Weights())
    assert penalties[SHORT] == 8 * 1000 and penalties[CRITICAL] == 16 * 1000


def test_criticality_slack_when_everyone_is_covered_or_all_equal():
    # Both channels of criticality 1 (the default): no critical term; either channel is an optimum (8,000
    # short).
    c = center([employee("A")], positions=(RADIO, Position("fire", "Fire radio", PositionKind.RADIO, "RAD")))
    need = hours(0, 7, 15, 24)
    result = solve_checked(model_data(c, days=1, required={"radio": need, "fire": need}))
    assert result.penalties[SHORT] == 8 * 1000 and CRITICAL not in result.penalties
    # Criticality 3 but two employees: both channels covered, the critical term is 0.
    fire = Position("fire", "Fire radio", PositionKind.RADIO, "RAD", criticality=3)
    both = center([employee("A"), employee("B")], positions=(RADIO, fire))
    result = solve_checked(model_data(both, days=1, required={"radio": need, "fire": need}))
    assert result.penalties[SHORT] == 0 and result.penalties[CRITICAL] == 0
