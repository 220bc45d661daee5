"""Chains of best responses side by side: one chain per CP-SAT worker, each in a process of its own, the best
plan kept (the phased strategy's start, start.py).

The processes are this module's alone: best_response.py is plain single-process code. A caller that may start
no process (a daemonic one, e.g. a worker of a process pool) or does not want to (StartSettings.processes
False) gets every chain run in the calling process, one after the other: the same plan and the same roster,
more wall-clock time.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace

from scheduler.model.best_response import Plan, chain
from scheduler.model.data import ModelData

# How the chains' processes start. A spawned one imports the caller's main module again, which a script
# without an `if __name__ == "__main__"` guard cannot survive (its chain then runs in this process, after the
# first); a forked one does not. Fork only on Linux: macOS's system libraries are not fork-safe, hence
# Python's spawn default there.
START_METHOD = "fork" if sys.platform == "linux" else "spawn"


def best_responses(data: ModelData, budget: int, seed: int = 0, grow: float = 1.0,
                   report: Callable[[int, int, int], None] | None = None, chains: int = 1,
                   processes: bool = True) -> Plan:
    """`chains` independent chains of passes (best_response.chain), each with the whole `budget`: the first in
    this process (it reports), the others side by side, each in a process of its own (with `processes`). Chain
    i takes the seed `seed x chains + i` (one chain: `seed`). The plan with the fewest seats missing under the
    vacancy caps, then uncovered position-hours, is kept (the first of equals), so the plan is the same
    however the processes run. Its `work` is the longest chain's however they ran (side by side, or here one
    after the other: a daemonic caller may start no process, a worker may die), so that the phases after the
    start get the same budget and the roster is the same wherever the solve runs (a scenario in a pool's
    worker, the command line): the time the chains take when there are cores enough for them (one per CP-SAT
    worker)."""
    if chains <= 1:
        return chain(data, budget, seed, grow, report)
    seeds = [seed * chains + i for i in range(chains)]
    in_processes = processes and not multiprocessing.current_process().daemon
    workers = [_Worker(data, budget, s, grow) for s in seeds[1:]] if in_processes else []
    try:
        plans = [chain(data, budget, seeds[0], grow, report)]
        for i, other in enumerate(seeds[1:]):
            plan = workers[i].result() if workers else None
            # No process, or it died: the same chain here.
            plans.append(plan if plan is not None else chain(data, budget, other, grow))
    finally:
        for worker in workers:
            worker.stop()
    return replace(min(plans, key=lambda plan: plan.standing), work=max(plan.work for plan in plans))


class _Worker:
    """One chain in a process of its own, its plan sent back through a pipe. The process ends with its chain:
    if this process is gone by then, its send fails (it holds no reading end of the pipe) and it exits."""

    def __init__(self, data: ModelData, budget: int, seed: int, grow: float):
        context = multiprocessing.get_context(START_METHOD)
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_send_chain,
                                       args=(self.receive, send, data, budget, seed, grow), daemon=True)
        self.process.start()
        send.close()

    def result(self) -> Plan | None:
        """The chain's plan; None when the process ended without sending it."""
        try:
            return self.receive.recv()
        except EOFError:
            return None

    def stop(self) -> None:
        self.receive.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


def _send_chain(receive, send, data: ModelData, budget: int, seed: int, grow: float) -> None:
    receive.close()  # a forked child holds a copy: closed, a send to a caller that is gone fails
    with suppress(BrokenPipeError):  # the caller is gone: nobody to tell
        send.send(chain(data, budget, seed, grow))
