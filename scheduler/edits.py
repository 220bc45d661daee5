"""Hand-edited rosters: `check` and `refresh`. Sheet Assignments is the one source of truth: `check`
verifies it against every hard rule and says when the other sheets no longer follow from it; `refresh`
rewrites them all (Roster, pay codes, Coverage, Open shifts, Service, Penalties, Charts) from it. Sheet Roster
is a picture of the roster, never read: an edit there is refused with the cell it is in (io.roster_edits
tells which sheet was edited)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from scheduler.checker import Violation
from scheduler.domain import Assignment, Rules
from scheduler.errors import InputError
from scheduler.io.existing import refuse_to_replace
from scheduler.io.roster_wall import written_rows
from scheduler.io.roster_xlsx import RosterFile, roster_files, shifts_from_rows
from scheduler.io.tables import ensure_folder
from scheduler.model.settings import SolverSettings
from scheduler.model.solve import SolveResult, relative_gap
from scheduler.pipeline import BuildOutcome, Inputs, publish, roster_and_inputs, wall
from scheduler.roster import check_roster, tabulate
from scheduler.weights import Weights

EDITED = "EDITED"  # the Run sheet's status of a refreshed roster: its shifts came from a person, not a solve


@dataclass(frozen=True)
class CheckOutcome:
    violations: list[Violation]
    shifts: int
    penalties: dict[str, float]


def check_workbook(workbook: Path, center_path: Path | None = None, rules_path: Path | None = None,
                   forecast_path: Path | None = None) -> CheckOutcome:
    """Every hard rule on the Assignments sheet's shifts, and the other sheets against them: when sheet
    Assignments was edited since the roster was written, one finding says the derived sheets are stale
    (`refresh` rewrites them) instead of one per stale row."""
    roster, inputs = roster_and_inputs(workbook, center_path, rules_path, forecast_path)
    assignments, found = shifts_from_rows(roster.assignments)
    refuse_roster_sheet_edit(roster, inputs, assignments)
    stale = bool(roster.edited.get("Assignments"))
    checked = check_roster(inputs, assignments, roster.assignments, None if stale else roster.coverage,
                           None if stale else roster.open_shifts, cuts=roster.run.get("cuts", ()))
    if stale:
        found.append(Violation(
            "stale sheets", "", "sheet Assignments edited",
            "its pay codes, sheets Roster, Coverage, Open shifts, Payroll and Pay periods and the CSV and "
            "JSON files beside the workbook were made before; "
            f"`scheduler refresh {workbook.name}` rewrites them"))
    return CheckOutcome([*found, *checked.violations], len(assignments), checked.penalties)


def refuse_roster_sheet_edit(roster: RosterFile, inputs: Inputs, shifts: list[Assignment]) -> None:
    """An edit of sheet Roster stops with the first edited cell: that sheet is drawn from sheet Assignments,
    and reading it back could not say which position, times or pay codes a typed cell means."""
    if not roster.edited.get("Roster"):
        return
    fix = ("sheet Roster is drawn from sheet Assignments and never read: undo the edit, make the change in "
           "sheet Assignments (a row per shift and pay code), then run "
           f"`scheduler refresh {roster.path.name}`")
    if roster.edited.get("Assignments"):
        raise InputError("edited, and sheet Assignments too", file=roster.path, sheet="Roster", fix=fix)
    expected = written_rows(wall(inputs, shifts))
    (_, header), *rows = roster.roster_sheet or ((1, ()),)
    if header != expected[0]:
        _refuse_cell(roster, 1, header, expected[0], expected[0], fix)
    unmatched = Counter(expected[1:])
    for number, row in rows:  # in any order: sorting by the sheet's filter is no edit
        if unmatched[row]:
            unmatched[row] -= 1
            continue
        want = next((w for w in expected[1:] if w[1:2] == row[1:2]), None)  # the same employee_id
        if want is None:
            raise InputError("a row added", file=roster.path, sheet="Roster", row=number, fix=fix)
        _refuse_cell(roster, number, row, want, expected[0], fix)
    raise InputError("rows removed", file=roster.path, sheet="Roster", fix=fix)


def _refuse_cell(roster: RosterFile, number: int, have: tuple[str, ...], want: tuple[str, ...],
                 header: tuple[str, ...], fix: str) -> None:
    width = max(len(have), len(want))
    have, want = have + ("",) * (width - len(have)), want + ("",) * (width - len(want))
    column = next(c for c in range(width) if have[c] != want[c])
    name = header[column] if column < len(header) else str(column + 1)
    raise InputError(f"edited (it was {want[column]!r})", file=roster.path, sheet="Roster", row=number,
                     column=name, value=have[column], fix=fix)


@dataclass(frozen=True)
class RefreshOutcome:
    build: BuildOutcome | None  # None: the edited roster breaks a hard rule and nothing was written
    violations: list[Violation]
    rules: Rules


def refreshed_path(workbook: Path, out_dir: Path | None) -> Path:
    """`<stem>-refreshed.xlsx` in `out_dir` (default: beside the roster); a refreshed roster refreshed again
    keeps its name."""
    stem = workbook.stem if workbook.stem.endswith("-refreshed") else f"{workbook.stem}-refreshed"
    return (out_dir or workbook.parent) / f"{stem}.xlsx"


def refresh_workbook(workbook: Path, out_dir: Path | None = None, force: bool = False) -> RefreshOutcome:
    """Rewrite every sheet of a hand-edited roster from its Assignments sheet (pay codes split again,
    coverage, open shifts, the simulated service, the penalties recomputed), checked like any roster: one that
    breaks a hard rule is not written (the violations are returned). The Run sheet keeps the solve's proven
    bound (still a bound for any roster of this plan) and the repair's call-outs; its status says EDITED."""
    roster, inputs = roster_and_inputs(workbook)
    target = refreshed_path(workbook, out_dir)
    if not force:
        refuse_to_replace(roster_files(target), "a refreshed roster")
    shifts, found = shifts_from_rows(roster.assignments)
    refuse_roster_sheet_edit(roster, inputs, shifts)
    cuts = roster.run.get("cuts", ())
    # Every hard rule first: the tables assume known ids (a typed E999 would stop them with a KeyError).
    broken = [*found, *check_roster(inputs, shifts, roster.assignments, None, None, cuts=cuts).violations]
    if broken:
        return RefreshOutcome(None, broken, inputs.rules)
    recorded = roster.run["recorded"]
    bound = float(recorded.get("best_bound") or 0.0)
    edited = SolveResult(EDITED, 0.0, bound, 0.0, 0.0, tuple(shifts), {}, strategy=EDITED)
    tables = tabulate(inputs, edited, cuts=cuts)
    if tables.violations:
        return RefreshOutcome(None, list(tables.violations), inputs.rules)
    objective = tables.result.objective
    tables = replace(tables, result=replace(tables.result, gap=relative_gap(objective, bound)))
    ensure_folder(target.parent)
    settings = SolverSettings(seed=int(recorded.get("seed") or 0))
    kept = [(key, recorded[key]) for key in ("repaired_at", "callouts", "cut_shifts") if recorded.get(key)]
    outcome = publish(inputs, tables, settings, target, [*kept, ("refreshed_from", str(workbook.resolve()))],
                      Weights())
    return RefreshOutcome(outcome, [], inputs.rules)
