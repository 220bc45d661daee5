"""Holiday effects per stream and per holiday, and the subdivision's extra holidays chosen by backtest."""

import numpy as np
import pandas as pd
import pytest

from scheduler.forecast_holidays import holiday_multipliers, holiday_names
from scheduler.forecasting import forecast, run_backtest, subdivision_holidays

NY = "America/New_York"
TUNING = {"holiday_prior_days": 2.0, "holiday_name_prior_days": 1.0}


def local_hours(first: str, last: str) -> pd.DatetimeIndex:
    """UTC hours from local midnight ``first`` to local midnight ``last`` (New York)."""
    return pd.date_range(pd.Timestamp(first, tz=NY), pd.Timestamp(last, tz=NY), freq="h",
                         inclusive="left").tz_convert("UTC")


def flat_counts(index: pd.DatetimeIndex, on_days: dict[str, dict[str, float]],
                streams=("admin", "911")) -> pd.DataFrame:
    """10 calls every hour, except ``on_days[stream][local date]`` calls an hour on those dates."""
    dates = np.asarray(index.tz_convert(NY).strftime("%Y-%m-%d"))
    columns = {}
    for stream in streams:
        rate = np.full(len(index), 10.0)
        for day, value in on_days.get(stream, {}).items():
            rate[dates == day] = value
        columns[stream] = rate
    return pd.DataFrame(columns, index=index)


def test_each_holiday_its_own_multiplier_shrunk_toward_the_pooled_other_holidays():
    # Two streams, two holidays seen (1 day each), a base of 10 calls an hour (240 a day).
    # admin: Christmas 5/h, Thanksgiving 5/h; 911: Christmas 15/h, Thanksgiving 12/h.
    names = np.array(["Christmas Day", "Thanksgiving Day", None, "Christmas Day", "Labor Day"], dtype=object)
    hist = np.full((2, 3, 24), 10.0)
    hist[0, 0], hist[0, 1] = 5.0, 5.0
    hist[1, 0], hist[1, 1] = 15.0, 12.0
    mult = holiday_multipliers(hist, np.full((2, 24), 10.0), names, TUNING)
    # Christmas, admin: prior = Thanksgiving pooled, shrunk toward 1 with 2 days: (120 + 480) / (240 + 480)
    # = 5/6; Christmas's own day with 1 pseudo-day of that prior: (120 + 240 * 5/6) / (240 + 240) = 2/3.
    # 911: prior (288 + 480) / 720 = 16/15; (360 + 240 * 16/15) / 480 = 1.28333.
    assert mult[:, 0] == pytest.approx([2 / 3, 1.283333], abs=1e-5)
    assert mult[:, 3] == pytest.approx(mult[:, 0])  # Christmas in the forecast: the same effect
    # Labor Day, never seen: the pooled effect of all holidays, (240 + 480) / (480 + 480) = 0.75 for admin,
    # (648 + 480) / 960 = 1.175 for 911.
    assert mult[:, 4] == pytest.approx([0.75, 1.175], abs=1e-9)
    assert (mult[:, 2] == 1).all()  # a regular day


def test_no_holiday_in_history_gives_multiplier_one():
    names = np.array([None, None, "Christmas Day"], dtype=object)
    mult = holiday_multipliers(np.full((1, 2, 24), 3.0), np.full((1, 24), 3.0), names, TUNING)
    assert (mult == 1).all()  # nothing known: no effect, rather than a guess


def test_admin_line_falls_and_911_rises_on_christmas_end_to_end():
    # 56 weeks of 10 calls an hour; on Christmas 2025 admin takes 5 an hour, 911 15; every other holiday is
    # an ordinary day. Christmas 2026 (a Friday): admin (120 + 240 * 1) / 480 = 0.75 (the pooled prior of the
    # other holidays is exactly 1), 911 1.25; the day after is a regular Saturday.
    index = local_hours("2025-11-24", "2026-12-21")
    counts = flat_counts(index, {"admin": {"2025-12-25": 5.0}, "911": {"2025-12-25": 15.0}})
    start = pd.Timestamp("2026-12-25", tz=NY).tz_convert("UTC")
    out = forecast(counts, start, 48, timezone=NY, **TUNING)
    assert out["admin", "p50"].to_numpy()[:24] == pytest.approx(np.full(24, 7.5), rel=1e-6)
    assert out["911", "p50"].to_numpy()[:24] == pytest.approx(np.full(24, 12.5), rel=1e-6)
    assert out.xs("p50", axis=1, level=1).to_numpy()[24:] == pytest.approx(np.full((24, 2), 10.0), rel=1e-6)


def test_holiday_absent_from_history_takes_the_pooled_effect_end_to_end():
    # Thanksgiving, Christmas and New Year's Day seen, admin halves on each, 911 takes 15 an hour; Veterans
    # Day (11-11) is an ordinary day. MLK Day 2026-01-19 was never seen: pooled over the 4 holidays, shrunk
    # toward 1 with 2 days, (3 * 120 + 240 + 480) / (4 * 240 + 480) = 0.75 for admin, (3 * 360 + 240 + 480)
    # / 1440 = 1.25 for 911.
    index = local_hours("2025-11-03", "2026-01-12")
    days = ("2025-11-27", "2025-12-25", "2026-01-01")
    counts = flat_counts(index, {"admin": dict.fromkeys(days, 5.0), "911": dict.fromkeys(days, 15.0)})
    start = pd.Timestamp("2026-01-19", tz=NY).tz_convert("UTC")
    out = forecast(counts, start, 24, timezone=NY, **TUNING)
    assert out["admin", "p50"].to_numpy() == pytest.approx(np.full(24, 7.5), rel=1e-6)
    assert out["911", "p50"].to_numpy() == pytest.approx(np.full(24, 12.5), rel=1e-6)


def test_observed_day_takes_the_holidays_name():
    days = pd.DatetimeIndex(["2022-12-25", "2022-12-26", "2022-12-27"])
    assert list(holiday_names(days, "US", None, ())) == ["Christmas Day", "Christmas Day", None]


@pytest.mark.parametrize(("day_after", "used"), [(5.0, True), (10.0, False)])
def test_subdivision_holiday_used_only_where_it_improves_the_backtest(day_after, used):
    # PA adds the Day After Thanksgiving (2025-11-28). Veterans Day (11-11) and Thanksgiving halve the calls,
    # so from 11-24 a holiday is forecast at 10 x (120 + 480) / (240 + 480) = 8.3 calls an hour. If the day
    # after halves too, calling it a holiday (8.3, not 10) cuts the error of its week: used. If it is an
    # ordinary day (10 calls an hour), the holiday would forecast 8.3: not used.
    index = local_hours("2025-11-03", "2025-12-08")
    halved = {"2025-11-11": 5.0, "2025-11-27": 5.0, "2025-11-28": day_after}
    counts = flat_counts(index, {"admin": halved}, streams=("admin",))
    chosen = subdivision_holidays(counts, timezone=NY, holiday_subdiv="PA", **TUNING)
    assert chosen.used == (("Day After Thanksgiving",) if used else ())
    (name, without, with_, weeks), = chosen.tested
    assert name == "Day After Thanksgiving" and weeks == 1 and (with_ < without) == used
    assert ("Day After Thanksgiving used" in chosen.said()) == used
    # The backtest and the forecast use the same choice when left to choose.
    tested = run_backtest(counts, timezone=NY, weeks=2, methods=("model",), holiday_subdiv="PA", **TUNING)
    assert tested.subdivision == chosen
    start = pd.Timestamp("2025-11-24", tz=NY).tz_convert("UTC")
    out = forecast(counts[counts.index < start], start, 168, timezone=NY, holiday_subdiv="PA",
                   holiday_extras=chosen.used, **TUNING)
    friday = out["admin", "p50"].to_numpy()[4 * 24:5 * 24]
    assert friday == pytest.approx(np.full(24, 10 * 5 / 6 if used else 10.0), rel=1e-6)
    # Left to choose, a forecast from 11-24 tests the holiday on the history before 11-24 alone, which has
    # no Day After Thanksgiving: not used, whatever the later weeks (given here) show.
    auto = forecast(counts, start, 168, timezone=NY, holiday_subdiv="PA", **TUNING)
    assert auto["admin", "p50"].to_numpy()[4 * 24:5 * 24] == pytest.approx(np.full(24, 10.0), rel=1e-6)


def test_subdivision_holiday_outside_the_history_is_not_used():
    index = local_hours("2025-12-01", "2026-01-12")
    counts = flat_counts(index, {})
    chosen = subdivision_holidays(counts, timezone=NY, holiday_subdiv="PA",
                                  forecast_end=pd.Timestamp("2026-11-30", tz="UTC"))
    assert chosen.used == () and chosen.untested == ("Day After Thanksgiving",)
    assert "Day After Thanksgiving not used (no week of the history to test it on)" in chosen.said()
    assert subdivision_holidays(counts, timezone=NY, holiday_subdiv="PA").said() == (
        "PA has no holidays beyond the country's in the history and forecast weeks")


def test_same_inputs_same_holiday_forecast():
    index = local_hours("2025-11-03", "2026-01-12")
    rng = np.random.default_rng(3)
    counts = pd.DataFrame({"admin": rng.poisson(10, len(index)), "911": rng.poisson(20, len(index))},
                          index=index)
    start = pd.Timestamp("2026-01-12", tz=NY).tz_convert("UTC")
    runs = [forecast(counts, start, 168, timezone=NY, holiday_subdiv="PA") for _ in range(2)]
    pd.testing.assert_frame_equal(runs[0], runs[1])
    assert subdivision_holidays(counts, timezone=NY, holiday_subdiv="PA") == subdivision_holidays(
        counts, timezone=NY, holiday_subdiv="PA")
