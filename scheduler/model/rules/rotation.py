"""Hard: forbidden successions: forward rotation only (`forward_rotation` on: day -> evening -> night, never
backwards on the next day), and the center's own pairs (Center.forbidden_successions).

Templates are ordered by local start (Rules.period): night = Rules.is_night (start at or after
night_start_hour or before night_end_hour), evening = start at or after `evening_start_hour` (default 12:00)
and not a night, day = the rest; in the sample D8 07:00, D10 and D12 06:00 are days, E8 15:00 and P10 14:00
evenings, N8, N10, N12 nights. The rule is a set of forbidden successions F: pairs of templates (a, b) such
that b may not be worked the calendar day after a; forward rotation forbids every pair whose period steps down
(night -> evening, night -> day, evening -> day). At least one day off in between lifts it (a day off resets
the rotation); hours of rest alone do not. F is plain data: the center may list pairs of its own, forbidden
whether forward rotation is on or not (as Curtois & Qu's rostering instances list theirs per shift type).
For every employee e, day d and (a, b) in F, with days taken mod N (the plan repeats, so its last day
precedes its first):
    works_shift(e, d, a) + works_shift(e, d + 1, b) <= 1.
A 1-day plan has no next day (its repeat works the same template) and is not constrained. With a previous
roster (data.history) nothing wraps: its shift on the day before the plan forbids day 0's templates of an
earlier period, and those a listed pair forbids after it (the past shift's template as the previous roster
recorded it, else by its start and length: Center.template_of); the plan's last day is followed by the next
plan.
"""

from __future__ import annotations

from datetime import timedelta

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def forbidden_successions(data: ModelData) -> list[tuple[str, str]]:
    """(a, b): template b may not be worked the day after template a: the center's own
    (Center.forbidden_successions), then forward rotation's, each once."""
    pairs = dict.fromkeys(data.center.forbidden_successions)
    if data.rules.forward_rotation:
        period = data.rules.period
        pairs |= dict.fromkeys((a.code, b.code) for a in data.center.shifts for b in data.center.shifts
                               if period(b.start) < period(a.start))
    return list(pairs)


def add_forbidden_successions(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    days, history, rules = data.horizon.days, data.history, data.rules
    pairs = forbidden_successions(data)
    if not pairs or (history is None and days < 2):
        return
    eve, forbidden = data.horizon.start - timedelta(days=1), set(pairs)
    for employee in data.center.staff:
        if history is not None:
            for past in (s for s in history.of(employee.id) if s.day == eve):
                last = rules.period(past.start.astimezone(data.horizon.tz).time())
                past_code = data.center.template_of(past)
                for template in data.center.shifts:
                    works = roster.works_shift(employee.id, 0, template.code)
                    backward = rules.forward_rotation and rules.period(template.start) < last
                    listed = (past_code, template.code) in forbidden
                    if (backward or listed) and not isinstance(works, int):
                        model.add(works == 0)
        for day in range(days if history is None else days - 1):
            for first, second in pairs:
                before = roster.works_shift(employee.id, day, first)
                after = roster.works_shift(employee.id, (day + 1) % days, second)
                if isinstance(before, int) or isinstance(after, int):
                    continue  # one of the two shifts cannot be worked at all
                model.add(before + after <= 1)
