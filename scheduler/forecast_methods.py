"""Point forecasts of hourly call volumes per stream: the methods and the local (day, hour) grid they work on.

``scheduler.forecasting`` adds the p50/p90 intervals, the rolling-origin backtest and the method choice.

Everything works on a *local* grid: each history hour is placed at (local date, local hour 0-23) in the
center's time zone, so weekly seasonality follows the clock on the wall. A forecast across a DST change
therefore has 167 or 169 hourly rows for a local week and 07:00 local always gets the 07:00 value. On the
fall-back day the repeated local hour 01:00 gets the 01:00 rate twice (each is a full hour); in history its
two hours are averaged.

Methods (``METHODS``):

- ``seasonal_naive``: the count at the same local hour one week earlier (the most recent week before
  ``start`` where that hour is not missing).
- ``mean_last_weeks``: the mean of the ``weeks`` most recent weeks at the same local hour-of-week.
- ``model`` (default): a multiplicative decomposition fitted by weighted ratios (closed form, no optimizer):

      rate(stream, day, hour) = level x total(day type) x share(day type, hour) [x holiday multiplier]

  * day types: Monday ... Sunday, and holidays (the ``holidays`` package's calendar for ``holiday_country``,
    plus the ``holiday_extras`` of ``holiday_subdiv``), which take Sunday's profile times a multiplier per
    stream and per holiday, shrunk toward the stream's pooled holiday effect (``scheduler.forecast_holidays``:
    with ~1 occurrence of each holiday a year, the data alone is too thin). Holidays are left out of the
    weekday estimates.
  * ``total`` and ``share`` use exponentially weighted history (half-life ``profile_halflife_weeks``); each
    day type's intraday shares are shrunk toward its group's (Mon-Fri or Sat-Sun, ``shape_shrink``
    pseudo-days) and smoothed across neighbouring hours (``hour_smoothing``), which cuts the noise of a raw
    hour-of-week mean.
  * ``level`` rescales that profile to the recent volume: weighted observed / weighted profile over recent
    weeks (half-life ``level_halflife_weeks``), times a damped trend of the weekly levels (``trend_damping``,
    0 = off).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scheduler.forecast_holidays import holiday_multipliers, holiday_names

METHODS = ("seasonal_naive", "mean_last_weeks", "model")

HOUR = pd.Timedelta(hours=1)
WEEK_HOURS = 168
SUNDAY = 6
HOLIDAY = 7  # day type of a holiday
_GROUPS = np.array([0, 0, 0, 0, 0, 1, 1, 1])  # Mon-Fri -> 0, Sat/Sun/holiday -> 1


# ------------------------------------------------------------------------------------------------- local grid


@dataclass(frozen=True)
class LocalHistory:
    """Counts placed on a local (day, hour) grid; rows are the UTC hours of ``counts`` in order."""

    streams: list[str]
    index: pd.DatetimeIndex  # UTC
    values: np.ndarray  # (rows, streams) float
    day: np.ndarray  # local day number per row, 0 = day0
    hour: np.ndarray  # local hour 0-23 per row
    day0: pd.Timestamp  # naive local midnight
    timezone: str
    holiday_country: str | None
    holiday_subdiv: str | None
    holiday_extras: tuple[str, ...]  # the subdivision's extra holidays in use (forecast_holidays)

    def cells(self, index: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
        return _day_hour(index, self.timezone, self.day0)

    def grid(self, cutoff: int, n_days: int) -> np.ndarray:
        """(streams, n_days, 24) mean count per local cell from rows [0, cutoff); NaN where not observed (no
        row, or only missing hours: NaN in every stream)."""
        day, hour = self.day[:cutoff], self.hour[:cutoff]
        keep = (day < n_days) & ~np.isnan(self.values[:cutoff, 0])
        day, hour = day[keep], hour[keep]
        values = self.values[:cutoff][keep]
        observed = ~np.isnan(values[:, 0])  # a missing hour is missing for every stream (prepare_history)
        total = np.zeros((len(self.streams), n_days, 24))
        seen = np.zeros((n_days, 24))
        for s in range(len(self.streams)):
            np.add.at(total[s], (day[observed], hour[observed]), values[observed, s])
        np.add.at(seen, (day[observed], hour[observed]), 1.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(seen > 0, total / seen, np.nan)

    def day_types(self, n_days: int) -> tuple[np.ndarray, np.ndarray]:
        """Per local day from day0: its day type (0-6 Monday-Sunday, HOLIDAY) and holiday name (or None)."""
        days = self.day0 + pd.to_timedelta(np.arange(n_days), unit="D")
        types = np.asarray(days.day_of_week, dtype=int)
        names = holiday_names(days, self.holiday_country, self.holiday_subdiv, self.holiday_extras)
        types[np.array([n is not None for n in names], dtype=bool)] = HOLIDAY
        return types, names


def _day_hour(index: pd.DatetimeIndex, timezone: str, day0: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
    local = index.tz_convert(timezone).tz_localize(None)
    day = np.asarray((local.floor("D") - day0) // pd.Timedelta(days=1), dtype=int)
    return day, np.asarray(local.hour, dtype=int)


def prepare_history(counts: pd.DataFrame, timezone: str, holiday_country: str | None,
                    holiday_subdiv: str | None, holiday_extras: tuple[str, ...] = ()) -> LocalHistory:
    """Check ``counts`` (a complete UTC hourly index, 0 where no call came, NaN where the hour is missing from
    the log) and place its rows on the local grid. An hour missing for any stream is missing for all: the
    methods skip it (a cell never observed, like the hours before the history) rather than read it as 0."""
    if not isinstance(counts.index, pd.DatetimeIndex) or counts.index.tz is None:
        raise ValueError("counts must be indexed by a tz-aware DatetimeIndex (UTC hours)")
    if len(counts) == 0:
        raise ValueError("counts is empty: no history to forecast from")
    index = counts.index.tz_convert("UTC")
    if not index.is_monotonic_increasing or index.has_duplicates:
        raise ValueError("counts index must be increasing hourly timestamps without duplicates")
    if (index != index.floor("h")).any():
        raise ValueError("counts index must be on the hour (UTC)")
    if len(index) > 1 and (index[1:] - index[:-1] != HOUR).any():
        raise ValueError("counts index must be a complete hourly index (0 for no calls, NaN for missing)")
    values = counts.to_numpy(dtype=float, copy=True)
    if (values < 0).any() or np.isinf(values).any():
        raise ValueError("counts must be non-negative numbers (NaN for a missing hour)")
    values[np.isnan(values).any(axis=1)] = np.nan
    first_local = index[:1].tz_convert(timezone).tz_localize(None).floor("D")[0]
    day, hour = _day_hour(index, timezone, first_local)
    return LocalHistory([str(c) for c in counts.columns], index, values, day, hour, first_local, timezone,
                        holiday_country, holiday_subdiv, tuple(holiday_extras))


# ---------------------------------------------------------------------------------------------- point methods


def _lag_means(grid: np.ndarray, day: np.ndarray, hour: np.ndarray, weeks: int) -> np.ndarray:
    """Mean of the ``weeks`` most recent observed values at the same local hour-of-week (lags of 7 days)."""
    n_streams = grid.shape[0]
    total = np.zeros((n_streams, len(day)))
    taken = np.zeros(len(day))
    lag = 7
    while (taken < weeks).any() and (day - lag >= 0).any():
        d = day - lag
        ok = (d >= 0) & (taken < weeks)
        value = np.full((n_streams, len(day)), np.nan)
        value[:, ok] = grid[:, d[ok], hour[ok]]
        use = ~np.isnan(value[0])
        total[:, use] += value[:, use]
        taken += use
        lag += 7
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / taken
    if (taken == 0).any():  # less than a week of history: the same local hour of any day, else anything
        by_hour = _nanmean(grid, axis=1)  # (streams, 24)
        fallback = by_hour[:, hour]
        anything = np.nan_to_num(_nanmean(grid.reshape(n_streams, -1), 1))[:, None]
        fallback = np.where(np.isnan(fallback), anything, fallback)
        mean = np.where(taken == 0, fallback, mean)
    return mean


def _nanmean(a: np.ndarray, axis: int) -> np.ndarray:
    n = (~np.isnan(a)).sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, np.nansum(a, axis=axis) / np.maximum(n, 1), np.nan)


def _weighted_mean(y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean over axis 1 of (streams, days, 24) with day weights ``w``; NaN cells are skipped."""
    seen = ~np.isnan(y[0])
    ww = np.where(seen, w[:, None], 0.0)  # (days, 24)
    total = np.einsum("sdh,dh->sh", np.nan_to_num(y), ww)
    weight = ww.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / weight, weight


def _model(grid: np.ndarray, types: np.ndarray, names: np.ndarray, origin_day: float, cut_day: int,
           day: np.ndarray, hour: np.ndarray, tuning: dict) -> np.ndarray:
    n_streams = grid.shape[0]
    hist = grid[:, :cut_day]
    htypes = types[:cut_day]
    age_weeks = (origin_day - np.arange(cut_day) - 0.5) / 7.0
    w_profile = 0.5 ** (age_weeks / tuning["profile_halflife_weeks"])

    # Rates per day type (Mon..Sun) and hour, exponentially weighted.
    rate = np.full((n_streams, 8, 24), np.nan)
    weight = np.zeros((8, 24))
    for t in range(7):
        sel = htypes == t
        if sel.any():
            rate[:, t], weight[t] = _weighted_mean(hist[:, sel], w_profile[sel])
    overall, _ = _weighted_mean(hist[:, htypes < 7], w_profile[htypes < 7])  # any non-holiday day
    overall = _fill_hours(overall)
    # Missing day types or hours: the overall hour-of-day rate.
    rate[:, :7] = np.where(np.isnan(rate[:, :7]), overall[:, None, :], rate[:, :7])

    # Day totals and intraday shares; shares shrunk toward the group share, then smoothed across hours.
    totals = rate[:, :7].sum(axis=2)  # (streams, 7)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(totals[:, :, None] > 0, rate[:, :7] / totals[:, :, None], 1.0 / 24)
    days_weight = weight[:7].mean(axis=1)  # effective (weighted) number of days per type
    smoothed = np.empty_like(shares)
    k = tuning["shape_shrink"]
    for g in (0, 1):
        members = np.nonzero(_GROUPS[:7] == g)[0]
        wts = days_weight[members] * totals[:, members]  # weight shares by calls
        with np.errstate(invalid="ignore", divide="ignore"):
            group = np.einsum("st,sth->sh", wts, shares[:, members]) / wts.sum(axis=1)[:, None]
        group = np.where(np.isfinite(group), group, 1.0 / 24)
        for t in members:
            smoothed[:, t] = (days_weight[t] * shares[:, t] + k * group) / (days_weight[t] + k)
    a = tuning["hour_smoothing"]
    if a > 0:  # smooth along the week's 168 hours (Sunday 23:00 neighbours Monday 00:00)
        flat = smoothed.reshape(n_streams, -1)
        flat = (1 - 2 * a) * flat + a * np.roll(flat, 1, axis=1) + a * np.roll(flat, -1, axis=1)
        smoothed = flat.reshape(n_streams, 7, 24)
        smoothed /= smoothed.sum(axis=2, keepdims=True)
    profile = np.empty((n_streams, 8, 24))
    profile[:, :7] = totals[:, :, None] * smoothed
    profile[:, HOLIDAY] = profile[:, SUNDAY]

    # Recent level relative to the profile (holidays left out), with an optional damped weekly trend.
    expected = profile[:, htypes, :]  # (streams, days, 24)
    regular = htypes < 7
    seen = ~np.isnan(hist[0]) & regular[:, None]
    w_level = 0.5 ** (age_weeks / tuning["level_halflife_weeks"])
    ww = np.where(seen, w_level[:, None], 0.0)
    obs = np.einsum("sdh,dh->s", np.nan_to_num(hist), ww)
    exp = np.einsum("sdh,dh->s", expected, ww)
    level = np.where(exp > 0, obs / np.where(exp > 0, exp, 1), 1.0)

    # Holidays: Sunday's profile at the current level times each holiday's multiplier per stream.
    mult = holiday_multipliers(hist, level[:, None] * profile[:, SUNDAY], names, tuning)
    mu = level[:, None] * profile[:, types[day], hour] * mult[:, day]
    phi = tuning["trend_damping"]
    if phi > 0:
        mu = mu * _damped_trend(hist, expected, seen, origin_day, day, phi)
    return mu


def _fill_hours(rate: np.ndarray) -> np.ndarray:
    """Replace NaN hours by the stream's mean hour (0 if nothing is known)."""
    mean = np.nan_to_num(_nanmean(rate, axis=1))
    return np.where(np.isnan(rate), mean[:, None], rate)


def _damped_trend(hist, expected, seen, origin_day, day, phi) -> np.ndarray:
    """Multiplier per (stream, forecast hour): damped linear trend of the last 8 weekly levels."""
    n_weeks = 8
    cut = hist.shape[1]
    levels, xs = [], []
    for j in range(n_weeks):
        lo, hi = cut - 7 * (j + 1), cut - 7 * j
        if lo < 0:
            break
        s = seen[lo:hi]
        o = np.where(s, np.nan_to_num(hist[:, lo:hi]), 0).sum(axis=(1, 2))
        e = np.where(s, expected[:, lo:hi], 0).sum(axis=(1, 2))
        if (e <= 0).any():
            break
        levels.append(o / e)
        xs.append(-j)
    if len(levels) < 3:
        return np.ones((hist.shape[0], len(day)))
    x = np.array(xs, dtype=float)
    y = np.array(levels)  # (weeks, streams)
    xc = x - x.mean()
    slope = (xc[:, None] * (y - y.mean(axis=0))).sum(axis=0) / (xc**2).sum()
    level_now = y.mean(axis=0) + slope * (0.5 - x.mean())  # level at the origin week
    steps = (day + 0.5 - origin_day) / 7.0  # weeks ahead
    damp = phi * (1 - phi ** np.maximum(steps, 0)) / (1 - phi) if phi < 1 else steps
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = (level_now[:, None] + slope[:, None] * damp[None, :]) / level_now[:, None]
    return np.clip(np.nan_to_num(ratio, nan=1.0), 0.5, 2.0)


def point_forecast(local: LocalHistory, cutoff: int, fc_index: pd.DatetimeIndex, method: str, weeks: int,
           tuning: dict) -> np.ndarray:
    """Mean forecast (streams, hours) for ``fc_index`` from rows [0, cutoff) of ``local``."""
    day, hour = local.cells(fc_index)
    if (day < 0).any():
        raise ValueError("forecast hours must come after the start of the history")
    n_days = int(day.max()) + 1
    grid = local.grid(cutoff, n_days)
    if method in ("seasonal_naive", "mean_last_weeks"):
        mu = _lag_means(grid, day, hour, 1 if method == "seasonal_naive" else weeks)
    elif method == "model":
        types, names = local.day_types(n_days)
        origin = fc_index[0].tz_convert(local.timezone).tz_localize(None)
        origin_day = (origin - local.day0) / pd.Timedelta(days=1)
        cut_day = math.ceil(origin_day)  # days with any history before the origin
        mu = _model(grid, types, names, origin_day, cut_day, day, hour, tuning)
    else:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    return np.clip(np.nan_to_num(mu), 0.0, None)


def poisson_mean_abs_deviation(lam: np.ndarray) -> np.ndarray:
    """E|X - lam| for X ~ Poisson(lam): 2 lam^(floor(lam)+1) e^-lam / floor(lam)!, via logs."""
    lam = np.asarray(lam, dtype=float)
    out = np.zeros(lam.shape)
    pos = lam > 0
    k = np.floor(lam[pos])
    lgamma = np.vectorize(math.lgamma, otypes=[float])
    out[pos] = 2.0 * np.exp((k + 1) * np.log(lam[pos]) - lam[pos] - lgamma(k + 1))
    return out
