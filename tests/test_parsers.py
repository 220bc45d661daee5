"""Property tests for the cell parsers (scheduler/io/sheets.py) and the forecast reader.

Valid values round-trip; invalid ones raise ValueError or TypeError - which read_rows turns into an InputError
naming the cell - and never anything else (anything else would be a traceback instead of one `Error:` line).
"""

from __future__ import annotations

import contextlib
import string
from datetime import UTC, date, datetime, time, timedelta, timezone

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.io.center_cells import clock, hour_of_day
from scheduler.io.forecast import COLUMNS, read_forecast
from scheduler.io.sheets import codes, day, number, whole, yes_no

PARSERS = [whole, number, yes_no, day, clock, hour_of_day, codes]

# Anything a cell (or a hand-typed string) can hold, and some things it cannot.
cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.text(alphabet="0123456789-:.,+ TZWe", max_size=20),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
    st.lists(st.integers(), max_size=3),
)


@pytest.mark.parametrize("parse", PARSERS, ids=lambda p: p.__name__)
@given(value=cell_values)
def test_parsers_fail_only_with_value_or_type_error(parse, value):
    with contextlib.suppress(ValueError, TypeError):
        parse(value)


# ------------------------------------------------------------------------------------------------------ whole


@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_whole_round_trips(n):
    assert whole(n) == n
    assert whole(float(n)) == n
    assert whole(str(n)) == n
    assert type(whole(float(n))) is int


@given(st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: not x.is_integer()))
def test_whole_rejects_fractions_nan_and_infinity(x):
    with pytest.raises(ValueError):
        whole(x)


@given(st.text().filter(lambda s: not s.lstrip("-").isdigit()))
def test_whole_rejects_non_integer_text(s):
    with pytest.raises((ValueError, TypeError)):
        whole(s)


@pytest.mark.parametrize("value", [True, False, "1.5", "1e3", "", " ", "--5", "5-", "x", date(2026, 1, 1)])
def test_whole_rejects(value):
    with pytest.raises((ValueError, TypeError)):
        whole(value)


# ----------------------------------------------------------------------------------------------------- number


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_number_round_trips_floats(x):
    assert number(x) == x
    assert number(repr(x)) == x
    assert number(str(x)) == x


@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_number_round_trips_integers(n):
    assert number(n) == n
    assert number(str(n)) == n
    assert isinstance(number(n), float)


@given(st.text(alphabet=string.ascii_letters + "!?#/ ", min_size=1).filter(
    lambda s: s.strip().lower() not in {"nan", "inf", "infinity", "+nan", "-nan"}))
def test_number_rejects_words(s):
    with pytest.raises(ValueError):
        number(s)


@pytest.mark.parametrize("value", [True, False, None, "", "1,5", "12 calls", [1], date(2026, 1, 1)])
def test_number_rejects(value):
    with pytest.raises((ValueError, TypeError)):
        number(value)


def test_number_rejects_integers_too_large_for_a_float():
    with pytest.raises((ValueError, TypeError)):
        number(10**400)


# ----------------------------------------------------------------------------------------------------- yes_no

YES = ["yes", "y", "true", "1", "x"]
NO = ["no", "n", "false", "0"]


def _any_case(word: str):
    return st.tuples(*(st.sampled_from([c.lower(), c.upper()]) for c in word)).map("".join)


@given(st.sampled_from(YES).flatmap(_any_case))
def test_yes_values(word):
    assert yes_no(word) is True


@given(st.sampled_from(NO).flatmap(_any_case))
def test_no_values(word):
    assert yes_no(word) is False


def test_yes_no_numbers_and_bools():
    assert yes_no(1) is True and yes_no(1.0) is True and yes_no(True) is True
    assert yes_no(0) is False and yes_no(0.0) is False and yes_no(False) is False


@given(st.text().filter(lambda s: s.lower() not in set(YES) | set(NO)))
def test_yes_no_rejects_other_text(s):
    with pytest.raises(ValueError):
        yes_no(s)


@given(st.integers().filter(lambda n: n not in (0, 1)))
def test_yes_no_rejects_other_numbers(n):
    with pytest.raises(ValueError):
        yes_no(n)


# -------------------------------------------------------------------------------------------------------- day


@given(st.dates(), st.times())
def test_day_round_trips(d, t):
    assert day(d) == d
    assert day(d.isoformat()) == d
    assert day(datetime.combine(d, t)) == d
    assert type(day(datetime.combine(d, t))) is date


@given(st.text(alphabet=string.ascii_letters + " /", min_size=1))
def test_day_rejects_words(s):
    with pytest.raises(ValueError):
        day(s)


@pytest.mark.parametrize("value", ["2026-13-01", "2026-02-30", "30/11/2026", "11/30/2026", "", "tomorrow",
                                   1.5, time(7)])
def test_day_rejects(value):
    with pytest.raises(ValueError):
        day(value)


# ----------------------------------------------------------------------------------------- clock, hour_of_day

hours = st.integers(min_value=0, max_value=23)


@given(hours)
def test_clock_round_trips_whole_hours(h):
    expected = time(h)
    assert clock(time(h)) == expected
    assert clock(f"{h:02d}:00") == expected
    assert clock(f"{h}:00") == expected  # Excel users type 7:00
    assert clock(f"{h:02d}:00:00") == expected
    assert clock(datetime(2026, 11, 30, h)) == expected
    assert clock(expected.strftime("%H:%M")) == expected


@given(hours, st.integers(min_value=0, max_value=59), st.integers(min_value=0, max_value=59))
def test_clock_rejects_times_off_the_hour(h, m, s):
    if m == 0 and s == 0:
        return
    with pytest.raises(ValueError):
        clock(time(h, m, s))
    with pytest.raises(ValueError):
        clock(f"{h:02d}:{m:02d}:{s:02d}")


@pytest.mark.parametrize("value", ["25:00", "24:00", "7", "7am", "noon", "", "-1:00", 7.5,
                                   "07-00", "07:00Z", "07:00+05:00"])  # a zone would be silently ignored
def test_clock_rejects(value):
    with pytest.raises(ValueError):
        clock(value)


@given(hours)
def test_hour_of_day_round_trips(h):
    assert hour_of_day(f"{h:02d}:00") == h
    assert hour_of_day(f"{h}:00") == h
    assert hour_of_day(time(h)) == h
    assert hour_of_day(datetime(2026, 12, 1, h)) == h


def test_hour_of_day_end_of_day():
    assert hour_of_day("24:00") == 24
    assert hour_of_day("24:00:00") == 24


@pytest.mark.parametrize("value", ["24:30", "25:00", "23:30", "abc", ""])
def test_hour_of_day_rejects(value):
    with pytest.raises(ValueError):
        hour_of_day(value)


# ------------------------------------------------------------------------------------------------------ codes

code = st.text(alphabet=string.ascii_letters + string.digits + "_", min_size=1, max_size=10)


@given(st.lists(code, max_size=8), st.sampled_from([",", ", ", " ,", " , "]))
def test_codes_round_trip(items, separator):
    assert codes(separator.join(items)) == tuple(items)
    assert codes(",".join(items) + ",") == tuple(items)  # a trailing comma adds nothing


@given(st.integers(min_value=0, max_value=10**6))
def test_codes_of_a_number_cell(n):
    assert codes(n) == (str(n),)
    assert codes(float(n)) == (str(n),)


def test_codes_blank_parts_are_dropped():
    assert codes(" , ,") == ()
    assert codes("CT_POL,,RAD_POL") == ("CT_POL", "RAD_POL")


# --------------------------------------------------------------------------------------------------- forecast

STREAMS = ["911_police", "911_fire_ems", "admin_police", "admin_fire_ems", "text_to_911"]
money = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False, allow_infinity=False).map(float)


@st.composite
def forecast_frames(draw):
    """A valid forecast: whole hours from a start instant, each hour once per stream, rows in any order."""
    offset = timezone(timedelta(hours=draw(st.integers(min_value=-12, max_value=14))))
    start = draw(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)))
    start = start.replace(minute=0, second=0, microsecond=0, tzinfo=offset)
    n_hours = draw(st.integers(min_value=1, max_value=30))
    streams = draw(st.lists(st.sampled_from(STREAMS), min_size=1, max_size=len(STREAMS), unique=True))
    rows = []
    for h in range(n_hours):
        for stream in streams:
            p50 = draw(money)
            p90 = p50 + draw(money)
            aht = draw(st.integers(min_value=1, max_value=1200)) if p50 > 0 else draw(
                st.integers(min_value=0, max_value=1200))
            rows.append({"timestamp": start + timedelta(hours=h), "stream": stream, "calls_p50": p50,
                         "calls_p90": p90, "aht_seconds": float(aht)})
    order = draw(st.permutations(range(len(rows))))
    return [rows[i] for i in order]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=forecast_frames())
def test_forecast_round_trips(tmp_path, rows):
    path = tmp_path / "forecast.csv"
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["timestamp"] = [t.isoformat() for t in frame["timestamp"]]
    frame.to_csv(path, index=False)

    forecast = read_forecast(path)

    got = forecast.frame
    assert list(got.columns) == list(COLUMNS)
    expected = sorted(((r["timestamp"].astimezone(UTC), r["stream"], r["calls_p50"], r["calls_p90"],
                        r["aht_seconds"]) for r in rows), key=lambda r: (r[0], r[1]))
    actual = [(t.to_pydatetime(), s, p50, p90, aht) for t, s, p50, p90, aht in got.itertuples(index=False)]
    assert actual == expected
    assert all(t.utcoffset() == timedelta(0) for t, *_ in actual)
    assert forecast.streams == tuple(sorted({r["stream"] for r in rows}))
