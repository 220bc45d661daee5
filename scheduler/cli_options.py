"""Options and error handling every command shares: the solver options, --force, and domain errors as one
`Error:` line with its exit code."""

from __future__ import annotations

import functools
import math
import signal
import sys
import threading

import click

from scheduler.cli_output import DRAFT_EXIT, INTERRUPTED_EXIT
from scheduler.errors import InputError, SolveError
from scheduler.io.tables import cancel_writes
from scheduler.model.cpsat import Interrupted
from scheduler.model.settings import SolverSettings
from scheduler.pipeline import RosterRefused


def _on_ctrl_c(presses: list[int]):
    """Ctrl-C raises KeyboardInterrupt as usual; from the second on it also cancels every write not yet in
    place (io.tables.cancel_writes), so that a second Ctrl-C leaves nothing written even when its
    KeyboardInterrupt is swallowed by a finalizer running at that moment."""
    def handler(signum, frame):
        presses.append(signum)
        if len(presses) > 1:
            cancel_writes()
        raise KeyboardInterrupt
    return handler


def domain_errors(command):
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, _on_ctrl_c([]))
        try:
            return command(*args, **kwargs)
        except (InputError, SolveError) as exc:
            for line in exc.lines() if isinstance(exc, InputError) else [str(exc)]:  # InputErrors: several
                click.echo(f"Error: {line}", err=True)
            sys.exit(DRAFT_EXIT if isinstance(exc, RosterRefused) else 2)  # refused, but kept as a draft
        except (KeyboardInterrupt, Interrupted):  # before any roster, or a second Ctrl-C while writing
            click.echo("Interrupted (Ctrl-C): nothing written", err=True)
            sys.exit(INTERRUPTED_EXIT)
    return wrapper


def _positive(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """--time-limit and --workers: CP-SAT calls a model with no time or no thread invalid, which reads like a
    model bug; one `Error:` line and exit 2 at parsing, before any file is read."""
    if not 0 < value < math.inf:
        click.echo(f"Error: {param.opts[0]} must be a positive number (value: {value:g})", err=True)
        ctx.exit(2)
    return value


solver_options = [
    click.option("--time-limit", default=SolverSettings.time_limit_s, show_default=True, callback=_positive,
                 help="Solver work limit in CP-SAT deterministic seconds (about 1.2-2 s of wall-clock each "
                      "on 2 cores), so that reruns give the same roster; with --wall-clock, real seconds."),
    click.option("--seed", default=0, show_default=True,
                 help="Random seed: same inputs and seed, same roster."),
    click.option("--workers", default=2, show_default=True, callback=_positive, help="Solver threads."),
    click.option("--wall-clock", is_flag=True,
                 help="Stop at --time-limit real seconds with free-running workers: often better rosters in "
                      "the same time, but reruns may differ."),
    click.option("--strategy", type=click.Choice(["auto", "direct", "phased"]), default="auto",
                 show_default=True,
                 help="auto: phased where it starts from best responses (below), else direct. direct: one "
                      "solve of the whole objective. phased: on a plan too large for the solver's LP (over "
                      "3,000 shift variables: the sample center from 2 weeks) whose rules the schedule "
                      "search can state, and no repair, 70% of the limit builds a roster one employee at a "
                      "time, each taking its best whole-plan schedule against what the others leave "
                      "uncovered, and the solver completes it; otherwise, with the weekend rule in force, "
                      "each employee's weekend off chosen on the weekend hours alone, then uncovered "
                      "position-hours, then re-solving a window of days at a time with the rest fixed (half "
                      "the plan; from 3 weeks, every pair of weeks), then ten employees' whole plan at a "
                      "time (the windows again when that stalls), then the whole objective (progress lines "
                      "name the phase). From best responses it is far ahead (sample center, 4 weeks at 60: "
                      "91.6% of calls answered within 15 s against direct's 65.8%; 4 weeks, 150 staff, flat "
                      "shortfall count: 8-18 uncovered position-hours against direct's 2,719 at 120); "
                      "otherwise behind with the default service objective (sample week: 19.6% gap against "
                      "direct's 0.67% at 60; benchmarks/RESULTS.md). With [fairness] or start_stability on, "
                      "either leaves those out and ends with a fairness pass on the last tenth of the limit "
                      "that holds every other cost (progress lines: [fairness])."),
]


def with_solver_options(command):
    """Adds the solver options and hands the command one `settings` (SolverSettings) in their place."""
    @functools.wraps(command)
    def wrapper(*args, time_limit, seed, workers, wall_clock, strategy, **kwargs):
        settings = SolverSettings(time_limit, seed, workers, deterministic=not wall_clock, strategy=strategy)
        return command(*args, settings=settings, **kwargs)
    for option in reversed(solver_options):
        wrapper = option(wrapper)
    return wrapper


force_option = click.option("--force", is_flag=True,
                            help="Replace the output of an earlier run of the same name (refused without).")
