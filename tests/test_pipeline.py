"""build runs the independent checker before writing: a roster whose sheets disagree with it is never
written."""

import os
import stat
from datetime import date
from pathlib import Path

import pytest

from scheduler import pipeline, roster
from scheduler.errors import InputError, SolveError
from scheduler.model.settings import SolverSettings

ROOT = Path(__file__).resolve().parent.parent


def make_the_coverage_sheet_lie(monkeypatch) -> None:
    """The Coverage table claims one person more than the roster has in its 6th row (sheet row 7): a roster
    the independent check must refuse, as it would a model bug."""
    real = roster.coverage_table

    def lying_coverage(*args):
        table = real(*args)
        table.loc[5, "scheduled"] += 1
        return table

    monkeypatch.setattr(roster, "coverage_table", lying_coverage)


def test_build_refuses_to_write_a_roster_that_fails_the_check(tmp_path, monkeypatch):
    make_the_coverage_sheet_lie(monkeypatch)
    inputs = pipeline.load_inputs(ROOT / "inputs/center.xlsx", ROOT / "inputs/rules.toml",
                                  ROOT / "forecasts/sample-week-2026-11-30.csv", date(2026, 11, 30), 7)
    with pytest.raises(SolveError, match="coverage sheet: row 7"):
        pipeline.build(inputs, tmp_path / "out", SolverSettings(time_limit_s=2))
    # Refused, but not thrown away: kept as a draft (tests/test_after_solve.py has the CLI side).
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "gateway-city-emergency-communications-2026-11-30-draft-assignments.csv",
        "gateway-city-emergency-communications-2026-11-30-draft-open-shifts.csv",
        "gateway-city-emergency-communications-2026-11-30-draft-payroll.csv",
        "gateway-city-emergency-communications-2026-11-30-draft-payroll.json",
        "gateway-city-emergency-communications-2026-11-30-draft.manifest.json",
        "gateway-city-emergency-communications-2026-11-30-draft.xlsx"]


def test_an_output_folder_that_is_a_file_is_an_input_error_before_solving(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    inputs = pipeline.load_inputs(ROOT / "inputs/center.xlsx", ROOT / "inputs/rules.toml",
                                  ROOT / "forecasts/sample-week-2026-11-30.csv", date(2026, 11, 30), 7)
    with pytest.raises(InputError, match="the output folder is a file"):
        pipeline.build(inputs, blocker, SolverSettings(time_limit_s=2))


def test_outputs_are_readable_by_others_under_the_usual_umask(tmp_path):
    inputs = pipeline.load_inputs(ROOT / "inputs/center.xlsx", ROOT / "inputs/rules.toml",
                                  ROOT / "forecasts/sample-week-2026-11-30.csv", date(2026, 11, 30), 7)
    old = os.umask(0o022)
    try:
        outcome = pipeline.staffing(inputs, tmp_path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(outcome.workbook.stat().st_mode) == 0o644  # not mkstemp's 0600
    assert outcome.workbook.name == "gateway-city-emergency-communications-2026-11-30-staffing.xlsx"
