"""`scheduler hire`'s question, period by period: a scenario with academy classes of a given size, whether a
period meets the target, and what still binds where it does not. The search itself (fewest roster solves)
is scheduler.planning.answer_hiring."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from scheduler.domain.scenario import AcademyClass, HiringQuestion, Scenario
from scheduler.scenarios import PeriodResult


def with_classes(scenario: Scenario, question: HiringQuestion, size: int) -> Scenario:
    """The scenario with a class of `size` on each of the question's dates (none for 0)."""
    classes = tuple(AcademyClass(start, size, question.job_class, question.call_taking, question.radio,
                                 training=question.training) for start in question.dates) if size else ()
    return replace(scenario, name=f"{scenario.name} + classes of {size}", hires=scenario.hires + classes)


def _column(question: HiringQuestion) -> str:
    return f"answered_within_{question.seconds:g}s"


def hours_meeting(result: PeriodResult, question: HiringQuestion) -> float:
    """The share of the period's hours whose 9-1-1 calls are answered within the target (0 without a
    roster)."""
    if result.kpis.get("status") != "ok":
        return 0.0
    shares = result.hourly[_column(question)].to_numpy()
    return float(np.mean(shares >= question.share - 1e-9))


def meets(result: PeriodResult, question: HiringQuestion) -> bool:
    return hours_meeting(result, question) >= question.hours - 1e-9


@dataclass(frozen=True)
class Binding:
    """Where a period still falls short: its hours below the target (the worst first, with their share) and
    the positions with the most uncovered position-hours."""

    hours_below: int
    worst: tuple[tuple[str, float], ...]  # (local hour, share within the target seconds)
    positions: tuple[tuple[str, int], ...]  # (position id, uncovered position-hours)


def binding(result: PeriodResult, question: HiringQuestion, shown: int = 5) -> Binding:
    if result.kpis.get("status") != "ok":
        return Binding(0, (), ())
    hourly = result.hourly
    below = hourly[hourly[_column(question)] < question.share - 1e-9].sort_values(_column(question))
    rows = zip(below["start"][:shown], below[_column(question)][:shown], strict=True)
    worst = tuple((f"{start:%a %m-%d %H:00}", round(float(share), 3)) for start, share in rows)
    short = sorted(((key.removeprefix("short_"), int(value)) for key, value in result.kpis.items()
                    if key.startswith("short_") and value), key=lambda item: -item[1])
    return Binding(len(below), worst, tuple(short[:shown]))
