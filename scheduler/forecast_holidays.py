"""Holiday effects of the forecast model: which local dates are which holiday, and each holiday's multiplier
per stream.

Calendar (``holiday_names``): the ``holidays`` package's country calendar, plus those of the subdivision's
extra holidays (dates the country calendar does not have, e.g. PA's Day After Thanksgiving) that ``extras``
names; ``scheduler.forecast_subdivision`` chooses them by backtest. A holiday is named without
" (observed)": the observed weekday of Christmas is Christmas for the forecast.

Multipliers (``holiday_multipliers``): a holiday day takes the stream's Sunday profile at the current level
(``base``) times a multiplier per stream and per holiday, estimated from that holiday's days in the history
(observed calls / base) and shrunk toward a prior with ``holiday_name_prior_days`` pseudo-days. The prior is
the pooled effect of the stream's *other* holidays in the history, itself shrunk toward 1 with
``holiday_prior_days`` pseudo-days. So an admin line that halves on Christmas and a 9-1-1 line that rises get
their own multipliers; a holiday the history has never seen (Thanksgiving in a summer-only history) takes
the pooled effect; with no holiday in the history every multiplier is 1. The weights: ``holiday_prior_days``
= 2 is the previous model's (one multiplier for all holidays); ``holiday_name_prior_days`` = 1 (a holiday's
single past occurrence weighs as much as the prior) was set, not tuned: neither montco (Dec 2015-Aug 2016)
nor the sample history (Jul-Nov 2026) has a holiday twice, so every holiday of their backtests is a first
occurrence and takes the pooled prior (benchmarks/forecast_holidays.py, benchmarks/RESULTS.md).
"""

from __future__ import annotations

from collections.abc import Iterable

import holidays as holidays_lib
import numpy as np
import pandas as pd

OBSERVED = " (observed)"


def _key(name: str) -> str:
    """The holiday's name for its effect: the first of several on one date, without " (observed)"."""
    return name.split("; ")[0].replace(OBSERVED, "").strip()


def _calendar(country: str, subdiv: str | None, years: Iterable[int]) -> dict:
    return dict(holidays_lib.country_holidays(country, subdiv=subdiv, years=list(years)))


def subdivision_extras(country: str | None, subdiv: str | None, years: Iterable[int]) -> dict:
    """The subdivision's extra holidays in ``years``: date -> name, for dates the country calendar lacks."""
    if not country or not subdiv:
        return {}
    years = list(years)
    national = _calendar(country, None, years)
    return {d: _key(n) for d, n in _calendar(country, subdiv, years).items() if d not in national}


def holiday_names(days: pd.DatetimeIndex, country: str | None, subdiv: str | None,
                  extras: tuple[str, ...]) -> np.ndarray:
    """Per local day (naive midnights): its holiday's name, or None. The country calendar, plus the
    subdivision's extra holidays named in ``extras``."""
    names = np.full(len(days), None, dtype=object)
    if not country or not len(days):
        return names
    years = range(days[0].year, days[-1].year + 1)
    named = {d: _key(n) for d, n in _calendar(country, None, years).items()}
    named.update({d: n for d, n in subdivision_extras(country, subdiv, years).items() if n in extras})
    for i, day in enumerate(days):
        names[i] = named.get(day.date())
    return names


def holiday_multipliers(hist: np.ndarray, base: np.ndarray, names: np.ndarray, tuning: dict) -> np.ndarray:
    """Multiplier (streams, days) for every day of ``names`` (history then forecast days; 1 where no holiday).

    ``hist`` (streams, history days, 24) are the observed counts (NaN: missing), ``base`` (streams, 24) the
    expected counts of a holiday before its effect (Sunday's profile at the current level)."""
    n_streams = hist.shape[0]
    mult = np.ones((n_streams, len(names)))
    in_history = names[:hist.shape[1]]
    stats = {}  # name -> (observed calls, expected calls, observed days), per stream
    for name in sorted({n for n in in_history if n is not None}):
        days = hist[:, in_history == name]  # (streams, days, 24)
        seen = ~np.isnan(days[0])
        if seen.any():
            stats[name] = (np.where(seen, days, 0).sum(axis=(1, 2)),
                           np.where(seen, base[:, None, :], 0).sum(axis=(1, 2)), seen.sum() / 24.0)
    per_day = base.sum(axis=1)
    for name in {n for n in names if n is not None}:
        others = [s for n, s in stats.items() if n != name]
        pooled = _shrunk(sum(s[0] for s in others), sum(s[1] for s in others), per_day,
                         tuning["holiday_prior_days"], 1.0) if others else np.ones(n_streams)
        if name in stats:
            observed, expected, _ = stats[name]
            effect = _shrunk(observed, expected, per_day, tuning["holiday_name_prior_days"], pooled)
        else:
            effect = pooled
        mult[:, names == name] = effect[:, None]
    return mult


def _shrunk(observed, expected, per_day: np.ndarray, prior_days: float, prior: np.ndarray | float):
    """(observed + k e prior) / (expected + k e): the ratio observed/expected shrunk toward ``prior`` with the
    weight of ``prior_days`` days of ``per_day`` expected calls."""
    weight = prior_days * per_day
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = (observed + weight * prior) / (expected + weight)
    return np.where(np.isfinite(ratio), ratio, 1.0)
