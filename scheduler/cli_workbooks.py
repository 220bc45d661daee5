"""Commands on roster workbooks already written: check one (edited by hand, say), refresh its sheets from its
Assignments, and write its calendars. Thin wrappers over scheduler.edits and scheduler.calendars."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scheduler.calendars import write_calendars
from scheduler.cli_options import domain_errors, force_option
from scheduler.cli_output import exit_if_draft, summary_lines
from scheduler.edits import check_workbook, refresh_workbook


@click.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--center", "center_path", type=click.Path(path_type=Path),
              help="Override the center workbook.")
@click.option("--rules", "rules_path", type=click.Path(path_type=Path), help="Override the rules file.")
@click.option("--forecast", "forecast_path", type=click.Path(path_type=Path), help="Override the forecast.")
@domain_errors
def check(workbook: Path, center_path, rules_path, forecast_path):
    """Check a roster workbook (for example one edited by hand) against every hard rule, without the solver.

    Reads the Assignments and Coverage sheets and the inputs named in the Run sheet; exits 1 on violations.

    \b
    Example:
      scheduler check outputs/gateway-city-emergency-communications-2026-11-30.xlsx
    """
    outcome = check_workbook(workbook, center_path, rules_path, forecast_path)
    for violation in outcome.violations:
        click.echo(str(violation))
    if outcome.violations:
        click.echo(f"{len(outcome.violations)} violation(s) in {outcome.shifts} shifts", err=True)
        sys.exit(1)
    objective = sum(outcome.penalties.values())
    click.echo(f"OK: {outcome.shifts} shifts, no hard-rule violations, Coverage and Open shifts sheets true; "
               f"objective recomputed {objective:,.0f}")


@click.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Folder for the refreshed roster (default: the roster's own folder).")
@force_option
@domain_errors
def refresh(workbook: Path, out_dir, force):
    """Rewrite a hand-edited roster's sheets from its Assignments sheet.

    Change shifts in sheet Assignments (a row per shift and pay code: add, remove, move), then refresh: pay
    codes and sheets Roster, Coverage, Open shifts, Service, Penalties and Charts are made again from it and
    checked against every hard rule, into <name>-refreshed.xlsx with its CSV and manifest. A roster that
    breaks a hard rule is not written (its violations listed, exit 1). Sheet Roster is never read: an edit
    there is refused, naming its cell.

    \b
    Example:
      scheduler refresh outputs/gateway-city-emergency-communications-2026-11-30.xlsx
    """
    outcome = refresh_workbook(workbook, out_dir, force)
    for violation in outcome.violations:
        click.echo(str(violation))
    if outcome.build is None:
        click.echo(f"{len(outcome.violations)} violation(s): nothing written", err=True)
        sys.exit(1)
    click.echo("\n".join(summary_lines(outcome.build, outcome.rules)))
    exit_if_draft(outcome.build)


@click.command(name="calendars")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Folder for the .ics files  [default: <roster name>-calendars beside the roster]")
@click.option("--center", "center_path", type=click.Path(path_type=Path),
              help="Take approved leave from this center workbook instead of the one the roster recorded.")
@force_option
@domain_errors
def calendars_command(workbook: Path, out_dir, center_path, force):
    """Write each employee's shifts and leave days as a calendar file (.ics) to import into a calendar app.

    One <employee_id>.ics per employee with a shift or leave in the plan: an event per shift (its exact
    start and end, a DST night too; the position, hours and pay codes), an all-day event per day of approved
    leave (from the center workbook the roster recorded, when it is found) or call-out. The same roster
    gives the same files; a shift changed in a later roster updates the event imported before.

    \b
    Example:
      scheduler calendars outputs/gateway-city-emergency-communications-2026-11-30.xlsx
    """
    outcome = write_calendars(workbook, out_dir, force, center_path)
    if outcome.center_workbook is None:
        click.echo("Warning: the roster's center workbook was not found: approved leave left out (give "
                   "--center)", err=True)
    click.echo(f"Calendars: {len(outcome.files)} employees, {outcome.shifts} shifts, {outcome.leave_days} "
               f"leave days -> {outcome.folder}")
    if outcome.without_events:
        click.echo(f"No shift or leave in the plan, no calendar: {', '.join(outcome.without_events)}")
    if outcome.others:
        others = ", ".join(path.name for path in outcome.others)
        click.echo(f"Warning: not from this roster, left as they are: {others}", err=True)
