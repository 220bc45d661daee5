"""build runs the independent checker before writing: a roster whose sheets disagree with it is never written."""

from datetime import date
from pathlib import Path

import pytest

from scheduler import pipeline
from scheduler.errors import SolveError
from scheduler.model.solve import SolverSettings

ROOT = Path(__file__).resolve().parent.parent


def test_build_refuses_to_write_a_roster_that_fails_the_check(tmp_path, monkeypatch):
    real = pipeline.coverage_table

    def lying_coverage(*args):
        table = real(*args)
        table.loc[5, "scheduled"] += 1  # the Coverage sheet would claim one person more than the roster has
        return table

    monkeypatch.setattr(pipeline, "coverage_table", lying_coverage)
    inputs = pipeline.load_inputs(ROOT / "inputs/center.xlsx", ROOT / "inputs/rules.toml",
                                  ROOT / "forecasts/sample-week-2026-11-30.csv", date(2026, 11, 30), 7)
    with pytest.raises(SolveError, match="coverage sheet: row 7"):
        pipeline.build(inputs, tmp_path / "out", SolverSettings(time_limit_s=2))
    assert not (tmp_path / "out").exists()
