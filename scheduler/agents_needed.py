"""The least number of scheduled agents meeting service targets, under Erlang C or Erlang A.

The measures themselves are in ``scheduler.queueing`` (and, for Erlang A, ``scheduler.erlang_a_chain``);
this module searches upward in the number of agents for the first one that meets every target.
"""

from __future__ import annotations

import math

import numpy as np

from scheduler.erlang_a_chain import MAX_STATES, idle_ratio, solve_erlang_a
from scheduler.queueing import checked_nonnegative, checked_positive, scalar_result

_TOL = 1e-12  # slack on every comparison with a target or cap (float rounding in the measures)
# The search takes one step per agent: an offered load beyond this (no call center's) is refused rather than
# left to run for hours. The forecast reader's limits keep a file well below it.
MOST_ERLANGS = 1_000_000


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
    targets = _checked_targets(targets)
    occupancy_cap = _checked_cap("occupancy_cap", occupancy_cap)
    shrinkage = _checked_shrinkage(shrinkage)
    asa_cap_seconds = _checked_asa_cap(asa_cap_seconds)
    abandonment_cap = _checked_model(model, patience_seconds, abandonment_cap)

    calls = checked_nonnegative("calls_per_hour", calls_per_hour)
    aht = checked_nonnegative("aht_seconds", aht_seconds)
    if np.any(calls * aht / 3600.0 > MOST_ERLANGS):
        raise ValueError(f"offered load above {MOST_ERLANGS:,} erlangs (calls_per_hour x aht_seconds / 3600)")
    if model == "A":
        patience = checked_positive("patience_seconds", patience_seconds)
        load, aht, patience = np.broadcast_arrays(calls * aht / 3600.0, aht, patience)
        shape = load.shape
        result = _agents_needed_a(load.ravel(), aht.ravel(), patience.ravel(), targets, occupancy_cap,
                                  asa_cap_seconds, abandonment_cap)
    else:
        load, aht = np.broadcast_arrays(calls * aht / 3600.0, aht)
        shape = load.shape
        result = _agents_needed_c(load.ravel(), aht.ravel(), targets, occupancy_cap, asa_cap_seconds)

    scheduled = np.ceil(result / (1.0 - shrinkage) * (1.0 - _TOL)).astype(np.int64)
    return scalar_result(scheduled.reshape(shape), not shape, int)


def _checked_targets(targets):
    """``targets`` as ``(fraction, seconds)`` float pairs, each fraction in (0, 1) and seconds finite >= 0."""
    targets = tuple((float(f), float(t)) for f, t in targets)
    for fraction, seconds in targets:
        if not 0.0 < fraction < 1.0:
            raise ValueError(f"target fraction must be in (0, 1), got {fraction!r}")
        if not (math.isfinite(seconds) and seconds >= 0.0):
            raise ValueError(f"target seconds must be finite and >= 0, got {seconds!r}")
    return targets


def _checked_cap(name, value):
    """A cap on a fraction (occupancy, abandonment) as a float in (0, 1]."""
    value = float(value)
    if not 0.0 < value <= 1.0:
        raise ValueError(f"{name} must be in (0, 1], got {value!r}")
    return value


def _checked_shrinkage(shrinkage):
    shrinkage = float(shrinkage)
    if not 0.0 <= shrinkage < 1.0:
        raise ValueError(f"shrinkage must be in [0, 1), got {shrinkage!r}")
    return shrinkage


def _checked_asa_cap(asa_cap_seconds):
    if asa_cap_seconds is None:
        return None
    asa_cap_seconds = float(asa_cap_seconds)
    if not asa_cap_seconds >= 0.0:
        raise ValueError(f"asa_cap_seconds must be >= 0, got {asa_cap_seconds!r}")
    return asa_cap_seconds


def _checked_model(model, patience_seconds, abandonment_cap):
    """Check that the options fit ``model``; returns ``abandonment_cap`` as a float (or None)."""
    if model not in ("A", "C"):
        raise ValueError(f"model must be 'C' (Erlang C) or 'A' (Erlang A), got {model!r}")
    if model == "C" and (patience_seconds is not None or abandonment_cap is not None):
        raise ValueError("patience_seconds and abandonment_cap need model='A'")
    if model == "A" and patience_seconds is None:
        raise ValueError("model='A' needs patience_seconds")
    return None if abandonment_cap is None else _checked_cap("abandonment_cap", abandonment_cap)


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
    idle = idle_ratio(load[pending], agents[pending])
    while pending.size:
        a, h, n = load[pending], aht[pending], agents[pending]
        times = [np.full(a.shape, s) / h for _, s in targets]
        values = solve_erlang_a(a, n, h / patience[pending], times, idle, bounds=True)
        ok = a * (1.0 - values[1]) / n <= occupancy_cap + _TOL
        missed = np.zeros(a.shape, dtype=bool)
        for row, (fraction, _) in enumerate(targets):
            missed |= values[4 + row] < fraction - _TOL
        ok &= ~missed
        # NaN measures: a queue too long to evaluate, and only an upper bound
        # on the service level (n < A with a huge patience / AHT).
        if np.any(np.isnan(values[1]) & ~missed):
            raise ValueError(
                f"Erlang A needs over {MAX_STATES} queue states to rule out a staffing below the offered "
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
