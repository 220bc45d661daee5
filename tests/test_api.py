"""The Python API: README.md's example runs as written and writes no file, and every stage's inputs and
outputs pickle (a scenario runs stages in another process), on a tiny instance and across a real process
boundary."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import multiprocessing
import pickle
import re
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scheduler.api import (
    Callout,
    Horizon,
    Plan,
    SolverSettings,
    Weights,
    build_roster,
    check_roster,
    compute_requirements,
    forecast_calls,
    read_call_log,
    read_forecast,
    read_rules,
    read_stream_mapping,
    repair_roster,
    request_repair,
    sheet_rows,
    simulate_service,
    staffing_tables,
)
from scheduler.domain import Position, PositionKind
from scheduler.sample import HISTORY_COLUMNS
from tests.factory import START, center, employee, rules

ROOT = Path(__file__).resolve().parents[1]
SKIPPED = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache"}


def readme_example() -> str:
    """The one ```python block of README.md's section "Python API"."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Python API"):]
    section = section[:section.index("\n## ", 1)]
    blocks = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 1
    return blocks[0]


def repository_files() -> dict[Path, int]:
    """Every file of the checkout (outside version control, the virtual environment and caches) with its
    modification time in nanoseconds."""
    return {path: path.stat().st_mtime_ns for path in ROOT.rglob("*")
            if path.is_file() and not SKIPPED & set(path.relative_to(ROOT).parts)}


@pytest.fixture(scope="module")
def example_run():
    """README's example executed once, from the repository root, in a fresh namespace: what it printed and the
    checkout's files before and after."""
    before = repository_files()
    printed = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(printed):
        mp.chdir(ROOT)
        namespace: dict = {"__name__": "readme_example"}
        exec(compile(readme_example(), "README.md", "exec"), namespace)  # noqa: S102 (README's own code)
    return printed.getvalue(), namespace, before, repository_files()


def test_readme_example_runs_and_prints_the_key_figures(example_run):
    printed, namespace, _, _ = example_run
    assert namespace["roster"].passed
    lines = printed.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Solver", "Coverage", "Shortfall", "Overtime", "Independent check"]
    assert re.fullmatch(r"Solver: (OPTIMAL|FEASIBLE), objective [\d,]+, gap \d+\.\d\d%", lines[0])
    assert re.fullmatch(r"Coverage: \d+\.\d% of [\d,]+ required position-hours", lines[1])
    assert lines[-1] == "Independent check: passed"


def test_readme_example_writes_no_file(example_run):
    _, _, before, after = example_run
    changed = sorted(str(path.relative_to(ROOT)) for path in before.keys() | after.keys()
                     if before.get(path) != after.get(path))
    assert changed == []


# --------------------------------------------------------------------------------------------------- pickling


def assert_same(a, b, where: str = "") -> None:
    """Deep equality over dataclasses, containers, numpy arrays and pandas tables."""
    assert type(a) is type(b), where
    if dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            assert_same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            assert_same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, np.ndarray):
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, obj=where)
    else:
        assert a == b, where


def round_trips(*objects) -> None:
    for x in objects:
        assert_same(pickle.loads(pickle.dumps(x)), x, type(x).__name__)


POLICE_CALLS = Position("ct", "Call-taker", PositionKind.CALL_TAKING, "CT", ("911_police",))
SETTINGS = SolverSettings(time_limit_s=2, workers=1)


@pytest.fixture(scope="module")
def tiny():
    """A day of the sample forecast's police 9-1-1 line for four call-takers (a requirement and a plan);
    callers hang up after 3 minutes on average, so the simulation runs whatever hours the roster leaves empty.
    """
    forecast = read_forecast(ROOT / "forecasts" / "sample-week-2026-11-30.csv")
    c = center([employee(e, quals="CT") for e in "ABCD"], positions=(POLICE_CALLS,))
    r = rules(patience_seconds=180)
    requirements = compute_requirements(c, r, forecast, Horizon(START, 1, r.tz))
    return forecast, Plan(c, r, requirements)


def test_plan_requirement_and_staffing_pickle(tiny):
    forecast, plan = tiny
    round_trips(forecast, plan.requirements, plan, staffing_tables(plan, forecast, "p50", seed=1))


def test_roster_check_simulation_and_repair_pickle(tiny):
    _, plan = tiny
    roster = build_roster(plan, SETTINGS, Weights())
    assert roster.passed and roster.result.assignments
    shifts = list(roster.result.assignments)
    checked = check_roster(plan, shifts, sheet_rows(roster.pay), sheet_rows(roster.coverage),
                           sheet_rows(roster.open_shifts))
    assert checked.violations == () and checked.penalties == roster.result.penalties
    first = min(shifts, key=lambda a: a.start)
    callout = Callout(first.employee_id, first.start.replace(tzinfo=None), first.end.replace(tzinfo=None))
    now = first.start - timedelta(hours=1)
    request = request_repair(plan, tuple(shifts), (callout,), now, volunteers=frozenset({"D"}))
    repaired = repair_roster(request, SETTINGS)
    assert repaired.roster.passed
    round_trips(SETTINGS, Weights(), roster, shifts, checked, simulate_service(plan, roster, seed=1), callout,
                request, repaired)


def test_forecast_stage_pickles():
    mapping = read_stream_mapping(ROOT / "inputs" / "lines.toml")
    timezone = read_rules(ROOT / "inputs" / "rules.toml").timezone
    history = read_call_log(ROOT / "inputs" / "call-history.csv", timezone=timezone, mapping=mapping,
                            **HISTORY_COLUMNS)
    made = forecast_calls(history, date(2026, 11, 30), 1, backtest_weeks=1)
    round_trips(mapping, history, made)


def test_a_stage_runs_in_another_process(tiny):
    _, plan = tiny
    here = build_roster(plan, SETTINGS)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        there = pool.submit(build_roster, plan, SETTINGS).result()
    assert there.passed
    assert there.result.assignments == here.result.assignments  # deterministic: the same roster
