"""Issue 21, point 4: after the solve nothing is lost. A failure in the simulation, the report or the workbook
keeps the roster as a draft (exit 3), a roster failing the independent check is refused but kept as a draft
too, and a time limit or worker count that is not positive stops at the command line (exit 2)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from scheduler import cli, cli_output, pipeline
from scheduler.domain import Horizon, Position, PositionKind
from scheduler.io.forecast import read_forecast
from scheduler.model.settings import SolverSettings
from scheduler.staffing import compute_requirements
from tests.factory import START, center, employee, rules
from tests.test_pipeline import make_the_coverage_sheet_lie

ROOT = Path(__file__).resolve().parents[1]
FORECAST = ROOT / "forecasts" / "sample-week-2026-11-30.csv"
SLUG = "gateway-city-emergency-communications-2026-11-30"
POLICE_CALLS = Position("ct", "Call-taker", PositionKind.CALL_TAKING, "CT", ("911_police",))
SETTINGS = SolverSettings(time_limit_s=2, workers=1)
DRAFT_SET = [f"{SLUG}-draft-assignments.csv", f"{SLUG}-draft-open-shifts.csv", f"{SLUG}-draft-payroll.csv",
             f"{SLUG}-draft-payroll.json",
             f"{SLUG}-draft.manifest.json", f"{SLUG}-draft.xlsx"]


def issue_21_inputs() -> pipeline.Inputs:
    """Issue 21's center, a day of it (a plan not of 7 days: its files are named `-1w`): one employee,
    qualified only for police call-taking, so the queue has nobody on duty outside their shift, the plan's
    last hour included; callers never hang up."""
    forecast = read_forecast(FORECAST)
    c, r = center([employee("A", quals="CT")], positions=(POLICE_CALLS,)), rules()
    requirements = compute_requirements(c, r, forecast, Horizon(START, 1, r.tz))
    return pipeline.Inputs(c, r, requirements, forecast=forecast, quantile="p50",
                           paths={"center_workbook": Path("tiny.xlsx")})


def run_sheet(workbook: Path) -> dict:
    ws = load_workbook(workbook, read_only=True)["Run"]
    return {key: value for key, value in ws.iter_rows(min_row=2, values_only=True)}


def build_sample(out: Path, *extra: str):
    return CliRunner().invoke(cli.main, [
        "build", "--center", str(ROOT / "inputs" / "center.xlsx"),
        "--rules", str(ROOT / "inputs" / "rules.toml"), "--forecast", str(FORECAST), "--week", "2026-11-30",
        "--out", str(out), "--time-limit", "2", *extra])


def test_issue_21_center_is_published_with_its_unstaffed_hours_simulated(tmp_path):
    # It ended in "ValueError: agents in the last hour must be >= 1" after the solve, nothing written.
    outcome = pipeline.build(issue_21_inputs(), tmp_path, SETTINGS)
    assert outcome.draft is None
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "tiny-2026-11-30-1w-assignments.csv", "tiny-2026-11-30-1w-open-shifts.csv",
        "tiny-2026-11-30-1w-payroll.csv", "tiny-2026-11-30-1w-payroll.json",
        "tiny-2026-11-30-1w.manifest.json", "tiny-2026-11-30-1w.xlsx"]
    # One call-taker for an 8-hour shift of a 24-hour queue: the plan's calls are there, offered.
    assert outcome.service.total["offered"] > 0


def test_a_simulation_that_raises_leaves_the_roster_as_a_draft(tmp_path, monkeypatch):
    def broken(*args):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(pipeline, "simulate_service", broken)
    outcome = pipeline.build(issue_21_inputs(), tmp_path, SETTINGS)
    # The reason is one line: what failed, the exception's type and message (its lines joined).
    assert outcome.draft == "the simulation failed: RuntimeError: boom second line"
    assert outcome.service is None
    # Only the draft is written: never the name of a published roster.
    assert outcome.workbook == tmp_path / "tiny-2026-11-30-1w-draft.xlsx"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "tiny-2026-11-30-1w-draft-assignments.csv", "tiny-2026-11-30-1w-draft-open-shifts.csv",
        "tiny-2026-11-30-1w-draft-payroll.csv", "tiny-2026-11-30-1w-draft-payroll.json",
        "tiny-2026-11-30-1w-draft.manifest.json", "tiny-2026-11-30-1w-draft.xlsx"]
    assert run_sheet(outcome.workbook)["draft"] == outcome.draft
    # The roster is all there: the Assignments sheet has the solved roster's rows.
    ws = load_workbook(outcome.workbook, read_only=True)["Assignments"]
    assert ws.max_row - 1 == len(outcome.roster.pay) == len(outcome.roster.result.assignments)


def test_a_workbook_that_fails_to_write_leaves_a_draft(tmp_path, monkeypatch):
    real = pipeline.write_roster

    def fails_once(path, tables, more=None):
        if not path.stem.endswith("-draft"):
            raise ValueError("Cannot convert {'x': 1} to Excel")
        return real(path, tables, more)

    monkeypatch.setattr(pipeline, "write_roster", fails_once)
    outcome = pipeline.build(issue_21_inputs(), tmp_path, SETTINGS)
    # The simulation ran; the workbook is what failed.
    assert outcome.draft == "the workbook failed: ValueError: Cannot convert {'x': 1} to Excel"
    assert outcome.service is not None
    assert outcome.workbook.name == "tiny-2026-11-30-1w-draft.xlsx"


def test_build_command_prints_the_draft_and_exits_3(tmp_path, monkeypatch):
    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "simulate_service", broken)
    result = build_sample(tmp_path)
    draft = tmp_path / f"{SLUG}-draft.xlsx"
    assert result.exit_code == cli_output.DRAFT_EXIT == 3  # documented in `scheduler --help`
    assert result.stderr.splitlines()[-1] == ("Error: the roster is written as a draft, not to be published: "
                                              "the simulation failed: RuntimeError: boom")
    assert "Simulated service:    not available (draft)\n" in result.stdout
    assert f"Roster workbook:      {draft} (DRAFT, not to be published)\n" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == DRAFT_SET
    # The draft holds the sheets `check` reads: it can be checked like any roster.
    checked = CliRunner().invoke(cli.main, ["check", str(draft)])
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith("OK: ")


def test_a_roster_failing_the_check_is_refused_and_kept_as_a_draft(tmp_path, monkeypatch):
    make_the_coverage_sheet_lie(monkeypatch)
    result = build_sample(tmp_path)
    draft = tmp_path / f"{SLUG}-draft.xlsx"
    assert result.exit_code == 3  # a draft was written (exit 2 means nothing was)
    line = result.stderr.splitlines()[-1]
    assert line.startswith("Error: the roster failed the independent check: coverage sheet: row 7")
    assert line.endswith(f"; kept as a draft, not to be published: {draft}")
    assert sorted(p.name for p in tmp_path.iterdir()) == DRAFT_SET
    assert run_sheet(draft)["draft"].startswith(
        "the roster failed the independent check: coverage sheet: row 7")


@pytest.mark.parametrize(("option", "value", "shown"), [
    ("--time-limit", "-5", "-5"), ("--time-limit", "0", "0"), ("--time-limit", "nan", "nan"),
    ("--workers", "0", "0"), ("--workers", "-2", "-2"),
])
def test_a_time_limit_or_workers_not_positive_stops_before_any_work(tmp_path, option, value, shown):
    # --time-limit -5 reached CP-SAT, whose MODEL_INVALID was reported as "a bug in a rule module".
    result = build_sample(tmp_path / "out", option, value)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {option} must be a positive number (value: {shown})\n"
    assert not (tmp_path / "out").exists()  # stopped at the command line: not even the folder is made


def test_repair_command_keeps_a_repaired_roster_as_a_draft_and_exits_3(tmp_path, monkeypatch):
    published = build_sample(tmp_path / "built")
    assert published.exit_code == 0, published.output
    # Someone on a Wednesday shift from 06:00 calls out from 05:00: the repair has work to do.
    rows = load_workbook(tmp_path / "built" / f"{SLUG}.xlsx", read_only=True)["Assignments"].iter_rows(
        min_row=2, values_only=True)
    out_sick = next(r[0] for r in rows if r[8].date() == date(2026, 12, 2) and r[3].hour >= 6)

    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "simulate_service", broken)
    result = CliRunner().invoke(cli.main, [
        "repair", str(tmp_path / "built" / f"{SLUG}.xlsx"), "--now", "2026-12-02 05:00", "--time-limit", "2",
        "--out", str(tmp_path / "repair"), "--callout", f"{out_sick},2026-12-02 05:00,2026-12-03 05:00"])
    draft = tmp_path / "repair" / f"{SLUG}-repaired-draft.xlsx"
    assert result.exit_code == 3
    assert result.stderr.splitlines()[-1] == ("Error: the roster is written as a draft, not to be published: "
                                              "the simulation failed: RuntimeError: boom")
    assert f"Repaired roster: {draft} (DRAFT, not to be published)\n" in result.stdout
    # The change list is written beside the draft, named after it.
    assert sorted(p.name for p in (tmp_path / "repair").iterdir()) == [
        f"{SLUG}-repaired-draft-assignments.csv", f"{SLUG}-repaired-draft-changes.csv",
        f"{SLUG}-repaired-draft-open-shifts.csv", f"{SLUG}-repaired-draft-payroll.csv",
        f"{SLUG}-repaired-draft-payroll.json", f"{SLUG}-repaired-draft.manifest.json",
        f"{SLUG}-repaired-draft.xlsx"]
