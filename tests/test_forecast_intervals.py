"""Calibrated p90s (issue 24, point 4): the forecast's own noise, the dispersion prior, the coverage column.
The coverage goal itself (0.87-0.93 on montco and the sample history) is measured in
benchmarks/forecast_coverage.py, not here."""

import numpy as np
import pandas as pd
import pytest

from scheduler.forecasting import (
    DEFAULT_TUNING,
    backtest,
    forecast,
    forecast_with_dispersion,
    nb_quantile,
    total_quantiles,
)


def weeks_of(values: np.ndarray, start: str = "2026-01-05") -> pd.DataFrame:
    index = pd.date_range(pd.Timestamp(start, tz="UTC"), periods=len(values), freq="h")
    return pd.DataFrame({"a": values}, index=index)


def test_p90_coverage_is_the_share_of_hours_at_or_below_the_p90():
    # Two weeks of 2 calls an hour, then a test week with 10 calls in its first 84 hours and 2 in the rest.
    # Seasonal naive forecasts 2 with a p90 of 5: negative binomial with mean 2 + 1/2 (the forecast is itself
    # one count) and variance twice that; alpha 0, as the nested week's error (0) is below Poisson and the
    # prior (0.02, weight 2 weeks) does not lift (1 x -1 + 2 x 0.02) / 3 above 0. 2 <= 5 < 10: half covered.
    test_week = np.where(np.arange(168) < 84, 10, 2)
    counts = weeks_of(np.concatenate([np.full(336, 2), test_week]))
    table = backtest(counts, timezone="UTC", weeks=1, methods=("seasonal_naive",), holiday_country=None)
    assert nb_quantile(np.array([2.5]), 1 / 2.5, 0.9)[0] == 5
    p90 = forecast(counts.iloc[:336], counts.index[336], 168, method="seasonal_naive", timezone="UTC",
                   holiday_country=None)["a", "p90"]
    assert (p90 == 5).all()
    assert table.loc[("seasonal_naive", "a"), "p90_coverage"] == 0.5


def test_a_two_week_history_gets_the_prior_not_plain_poisson():
    # The model needs 2 weeks before each nested origin, so 2 weeks of history leave it none: alpha is the
    # prior (0.02), and the p90 is that negative binomial's, wider than the Poisson's where the rate is large.
    rng = np.random.default_rng(0)
    counts = weeks_of(rng.poisson(20.0, 336).astype(float))
    start = counts.index[-1] + pd.Timedelta(hours=1)
    predicted, dispersion = forecast_with_dispersion(counts, start, 168, timezone="UTC", holiday_country=None)
    assert dispersion.loc["a", "hourly"] == DEFAULT_TUNING["dispersion_prior"] == 0.02
    mu = predicted["a", "p50"].to_numpy()
    np.testing.assert_array_equal(predicted["a", "p90"], nb_quantile(mu, 0.02, 0.9))
    poisson = nb_quantile(mu, 0.0, 0.9)
    assert (predicted["a", "p90"].to_numpy() >= poisson).all()
    assert (predicted["a", "p90"].to_numpy() > poisson).mean() > 0.5
    # Without the prior (weight 0) it would be the plain Poisson of before.
    plain = forecast(counts, start, 168, timezone="UTC", holiday_country=None, dispersion_prior_weeks=0)
    np.testing.assert_array_equal(plain["a", "p90"], poisson)


def test_a_long_history_estimates_alpha_from_its_data_shrunk_by_the_prior():
    # 12 weeks of negative binomial counts with alpha 0.3 (mean 20): the 4 nested weeks find about 0.3, and
    # the prior (0.02, weight 2 weeks) moves it to (4 x found + 2 x 0.02) / 6.
    rng = np.random.default_rng(1)
    r = 1 / 0.3
    counts = weeks_of(rng.negative_binomial(r, r / (r + 20.0), 12 * 168).astype(float))
    start = counts.index[-1] + pd.Timedelta(hours=1)
    found = forecast_with_dispersion(counts, start, 168, timezone="UTC", holiday_country=None,
                                     dispersion_prior_weeks=0)[1].loc["a", "hourly"]
    assert found == pytest.approx(0.3, abs=0.05)
    shrunk = forecast_with_dispersion(counts, start, 168, timezone="UTC", holiday_country=None)[1]
    assert shrunk.loc["a", "hourly"] == pytest.approx((4 * found + 2 * 0.02) / 6)


def test_a_line_that_never_rang_keeps_a_p90_of_zero_and_a_zero_count_last_week_does_not():
    # Seasonal naive on a stream with a call every other hour: an hour with 0 calls last week still gets a
    # p90 of 2 (its own count is one draw of the rate); a stream with no call at all keeps 0.
    hours = np.arange(336)
    counts = weeks_of(np.where(hours % 2 == 0, 0.0, 2.0))
    counts["never"] = 0.0
    out = forecast(counts, counts.index[-1] + pd.Timedelta(hours=1), 168, method="seasonal_naive",
                   timezone="UTC", holiday_country=None)
    assert (out["never", "p90"] == 0).all()
    zero_last_week = out["a", "p50"] == 0
    assert zero_last_week.sum() == 84 and (out["a", "p90"][zero_last_week] == 2).all()


def test_the_weeks_total_carries_the_forecasts_own_noise():
    # A total of 336 forecast by seasonal naive (noise 1) has variance 2 x 336: alpha 1/336.
    mu = np.full(168, 2.0)
    expected = [nb_quantile(np.array([336.0]), 1 / 336, q)[0] for q in (0.1, 0.5, 0.9)]
    np.testing.assert_array_equal(total_quantiles(mu, 0.0, 0.0, 1.0), expected)


def test_a_two_week_history_gets_the_week_prior_so_the_weeks_total_is_wider_than_poisson():
    # With no nested origin, the week's total has the week prior as its alpha (the hours' 0.02 summed over
    # 168 independent hours is 0.02 / 168 only): p10-p90 of a negative binomial with mean 20 x 168 and that
    # alpha, not the Poisson's +-1.28 sqrt(3360) (about +-2.2%).
    rng = np.random.default_rng(0)
    counts = weeks_of(rng.poisson(20.0, 336).astype(float))
    start = counts.index[-1] + pd.Timedelta(hours=1)
    predicted, dispersion = forecast_with_dispersion(counts, start, 168, timezone="UTC", holiday_country=None)
    prior = DEFAULT_TUNING["week_dispersion_prior"]
    assert dispersion.loc["a", "weekly"] == prior > 0
    mu = predicted["a", "p50"].to_numpy()
    p10, _, p90 = total_quantiles(mu, *dispersion.loc["a"])
    assert [p10, p90] == [nb_quantile(np.array([mu.sum()]), prior, q)[0] for q in (0.1, 0.9)]
    poisson = total_quantiles(mu, 0.0, 0.0)
    assert p90 - p10 > 2 * (poisson[2] - poisson[0])


def test_a_long_history_estimates_the_weeks_alpha_from_its_data_shrunk_by_the_prior():
    # 12 weeks whose level alternates 16 and 24 calls an hour: the model forecasts a level near 20, about 20%
    # off each week, so the 4 nested weeks' totals find an alpha far above the prior, which pulls it with
    # the weight of its weeks: (4 x found + w x prior) / (4 + w).
    rng = np.random.default_rng(2)
    level = np.repeat(np.resize([16.0, 24.0], 12), 168)
    counts = weeks_of(rng.poisson(level).astype(float))
    start = counts.index[-1] + pd.Timedelta(hours=1)
    found = forecast_with_dispersion(counts, start, 168, timezone="UTC", holiday_country=None,
                                     week_dispersion_prior_weeks=0)[1].loc["a", "weekly"]
    prior, weight = DEFAULT_TUNING["week_dispersion_prior"], DEFAULT_TUNING["week_dispersion_prior_weeks"]
    assert found > 3 * prior
    shrunk = forecast_with_dispersion(counts, start, 168, timezone="UTC", holiday_country=None)[1]
    assert shrunk.loc["a", "weekly"] == pytest.approx((4 * found + weight * prior) / (4 + weight))

