"""The event loop of the call-answering simulation: one replication of ``scheduler.simulation``.

The engine walks calls in arrival order.  Because service is FIFO and agents
are identical, a call starts at the earliest time (not before the previous call
left the queue) at which fewer calls are in service than agents on duty; that
time is found with a heap of completion times and the hour boundaries.  A
caller whose patience ends first abandons; without patience, a caller still
waiting when the last hour begins with nobody on duty is never answered.  Cost
is O(N log agents) per replication in plain Python + numpy.
"""

from __future__ import annotations

import heapq
import math

import numpy as np

HOUR_SECONDS = 3600.0


def replicate(rng, calls, aht, staff, patience, sigma):
    """One run: per-call (arrival hour, answered, wait, handle) and hourly busy/duty seconds."""
    hours = len(calls)
    counts = rng.poisson(calls)
    n = int(counts.sum())
    arrival_hour = np.repeat(np.arange(hours), counts)
    # Uniform offsets inside each hour, sorted within the hour (hours are disjoint).
    arrivals = arrival_hour * HOUR_SECONDS + rng.uniform(0.0, HOUR_SECONDS, n)
    order = np.lexsort((arrivals, arrival_hour))
    arrivals = arrivals[order]
    mean_handle = np.repeat(aht, counts)
    if sigma is None:
        handle = mean_handle * rng.standard_exponential(n)
    else:  # lognormal with E = mean_handle: exp(sigma*Z - sigma^2/2) has mean 1
        handle = mean_handle * np.exp(sigma * rng.standard_normal(n) - 0.5 * sigma * sigma)
    patience_draw = rng.standard_exponential(n)  # drawn always: common random numbers
    deadlines = arrivals + patience * patience_draw if patience is not None else None

    start = serve_fifo(arrivals, handle, deadlines, staff.tolist())
    answered = ~np.isnan(start)
    wait = np.where(answered, start - arrivals, np.nan)
    busy, duty = agent_seconds(start[answered], start[answered] + handle[answered], staff)
    return arrival_hour, answered, wait, np.where(answered, handle, np.nan), busy, duty


def serve_fifo(arrivals, handles, deadlines, staff):
    """Start time of each call (NaN if never answered), FIFO with hourly staffing ``staff``."""
    n = len(arrivals)
    start = np.full(n, np.nan)
    arrivals = arrivals.tolist()
    handles = handles.tolist()
    deadlines = deadlines.tolist() if deadlines is not None else [math.inf] * n
    last = len(staff) - 1
    in_service: list[float] = []  # heap of completion times of calls being handled
    heappop, heappush = heapq.heappop, heapq.heappush
    queue_clear = 0.0  # time the previous call left the queue (answered or abandoned)
    for i in range(n):
        t = arrivals[i]
        t = max(t, queue_clear)
        deadline = deadlines[i]
        # t is inf once nobody is on duty from t on (the last hour has no one): the call is never answered.
        while t <= deadline and t != math.inf:
            while in_service and in_service[0] <= t:
                heappop(in_service)
            hour = int(t // HOUR_SECONDS)
            if hour >= last:
                on_duty, boundary = staff[last], math.inf
            else:
                on_duty, boundary = staff[hour], (hour + 1) * HOUR_SECONDS
            if len(in_service) < on_duty:
                start[i] = t
                heappush(in_service, t + handles[i])
                queue_clear = t
                break
            # Nothing changes until the next completion or staffing change.
            t = min(in_service[0], boundary) if in_service else boundary
        else:  # patience ran out first, or nobody comes: it leaves the queue unanswered at its deadline
            # (without patience, inf: every later call is stuck behind it, FIFO, and never answered either)
            queue_clear = max(queue_clear, deadline)
    return start


def agent_seconds(starts, ends, staff):
    """Busy and on-duty agent-seconds per clock hour of the horizon.

    Busy count is a step function (+1 at each start, -1 at each end); the hour
    boundaries are added as breakpoints so no segment crosses one.  On duty is
    ``max(scheduled, busy)``: call-takers held over to finish a call count.
    """
    hours = len(staff)
    bounds = np.arange(hours + 1) * HOUR_SECONDS
    times = np.concatenate([starts, ends, bounds])
    delta = np.concatenate([np.ones(len(starts)), -np.ones(len(ends)), np.zeros(hours + 1)])
    order = np.argsort(times, kind="stable")
    times = times[order]
    busy = np.cumsum(delta[order])[:-1]
    length = np.diff(times)
    seg_start = times[:-1]
    inside = seg_start < hours * HOUR_SECONDS
    hour = (seg_start[inside] // HOUR_SECONDS).astype(np.int64)
    length, busy = length[inside], busy[inside]
    busy_seconds = np.bincount(hour, weights=length * busy, minlength=hours)
    duty_seconds = np.bincount(hour, weights=length * np.maximum(busy, staff[hour]), minlength=hours)
    return busy_seconds, duty_seconds
