"""A period's forecast in a scenario: the base forecast's first week, hour of the week by hour of the week in
local time, carried forward to the period with the scenario's growth, handle-time changes and diversions."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from scheduler.domain import Forecast, Horizon
from scheduler.domain.scenario import Demand
from scheduler.errors import InputError

ALL = "*"  # a growth or handle-time change for every stream


def change_of(changes: tuple[tuple[str, float], ...], stream: str) -> float:
    table = dict(changes)
    return table.get(stream, table.get(ALL, 0.0))


def profile_start(base: Forecast, tz) -> date:
    """The first local day the forecast covers from its midnight on (the profile's week starts there)."""
    first = base.frame["timestamp"].min().tz_convert(tz)
    return first.date() if (first.hour, first.minute) == (0, 0) else first.date() + timedelta(days=1)


def weekly_profile(base: Forecast, start: date, tz) -> pd.DataFrame:
    """The base forecast's week from `start` (local), indexed by (local weekday, hour, stream), Monday 0; a
    repeated hour on a DST night keeps its first reading."""
    horizon = Horizon(start, 7, tz)
    frame = base.frame[(base.frame["timestamp"] >= horizon.begin) & (base.frame["timestamp"] < horizon.end)]
    if frame["timestamp"].nunique() < 7 * 24 - 1:
        raise InputError(f"the forecast does not hold a whole week from {start}, its first local midnight: "
                         "scenarios carry that week forward", file=base.source, column="timestamp",
                         fix="give [base] forecast at least 7 days of hourly rows")
    local = frame["timestamp"].dt.tz_convert(tz)
    keyed = frame.assign(day=local.dt.day_of_week, hour=local.dt.hour)
    return keyed.drop_duplicates(["day", "hour", "stream"]).set_index(["day", "hour", "stream"])


def period_forecast(profile: pd.DataFrame, base_start: date, period: Horizon, demand: Demand,
                    source) -> Forecast:
    """The profile played over `period` (a week): each local hour takes the profile's hour of the same
    weekday (an hour the base week skipped for DST takes the nearest earlier one of that day, else the next),
    grown by (1 + growth) per year since the base week, handle time by (1 + change), then diversions move a
    share of a stream's calls to another stream or out of the center."""
    streams = sorted(profile.index.get_level_values("stream").unique())
    years = (period.start - base_start).days / 365.25
    rows = []
    for slot in range(period.n_slots):
        local = period.slot_start(slot)
        day, hour = local.weekday(), local.hour
        for stream in streams:
            at = hour
            if (day, at, stream) not in profile.index:
                at = min((h for h in range(24) if (day, h, stream) in profile.index),
                         key=lambda h: (abs(h - hour), h > hour))
            row = profile.loc[(day, at, stream)]
            grow = (1 + change_of(demand.growth, stream)) ** years
            longer = 1 + change_of(demand.handle_time, stream)
            rows.append((period.begin + pd.Timedelta(hours=slot), stream, row["calls_p50"] * grow,
                         row["calls_p90"] * grow, row["aht_seconds"] * longer))
    frame = pd.DataFrame(rows, columns=["timestamp", "stream", "calls_p50", "calls_p90", "aht_seconds"])
    for diversion in demand.diversions:
        _divert(frame, diversion.stream, diversion.share, diversion.to)
    return Forecast(source, frame)


def _divert(frame: pd.DataFrame, stream: str, share: float, to: str | None) -> None:
    """Move `share` of `stream`'s calls (p50 and p90) to `to` (None: out of the center), hour by hour; the
    receiving stream's handle time becomes the call-weighted mean of both."""
    source = (frame["stream"] == stream).to_numpy()
    moved = frame.loc[source, ["calls_p50", "calls_p90"]].to_numpy() * share
    aht = frame.loc[source, "aht_seconds"].to_numpy()
    frame.loc[source, ["calls_p50", "calls_p90"]] -= moved
    if to is None:
        return
    target = (frame["stream"] == to).to_numpy()
    before = frame.loc[target, "calls_p50"].to_numpy()
    after = before + moved[:, 0]
    weighted = np.divide(before * frame.loc[target, "aht_seconds"].to_numpy() + moved[:, 0] * aht, after,
                         out=frame.loc[target, "aht_seconds"].to_numpy().astype(float), where=after > 0)
    frame.loc[target, "aht_seconds"] = weighted
    frame.loc[target, ["calls_p50", "calls_p90"]] += moved
