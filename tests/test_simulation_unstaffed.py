"""Issue 21, point 4: a roster may leave a call-taking queue with nobody on duty in its last hours; the
simulation then counts the calls nobody will answer instead of refusing to run."""

import math
from datetime import date
from pathlib import Path

import numpy as np

from scheduler.domain import Horizon, Position, PositionKind
from scheduler.io.forecast import read_forecast
from scheduler.simulation import simulate_calls
from scheduler.simulation_engine import serve_fifo
from scheduler.staffing import compute_requirements, simulate_queues
from tests.factory import center, employee, rules

ROOT = Path(__file__).resolve().parents[1]


def starts(arrivals, handles, staff):
    return serve_fifo(np.asarray(arrivals, dtype=float), np.asarray(handles, dtype=float), None,
                      staff).tolist()


def test_a_call_waiting_into_an_empty_last_hour_is_never_answered():
    # One agent in hour 0, nobody in hour 1 (the last). Call 0 holds the agent to 4000 s: call 1 (10 s) is
    # still waiting when hour 1 begins, and so are calls 2 and 3, arriving in it: none is ever answered.
    got = starts([0, 10, 3700, 3800], [4000, 60, 60, 60], [1, 0])
    assert got[0] == 0.0
    assert [math.isnan(t) for t in got[1:]] == [True, True, True]


def test_calls_answered_before_the_empty_last_hour_keep_their_start():
    # Call 1 waits for call 0 to end at 3550 s, still in hour 0 with its agent; call 2 arrives in the empty
    # last hour and is never answered.
    got = starts([0, 3500, 3700], [3550, 60, 60], [1, 0])
    assert got[:2] == [0.0, 3550.0]
    assert math.isnan(got[2])


def test_nobody_on_duty_without_patience_answers_no_call():
    # It raised "agents in the last hour must be >= 1" before. Every offered call is unanswered: counted as
    # abandoned (answered + abandoned == offered), within no target, with no answered call to average.
    r = simulate_calls([30], [200], [0], seed=2)
    t = r.total
    assert t["offered"] == 37  # seed 2's Poisson draw for 30 calls an hour
    assert (t["answered"], t["abandoned"]) == (0, 37)
    assert [t["answered_within_10s"], t["answered_within_15s"], t["answered_within_20s"]] == [0.0, 0.0, 0.0]
    assert t["abandonment_rate"] == 1.0
    assert math.isnan(t["asa_seconds"]) and math.isnan(t["occupancy"])


def test_a_queue_left_empty_in_the_plans_last_hours_is_simulated():
    # Issue 21's center: one call-taker, police calls only, on days 07-15 of a one-day plan: the queue has
    # nobody from 15:00 to the end. The simulation used to raise; now it runs. The plan's calls wait from
    # 15:00 to the second pass's 07:00 (the plan is a cycle), so none of them is answered within 20 s.
    forecast = read_forecast(ROOT / "forecasts" / "sample-week-2026-11-30.csv")
    police = Position("ct", "Call-taker", PositionKind.CALL_TAKING, "CT", ("911_police",))
    c, r = center([employee("A", quals="CT")], positions=(police,)), rules()
    requirements = compute_requirements(c, r, forecast, Horizon(date(2026, 11, 30), 1, r.tz))
    on_duty = np.array([0] * 7 + [1] * 8 + [0] * 9)
    service = simulate_queues({"ct": on_duty}, requirements, r, seed=0)
    assert service.hourly["answering"].tolist() == on_duty.tolist()
    assert service.total["answered_within_20s"] == 0.0
