"""Weeks with a daylight-saving change (America/Chicago): 169 or 167 hourly slots, rosters that pass the
check."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from click.testing import CliRunner

from scheduler.cli import main
from scheduler.domain import Horizon, worked_hours
from scheduler.io.roster_xlsx import read_roster

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "forecasts/sample-week-2026-11-30.csv"


def forecast_for(week: date, path: Path) -> int:
    """The sample week's calls by local weekday and hour, re-stamped onto `week` (a DST week has 167/169
    hours)."""
    tz = ZoneInfo("America/Chicago")
    by_key = {}
    for row in pd.read_csv(SAMPLE).itertuples():
        local = datetime.fromisoformat(row.timestamp).astimezone(tz)
        by_key[local.weekday(), local.hour, row.stream] = (row.calls_p50, row.calls_p90, row.aht_seconds)
    streams = sorted({stream for _, _, stream in by_key})
    horizon = Horizon(week, 7, tz)
    rows = []
    for slot in range(horizon.n_slots):
        start = horizon.slot_start(slot)
        for stream in streams:
            rows.append([start.isoformat(), stream, *by_key[start.weekday(), start.hour, stream]])
    pd.DataFrame(rows, columns=["timestamp", "stream", "calls_p50", "calls_p90", "aht_seconds"]).to_csv(
        path, index=False)
    return horizon.n_slots


@pytest.mark.parametrize(("week", "hours"), [(date(2026, 10, 26), 169), (date(2027, 3, 8), 167)])
def test_a_dst_week_builds_and_checks(tmp_path, week, hours):
    forecast = tmp_path / "forecast.csv"
    assert forecast_for(week, forecast) == hours
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "build", "--center", str(ROOT / "inputs/center.xlsx"), "--rules", str(ROOT / "inputs/rules.toml"),
        "--forecast", str(forecast), "--week", week.isoformat(), "--out", str(out), "--time-limit", "3"])
    assert result.exit_code == 0, result.output
    workbook = next(out.glob("*.xlsx"))
    roster = read_roster(workbook)
    assert len(roster.coverage) == hours * 5  # every real hour once, for each of the 5 positions
    # Each Assignments segment's hours equal its real duration, also over the night the clocks change.
    for row in roster.assignments:
        assert worked_hours(row["start"], row["end"]) == pytest.approx(row["hours"])
    checked = CliRunner().invoke(main, ["check", str(workbook)])
    assert checked.exit_code == 0, checked.output
    assert checked.output.startswith("OK")
