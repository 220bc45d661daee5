"""Staffing requirements: floors, queueing seats, load-scaled radio, the requirement table and pooling."""

import zipfile
from dataclasses import replace
from datetime import date
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler import queueing
from scheduler.agents_needed import agents_needed
from scheduler.cli import main
from scheduler.domain import Forecast, Horizon, Minimum, Position, PositionKind
from scheduler.staffing import (
    Queue,
    Requirements,
    answering_comparison,
    call_value_curves,
    compute_requirements,
    on_phones,
    requirement_table,
)
from tests.factory import CALLS, RADIO, START, center, employee, rules

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_ARGS = ["--center", str(ROOT / "inputs/center.xlsx"), "--rules", str(ROOT / "inputs/rules.toml"),
               "--forecast", str(ROOT / "forecasts/sample-week-2026-11-30.csv"), "--week", "2026-11-30"]


def forecast(streams: dict[str, tuple[float, float]], days: int = 1) -> Forecast:
    """A flat forecast: the same (calls per hour, handle time) every hour for each stream."""
    horizon = Horizon(START, days, rules().tz)
    rows = [{"timestamp": horizon.begin + pd.Timedelta(hours=h), "stream": s, "calls_p50": c, "calls_p90": c,
             "aht_seconds": a} for h in range(horizon.n_slots) for s, (c, a) in streams.items()]
    return Forecast(Path("flat.csv"), pd.DataFrame(rows))


def test_call_taker_seats_are_erlang_c_over_shrinkage():
    # 60 calls/h at 240 s is 4 erlangs; the fewest agents meeting 90%/15 s and 95%/20 s with occupancy <= 85%,
    # divided by (1 - 0.10) shrinkage and rounded up, is the requirement in every hour.
    c = center([employee("A", "CT")], positions=(CALLS,))
    r = rules()
    req = compute_requirements(c, r, forecast({"911": (60, 240)}), Horizon(START, 1, r.tz))
    agents = agents_needed(60, 240, targets=((0.90, 15), (0.95, 20)), occupancy_cap=0.85)
    # Erlang C at A = 4: 7 agents answer 88.8% within 15 s (short of 90%), 8 answer 95.4% within 15 s and
    # 95.8% within 20 s at 50% occupancy.
    assert agents == 8
    assert set(req.required["ct"]) == {int(np.ceil(8 / 0.9))}  # 9 seats scheduled for 8 on the phones
    assert set(on_phones(req.required["ct"], r)) == {8}


def test_floor_binds_over_a_small_queue_and_is_slack_over_a_big_one():
    floor = Minimum("ct", frozenset(range(7)), 0, 24, 3)
    c = center([employee("A", "CT")], positions=(CALLS,), minimums=(floor,))
    r = replace(rules(), shrinkage=0.0)
    horizon = Horizon(START, 1, r.tz)
    # 2 calls an hour need 2 agents (one alone answers about 87% within 15 s): the floor of 3 binds.
    assert set(compute_requirements(c, r, forecast({"911": (2, 240)}), horizon).required["ct"]) == {3}
    # 60 calls an hour need 8 agents: the floor is slack.
    assert set(compute_requirements(c, r, forecast({"911": (60, 240)}), horizon).required["ct"]) == {8}


def test_radio_scales_with_incident_load_on_top_of_its_floor():
    floor = Minimum("radio", frozenset(range(7)), 0, 24, 2)
    scaled = replace(RADIO, streams=("911",), calls_per_seat=20.0)
    c = center([employee("A")], positions=(scaled, CALLS), minimums=(floor,))
    r = rules()
    horizon = Horizon(START, 1, r.tz)
    # 50 calls/h at one seat per 20 calls: ceil(2.5) = 3 seats, above the floor of 2.
    assert set(compute_requirements(c, r, forecast({"911": (50, 200)}), horizon).required["radio"]) == {3}
    # 30 calls/h: ceil(1.5) = 2 seats, equal to the floor.
    assert set(compute_requirements(c, r, forecast({"911": (30, 200)}), horizon).required["radio"]) == {2}


def test_requirement_table_predicts_the_targets_met_at_the_required_seats():
    c = center([employee("A", "CT")], positions=(CALLS, RADIO))
    r = rules()
    req = compute_requirements(c, r, forecast({"911": (60, 240)}), Horizon(START, 1, r.tz))
    table = requirement_table(req, c, r)
    calls = table[table.position == "ct"]
    assert len(table) == 2 * 24 and len(calls) == 24
    assert (calls["within_15s"] >= 0.90).all() and (calls["within_20s"] >= 0.95).all()
    assert (calls["occupancy"] <= 0.85).all()
    assert calls["offered_erlangs"].iloc[0] == pytest.approx(4.0)
    assert table[table.position == "radio"]["calls"].isna().all()  # radio rows carry no queue


def test_pooling_needs_fewer_seats_than_separate_queues():
    # Two streams of 30 calls/h at 240 s: each alone needs 5 agents for 90%/15 s and 95%/20 s (4 answer only
    # 84.7% within 15 s), 10 in all; one pooled queue of 60 calls/h needs 8 (economies of scale).
    police = Position("police_ct", "Police", PositionKind.CALL_TAKING, "CT", ("911_police",))
    fire = Position("fire_ct", "Fire", PositionKind.CALL_TAKING, "CT", ("911_fire",))
    c = center([employee("A", "CT")], positions=(police, fire))
    r = replace(rules(), shrinkage=0.0)
    fc = forecast({"911_police": (30, 240), "911_fire": (30, 240)})
    table = answering_comparison(c, r, fc, Horizon(START, 1, r.tz)).set_index("arrangement")
    assert table.loc["pooled (one queue)", "peak_seats"] == 8
    assert table.loc["separate (one queue per stream)", "peak_seats"] == 10
    assert table.loc["as configured", "seat_hours"] == 10 * 24
    assert table.loc["as configured", "seat_hours_above_pooled"] == 2 * 24


def test_staffing_command_writes_the_table_and_prints_the_pooling_case(tmp_path):
    result = CliRunner().invoke(main, ["staffing", *SAMPLE_ARGS, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "pooled (one queue)" in result.output and "seat-hours" in result.output
    csv = next(tmp_path.glob("*-staffing.csv"))
    table = pd.read_csv(csv)
    assert len(table) == 168 * 5  # every hour of the week for the 5 sample positions
    assert table["start"].iloc[0] == "2026-11-30T00:00:00-06:00"
    sheets = pd.read_excel(next(tmp_path.glob("*-staffing.xlsx")), sheet_name=None)
    assert {"Requirements", "By position", "Pooling", "Run", "Charts"} <= set(sheets)
    assert sheets["Requirements"]["required"].sum() == table["required"].sum()
    # Sheet Charts: each position's floor and required seats an hour, each queue's simulated share within 15 s
    # beside the 90% target; a native line chart per position (5) and one of service.
    charts = sheets["Charts"]
    assert len(charts) == 168 and charts["police_ct required"].sum() == table.loc[
        table["position"] == "police_ct", "required"].sum()
    assert {"police_ct floor", "police_ct within 15 s", "fire_ct within 15 s", "target"} <= set(
        charts.columns)
    with zipfile.ZipFile(next(tmp_path.glob("*-staffing.xlsx"))) as xlsx:
        assert len([n for n in xlsx.namelist() if n.startswith("xl/charts/chart")]) == 6


def test_staffing_and_build_use_the_same_requirement(tmp_path):
    from scheduler.pipeline import load_inputs

    inputs = load_inputs(ROOT / "inputs/center.xlsx", ROOT / "inputs/rules.toml",
                         ROOT / "forecasts/sample-week-2026-11-30.csv", date(2026, 11, 30), 7)
    CliRunner().invoke(main, ["staffing", *SAMPLE_ARGS, "--out", str(tmp_path)])
    table = pd.read_csv(next(tmp_path.glob("*-staffing.csv")))
    for position, seats in inputs.requirements.required.items():
        assert table[table.position == position]["required"].tolist() == seats.tolist()


def test_erlang_a_center_sizes_with_abandonment_and_reports_it():
    # With impatient callers (mean 30 s) some hang up instead of waiting, which shortens the queue: Erlang A
    # needs no more seats than Erlang C here, and the table reports the share abandoning.
    c = center([employee("A", "CT")], positions=(CALLS,))
    erlang_c = replace(rules(), shrinkage=0.0)
    erlang_a = replace(erlang_c, queue_model="A", patience_seconds=30.0)
    fc = forecast({"911": (60, 240)})
    horizon = Horizon(START, 1, erlang_c.tz)
    seats_c = compute_requirements(c, erlang_c, fc, horizon).required["ct"]
    seats_a = compute_requirements(c, erlang_a, fc, horizon).required["ct"]
    expected = agents_needed(60, 240, model="A", patience_seconds=30.0)
    assert set(seats_a) == {expected} and expected <= seats_c[0]
    table = requirement_table(compute_requirements(c, erlang_a, fc, horizon), c, erlang_a)
    assert (table["within_15s"] >= 0.90).all() and (table["abandonment"] > 0).all()


def test_an_asa_cap_in_the_rules_adds_seats_where_it_binds():
    # 60 calls/h at 240 s: 8 agents meet 90%/15 s and 95%/20 s with an ASA of 3.5 s; capping ASA at 2 s needs
    # 9 (ASA 1.1 s).
    c = center([employee("A", "CT")], positions=(CALLS,))
    r = replace(rules(), shrinkage=0.0)
    horizon = Horizon(START, 1, r.tz)
    assert queueing.erlang_c_asa(60, 240, 8) > 2.0 > queueing.erlang_c_asa(60, 240, 9)
    capped = replace(r, asa_cap_seconds=2.0)
    assert set(compute_requirements(c, capped, forecast({"911": (60, 240)}), horizon).required["ct"]) == {9}
    slack = replace(r, asa_cap_seconds=30.0)
    assert set(compute_requirements(c, slack, forecast({"911": (60, 240)}), horizon).required["ct"]) == {8}


def _curve(calls: float, aht: float, need: int) -> list[int]:
    r = rules(shrinkage=0.0)  # k seats answer k calls at once
    horizon = Horizon(START, 1, r.tz)
    queue = Queue(("911",), np.full(24, calls), np.full(24, aht))
    requirements = Requirements(horizon, {"ct": np.full(24, need)}, {"ct": np.zeros(24, int)}, {"ct": queue})
    return call_value_curves(requirements, r)["ct"][0].tolist()


def test_call_value_below_the_knee_costs_a_seat_hour_of_calls():
    # 36 calls of 100 s: load 1 erlang. Erlang C answers within 15 s 0 (1 agent: unstable), 71.31% (2) and
    # 93.27% (3) of them: 0, 2567 and 3358 hundredths. The envelope first meets them at 2 seats (the knee);
    # below it each seat costs the 36 calls (3600 hundredths) a seat handles in an hour:
    # 2568 - 3600 = -1032, -4632. Each step is rounded, then summed down from V(3) = 3358 (3357.55):
    # 3357.55 - 2567.15 = 790.40 -> 790.
    assert _curve(36, 100, 3) == [-4632, -1032, 2568, 3358]


def test_call_value_knee_at_one_seat_for_a_light_queue():
    # 3 calls of 100 s: one agent already answers 92.74% in time (278 hundredths), two 99.75% (299): concave
    # from the first seat, so only the empty queue takes the backlog slope: 278 - 3600 = -3322.
    assert _curve(3, 100, 2) == [-3322, 278, 299]


@settings(max_examples=200, deadline=None)
@given(calls=st.floats(0, 300), aht=st.floats(20, 900), need=st.integers(0, 25))
def test_call_value_is_concave_in_whole_hundredths(calls, aht, need):
    # The coverage model prices seats by the curve's tangent lines, which hold only while its steps never
    # rise: rounding each point broke that (steps 1714, 1715, 1714 for 36 calls of 210 s) and left an empty
    # hour without a solution.
    curve = _curve(calls, aht, need)
    assert len(curve) == need + 1
    assert all(later <= earlier for earlier, later in pairwise(np.diff(curve)))


def test_call_value_of_a_queue_without_calls_is_zero():
    assert _curve(0, 100, 2) == [0, 0, 0]
    # 0.001 calls an hour answer 0.1 hundredths in time: rounded, nothing. Before, the backlog was still put
    # under it ([-3600, 0]), which the coverage model (no curve where the full value is 0) and the checker
    # priced apart.
    assert _curve(0.001, 100, 1) == [0, 0]


@pytest.mark.timeout(60)
def test_a_trillion_calls_in_one_hour_stop_staffing_with_one_error_line(tmp_path):
    # 10^12 calls in one forecast hour used to run the seat search for hours (one step per seat): the reader
    # refuses it before any work, naming the cell, and nothing is written.
    lines = (ROOT / "forecasts" / "sample-week-2026-11-30.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[7].split(",")
    row[header.index("calls_p50")] = row[header.index("calls_p90")] = "1000000000000"
    lines[7] = ",".join(row)
    forecast = tmp_path / "huge.csv"
    forecast.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = [a if a != str(ROOT / "forecasts/sample-week-2026-11-30.csv") else str(forecast)
            for a in SAMPLE_ARGS]
    result = CliRunner().invoke(main, ["staffing", *args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        ("Error: huge.csv, row 8, column calls_p50: more than 20,000 calls in one hour of one stream "
         "(value: '1000000000000'); give calls per hour and stream (not per day or per year)")]
    assert not (tmp_path / "out").exists()


def test_an_offered_load_no_center_has_is_refused_by_the_seat_search():
    # Through the Python API (no reader in between) the search refuses it at once instead of running on.
    with pytest.raises(ValueError, match="offered load above 1,000,000 erlangs"):
        agents_needed(1e12, 300, [(0.9, 15)])
