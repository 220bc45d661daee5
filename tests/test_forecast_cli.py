"""scheduler forecast end to end: call history -> backtest -> forecast file that staffing and build read."""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from scheduler.cli import main
from scheduler.io.forecast import read_forecast

ROOT = Path(__file__).resolve().parent.parent
MONTCO_PLACES = (ROOT.parent / "shared/data/montco_calls.csv", Path("/work/shared/data/montco_calls.csv"))
MONTCO = next((p for p in MONTCO_PLACES if p.exists()), None)
needs_montco = pytest.mark.skipif(MONTCO is None, reason="shared montco call history not present")
ARGS = ["--timezone", "America/New_York", "--types", str(ROOT / "inputs/call_types.toml"),
        "--type-column", "category", "--subdivision", "PA"]


@needs_montco
def test_forecast_from_montco_writes_a_forecast_file_build_can_read(tmp_path):
    result = CliRunner().invoke(main, ["forecast", "--calls", str(MONTCO), *ARGS, "--week", "2016-08-29",
                                       "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "5,147 duplicate rows" in result.output and "noise_floor" in result.output
    forecast = read_forecast(tmp_path / "montco-calls-2016-08-29.csv")  # the reader staffing and build use
    assert len(forecast.frame) == 168 * 2 and forecast.streams == ("911_fire_ems", "911_police")
    assert (forecast.frame["calls_p90"] >= forecast.frame["calls_p50"]).all()
    table = pd.read_csv(tmp_path / "montco-calls-2016-08-29-backtest.csv")
    model_all = table[(table.method == "model") & (table.stream == "all")].iloc[0]
    assert model_all.wape < table[(table.method == "mean_last_weeks") & (table.stream == "all")].wape.iloc[0]
    assert (tmp_path / "montco-calls-2016-08-29.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@needs_montco
def test_a_week_before_one_week_of_history_is_an_error_line_naming_the_first_week_that_works(tmp_path):
    # The log starts Thursday 2015-12-10 in the afternoon: a week of history is there from Friday 2015-12-18.
    result = CliRunner().invoke(main, ["forecast", "--calls", str(MONTCO), *ARGS, "--week", "2015-12-14",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: montco_calls.csv: the week of 2015-12-14 starts before 1 week of history; choose --week "
        "2015-12-18 or later")
    assert not (tmp_path / "out").exists()


def test_forecast_without_handle_times_is_an_error_line(tmp_path):
    calls = tmp_path / "calls.csv"
    calls.write_text("timestamp\n2026-01-05 10:00:00\n")
    result = CliRunner().invoke(main, ["forecast", "--calls", str(calls), "--timezone", "America/Chicago",
                                       "--week", "2026-03-02", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "Error: calls.csv: the forecast file needs each stream's handle time" in result.output


SAMPLE = ["forecast", "--calls", str(ROOT / "inputs" / "call-history.csv"),
          "--types", str(ROOT / "inputs" / "lines.toml"),
          "--timestamp-column", "hour_start", "--type-column", "line", "--count-column", "calls",
          "--timezone", "America/Chicago"]


def test_a_forecast_far_after_the_history_is_said(tmp_path):
    # The sample history ends Sunday 2026-11-29 23:00; a forecast of the week of 2027-06-07 starts 27 weeks
    # later and carries that level forward: legal (a later season on purpose), but said.
    result = CliRunner().invoke(main, [*SAMPLE, "--week", "2027-06-07", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert ("Warning: the call history ends 27 weeks before the forecast starts (its last hour 2026-11-29 "
            "23:00): the forecast carries that old level forward; give a recent history") in result.output


def test_a_forecast_right_after_the_history_says_nothing(tmp_path):
    result = CliRunner().invoke(main, [*SAMPLE, "--week", "2026-11-30", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Warning:" not in result.output
