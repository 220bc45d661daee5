"""Rules that leave a lever unusable give a warning (plan.lever_warnings): here, rules on days in a row that
leave no week room for the overtime cap."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.plan import lever_warnings, most_shifts_in_a_week
from scheduler.weights import Weights
from tests.checked import OT, solve_checked
from tests.factory import RADIO, center, employee, model_data, rules

STAFF = [employee("A", contract_hours=40, max_overtime_hours=12)]


def test_two_days_off_in_a_row_leave_8_hour_staff_no_overtime_in_a_one_week_cycle():
    # A week taken as a cycle with days off at least 2 in a row and at most 6 work days in a row: one block of
    # days off, so at most 5 shifts (40 h), exactly the contract. The model agrees: with radio wanted around
    # the clock, A works 5 shifts and no overtime; with the days-off rule off, 6 shifts and 8 h of overtime.
    tight = rules(min_days_off=2, max_consecutive_days=6)
    data = model_data(center(STAFF), days=7, required={RADIO.id: 1}, r=tight)
    assert lever_warnings(data.center, tight, data.horizon, cyclic=True) == (
        ("overtime can never be worked by 1 staff on 8-h shifts and 40-h contracts (A): "
         "max_consecutive_days = 6 with min_days_off = 2 leaves at most 5 shifts (40 h) in a week of this "
         "7-day plan, taken as a cycle, so their overtime cap goes unused (lower min_days_off or build with "
         "--previous to use it)"),)
    assert len(solve_checked(data).assignments) == 5
    loose = rules(min_days_off=1, max_consecutive_days=6)
    data = model_data(center(STAFF), days=7, required={RADIO.id: 1}, r=loose)
    assert lever_warnings(data.center, loose, data.horizon, cyclic=True) == ()
    result = solve_checked(data)
    assert len(result.assignments) == 6 and result.penalties[OT] == 8 * Weights().overtime


def test_no_warning_where_a_week_can_hold_a_sixth_shift():
    # 10-hour staff on 40 h: 5 shifts are 50 h, overtime usable. A plan after a previous roster (not a
    # cycle): a week's days off may lie before or after it, 6 shifts fit. No cap at all: nothing to use.
    tight = rules(min_days_off=2, max_consecutive_days=6)
    data = model_data(center([employee("B", length=10, contract_hours=40)]), days=7, r=tight)
    assert lever_warnings(data.center, tight, data.horizon, cyclic=True) == ()
    data = model_data(center(STAFF), days=7, r=tight)
    assert lever_warnings(data.center, tight, data.horizon, cyclic=False) == ()
    capless = center([employee("C", contract_hours=40, max_overtime_hours=0)])
    assert lever_warnings(capless, tight, data.horizon, cyclic=True) == ()


def _allowed(pattern, cyclic, longest, least_off):
    """The rules on days in a row read off a pattern directly (the models' docstrings), for comparison."""
    days, runs = len(pattern), [(k, len(list(g))) for k, g in itertools.groupby(pattern)]
    if cyclic:
        if all(pattern) or not any(pattern):
            return not any(pattern) or days <= longest
        first_off = pattern.index(0)
        runs = [(k, len(list(g))) for k, g in itertools.groupby(pattern[first_off:] + pattern[:first_off])]
        between = [length for k, length in runs if not k]  # every run of days off lies between work days
    else:
        between = [length for i, (k, length) in enumerate(runs) if not k and 0 < i < len(runs) - 1]
    if (days > longest or not cyclic) and any(k and length > longest for k, length in runs):
        return False
    return least_off <= 1 or (cyclic and days < least_off + 2) or all(n >= least_off for n in between)


@settings(max_examples=100, deadline=None)
@given(days=st.sampled_from([7, 8, 9, 10, 14]), cyclic=st.booleans(), longest=st.integers(1, 20),
       least_off=st.integers(0, 20), floor=st.integers(0, 7))
def test_the_walk_finds_what_trying_every_pattern_finds(days, cyclic, longest, least_off, floor):
    weeks = days // 7
    best = 0
    for mask in range(1 << days):
        pattern = [(mask >> d) & 1 for d in range(days)]
        counts = [sum(pattern[7 * w:7 * w + 7]) for w in range(weeks)]
        if min(counts) >= floor and max(counts) > best and _allowed(pattern, cyclic, longest, least_off):
            best = max(counts)
    assert most_shifts_in_a_week(days, cyclic, longest, least_off, floor) == best


def test_rules_far_beyond_the_plan_cost_no_memory():
    # max_consecutive_days or min_days_off of 10^9 (legal: "no limit" in effect) once built a list that long.
    assert most_shifts_in_a_week(28, True, 10**9, 10**9, 5) == 7
    assert most_shifts_in_a_week(28, False, 6, 10**9, 0) == 6
