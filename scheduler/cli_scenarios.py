"""`scheduler scenarios` and `scheduler hire`: the planners' commands (scheduler.planning)."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from scheduler.cli_options import domain_errors, force_option, with_solver_options
from scheduler.hiring import binding
from scheduler.model.settings import SolverSettings
from scheduler.planning import Done, HiringAnswer, answer_hiring, comparison, run_scenarios

EVERY = {"month": 1, "quarter": 3}


def print_done(done: Done) -> None:
    """One line per finished period: which, its service, and the time left at the pace so far."""
    left = done.elapsed / done.finished * (done.total - done.finished)
    k = done.result.kpis
    outcome = (f"{100 * k['service_level']:.1f}% of 9-1-1 calls in time, {k['shortfall_position_hours']} "
               "position-hours short" if k["status"] == "ok" else k["status"])
    click.echo(f"  [{done.finished}/{done.total}] {done.result.scenario}, week of {done.result.start}: "
               f"{outcome} ({done.elapsed:.0f} s, about {left:.0f} s left)", err=True)


def comparison_lines(table: pd.DataFrame) -> list[str]:
    """The terminal table: per scenario and period, staff, shortfall, overtime and service."""
    within = next((c for c in table.columns if c.startswith("911_within_")), "911_within_")
    meeting = next((c for c in table.columns if c.startswith("hours_meeting_")), "hours_meeting_")
    lines = [(f"{'scenario':<28} {'week of':<10} {'on roll':>7} {'trainees':>8} {'short h':>7} {'OT h':>6} "
              f"{'911 ' + within.removeprefix('911_within_'):>9} {'hours ok':>8}")]
    for row in table.to_dict("records"):
        if row["status"] != "ok":
            lines.append(f"{str(row['scenario'])[:28]:<28} {row['period_start']!s:<10} {row['status']}")
            continue
        lines.append(f"{str(row['scenario'])[:28]:<28} {row['period_start']!s:<10} "
                     f"{row['staff_on_roll']:>7} {row['trainees']:>8} {row['shortfall_position_hours']:>7} "
                     f"{row['overtime_hours']:>6.0f} "
                     f"{100 * row[within]:>8.1f}% {100 * row[meeting]:>7.1f}%")
    return lines


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("outputs"), show_default=True,
              help="Folder for the comparison.")
@click.option("--every", type=click.Choice(list(EVERY)), default=None,
              help="One representative week per month or per quarter (default: the file's [base] every).")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 256),
              help="Periods run side by side in this many processes (same results as --jobs 1).")
@click.option("--cluster", default=None, metavar="ADDRESS",
              help="Run the periods on a Dask distributed cluster (tcp://host:8786), or `local` to start one "
                   "here with --jobs workers (same results as --jobs 1).")
@force_option
@with_solver_options
@domain_errors
def scenarios(file: Path, out_dir: Path, every: str | None, jobs: int, cluster: str | None, force: bool,
              settings: SolverSettings):
    """Compare planning scenarios month by month: staff on roll, a real roster, simulated calls.

    For every scenario of FILE (README "Scenarios") and every period (the first full week of each month, or
    quarter), the workforce on roll after hiring, training and attrition, the requirement from the carried
    forward forecast, a roster from the same builder as `build` (--time-limit per roster) checked by the
    same checker, and the call simulation. Writes <file>-comparison.csv, .xlsx (with a line chart of
    service by scenario) and .png.

    \b
    Example:
      scheduler scenarios inputs/scenarios.toml --time-limit 10 --workers 1 --jobs 2
    """
    table, (csv, workbook, chart) = run_scenarios(file, out_dir, settings, jobs=jobs, cluster=cluster,
                                                  every=EVERY[every] if every else None, force=force,
                                                  on_done=print_done)
    for line in comparison_lines(table):
        click.echo(line)
    click.echo(f"Comparison: {csv}\n            {workbook} (with its chart)\n            {chart}")


def hiring_lines(answer: HiringAnswer) -> list[str]:
    """The answer, the sizes tried, and where the target still binds from `by` on."""
    q = answer.question
    target = f"{100 * q.share:g}% of 9-1-1 calls within {q.seconds:g} s in {100 * q.hours:g}% of hours"
    dates = ", ".join(map(str, q.dates))
    if answer.size is None:
        best = max(size for size, _ in answer.tried)
        lines = [f"No class size up to {best} meets {target} from {q.by} on (classes on {dates})."]
    else:
        hires = answer.size * len(q.dates)
        lines = [(f"Smallest classes: {answer.size} on each of {dates} ({hires} hires) meet {target} from "
                  f"{q.by} on.")]
    lines.append("Sizes tried (worst period's share of hours meeting the target): "
                 + ", ".join(f"{size} -> {100 * share:.1f}%" for size, share in answer.tried))
    lines += comparison_lines(comparison(answer.results))
    for result in answer.results:
        if result.start < q.by:
            continue
        still = binding(result, q)
        if still.hours_below or still.positions:
            worst = ", ".join(f"{hour} {100 * share:.1f}%" for hour, share in still.worst)
            short = ", ".join(f"{position} {hours} h" for position, hours in still.positions)
            lines.append(f"Still binding, week of {result.start}: {still.hours_below} hours below "
                         f"{100 * q.share:g}% ({worst}); most uncovered: {short or 'none'}")
    return lines


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 256),
              help="Periods run side by side in this many processes (same answer as --jobs 1).")
@click.option("--cluster", default=None, metavar="ADDRESS",
              help="Run the periods on a Dask distributed cluster, or `local` (same answer).")
@with_solver_options
@domain_errors
def hire(file: Path, jobs: int, cluster: str | None, settings: SolverSettings):
    """The smallest academy classes that meet the service target by a date.

    FILE's [hire] table (README "Scenarios") names the scenario to add classes to, their start dates, the
    target (share of 9-1-1 calls within a service target's seconds, in a share of hours) and the date from
    which every period must meet it. The class size is bisected, each try rostering only the periods from
    that date on; prints the answer, the service it buys period by period, and what still binds.

    \b
    Example:
      scheduler hire inputs/scenarios.toml --time-limit 10 --workers 1 --jobs 2
    """
    for line in hiring_lines(answer_hiring(file, settings, jobs=jobs, cluster=cluster, on_done=print_done)):
        click.echo(line)
