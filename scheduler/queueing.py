"""Erlang B / Erlang C / Erlang A queueing math for call-taker staffing.

All functions accept Python scalars or numpy arrays (broadcast against each
other) and return a Python ``float``/``int`` when every input is a scalar,
otherwise an ``ndarray``.

Notation: ``A`` is the offered load in erlangs, ``n`` the number of agents,
``AHT`` the average handle time in seconds and ``T`` a target answer time in
seconds.  Erlang B is computed with the stable recursion

    B(0) = 1,    B(k) = A * B(k-1) / (k + A * B(k-1)),

which needs no factorials or powers and so neither overflows nor loses
precision at loads of thousands of erlangs.  Erlang C is derived from it:

    C(n, A) = n * B / (n - A * (1 - B))      for n > A,   1 when n <= A.

Erlang A (M/M/n+M) adds caller patience: each waiting caller hangs up after
an exponential time with mean ``patience_seconds`` unless answered first.
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

_TOL = 1e-12
_TAIL = math.log(1e-17)  # Erlang A: log of the largest probability mass dropped from the queue tail
_MAX_STATES = 1 << 21  # Erlang A: most queue states evaluated for one row (memory guard)
_BOUND_STATES = 1 << 16  # Erlang A: queue states behind a service-level bound in agents_needed


def _result(value, scalar, kind=float):
    return kind(value) if scalar else value


def _nonnegative(name, value):
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be finite and >= 0, got {value!r}")
    return arr


def _positive(name, value):
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"{name} must be finite and > 0, got {value!r}")
    return arr


def _agent_counts(agents):
    arr = _nonnegative("agents", agents)
    if np.any(arr != np.floor(arr)):
        raise ValueError(f"agents must be whole numbers, got {agents!r}")
    return arr.astype(np.int64)


def _erlang_b(load, agents):
    """Erlang B on already-validated, broadcast arrays."""
    b = np.ones(load.shape)
    for k in range(1, int(agents.max(initial=0)) + 1):
        ab = load * b
        b = np.where(k <= agents, ab / (k + ab), b)
    return b


def _erlang_c(load, agents):
    """Erlang C on already-validated, broadcast arrays (0 where A == 0)."""
    b = _erlang_b(load, agents)
    stable = agents > load
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(stable, agents * b / (agents - load * (1.0 - b)), 1.0)
    return np.where(load == 0, 0.0, c)


def offered_load(calls_per_hour, aht_seconds):
    """Offered load in erlangs: ``A = calls_per_hour * aht_seconds / 3600``."""
    calls = _nonnegative("calls_per_hour", calls_per_hour)
    aht = _nonnegative("aht_seconds", aht_seconds)
    load = calls * aht / 3600.0
    return _result(load, load.ndim == 0)


def erlang_b(load_erlangs, agents):
    """Blocking probability of an M/M/n/n loss system.

    ``B(0) = 1``, ``B(k) = A*B(k-1) / (k + A*B(k-1))`` for ``k = 1..n``;
    equal to ``(A^n/n!) / sum_{k=0..n} A^k/k!`` but computed without
    factorials, so exact to floating-point precision for any load.
    """
    load, agents_arr = np.broadcast_arrays(_nonnegative("load_erlangs", load_erlangs), _agent_counts(agents))
    return _result(_erlang_b(load, agents_arr), load.ndim == 0)


def erlang_c(load_erlangs, agents):
    """Probability an arriving call must wait (M/M/n queue).

    ``C = n*B / (n - A*(1 - B))`` with ``B = erlang_b(A, n)`` when ``n > A``;
    ``1.0`` when ``n <= A`` (the queue grows without bound); ``0.0`` when
    ``A == 0``.
    """
    load, agents_arr = np.broadcast_arrays(_nonnegative("load_erlangs", load_erlangs), _agent_counts(agents))
    return _result(_erlang_c(load, agents_arr), load.ndim == 0)


def _queue_inputs(calls_per_hour, aht_seconds, agents, *extra):
    calls = _nonnegative("calls_per_hour", calls_per_hour)
    aht = _nonnegative("aht_seconds", aht_seconds)
    arrays = np.broadcast_arrays(calls * aht / 3600.0, aht, _agent_counts(agents), *extra)
    return arrays, arrays[0].ndim == 0


def erlang_c_service_level(calls_per_hour, aht_seconds, agents, target_seconds):
    """Fraction of calls answered within ``target_seconds``.

    ``SL = 1 - C * exp(-(n - A) * T / AHT)`` when ``n > A``; ``0.0`` when
    ``n <= A``; ``1.0`` when there is no load.
    """
    target = _nonnegative("target_seconds", target_seconds)
    (load, aht, n, target), scalar = _queue_inputs(calls_per_hour, aht_seconds, agents, target)
    c = _erlang_c(load, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        sl = np.where(n > load, 1.0 - c * np.exp(-(n - load) * target / aht), 0.0)
    return _result(np.where(load == 0, 1.0, sl), scalar)


def erlang_c_asa(calls_per_hour, aht_seconds, agents):
    """Average speed of answer in seconds.

    ``ASA = C * AHT / (n - A)`` when ``n > A``; ``inf`` when ``n <= A``;
    ``0.0`` when there is no load.
    """
    (load, aht, n), scalar = _queue_inputs(calls_per_hour, aht_seconds, agents)
    c = _erlang_c(load, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = np.where(n > load, c * aht / (n - load), np.inf)
    return _result(np.where(load == 0, 0.0, asa), scalar)


def occupancy(calls_per_hour, aht_seconds, agents):
    """Agent occupancy ``A / n``.

    ``0.0`` when there is no load (also with 0 agents); ``inf`` for a load
    with 0 agents; values above 1 mean the agents cannot keep up.
    """
    (load, _, n), scalar = _queue_inputs(calls_per_hour, aht_seconds, agents)
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(load == 0, 0.0, load / n)
    return _result(occ, scalar)


# ------------------------------------------------------------------ Erlang A


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
    ``_erlang_a``) and whether the truncation after ``last`` is within the
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


def _idle_ratio(load, agents):
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
    It only sizes the window (``_erlang_a`` verifies and widens it).
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


def _erlang_a(load, agents, ratio, times, idle=None, bounds=False):
    """Erlang A on flat, validated arrays with ``load > 0``.

    ``ratio`` is ``AHT / patience``, each array in ``times`` a target time in
    units of AHT and ``idle`` (computed when not given) is ``_idle_ratio``.
    Returns rows: P(wait > 0), P(abandon), P(answered), E[wait * 1{answered}]
    in units of AHT, then the service level for each entry of ``times``.

    A row that needs more than ``_MAX_STATES`` queue states raises, or with
    ``bounds`` gets NaN measures except upper bounds on the service levels
    (from the first ``_BOUND_STATES`` states, see ``_erlang_a_queue``).
    """
    if idle is None:
        idle = _idle_ratio(load, agents)
    n = agents.astype(float)
    last = _queue_length_guess(load, n, ratio)
    out = np.empty((4 + len(times), load.size))
    todo = np.arange(load.size)
    while todo.size:
        wide = ~(last[todo] < _MAX_STATES)  # also NaN
        if wide.any():
            if not bounds:
                raise ValueError(
                    f"Erlang A needs over {_MAX_STATES} queue states here: patience_seconds is far longer "
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


def _erlang_a_eval(calls_per_hour, aht_seconds, agents, patience_seconds, target_seconds=None):
    """Validate, broadcast and evaluate Erlang A; returns (dict of arrays, scalar)."""
    patience = _positive("patience_seconds", patience_seconds)
    extra = [patience]
    if target_seconds is not None:
        extra.append(_nonnegative("target_seconds", target_seconds))
    (load, aht, n, patience, *target), scalar = _queue_inputs(calls_per_hour, aht_seconds, agents, *extra)
    shape = load.shape
    load, aht, n, patience = load.ravel(), aht.ravel(), n.ravel(), patience.ravel()
    busy = np.flatnonzero(load > 0)
    h = aht[busy]
    times = [target[0].ravel()[busy] / h] if target else []
    values = _erlang_a(load[busy], n[busy], h / patience[busy], times)

    def fill(idle, row):
        full = np.full(load.shape, idle)
        full[busy] = row
        return full.reshape(shape)

    with np.errstate(divide="ignore", invalid="ignore"):
        asa = np.where(values[2] > 0, values[3] / values[2] * h, np.inf)
        occ = np.where(n[busy] > 0, load[busy] * (1.0 - values[1]) / n[busy], np.inf)
    metrics = {
        "wait_probability": fill(0.0, values[0]),
        "abandonment": fill(0.0, values[1]),
        "asa": fill(0.0, asa),
        "occupancy": fill(0.0, occ),
    }
    if target:
        metrics["service_level"] = fill(1.0, values[4])
    return metrics, scalar


def erlang_a_metrics(calls_per_hour, aht_seconds, agents, patience_seconds, target_seconds=None):
    """Erlang A (M/M/n+M) measures in one pass, as a dict.

    Keys ``"wait_probability"``, ``"abandonment"``, ``"asa"`` and
    ``"occupancy"`` (see the single-measure functions; occupancy is the
    carried load over the agents, ``A * (1 - P(abandon)) / n``, ``inf`` for
    a load with 0 agents), plus ``"service_level"`` when ``target_seconds``
    is given.  ``patience_seconds`` is the mean caller patience (finite,
    > 0) and broadcasts like the other inputs.  With no load every measure
    is 0 except the service level, 1.
    """
    metrics, scalar = _erlang_a_eval(calls_per_hour, aht_seconds, agents, patience_seconds, target_seconds)
    return {key: _result(value, scalar) for key, value in metrics.items()}


def erlang_a_service_level(calls_per_hour, aht_seconds, agents, target_seconds, patience_seconds):
    """Fraction of OFFERED calls answered within ``target_seconds`` (Erlang A).

    Abandoned calls count as missed, also those that hang up before
    ``target_seconds``; this is ``P(answered and wait <= T)``.  Some centres
    instead drop calls abandoned within ``T`` from the denominator, or divide
    by answered calls only; those conventions give higher numbers and are
    not computed here.  Well defined (and below 1) for any number of agents,
    also ``n <= A``; 1.0 with no load.  See the module docstring for the
    formula.
    """
    metrics, scalar = _erlang_a_eval(calls_per_hour, aht_seconds, agents, patience_seconds, target_seconds)
    return _result(metrics["service_level"], scalar)


def erlang_a_abandonment(calls_per_hour, aht_seconds, agents, patience_seconds):
    """Probability an offered call abandons, ``sum_j P(n+j found) (j+1) r / (n + (j+1) r)``.

    Equal to ``theta * E[queue length] / lambda``; 1.0 with 0 agents and a
    load, 0.0 with no load.
    """
    metrics, scalar = _erlang_a_eval(calls_per_hour, aht_seconds, agents, patience_seconds)
    return _result(metrics["abandonment"], scalar)


def erlang_a_asa(calls_per_hour, aht_seconds, agents, patience_seconds):
    """Average speed of answer in seconds: mean wait of ANSWERED calls (Erlang A).

    Abandoned calls are excluded (their waits until hanging up are not
    counted); calls answered at once count with wait 0.  ``inf`` with 0
    agents and a load (nothing is answered), 0.0 with no load.
    """
    metrics, scalar = _erlang_a_eval(calls_per_hour, aht_seconds, agents, patience_seconds)
    return _result(metrics["asa"], scalar)


def erlang_a_wait_probability(calls_per_hour, aht_seconds, agents, patience_seconds):
    """Probability an offered call finds every agent busy and must wait (Erlang A)."""
    metrics, scalar = _erlang_a_eval(calls_per_hour, aht_seconds, agents, patience_seconds)
    return _result(metrics["wait_probability"], scalar)


def agents_needed(
    calls_per_hour,
    aht_seconds,
    targets=((0.90, 15), (0.95, 20)),
    occupancy_cap=0.85,
    shrinkage=0.0,
    asa_cap_seconds=None,
    model="C",
    patience_seconds=None,
    abandonment_cap=None,
):
    """Smallest whole number of scheduled agents meeting every target at once.

    ``model="C"`` (default, Erlang C): on-phone agents ``n`` is the least
    integer with ``n > A`` and

    * ``SL(n, T) >= fraction`` for every ``(fraction, T)`` in ``targets``,
    * ``A / n <= occupancy_cap``,
    * ``ASA(n) <= asa_cap_seconds`` when a cap is given,

    (comparisons allow a 1e-12 tolerance).  The result is
    ``ceil(n / (1 - shrinkage))``; no load gives 0.  The search starts at
    ``max(floor(A) + 1, floor(A / occupancy_cap))``, a lower bound on ``n``,
    and steps all elements upward together, carrying Erlang B forward one
    recursion step per agent, so the cost is O(max n) vector operations.

    ``model="A"`` (Erlang A, requires ``patience_seconds``, the mean caller
    patience, which broadcasts with the calls): ``n`` is the least integer
    ``n >= 1`` with ``erlang_a_service_level(..., n, T, patience) >= fraction``
    for every target (fraction of offered calls answered within ``T``),
    carried-load occupancy ``A * (1 - P(abandon)) / n <= occupancy_cap``,
    ``erlang_a_asa <= asa_cap_seconds`` and
    ``erlang_a_abandonment <= abandonment_cap`` when those caps are given.
    ``n`` may be at or below ``A``.  Every element is checked at each ``n``
    upward from ``max(1, floor(A * f / occupancy_cap))``, where ``f`` is the
    largest target fraction or ``1 - abandonment_cap``: any feasible ``n``
    carries at least ``f * A`` erlangs, so no smaller ``n`` can pass, and the
    first ``n`` that passes is the minimum whether or not the measures are
    monotone in ``n``.  ``patience_seconds`` and ``abandonment_cap`` are
    errors with ``model="C"``.
    """
    targets = tuple((float(f), float(t)) for f, t in targets)
    for fraction, seconds in targets:
        if not 0.0 < fraction < 1.0:
            raise ValueError(f"target fraction must be in (0, 1), got {fraction!r}")
        if not (math.isfinite(seconds) and seconds >= 0.0):
            raise ValueError(f"target seconds must be finite and >= 0, got {seconds!r}")
    occupancy_cap = float(occupancy_cap)
    if not 0.0 < occupancy_cap <= 1.0:
        raise ValueError(f"occupancy_cap must be in (0, 1], got {occupancy_cap!r}")
    shrinkage = float(shrinkage)
    if not 0.0 <= shrinkage < 1.0:
        raise ValueError(f"shrinkage must be in [0, 1), got {shrinkage!r}")
    if asa_cap_seconds is not None:
        asa_cap_seconds = float(asa_cap_seconds)
        if not asa_cap_seconds >= 0.0:
            raise ValueError(f"asa_cap_seconds must be >= 0, got {asa_cap_seconds!r}")
    if model not in ("A", "C"):
        raise ValueError(f"model must be 'C' (Erlang C) or 'A' (Erlang A), got {model!r}")
    if model == "C" and (patience_seconds is not None or abandonment_cap is not None):
        raise ValueError("patience_seconds and abandonment_cap need model='A'")
    if model == "A":
        if patience_seconds is None:
            raise ValueError("model='A' needs patience_seconds")
        if abandonment_cap is not None:
            abandonment_cap = float(abandonment_cap)
            if not 0.0 < abandonment_cap <= 1.0:
                raise ValueError(f"abandonment_cap must be in (0, 1], got {abandonment_cap!r}")

    calls = _nonnegative("calls_per_hour", calls_per_hour)
    aht = _nonnegative("aht_seconds", aht_seconds)
    if model == "A":
        patience = _positive("patience_seconds", patience_seconds)
        load, aht, patience = np.broadcast_arrays(calls * aht / 3600.0, aht, patience)
        shape = load.shape
        result = _agents_needed_a(
            load.ravel(), aht.ravel(), patience.ravel(), targets, occupancy_cap, asa_cap_seconds, abandonment_cap
        )
    else:
        load, aht = np.broadcast_arrays(calls * aht / 3600.0, aht)
        shape = load.shape
        result = _agents_needed_c(load.ravel(), aht.ravel(), targets, occupancy_cap, asa_cap_seconds)

    scheduled = np.ceil(result / (1.0 - shrinkage) * (1.0 - _TOL)).astype(np.int64)
    return _result(scheduled.reshape(shape), not shape, int)


def _agents_needed_c(load, aht, targets, occupancy_cap, asa_cap_seconds):
    """On-phone agents for Erlang C (see ``agents_needed``) on flat arrays."""
    start = np.maximum(np.floor(load) + 1, np.floor(load / occupancy_cap))
    result = np.zeros(load.shape, dtype=np.int64)
    pending = load > 0
    b = np.ones(load.shape)
    k = 0
    while pending.any():
        k += 1
        ab = load * b
        b = ab / (k + ab)
        idx = np.flatnonzero(pending & (k >= start))
        if idx.size == 0:
            continue
        a, h, bk = load[idx], aht[idx], b[idx]
        c = k * bk / (k - a * (1.0 - bk))
        ok = a / k <= occupancy_cap + _TOL
        for fraction, seconds in targets:
            ok &= 1.0 - c * np.exp(-(k - a) * seconds / h) >= fraction - _TOL
        if asa_cap_seconds is not None:
            ok &= c * h / (k - a) <= asa_cap_seconds + _TOL
        result[idx[ok]] = k
        pending[idx[ok]] = False
    return result


def _agents_needed_a(load, aht, patience, targets, occupancy_cap, asa_cap_seconds, abandonment_cap):
    """On-phone agents for Erlang A (see ``agents_needed``) on flat arrays."""
    fractions = [fraction for fraction, _ in targets]
    if abandonment_cap is not None:
        fractions.append(1.0 - abandonment_cap)
    answered = max(fractions, default=0.0)
    # Feasible n carries A * (1 - P(abandon)) >= A * answered erlangs at most
    # occupancy_cap per agent; the margins cover the 1e-12 tolerances.
    floor = np.floor(load * (answered - 2 * _TOL) / (occupancy_cap + 2 * _TOL))
    agents = np.maximum(floor, 1.0).astype(np.int64)
    result = np.zeros(load.shape, dtype=np.int64)
    pending = np.flatnonzero(load > 0)
    idle = _idle_ratio(load[pending], agents[pending])
    while pending.size:
        a, h, n = load[pending], aht[pending], agents[pending]
        times = [np.full(a.shape, s) / h for _, s in targets]
        values = _erlang_a(a, n, h / patience[pending], times, idle, bounds=True)
        ok = a * (1.0 - values[1]) / n <= occupancy_cap + _TOL
        missed = np.zeros(a.shape, dtype=bool)
        for row, (fraction, _) in enumerate(targets):
            missed |= values[4 + row] < fraction - _TOL
        ok &= ~missed
        # NaN measures: a queue too long to evaluate, and only an upper bound
        # on the service level (n < A with a huge patience / AHT).
        if np.any(np.isnan(values[1]) & ~missed):
            raise ValueError(
                f"Erlang A needs over {_MAX_STATES} queue states to rule out a staffing below the offered "
                "load: patience_seconds is far longer than aht_seconds; use model='C' instead"
            )
        if asa_cap_seconds is not None:
            ok &= values[3] / values[2] * h <= asa_cap_seconds + _TOL
        if abandonment_cap is not None:
            ok &= values[1] <= abandonment_cap + _TOL
        result[pending[ok]] = n[ok]
        pending, a, n = pending[~ok], a[~ok], n[~ok] + 1
        agents[pending] = n
        with np.errstate(over="ignore"):
            idle = np.minimum(n / a * (1.0 + idle[~ok]), 1e300)
    return result
