"""Command line: thin wrappers over scheduler.pipeline. Domain errors become one `Error:` line and exit code
2; a roster written only as a draft (pipeline._publish), one `Error:` line and exit code 3."""

from __future__ import annotations

import shlex
from datetime import date, datetime, timedelta
from pathlib import Path

import click

from scheduler import __version__, sample
from scheduler.cli_options import domain_errors, force_option, with_solver_options
from scheduler.cli_output import (
    alarm_lines,
    build_and_report,
    exit_if_draft,
    exit_if_interrupted,
    print_progress,
    print_warnings,
    service_line,
)
from scheduler.cli_scenarios import hire, scenarios
from scheduler.cli_workbooks import calendars_command, check, refresh
from scheduler.errors import InputError
from scheduler.forecasting import METHODS
from scheduler.io.call_log import read_call_log, read_stream_mapping
from scheduler.io.call_quality import GAP_EXPECTED_CALLS
from scheduler.io.template import write_starter
from scheduler.model.settings import SolverSettings
from scheduler.pipeline import (
    earlier_roster,
    forecast_from_history,
    load_inputs,
    repair_workbook,
    roster_path,
    staffing,
)
from scheduler.repair import Callout


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scheduler")
def main():
    """Staffing and shift rosters for a consolidated 9-1-1 center: forecast -> seats per hour -> roster.

    \b
    Exit codes: 0 done; 1 check found violations; 2 bad input or no roster (one
    `Error:` line, nothing written); 3 build, repair: the roster is written only
    as <name>-draft.xlsx, not to be published, as it failed the independent
    check or its simulation, report or workbook failed (one `Error:` line);
    130 Ctrl-C: the best roster found so far written, marked INTERRUPTED, or
    (a second Ctrl-C, or before any roster) nothing written.
    """


def input_options(command):
    """--center, --rules, --forecast, --week, --weeks, --quantile, --out: the inputs of staffing and build."""
    options = [
        click.option("--center", "center_path", required=True, type=click.Path(path_type=Path),
                     help="Center workbook (staff, leave, requests, shifts, positions, minimums)."),
        click.option("--rules", "rules_path", required=True, type=click.Path(path_type=Path),
                     help="Rules file (TOML)."),
        click.option("--forecast", "forecast_path", required=True, type=click.Path(path_type=Path),
                     help="Hourly forecast CSV."),
        click.option("--week", "week_start", required=True, type=click.DateTime(["%Y-%m-%d"]),
                     help="First day of the plan (local date)."),
        click.option("--weeks", default=1, show_default=True, type=click.IntRange(1, 6),
                     help="Plan length in weeks."),
        click.option("--quantile", type=click.Choice(["p50", "p90"]), default="p50", show_default=True,
                     help="Plan on the median forecast or its 90th percentile."),
        click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("outputs"),
                     show_default=True, help="Output folder."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("outputs"), show_default=True,
              help="Folder for the roster workbook and CSV.")
@with_solver_options
@domain_errors
def demo(out_dir: Path, settings: SolverSettings):
    """Forecast next week's calls from the bundled sample center's call history, then staff and roster it.

    \b
    Example:
      scheduler demo
    """
    paths = sample.find()
    click.echo(f"Sample center: {paths['center']}; call history {paths['history'].name}; "
               f"week of {sample.WEEK}")
    outcome = sample.forecast_week(paths, out_dir)
    total = outcome.forecast.backtest.xs("all", level="stream")
    wape = ", ".join(f"{method} {row['wape']:.3f}" for method, row in total.iterrows())
    click.echo(f"Forecast: {outcome.forecast.method}, chosen by 8-week backtest WAPE ({wape}; noise floor "
               f"{total['noise_floor'].iloc[0]:.3f}) -> {outcome.csv}")
    inputs = load_inputs(paths["center"], paths["rules"], outcome.csv, sample.WEEK, 7)
    # The demo's output is its own to replace: running it again is what a tour does.
    if earlier := earlier_roster(roster_path(inputs, out_dir)):
        click.echo(f"Replacing the demo's earlier roster: {earlier}")
    build_and_report(inputs, out_dir, settings, force=True)


@main.command(name="init")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--name", "center_name", help="The center's name (rules file [center] name).  [default: the "
                                             "folder's name]")
@click.option("--timezone", default="America/Chicago", show_default=True,
              help="The center's IANA time zone (rules file [center] timezone).")
@click.option("--week", "week_start", type=click.DateTime(["%Y-%m-%d"]),
              help="First day of the example's plan week.  [default: next Monday]")
@force_option
@domain_errors
def init_command(folder: Path, center_name, timezone, week_start, force):
    """Start a new center: a center workbook, a rules file and an example forecast to edit, in FOLDER.

    The workbook has every sheet, a note on each column's header and drop-downs, and one example row per
    sheet, together a tiny center that builds; the rules file lists every key with its default.

    \b
    Example:
      scheduler init mycenter --timezone America/New_York
    """
    today = date.today()
    week = week_start.date() if week_start else today + timedelta(days=7 - today.weekday())
    starter = write_starter(folder, center_name or folder.resolve().name, timezone, week, force)
    click.echo(f"Center workbook: {starter.center} (every sheet, one example row each: replace them with "
               "your center's)")
    click.echo(f"Rules file:      {starter.rules} (time zone {timezone}; every other key commented out "
               "with its default)")
    click.echo(f"Forecast:        {starter.forecast} (an example; make one from your call history with "
               "scheduler forecast)")
    command = ["scheduler", "build", "--center", starter.center, "--rules", starter.rules, "--forecast",
               starter.forecast, "--week", week, "--out", folder / "outputs"]
    click.echo(f"Next:            {shlex.join(map(str, command))}")


@main.command(name="build")
@input_options
@click.option("--previous", "previous_path", type=click.Path(path_type=Path),
              help="Previous roster workbook (written by build): its last days carry into the plan (rest, "
                   "consecutive days and nights, days off, hours in 24 h, coverage: its night shifts cover "
                   "the plan's first hours) instead of the plan wrapping as a cycle.")
@click.option("--pinned", "pinned_path", type=click.Path(path_type=Path),
              help="Open shifts signed up for: a roster's <name>-open-shifts.csv (or an .xlsx with its "
                   "columns, such as the roster workbook's sheet 'Open shifts') with employee_id filled in "
                   "the rows taken. Each is pinned, with the center workbook's sheet Pinned.")
@force_option
@with_solver_options
@domain_errors
def build_command(center_path, rules_path, forecast_path, week_start, weeks, quantile, out_dir, previous_path,
                  pinned_path, force, settings):
    """Build a checked roster workbook from explicit inputs.

    \b
    Example:
      scheduler build --center inputs/center.xlsx --rules inputs/rules.toml \\
        --forecast forecasts/sample-week-2026-11-30.csv --week 2026-11-30 --time-limit 40 --seed 1
    Rebuilt with the open shifts staff signed up for:
      scheduler build ... --out outputs/signed --pinned \\
        outputs/gateway-city-emergency-communications-2026-11-30-open-shifts.csv
    """
    inputs = load_inputs(center_path, rules_path, forecast_path, week_start.date(), 7 * weeks, quantile,
                         previous_path, pinned_path)
    if inputs.signups:
        signed = len(inputs.signups)
        click.echo(f"Sign-ups: {signed} open shift{'s' if signed > 1 else ''} pinned from {pinned_path}")
    if inputs.history is not None:
        click.echo(f"Previous roster: {previous_path}, {len(inputs.history.shifts)} shifts in the "
                   f"{inputs.history.days} days before {inputs.horizon.start} carried in")
        if inputs.history.ignored:
            click.echo(f"Warning: {previous_path.name}: employees not in the center ignored: "
                       f"{', '.join(inputs.history.ignored)}", err=True)
    build_and_report(inputs, out_dir, settings, force)


@main.command(name="staffing")
@input_options
@force_option
@domain_errors
def staffing_command(center_path, rules_path, forecast_path, week_start, weeks, quantile, out_dir, force):
    """Seats needed per hour and position, with predicted service, and what pooling the call streams saves.

    Writes <center>-<week>-staffing.xlsx and .csv (hour x position: calls, handle time, offered erlangs,
    seats, predicted share answered within each target, average speed of answer, occupancy).

    \b
    Example:
      scheduler staffing --center inputs/center.xlsx --rules inputs/rules.toml \\
        --forecast forecasts/sample-week-2026-11-30.csv --week 2026-11-30
    """
    inputs = load_inputs(center_path, rules_path, forecast_path, week_start.date(), 7 * weeks, quantile)
    print_warnings(inputs.warnings)
    outcome = staffing(inputs, out_dir, force=force)
    tables = outcome.staffing
    rules = inputs.rules
    targets = " and ".join(f"{t.fraction:.0%} within {t.seconds:g} s" for t in rules.service_targets)
    click.echo(f"Service target: {targets}; occupancy at most {rules.occupancy_cap:.0%}; "
               f"shrinkage {rules.shrinkage:.0%}; {inputs.quantile} forecast")
    click.echo(tables.by_position.to_string(index=False))
    total = int(tables.by_position["seat_hours"].sum())
    click.echo(f"All positions: {total:,} seat-hours in {inputs.horizon.days} days "
               f"({total / inputs.horizon.days * 365 / rules.net_hours_per_fte:.1f} FTE "
               f"at {rules.net_hours_per_fte:g} net hours a year)")
    click.echo(service_line(tables.service, "Simulated at these seats:"))
    click.echo("Call-taking seats without floors, by way of answering:")
    click.echo(tables.answering.to_string(index=False))
    click.echo(f"Requirement table: {outcome.workbook}\n                   {outcome.csv}")


@main.command(name="forecast")
@click.option("--calls", "calls_path", required=True, type=click.Path(path_type=Path),
              help="Call history: CSV or XLSX, one row per call, or hourly counts (--count-column: long "
                   "form; --wide: one count column per line).")
@click.option("--timezone", required=True, help="IANA time zone of the center, e.g. America/New_York.")
@click.option("--types", "types_path", type=click.Path(path_type=Path),
              help="Stream mapping (TOML): the call types, lines or wide columns of each stream, and "
                   "optionally each stream's handle time ([aht_seconds]). Not needed for a single stream.")
@click.option("--timestamp-column", default="timestamp", show_default=True)
@click.option("--type-column", help="Column holding the call type that --types maps to streams.")
@click.option("--count-column", help="For hourly counts: the column with the number of calls.")
@click.option("--stream-column", help="For hourly counts: the column naming the stream.")
@click.option("--wide", is_flag=True,
              help="Hourly counts in wide form: every column but --timestamp-column is one line's count per "
                   "hour, named as in --types (without --types, each column is a stream).")
@click.option("--stream", "stream_name", default="calls", show_default=True,
              help="The stream's name when there is one stream and no --types (as sheet Positions names it).")
@click.option("--talk-column",
              help="Talk (or handle) time, seconds or h:mm:ss: per call, or the hour's mean per answered "
                   "call in hourly counts. Gives each stream's handle time from answered calls (a positive "
                   "talk time); in hourly counts the hours' means weighted by the hour's calls.")
@click.option("--wrap-column", help="Wrap-up time, added to --talk-column's (empty: 0).")
@click.option("--aht-seconds", type=click.FloatRange(1, 86_399),
              help="Handle time of streams with none from --talk-column or --types [aht_seconds] (else "
                   "300 s, with a warning).")
@click.option("--duplicates", type=click.Choice(["fail", "keep-first", "keep-last"]), default="fail",
              show_default=True, help="An hour of a line given twice in hourly counts with different counts: "
                                      "stop, or read the first or the last row (listed either way).")
@click.option("--gap-hours", default=6, show_default=True, type=click.IntRange(1, 168),
              help="Hours in a row without a row of the file that are a gap: missing data, left out of the "
                   "forecast, not zero calls. In a log of calls, hours in a row without a call are a gap "
                   f"only when more than {GAP_EXPECTED_CALLS:g} calls were expected over them at those "
                   "hours' usual rates; else they are zero calls (a quiet night).")
@click.option("--week", "week_start", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="First local day of the forecast.")
@click.option("--weeks", default=1, show_default=True, type=click.IntRange(1, 6))
@click.option("--method", type=click.Choice(["auto", *METHODS]), default="auto", show_default=True,
              help="auto: the lowest backtest WAPE among the methods the history allows (seasonal_naive "
                   "needs 1 week of history, mean_last_weeks and model 2).")
@click.option("--backtest-weeks", default=8, show_default=True, type=click.IntRange(1, 26),
              help="Test weeks at most; fewer when the history is short (said).")
@click.option("--holidays", "holiday_country", default="US", show_default=True,
              help="Holiday calendar country.")
@click.option("--subdivision", "holiday_subdiv",
              help="Holiday calendar state or province, e.g. PA; its extra holidays count only where they "
                   "improve the backtest (said).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("forecasts"),
              show_default=True)
@domain_errors
def forecast_command(calls_path, timezone, types_path, week_start, weeks, method, backtest_weeks,
                     holiday_country, holiday_subdiv, out_dir, **columns):
    """Forecast hourly calls per stream from a center's call history, with a backtest of its accuracy.

    Writes the forecast file that staffing and build read (p50 and p90 per hour and stream, and each
    stream's handle time), the backtest table (WAPE, bias and the Poisson noise floor per stream and method)
    and a PNG plot; prints each week's total calls per stream (p50, p10 to p90). Any history of 1 week or
    more is enough: the backtest uses the weeks it allows. Gaps in the history are missing data, not zero
    calls.

    \b
    Examples:
      scheduler forecast --calls ../shared/data/montco_calls.csv --timezone America/New_York \\
        --types inputs/call_types.toml --type-column category --week 2016-08-29 --subdivision PA
      scheduler forecast --calls acd-export.csv --wide --types lines.toml --timestamp-column Interval \\
        --timezone America/Chicago --week 2026-11-30
    """
    mapping = read_stream_mapping(types_path) if types_path else None
    history = read_call_log(calls_path, timezone=timezone, mapping=mapping, **columns)
    first, last = (moment.tz_convert(timezone) for moment in history.counts.index[[0, -1]])
    click.echo(f"History: {history.quality.rows:,} rows, {len(history.counts):,} hours, "
               f"{first:%Y-%m-%d} to {last:%Y-%m-%d} (local dates, {timezone})")
    for line in [*history.quality.lines(), history.handle_times.line()]:
        click.echo(f"  {line}")
    print_warnings(history.handle_times.warnings())
    outcome = forecast_from_history(history, week_start.date(), weeks, out_dir, method=method,
                                    backtest_weeks=backtest_weeks, holiday_country=holiday_country,
                                    holiday_subdiv=holiday_subdiv)
    made = outcome.forecast
    click.echo(f"Backtest of 1-week-ahead hourly forecasts: {made.backtest_said}")
    if len(made.backtest):
        click.echo("(noise floor: the error of Poisson noise alone)")
        click.echo(made.backtest.reset_index().to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    click.echo(f"Forecast by {made.method_said}. Calls a week: p50, and p10 to p90 of the week's total")
    click.echo(made.totals.to_string(index=False, float_format=lambda v: f"{v:,.0f}"))
    print_warnings(outcome.forecast.warnings)
    click.echo(f"Forecast file: {outcome.csv}\nBacktest:      {outcome.backtest_csv}\n"
               f"Plot:          {outcome.plot}")


def _callout(text: str) -> Callout:
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 3:
        raise InputError("a call-out is EMPLOYEE,FROM,TO", value=text,
                         fix='e.g. --callout "E012,2026-12-02 07:00,2026-12-02 15:00"')
    employee, *times = parts
    try:
        start, end = (datetime.fromisoformat(moment) for moment in times)
    except ValueError as exc:  # a date that does not exist (30 February) or is not a date
        raise InputError(f"a call-out's time is not a date and time of the calendar ({exc})", value=text,
                         fix="write YYYY-MM-DD HH:MM, e.g. 2026-12-02 07:00") from None
    return Callout(employee, start, end)


@main.command(name="repair")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--callout", "callouts", multiple=True, required=True,
              help='EMPLOYEE,FROM,TO in local time, e.g. "E012,2026-12-02 07:00,2026-12-02 15:00" '
                   '(repeatable).')
@click.option("--now", "now", required=True,
              type=click.DateTime(["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M%z",
                                   "%Y-%m-%dT%H:%M%z"]),
              help="Re-plan from this local time on; shifts that started earlier stay as published. On a DST "
                   'night give the UTC offset of the hour meant, e.g. "2026-11-01 01:30-05:00".')
@click.option("--volunteer", "volunteers", multiple=True,
              help="Employee id willing to be called in (repeatable), such as one who signed up for an open "
                   "shift on the roster's posting.")
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("outputs"), show_default=True)
@force_option
@with_solver_options
@domain_errors
def repair_command(workbook, callouts, now, volunteers, out_dir, force, settings):
    """Repair a published roster after call-outs: who to call in, whose shift moves.

    Keeps every assignment unless a change buys coverage, prefers volunteers and the least overtime, writes
    <roster>-repaired.xlsx (checked like any roster) and a change list <roster>-repaired-changes.csv.

    \b
    Example:
      scheduler repair outputs/gateway-city-emergency-communications-2026-11-30.xlsx \\
        --now "2026-12-02 05:00" --callout "E012,2026-12-02 06:00,2026-12-03 06:00" --volunteer E020
    """
    outcome = repair_workbook(workbook, tuple(_callout(c) for c in callouts), now, frozenset(volunteers),
                              out_dir, settings, on_progress=print_progress, force=force)
    if outcome.changes.empty:
        click.echo("No change: the published roster already covers what it can.")
    else:
        click.echo(outcome.changes.to_string(index=False))
    s = outcome.build.roster.summary
    click.echo(f"Shortfall after repair: {s.shortfall_position_hours} position-hours; "
               f"overtime {s.overtime_hours:g} h")
    for line in alarm_lines(s):
        click.echo(line)
    draft = " (DRAFT, not to be published)" if outcome.build.draft else ""
    click.echo(f"Repaired roster: {outcome.build.workbook}{draft}\nChange list:     {outcome.changes_csv}")
    exit_if_draft(outcome.build)
    exit_if_interrupted(outcome.build.roster.result)


main.add_command(scenarios)
main.add_command(hire)
for command in (check, refresh, calendars_command):
    main.add_command(command)
