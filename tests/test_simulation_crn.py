"""Common random numbers in the call simulation: a smaller call stream is exactly the first calls of each hour
of a larger one (same seed), so more calls, longer handle times or fewer call-takers never answer a caller
sooner (FIFO, no patience), and the count of calls answered late never falls."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.simulation import simulate_calls
from scheduler.simulation_engine import _normal_quantile, poisson_quantile, replicate


def _run(calls, aht, staff, seed=3, sigma=None):
    return replicate(np.random.SeedSequence(seed), np.asarray(calls, float), np.asarray(aht, float),
                     np.asarray(staff, np.int64), None, sigma)


def test_poisson_quantile_is_the_inverse_cdf():
    # P(Poisson(2) <= 0) = e^-2 = 0.1353, P(<= 1) = 3 e^-2 = 0.4060: u just below/above each step.
    assert [poisson_quantile(u, 2.0) for u in (0.13, 0.14, 0.40, 0.41)] == [0, 1, 1, 2]
    assert poisson_quantile(0.7, 0.0) == 0
    # Mean over a fine grid of u is the rate (a large rate walks only the window around it).
    grid = (np.arange(20_000) + 0.5) / 20_000
    assert np.mean([poisson_quantile(u, 900.0) for u in grid]) == pytest.approx(900.0, abs=0.05)


@given(st.floats(0, 1, exclude_max=True), st.floats(0, 500), st.floats(0, 50))
def test_poisson_quantile_never_falls_as_the_rate_rises(u, rate, more):
    assert poisson_quantile(u, rate) <= poisson_quantile(u, rate + more)


def test_normal_quantile_matches_the_standard_library():
    u = np.array([1e-12, 1e-6, 0.01, 0.02425, 0.3, 0.5, 0.77, 0.99, 1 - 1e-9])
    expected = [NormalDist().inv_cdf(x) for x in u]
    assert _normal_quantile(u) == pytest.approx(expected, rel=1e-8, abs=1e-9)


def test_a_smaller_stream_is_the_first_calls_of_each_hour_of_a_larger_one():
    small = _run([20, 5, 40], [200, 200, 200], [3, 3, 3])
    large = _run([30, 5, 60], [300, 200, 200], [3, 3, 3])
    for hour, scale in ((0, 1.5), (1, 1.0), (2, 1.0)):
        handles = [run[3][run[0] == hour] for run in (small, large)]
        assert 0 < len(handles[0]) <= len(handles[1])
        # Every call of the smaller hour is one of the larger's: the same handle-time draw (stretched by the
        # longer mean in hour 0); hour 1 (the same rate) is the same calls.
        assert np.isin(np.round(handles[0] * scale, 6), np.round(handles[1], 6)).all()
    assert np.array_equal(np.sort(small[3][small[0] == 1]), np.sort(large[3][large[0] == 1]))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 60), min_size=1, max_size=6), st.floats(1.0, 1.6), st.integers(1, 6),
       st.integers(0, 2), st.integers(0, 10_000))
def test_more_calls_longer_handles_fewer_staff_never_make_fewer_late_calls(rates, scale, staff, fewer, seed):
    # Pathwise (no patience): every common caller waits at least as long, so per hour at least as many
    # callers wait past 15 s (the share can still rise: callers added at quiet moments are answered at once).
    hours = len(rates)
    base = simulate_calls(rates, [180] * hours, [staff] * hours, seed=seed, thresholds=(15,))
    worse = simulate_calls([r * scale for r in rates], [180 * scale] * hours,
                           [max(staff - fewer, 1)] * hours, seed=seed, thresholds=(15,))

    def late(result):
        h = result.hourly
        return np.rint(h["offered"] * (1 - h["answered_within_15s"].fillna(1.0))).astype(int).to_numpy()
    assert (late(worse) >= late(base)).all()
    assert (worse.hourly["offered"].to_numpy() >= base.hourly["offered"].to_numpy()).all()


def test_abandonment_on_or_off_sees_the_same_calls():
    # Patience so long nobody hangs up plays exactly the run without patience; impatient callers are the same
    # callers, some of whom leave.
    calls, aht, staff = [50, 50], [240, 240], [4, 4]
    closed = simulate_calls(calls, aht, staff, seed=5)
    patient = simulate_calls(calls, aht, staff, seed=5, patience_seconds=1e12)
    impatient = simulate_calls(calls, aht, staff, seed=5, patience_seconds=60)
    assert closed.hourly.equals(patient.hourly)
    assert closed.total["offered"] == impatient.total["offered"]
    assert impatient.total["abandoned"] > 0 == closed.total["abandoned"]
