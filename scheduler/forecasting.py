"""Hourly call-volume forecasts per stream, with p50/p90, and a rolling-origin backtest.

The methods (``METHODS``) and the local (day, hour) grid they work on, which keeps weekly seasonality on the
wall clock across DST changes, are in ``scheduler.forecast_methods``.

Intervals: every method's point forecast is its mean rate ``mu``. The p50 is ``mu`` (the median of a Poisson
or negative binomial count lies within one call of the mean, and staffing needs the rate); the p90 is the 90%
quantile of a negative binomial with mean ``mu`` and variance ``mu + alpha mu^2``, where ``alpha``
(overdispersion, 0 = Poisson) is estimated per stream by the method of moments from the same method's
forecasts of the ``dispersion_weeks`` weeks just before ``start`` (nested origins, all data before ``start``).

Default tuning (``DEFAULT_TUNING``) was chosen on montco with rolling origins 9-16 weeks before the end of the
data, i.e. on weeks that precede the 8-week evaluation window: see benchmarks/RESULTS.md.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from scheduler.forecast_methods import (
    HOUR,
    METHODS,
    WEEK_HOURS,
    LocalHistory,
    point_forecast,
    prepare_history,
)

DEFAULT_TUNING: dict[str, float] = {
    "level_halflife_weeks": 8.0,
    "profile_halflife_weeks": 8.0,
    "shape_shrink": 200.0,
    "hour_smoothing": 0.15,
    "trend_damping": 0.0,
    "holiday_prior_days": 2.0,
    "dispersion_weeks": 4,
}


# -------------------------------------------------------------------------------------------------- intervals


def _dispersion(local: LocalHistory, cutoff: int, method: str, weeks: int, tuning: dict) -> np.ndarray:
    """Overdispersion alpha per stream (and, last, for the sum of streams) from nested 1-week-ahead
    forecasts."""
    n_weeks = int(tuning["dispersion_weeks"])
    n_streams = len(local.streams)
    sq = np.zeros(n_streams + 1)
    mu2 = np.zeros(n_streams + 1)
    for j in range(1, n_weeks + 1):
        lo = cutoff - WEEK_HOURS * j
        if lo < 2 * WEEK_HOURS:  # need some history before the nested origin
            break
        mu = point_forecast(local, lo, local.index[lo:lo + WEEK_HOURS], method, weeks, tuning)
        y = local.values[lo:lo + WEEK_HOURS].T
        seen = ~np.isnan(y[0])  # missing hours left out
        mu = np.vstack([mu, mu.sum(axis=0)])[:, seen]
        y = np.vstack([y, y.sum(axis=0)])[:, seen]
        sq += ((y - mu) ** 2 - mu).sum(axis=1)
        mu2 += (mu**2).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = np.where(mu2 > 0, sq / mu2, 0.0)
    return np.clip(alpha, 0.0, None)


def nb_quantile(mu: np.ndarray, alpha: np.ndarray | float, q: float) -> np.ndarray:
    """Smallest integer x with P(X <= x) >= q, X negative binomial with mean mu and variance mu + alpha mu^2
    (Poisson where alpha is 0). Computed from the log-pmf recursion, stable for large means."""
    mu = np.asarray(mu, dtype=float)
    alpha = np.broadcast_to(np.asarray(alpha, dtype=float), mu.shape)
    flat_mu, flat_alpha = mu.ravel(), alpha.ravel()
    out = np.zeros(flat_mu.shape)
    pos = flat_mu > 0
    if pos.any():
        m, a = flat_mu[pos], flat_alpha[pos]
        sd = np.sqrt(m + a * m * m)
        top = int(np.ceil((m + 12 * sd + 20).max()))
        x = np.arange(1, top + 1, dtype=float)
        poisson = a < 1e-9
        r = np.where(poisson, 1.0, 1.0 / np.where(poisson, 1.0, a))
        log_p0 = np.where(poisson, -m, r * np.log(r / (r + m)))
        step = np.where(poisson[:, None], np.log(m)[:, None] - np.log(x)[None, :],
                        np.log((x[None, :] - 1 + r[:, None]) / x[None, :]) + np.log(m / (m + r))[:, None])
        log_p = np.concatenate([log_p0[:, None], log_p0[:, None] + np.cumsum(step, axis=1)], axis=1)
        cdf = np.cumsum(np.exp(log_p), axis=1)
        out[pos] = np.minimum((cdf < q - 1e-12).sum(axis=1), top)
    return out.reshape(mu.shape)


def poisson_mean_abs_deviation(lam: np.ndarray) -> np.ndarray:
    """E|X - lam| for X ~ Poisson(lam): 2 lam^(floor(lam)+1) e^-lam / floor(lam)!, via logs."""
    lam = np.asarray(lam, dtype=float)
    out = np.zeros(lam.shape)
    pos = lam > 0
    k = np.floor(lam[pos])
    lgamma = np.vectorize(math.lgamma, otypes=[float])
    out[pos] = 2.0 * np.exp((k + 1) * np.log(lam[pos]) - lam[pos] - lgamma(k + 1))
    return out


# ------------------------------------------------------------------------------------------------- public API


def _tuning(tuning: dict) -> dict:
    unknown = set(tuning) - set(DEFAULT_TUNING)
    if unknown:
        raise ValueError(f"unknown tuning option(s) {sorted(unknown)}; known: {sorted(DEFAULT_TUNING)}")
    return {**DEFAULT_TUNING, **tuning}


def _origin_row(local: LocalHistory, start: pd.Timestamp) -> int:
    if not isinstance(start, pd.Timestamp) or start.tz is None:
        raise ValueError("start must be a tz-aware pandas Timestamp")
    start = start.tz_convert("UTC")
    if start != start.floor("h"):
        raise ValueError(f"start must be on the hour (got {start})")
    if start <= local.index[0]:
        raise ValueError(f"start {start} leaves no history (counts begin {local.index[0]})")
    return int(local.index.searchsorted(start))


def _frame(fc_index, streams, mu, p90) -> pd.DataFrame:
    columns = pd.MultiIndex.from_product([streams, ["p50", "p90"]], names=["stream", "quantile"])
    data = np.empty((len(fc_index), 2 * len(streams)))
    data[:, 0::2] = mu.T
    data[:, 1::2] = np.maximum(p90, mu).T
    return pd.DataFrame(data, index=fc_index, columns=columns)


def forecast(counts: pd.DataFrame, start: pd.Timestamp, hours: int, *, method: str = "model",
             timezone: str, holiday_country: str = "US", holiday_subdiv: str | None = None,
             weeks: int = 8, **tuning) -> pd.DataFrame:
    """Hourly p50/p90 calls per stream for ``hours`` UTC hours from ``start``, using history before ``start``.

    Returns a frame indexed by the forecast hours (UTC) with columns (stream, "p50"|"p90")."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if hours < 1:
        raise ValueError("hours must be at least 1")
    tuning = _tuning(tuning)
    local = prepare_history(counts, timezone, holiday_country, holiday_subdiv)
    cutoff = _origin_row(local, start)
    fc_index = pd.date_range(start.tz_convert("UTC"), periods=hours, freq="h")
    mu = point_forecast(local, cutoff, fc_index, method, weeks, tuning)
    alpha = _dispersion(local, cutoff, method, weeks, tuning)[:-1]
    p90 = nb_quantile(mu, alpha[:, None], 0.9)
    return _frame(fc_index, local.streams, mu, p90)


def backtest(counts: pd.DataFrame, *, timezone: str, weeks: int = 8, methods=METHODS,
             holiday_country: str = "US", holiday_subdiv: str | None = None, **tuning) -> pd.DataFrame:
    """Rolling-origin backtest: origins at end - 168 k hours (k = weeks..1, end = last hour + 1 h), each
    forecasting the next 168 hours from the data before it. ``mean_last_weeks`` averages 8 weeks whatever
    ``weeks`` is.

    Rows (method, stream), streams plus "all" (the per-hour sum). Columns: wape = sum|y - p50| / sum y, bias =
    (sum p50 - sum y) / sum y, noise_floor = sum over hours of E|X - lam| / sum y for X ~ Poisson(lam), with
    lam the model's forecast rate for that hour (one rate for every method's row, so the floor is the same per
    stream), p90_coverage = share of hours with y <= p90, hours. "all" uses the per-hour sums of p50 and of
    lam, and a p90 from the negative binomial of the summed rate with the sum's own dispersion."""
    tuning = _tuning(tuning)
    local = prepare_history(counts, timezone, holiday_country, holiday_subdiv)
    end = local.index[-1] + HOUR
    origins = [end - WEEK_HOURS * k * HOUR for k in range(weeks, 0, -1)]
    streams = local.streams
    names = streams + ["all"]
    acc: dict[str, dict[str, list[np.ndarray]]] = {
        m: {"y": [], "p50": [], "p90": [], "lam": []} for m in methods
    }
    for origin in origins:
        cutoff = _origin_row(local, origin)
        fc_index = local.index[cutoff:cutoff + WEEK_HOURS]
        if len(fc_index) < WEEK_HOURS:
            raise ValueError("counts must have a complete hourly index (zero-filled)")
        y = local.values[cutoff:cutoff + WEEK_HOURS].T
        y = np.vstack([y, y.sum(axis=0)])
        lam = point_forecast(local, cutoff, fc_index, "model", 8, tuning)
        lam = np.vstack([lam, lam.sum(axis=0)])
        for m in methods:
            mu = lam if m == "model" else np.vstack(
                [p := point_forecast(local, cutoff, fc_index, m, 8, tuning), p.sum(axis=0)])
            alpha = _dispersion(local, cutoff, m, 8, tuning)
            p90 = np.maximum(nb_quantile(mu, alpha[:, None], 0.9), mu)
            seen = ~np.isnan(y[0])  # missing hours are not scored
            for key, value in (("y", y), ("p50", mu), ("p90", p90), ("lam", lam)):
                acc[m][key].append(value[:, seen])
    rows = []
    for m in methods:
        y, p50, p90, lam = (np.concatenate(acc[m][k], axis=1) for k in ("y", "p50", "p90", "lam"))
        for i, name in enumerate(names):
            total = y[i].sum()
            rows.append({
                "method": m, "stream": name,
                "wape": np.abs(y[i] - p50[i]).sum() / total,
                "bias": (p50[i].sum() - total) / total,
                "noise_floor": poisson_mean_abs_deviation(lam[i]).sum() / total,
                "p90_coverage": float((y[i] <= p90[i]).mean()),
                "hours": y.shape[1],
            })
    return pd.DataFrame(rows).set_index(["method", "stream"])


def choose_method(table: pd.DataFrame) -> str:
    """The method with the lowest WAPE on stream "all" of a ``backtest`` table."""
    return str(table.xs("all", level="stream")["wape"].idxmin())
