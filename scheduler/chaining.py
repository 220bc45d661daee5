"""Which scenario's result a scenario starts from. A scenario that differs from another only by more hires
(every one of the other's hires, same id and class) or by fewer calls (no stream growing faster or taking
longer to handle, every diversion of the other kept, any more out of the center) can use the other's roster
as it stands: its periods start from that one's results (scenarios.run_period's `reference`, which keeps a
chained roster only where it is no worse). So more hires never worsen shortfall or service, in `scenarios`
as in `hire`; more calls never improve shortfall or late 9-1-1 calls where the change keeps each queue's mix
of streams (uniform growth, longer handle times). A diversion changes a queue's mix (and its mean handle
time): there the chained roster is only a start, kept where the check finds it no worse."""

from __future__ import annotations

from dataclasses import replace

from scheduler.demand import ALL, change_of
from scheduler.domain.scenario import Demand, Scenario
from scheduler.workforce import hire_ids


def references(scenarios: tuple[Scenario, ...]) -> dict[str, str | None]:
    """Per scenario name, the scenario it starts from (None: it stands alone): of those it can start from,
    one no other of them improves on (the first in the file); between two the same but for their names, the
    later starts from the earlier."""
    found: dict[str, str | None] = {}
    for index, scenario in enumerate(scenarios):
        candidates = [other for position, other in enumerate(scenarios)
                      if position != index and starts_from(scenario, other)
                      and not (starts_from(other, scenario) and position > index)]
        best = [c for c in candidates
                if not any(d is not c and starts_from(d, c) and not starts_from(c, d) for d in candidates)]
        found[scenario.name] = best[0].name if best else None
    return found


def waves(references_of: dict[str, str | None]) -> list[list[str]]:
    """The scenarios in the order they can run: each wave's start from earlier waves' only."""
    depth: dict[str, int] = {}

    def depth_of(name: str) -> int:
        if name not in depth:
            parent = references_of[name]
            depth[name] = 0 if parent is None else depth_of(parent) + 1
        return depth[name]
    for name in references_of:
        depth_of(name)
    levels = max(depth.values(), default=-1) + 1
    return [[name for name in references_of if depth[name] == level] for level in range(levels)]


def starts_from(scenario: Scenario, other: Scenario) -> bool:
    """Whether `other`'s roster suits `scenario` and cannot serve it worse: the same in everything but
    hires and demand, with every hire of `other` (the same id and class) and no more calls or handle time."""
    plain = replace(scenario, name="", hires=(), demand=Demand())
    if plain != replace(other, name="", hires=(), demand=Demand()):
        return False
    mine = {employee: replace(academy, size=0) for employee, academy in hire_ids(scenario)}
    if any(mine.get(employee) != replace(academy, size=0) for employee, academy in hire_ids(other)):
        return False
    return fewer_calls(scenario.demand, other.demand)


def fewer_calls(demand: Demand, other: Demand) -> bool:
    """No stream grows faster or takes longer to handle than under `other`, and every diversion of `other`
    is kept, any more being out of the center (a diversion to another stream adds calls there)."""
    for mine, theirs in ((demand.growth, other.growth), (demand.handle_time, other.handle_time)):
        for stream in {*dict(mine), *dict(theirs), ALL}:
            if change_of(mine, stream) > change_of(theirs, stream):
                return False
    added = [d for d in demand.diversions if d not in other.diversions]
    return all(d in demand.diversions for d in other.diversions) and all(d.to is None for d in added)
