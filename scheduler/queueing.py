"""Erlang B / Erlang C queueing math for call-taker staffing.

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
"""

from __future__ import annotations

import math

import numpy as np

_TOL = 1e-12


def _result(value, scalar, kind=float):
    return kind(value) if scalar else value


def _nonnegative(name, value):
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be finite and >= 0, got {value!r}")
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


def agents_needed(
    calls_per_hour,
    aht_seconds,
    targets=((0.90, 15), (0.95, 20)),
    occupancy_cap=0.85,
    shrinkage=0.0,
    asa_cap_seconds=None,
):
    """Smallest whole number of scheduled agents meeting every target at once.

    On-phone agents ``n`` is the least integer with ``n > A`` and

    * ``SL(n, T) >= fraction`` for every ``(fraction, T)`` in ``targets``,
    * ``A / n <= occupancy_cap``,
    * ``ASA(n) <= asa_cap_seconds`` when a cap is given,

    (comparisons allow a 1e-12 tolerance).  The result is
    ``ceil(n / (1 - shrinkage))``; no load gives 0.  The search starts at
    ``max(floor(A) + 1, floor(A / occupancy_cap))``, a lower bound on ``n``,
    and steps all elements upward together, carrying Erlang B forward one
    recursion step per agent, so the cost is O(max n) vector operations.
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

    calls = _nonnegative("calls_per_hour", calls_per_hour)
    aht = _nonnegative("aht_seconds", aht_seconds)
    load, aht = np.broadcast_arrays(calls * aht / 3600.0, aht)
    shape = load.shape
    load, aht = load.ravel(), aht.ravel()

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

    scheduled = np.ceil(result / (1.0 - shrinkage) * (1.0 - _TOL)).astype(np.int64)
    return _result(scheduled.reshape(shape), not shape, int)
