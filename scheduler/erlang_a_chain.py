"""The Erlang A (M/M/n+M) birth-death chain, solved on flat, validated arrays.

Each waiting caller hangs up after an exponential time with mean
``patience_seconds`` unless answered first.  ``scheduler.queueing`` validates
and broadcasts the inputs and turns the rows returned here into its measures.

With ``mu = 1/AHT`` and ``theta = 1/patience`` the number of calls in the
system is a birth-death chain with birth rate ``lambda`` and death rate
``min(k, n)*mu + max(k - n, 0)*theta``; it is stable for every ``n`` (also
``n <= A``) because waiting callers leave.  Below ``n`` the stationary
distribution is Erlang B's: ``sum_{k<n} pi(k) / pi(n) = 1/B(n, A) - 1 = R(n)``
with ``R(0) = 0``, ``R(n) = n/A * (1 + R(n-1))`` (positive terms only).  The
queue states ``pi(n+j) / pi(n) = prod_{i=1..j} A / (n + i*r)`` are summed in
log space up to a length where a geometric bound shows that less than 1e-17
of the probability is left out (the length doubles until it does).

By PASTA an arrival finds ``k`` calls; with ``k = n + j`` it has ``j``
callers ahead, who move it forward at rate ``n*mu + i*theta`` (``i``
callers ahead) while it abandons at rate ``theta``.  It leaves the state
with ``i`` ahead at rate ``n*mu + (i+1)*theta`` and moves forward with
probability ``(n*mu + i*theta) / (n*mu + (i+1)*theta)``.  Hence, with
``r = theta/mu``, time in units of AHT and ``a = n/r``:

    P(answered | j) = n / (n + (j+1)*r)                      (telescoping)
    E[W 1{answered} | j] = P(answered | j) * sum_{m=1..j+1} 1/(n + m*r)
    P(answered within t | j) = P(answered | j) * P(H_j <= t),

where ``H_j``, the wait of a caller who is answered, is a sum of
independent exponentials with rates ``n + m*r, m = 1..j+1`` (the holding
times of the states it passes through).  ``exp(-r*H_j)`` is
Beta(a+1, j+1) distributed (a product of independent Beta(a+m, 1)
variables), so with ``y = exp(-r*t)``

    P(H_j > t) = I_y(a+1, j+1) = sum_{m=0..j} q_m,
    q_0 = exp(-(n + r)*t),   q_m = q_{m-1} * (n + m*r) * (1 - y) / (m*r),

the negative binomial form of the incomplete beta function (compare
Mandelbaum & Zeltyn, "The M/M/n+G queue: summary of performance measures").
The ``q_m`` are accumulated in log space, so nothing over- or underflows.
"""

from __future__ import annotations

import math

import numpy as np

_TAIL = math.log(1e-17)  # log of the largest probability mass dropped from the queue tail
MAX_STATES = 1 << 21  # most queue states evaluated for one row (memory guard)
_BOUND_STATES = 1 << 16  # queue states behind a service-level bound in agents_needed


def _column_sum(x):
    """Sum over axis 0, always in sequential order (``sum`` goes pairwise on one column).

    Keeps every row's result independent of which other rows share its 2-D
    array and of the zero padding after it.
    """
    return np.cumsum(x, axis=0)[-1]


def _erlang_a_queue(load, n, ratio, idle, last, times, bound=False):
    """Erlang A for rows whose queue states ``j = 0..last`` hold all but 1e-17 of the mass.

    Works in units of the handle time: arrival rate ``load``, service rate 1,
    abandonment rate ``ratio`` per waiting caller; ``idle`` is
    ``sum_{k<n} pi(k) / pi(n)``.  Returns the stacked metrics (see
    ``solve_erlang_a``) and whether the truncation after ``last`` is within the
    tolerance.  2-D arrays are (queue state j, row).  With ``bound`` the
    service levels are replaced by ``max(SL on states 0..last,
    P(H_last <= t))``, an upper bound on the true service level however much
    mass lies past ``last`` (``P(H_j <= t)`` falls as ``j`` grows).
    """
    j = np.arange(int(last.max()) + 1, dtype=float)[:, None]
    jr = j * ratio
    ahead = n + jr  # callers ahead move up at rate n + j r
    after = ahead + ratio  # a caller finding n + j leaves the queue at rate n + (j+1) r
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        step = np.log(load / ahead)
        step[0] = 0.0
        log_pi = np.cumsum(step, axis=0)  # log pi(n+j) / pi(n)
        log_pi[j > last] = -np.inf
        top = np.maximum(log_pi.max(axis=0), 0.0)
        # pi(n+j+1)/pi(n+j) falls as j grows: the dropped tail is at most
        # pi(n+last) * x / (1 - x) with x = load / (n + (last+1) r).
        x = load / (n + (last + 1) * ratio)
        edge = log_pi[last.astype(np.int64), np.arange(load.size)]
        ok = (x < 1) & (edge - top + np.log(x / (1 - x)) <= _TAIL)
        growth = np.log(ahead / jr) if times else None
    pi = np.exp(log_pi - top)  # unnormalised
    idle = idle * np.exp(-top)
    waiting = _column_sum(pi)
    total = idle + waiting
    answered = pi * (n / after)
    # beyond[m] = sum_{j >= m} answered[j]; beyond[0] is the queue's share of answered calls.
    beyond = np.cumsum(answered[::-1], axis=0)[::-1]
    out = [
        waiting,
        _column_sum(pi * ((jr + ratio) / after)),
        idle + beyond[0],
        # mean time to an agent for a caller who gets there: sum_{m<=j} 1 / (n + (m+1) r)
        _column_sum(answered * np.cumsum(1.0 / after, axis=0)),
    ]
    if times:
        growth[0] = 0.0
        growth = np.cumsum(growth, axis=0)  # sum_{m=1..j} log((n + m r) / (m r))
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        for t in times:
            # q_m in log space; log(1 - exp(-r t)) is -inf at t == 0: floor it so 0 * it stays 0.
            log_y = np.maximum(np.log(-np.expm1(-ratio * t)), -1e300)
            log_q = growth + j * log_y
            log_q -= (n + ratio) * t
            q = np.exp(log_q, out=log_q)
            # sum_j answered[j] * P(H_j > t) = sum_m q[m] * beyond[m]
            sl = np.clip(out[2] - _column_sum(q * beyond), 0.0, total)
            if bound:
                q[j > last] = 0.0
                sl = np.maximum(sl, np.clip(1.0 - _column_sum(q), 0.0, 1.0) * total)
            out.append(sl)
    return np.array(out) / total, ok


def idle_ratio(load, agents):
    """``sum_{k<n} pi(k) / pi(n) = 1/B(n, A) - 1`` by ``R(k) = k/A * (1 + R(k-1))``, capped at 1e300."""
    idle = np.zeros(load.shape)
    with np.errstate(over="ignore"):
        for k in range(1, int(agents.max(initial=0)) + 1):
            idle = np.where(k <= agents, np.minimum(k / load * (1.0 + idle), 1e300), idle)
    return idle


def _queue_length_guess(load, n, ratio):
    """Queue length ``j`` where ``pi(n+j)`` is about e^-45 below the largest queue state.

    ``log pi(n) - log pi(n+j) = sum_{i=1..j} log((n + i r) / A)``; the terms
    are concave in ``i``, so the integral from 1/2 to ``j + 1/2`` is a lower
    bound on the sum, and ``j`` is found by bracketing and bisection on it.
    It only sizes the window (``solve_erlang_a`` verifies and widens it).
    """
    start = n + 0.5 * ratio

    def drop(x):
        z = x * ratio / start
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            curve = np.where(z > 0, (1.0 + z) * np.log1p(z) / np.maximum(z, 1e-300) - 1.0, 0.0)
            return x * (np.log(start / load) + curve)

    peak = np.maximum(np.floor((load - n) / ratio), 0.0)
    goal = drop(peak) + 45.0
    low, high = peak, peak + 16.0
    for _ in range(64):
        short = drop(high) < goal
        if not short.any():
            break
        low, high = np.where(short, high, low), np.where(short, peak + 2.0 * (high - peak), high)
    for _ in range(4):
        mid = np.floor(0.5 * (low + high))
        short = drop(mid) < goal
        low, high = np.where(short, mid, low), np.where(short, high, mid)
    return np.ceil(high) + 2.0


def solve_erlang_a(load, agents, ratio, times, idle=None, bounds=False):
    """Erlang A on flat, validated arrays with ``load > 0``.

    ``ratio`` is ``AHT / patience``, each array in ``times`` a target time in
    units of AHT and ``idle`` (computed when not given) is ``idle_ratio``.
    Returns rows: P(wait > 0), P(abandon), P(answered), E[wait * 1{answered}]
    in units of AHT, then the service level for each entry of ``times``.

    A row that needs more than ``MAX_STATES`` queue states raises, or with
    ``bounds`` gets NaN measures except upper bounds on the service levels
    (from the first ``_BOUND_STATES`` states, see ``_erlang_a_queue``).
    """
    if idle is None:
        idle = idle_ratio(load, agents)
    n = agents.astype(float)
    last = _queue_length_guess(load, n, ratio)
    out = np.empty((4 + len(times), load.size))
    todo = np.arange(load.size)
    while todo.size:
        wide = ~(last[todo] < MAX_STATES)  # also NaN
        if wide.any():
            if not bounds:
                raise ValueError(
                    f"Erlang A needs over {MAX_STATES} queue states here: patience_seconds is far longer "
                    "than aht_seconds while agents are below the offered load; use Erlang C instead"
                )
            rows = todo[wide]
            values, _ = _erlang_a_queue(
                load[rows], n[rows], ratio[rows], idle[rows], np.full(rows.size, _BOUND_STATES - 1.0),
                [t[rows] for t in times], bound=True,
            )
            out[:4, rows] = np.nan
            out[4:, rows] = values[4:]
            todo = todo[~wide]
            if not todo.size:
                break
        ok = np.empty(todo.size, dtype=bool)
        bucket = np.ceil(np.log2(last[todo] + 1))  # similar widths share one 2-D array
        for b in np.unique(bucket):
            pos = np.flatnonzero(bucket == b)
            rows = todo[pos]
            out[:, rows], ok[pos] = _erlang_a_queue(
                load[rows], n[rows], ratio[rows], idle[rows], last[rows], [t[rows] for t in times]
            )
        last[todo[~ok]] = 2 * last[todo[~ok]] + 1
        todo = todo[~ok]
    return out
