"""Inputs that are legal but suspicious give one warning each (plan.input_warnings), printed by build and kept
in the workbook's Run sheet: nothing the user gave is dropped without a word."""

from datetime import timedelta
from pathlib import Path

import openpyxl
import pandas as pd
from click.testing import CliRunner

from scheduler.cli import main
from scheduler.domain import Forecast, Horizon, Leave
from scheduler.plan import input_warnings
from tests.factory import CALLS, RADIO, START, center, employee, rules


def forecast(*streams: str, calls: float = 2.0) -> Forecast:
    """Two days of `calls` calls an hour on each stream, from local midnight of START (06:00 UTC)."""
    hours = pd.date_range("2026-11-30 06:00", periods=48, freq="h", tz="UTC")
    frame = pd.DataFrame([(t, s, calls, calls + 1, 100.0) for t in hours for s in streams],
                         columns=["timestamp", "stream", "calls_p50", "calls_p90", "aht_seconds"])
    return Forecast(Path("tiny.csv"), frame)


HORIZON = Horizon(START, 1, rules().tz)


def test_sound_inputs_give_no_warning():
    c = center([employee("A", "RAD,CT")], positions=(RADIO, CALLS))
    assert input_warnings(c, forecast("911"), HORIZON) == ()


def test_a_qualification_no_position_needs_is_named_with_its_staff():
    # "RDA" is a typo for RAD: B and C would never be scheduled on radio, and nothing said so.
    c = center([employee("A"), employee("B", "RDA"), employee("C", "RDA,RAD")])
    assert input_warnings(c, forecast(), HORIZON) == (
        "qualification RDA (B, C) is needed by no position in sheet Positions",)


def test_an_unknown_leave_type_is_named():
    leave = (Leave("A", START, START + timedelta(days=1), "VACATION"),)
    c = center([employee("A")], leave=leave)
    assert input_warnings(c, forecast(), HORIZON) == (
        ("leave type 'VACATION' (A from 2026-11-30) is none of VAC, SICK, TRAIN, FMLA, COMP: taken as "
         "leave all the same"),)


def test_a_forecast_stream_no_position_answers_is_named_with_its_calls_in_the_plan():
    # 2 calls an hour on "text" over the plan's 24 hours: 48 calls no position answers.
    c = center([employee("A", "RAD,CT")], positions=(RADIO, CALLS))
    assert input_warnings(c, forecast("911", "text"), HORIZON) == (
        ("forecast stream text (48 calls in the plan) is answered by no position in sheet Positions: its "
         "calls are planned for by no one"),)


def test_build_prints_the_warnings_and_keeps_them_in_the_run_sheet(tmp_path):
    # E001 also holds "RDA" (a typo: no position needs it): build goes on, says so on stderr, and the roster's
    # Run sheet keeps the sentence.
    root = Path(__file__).resolve().parent.parent
    wb = openpyxl.load_workbook(root / "inputs" / "center.xlsx")
    wb["Staff"]["D2"] = "SUP,CT_FIRE,RAD_FIRE,RDA"
    center_path = tmp_path / "center.xlsx"
    wb.save(center_path)
    result = CliRunner().invoke(main, [
        "build", "--center", str(center_path), "--rules", str(root / "inputs" / "rules.toml"),
        "--forecast", str(root / "forecasts" / "sample-week-2026-11-30.csv"), "--week", "2026-11-30",
        "--time-limit", "2", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    said = "qualification RDA (E001) is needed by no position in sheet Positions"
    assert f"Warning: {said}" in result.stderr
    workbook = next((tmp_path / "out").glob("*.xlsx"))
    run = dict(openpyxl.load_workbook(workbook, read_only=True)["Run"].iter_rows(values_only=True))
    assert run["warnings"] == said
