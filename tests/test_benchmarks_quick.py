"""The benchmark runner (benchmarks/run.py): its quick mode runs three scripts end to end on tiny cases, so
the benchmark code cannot rot. No timing is asserted: the machine's load is not the code's fault."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scheduler.domain import Horizon, Requirements
from scheduler.plan import Plan
from tests.factory import START, center, employee, load_script, rules

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "benchmarks" / "run.py"


def load_runner():
    return load_script(RUNNER, "benchmarks_run")


def test_quick_runs_its_cases_and_writes_their_csvs(tmp_path):
    done = subprocess.run([sys.executable, str(RUNNER), "--out", str(tmp_path), "quick"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    staffing = pd.read_csv(tmp_path / "staffing_math.csv")
    # staffing_math measures three things: Erlang C, Erlang A and the whole requirement.
    assert list(staffing.columns) == ["what", "median ms"] and len(staffing) == 3
    week = pd.read_csv(tmp_path / "sample_week.csv")
    # --seeds 1: seed 0 under the default settings and under every worker kept, each with a roster.
    assert list(week["settings"]) == ["default", "every worker kept"]
    assert set(week["status"]) <= {"FEASIBLE", "OPTIMAL"}
    assert (tmp_path / "sample_week.txt").read_text().startswith("| settings |")
    # The tiny Curtois instance of tests/test_curtois.py, solved to its brute-forced optimum 13.
    curtois = pd.read_csv(tmp_path / "curtois.csv")
    assert list(curtois[["instance", "objective", "bound", "status"]].itertuples(index=False, name=None)) == [
        ("curtois_tiny", 13, 13, "OPTIMAL")]


def test_tables_are_read_past_lines_between_rows():
    # A summary line between two rows (as sample_week prints) does not end the table; 1,962 is a number.
    text = "| a | b |\n|---|---|\n| x | 1,962 |\nsummary: done\n| **y** | 2.5 |\n| too | many | cells |\n"
    (table,) = load_runner().markdown_tables(text)
    assert table.to_dict("list") == {"a": ["x", "y"], "b": [1962, 2.5]}


def test_an_earlier_run_is_not_replaced_without_force(tmp_path, capsys):
    (tmp_path / "staffing_math.txt").write_text("earlier")
    assert load_runner().main(["--out", str(tmp_path), "staffing_math"]) == 2
    assert (tmp_path / "staffing_math.txt").read_text() == "earlier"
    assert "--force" in capsys.readouterr().err


def test_an_unknown_name_says_how_to_list_them(tmp_path, capsys):
    assert load_runner().main(["--out", str(tmp_path), "no_such_benchmark"]) == 2
    assert "run.py list" in capsys.readouterr().err


def test_a_scripts_help_is_shown_and_nothing_is_written(tmp_path):
    assert load_runner().main(["--out", str(tmp_path), "staffing_math", "--help"]) == 0
    assert not any(tmp_path.iterdir())


def load_peers():
    return load_script(ROOT / "benchmarks" / "peers.py", "benchmarks_peers")


def test_peers_names_why_pyworkforce_staffs_one_more():
    why = load_peers().why
    # 527 calls of 180 s: 26.35 erlangs, / 0.85 = 31 exactly, 31.000000000000004 in floats: pyworkforce's
    # ceil() makes 32 of what is an occupancy of exactly 85% at 31.
    assert why(527 * 180 / 3600, 31, 32, 0.85, 0.0).startswith("occupancy")
    # 21 on the phones at 30% shrinkage: 21 / 0.7 = 30 exactly, 30.000000000000004 in floats.
    assert why(15.25, 21, 21, 0.85, 0.3).startswith("shrinkage")
    # 22 / 0.7 = 31.43: not a rounding artefact, so not explained as one.
    assert "another reason" in why(15.25, 22, 22, 0.85, 0.3)


def test_peers_without_pyworkforce_says_how_to_install_it():
    if importlib.util.find_spec("pyworkforce") is not None:
        pytest.skip("pyworkforce is installed here: the comparison would run (it is never a test dependency)")
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "peers.py"), "erlang"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2
    assert done.stderr.startswith("Error: pyworkforce is not installed")
    assert "pip install pyworkforce" in done.stderr


def tiny_plan(staff, days=1):
    r = rules()
    horizon = Horizon(START, days, r.tz)
    zeros = {"radio": np.zeros(horizon.n_slots, dtype=int)}
    return Plan(center(staff), r, Requirements(horizon, zeros, zeros, {}))


def test_peers_shift_patterns_wrap_the_week_as_our_coverage_does():
    patterns = load_peers().shift_patterns(tiny_plan([employee("A")]))
    # One day is a cycle of 24 hours: N8 from 23:00 covers 23:00 and, wrapped, 00:00-07:00.
    assert list(np.flatnonzero(patterns[(0, "N8")])) == [0, 1, 2, 3, 4, 5, 6, 23]
    assert list(np.flatnonzero(patterns[(0, "D8")])) == list(range(7, 15))


def test_peers_counts_are_given_to_people_and_the_excess_is_proven_unstaffable():
    peers = load_peers()
    plan = tiny_plan([employee("A"), employee("B"), employee("T", job_class="trainee")])
    counts = {(0, "D8"): 2, (0, "E8"): 1}
    # One day, one shift a day: A and B take two of the three shifts (the trainee counts as no one), so one is
    # unstaffable whatever the assignment, and the greedy leaves exactly one.
    assert peers.unstaffable(plan, counts) == (1, ("D8", "E8"))
    shifts, unfilled = peers.assign_greedily(plan, "radio", counts)
    assert unfilled == 1
    assert sorted((s.employee_id, s.shift_code) for s in shifts) == [("A", "D8"), ("B", "D8")]
    # Two D8 alone are staffable: no excess, no set named.
    assert peers.unstaffable(plan, {(0, "D8"): 2}) == (0, ())
