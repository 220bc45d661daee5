"""Hourly call-volume forecasts per stream, with p50/p90, and a rolling-origin backtest.

The methods (``METHODS``) and the local (day, hour) grid they work on, which keeps weekly seasonality on the
wall clock across DST changes, are in ``scheduler.forecast_methods``.

Intervals: every method's point forecast is its mean rate ``mu``. The p50 is ``mu`` (the median of a Poisson
or negative binomial count lies within one call of the mean, and staffing needs the rate); the p90 is the 90%
quantile of a negative binomial with mean ``mu`` and variance ``(1 + noise) mu + alpha mu^2`` (``p90_of``):
``noise`` is the Poisson noise the forecast itself carries (``forecast_noise``: 1 for the same hour last week,
1/k for a mean of k weeks, 0 for the model), ``alpha`` the overdispersion and the level's error, estimated per
stream by the method of moments from the same method's forecasts of the ``dispersion_weeks`` weeks just before
``start`` (nested origins, each with the ``MIN_WEEKS`` the method needs), and shrunk toward the prior
``dispersion_prior`` = 0.02 with the weight of ``dispersion_prior_weeks`` = 2 nested weeks. So a 2-week
history (no nested origin for the model) gets alpha 0.02, not plain Poisson, and 4 nested weeks weigh 2/3.
The prior was chosen on montco and the sample history without their last 8 weeks (the weeks before the
evaluation window): it keeps the p90's backtest coverage within 0.87-0.93 with 2, 3, 4 weeks of history and
the full history, for every method (``benchmarks/forecast_coverage.py``, benchmarks/RESULTS.md).

A week's total (``total_quantiles``: the p10-p90 that ``scheduler forecast`` prints) has its own alpha
(``alpha_week``), from the same nested weeks' totals, where an error the hours share (the week's level) adds
up; it is shrunk toward ``week_dispersion_prior`` = 0.008 (a relative sd of 9%, p10-p90 about +-11%) with the
weight of ``week_dispersion_prior_weeks`` = 0.5 nested weeks, chosen the same way (``--tune-week 8``). So a
2-week history gets 0.008, not Poisson's +-2-3%, and 4 nested weeks weigh 8/9. Every week of a multi-week
forecast gets the 1-week interval: 4 weeks ahead it covered as often as 1 week ahead on both logs, and a
wider one (alpha growing with the horizon) over-covered. One prior does not fit both logs: montco's weeks
vary more than the sample's; the measured coverage and where it misses 0.72-0.88 are in benchmarks/RESULTS.md.

Missing hours (NaN counts, a gap in the log) are left out: of the fits (``forecast_methods``), of the
overdispersion and of the backtest's scores. ``MIN_WEEKS`` is the history each method needs before a forecast.

Holidays: each holiday's effect per stream (``forecast_holidays``); the subdivision's extra holidays only
where they improve the backtest (``forecast_subdivision``, ``subdivision_holidays``; ``holiday_extras`` gives
them instead).

The point forecasts' tuning (``DEFAULT_TUNING``) was chosen on montco with rolling origins 9-16 weeks before
the end of the data, i.e. on weeks that precede the 8-week evaluation window: see benchmarks/RESULTS.md.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from scheduler.forecast_methods import (
    HOUR,
    METHODS,
    WEEK_HOURS,
    LocalHistory,
    point_forecast,
    poisson_mean_abs_deviation,
    prepare_history,
)
from scheduler.forecast_subdivision import SubdivisionHolidays, choose_subdivision_holidays

DEFAULT_TUNING: dict[str, float] = {
    "level_halflife_weeks": 8.0,
    "profile_halflife_weeks": 8.0,
    "shape_shrink": 200.0,
    "hour_smoothing": 0.15,
    "trend_damping": 0.0,
    "holiday_prior_days": 2.0,
    "holiday_name_prior_days": 1.0,
    "dispersion_weeks": 4,
    "dispersion_prior": 0.02,
    "dispersion_prior_weeks": 2.0,
    "week_dispersion_prior": 0.008,
    "week_dispersion_prior_weeks": 0.5,
}


# -------------------------------------------------------------------------------------------------- intervals


def forecast_noise(method: str, weeks: int, history_weeks: int) -> float:
    """The Poisson noise a method's forecast carries, as a share of its rate: the same hour last week is one
    count (1), a mean of k weeks 1/k; the model pools many days per cell and its error is left to alpha."""
    if method == "seasonal_naive":
        return 1.0
    if method == "mean_last_weeks":
        return 1.0 / max(1, min(weeks, history_weeks))
    return 0.0


def p90_of(mu: np.ndarray, alpha: np.ndarray, noise: float, stream_rate: np.ndarray) -> np.ndarray:
    """The p90 of a forecast ``mu`` carrying Poisson ``noise``. For a mean of k weekly counts (noise 1/k) of a
    Poisson rate (Jeffreys prior), the next count is negative binomial with mean mu + 1/(2k) and variance
    (1 + 1/k) times that mean: a count of 0 last week still gives a p90 of 2, not 0. The shift is at most the
    stream's mean hourly ``stream_rate`` (a line that never rang keeps a p90 of 0). ``alpha`` adds the
    overdispersion and the level's error (variance + alpha mu^2)."""
    mean = mu + noise / 2 * np.minimum(stream_rate, 1.0)
    return nb_quantile(mean, alpha + noise / np.maximum(mean, 1e-12), 0.9)


def _stream_rates(local: LocalHistory, cutoff: int) -> np.ndarray:
    """Mean hourly count per stream and, last, of their sum, over the observed history before ``cutoff``."""
    values = local.values[:cutoff]
    values = values[~np.isnan(values[:, 0])]
    if not len(values):
        return np.zeros((len(local.streams) + 1, 1))
    rates = values.mean(axis=0)
    return np.append(rates, rates.sum())[:, None]


def _dispersion(local: LocalHistory, cutoff: int, method: str, weeks: int,
                tuning: dict) -> tuple[np.ndarray, np.ndarray]:
    """Overdispersion alpha per stream (and, last, for the sum of streams) from nested 1-week-ahead
    forecasts: of the hours, and of the weeks' totals (where the errors the hours share add up).

    Each nested origin needs only the ``MIN_WEEKS`` the method needs. The moments count the forecast's own
    Poisson noise (``forecast_noise``) with the count's, so alpha is what is left: overdispersion and the
    level's error. The hourly alpha is shrunk toward ``dispersion_prior`` with the weight of
    ``dispersion_prior_weeks`` nested weeks, the week's toward ``week_dispersion_prior`` with the weight of
    ``week_dispersion_prior_weeks``, so a short history (none, or 1-2 nested weeks) gets the priors rather
    than plain Poisson."""
    n_streams = len(local.streams)
    sq, mu2, sq_week, mu2_week = (np.zeros(n_streams + 1) for _ in range(4))
    nested = 0
    for j in range(1, int(tuning["dispersion_weeks"]) + 1):
        lo = cutoff - WEEK_HOURS * j
        if lo < WEEK_HOURS * MIN_WEEKS[method]:
            break
        mu = point_forecast(local, lo, local.index[lo:lo + WEEK_HOURS], method, weeks, tuning)
        y = local.values[lo:lo + WEEK_HOURS].T
        observed = ~np.isnan(y[0])  # missing hours tell nothing about the spread
        if not observed.any():
            continue
        per_call = 1.0 + forecast_noise(method, weeks, lo // WEEK_HOURS)  # variance per call forecast
        mu, y = mu[:, observed], y[:, observed]
        mu = np.vstack([mu, mu.sum(axis=0)])
        y = np.vstack([y, y.sum(axis=0)])
        sq += ((y - mu) ** 2 - per_call * mu).sum(axis=1)
        mu2 += (mu**2).sum(axis=1)
        sq_week += (y.sum(axis=1) - mu.sum(axis=1)) ** 2 - per_call * mu.sum(axis=1)
        mu2_week += mu.sum(axis=1) ** 2
        nested += 1
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = np.where(mu2 > 0, sq / mu2, 0.0)
        alpha_week = np.where(mu2_week > 0, sq_week / mu2_week, 0.0)
    alpha = _shrunk(alpha, nested, tuning["dispersion_prior"], tuning["dispersion_prior_weeks"])
    alpha_week = _shrunk(alpha_week, nested, tuning["week_dispersion_prior"],
                         tuning["week_dispersion_prior_weeks"])
    return np.clip(alpha, 0.0, None), np.clip(alpha_week, 0.0, None)


def _shrunk(found: np.ndarray, nested: int, prior: float, prior_weeks: float) -> np.ndarray:
    """``found`` from ``nested`` weeks, pulled toward ``prior``, which weighs as much as ``prior_weeks``
    weeks."""
    return (nested * found + prior_weeks * prior) / max(nested + prior_weeks, 1e-9)


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


def subdivision_holidays(counts: pd.DataFrame, *, timezone: str, holiday_country: str = "US",
                         holiday_subdiv: str | None = None, forecast_end: pd.Timestamp | None = None,
                         **tuning) -> SubdivisionHolidays:
    """The subdivision's extra holidays, and which of them the model uses (``forecast_subdivision``)."""
    return choose_subdivision_holidays(counts, timezone, holiday_country, holiday_subdiv, _tuning(tuning),
                                       MIN_WEEKS["model"], forecast_end)


def _with_extras(local: LocalHistory, known: pd.DataFrame, holiday_extras: tuple[str, ...] | None,
                 tuning: dict) -> tuple[LocalHistory, SubdivisionHolidays | None]:
    """``local`` with the given extra subdivision holidays or, for None, those the backtest of the ``known``
    history chooses (and that choice)."""
    chosen = None
    if holiday_extras is None:
        chosen = subdivision_holidays(known, timezone=local.timezone, holiday_country=local.holiday_country,
                                      holiday_subdiv=local.holiday_subdiv, **tuning)
        holiday_extras = chosen.used
    return replace(local, holiday_extras=tuple(holiday_extras)), chosen


def forecast_with_dispersion(counts: pd.DataFrame, start: pd.Timestamp, hours: int, *, method: str = "model",
                             timezone: str, holiday_country: str = "US", holiday_subdiv: str | None = None,
                             holiday_extras: tuple[str, ...] | None = None, weeks: int = 8,
                             **tuning) -> tuple[pd.DataFrame, pd.Series]:
    """``forecast``, and per stream (rows) the overdispersion of the hours its p90 came from ("hourly"), of a
    week's total ("weekly") and the forecast's own Poisson noise ("noise"), for ``total_quantiles``."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if hours < 1:
        raise ValueError("hours must be at least 1")
    tuning = _tuning(tuning)
    local = prepare_history(counts, timezone, holiday_country, holiday_subdiv)
    cutoff = _origin_row(local, start)
    local, _ = _with_extras(local, counts.iloc[:cutoff], holiday_extras, tuning)  # chosen on the past alone
    fc_index = pd.date_range(start.tz_convert("UTC"), periods=hours, freq="h")
    mu = point_forecast(local, cutoff, fc_index, method, weeks, tuning)
    alpha, alpha_week = (a[:-1] for a in _dispersion(local, cutoff, method, weeks, tuning))
    noise = forecast_noise(method, weeks, cutoff // WEEK_HOURS)
    p90 = p90_of(mu, alpha[:, None], noise, _stream_rates(local, cutoff)[:-1])
    dispersion = pd.DataFrame({"hourly": alpha, "weekly": alpha_week, "noise": noise}, index=local.streams)
    return _frame(fc_index, local.streams, mu, p90), dispersion


def forecast(counts: pd.DataFrame, start: pd.Timestamp, hours: int, *, method: str = "model",
             timezone: str, holiday_country: str = "US", holiday_subdiv: str | None = None,
             holiday_extras: tuple[str, ...] | None = None, weeks: int = 8, **tuning) -> pd.DataFrame:
    """Hourly p50/p90 calls per stream for ``hours`` UTC hours from ``start``, using history before ``start``
    (NaN counts are missing hours, left out of the fit). ``holiday_extras``: the subdivision's extra holidays
    to use (names); None: those that improve the backtest of the history before ``start``
    (``subdivision_holidays``).

    Returns a frame indexed by the forecast hours (UTC) with columns (stream, "p50"|"p90")."""
    return forecast_with_dispersion(counts, start, hours, method=method, timezone=timezone,
                                    holiday_country=holiday_country, holiday_subdiv=holiday_subdiv,
                                    holiday_extras=holiday_extras, weeks=weeks, **tuning)[0]


def total_quantiles(mu: np.ndarray, alpha: float, alpha_week: float, noise: float = 0.0,
                    qs: tuple[float, ...] = (0.1, 0.5, 0.9)) -> np.ndarray:
    """Quantiles of the total of hourly counts with rates ``mu``: a negative binomial with mean sum mu, the
    forecast's own Poisson ``noise`` (variance + noise sum mu, as for the hours) and the larger overdispersion
    of (a) the hours' ``alpha`` summed over independent hours (variance sum mu + alpha mu^2) and (b)
    ``alpha_week``, measured on the nested weeks' totals, where an error the hours share (the week's level)
    adds up."""
    mean = float(np.sum(mu))
    if mean <= 0:
        return np.zeros(len(qs))
    total_alpha = max(alpha * float(np.sum(np.square(mu))) / mean**2, alpha_week) + noise / mean
    return np.array([nb_quantile(np.array([mean]), total_alpha, q)[0] for q in qs])


# Weeks of history each method needs before a forecast (and so before each backtest week): the mean of the
# last weeks and the model need 2 (with 1 week both would only echo last week's counts, less plainly).
MIN_WEEKS: dict[str, int] = {"seasonal_naive": 1, "mean_last_weeks": 2, "model": 2}
BACKTEST_COLUMNS = ("method", "stream", "wape", "bias", "noise_floor", "p90_coverage", "hours")
# A backtest week with more than this share of its hours missing is left out of the scores.
MOSTLY_MISSING = 0.5


@dataclass(frozen=True)
class Backtest:
    table: pd.DataFrame  # (method, stream) -> wape, bias, noise_floor, p90_coverage, hours
    past: dict[str, pd.DataFrame]  # method -> its forecasts of the scored weeks: UTC hour x (stream, p50|p90)
    skipped: tuple[tuple[pd.Timestamp, int], ...]  # (start, missing hours) of each test week left out
    subdivision: SubdivisionHolidays | None = None  # the extra holidays chosen, when the backtest chose them


def full_weeks(counts: pd.DataFrame | int) -> int:
    """Whole weeks of hourly rows in ``counts`` (or of that many hours; missing hours included: they keep the
    weekly grid). A local week over the spring-forward change has 167 hours: it counts whole."""
    hours = counts if isinstance(counts, int) else len(counts)
    return (hours + 1) // WEEK_HOURS


def backtest(counts: pd.DataFrame, *, timezone: str, weeks: int = 8, methods=METHODS,
             holiday_country: str = "US", holiday_subdiv: str | None = None,
             holiday_extras: tuple[str, ...] | None = None, **tuning) -> pd.DataFrame:
    """The table of ``run_backtest``."""
    return run_backtest(counts, timezone=timezone, weeks=weeks, methods=methods,
                        holiday_country=holiday_country, holiday_subdiv=holiday_subdiv,
                        holiday_extras=holiday_extras, **tuning).table


def run_backtest(counts: pd.DataFrame, *, timezone: str, weeks: int = 8, methods=METHODS,
                 holiday_country: str = "US", holiday_subdiv: str | None = None,
                 holiday_extras: tuple[str, ...] | None = None, **tuning) -> Backtest:
    """Rolling-origin backtest: origins at end - 168 k hours (k = weeks..1, end = last hour + 1 h), each
    forecasting the next 168 hours from the data before it; every method needs ``MIN_WEEKS`` weeks before the
    first origin. ``mean_last_weeks`` averages 8 weeks whatever ``weeks`` is. Missing hours (NaN) are not
    scored; a week with more than ``MOSTLY_MISSING`` of its hours missing is skipped (``Backtest.skipped``).

    Rows (method, stream), streams plus "all" (the per-hour sum) when there are several streams. Columns:
    wape = sum|y - p50| / sum y, bias = (sum p50 - sum y) / sum y, noise_floor = sum over hours of E|X - lam|
    / sum y for X ~ Poisson(lam), with lam the model's forecast rate for that hour (one rate for every
    method's row, so the floor is the same per stream), p90_coverage = share of hours with y <= p90, hours
    (scored). "all" uses the per-hour sums of p50 and of lam, and a p90 from the negative binomial of the
    summed rate with the sum's own dispersion. ``holiday_extras`` as in ``forecast``; when None, the choice is
    ``Backtest.subdivision``."""
    tuning = _tuning(tuning)
    need = max(MIN_WEEKS[m] for m in methods)
    have = full_weeks(counts)
    if weeks < 1 or weeks + need > have:
        fits = [m for m in METHODS if MIN_WEEKS[m] < have]
        fix = (f"weeks={have - need} or less" if have > need else
               f"methods={tuple(fits)}" if fits else "a longer history: no method has a week to test")
        raise ValueError(f"a backtest of {weeks} weeks of {', '.join(methods)} needs {weeks + need} weeks of "
                         f"history; counts hold {have}: {fix}")
    local, chosen = _with_extras(prepare_history(counts, timezone, holiday_country, holiday_subdiv), counts,
                                 holiday_extras, tuning)
    end = local.index[-1] + HOUR
    streams = local.streams
    acc: dict[str, dict[str, list[np.ndarray]]] = {
        m: {"y": [], "p50": [], "p90": [], "lam": []} for m in methods
    }
    past: dict[str, list[pd.DataFrame]] = {m: [] for m in methods}
    skipped = []
    for origin in (end - WEEK_HOURS * k * HOUR for k in range(weeks, 0, -1)):
        cutoff = _origin_row(local, origin)
        fc_index = local.index[cutoff:cutoff + WEEK_HOURS]
        y = local.values[cutoff:cutoff + WEEK_HOURS].T
        observed = ~np.isnan(y[0])
        if (~observed).sum() > MOSTLY_MISSING * WEEK_HOURS:
            skipped.append((origin, int((~observed).sum())))
            continue
        y = np.vstack([y, y.sum(axis=0)])[:, observed]
        lam = point_forecast(local, cutoff, fc_index, "model", 8, tuning)
        lam = np.vstack([lam, lam.sum(axis=0)])
        for m in methods:
            mu = lam if m == "model" else np.vstack(
                [p := point_forecast(local, cutoff, fc_index, m, 8, tuning), p.sum(axis=0)])
            alpha = _dispersion(local, cutoff, m, 8, tuning)[0]
            noise = forecast_noise(m, 8, cutoff // WEEK_HOURS)
            p90 = np.maximum(p90_of(mu, alpha[:, None], noise, _stream_rates(local, cutoff)), mu)
            past[m].append(_frame(fc_index, streams, mu[:-1], p90[:-1]))
            for key, value in (("y", y), ("p50", mu[:, observed]), ("p90", p90[:, observed]),
                               ("lam", lam[:, observed])):
                acc[m][key].append(value)
    names = streams + ["all"] if len(streams) > 1 else streams
    rows = []
    for m in methods if len(past[methods[0]]) else ():
        y, p50, p90, lam = (np.concatenate(acc[m][k], axis=1) for k in ("y", "p50", "p90", "lam"))
        for i, name in enumerate(names):
            total = y[i].sum()
            rows.append({
                "method": m, "stream": name,
                # A stream without a call in its test weeks has no WAPE (NaN, not a warning).
                "wape": np.abs(y[i] - p50[i]).sum() / total if total else np.nan,
                "bias": (p50[i].sum() - total) / total if total else np.nan,
                "noise_floor": poisson_mean_abs_deviation(lam[i]).sum() / total if total else np.nan,
                "p90_coverage": float((y[i] <= p90[i]).mean()),
                "hours": y.shape[1],
            })
    table = pd.DataFrame(rows, columns=list(BACKTEST_COLUMNS)).set_index(["method", "stream"])
    # Hourly, NaN over a skipped week (a plot breaks its line there).
    past_hourly = {m: pd.concat(frames).asfreq("h") for m, frames in past.items() if frames}
    return Backtest(table, past_hourly, tuple(skipped), chosen)


def choose_method(table: pd.DataFrame) -> str:
    """The method with the lowest WAPE on stream "all" of a ``backtest`` table (on its only stream if it has
    one)."""
    streams = table.index.get_level_values("stream")
    stream = "all" if "all" in streams else streams[0]
    wape = table.xs(stream, level="stream")["wape"]
    if wape.isna().all():  # no call in the test weeks: nothing tells the methods apart
        return "model" if "model" in wape.index else str(wape.index[-1])
    return str(wape.idxmin())
