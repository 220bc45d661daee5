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


CHUNK = 64  # calls per block of an hour's streams: the k-th call of an hour always gets the same numbers


def replicate(seed_sequence, calls, aht, staff, patience, sigma):
    """One run: per-call (arrival hour, answered, wait, handle) and hourly busy/duty seconds.

    Common random numbers: hour h has its own generator (child h of `seed_sequence`); its first number sets
    the hour's Poisson count by inverse CDF, so a higher rate never gives fewer calls, and its k-th call's
    arrival offset, handle time and patience come from fixed places of blocks drawn after it whatever the
    count. So with the same seed a smaller call stream is exactly the first calls of each hour of a larger
    one, with the same numbers (more calls never answer the common ones sooner, FIFO without patience)."""
    hours = len(calls)
    children = seed_sequence.spawn(hours)
    per_hour = [_hour_numbers(child, rate) for child, rate in zip(children, calls, strict=True)]
    counts = np.array([len(offset) for offset, _, _ in per_hour], dtype=np.int64)
    n = int(counts.sum())
    arrival_hour = np.repeat(np.arange(hours), counts)
    offsets, unit_handle, unit_patience = (np.concatenate([numbers[i] for numbers in per_hour]) if n else
                                           np.zeros(0) for i in range(3))
    arrivals = arrival_hour * HOUR_SECONDS + HOUR_SECONDS * offsets
    order = np.lexsort((arrivals, arrival_hour))  # by time within each hour (hours are disjoint)
    arrivals, unit_handle, unit_patience = arrivals[order], unit_handle[order], unit_patience[order]
    mean_handle = np.repeat(aht, counts)
    if sigma is None:
        handle = mean_handle * -np.log1p(-unit_handle)  # exponential by inverse CDF
    else:  # lognormal with E = mean_handle: exp(sigma*Z - sigma^2/2) has mean 1
        handle = mean_handle * np.exp(sigma * _normal_quantile(unit_handle) - 0.5 * sigma * sigma)
    deadlines = arrivals + patience * -np.log1p(-unit_patience) if patience is not None else None

    start = serve_fifo(arrivals, handle, deadlines, staff.tolist())
    answered = ~np.isnan(start)
    wait = np.where(answered, start - arrivals, np.nan)
    busy, duty = agent_seconds(start[answered], start[answered] + handle[answered], staff)
    return arrival_hour, answered, wait, np.where(answered, handle, np.nan), busy, duty


def _hour_numbers(seed_sequence, rate):
    """An hour's calls: uniform arrival offsets (fractions of the hour), and uniforms for handle time and
    patience, the k-th call's always at the same places of the hour's stream."""
    if rate <= 0.0:
        return np.zeros(0), np.zeros(0), np.zeros(0)
    rng = np.random.default_rng(seed_sequence)
    count = poisson_quantile(rng.random(), rate)
    blocks = -(-count // CHUNK)
    drawn = rng.random((blocks, 3, CHUNK))  # per block: offsets, handle, patience
    return tuple(drawn[:, i, :].reshape(-1)[:count] for i in range(3))


def poisson_quantile(u, rate):
    """The smallest k with P(Poisson(rate) <= k) >= u: non-decreasing in `rate` for a fixed `u`. Summed over a
    window of 12 standard deviations and more either side of the rate (the mass outside it is under 1e-30)."""
    if rate <= 0.0:
        return 0
    spread = 12.0 * math.sqrt(rate) + 20.0
    low = max(0, int(rate - spread))
    k = np.arange(low, int(rate + spread) + 1)
    log_factorial = math.lgamma(low + 1.0) + np.concatenate([[0.0], np.cumsum(np.log(k[1:]))])
    cdf = np.cumsum(np.exp(k * math.log(rate) - rate - log_factorial))
    return int(low + min(np.searchsorted(cdf, u * cdf[-1], side="left"), len(k) - 1))


def _normal_quantile(u):
    """Standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9)."""
    a = (-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
         -3.066479806614716e+01, 2.506628277459239e+00)
    b = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
         -1.328068155288572e+01)
    c = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
         4.374664141464968e+00, 2.938163982698783e+00)
    d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00)
    u = np.clip(np.asarray(u, dtype=float), 1e-300, 1 - 1e-16)
    out = np.empty_like(u)
    tail = np.minimum(u, 1 - u)
    central = tail >= 0.02425
    q = u[central] - 0.5
    r = q * q
    out[central] = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (
        ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    t = np.sqrt(-2 * np.log(tail[~central]))
    value = (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5]) / (
        (((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1)
    out[~central] = np.where(u[~central] < 0.5, value, -value)
    return out


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
