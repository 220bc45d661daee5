"""`scheduler calendars`: one RFC 5545 calendar per employee from a roster workbook. The rosters here are
written by the project's own writer over the fall-back night of America/Chicago (Sat 2026-10-31 and Sun
11-01), with a center workbook on disk that the manifest records, so each test runs in well under a second.
The files are read back by a strict parser written here from RFC 5545, not from the writer's code."""

import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from scheduler.cli import main
from scheduler.domain import Assignment, Horizon, Rules
from scheduler.io.center import read_center
from scheduler.io.ics import fold
from scheduler.io.manifest import Manifest, sha256
from scheduler.io.roster_wall import roster_grid
from scheduler.io.roster_xlsx import RosterTables, assignments_frame, write_roster
from scheduler.model.settings import SolverSettings
from scheduler.payroll import pay_segments
from tests.factory import save_sheets

TZ = "America/Chicago"
FIRST = date(2026, 10, 31)  # Saturday; the clocks go back from 02:00 to 01:00 on Sunday 11-01
LONG_NAME = "Østergaard-Nuñez, María-José Ðurđević Papadopoulou-Vanderbilt (Relief)"
STAFF = [  # id, name, contract hours
    ("E1", "Roe, Jane", 2),  # 2 contract hours: a shift of 2 h REG then OT, two Assignments rows
    ("E2", "Doe; John", 40),
    ("E3", LONG_NAME, 40),
    ("E4", "Idle, Ida", 40),  # neither shift nor leave in the plan: no calendar
]
LEAVE = [("E2", FIRST, FIRST, "VAC"), ("E3", date(2026, 10, 30), date(2026, 11, 5), "TRAIN")]


def write_center(path: Path) -> Path:
    sheets = {
        "Staff": [["employee_id", "name", "job_class", "qualifications", "shift_length", "contract_hours"],
                  *([e, name, "telecommunicator", "RAD", 8, hours] for e, name, hours in STAFF)],
        "Leave": [["employee_id", "start_date", "end_date", "type"], *map(list, LEAVE)],
        "Shifts": [["code", "start", "hours"], ["D8", "07:00", 8], ["E8", "15:00", 8], ["N8", "23:00", 8]],
        "Positions": [["position", "name", "kind", "qualification", "streams"],
                      ["radio", "Radio", "radio", "RAD"]],
        "Minimums": [["position", "days", "from", "to", "minimum"]],
        "Authorized": [["job_class", "authorized"], ["telecommunicator", 4], ["supervisor", 0],
                       ["trainee", 0]],
    }
    return save_sheets(path, sheets)


def write_tiny_roster(folder: Path, shifts=(("E1", 0, "N8"), ("E2", 1, "D8")), extra_run=()) -> Path:
    """A 2-day roster of the tiny center (written beside it as center.xlsx) with `shifts` (employee, day
    index, template), as `build` writes one: Assignments, Run sheet with the manifest."""
    center_path = folder / "center.xlsx"
    if not center_path.exists():
        write_center(center_path)
    center = read_center(center_path)
    horizon = Horizon(FIRST, 2, ZoneInfo(TZ))
    templates = {t.code: t for t in center.shifts}
    assignments = tuple(Assignment(e, horizon.day(d), code, "radio",
                                   *horizon.shift_window(d, templates[code])) for e, d, code in shifts)
    rules = Rules(center_name="Tiny Center, Inc.", timezone=TZ)
    frame = assignments_frame(pay_segments(assignments, center, rules, horizon), center, horizon)
    manifest = Manifest.of("test", "2026-10-20T09:30:00", {"center_workbook": center_path},
                           {"center_workbook": sha256(center_path)}, folder, SolverSettings())
    run = [("center", "Tiny Center, Inc."), ("week_start", FIRST.isoformat()), ("days", 2), ("time_zone", TZ),
           ("quantile", "p50"), ("center_workbook", str(center_path)), ("rules_file", "rules.toml"),
           ("forecast_file", "forecast.csv"), ("generated", "2026-10-20T09:30:00"), *extra_run]
    coverage = pd.DataFrame(columns=["start", "start_utc_offset", "position", "required", "scheduled",
                                     "shortfall"])  # calendars read neither Coverage nor Open shifts
    open_shifts = pd.DataFrame(columns=["position", "start", "end", "start_utc_offset", "end_utc_offset"])
    workbook = folder / "tiny-2026-10-31.xlsx"
    wall = roster_grid(assignments, center, rules, horizon)
    empty = pd.DataFrame()
    write_roster(workbook, RosterTables(run, wall, frame, coverage, open_shifts, empty, empty, manifest))
    return workbook


# ------------------------------------------------------------------------------- a strict RFC 5545 reader

TEXT = re.compile(r"(?:[^\\;,\x00-\x1f]|\\[\\;,nN])*")  # an escaped TEXT value: no bare ; , or control


def parse(data: bytes) -> dict:
    """The one VCALENDAR of a file: {"props": {name: (params, value)}, "events": [props, ...]}. Fails on a
    line that is not CRLF-terminated or longer than 75 octets, a bad content line, a repeated property,
    unbalanced BEGIN/END or a TEXT value with a bare `;` or `,`."""
    text = data.decode("utf-8")  # strict: a UTF-8 character split by folding would fail here
    bare = text.replace("\r\n", "")
    assert text.endswith("\r\n") and "\n" not in bare and "\r" not in bare
    physical = text[:-2].split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack, done = [], []
    for line in logical:
        name, params, value = re.fullmatch(r"([A-Z][A-Z0-9-]*)((?:;[A-Z-]+=[^;:,\"]+)*):(.*)", line).groups()
        if name == "BEGIN":
            stack.append({"kind": value, "props": {}, "events": []})
        elif name == "END":
            component = stack.pop()
            assert component["kind"] == value
            (stack[-1]["events"] if stack else done).append(component)
        else:
            assert name not in stack[-1]["props"], f"{name} twice"
            stack[-1]["props"][name] = (params, value)
    assert not stack and len(done) == 1 and done[0]["kind"] == "VCALENDAR"
    calendar = done[0]
    assert calendar["props"]["VERSION"][1] == "2.0" and "PRODID" in calendar["props"]
    events = []
    for event in calendar["events"]:
        assert event["kind"] == "VEVENT"
        props = event["props"]
        assert {"UID", "DTSTAMP", "DTSTART", "DTEND"} <= props.keys()
        assert re.fullmatch(r"\d{8}T\d{6}Z", props["DTSTAMP"][1])
        events.append({name: _value(name, *props[name]) for name in props})
    return {"name": _value("X-WR-CALNAME", *calendar["props"]["X-WR-CALNAME"]), "events": events}


def _value(name: str, params: str, value: str):
    if name in ("DTSTART", "DTEND", "DTSTAMP"):
        if params == ";VALUE=DATE":
            return datetime.strptime(value, "%Y%m%d").date()
        assert params == "" and value.endswith("Z"), "timed values are UTC"
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert TEXT.fullmatch(value), f"{name}: {value!r} is not escaped TEXT"
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] in "nN" else m[1], value)


def calendars(workbook: Path, *args: str):
    return CliRunner().invoke(main, ["calendars", str(workbook), *args])


def read_all(folder: Path) -> dict[str, dict]:
    return {path.stem: parse(path.read_bytes()) for path in sorted(folder.glob("*.ics"))}


# ------------------------------------------------------------------------------------------------- tests


def test_each_shift_is_one_event_at_its_exact_utc_times_also_over_the_fall_back_night(tmp_path):
    workbook = write_tiny_roster(tmp_path)
    result = calendars(workbook)
    assert result.exit_code == 0, result.output
    # E1, E2 shifts; E2 (1 day) and E3 (the plan's 2 of its 7 days) leave; E4 nothing.
    assert "Calendars: 3 employees, 2 shifts, 3 leave days" in result.output
    assert "no calendar: E4" in result.output
    found = read_all(tmp_path / "tiny-2026-10-31-calendars")
    assert sorted(found) == ["E1", "E2", "E3"]
    # N8 from 23:00 CDT (UTC-5) on Oct 31 to 07:00 CST (UTC-6): 9 real hours, 04:00-13:00 UTC. Its 2 REG hours
    # and 7 OT hours are two Assignments rows (split at the first 01:00) and one event.
    (night,) = found["E1"]["events"]
    assert (night["DTSTART"], night["DTEND"]) == (datetime(2026, 11, 1, 4, tzinfo=UTC),
                                                  datetime(2026, 11, 1, 13, tzinfo=UTC))
    assert night["SUMMARY"] == "N8 radio (9 h)"
    assert night["DESCRIPTION"].split("\n") == [
        "Tiny Center, Inc.", "Position: radio", "Shift: N8 on Sat 2026-10-31",
        "Local time: 2026-10-31 23:00-05:00 to 2026-11-01 07:00-06:00", "Pay: 2 h REG, 7 h OT"]
    # Generated 09:30 local (CDT) -> 14:30 UTC.
    assert night["DTSTAMP"] == datetime(2026, 10, 20, 14, 30, tzinfo=UTC)
    assert night["UID"] == "20261031-shift-E1@scheduler"
    day_shift = found["E2"]["events"][1]
    assert (day_shift["DTSTART"], day_shift["DTEND"]) == (datetime(2026, 11, 1, 13, tzinfo=UTC),
                                                          datetime(2026, 11, 1, 21, tzinfo=UTC))
    assert found["E2"]["name"] == "Doe; John: shifts, 2026-10-31 to 2026-11-01"


def test_leave_days_in_the_plan_are_all_day_events(tmp_path):
    found = read_all(_written(tmp_path))
    # E2: VAC on Saturday, before Sunday's shift. E3: TRAIN Oct 30 - Nov 5, the plan's two days only. DTEND is
    # the next day (exclusive).
    vacation = found["E2"]["events"][0]
    assert (vacation["DTSTART"], vacation["DTEND"], vacation["SUMMARY"]) == (
        date(2026, 10, 31), date(2026, 11, 1), "Leave: VAC")
    assert [(e["DTSTART"], e["DTEND"], e["SUMMARY"]) for e in found["E3"]["events"]] == [
        (date(2026, 10, 31), date(2026, 11, 1), "Leave: TRAIN"),
        (date(2026, 11, 1), date(2026, 11, 2), "Leave: TRAIN")]


def test_a_long_name_is_folded_at_75_octets_never_inside_a_character(tmp_path):
    data = (_written(tmp_path) / "E3.ics").read_bytes()
    # The calendar name is longer than one line: folded (continuation lines begin with a space), and read back
    # whole, its comma escaped (parse checks every line's octets and decodes strictly).
    first, rest = re.search(rb"\r\n(X-WR-CALNAME:[^\r]*)\r\n( [^\r]*)\r\n", data).groups()
    assert len(first) in (74, 75) and rest.startswith(b" derbilt")  # filled up to the limit
    assert parse(data)["name"] == f"{LONG_NAME}: shifts, 2026-10-31 to 2026-11-01"


# Text as a workbook cell can hold it: no control characters, no lone surrogates (not UTF-8).
CELL_TEXT = st.characters(min_codepoint=32, exclude_categories=("Cs",), exclude_characters="\x7f")


@given(st.text(alphabet=CELL_TEXT, max_size=300))
def test_folding_keeps_every_line_within_75_octets_and_unfolds_to_the_same_text(text):
    folded = fold(f"SUMMARY:{text}")
    lines = folded.split("\r\n")
    assert lines[-1] == "" and all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert all(line.startswith(" ") for line in lines[1:-1])
    assert "".join([lines[0], *(line[1:] for line in lines[1:-1])]) == f"SUMMARY:{text}"


def test_the_same_roster_gives_byte_identical_files(tmp_path):
    folder = _written(tmp_path)
    again = tmp_path / "again"
    assert calendars(folder.parent / "tiny-2026-10-31.xlsx", "--out", str(again)).exit_code == 0
    contents = [{p.name: p.read_bytes() for p in where.iterdir()} for where in (folder, again)]
    assert contents[0] == contents[1] and len(contents[0]) == 3


def test_a_changed_shift_keeps_its_uid(tmp_path):
    # E2 moves from D8 to E8 on Sunday in a later roster: the same UID, so an import updates the event.
    first = read_all(_written(tmp_path))["E2"]["events"][1]
    later = tmp_path / "later"
    later.mkdir()
    workbook = write_tiny_roster(later, shifts=(("E1", 0, "N8"), ("E2", 1, "E8")))
    assert calendars(workbook).exit_code == 0
    changed = read_all(later / "tiny-2026-10-31-calendars")["E2"]["events"][1]
    assert changed["UID"] == first["UID"] and changed["SUMMARY"] == "E8 radio (8 h)"
    assert changed["DTSTART"] == datetime(2026, 11, 1, 21, tzinfo=UTC)


def test_calendars_already_there_are_replaced_only_with_force(tmp_path):
    workbook = write_tiny_roster(tmp_path)
    folder = tmp_path / "tiny-2026-10-31-calendars"
    folder.mkdir()
    (folder / "E2.ics").write_bytes(b"old")
    refused = calendars(workbook)
    assert refused.exit_code == 2
    assert refused.output.startswith("Error: ") and "E2.ics: a calendar is already there" in refused.output
    assert refused.output.count("\n") == 1
    assert [p.name for p in folder.iterdir()] == ["E2.ics"] and (folder / "E2.ics").read_bytes() == b"old"
    assert calendars(workbook, "--force").exit_code == 0
    assert sorted(read_all(folder)) == ["E1", "E2", "E3"]


def test_without_its_center_workbook_the_shifts_come_without_the_leave(tmp_path):
    workbook = write_tiny_roster(tmp_path)
    (tmp_path / "center.xlsx").rename(tmp_path / "elsewhere.xlsx")
    result = calendars(workbook)
    assert result.exit_code == 0
    assert "Warning: the roster's center workbook was not found" in result.output
    assert "2 shifts, 0 leave days" in result.output
    found = read_all(tmp_path / "tiny-2026-10-31-calendars")
    assert sorted(found) == ["E1", "E2"]  # names from the Assignments sheet
    assert found["E1"]["name"] == "Roe, Jane: shifts, 2026-10-31 to 2026-11-01"
    # --center gives it back.
    given = calendars(workbook, "--force", "--center", str(tmp_path / "elsewhere.xlsx"))
    assert "3 leave days" in given.output


def test_a_center_workbook_changed_since_the_roster_or_a_draft_is_refused(tmp_path):
    workbook = write_tiny_roster(tmp_path)
    center = tmp_path / "center.xlsx"
    center.write_bytes(center.read_bytes() + b"\0")
    result = calendars(workbook)
    assert result.exit_code == 2 and "changed since this roster was built" in result.output
    draft = tmp_path / "draft"
    draft.mkdir()
    result = calendars(write_tiny_roster(draft, extra_run=[("draft", "the simulation failed")]))
    assert result.exit_code == 2 and "a draft roster is not to be published" in result.output
    assert not [*tmp_path.glob("*-calendars"), *draft.glob("*-calendars")]  # nothing written


def _written(tmp_path: Path) -> Path:
    workbook = write_tiny_roster(tmp_path)
    result = calendars(workbook)
    assert result.exit_code == 0, result.output
    return tmp_path / "tiny-2026-10-31-calendars"


def test_a_repairs_call_out_is_an_all_day_event(tmp_path):
    # E2 called out on Sunday (a repaired roster's Run sheet): their shift gone, the day marked.
    workbook = write_tiny_roster(tmp_path, shifts=(("E1", 0, "N8"),),
                                 extra_run=[("callouts", "E2 2026-11-01")])
    assert calendars(workbook).exit_code == 0
    events = read_all(tmp_path / "tiny-2026-10-31-calendars")["E2"]["events"]
    assert [(e["DTSTART"], e["SUMMARY"]) for e in events] == [(FIRST, "Leave: VAC"),
                                                              (date(2026, 11, 1), "Called out")]

