"""What a solve returns: its result, the phases it ran, and the progress it reports on the way."""

from __future__ import annotations

from dataclasses import dataclass

from scheduler.domain import Assignment


@dataclass(frozen=True)
class Progress:
    objective: float
    best_bound: float
    gap: float
    seconds: float
    # "solve" (direct); "best responses", "completion", "weekends", "shortfall", "windows", "staff" or
    # "polish" (phased); "fairness" (the last pass, fairness and stability terms alone, when those rules are
    # on)
    phase: str = "solve"


@dataclass(frozen=True)
class Phase:
    """One solver phase of a solve: its last objective and bound (in its own units) and the time it took."""

    name: str
    objective: float
    best_bound: float
    seconds: float
    deterministic_seconds: float


# SolveResult.status of a solve stopped by Ctrl-C: the best roster found so far, not the limit's result.
INTERRUPTED = "INTERRUPTED"


@dataclass(frozen=True)
class SolveResult:
    # OPTIMAL, FEASIBLE, or INTERRUPTED (Ctrl-C; no phases, a bound only from a direct solve). With fairness
    # or stability on (solve), OPTIMAL means every other term proven optimal and the fairness and stability
    # terms proven lowest among rosters that keep it; best_bound then bounds the other terms, so a proven
    # objective may exceed it by the fairness and stability terms (its gap is 0 all the same).
    status: str
    objective: float
    best_bound: float
    gap: float  # relative: (objective - bound) / objective, 0 when proven optimal
    seconds: float
    assignments: tuple[Assignment, ...]
    penalties: dict[str, float]  # human rule name -> weighted penalty
    phases: tuple[Phase, ...] = ()
    strategy: str = "direct"  # the strategy that ran: "direct" or "phased" ("auto" resolved)

    @property
    def proven_optimal(self) -> bool:
        return self.status == "OPTIMAL"


def relative_gap(objective: float, bound: float) -> float:
    return 0.0 if objective <= bound else (objective - bound) / max(abs(objective), 1e-9)
