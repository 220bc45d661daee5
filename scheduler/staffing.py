"""Staffing requirement per hour and position: queueing for call-takers, fixed floors for radio and supervisors.

required[p, t] = max(floor[p, t], seats[p, t]) where seats is the Erlang C answer for call-taking positions (the
smallest count meeting every service target and the occupancy cap, grossed up for shrinkage) and 0 otherwise, and
floor is the largest Minimums row that applies to the slot's local time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scheduler import queueing
from scheduler.domain import Center, Forecast, Horizon, PositionKind, Rules
from scheduler.errors import InputError

QUANTILE_COLUMNS = {"p50": "calls_p50", "p90": "calls_p90"}


@dataclass(frozen=True)
class Requirements:
    horizon: Horizon
    required: dict[str, np.ndarray]  # position id -> whole seats per slot
    calls: dict[str, np.ndarray]  # call-taking position id -> calls per slot
    aht: dict[str, np.ndarray]  # call-taking position id -> call-weighted handle time per slot

    @property
    def positions(self) -> tuple[str, ...]:
        return tuple(self.required)

    def total_seat_hours(self) -> int:
        return int(sum(r.sum() for r in self.required.values()))


def floors(center: Center, horizon: Horizon) -> dict[str, np.ndarray]:
    result = {p.id: np.zeros(horizon.n_slots, dtype=int) for p in center.positions}
    for slot in range(horizon.n_slots):
        local = horizon.slot_start(slot)
        for rule in center.minimums:
            if rule.applies(local):
                result[rule.position][slot] = max(result[rule.position][slot], rule.minimum)
    return result


def _stream_matrix(forecast: Forecast, horizon: Horizon, streams: tuple[str, ...], column: str) -> np.ndarray:
    """calls or handle time per (stream, slot); every slot of the horizon must be present."""
    frame = forecast.frame
    frame = frame[(frame["timestamp"] >= horizon.begin) & (frame["timestamp"] < horizon.end)]
    wanted = pd.DatetimeIndex([horizon.begin + slot * (horizon.end - horizon.begin) / horizon.n_slots
                               for slot in range(horizon.n_slots)])
    table = frame.pivot(index="timestamp", columns="stream", values=column)
    out = np.zeros((len(streams), horizon.n_slots))
    for i, stream in enumerate(streams):
        if stream not in forecast.streams:
            raise InputError(f"stream {stream!r} is not in the forecast", file=forecast.source, column="stream",
                             fix=f"the forecast has {', '.join(forecast.streams)}; match sheet Positions")
        series = table[stream].reindex(wanted) if stream in table else pd.Series(np.nan, index=wanted)
        missing = series.isna().to_numpy().nonzero()[0]
        if len(missing):
            first = horizon.slot_start(int(missing[0]))
            raise InputError(
                f"the forecast does not cover the plan: no {stream} row for {first:%Y-%m-%d %H:%M %Z}"
                f" ({len(missing)} hours missing)", file=forecast.source, column="timestamp",
                fix=f"give hourly rows from {horizon.slot_start(0):%Y-%m-%d %H:%M} for {horizon.days} days",
            )
        out[i] = series.to_numpy()
    return out


def compute_requirements(center: Center, rules: Rules, forecast: Forecast, horizon: Horizon,
                         quantile: str = "p50") -> Requirements:
    required = floors(center, horizon)
    calls_by_position, aht_by_position = {}, {}
    targets = tuple((t.fraction, t.seconds) for t in rules.service_targets)
    for position in center.positions:
        if position.kind is not PositionKind.CALL_TAKING:
            continue
        calls = _stream_matrix(forecast, horizon, position.streams, QUANTILE_COLUMNS[quantile])
        aht = _stream_matrix(forecast, horizon, position.streams, "aht_seconds")
        total = calls.sum(axis=0)
        # Pooled streams share one queue: its handle time is the call-weighted mean.
        weighted = np.divide((calls * aht).sum(axis=0), total, out=aht.mean(axis=0), where=total > 0)
        seats = queueing.agents_needed(total, weighted, targets=targets, occupancy_cap=rules.occupancy_cap,
                                       shrinkage=rules.shrinkage)
        required[position.id] = np.maximum(required[position.id], np.asarray(seats, dtype=int))
        calls_by_position[position.id] = total
        aht_by_position[position.id] = weighted
    return Requirements(horizon, required, calls_by_position, aht_by_position)
