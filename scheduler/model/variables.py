"""Decision variables: x[e, d, s, p] = 1 when employee e works template s on day d at position p.

Hard rules enforced by construction (a variable that would break them is never created):
- qualification: p's qualification is among e's (a trainee: the one they train for);
- approved leave: no variable on a leave day;
- shift templates: only templates of e's shift length, or e's bid list when given.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData

Key = tuple[str, int, str, str]  # employee id, day index, shift code, position id


@dataclass
class RosterVars:
    x: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    by_employee_day: dict[tuple[str, int], list[Key]] = field(default_factory=lambda: defaultdict(list))
    by_position_slot: dict[tuple[str, int], list[Key]] = field(default_factory=lambda: defaultdict(list))
    # (employee id, week) -> OT(e, w) >= hours worked above contract; filled by rules/hours.py (None before
    # it).
    overtime: dict[tuple[str, int], cp_model.IntVar] | None = None
    # Under the service objective, each call-taker hour's empty seats (required - seats filled): the flat
    # count of uncovered seats that the phased solve's first phase minimizes; filled by rules/coverage.py,
    # empty when flat.
    seat_gaps: list[cp_model.LinearExprT] = field(default_factory=list)
    # (employee id, Saturday's day index) -> 1 when the employee takes that weekend fully off; filled by
    # rules/weekends.py for the weekends that can be worked (the phased solve's weekend phase fixes some to
    # 1).
    weekend_off: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)

    def works_day(self, employee_id: str, day: int) -> cp_model.LinearExpr:
        return sum(self.x[k] for k in self.by_employee_day.get((employee_id, day), ()))

    def works_shift(self, employee_id: str, day: int, code: str) -> cp_model.LinearExpr:
        return sum(self.x[k] for k in self.by_employee_day.get((employee_id, day), ()) if k[2] == code)


def add_variables(model: cp_model.CpModel, data: ModelData) -> RosterVars:
    center, horizon = data.center, data.horizon
    roster = RosterVars()
    for employee in center.staff:
        for day in range(horizon.days):
            if center.on_leave(employee.id, horizon.day(day)):
                continue
            for template in center.shifts:
                if not employee.can_work(template):
                    continue
                slots = data.slots_of(employee.id, day, template.code)
                for position in center.positions:
                    if not employee.qualified_for(position):
                        continue
                    key = (employee.id, day, template.code, position.id)
                    roster.x[key] = model.new_bool_var(f"x_{employee.id}_{day}_{template.code}_{position.id}")
                    roster.by_employee_day[employee.id, day].append(key)
                    if not employee.is_trainee:  # trainees never count toward coverage
                        for slot in slots:
                            roster.by_position_slot[position.id, slot].append(key)
    return roster
