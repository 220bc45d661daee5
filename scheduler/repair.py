"""The repair stage: re-plan a published roster after call-outs. No file I/O; every object here pickles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd

from scheduler.domain import Assignment, Center, Cut, Leave, Repair
from scheduler.domain.horizon import LocalTimeError, localize
from scheduler.errors import InputError
from scheduler.model.settings import SolverSettings
from scheduler.model.solve import Progress
from scheduler.plan import Plan
from scheduler.roster import Roster, build_roster
from scheduler.weights import Weights

CALLOUT = "CALLOUT"  # the leave type of a call-out
CHANGE_COLUMNS = ["action", "employee_id", "employee_name", "shift_date", "shift_code", "position", "start",
                  "end"]


@dataclass(frozen=True)
class Callout:
    employee_id: str
    start: datetime  # without a time zone: the plan's
    end: datetime


@dataclass(frozen=True)
class RepairRequest:
    plan: Plan  # the published roster's plan with the call-outs as leave
    repair: Repair  # the published shifts, the time the repair starts from, the volunteers
    callouts: tuple[Leave, ...]  # the leave the call-outs became: one per day


def _local(moment: datetime, tz: ZoneInfo, option: str) -> datetime:
    """A time given on the command line (`option`), in the plan's zone unless it carries its UTC offset."""
    try:
        return localize(moment, tz)
    except LocalTimeError as exc:
        example = exc.readings[0].isoformat(sep=" ", timespec="minutes")
        raise InputError(str(exc), fix=f'give {option} with its UTC offset, e.g. "{example}"') from None


def request_repair(plan: Plan, published: tuple[Assignment, ...], callouts: tuple[Callout, ...],
                   now: datetime, volunteers: frozenset[str] = frozenset(),
                   cuts: tuple[Cut, ...] = ()) -> RepairRequest:
    """A call-out that starts during one of the employee's published shifts cuts it short: worked (and paid)
    until the call-out, the rest open. The employee is off (as leave) on every other day one of their
    published shifts overlaps the call-out (the call-out's first day when none does). `cuts`: earlier
    repairs' (a repaired roster repaired again). Refuses unknown employees and call-outs that do not run
    forward from `now`."""
    center, tz = plan.center, plan.horizon.tz
    now = _local(now, tz, "--now")
    sick: list[Leave] = []
    cuts_now = list(cuts)
    for callout in callouts:
        if callout.employee_id not in center.employees_by_id:
            raise InputError("unknown employee in a call-out", value=callout.employee_id,
                             fix="use an id from sheet Staff")
        start, end = _local(callout.start, tz, "--callout"), _local(callout.end, tz, "--callout")
        if end <= start or start < now:
            raise InputError("a call-out runs from a time at or after --now to a later time",
                             value=f"{callout.employee_id} {start:%Y-%m-%d %H:%M} {end:%Y-%m-%d %H:%M}")
        hit = [a for a in published
               if a.employee_id == callout.employee_id and a.start < end and a.end > start]
        cuts_now += [Cut(a.employee_id, a.day, start) for a in hit if a.start < start]
        cut_days = {cut.day for cut in cuts_now if cut.employee_id == callout.employee_id}
        days = {a.day for a in hit if a.start >= start} if hit else {start.date()}
        sick += [Leave(callout.employee_id, d, d, CALLOUT) for d in sorted(days - cut_days)]
    volunteers_unknown = volunteers - set(center.employees_by_id)
    if volunteers_unknown:
        raise InputError("unknown volunteer", value=", ".join(sorted(volunteers_unknown)))
    with_leave = replace(plan, center=center.with_callouts(sick))
    return RepairRequest(with_leave, Repair(tuple(published), now, volunteers, tuple(cuts_now)), tuple(sick))


@dataclass(frozen=True)
class RepairedRoster:
    request: RepairRequest
    roster: Roster
    changes: pd.DataFrame  # roster_changes: the shifts removed, moved or called in (CHANGE_COLUMNS)


def repair_roster(request: RepairRequest, settings: SolverSettings = SolverSettings(),
                  on_progress: Callable[[Progress], None] | None = None) -> RepairedRoster:
    """Shifts started before the request's `now` stay; later ones change only where that buys coverage,
    volunteers called in first."""
    roster = build_roster(request.plan, settings, Weights(), on_progress, request.repair)
    changes = roster_changes(request.repair, roster.result.assignments, request.plan.center)
    return RepairedRoster(request, roster, changes)


def roster_changes(repair: Repair, after: tuple[Assignment, ...], center: Center) -> pd.DataFrame:
    """Shifts from the repair's `now` on that it removed or added (a removal and an addition for the same
    employee and day read as one move), and the shifts its call-outs cut short ("end at call-out", with the
    hours still worked)."""
    def key(a: Assignment) -> tuple:
        return a.employee_id, a.day, a.shift_code, a.position
    old = {key(a): a for a in repair.published if a.start >= repair.now}
    new = {key(a): a for a in after if a.start >= repair.now}
    removed = [old[k] for k in old.keys() - new.keys()]
    added = [new[k] for k in new.keys() - old.keys()]
    moved_to = {(a.employee_id, a.day): a for a in added}
    rows = []
    for a in removed:
        target = moved_to.pop((a.employee_id, a.day), None)
        action = f"move to {target.shift_code} {target.position}" if target else "remove"
        rows.append((action, a))
    rows += [("call in", a) for a in moved_to.values()]
    cut = {(c.employee_id, c.day) for c in repair.cuts}
    published_end = {key(a): a.end for a in repair.published}  # an earlier repair's cut is no change
    rows += [("end at call-out", a) for a in after
             if (a.employee_id, a.day) in cut and published_end.get(key(a)) != a.end]
    frame = pd.DataFrame([{
        "action": action, "employee_id": a.employee_id,
        "employee_name": center.employees_by_id[a.employee_id].name,
        "shift_date": a.day, "shift_code": a.shift_code, "position": a.position,
        "start": a.start.replace(tzinfo=None), "end": a.end.replace(tzinfo=None)} for action, a in rows],
        columns=CHANGE_COLUMNS)
    return frame.sort_values(["shift_date", "start", "employee_id"], ignore_index=True)
