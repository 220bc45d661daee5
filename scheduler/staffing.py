"""Staffing requirement per hour and position: queueing for call-takers, fixed floors for radio and
supervisors.

required[p, t] = max(floor[p, t], seats[p, t]) where seats is the Erlang C answer for call-taking positions
(the smallest count meeting every service target and the occupancy cap, grossed up for shrinkage) and 0
otherwise, and floor is the largest Minimums row that applies to the slot's local time.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scheduler import queueing
from scheduler.agents_needed import agents_needed
from scheduler.domain import HOUR, Center, Forecast, Horizon, PositionKind, Queue, Requirements, Rules
from scheduler.errors import InputError
from scheduler.simulation import simulate_calls

QUANTILE_COLUMNS = {"p50": "calls_p50", "p90": "calls_p90"}


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
    wanted = pd.DatetimeIndex([horizon.begin + slot * HOUR for slot in range(horizon.n_slots)])
    table = frame.pivot(index="timestamp", columns="stream", values=column)
    known = forecast.streams
    out = np.zeros((len(streams), horizon.n_slots))
    for i, stream in enumerate(streams):
        if stream not in known:
            raise InputError(f"stream {stream!r} is not in the forecast", file=forecast.source,
                             column="stream",
                             fix=f"the forecast has {', '.join(known)}; match sheet Positions")
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


def pooled_queue(forecast: Forecast, horizon: Horizon, streams: tuple[str, ...], quantile: str) -> Queue:
    """Streams answered by one queue: calls add up, handle time is the call-weighted mean."""
    calls = _stream_matrix(forecast, horizon, streams, QUANTILE_COLUMNS[quantile])
    aht = _stream_matrix(forecast, horizon, streams, "aht_seconds")
    total = calls.sum(axis=0)
    weighted = np.divide((calls * aht).sum(axis=0), total, out=aht.mean(axis=0), where=total > 0)
    return Queue(streams, total, weighted)


def queue_seats(queue: Queue, rules: Rules) -> np.ndarray:
    """Scheduled seats: the fewest agents meeting every service target and the occupancy cap, over
    shrinkage."""
    targets = tuple((t.fraction, t.seconds) for t in rules.service_targets)
    abandonment = {"patience_seconds": rules.patience_seconds} if rules.queue_model == "A" else {}
    seats = agents_needed(queue.calls, queue.aht, targets=targets, occupancy_cap=rules.occupancy_cap,
                          shrinkage=rules.shrinkage, asa_cap_seconds=rules.asa_cap_seconds,
                          model=rules.queue_model, **abandonment)
    return np.asarray(seats, dtype=int)


def on_phones(seats: np.ndarray, rules: Rules) -> np.ndarray:
    """Agents answering at any moment out of the scheduled seats (shrinkage: breaks and meal relief); a lone
    call-taker's breaks are relieved by someone else, so one scheduled seat still answers."""
    seats = np.asarray(seats)
    return np.maximum(np.floor(seats * (1 - rules.shrinkage) + 1e-9), np.minimum(seats, 1)).astype(int)


def service_metrics(queue: Queue, agents: np.ndarray, rules: Rules) -> dict[str, np.ndarray]:
    """Predicted share of calls answered within each target, average speed of answer and occupancy for
    `agents` answering (Erlang A adds the share abandoning), by the center's queueing model."""
    if rules.queue_model == "A":
        patience = rules.patience_seconds
        metrics = {f"within_{t.seconds:g}s": queueing.erlang_a_service_level(queue.calls, queue.aht, agents,
                                                                            t.seconds, patience)
                   for t in rules.service_targets}
        measures = queueing.erlang_a_metrics(queue.calls, queue.aht, agents, patience)
        metrics.update(asa_seconds=measures["asa"], occupancy=measures["occupancy"],
                       abandonment=measures["abandonment"])
        return metrics
    metrics = {
        f"within_{t.seconds:g}s": queueing.erlang_c_service_level(queue.calls, queue.aht, agents, t.seconds)
        for t in rules.service_targets
    }
    metrics["asa_seconds"] = queueing.erlang_c_asa(queue.calls, queue.aht, agents)
    metrics["occupancy"] = queueing.occupancy(queue.calls, queue.aht, agents)
    return metrics


def upper_concave_hull(values: np.ndarray) -> np.ndarray:
    """The least concave function above `values` at 0, 1, ..., n (piecewise linear between its vertices)."""
    hull: list[int] = []
    for k in range(len(values)):
        # Drop the last vertex while it lies on or below the chord from the one before it to k.
        while len(hull) >= 2:
            a, b = hull[-2], hull[-1]
            if (values[b] - values[a]) * (k - a) <= (values[k] - values[a]) * (b - a):
                hull.pop()
            else:
                break
        hull.append(k)
    return np.interp(np.arange(len(values)), hull, values[hull])


def call_value_curves(requirements: Requirements, rules: Rules) -> dict[str, list[np.ndarray]]:
    """For each call-taking position and hour, a concave value V(k) of k = 0..required seats, in hundredths of
    a call: V(k) = the least concave curve above the expected calls answered within the first service target
    with k seats (less shrinkage), for k at or above the knee k0, the seat count where that curve first meets
    its own values; V(k) = V(k0) - (k0 - k) * 3600 / AHT below it.
    Below the knee the queue answers (almost) nobody in time and its backlog spills into the next hours, which
    the envelope alone would price as a share of this hour's calls; each missing seat instead costs the calls
    a seat handles in an hour, which is steeper than any slope above the knee (the load is under k0 seats), so
    V stays concave. An hour whose full value rounds to 0 hundredths (no calls to speak of) has V = 0
    throughout."""
    target = rules.service_targets[0].seconds
    curves = {}
    for position, queue in requirements.queues.items():
        required = requirements.required[position]
        per_slot = []
        for slot, need in enumerate(required):
            seats = np.arange(int(need) + 1)
            answering = on_phones(seats, rules)
            if rules.queue_model == "A":
                within = queueing.erlang_a_service_level(queue.calls[slot], queue.aht[slot], answering,
                                                         target, rules.patience_seconds)
            else:
                within = queueing.erlang_c_service_level(queue.calls[slot], queue.aht[slot], answering,
                                                         target)
            values = np.asarray(within, dtype=float) * queue.calls[slot] * 100
            hull = upper_concave_hull(values)
            if need and np.round(values[-1]) > 0:  # under half a hundredth of a call: nothing to price
                knee = int(np.flatnonzero(np.isclose(hull[1:], values[1:]))[0]) + 1
                backlog = 3600 / queue.aht[slot] * 100  # hundredths of a call a seat handles in an hour
                hull[:knee] = hull[knee] - (knee - seats[:knee]) * backlog
            per_slot.append(_whole_hundredths(hull))
        curves[position] = per_slot
    return curves


def _whole_hundredths(hull: np.ndarray) -> np.ndarray:
    """The concave curve in whole hundredths, still concave: each step rounded (rounding keeps non-increasing
    steps non-increasing; the running minimum guards against float ties), summed down from the rounded
    full-staffing value. Rounding each point instead gave steps such as 1714, 1715, 1714, and the coverage
    model's tangent lines then asked an empty hour for 2 hundredths more than the curve's whole range: no
    roster at all."""
    steps = np.minimum.accumulate(np.round(np.diff(hull)).astype(int))
    below = np.cumsum(steps[::-1])[::-1]  # V(R) - V(k) for k = 0..R-1
    return int(np.round(hull[-1])) - np.append(below, 0)


@dataclass(frozen=True)
class SimulatedService:
    """Call-takers against simulated calls: per hour and queue, and over the plan."""

    hourly: pd.DataFrame
    total: dict[str, float]
    thresholds: tuple[float, ...]
    replications: int


def simulate_queues(answering: dict[str, np.ndarray], requirements: Requirements, rules: Rules, seed: int,
                    replications: int = 5) -> SimulatedService:
    """Play Poisson calls at the forecast rates against `answering` call-takers per hour, one queue per
    call-taking position, `replications` seeded runs. The plan is a steady-state cycle like its coverage:
    calls still waiting at its end are answered by the staff of its first hours (a second pass of the staffing
    with no new calls); calls still waiting at the second pass's end with nobody on duty in its last hour are
    never answered (scheduler.simulation). A queue with nobody at all answers none of its calls: they count as
    offered and unanswered."""
    horizon = requirements.horizon
    thresholds = tuple(sorted({10.0, *(t.seconds for t in rules.service_targets)}))
    starts = [horizon.slot_start(s) for s in range(horizon.n_slots)]
    frames, unanswered = [], 0.0
    for position, queue in requirements.queues.items():
        agents = answering[position]
        if not agents.any():
            unanswered += float(queue.calls.sum())
            continue
        result = simulate_calls(np.concatenate([queue.calls, np.zeros_like(queue.calls)]),
                                np.tile(queue.aht, 2), np.tile(agents, 2), seed=_queue_seed(seed, position),
                                patience_seconds=rules.patience_seconds, handle_time=rules.handle_time,
                                handle_cv=rules.handle_cv, thresholds=thresholds, replications=replications)
        hourly = result.hourly.iloc[:horizon.n_slots].reset_index(drop=True)
        hourly.insert(0, "position", position)
        hourly.insert(0, "start", starts)
        hourly.insert(2, "answering", agents)
        hourly["offered"] = hourly["offered"] / replications
        frames.append(hourly)
    if not frames:
        return SimulatedService(pd.DataFrame(), {}, thresholds, replications)
    hourly = pd.concat(frames, ignore_index=True)
    offered = hourly["offered"]
    answered = offered * (1 - hourly["abandonment_rate"].fillna(0))
    all_calls = float(offered.sum()) + unanswered
    total = {"offered": all_calls}
    for t in thresholds:
        column = f"answered_within_{t:g}s"
        total[column] = float((hourly[column].fillna(0) * offered).sum() / all_calls)
    total["asa_seconds"] = float((hourly["asa_seconds"].fillna(0) * answered).sum() / answered.sum())
    total["abandonment_rate"] = float((hourly["abandonment_rate"].fillna(0) * offered).sum() / all_calls)
    total["occupancy"] = float((hourly["occupancy"].fillna(0) * hourly["answering"]).sum()
                               / hourly["answering"].sum())
    keep = ["start", "position", "answering", "offered", *(f"answered_within_{t:g}s" for t in thresholds),
            "asa_seconds", "abandonment_rate", "occupancy"]
    hourly = hourly[keep]
    hourly[keep[3:]] = hourly[keep[3:]].round(4)
    return SimulatedService(hourly, total, thresholds, replications)


def _queue_seed(seed: int, position: str) -> int:
    """Each queue's own random numbers, the same for the same seed and position id in every plan (common
    random numbers across scenarios and rosters), independent of the other queues'."""
    return int(np.random.SeedSequence([seed, zlib.crc32(position.encode("utf-8"))]).generate_state(1)[0])


def compute_requirements(center: Center, rules: Rules, forecast: Forecast, horizon: Horizon,
                         quantile: str = "p50") -> Requirements:
    """required[p, t] = max(floor, queueing seats) for call-taking positions, max(floor, load seats)
    otherwise."""
    if forecast.frame[QUANTILE_COLUMNS[quantile]].isna().any():
        raise InputError(f"no {QUANTILE_COLUMNS[quantile]} column, and the plan is on {quantile}",
                         file=forecast.source, column=QUANTILE_COLUMNS[quantile],
                         fix="add the column, or plan on p50 (--quantile p50)")
    floor = floors(center, horizon)
    required = {p: f.copy() for p, f in floor.items()}
    queues = {}
    for position in center.positions:
        if position.kind is PositionKind.CALL_TAKING:
            queue = pooled_queue(forecast, horizon, position.streams, quantile)
            queues[position.id] = queue
            required[position.id] = np.maximum(required[position.id], queue_seats(queue, rules))
        elif position.calls_per_seat:
            # Radio that scales with incident load: one seat per `calls_per_seat` calls an hour, on top of the
            # floor.
            per_stream = _stream_matrix(forecast, horizon, position.streams, QUANTILE_COLUMNS[quantile])
            calls = per_stream.sum(axis=0)
            load_seats = np.ceil(calls / position.calls_per_seat - 1e-9).astype(int)
            required[position.id] = np.maximum(required[position.id], load_seats)
    return Requirements(horizon, required, floor, queues)


def requirement_table(requirements: Requirements, center: Center, rules: Rules) -> pd.DataFrame:
    """Hour x position: offered load, seats, and for call-takers the predicted service at the seats
    required."""
    horizon = requirements.horizon
    starts = [horizon.slot_start(s) for s in range(horizon.n_slots)]
    frames = []
    for position in center.positions:
        required = requirements.required[position.id]
        frame = pd.DataFrame({"start": starts, "position": position.id, "kind": position.kind.value,
                              "floor": requirements.floor[position.id], "required": required})
        queue = requirements.queues.get(position.id)
        if queue is not None:
            answering = on_phones(required, rules)
            frame["calls"] = queue.calls.round(2)
            frame["aht_seconds"] = queue.aht.round(1)
            frame["offered_erlangs"] = queueing.offered_load(queue.calls, queue.aht).round(3)
            frame["queueing_seats"] = queue_seats(queue, rules)
            frame["answering"] = answering
            for name, values in service_metrics(queue, answering, rules).items():
                frame[name] = np.round(values, 4)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def answering_comparison(center: Center, rules: Rules, forecast: Forecast, horizon: Horizon,
                         quantile: str = "p50") -> pd.DataFrame:
    """Queueing seats (no floors) under three ways of answering the call-taking streams: as the center is set
    up, every stream pooled in one queue (consolidated, cross-trained call-takers), and each stream in its own
    queue."""
    streams = tuple(s for p in center.positions if p.kind is PositionKind.CALL_TAKING for s in p.streams)
    pooled = "pooled (one queue)"
    arrangements = {
        "as configured": [p.streams for p in center.positions if p.kind is PositionKind.CALL_TAKING],
        pooled: [streams],
        "separate (one queue per stream)": [(s,) for s in streams],
    }
    rows = []
    for name, groups in arrangements.items():
        seats = sum(queue_seats(pooled_queue(forecast, horizon, group, quantile), rules) for group in groups)
        rows.append({"arrangement": name, "queues": len(groups), "peak_seats": int(seats.max()),
                     "seat_hours": int(seats.sum()),
                     "fte": round(seats.sum() / horizon.days * 365 / rules.net_hours_per_fte, 1)})
    frame = pd.DataFrame(rows)
    pooled_hours = frame.set_index("arrangement").loc[pooled, "seat_hours"]
    frame["seat_hours_above_pooled"] = frame["seat_hours"] - pooled_hours
    return frame
