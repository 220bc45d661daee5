"""scheduler forecast on the call history a new center has: 1, 2 or 4 weeks, one stream, local dates, weekly
totals. The histories are the first weeks of the sample's hourly ACD export (inputs/call-history.csv, which
starts Monday 2026-07-13 00:00 America/Chicago, 4 lines)."""

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from scheduler.call_forecast import forecast_calls
from scheduler.cli import main
from scheduler.errors import InputError
from scheduler.io.call_log import CallHistory, HistoryQuality
from scheduler.io.handle_time import HandleTimes

ROOT = Path(__file__).resolve().parent.parent
FIRST_DAY = date(2026, 7, 13)
ARGS = ["--timestamp-column", "hour_start", "--type-column", "line", "--count-column", "calls",
        "--timezone", "America/Chicago"]


def first_weeks(folder: Path, weeks: int) -> Path:
    """The sample export cut after `weeks` weeks (the rows' local time stamps sort as text within a month)."""
    end = (FIRST_DAY + timedelta(weeks=weeks)).isoformat()
    with open(ROOT / "inputs/call-history.csv", newline="") as source:
        rows = list(csv.reader(source))
    path = folder / "calls.csv"
    with open(path, "w", newline="") as target:
        csv.writer(target).writerows([rows[0], *(row for row in rows[1:] if row[0][:10] < end)])
    return path


def run(folder: Path, weeks: int, *extra: str, types: Path = ROOT / "inputs/lines.toml"):
    week = (FIRST_DAY + timedelta(weeks=weeks)).isoformat()
    return CliRunner().invoke(main, ["forecast", "--calls", str(first_weeks(folder, weeks)), "--types",
                                     str(types), *ARGS, "--week", week, "--out", str(folder / "out"), *extra])


# What each length of history allows: the backtest message and the method, word for word.
BACKTESTED = "Backtest of 1-week-ahead hourly forecasts: "
CASES = {
    1: (BACKTESTED + "none: the history has 1 week, and a test week needs 1 week of history before it",
        "Forecast by seasonal_naive (the same hour last week): the only method 1 week of history allows."),
    2: (BACKTESTED + ("backtested on 1 week: the history has 2 weeks, seasonal_naive needs 1 week before "
                      "each test week; mean_last_weeks and model not backtested: they need 2 weeks before a "
                      "test week"),
        "Forecast by seasonal_naive, the only method backtested."),
    4: (BACKTESTED + ("backtested on 2 weeks: the history has 4 weeks, the model needs 2 weeks before each "
                      "test week"),
        "Forecast by model, the lowest backtest WAPE."),
}


@pytest.mark.parametrize("weeks", sorted(CASES))
def test_a_short_history_gives_a_forecast_and_says_what_was_backtested(tmp_path, weeks):
    result = run(tmp_path, weeks)
    assert result.exit_code == 0, result.output
    backtested, method = CASES[weeks]
    assert backtested in result.output.splitlines()
    assert method in result.output
    week = FIRST_DAY + timedelta(weeks=weeks)
    forecast = pd.read_csv(tmp_path / "out" / f"calls-{week}.csv")
    assert len(forecast) == 168 * 4 and (forecast["calls_p90"] >= forecast["calls_p50"]).all()
    table = pd.read_csv(tmp_path / "out" / f"calls-{week}-backtest.csv")
    # Test weeks: none with 1 week of history; 1 (2 weeks, seasonal naive only); 2 (4 weeks, all methods).
    assert table["hours"].tolist() == {1: [], 2: [168] * 5, 4: [336] * 15}[weeks]


def test_seasonal_naive_asked_for_on_one_week(tmp_path):
    result = run(tmp_path, 1, "--method", "seasonal_naive")
    assert result.exit_code == 0, result.output
    assert "Forecast by seasonal_naive, as asked (--method)." in result.output


def test_the_model_on_one_week_is_refused_naming_what_works_and_makes_no_folder(tmp_path):
    result = run(tmp_path, 1, "--method", "model")
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        "Error: calls.csv: --method model needs at least 2 weeks of history: the history has 1 week; give a "
        "longer call history or --method seasonal_naive (1 week is enough)")
    assert not (tmp_path / "out").exists()


def test_history_line_has_local_dates(tmp_path):
    # The 2-week history's last hour is Sunday 2026-07-26 23:00 CDT = Monday 2026-07-27 04:00 UTC: in UTC it
    # would seem to reach into the forecast week of 2026-07-27.
    result = run(tmp_path, 2)
    assert ("History: 1,344 rows, 336 hours, 2026-07-13 to 2026-07-26 (local dates, America/Chicago)"
            in result.output)


def test_weekly_totals_with_an_interval_not_a_sum_of_hourly_p90s(tmp_path):
    result = run(tmp_path, 4, "--weeks", "2")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = lines.index("      week         stream   p50   p10   p90")
    rows = [line.split() for line in lines[at + 1:at + 9]]
    assert [(row[0], row[1]) for row in rows] == [
        (day, stream) for day in ("2026-08-10", "2026-08-17")
        for stream in ("911_police", "911_fire_ems", "admin_police", "admin_fire_ems")]
    forecast = pd.read_csv(tmp_path / "out" / "calls-2026-08-10.csv")
    forecast["week"] = forecast["timestamp"].str[:10] >= "2026-08-17"
    hourly = forecast.groupby(["week", "stream"], sort=False)[["calls_p50", "calls_p90"]].sum()
    for row in rows:
        p50, p10, p90 = (int(value.replace(",", "")) for value in row[2:])
        sums = hourly.loc[(row[0] == "2026-08-17", row[1])]
        assert p10 < p50 < p90
        # The total's median: the sum of the hourly rates (its mean), a little less as the total is skewed.
        assert abs(sums["calls_p50"] - p50) <= 0.005 * p50
        # Adding up hourly p90s would claim a week far above any likely total.
        assert p90 < sums["calls_p90"] * 0.9


def test_a_single_stream_has_no_all_rows(tmp_path):
    types = tmp_path / "police.toml"
    types.write_text('unknown = "drop"\n[streams]\n"911_police" = ["9-1-1 police"]\n'
                     '[aht_seconds]\n"911_police" = 340\n')
    result = run(tmp_path, 4, types=types)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "out" / "calls-2026-08-10-backtest.csv")
    assert table["stream"].tolist() == ["911_police"] * 3  # one row per method, no "all" repeating it


def test_backtest_weeks_caps_the_test_weeks_and_says_so(tmp_path):
    result = run(tmp_path, 4, "--backtest-weeks", "1")
    assert result.exit_code == 0, result.output
    assert (BACKTESTED + "backtested on 1 week (--backtest-weeks 1): the history has 4 weeks"
            in result.output.splitlines())


def test_a_test_week_mostly_missing_is_left_out_and_named():
    # 5 weeks from Monday 2026-01-05 00:00 Chicago; the 4th (a test week) is 100 hours missing from the log.
    index = pd.date_range(pd.Timestamp("2026-01-05 06:00", tz="UTC"), periods=5 * 168, freq="h")
    counts = pd.DataFrame({"a": 4.0}, index=index)
    counts.iloc[3 * 168:3 * 168 + 100] = np.nan
    quality = HistoryQuality(rows=0, duplicates=0, out_of_order=0, unknown_types={}, gaps=(),
                             nonexistent_or_ambiguous=0)
    history = CallHistory(Path("calls.csv"), "America/Chicago", counts, quality,
                          HandleTimes({"a": 200.0}, {"a": "types file"}, {}))
    made = forecast_calls(history, date(2026, 2, 9), 1, holiday_country=None)
    assert made.backtest_said == (
        "backtested on 3 weeks: the history has 5 weeks, the model needs 2 weeks before each test week; "
        "1 of them left out, more than half missing from the log: the week from 2026-01-26 00:00 (100 of 168 "
        "hours missing)")
    assert (made.backtest["hours"] == 2 * 168).all()  # the 2 other test weeks, whole
    assert made.predicted.xs("p50", axis=1, level=1).to_numpy() == pytest.approx(4.0)  # not pulled to 0


def history_of(counts: pd.DataFrame) -> CallHistory:
    quality = HistoryQuality(rows=0, duplicates=0, out_of_order=0, unknown_types={}, gaps=(),
                             nonexistent_or_ambiguous=0)
    streams = list(counts.columns)
    handle = HandleTimes(dict.fromkeys(streams, 200.0), dict.fromkeys(streams, "types file"), {})
    return CallHistory(Path("calls.csv"), "America/Chicago", counts, quality, handle)


def local_hours(first: str, last_exclusive: str) -> pd.DatetimeIndex:
    """Every UTC hour from local midnight `first` to local midnight `last_exclusive` (America/Chicago)."""
    begin, end = (pd.Timestamp(day, tz="America/Chicago").tz_convert("UTC")
                  for day in (first, last_exclusive))
    return pd.date_range(begin, end, freq="h", inclusive="left")


def test_a_local_week_over_the_spring_forward_change_is_a_week():
    # Mon 2026-03-02 to Sun 03-08 local is 167 hours (clocks jump on Sunday): one week of history, enough for
    # the same hour last week; two such weeks allow the model.
    one = history_of(pd.DataFrame({"a": 3.0}, index=local_hours("2026-03-02", "2026-03-09")))
    assert len(one.counts) == 167
    assert forecast_calls(one, date(2026, 3, 9), 1, holiday_country=None).method == "seasonal_naive"
    two = history_of(pd.DataFrame({"a": 3.0}, index=local_hours("2026-03-02", "2026-03-16")))
    made = forecast_calls(two, date(2026, 3, 16), 1, method="model", holiday_country=None)
    assert made.method == "model"


def test_a_stream_without_a_call_is_forecast_without_a_crash():
    # Three weeks of zeros: no WAPE can tell the methods apart (0 calls); the default method, said.
    zeros = history_of(pd.DataFrame({"a": 0.0}, index=local_hours("2026-01-05", "2026-01-26")))
    made = forecast_calls(zeros, date(2026, 1, 26), 1, holiday_country=None)
    assert made.method == "model"
    assert made.method_said == "model, the default (no backtest scores to choose by)"
    assert made.predicted.xs("p50", axis=1, level=1).to_numpy().max() == 0


def test_a_history_that_is_almost_all_gap_is_refused():
    # Two weeks of hours of which only 2 have counts: nothing to forecast from.
    counts = pd.DataFrame({"a": np.nan}, index=local_hours("2026-01-05", "2026-01-19"))
    counts.iloc[[0, -1]] = 5.0
    with pytest.raises(InputError, match=r"only 2 of the history's 336 hours before the forecast have"):
        forecast_calls(history_of(counts), date(2026, 1, 19), 1, holiday_country=None)


def test_a_forecast_inside_the_history_uses_only_the_history_before_it():
    # Ten weeks of history, a forecast of week 5: the 6 weeks from its start on are left out (said), and the
    # backtest covers only what lies before it (4 weeks: 2 test weeks after the model's 2).
    counts = pd.DataFrame({"a": 3.0}, index=local_hours("2026-01-05", "2026-03-02"))
    made = forecast_calls(history_of(counts), date(2026, 2, 2), 1, holiday_country=None)
    assert made.backtest_said.startswith("backtested on 2 weeks: the history has 4 weeks")
    assert any(w.startswith("the call history runs 672 hours into or past the forecast")
               for w in made.warnings)
