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
The birth-death chain behind the Erlang A measures, and their formulas, are in
``scheduler.erlang_a_chain``; the search for the agents needed is in
``scheduler.agents_needed``.
"""

from __future__ import annotations

import numpy as np

from scheduler.erlang_a_chain import solve_erlang_a


def scalar_result(value, scalar, kind=float):
    """``value`` as a Python ``kind`` when every input was a scalar, else the array itself."""
    return kind(value) if scalar else value


def checked_nonnegative(name, value):
    """``value`` as a float array; raises unless every element is finite and >= 0."""
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be finite and >= 0, got {value!r}")
    return arr


def checked_positive(name, value):
    """``value`` as a float array; raises unless every element is finite and > 0."""
    arr = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"{name} must be finite and > 0, got {value!r}")
    return arr


def _agent_counts(agents):
    arr = checked_nonnegative("agents", agents)
    if np.any(arr != np.floor(arr)):
        raise ValueError(f"agents must be whole numbers, got {agents!r}")
    return arr.astype(np.int64)


def _load_and_agents(load_erlangs, agents):
    return np.broadcast_arrays(checked_nonnegative("load_erlangs", load_erlangs), _agent_counts(agents))


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
    calls = checked_nonnegative("calls_per_hour", calls_per_hour)
    aht = checked_nonnegative("aht_seconds", aht_seconds)
    load = calls * aht / 3600.0
    return scalar_result(load, load.ndim == 0)


def erlang_b(load_erlangs, agents):
    """Blocking probability of an M/M/n/n loss system.

    ``B(0) = 1``, ``B(k) = A*B(k-1) / (k + A*B(k-1))`` for ``k = 1..n``;
    equal to ``(A^n/n!) / sum_{k=0..n} A^k/k!`` but computed without
    factorials, so exact to floating-point precision for any load.
    """
    load, agents_arr = _load_and_agents(load_erlangs, agents)
    return scalar_result(_erlang_b(load, agents_arr), load.ndim == 0)


def erlang_c(load_erlangs, agents):
    """Probability an arriving call must wait (M/M/n queue).

    ``C = n*B / (n - A*(1 - B))`` with ``B = erlang_b(A, n)`` when ``n > A``;
    ``1.0`` when ``n <= A`` (the queue grows without bound); ``0.0`` when
    ``A == 0``.
    """
    load, agents_arr = _load_and_agents(load_erlangs, agents)
    return scalar_result(_erlang_c(load, agents_arr), load.ndim == 0)


def _queue_inputs(calls_per_hour, aht_seconds, agents, *extra):
    calls = checked_nonnegative("calls_per_hour", calls_per_hour)
    aht = checked_nonnegative("aht_seconds", aht_seconds)
    arrays = np.broadcast_arrays(calls * aht / 3600.0, aht, _agent_counts(agents), *extra)
    return arrays, arrays[0].ndim == 0


def erlang_c_service_level(calls_per_hour, aht_seconds, agents, target_seconds):
    """Fraction of calls answered within ``target_seconds``.

    ``SL = 1 - C * exp(-(n - A) * T / AHT)`` when ``n > A``; ``0.0`` when
    ``n <= A``; ``1.0`` when there is no load.
    """
    target = checked_nonnegative("target_seconds", target_seconds)
    (load, aht, n, target), scalar = _queue_inputs(calls_per_hour, aht_seconds, agents, target)
    c = _erlang_c(load, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        sl = np.where(n > load, 1.0 - c * np.exp(-(n - load) * target / aht), 0.0)
    return scalar_result(np.where(load == 0, 1.0, sl), scalar)


def erlang_c_asa(calls_per_hour, aht_seconds, agents):
    """Average speed of answer in seconds.

    ``ASA = C * AHT / (n - A)`` when ``n > A``; ``inf`` when ``n <= A``;
    ``0.0`` when there is no load.
    """
    (load, aht, n), scalar = _queue_inputs(calls_per_hour, aht_seconds, agents)
    c = _erlang_c(load, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = np.where(n > load, c * aht / (n - load), np.inf)
    return scalar_result(np.where(load == 0, 0.0, asa), scalar)


def occupancy(calls_per_hour, aht_seconds, agents):
    """Agent occupancy ``A / n``.

    ``0.0`` when there is no load (also with 0 agents); ``inf`` for a load
    with 0 agents; values above 1 mean the agents cannot keep up.
    """
    (load, _, n), scalar = _queue_inputs(calls_per_hour, aht_seconds, agents)
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(load == 0, 0.0, load / n)
    return scalar_result(occ, scalar)


# ------------------------------------------------------------------ Erlang A


def _erlang_a_eval(calls_per_hour, aht_seconds, agents, patience_seconds, target_seconds=None):
    """Validate, broadcast and evaluate Erlang A; returns (dict of arrays, scalar)."""
    patience = checked_positive("patience_seconds", patience_seconds)
    extra = [patience]
    if target_seconds is not None:
        extra.append(checked_nonnegative("target_seconds", target_seconds))
    (load, aht, n, patience, *target), scalar = _queue_inputs(calls_per_hour, aht_seconds, agents, *extra)
    shape = load.shape
    load, aht, n, patience = load.ravel(), aht.ravel(), n.ravel(), patience.ravel()
    busy = np.flatnonzero(load > 0)
    h = aht[busy]
    times = [target[0].ravel()[busy] / h] if target else []
    values = solve_erlang_a(load[busy], n[busy], h / patience[busy], times)

    def fill(idle, row):
        full = np.full(load.shape, idle)
        full[busy] = row
        return full.reshape(shape)

    with np.errstate(divide="ignore", invalid="ignore"):
        asa = np.where(values[2] > 0, values[3] / values[2] * h, np.inf)
        # Capped at 1: the carried load of a saturated queue (1 agent, 400 erlangs offered) came out
        # 1 + 1.4e-12 from the abandonment's rounding; agents cannot be busier than all the time.
        occ = np.where(n[busy] > 0, np.minimum(load[busy] * (1.0 - values[1]) / n[busy], 1.0), np.inf)
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
    return {key: scalar_result(value, scalar) for key, value in metrics.items()}


def erlang_a_service_level(calls_per_hour, aht_seconds, agents, target_seconds, patience_seconds):
    """Fraction of OFFERED calls answered within ``target_seconds`` (Erlang A).

    Abandoned calls count as missed, also those that hang up before
    ``target_seconds``; this is ``P(answered and wait <= T)``.  Some centres
    instead drop calls abandoned within ``T`` from the denominator, or divide
    by answered calls only; those conventions give higher numbers and are
    not computed here.  Well defined (and below 1) for any number of agents,
    also ``n <= A``; 1.0 with no load.  See ``scheduler.erlang_a_chain`` for the
    formula.
    """
    metrics, scalar = _erlang_a_eval(calls_per_hour, aht_seconds, agents, patience_seconds, target_seconds)
    return scalar_result(metrics["service_level"], scalar)


def erlang_a_abandonment(calls_per_hour, aht_seconds, agents, patience_seconds):
    """Probability an offered call abandons, ``sum_j P(n+j found) (j+1) r / (n + (j+1) r)``.

    Equal to ``theta * E[queue length] / lambda``; 1.0 with 0 agents and a
    load, 0.0 with no load.
    """
    metrics, scalar = _erlang_a_eval(calls_per_hour, aht_seconds, agents, patience_seconds)
    return scalar_result(metrics["abandonment"], scalar)


def erlang_a_asa(calls_per_hour, aht_seconds, agents, patience_seconds):
    """Average speed of answer in seconds: mean wait of ANSWERED calls (Erlang A).

    Abandoned calls are excluded (their waits until hanging up are not
    counted); calls answered at once count with wait 0.  ``inf`` with 0
    agents and a load (nothing is answered), 0.0 with no load.
    """
    metrics, scalar = _erlang_a_eval(calls_per_hour, aht_seconds, agents, patience_seconds)
    return scalar_result(metrics["asa"], scalar)


def erlang_a_wait_probability(calls_per_hour, aht_seconds, agents, patience_seconds):
    """Probability an offered call finds every agent busy and must wait (Erlang A)."""
    metrics, scalar = _erlang_a_eval(calls_per_hour, aht_seconds, agents, patience_seconds)
    return scalar_result(metrics["wait_probability"], scalar)
