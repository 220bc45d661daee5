"""A Curtois & Qu instance through this project's own roster model (scheduler/curtois_roster.py) and the
command that solves one (benchmarks/curtois.py solve, table): the model's optimum is the benchmark's, as the
independent scorer (scheduler/checker/curtois.py) computes it by brute force on random tiny instances."""

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.checker.curtois import score_solution
from scheduler.curtois_roster import model_data, solve_instance
from scheduler.domain import (
    NurseAssignment,
    NurseCover,
    NurseEmployee,
    NurseInstance,
    NurseRequest,
    NurseShift,
)
from scheduler.errors import InputError, SolveError
from scheduler.io.curtois import read_instance
from scheduler.model.settings import SolverSettings
from tests.factory import load_script

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "fixtures" / "curtois_tiny.txt"
SHARED = ROOT.parent / "shared" / "benchmarks" / "curtois"
SETTINGS = SolverSettings(time_limit_s=10, workers=1)


def test_the_tiny_instance_solves_to_its_brute_forced_optimum():
    # tests/test_curtois.py derives 13 by hand and by brute force, reached by A E-E-E and B L on day 1 alone.
    instance = read_instance(TINY)
    rows, result, _ = solve_instance(instance, SETTINGS)
    assert (result.status, result.objective, result.best_bound) == ("OPTIMAL", 13, 13)
    assert set(rows) == {NurseAssignment(*r) for r in
                         (("A", 0, "E"), ("A", 1, "E"), ("A", 2, "E"), ("B", 1, "L"))}


def test_the_mapping_states_the_instance_as_center_data():
    data = model_data(read_instance(TINY))
    center = data.center
    # L cannot be followed by E; B may not work E (E=0): off their bid list; B's day 0 off is leave.
    assert center.forbidden_successions == (("L", "E"),)
    assert [(e.id, e.shift_codes) for e in center.staff] == [("A", ("E", "L")), ("B", ("L",))]
    assert [(lv.employee_id, (lv.start - data.horizon.start).days) for lv in center.leave] == [("B", 0)]
    b = next(limits for limits in center.limits if limits.employee_id == "B")
    assert (b.min_minutes, b.max_minutes, b.max_consecutive_days, b.max_weekends) == (0, 960, 3, 1)
    # The on-request is a preference a day off breaks; the off-request one a shift breaks.
    on, off = center.preferences
    assert (on.avoid, on.day_off_breaks, on.shift_codes, on.weight) == (False, True, ("L",), 2)
    assert (off.avoid, off.day_off_breaks, off.shift_codes, off.weight) == (True, False, ("E",), 1)
    assert len(center.shift_cover) == 6 and data.history is not None and data.history.shifts == ()


def test_a_shift_of_other_than_whole_hours_is_refused():
    instance = read_instance(TINY)
    odd = NurseInstance(instance.name, instance.days, (NurseShift("E", 450, frozenset()),),
                        instance.staff[:1], (), (), ())
    with pytest.raises(InputError, match="shift type E lasts 450 minutes, not whole hours"):
        model_data(odd)


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/benchmarks/curtois is not on this machine")
def test_instance1_is_solved_to_its_proven_optimum():
    rows, result, _ = solve_instance(read_instance(SHARED / "Instance1.txt"), SETTINGS)
    assert (result.status, result.objective) == ("OPTIMAL", 607)
    assert score_solution(read_instance(SHARED / "Instance1.txt"), rows).objective == 607


# --- the model's optimum is the scorer's brute-forced one ---------------------------------------------------

@st.composite
def tiny_instances(draw, days: int, shifts: tuple[str, ...]) -> NurseInstance:
    """Two employees over `days` days with random limits, requests, cover and successions."""
    types = tuple(NurseShift(s, 480, frozenset(draw(st.sets(st.sampled_from(shifts), max_size=1))))
                  for s in shifts)
    staff = []
    for e in "AB":
        low = draw(st.integers(0, 2)) * 480
        staff.append(NurseEmployee(
            e, tuple((s, draw(st.integers(0, days))) for s in shifts), low + draw(st.integers(0, days)) * 480,
            low, draw(st.integers(1, 3)), draw(st.integers(1, 2)), draw(st.integers(1, 2)),
            draw(st.integers(0, 1)), frozenset(draw(st.sets(st.integers(0, days - 1), max_size=1)))))
    request = st.builds(NurseRequest, st.sampled_from("AB"), st.integers(0, days - 1),
                        st.sampled_from(shifts), st.integers(1, 3))
    on, off = (draw(st.lists(request, max_size=2, unique_by=lambda r: (r.employee_id, r.day, r.shift_id)))
               for _ in range(2))
    cover = tuple(NurseCover(d, s, draw(st.integers(0, 2)), draw(st.integers(1, 20)), draw(st.integers(0, 3)))
                  for d in range(days) for s in shifts)
    return NurseInstance("random", days, types, tuple(staff), tuple(on), tuple(off), cover)


def brute_force(instance: NurseInstance) -> int | None:
    """The least objective over every assignment without a hard violation (None: none is feasible)."""
    cells = list(itertools.product([e.id for e in instance.staff], range(instance.days)))
    best = None
    for choice in itertools.product([None, *(s.id for s in instance.shifts)], repeat=len(cells)):
        rows = tuple(NurseAssignment(e, d, s) for (e, d), s in zip(cells, choice, strict=True) if s)
        score = score_solution(instance, rows)
        if not score.violations and (best is None or score.objective < best):
            best = score.objective
    return best


def assert_model_reaches_brute_force(instance: NurseInstance) -> None:
    best = brute_force(instance)
    if best is None:
        with pytest.raises(SolveError):
            solve_instance(instance, SETTINGS)
        return
    rows, result, _ = solve_instance(instance, SETTINGS)
    assert (result.status, result.objective) == ("OPTIMAL", best)
    assert score_solution(instance, rows).violations == ()


@settings(max_examples=12, deadline=None)
@given(tiny_instances(days=4, shifts=("E", "L")))
def test_two_shift_types_over_four_days_match_the_brute_force_optimum(instance):
    # Successions, caps per type, minutes, runs of work and days off, requests, cover: 3^8 rosters each.
    assert_model_reaches_brute_force(instance)


@settings(max_examples=8, deadline=None)
@given(tiny_instances(days=7, shifts=("D",)))
def test_one_shift_type_over_a_week_matches_the_brute_force_optimum(instance):
    # A whole week: its weekend (days 5 and 6) against each employee's 0 or 1 weekends; 2^14 rosters each.
    assert_model_reaches_brute_force(instance)


# --- the command --------------------------------------------------------------------------------------------

def command():
    return load_script(ROOT / "benchmarks" / "curtois.py", "curtois_command").main


def test_solve_writes_the_rows_and_refuses_to_replace_them(tmp_path, capsys):
    out = tmp_path / "tiny.csv"
    assert command()(["solve", str(TINY), "--time-limit", "5", "--deterministic", "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("curtois_tiny: objective 13, proven bound 13 (OPTIMAL, gap 0.00%")
    assert lines[1] == "independent scorer: agrees, no hard constraint broken"
    assert out.read_text().splitlines() == ["employee_id,day,shift_id", "A,0,E", "A,1,E", "A,2,E", "B,1,L"]
    assert command()(["solve", str(TINY), "--time-limit", "5", "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith("Error: ")
    assert command()(["solve", str(TINY), "--time-limit", "5", "--out", str(out), "--force"]) == 0


def tiny_with(tmp_path: Path, old: str, new: str) -> Path:
    """The tiny instance with one line replaced, as a file of its own."""
    path = tmp_path / "changed.txt"
    path.write_text(TINY.read_text().replace(old, new, 1))
    return path


def test_an_instance_no_roster_can_keep_is_one_error_line_and_exit_2(tmp_path, capsys):
    # A must work 1,440 minutes (3 shifts of 480 in the 3 days) but at most 1 day in a row: no roster.
    path = tiny_with(tmp_path, "A,E=3|L=3,1440,960,3,1,1,1", "A,E=3|L=3,1440,1440,1,1,1,1")
    assert command()(["solve", str(path), "--time-limit", "5", "--deterministic"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("Error: ")


def test_a_shift_of_other_than_whole_hours_names_the_file_section_and_column(tmp_path):
    path = tiny_with(tmp_path, "E,480,", "E,450,")
    with pytest.raises(InputError) as error:
        model_data(read_instance(path))
    assert str(error.value).startswith(
        "changed.txt, section SECTION_SHIFTS, column Length: shift type E lasts 450 minutes, not whole hours")


def test_table_reads_every_instance_before_solving_any(tmp_path, capsys, monkeypatch):
    # The bad second file stops the run before the first is solved (at 300 s a solve, a bad tenth file
    # would otherwise surface after 45 minutes): no solve, one error line.
    script = load_script(ROOT / "benchmarks" / "curtois.py", "curtois_command")
    solves = []
    monkeypatch.setattr(script, "solved", lambda *args: solves.append(args))
    bad = tiny_with(tmp_path, "E,480,", "E,480,N")
    assert script.main(["table", str(TINY), str(bad), "--time-limit", "5", "--deterministic"]) == 2
    assert solves == [] and capsys.readouterr().err.startswith("Error: changed.txt")


def test_table_prints_one_row_per_instance_and_limit(capsys):
    assert command()(["table", str(TINY), "--time-limit", "2", "--time-limit", "3", "--deterministic"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("| instance | limit | best known | objective | bound |")
    assert [line.split(" | ")[:5] for line in lines[2:]] == [["| curtois_tiny", "2", "", "13", "13"],
                                                             ["| curtois_tiny", "3", "", "13", "13"]]
