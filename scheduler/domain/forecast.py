"""The hourly call forecast (README, Forecast file)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class Forecast:
    """Hourly forecast: one row per hour and stream (timestamp in UTC, calls_p50, calls_p90, aht_seconds)."""

    source: Path
    frame: pd.DataFrame = field(repr=False)

    @property
    def streams(self) -> tuple[str, ...]:
        return tuple(sorted(self.frame["stream"].unique()))
