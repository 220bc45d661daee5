"""Ctrl-C during a solve stops the search at once and keeps the best roster found so far (status INTERRUPTED),
which passes every hard rule; a solve interrupted before any roster says so (model/solve.py, cpsat.run)."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).parent.parent

# The sample week, solved directly for 300 deterministic seconds: far longer than the test waits. It prints a
# line at its first roster; the test then sends SIGINT, as Ctrl-C in a terminal does.
CHILD = textwrap.dedent("""
    import signal, sys, time
    from datetime import date
    from pathlib import Path
    from scheduler.api import Horizon, Plan, SolverSettings, compute_requirements, read_center, read_forecast
    from scheduler.api import read_rules
    from scheduler.checker import RosterCase
    from scheduler.model.data import ModelData
    from scheduler.model.registry import check_rules
    from scheduler.model.solve import solve

    signal.signal(signal.SIGINT, signal.default_int_handler)  # a background child may inherit SIG_IGN
    center, rules = read_center(Path("inputs/center.xlsx")), read_rules(Path("inputs/rules.toml"))
    forecast = read_forecast(Path("forecasts/sample-week-2026-11-30.csv"))
    horizon = Horizon(date(2026, 11, 30), 7, rules.tz)
    requirements = compute_requirements(center, rules, forecast, horizon)
    data = ModelData(center, rules, horizon, requirements)
    first = []

    def progress(p):
        if not first:
            first.append(p)
            print("roster found", flush=True)

    started = time.perf_counter()
    settings = SolverSettings(time_limit_s=300, strategy=sys.argv[1])
    result = solve(data, settings=settings, on_progress=progress)
    case = RosterCase(result.assignments, center, rules, requirements)
    seconds = round(time.perf_counter() - started)
    print(result.status, len(result.assignments), seconds, len(check_rules(case)))
""")


@pytest.mark.parametrize("strategy", ["direct", "phased"])
def test_ctrl_c_keeps_the_best_roster_found(strategy):
    child = subprocess.Popen([sys.executable, "-c", CHILD, strategy], cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout.readline().strip() == "roster found"
    time.sleep(1.0)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    status, shifts, seconds, violations = out.split()
    # Stopped at once (300 det-s is minutes of wall-clock), with a roster under every hard rule.
    assert status == "INTERRUPTED" and int(shifts) > 0 and int(violations) == 0
    assert int(seconds) < 60


def _build(out: Path) -> subprocess.Popen:
    """`scheduler build` of the sample week for 300 deterministic seconds, in its own process."""
    code = ("import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
            "from scheduler.cli import main; sys.exit(main())")
    return subprocess.Popen(
        [sys.executable, "-c", code, "build", "--center", "inputs/center.xlsx",
         "--rules", "inputs/rules.toml", "--forecast", "forecasts/sample-week-2026-11-30.csv",
         "--week", "2026-11-30", "--time-limit", "300", "--out", str(out)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})


def _first_progress(child: subprocess.Popen) -> None:
    """Wait for the first progress line (stderr): a roster exists from then on."""
    line = child.stderr.readline()
    while line and " s  " not in line and "objective" not in line:
        line = child.stderr.readline()
    assert "objective" in line, line


def test_ctrl_c_writes_the_best_roster_marked_interrupted(tmp_path):
    child = _build(tmp_path)
    _first_progress(child)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=180)
    # Exit 130 (128 + SIGINT), the summary printed, the roster written and checked, marked in its Run sheet.
    assert child.returncode == 130, err
    assert err.strip().splitlines()[-1] == ("Interrupted (Ctrl-C): the roster written is the best found so "
                                            "far, not the --time-limit's reproducible result")
    assert "Solver:               INTERRUPTED" in out and "Independent check:    passed" in out
    workbook = next(tmp_path.glob("*.xlsx"))
    run = dict(openpyxl.load_workbook(workbook, read_only=True)["Run"].iter_rows(values_only=True))
    assert run["status"] == "INTERRUPTED" and run["deterministic"] is False


def test_a_second_ctrl_c_leaves_without_writing_anything(tmp_path):
    child = _build(tmp_path)
    _first_progress(child)
    child.send_signal(signal.SIGINT)
    time.sleep(0.3)  # the second lands while the roster found is checked, simulated or written
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=180)
    assert child.returncode == 130, err
    assert err.strip().splitlines()[-1] == "Interrupted (Ctrl-C): nothing written"
    assert list(tmp_path.glob("*.xlsx")) == [] and list(tmp_path.glob("*.csv")) == []
