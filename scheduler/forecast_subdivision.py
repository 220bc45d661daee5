"""Which of a subdivision's extra holidays the model uses: only those that improve its backtest.

A subdivision (``--subdivision PA``) adds holidays to the country's (PA: the Day After Thanksgiving); a state
holiday that the center's callers do not keep makes the forecast worse. So each extra holiday (by name) is
tested alone against the country calendar: the model forecasts every week of the history that contains one
of its days (the 168 hours from each backtest origin, end - 168 k hours, with at least the model's
``MIN_WEEKS`` of history before it), once with the holiday and once without, and the holiday is used only if
its WAPE over those weeks (every stream's hours, missing hours left out) is strictly lower. An extra holiday
that the history never reaches cannot be tested and is not used. Deterministic: no randomness, names sorted.

The test weeks may overlap the backtest's, so the backtest of the chosen calendar is a little optimistic on
those few weeks (one per occurrence).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from scheduler.forecast_holidays import subdivision_extras
from scheduler.forecast_methods import WEEK_HOURS, point_forecast, prepare_history


@dataclass(frozen=True)
class SubdivisionHolidays:
    subdiv: str | None
    used: tuple[str, ...]  # the extra holidays the forecast uses
    tested: tuple[tuple[str, float, float, int], ...]  # (name, WAPE without, WAPE with, weeks) each tested
    untested: tuple[str, ...]  # extra holidays with no day in a week of the history the model can forecast

    def said(self) -> str:
        """One sentence for the forecast's output; empty without a subdivision."""
        if not self.subdiv:
            return ""
        if not (self.tested or self.untested):
            return f"{self.subdiv} has no holidays beyond the country's in the history and forecast weeks"
        parts = [f"{name} {'used' if name in self.used else 'not used'} (WAPE of its {weeks} "
                 f"week{'s' * (weeks != 1)} {without:.3f} without, {with_:.3f} with)"
                 for name, without, with_, weeks in self.tested]
        if self.untested:
            parts.append(f"{', '.join(self.untested)} not used (no week of the history to test it on)")
        return f"{self.subdiv} holidays beyond the country's: {'; '.join(parts)}"


def choose_subdivision_holidays(counts: pd.DataFrame, timezone: str, country: str | None, subdiv: str | None,
                                tuning: dict, min_weeks: int, forecast_end: pd.Timestamp | None = None,
                                ) -> SubdivisionHolidays:
    """The extra holidays of ``subdiv`` (those in the history and, up to ``forecast_end``, the forecast) and
    which of them improve the model's backtest on the history's weeks that contain them."""
    end = counts.index[-1] if forecast_end is None else max(counts.index[-1], forecast_end)
    first, last = (t.tz_convert(timezone) for t in (counts.index[0], end))
    extras = subdivision_extras(country, subdiv, range(first.year, last.year + 1))
    extras = {d: n for d, n in extras.items() if first.date() <= d <= last.date()}
    if not extras:
        return SubdivisionHolidays(subdiv, (), (), ())
    without = prepare_history(counts, timezone, country, subdiv, ())
    origins = [len(counts) - WEEK_HOURS * k for k in range(len(counts) // WEEK_HOURS, 0, -1)]
    origins = [cut for cut in origins if cut >= WEEK_HOURS * min_weeks]
    local_dates = counts.index.tz_convert(timezone).date
    used, tested, untested = [], [], []
    for name in sorted(set(extras.values())):
        days = {d for d, n in extras.items() if n == name}
        weeks = [cut for cut in origins if days & set(local_dates[cut:cut + WEEK_HOURS])]
        if not weeks:
            untested.append(name)
            continue
        with_it = replace(without, holiday_extras=(name,))
        scores = [_wape(local, weeks, tuning) for local in (without, with_it)]
        tested.append((name, scores[0], scores[1], len(weeks)))
        if scores[1] < scores[0] * (1 - 1e-9):  # strictly better, beyond rounding
            used.append(name)
    return SubdivisionHolidays(subdiv, tuple(used), tuple(tested), tuple(untested))


def _wape(local, cuts: list[int], tuning: dict) -> float:
    """WAPE of the model's 1-week forecasts from ``cuts``, every stream's observed hours pooled."""
    error = total = 0.0
    for cut in cuts:
        fc_index = local.index[cut:cut + WEEK_HOURS]
        mu = point_forecast(local, cut, fc_index, "model", 8, tuning)
        y = local.values[cut:cut + WEEK_HOURS].T
        seen = ~np.isnan(y[0])
        error += float(np.abs(y[:, seen] - mu[:, seen]).sum())
        total += float(y[:, seen].sum())
    return error / total if total > 0 else 0.0
