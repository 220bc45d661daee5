"""Coverage (soft, rules/coverage.py): shortfall (1000 per seat-hour) and overstaffing (1 per seat-hour).
Coverage past the horizon end wraps to its start (steady-state week)."""

from tests.checked import OVER, SHORT, add, shifts, solve_checked
from tests.factory import CALLS, RADIO, center, employee, hours, model_data


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
