"""What the commands print: solver progress, the build summary with its alarms, and the exit of a draft."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scheduler.domain import Rules
from scheduler.io.payroll import payroll_paths
from scheduler.io.roster_xlsx import posting_path
from scheduler.model.result import INTERRUPTED, SolveResult
from scheduler.model.settings import SolverSettings
from scheduler.model.solve import Progress
from scheduler.pipeline import BuildOutcome, Inputs, build
from scheduler.report import Summary
from scheduler.staffing import SimulatedService

DRAFT_EXIT = 3  # the roster is written only as `<name>-draft.xlsx`, not to be published (main's help)
# Ctrl-C, as shells report it (128 + SIGINT): the best roster found so far written, or nothing (main's help).
INTERRUPTED_EXIT = 130


def print_progress(progress: Progress) -> None:
    phase = "" if progress.phase == "solve" else f"  [{progress.phase}]"
    click.echo(f"  {progress.seconds:6.1f} s{phase}  objective {progress.objective:,.0f}"
               f"  bound {progress.best_bound:,.0f}  gap {100 * progress.gap:.2f}%", err=True)


def build_and_report(inputs: Inputs, out_dir: Path, settings: SolverSettings, force: bool = False) -> None:
    """Solve with progress lines, then print the summary (and exit DRAFT_EXIT after it for a draft,
    INTERRUPTED_EXIT for a roster cut short by Ctrl-C); `force`: replace a roster already there."""
    print_warnings(inputs.warnings)
    outcome = build(inputs, out_dir, settings, on_progress=print_progress, force=force)
    click.echo("\n".join(summary_lines(outcome, inputs.rules)))
    exit_if_draft(outcome)
    exit_if_interrupted(outcome.roster.result)


def summary_lines(outcome: BuildOutcome, rules: Rules) -> list[str]:
    """What a written roster holds, in lines: staff, coverage, alarms, overtime, solve, service, files."""
    s, r = outcome.roster.summary, outcome.roster.result
    vacant = s.authorized - s.staff_total
    vacancies = f" ({vacant} of {s.authorized} authorized positions vacant)" if s.authorized else ""
    by_class = ", ".join(f"{c} {v} of {n}" for c, v, n in s.vacancies)
    return [
        f"Staff scheduled:      {s.staff_scheduled} of {s.staff_total}{vacancies}, {s.shifts} shifts",
        *([f"Vacant by job class:  {by_class}"] if s.vacancies else []),
        (f"Coverage:             {s.coverage_pct:.1f}% of {s.required_position_hours:,} required "
         "position-hours"),
        (f"Shortfall:            {s.shortfall_position_hours} position-hours, posted as "
         f"{len(outcome.roster.open_shifts)} open shifts (sheet 'Open shifts')"),
        *alarm_lines(s),
        (f"Overtime:             {s.overtime_hours:g} hours (paid at {rules.overtime_pay_multiplier:g}x: "
        f"{s.overtime_hours * rules.overtime_pay_multiplier:g} straight-time hours)"),
        (f"Solver:               {r.status}, objective {r.objective:,.0f}, bound {r.best_bound:,.0f}, "
        f"gap {100 * r.gap:.2f}%, {r.seconds:.1f} s"),
        service_line(outcome.service) if outcome.service else "Simulated service:    not available (draft)",
        "Independent check:    passed (every hard rule, pay codes, objective)",
        f"Roster workbook:      {outcome.workbook}{' (DRAFT, not to be published)' if outcome.draft else ''}",
        f"Assignments CSV:      {outcome.csv}",
        f"Open shifts CSV:      {posting_path(outcome.workbook)}",
        f"Payroll CSV:          {payroll_paths(outcome.workbook)[0]} (and .json; docs/payroll-export.md)",
    ]


def exit_if_draft(outcome: BuildOutcome) -> None:
    """A roster written only as a draft: what failed, on one line, and exit DRAFT_EXIT."""
    if outcome.draft:
        click.echo(f"Error: the roster is written as a draft, not to be published: {outcome.draft}", err=True)
        sys.exit(DRAFT_EXIT)


def exit_if_interrupted(result: SolveResult) -> None:
    """A roster cut short by Ctrl-C: say so, and exit INTERRUPTED_EXIT."""
    if result.status == INTERRUPTED:
        click.echo("Interrupted (Ctrl-C): the roster written is the best found so far, not the "
                   "--time-limit's reproducible result", err=True)
        sys.exit(INTERRUPTED_EXIT)


def print_warnings(warnings: tuple[str, ...]) -> None:
    """Legal but suspicious inputs (plan.input_warnings), one line each, before any work."""
    for warning in warnings:
        click.echo(f"Warning: {warning}", err=True)


def alarm_lines(s: Summary) -> list[str]:
    """One line per radio or supervisor position left empty or under its requirement (report.alarms)."""
    return [f"Alarm:                {alarm}" for alarm in s.alarms]


def service_line(service: SimulatedService, label: str = "Simulated service:   ") -> str:
    if not service.total:
        return f"{label} no call-takers on duty"
    t = service.total
    within = ", ".join(f"{100 * t[f'answered_within_{s:g}s']:.1f}% within {s:g} s"
                       for s in service.thresholds)
    return (f"{label} {within}; ASA {t['asa_seconds']:.1f} s; {100 * t['abandonment_rate']:.1f}% "
            f"abandoned ({t['offered']:,.0f} calls, {service.replications} runs)")
