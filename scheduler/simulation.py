"""Seeded discrete-event simulation of 9-1-1 call answering.

One FIFO queue is served by identical call-takers whose number changes at hour
boundaries.  The simulation checks Erlang C / Erlang A staffing against a
model with fewer assumptions: hour-to-hour carry-over of the queue, staffing
changes without preemption, lognormal handle times and caller abandonment.

Model
-----
* Hour ``h`` covers clock seconds ``[3600*h, 3600*(h+1))``.  Arrivals are a
  non-homogeneous Poisson process whose rate is ``calls_per_hour[h]`` during
  hour ``h`` (a Poisson count per hour, placed uniformly inside the hour).
* A call arriving in hour ``h`` has a handle time with mean ``aht_seconds[h]``:
  exponential, or lognormal with coefficient of variation ``handle_cv``.
* With ``patience_seconds`` each caller's patience is exponential with that
  mean; a caller still waiting when it runs out abandons and is never answered.
* ``agents[h]`` call-takers are on duty in hour ``h``.  When the number drops,
  busy call-takers finish their current call before leaving (no preemption);
  when it rises, the new call-takers take waiting calls at once.
* After the last hour no calls arrive, but calls still waiting are served with
  the last hour's staffing until the queue is empty.  When the last hour has
  nobody on duty, nobody comes after it either: without patience, a call still
  waiting when it begins (or arriving in it) is never answered.  It counts as
  offered and not answered, so it fails every answer-time target, and it is
  counted in ``abandoned`` (every call is either answered or abandoned).

The event loop is in ``scheduler.simulation_engine``.

Random numbers come from ``numpy.random.default_rng``; replication ``r`` uses
child ``r`` of ``SeedSequence(seed).spawn(replications)``, so the same inputs
and seed always give the same result, and the first replications of a longer
run are exactly the runs of a shorter one.  Within a replication every hour has
its own stream (common random numbers, ``simulation_engine.replicate``): the
hour's call count is an inverse-CDF Poisson draw, and its k-th call's arrival
offset, handle time and patience sit at fixed places of that stream.  So with
the same seed, a lower rate in an hour gives exactly the first calls of a
higher one, a longer mean handle time stretches the same calls, and runs with
and without abandonment see the same arrivals and handle times.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from scheduler.simulation_engine import replicate

__all__ = ["HANDLE_TIME_DISTRIBUTIONS", "SimulationResult", "simulate_calls"]

HANDLE_TIME_DISTRIBUTIONS = ("exponential", "lognormal")


@dataclass(frozen=True)
class SimulationResult:
    """Outcome of :func:`simulate_calls`, pooled over all replications.

    ``hourly`` is a DataFrame indexed by ``hour`` (0..H-1).  Call measures are
    grouped by the hour the call ARRIVED in (its wait may spill into later
    hours); ``occupancy`` is by clock hour.  Columns:

    ``offered``, ``answered``, ``abandoned``
        Call counts, summed over replications (divide by ``replications`` for a
        per-run average).  ``answered + abandoned == offered`` always:
        ``abandoned`` is every call never answered, the callers who gave up and,
        without patience, those left waiting with nobody on duty to the end.
    ``answered_within_<T>s``
        Fraction of OFFERED calls answered with a wait of at most ``T``
        seconds, one column per threshold (abandoned calls count as failures;
        with no abandonment this is the Erlang C service level).
    ``answered_within_<T>s_of_answered``
        The same count as a fraction of ANSWERED calls.
    ``asa_seconds``
        Mean wait of answered calls.
    ``abandonment_rate``
        ``abandoned / offered``.
    ``mean_handle_seconds``
        Mean handle time of answered calls.
    ``occupancy``
        Busy agent-seconds / on-duty agent-seconds within the clock hour.  A
        call-taker kept past the end of a shift to finish a call counts as on
        duty until the call ends, so occupancy never exceeds 1.

    Ratios with a zero denominator (no calls, nobody answered, nobody on duty)
    are NaN.  ``total`` maps the same names to the measures over the whole
    horizon, weighted by calls (occupancy by agent-seconds over hours 0..H-1).
    """

    hourly: pd.DataFrame
    total: dict
    thresholds: tuple[float, ...]
    replications: int
    seed: int | None

    def summary(self) -> str:
        """One line such as ``'1,200 calls offered over 24 h (1 run): ...'``."""
        t = self.total
        hours = len(self.hourly)
        runs = f"{self.replications} run" + ("s" if self.replications != 1 else "")
        parts = [
            f"{_pct(t[_within_column(thr)])} answered within {_fmt_threshold(thr)} s"
            for thr in self.thresholds
        ]
        parts.append(f"ASA {_num(t['asa_seconds'], '.1f')} s")
        parts.append(f"{_pct(t['abandonment_rate'])} abandoned")
        parts.append(f"occupancy {_pct(t['occupancy'])}")
        return f"{t['offered']:,} calls offered over {hours} h ({runs}): " + ", ".join(parts)

    def __str__(self) -> str:
        return self.summary()


def simulate_calls(
    calls_per_hour,
    aht_seconds,
    agents,
    *,
    seed=0,
    patience_seconds=None,
    handle_time="exponential",
    handle_cv=1.0,
    thresholds=(10, 15, 20),
    replications=1,
) -> SimulationResult:
    """Simulate call answering hour by hour; see the module docstring for the model.

    Parameters
    ----------
    calls_per_hour, aht_seconds, agents:
        Per-hour sequences of equal length H >= 1: Poisson arrival rate, mean
        handle time (seconds) of calls arriving in that hour, and the whole
        number of call-takers on duty.
    seed:
        Non-negative int (or ``None`` for fresh OS entropy).
    patience_seconds:
        Mean of the exponential caller patience; ``None`` (or ``inf``) means
        callers never abandon; then a call waiting into a last hour with
        nobody on duty is never answered (module docstring).
    handle_time, handle_cv:
        ``"exponential"`` (``handle_cv`` must stay 1.0) or ``"lognormal"``
        with coefficient of variation ``handle_cv >= 0`` (0 = constant).
    thresholds:
        Answer-time targets in seconds for the ``answered_within_<T>s`` columns.
    replications:
        Independent runs (child seeds of ``seed``) pooled into one result.
    """
    calls, aht, staff = _validate_hours(calls_per_hour, aht_seconds, agents)
    patience = _validate_patience(patience_seconds)
    sigma = _validate_handle_time(handle_time, handle_cv)
    thresholds = _validate_thresholds(thresholds)
    replications = _validate_replications(replications)
    seed = _validate_seed(seed)

    hours = len(calls)
    runs = [
        replicate(child, calls, aht, staff, patience, sigma)
        for child in np.random.SeedSequence(seed).spawn(replications)
    ]
    arrival_hour = np.concatenate([r[0] for r in runs])
    answered = np.concatenate([r[1] for r in runs])
    wait = np.concatenate([r[2] for r in runs])
    handle = np.concatenate([r[3] for r in runs])
    busy_seconds = np.sum([r[4] for r in runs], axis=0)
    duty_seconds = np.sum([r[5] for r in runs], axis=0)

    hourly = _measures(
        lambda w=None: np.bincount(arrival_hour, weights=w, minlength=hours),
        answered,
        wait,
        handle,
        busy_seconds,
        duty_seconds,
        thresholds,
    )
    frame = pd.DataFrame(hourly, index=pd.RangeIndex(hours, name="hour"))
    total = _measures(
        lambda w=None: np.array([float(len(arrival_hour)) if w is None else float(np.sum(w))]),
        answered,
        wait,
        handle,
        busy_seconds.sum(keepdims=True),
        duty_seconds.sum(keepdims=True),
        thresholds,
    )
    total = {k: (int(v[0]) if k in _COUNT_COLUMNS else float(v[0])) for k, v in total.items()}
    return SimulationResult(frame, total, thresholds, replications, seed)


# ---------------------------------------------------------------- measures

_COUNT_COLUMNS = ("offered", "answered", "abandoned")


def _measures(count, answered, wait, handle, busy_seconds, duty_seconds, thresholds):
    """Columns of ``SimulationResult.hourly``; ``count(weights)`` sums per group."""
    offered = count()
    n_answered = count(answered.astype(float))
    waited = np.where(answered, wait, 0.0)
    out = {
        "offered": offered.astype(np.int64),
        "answered": n_answered.astype(np.int64),
        "abandoned": (offered - n_answered).astype(np.int64),
    }
    within = {thr: count((answered & (waited <= thr)).astype(float)) for thr in thresholds}
    for thr in thresholds:
        out[_within_column(thr)] = _ratio(within[thr], offered)
    for thr in thresholds:
        out[_within_column(thr) + "_of_answered"] = _ratio(within[thr], n_answered)
    out["asa_seconds"] = _ratio(count(waited), n_answered)
    out["abandonment_rate"] = _ratio(offered - n_answered, offered)
    out["mean_handle_seconds"] = _ratio(count(np.where(answered, handle, 0.0)), n_answered)
    out["occupancy"] = _ratio(busy_seconds, duty_seconds)
    return out


def _ratio(num, den):
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _fmt_threshold(thr):
    return f"{thr:g}"


def _within_column(thr):
    return f"answered_within_{_fmt_threshold(thr)}s"


def _pct(x):
    return "n/a" if math.isnan(x) else f"{100 * x:.1f}%"


def _num(x, spec):
    return "n/a" if math.isnan(x) else format(x, spec)


# ---------------------------------------------------------------- validation


def _hour_array(name, values):
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a sequence of numbers, got {values!r}") from None
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a one-dimensional per-hour sequence, got shape {arr.shape}")
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        h = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name} must be finite and >= 0; hour {h} has {arr[h]!r}")
    return arr


def _validate_hours(calls_per_hour, aht_seconds, agents):
    calls = _hour_array("calls_per_hour", calls_per_hour)
    aht = _hour_array("aht_seconds", aht_seconds)
    staff = _hour_array("agents", agents)
    lengths = {"calls_per_hour": len(calls), "aht_seconds": len(aht), "agents": len(staff)}
    if len(set(lengths.values())) != 1:
        detail = ", ".join(f"{k}={v}" for k, v in lengths.items())
        raise ValueError(f"calls_per_hour, aht_seconds and agents must have equal lengths, got {detail}")
    if len(calls) == 0:
        raise ValueError("at least one hour is required; calls_per_hour is empty")
    fractional = staff != np.floor(staff)
    if fractional.any():
        h = int(np.flatnonzero(fractional)[0])
        raise ValueError(f"agents must be whole numbers; hour {h} has {staff[h]!r}")
    return calls, aht, staff.astype(np.int64)


def _validate_patience(patience_seconds):
    if patience_seconds is None:
        return None
    if isinstance(patience_seconds, bool) or not isinstance(patience_seconds, numbers.Real):
        raise ValueError(f"patience_seconds must be a number or None, got {patience_seconds!r}")  # noqa: TRY004
    patience = float(patience_seconds)
    if math.isnan(patience) or patience <= 0:
        raise ValueError(
            f"patience_seconds must be > 0 (or None for no abandonment), got {patience_seconds!r}"
        )
    return None if math.isinf(patience) else patience


def _validate_handle_time(handle_time, handle_cv):
    """Lognormal sigma, or None for exponential."""
    if handle_time not in HANDLE_TIME_DISTRIBUTIONS:
        raise ValueError(f"handle_time must be one of {HANDLE_TIME_DISTRIBUTIONS}, got {handle_time!r}")
    if isinstance(handle_cv, bool) or not isinstance(handle_cv, numbers.Real):
        raise ValueError(f"handle_cv must be a number, got {handle_cv!r}")  # noqa: TRY004
    cv = float(handle_cv)
    if not math.isfinite(cv) or cv < 0:
        raise ValueError(f"handle_cv must be finite and >= 0, got {handle_cv!r}")
    if handle_time == "exponential":
        if cv != 1.0:
            raise ValueError(
                f"handle_cv={handle_cv!r} needs handle_time='lognormal'; exponential handle times have cv 1"
            )
        return None
    return math.sqrt(math.log1p(cv * cv))


def _validate_thresholds(thresholds):
    try:
        values = tuple(thresholds)
    except TypeError:
        raise ValueError(f"thresholds must be a sequence of seconds, got {thresholds!r}") from None
    for thr in values:
        if isinstance(thr, bool) or not isinstance(thr, numbers.Real) or not math.isfinite(thr) or thr < 0:
            raise ValueError(f"thresholds must be finite numbers >= 0, got {thr!r}")
    names = [_within_column(thr) for thr in values]
    if len(set(names)) != len(names):
        raise ValueError(f"thresholds must be distinct, got {values!r}")
    return values


def _validate_replications(replications):
    if isinstance(replications, bool) or not isinstance(replications, numbers.Integral) or replications < 1:
        raise ValueError(f"replications must be a whole number >= 1, got {replications!r}")
    return int(replications)


def _validate_seed(seed):
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative whole number or None, got {seed!r}")
    return int(seed)
