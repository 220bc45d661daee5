"""scheduler forecast end to end: call history -> backtest -> forecast file that staffing and build read."""

from pathlib import Path

import numpy as np
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
    # PA's one extra holiday (the Day After Thanksgiving, 2015-11-27) comes before the log starts.
    assert "PA has no holidays beyond the country's in the history and forecast weeks" in result.output
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


def hourly_history(path: Path, weeks: int, missing: slice = slice(0)) -> Path:
    """`weeks` weeks of hourly counts of one stream from Monday 2026-01-05 (America/Chicago), Poisson around
    a daily shape (seed 0), without the rows of the hours `missing` (a gap)."""
    hours = pd.date_range("2026-01-05", periods=weeks * 168, freq="h", tz="America/Chicago")
    rate = 6 + 4 * np.sin((hours.hour.to_numpy() - 9) / 24 * 2 * np.pi)
    calls = np.random.default_rng(0).poisson(rate)
    keep = np.ones(len(hours), dtype=bool)
    keep[missing] = False
    pd.DataFrame({"hour": [h.isoformat() for h in hours[keep]], "n": calls[keep]}).to_csv(path, index=False)
    return path


def test_one_stream_needs_no_types_file_and_a_gap_is_not_scored(tmp_path):
    # 11 weeks, the last week's hours 24-35 without a row (Tuesday 01:00-12:00 CDT: the hours are counted
    # from January, before the clocks went forward): a 12-hour gap, missing data.
    # No --types: the stream is named by --stream, its handle time is the default, said in a warning.
    calls = hourly_history(tmp_path / "acd.csv", 11, slice(10 * 168 + 24, 10 * 168 + 36))
    result = CliRunner().invoke(main, ["forecast", "--calls", str(calls), "--timezone", "America/Chicago",
                                       "--timestamp-column", "hour", "--count-column", "n", "--stream", "911",
                                       "--backtest-weeks", "1", "--week", "2026-03-23",
                                       "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert ("1 gap of 6 or more hours without a row, 12 hours in all, read as missing (not as zero calls): "
            "2026-03-17 01:00 -0500 to 2026-03-17 13:00 -0500 (12 h)") in result.output
    assert "handle time: 911 300 s (default)" in result.output
    assert "Warning: no handle time for 911 in the call log or the types file" in result.output
    forecast = read_forecast(tmp_path / "acd-2026-03-23.csv")
    assert forecast.streams == ("911",) and (forecast.frame["aht_seconds"] == 300).all()
    backtest = pd.read_csv(tmp_path / "acd-2026-03-23-backtest.csv")
    assert (backtest["hours"] == 168 - 12).all()  # the gap's hours are not scored as zero calls


def test_a_wide_export_with_one_handle_time_for_every_stream(tmp_path):
    # An ACD's wide export, one column per line and no types file: each column is a stream; --aht-seconds
    # gives their handle time, so nothing is said about a default.
    frame = pd.read_csv(hourly_history(tmp_path / "long.csv", 10))
    wide = tmp_path / "acd.csv"
    frame = frame.assign(admin=frame["n"] // 2).rename(columns={"hour": "Interval", "n": "911"})
    frame.to_csv(wide, index=False)
    result = CliRunner().invoke(main, ["forecast", "--calls", str(wide), "--timezone", "America/Chicago",
                                       "--timestamp-column", "interval", "--wide", "--aht-seconds", "240",
                                       "--backtest-weeks", "1", "--week", "2026-03-16",
                                       "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "handle time: 911 240 s (--aht-seconds), admin 240 s (--aht-seconds)" in result.output
    assert "Warning: no handle time" not in result.output
    forecast = read_forecast(tmp_path / "acd-2026-03-16.csv")
    assert forecast.streams == ("911", "admin") and (forecast.frame["aht_seconds"] == 240).all()


def test_a_refused_history_writes_nothing_not_even_the_out_folder(tmp_path):
    calls = tmp_path / "acd.csv"
    calls.write_text("hour,n\n2026-01-05 08:00,5\n2026-01-05 09:00,4\n2026-01-05 08:00,7\n")
    args = ["forecast", "--calls", str(calls), "--timezone", "America/Chicago", "--timestamp-column", "hour",
            "--count-column", "n", "--week", "2026-03-23", "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.output.splitlines() == [(
        "Error: acd.csv, row 4, column n: the hour 2026-01-05 08:00 -0600 of calls is given twice with "
        "different counts: row 2 has 5 calls, row 4 has 7 (value: 7); keep the right row and delete the "
        "other, or choose one with --duplicates keep-first or keep-last")]
    assert not (tmp_path / "out").exists()
    # Read on with the first count: refused later, by the forecast (a week before the history starts).
    result = CliRunner().invoke(main, [*args[:-4], "--week", "2025-12-01", "--duplicates", "keep-first",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and result.output.splitlines()[-1].startswith("Error: acd.csv")
    assert "the first row read (--duplicates keep-first): calls 2026-01-05 08:00 -0600: rows 2 and 4" in (
        result.output)
    assert not (tmp_path / "out").exists()


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


@pytest.mark.parametrize(("day_after", "said"), [(5, "Day After Thanksgiving used"),
                                                 (10, "Day After Thanksgiving not used")])
def test_a_subdivision_holiday_is_used_only_where_it_helped_said(tmp_path, day_after, said):
    # 10 calls an hour from Monday 2025-11-03 (New York); Veterans Day and Thanksgiving 5 an hour, so a
    # holiday is forecast low. The Day After Thanksgiving, a PA holiday, helps its week's backtest if its
    # calls fell too (5) and not if they did not (10); exact numbers: tests/test_forecast_holidays.py.
    hours = pd.date_range("2025-11-03", "2025-12-08", freq="h", tz="America/New_York", inclusive="left")
    day = {"2025-11-11": 5, "2025-11-27": 5, "2025-11-28": day_after}
    calls = [day.get(f"{h:%Y-%m-%d}", 10) for h in hours]
    path = tmp_path / "acd.csv"
    pd.DataFrame({"hour": [h.isoformat() for h in hours], "n": calls}).to_csv(path, index=False)
    result = CliRunner().invoke(main, ["forecast", "--calls", str(path), "--timezone", "America/New_York",
                                       "--timestamp-column", "hour", "--count-column", "n", "--stream", "911",
                                       "--aht-seconds", "300", "--subdivision", "PA", "--week", "2025-12-08",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert f"PA holidays beyond the country's: {said} (WAPE of its 1 week " in result.output
