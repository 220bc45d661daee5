"""The single-employee schedule search (model/schedules.py): on tiny plans, its best schedule is worth exactly
the best of every schedule the independent checker accepts, found by trying them all, and it passes the
checker."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.domain import Assignment, History, Horizon, Leave, PastShift, Pattern, Pin, Requirements
from scheduler.model.data import ModelData
from scheduler.model.registry import check_rules
from scheduler.model.schedules import SchedulePricer, unsupported
from tests.checked import case_of
from tests.factory import DAY8, EVE8, NIGHT8, RADIO, START, center, employee, model_data, rules


def assignments(data: ModelData, employee_id: str, shifts) -> list[Assignment]:
    return [Assignment(employee_id, data.horizon.day(day), code, position, data.windows[day, code].start,
                       data.windows[day, code].end) for day, code, position in shifts]


def violations(data: ModelData, shifts, employee_id: str = "A") -> list:
    return check_rules(case_of(data, assignments(data, employee_id, shifts)))


def brute_force(data: ModelData, value: dict) -> float | None:
    """The best value of every schedule of employee A that the checker accepts (None: there is none)."""
    templates = [t.code for t in data.center.shifts]
    schedules = [[(day, code, RADIO.id) for day, code in enumerate(choice) if code is not None]
                 for choice in itertools.product([None, *templates], repeat=data.horizon.days)]
    for shifts in sorted(schedules, key=lambda shifts: -sum(value[s] for s in shifts)):  # the first accepted
        if not violations(data, shifts):
            return sum(value[s] for s in shifts)
    return None


def tiny(draw_start: date, days: int, shifts, r, leave=(), pins=(), patterns=(), past=None, contract=40.0
         ) -> ModelData:
    c = center([employee("A", contract_hours=contract, max_overtime_hours=8.0)], shifts=shifts,
               leave=tuple(leave), pins=tuple(pins), patterns=tuple(patterns))
    data = model_data(c, days=days, r=r, past=past)
    if draw_start != START:  # another weekday: the same center from a later start
        horizon = Horizon(draw_start, days, r.tz)
        history = None if data.history is None else History(
            data.history.source, draw_start, data.history.days,
            tuple(PastShift(s.employee_id, s.day + (draw_start - START), s.position,
                            s.start + (draw_start - START), s.end + (draw_start - START), s.holdover_hours)
                  for s in data.history.shifts))
        data = ModelData(c, r, horizon, Requirements(horizon, data.requirements.required,
                                                    data.requirements.floor, {}), history=history)
    return data


@st.composite
def instances(draw):
    """One employee, one radio position, a week (or 5-6 days, no weekend rule) from any weekday, two templates
    (or three over 5 days), the rules on days in a row, weekly hours (a 24-40 h contract), leave, a pin or a
    pattern, and sometimes a previous roster."""
    start = START + timedelta(days=draw(st.integers(0, 6)))
    shifts = draw(st.sampled_from([(DAY8, NIGHT8), (DAY8, EVE8), (EVE8, NIGHT8), (DAY8, EVE8, NIGHT8)]))
    days = 5 if len(shifts) == 3 else draw(st.sampled_from([6, 7, 7]))  # 4^5 or at most 3^7 schedules to try
    r = rules(min_days_off=draw(st.integers(0, 3)), max_consecutive_days=draw(st.integers(2, days - 1)),
              max_consecutive_nights=draw(st.integers(0, 2)), forward_rotation=draw(st.booleans()),
              weekend_off_every_weeks=draw(st.sampled_from([0, 1])))
    leave = [Leave("A", start + timedelta(days=d), start + timedelta(days=d), "vacation")
             for d in draw(st.sets(st.integers(0, days - 1), max_size=2))]
    on_leave = {lv.start for lv in leave}
    extra = draw(st.sampled_from(["none", "pin", "pattern"]))
    pins, patterns = [], []
    if extra == "pin":
        day = start + timedelta(days=draw(st.integers(0, days - 1)))
        if day not in on_leave:
            pins.append(Pin("A", day, draw(st.sampled_from(shifts)).code, RADIO.id))
    elif extra == "pattern":
        patterns.append(Pattern("A", "mine", draw(st.sampled_from(["WWOOWWWOOWWOOO", "WWWWOOO", "WOWOWOW"])),
                                start - timedelta(days=draw(st.integers(0, 6)))))
    past = None
    if draw(st.booleans()):
        past = tuple(("A", -d, draw(st.sampled_from(shifts)), draw(st.sampled_from([0, 0, 3])))
                      for d in sorted(draw(st.sets(st.integers(1, 4), max_size=3))))
    data = tiny(start, days, shifts, r, leave, pins, patterns, past,
                contract=float(draw(st.sampled_from([24, 32, 40]))))
    rng = random.Random(draw(st.integers(0, 2**16)))
    value = {(d, t.code, RADIO.id): round(rng.uniform(-1, 3), 2) for d in range(days) for t in shifts}
    return data, value


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_the_best_schedule_is_the_best_the_checker_accepts(instance):
    data, value = instance
    if unsupported(data) is not None:
        return
    found = SchedulePricer(data).best(data.center.staff[0], value)
    expected = brute_force(data, value)
    if expected is None:
        assert found == []
        return
    assert found, "a schedule the checker accepts exists"
    total, shifts = found[0]
    assert total == pytest.approx(expected)
    assert sum(value[s] for s in shifts) == pytest.approx(total)
    assert violations(data, shifts) == []


def test_the_weekend_rule_binds():
    """A week, weekend off every week, days worth 1 and the weekend worth 5 each: the best schedule still
    keeps Saturday and Sunday free (Friday's night shift would run into Saturday, so it is the day shift on
    Friday)."""
    data = tiny(START, 7, (DAY8, NIGHT8),
                rules(min_days_off=0, weekend_off_every_weeks=1, max_consecutive_days=6))
    value = {(d, t, RADIO.id): (5.0 if d >= 5 else 1.0) for d in range(7) for t in ("D8", "N8")}
    total, shifts = SchedulePricer(data).best(data.center.staff[0], value)[0]
    assert total == 5.0  # Monday to Friday at 1 each: the weekend, worth 10, must stay free
    assert {day for day, _, _ in shifts} == {0, 1, 2, 3, 4}
    assert (4, "N8", RADIO.id) not in shifts


def test_without_the_weekend_rule_the_weekend_is_worked():
    """The same week with the rule off: six days (48 h, the 8 h overtime cap), the weekend among them."""
    data = tiny(START, 7, (DAY8, NIGHT8),
                rules(min_days_off=0, weekend_off_every_weeks=0, max_consecutive_days=6))
    value = {(d, t, RADIO.id): (5.0 if d >= 5 else 1.0) for d in range(7) for t in ("D8", "N8")}
    total, shifts = SchedulePricer(data).best(data.center.staff[0], value)[0]
    assert total == 14.0  # Saturday and Sunday (10) and four weekdays (4)
    assert {5, 6} <= {day for day, _, _ in shifts}


def test_a_rest_longer_than_a_day_is_not_supported():
    """36 h of rest forbids shifts two days apart: the search sees consecutive days only, and says so."""
    data = model_data(center([employee("A")]), days=7, r=rules(min_rest_hours=36))
    assert "2 days apart" in unsupported(data)
    with pytest.raises(ValueError):
        SchedulePricer(data)
