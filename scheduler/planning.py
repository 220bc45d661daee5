"""`scheduler scenarios`: read a scenario file and its base inputs, run every scenario's periods (in this
process, in `jobs` processes, or on a Dask cluster: the results are the same, each period depending only on
its inputs, the seed and the result it starts from, chaining.references), and write the comparison
(scenario_report: CSV, workbook with its chart, PNG)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path

import pandas as pd

from scheduler.chaining import references, waves
from scheduler.domain import Center, Forecast, Rules
from scheduler.domain.scenario import HiringQuestion, Scenario, ScenarioSet
from scheduler.errors import InputError
from scheduler.hiring import hours_meeting, with_classes
from scheduler.io.center import read_center
from scheduler.io.existing import refuse_to_replace
from scheduler.io.forecast import read_forecast
from scheduler.io.rules import load_toml, read_rules
from scheduler.io.scenarios import read_scenarios
from scheduler.io.tables import ensure_folder, write_files
from scheduler.model.chains import START_METHOD
from scheduler.model.settings import SolverSettings
from scheduler.plan import check_fit
from scheduler.scenario_report import comparison_writers
from scheduler.scenarios import KPI_COLUMNS, PeriodResult, PeriodTask, run_period, scenario_tasks


@dataclass(frozen=True)
class Done:
    """One finished period, for progress lines."""

    result: PeriodResult
    finished: int
    total: int
    elapsed: float


@dataclass(frozen=True)
class Loaded:
    """A scenario file with its base inputs, read and checked."""

    scenarios: ScenarioSet
    center: Center
    rules: Rules  # the base rules (the chart's target is their first)
    raw_rules: dict
    forecast: Forecast

    def tasks(self, settings: SolverSettings, every: int | None = None,
              scenarios: tuple[Scenario, ...] | None = None) -> tuple[PeriodTask, ...]:
        """Every period of every scenario (the file's, or `scenarios`), checked (scenarios.scenario_tasks)."""
        chosen = self.scenarios if scenarios is None else replace(self.scenarios, scenarios=scenarios)
        return scenario_tasks(chosen, self.center, self.rules, self.raw_rules, self.forecast, settings, every)


def load(path: Path) -> Loaded:
    scenarios = read_scenarios(path)
    center, rules = read_center(scenarios.center), read_rules(scenarios.rules)
    check_fit(center, rules, scenarios.rules)
    return Loaded(scenarios, center, rules, load_toml(scenarios.rules, "inputs/rules.toml"),
                  read_forecast(scenarios.forecast))


def execute(tasks: Sequence[PeriodTask], jobs: int = 1, cluster: str | None = None,
            on_done: Callable[[Done], None] | None = None,
            references: Sequence[PeriodResult | None] | None = None) -> list[PeriodResult]:
    """Run the tasks, results in the tasks' order whichever finishes first: here (`jobs` 1), in `jobs`
    processes, or on the Dask cluster at `cluster` ("local": one started here, `jobs` workers). `references`:
    per task, a result it starts from (scenarios.run_period)."""
    started, results = time.perf_counter(), [None] * len(tasks)
    references = list(references) if references is not None else [None] * len(tasks)

    def finished(index: int, result: PeriodResult, count: int) -> None:
        results[index] = result
        if on_done:
            on_done(Done(result, count, len(tasks), time.perf_counter() - started))

    if cluster is not None:
        _on_dask(tasks, references, cluster, jobs, finished)
    elif jobs > 1:
        pool = ProcessPoolExecutor(jobs, mp_context=get_context(START_METHOD))
        try:
            futures = {pool.submit(run_period, task, below): i
                       for i, (task, below) in enumerate(zip(tasks, references, strict=True))}
            for count, future in enumerate(as_completed(futures), start=1):
                finished(futures[future], future.result(), count)
        finally:  # a failed period (or Ctrl-C) does not wait for the periods not yet started
            pool.shutdown(cancel_futures=True)
    else:
        for i, (task, below) in enumerate(zip(tasks, references, strict=True)):
            finished(i, run_period(task, below), i + 1)
    return list(results)


def _on_dask(tasks: Sequence[PeriodTask], references: list[PeriodResult | None], cluster: str, jobs: int,
             finished: Callable[[int, PeriodResult, int], None]) -> None:
    """The tasks on a Dask distributed cluster (its own scheduler and workers: README says how to start
    them on other machines)."""
    from dask.distributed import Client, as_completed  # only when a cluster is asked for

    with _cluster_address(cluster, jobs) as address, Client(address) as client:
        futures = client.map(run_period, list(tasks), references, pure=False)
        index = {future.key: i for i, future in enumerate(futures)}
        for count, future in enumerate(as_completed(futures), start=1):
            finished(index[future.key], future.result(), count)


@contextmanager
def _cluster_address(cluster: str, jobs: int) -> Iterator[str]:
    """The Dask scheduler's address: `cluster`'s, or, for "local", that of a cluster of `jobs` workers
    started here for the duration."""
    import logging

    from dask.distributed import LocalCluster

    logging.getLogger("distributed").setLevel(logging.ERROR)  # its workers' chatter is not ours to print
    if cluster != "local":
        yield cluster
        return
    local = LocalCluster(n_workers=max(jobs, 1), threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        yield local.scheduler_address
    finally:
        local.close()


def execute_chained(tasks: Sequence[PeriodTask], references_of: dict[str, str | None], jobs: int = 1,
                    cluster: str | None = None, on_done: Callable[[Done], None] | None = None
                    ) -> list[PeriodResult]:
    """Run the tasks wave by wave (chaining.waves): each period of a scenario starts from the same period's
    result of the scenario it starts from (`references_of`, chaining.references). Results in the tasks'
    order; progress counted over all the waves."""
    started, finished = time.perf_counter(), 0
    results: dict[tuple[str, object], PeriodResult] = {}

    def counted(done: Done) -> None:
        nonlocal finished
        finished += 1
        if on_done:
            on_done(Done(done.result, finished, len(tasks), time.perf_counter() - started))

    # One local cluster for every wave (not one started per wave).
    with _cluster_address(cluster, jobs) if cluster else nullcontext() as address:
        for wave in waves(references_of):
            todo = [t for t in tasks if t.scenario.name in wave]
            below = [results.get((references_of[t.scenario.name], t.start)) for t in todo]
            for task, result in zip(todo, execute(todo, jobs, address, counted, below), strict=True):
                results[task.scenario.name, task.start] = result
    return [results[t.scenario.name, t.start] for t in tasks]


def comparison(results: Sequence[PeriodResult]) -> pd.DataFrame:
    """One row per scenario and period, KPI_COLUMNS first, in the scenario file's order."""
    frame = pd.DataFrame([r.kpis for r in results])
    first = [c for c in KPI_COLUMNS if c in frame.columns]
    return frame[first + [c for c in frame.columns if c not in first]]


def output_paths(scenarios: ScenarioSet, out_dir: Path) -> tuple[Path, Path, Path]:
    """The comparison's CSV, workbook and chart: `<file>-comparison.csv`, `.xlsx` and `.png`."""
    stem = out_dir / f"{scenarios.source.stem}-comparison"
    return stem.with_suffix(".csv"), stem.with_suffix(".xlsx"), stem.with_suffix(".png")


def run_scenarios(path: Path, out_dir: Path, settings: SolverSettings, jobs: int = 1,
                  cluster: str | None = None, every: int | None = None, force: bool = False,
                  on_done: Callable[[Done], None] | None = None) -> tuple[pd.DataFrame, tuple[Path, ...]]:
    """Check everything, refuse to replace an earlier comparison without `force`, run, write the comparison
    (CSV, workbook with its chart, PNG) as one set."""
    loaded = load(path)
    tasks = loaded.tasks(settings, every)
    paths = output_paths(loaded.scenarios, out_dir)
    if not force:
        refuse_to_replace(paths, "a scenario comparison")
    table = comparison(execute_chained(tasks, references(loaded.scenarios.scenarios), jobs, cluster, on_done))
    target = loaded.rules.service_targets[0]
    ensure_folder(out_dir)
    write_files(comparison_writers(table, *paths, seconds=target.seconds, target=target.fraction))
    return table, paths


@dataclass(frozen=True)
class HiringAnswer:
    """The smallest class size that meets the question (None: not even `most`, or what the authorized
    headcount allows), the sizes tried with the share of hours meeting the target in the worst period from
    `by` on, and every period's result at the answer (or at the largest size tried)."""

    question: HiringQuestion
    size: int | None
    tried: tuple[tuple[int, float], ...]
    results: tuple[PeriodResult, ...]


def answer_hiring(path: Path, settings: SolverSettings, jobs: int = 1, cluster: str | None = None,
                  on_done: Callable[[Done], None] | None = None) -> HiringAnswer:
    """Bisect the class size: about log2(most) sets of roster solves, each over the periods from `by` on
    only. Each size starts from the largest smaller size tried (scenarios.run_period's `reference`), so it
    never does worse than that one; every size tried is returned with its worst period's share of hours."""
    loaded = load(path)
    question = loaded.scenarios.hire
    if question is None:
        raise InputError("no [hire] table", file=path, fix="add one (README, Scenarios: scheduler hire)")
    if question.seconds not in {t.seconds for t in loaded.rules.service_targets}:
        raise InputError("the seconds are not one of the rules' service targets", file=path,
                         key="hire.seconds", value=question.seconds, fix="use a target's seconds, e.g. 15")
    loaded.tasks(settings)  # every scenario of the file checked, as `scenarios` checks them
    base = next(s for s in loaded.scenarios.scenarios if s.name == question.scenario)
    _check_question(loaded, base, question, settings)
    largest = _largest_allowed(loaded, base, question, settings)
    cache: dict[int, tuple[PeriodResult, ...]] = {}

    def evaluate(size: int, every_period: bool = False) -> tuple[PeriodResult, ...]:
        """Each period's result with classes of `size` (from `by` on, or every period): the periods solved
        for this size already are kept as they were judged; the others start from the largest smaller size
        evaluated so far, period by period (run_period's `reference`)."""
        tasks = loaded.tasks(settings, scenarios=(with_classes(base, question, size),))
        if not every_period:
            tasks = tuple(t for t in tasks if t.start >= question.by)
        known = {r.start: r for r in cache.get(size, ())}
        todo = [t for t in tasks if t.start not in known]
        below = max((k for k in cache if k < size), default=None)
        earlier = {r.start: r for r in cache[below]} if below is not None else {}
        solved = execute(todo, jobs, cluster, on_done, references=[earlier.get(t.start) for t in todo])
        known |= {r.start: r for r in solved}
        cache[size] = tuple(known[t.start] for t in tasks)
        return cache[size]

    def worst(size: int) -> float:
        return min(hours_meeting(r, question) for r in evaluate(size))

    tried = {}
    low, high = -1, largest
    tried[high] = worst(high)
    if tried[high] < question.hours - 1e-9:
        return HiringAnswer(question, None, tuple(sorted(tried.items())), evaluate(high, every_period=True))
    while high - low > 1:  # invariant: `high` meets the target, `low` does not (-1: none tried yet)
        middle = (low + high) // 2 if low >= 0 else 0
        tried[middle] = worst(middle)
        low, high = (low, middle) if tried[middle] >= question.hours - 1e-9 else (middle, high)
    return HiringAnswer(question, high, tuple(sorted(tried.items())), evaluate(high, every_period=True))


def _check_question(loaded: Loaded, base: Scenario, question: HiringQuestion,
                    settings: SolverSettings) -> None:
    """The [hire] table's own keys, named as such: its classes' job class, qualifications and dates (checked
    on one class of each date), and a `by` some period reaches."""
    try:
        tasks = loaded.tasks(settings, scenarios=(with_classes(base, question, 1),))
    except InputError as exc:
        if exc.scenario is None or not (exc.key or "").startswith("hire["):
            raise
        part = exc.key.partition(".")[2]  # hire[k].start -> the [hire] table's dates
        key = part if part in ("job_class", "size") else "dates"
        raise InputError(exc.message, file=exc.file, key=f"hire.{key}", value=exc.value,
                         fix=exc.fix) from None
    if not any(t.start >= question.by for t in tasks):
        raise InputError("no period starts on or after this date", file=loaded.scenarios.source,
                         key="hire.by", value=str(question.by),
                         fix=f"give a date on or before {tasks[-1].start}")


def _largest_allowed(loaded: Loaded, base: Scenario, question: HiringQuestion,
                     settings: SolverSettings) -> int:
    """The largest class size (at most `most`) the authorized headcount lets every class of the question
    take (no roster solved: the check refuses a class past it)."""
    def allowed(size: int) -> bool:
        try:
            loaded.tasks(settings, scenarios=(with_classes(base, question, size),))
        except InputError:
            return False
        return True
    if not allowed(1):
        loaded.tasks(settings, scenarios=(with_classes(base, question, 1),))  # raises the reason
    low, high = 1, question.most
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if allowed(middle) else (low, middle - 1)
    return low
