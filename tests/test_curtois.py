"""Curtois & Qu benchmark instances: the reader (io/curtois.py), the independent scorer (checker/curtois.py)
and the command benchmarks/curtois.py, on instances written here and on the real Instance1 when
../shared/benchmarks/curtois/ is there."""

import csv
import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.checker.curtois import score_solution
from scheduler.domain import NurseAssignment, Violation
from scheduler.errors import InputError
from scheduler.io.curtois import read_instance, read_solution
from tests.factory import load_script

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "benchmarks" / "curtois"

# 3 days (no weekend); E cannot follow L. B works L alone, never on day 0, at most 2 shifts (960 min); A works
# 2 or 3 shifts. A asks for L on day 0 (weight 2) and not E on day 1 (weight 1). Short costs 10, over 1.
TINY = {
    "SECTION_HORIZON": ["3"],
    "SECTION_SHIFTS": ["E,480,", "L,480,E"],
    "SECTION_STAFF": ["A,E=3|L=3,1440,960,3,1,1,1", "B,E=0|L=3,960,0,3,1,1,1"],
    "SECTION_DAYS_OFF": ["B,0"],
    "SECTION_SHIFT_ON_REQUESTS": ["A,0,L,2"],
    "SECTION_SHIFT_OFF_REQUESTS": ["A,1,E,1"],
    "SECTION_COVER": ["0,E,1,10,1", "0,L,1,10,1", "1,E,1,10,1", "1,L,1,10,1", "2,E,1,10,1", "2,L,0,10,1"],
}


def text_of(sections: dict[str, list[str]], newline: str = "\n") -> str:
    lines = ["# written by tests/test_curtois.py"]
    for name, rows in sections.items():
        lines += [name, "# a comment", *rows, ""]
    return newline.join(lines)


def write(tmp_path: Path, text: str, name: str = "tiny.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode())
    return path


def rows(*assignments: str) -> tuple[NurseAssignment, ...]:
    """'A,0,E' -> the assignment."""
    return tuple(NurseAssignment(e, int(d), s) for e, d, s in (a.split(",") for a in assignments))


@pytest.fixture
def tiny(tmp_path):
    return read_instance(write(tmp_path, text_of(TINY)))


# --- the reader ---------------------------------------------------------------------------------------------

def test_the_tiny_instance_reads_as_written(tiny):
    assert (tiny.days, [s.id for s in tiny.shifts], [e.id for e in tiny.staff]) == (3, ["E", "L"], ["A", "B"])
    assert tiny.shifts_by_id["L"].forbidden_next == {"E"} and tiny.shifts_by_id["E"].forbidden_next == set()
    b = tiny.staff_by_id["B"]
    assert (b.max_shifts_of("E"), b.max_shifts_of("L"), b.max_total_minutes, b.days_off) == (0, 3, 960, {0})
    assert tiny.cover_demand == 5 and tiny.weekends == ()


@settings(max_examples=30, deadline=None)
@given(order=st.permutations(list(TINY)), newline=st.sampled_from(["\n", "\r\n"]),
       trailing_comma=st.booleans())
def test_sections_in_any_order_and_any_line_endings_read_the_same(tmp_path_factory, order, newline,
                                                                   trailing_comma):
    # The format, not the files at hand: sections may come in any order, Windows or Unix line endings, a shift
    # with no forbidden successor with or without its trailing comma.
    sections = {name: TINY[name] for name in order}
    if not trailing_comma:
        sections["SECTION_SHIFTS"] = ["E,480", "L,480,E"]
    else:  # and a spreadsheet's padding
        sections["SECTION_COVER"] = [f"{row},," for row in TINY["SECTION_COVER"]]
    folder = tmp_path_factory.mktemp("order")
    expected = read_instance(write(folder, text_of(TINY), "a.txt"))
    assert read_instance(write(folder, text_of(sections, newline), "a.txt")) == expected


def test_max_shifts_may_name_some_shift_types_alone(tmp_path):
    # A type MaxShifts leaves out has no limit (the instances 13-24 list their own sets of types).
    staff = ["A,L=1,1440,0,3,1,1,1", "B,,960,0,3,1,1,1"]
    instance = read_instance(write(tmp_path, text_of({**TINY, "SECTION_STAFF": staff})))
    a, b = instance.staff
    assert (a.max_shifts_of("E"), a.max_shifts_of("L"), b.max_shifts, b.days_off) == (None, 1, (), {0})


@pytest.mark.parametrize(("section", "row", "message"), [
    ("SECTION_STAFF", "A,E=3|L=x,1440,960,3,1,1,1", "line 13, column MaxShifts: not a shift type"),
    ("SECTION_STAFF", "A,E=3|L=3,1440,960,3,1,1", "line 13: 7 fields, not 8"),
    ("SECTION_STAFF", "A,E=3|N=3,1440,960,3,1,1,1", "line 13, column MaxShifts: not a shift type"),
    # a digit to str.isdigit, not to int(); and a count past what the model's sums can hold
    ("SECTION_STAFF", "A,E=\u00b2|L=3,1440,960,3,1,1,1", "line 13, column MaxShifts: not a shift type"),
    ("SECTION_STAFF", "A,E=3|L=3000000000,1440,960,3,1,1,1", "line 13, column MaxShifts: not a shift type"),
    ("SECTION_COVER", "0,E,99999999999999999999,10,1",
     "line 30, column Requirement: out of range: give a whole number from 0 to 1000000000"),
    ("SECTION_SHIFTS", "E,480,N", "line 8, column CannotFollow: unknown shift type (value: 'N')"),
    ("SECTION_COVER", "3,E,1,10,1", "line 30, column Day: out of range: give a whole number from 0 to 2"),
    ("SECTION_SHIFT_ON_REQUESTS", "C,0,L,2", "line 22, column EmployeeID: unknown employee (value: 'C')"),
    ("SECTION_DAYS_OFF", "B,zero", "line 18, column DayIndexes: not a whole number (value: 'zero')"),
])
def test_a_malformed_line_is_one_error_naming_its_section_and_line(tmp_path, section, row, message):
    # The first row of `section` replaced by a bad one: the error names the file, that section and that line.
    path = write(tmp_path, text_of({**TINY, section: [row, *TINY[section][1:]]}))
    with pytest.raises(InputError) as error:
        read_instance(path)
    assert str(error.value).startswith(f"tiny.txt, section {section}, {message}")


def test_a_solution_naming_no_employee_of_the_instance_is_refused(tmp_path, tiny):
    path = write(tmp_path, "employee_id,day,shift_id\nA,0,E\nZ,1,E\n", "solution.csv")
    with pytest.raises(InputError, match=r"solution.csv, line 3, column employee_id: unknown employee"):
        read_solution(path, tiny)


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/benchmarks/curtois is not on this machine")
def test_the_real_instance1_reads_with_the_files_counts():
    # Instance1.txt: 14 days, staff A-H, one shift type D of 480 min; 21 on-requests, 5 off-requests, 14 cover
    # rows; A is off on day 0.
    instance = read_instance(SHARED / "Instance1.txt")
    assert (instance.days, len(instance.staff), [s.id for s in instance.shifts]) == (14, 8, ["D"])
    assert (len(instance.on_requests), len(instance.off_requests), len(instance.cover)) == (21, 5, 14)
    assert instance.staff_by_id["A"].days_off == {0} and instance.staff_by_id["A"].max_shifts == (("D", 14),)


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/benchmarks/curtois is not on this machine")
def test_every_instance_at_hand_reads_with_the_counts_of_best_known():
    # best_known.csv was written apart from the instance files: its days, employees and shift types per
    # instance check the reading of all twelve (Windows line endings, 1 to 10 shift types).
    with (SHARED / "best_known.csv").open(newline="") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == 12
    for row in table:
        instance = read_instance(SHARED / f"{row['instance']}.txt")
        counts = (instance.days, len(instance.staff), len(instance.shifts))
        assert counts == (int(row["days"]), int(row["employees"]), int(row["shift_types"])), row["instance"]


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/benchmarks/curtois is not on this machine")
def test_a_solution_of_instance1_at_its_proven_optimum_scores_607():
    # The fixture reaches best_known.csv's 607, proven optimal: the scorer reads the benchmark as its authors
    # do (a rule read too loosely would let a model go under 607, too strictly would forbid 607).
    instance = read_instance(SHARED / "Instance1.txt")
    solution = read_solution(ROOT / "tests/fixtures/curtois_instance1_607.csv", instance)
    score = score_solution(instance, solution)
    assert (score.objective, score.violations) == (607, ())


# --- the scorer: the objective ------------------------------------------------------------------------------

def test_the_tiny_optimum_derived_by_hand_is_the_brute_force_one(tiny):
    # By hand: B is off on day 0, so one of 0E/0L is short (10) whatever A does. A's L on day 0 (asked, 2)
    # forbids E on day 1, which only A can work (10 short); so A works E on day 0 (request unmet: 2), E on
    # day 1 (against the off-request: 1), E on day 2 (only A works E); B takes 1L and leaves day 2 (over: 1).
    # Optimum 10 + 2 + 1 = 13, and only A E-E-E with B L on day 1 reaches it.
    best = rows("A,0,E", "A,1,E", "A,2,E", "B,1,L")
    score = score_solution(tiny, best)
    assert score.violations == ()
    assert score.terms == {"shift on-requests not met": 2, "shift off-requests broken": 1, "cover under": 10,
                           "cover over": 0}
    # Every assignment (each employee off, E or L on each day: 3^6), scored: the feasible ones' least is 13.
    options = [[None, "E", "L"]] * 6
    feasible = {}
    for choice in itertools.product(*options):
        cells = zip(itertools.product("AB", range(3)), choice, strict=True)
        solution = tuple(NurseAssignment(e, d, s) for (e, d), s in cells if s)
        result = score_solution(tiny, solution)
        if not result.violations:
            feasible[solution] = result.objective
    least = min(feasible.values())
    assert least == 13 and [s for s, v in feasible.items() if v == least] == [best]


def test_a_known_solution_scores_each_term_exactly(tiny):
    # A L on day 0 (request met), off, E on day 2; B L on days 1 and 2: short 0E and 1E (2 x 10), over 2L (1).
    score = score_solution(tiny, rows("A,0,L", "A,2,E", "B,1,L", "B,2,L"))
    assert score.violations == () and score.objective == 21
    assert score.terms == {"shift on-requests not met": 0, "shift off-requests broken": 0, "cover under": 20,
                           "cover over": 1}


# --- the scorer: each hard rule broken once -----------------------------------------------------------------

SLACK = "A,E=7|L=7,3360,0,7,1,1,2"  # 7 of each type, 3360 min, blocks of 1 to 7 days, 2 weekends


def week(staff: str = SLACK, days_off: str = "A") -> dict[str, list[str]]:
    """One employee over a week from a Monday (weekend: days 5 and 6), E cannot follow L, no cover."""
    return {"SECTION_HORIZON": ["7"], "SECTION_SHIFTS": ["E,480,", "L,480,E"], "SECTION_STAFF": [staff],
            "SECTION_DAYS_OFF": [days_off]}


@pytest.mark.parametrize(("staff", "days_off", "solution", "expected"), [
    (None, None, ["A,1,E", "A,1,L"], Violation("one shift a day", "A", "day 1", "2 shifts: E, L")),
    (None, None, ["A,2,L", "A,3,E"],
     Violation("forbidden succession", "A", "day 3", "E may not follow L (day 2)")),
    ("A,E=1|L=7,3360,0,7,1,1,2", None, ["A,0,E", "A,2,E"],
     Violation("max shifts", "A", "day 2", "2 E shifts, at most 1")),
    ("A,E=7|L=7,960,0,7,1,1,2", None, ["A,0,E", "A,1,E", "A,2,E"],
     Violation("max total minutes", "A", "day 2", "1440 minutes, at most 960")),
    ("A,E=7|L=7,3360,960,7,1,1,2", None, ["A,0,E"],
     Violation("min total minutes", "A", "day 6", "480 minutes, at least 960")),
    ("A,E=7|L=7,3360,0,2,1,1,2", None, ["A,0,E", "A,1,E", "A,2,E"],
     Violation("max consecutive shifts", "A", "day 2", "worked days 0-2: 3 in a row, at most 2")),
    ("A,E=7|L=7,3360,0,7,2,1,2", None, ["A,3,E"],
     Violation("min consecutive shifts", "A", "day 3", "worked day 3: 1 in a row, at least 2")),
    ("A,E=7|L=7,3360,0,7,1,2,2", None, ["A,0,E", "A,1,E", "A,2,E", "A,4,E", "A,5,E", "A,6,E"],
     Violation("min consecutive days off", "A", "day 3", "off day 3: 1 in a row, at least 2")),
    ("A,E=7|L=7,3360,0,7,1,1,0", None, ["A,6,L"],
     Violation("max weekends", "A", "day 6", "weekends worked: 1, at most 0")),
    (None, "A,4", ["A,4,L"], Violation("day off", "A", "day 4", "works L on a fixed day off")),
])
def test_each_hard_rule_broken_once_is_the_one_violation(tmp_path, staff, days_off, solution, expected):
    # Every limit slack (SLACK) but the one the case sets, which the solution breaks once.
    instance = read_instance(write(tmp_path, text_of(week(staff or SLACK, days_off or "A"))))
    score = score_solution(instance, rows(*solution))
    assert score.violations == (expected,)


@pytest.mark.parametrize("solution", [
    ["A,0,E"], ["A,6,L"], ["A,6,E"], ["A,0,E", "A,1,E", "A,2,E", "A,3,E", "A,4,E", "A,5,E"],
    ["A,5,L", "A,6,E"],
])
def test_blocks_touching_the_horizon_ends_are_not_too_short(tmp_path, solution):
    # Min 2 shifts and 2 days off in a row: a 1-day block on day 0 or day 6 continues beyond the horizon (work
    # blocks, and the off blocks around them); successions count within the horizon only (L on the last day is
    # not followed; an E on day 6 after L on 5 is: the last case breaks that rule alone).
    instance = read_instance(write(tmp_path, text_of(week("A,E=7|L=7,3360,0,7,2,2,2"))))
    violations = score_solution(instance, rows(*solution)).violations
    broken = ["forbidden succession"] if solution == ["A,5,L", "A,6,E"] else []
    assert [v.rule for v in violations] == broken


# --- the command --------------------------------------------------------------------------------------------

def command():
    return load_script(ROOT / "benchmarks" / "curtois.py", "curtois_command").main


def test_info_names_the_instance_and_its_best_known(tmp_path, capsys):
    instance = write(tmp_path, text_of(TINY))
    (tmp_path / "best_known.csv").write_text("instance,days,lower_bound,best_known\ntiny,3,13,13\n")
    assert command()(["info", str(instance)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "tiny: 3 days from a Monday, 2 employees, 2 shift types (E 480 min, L 480 min)"
    assert out[1:] == ["cover demand: 5 shifts on 6 day and shift type rows",
                       "requests: 1 shift on, 1 shift off; fixed days off: 1",
                       "best known objective: 13 (proven lower bound 13)"]


def test_score_prints_the_objective_and_exits_1_on_a_violation(tmp_path, capsys):
    instance = write(tmp_path, text_of(TINY))
    good = write(tmp_path, "employee_id,day,shift_id\nA,0,E\nA,1,E\nA,2,E\nB,1,L\n", "good.csv")
    bad = write(tmp_path, "A,0,E\nA,1,E\nA,2,E\nB,0,L\n", "bad.csv")
    assert command()(["score", str(instance), str(good)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        ("tiny: objective 13 (shift on-requests not met 2, shift off-requests broken 1, cover under 10, "
         "cover over 0)"), "hard constraints broken: 0"]
    assert command()(["score", str(instance), str(bad)]) == 1
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "hard constraints broken: 1", "  day off: B day 0: works L on a fixed day off"]


def test_score_of_bad_input_is_one_error_line_and_exit_2(tmp_path, capsys):
    instance = write(tmp_path, text_of({**TINY, "SECTION_HORIZON": ["three"]}))
    assert command()(["score", str(instance), str(instance)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.splitlines() == [
        "Error: tiny.txt, section SECTION_HORIZON, line 4, column days: not a whole number (value: 'three')"]
