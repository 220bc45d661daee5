"""Sound pre-checks, no solver: cheap bounds, each finding a proof that no roster exists (a relaxation of the
model has no solution), so a finding is never a false alarm (explain.py lists them)."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.domain import Employee
from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars, add_variables
from scheduler.model.wording import (
    and_,
    cto_leave,
    day_ranges,
    fixed_by_variables,
    leave_days,
    or_,
    slot_runs,
    week_label,
    who,
)


def _max_days(data: ModelData, week: int, free: list[int], hours: dict[int, int]) -> tuple[int, int]:
    """Most hours (and their days) workable in a week on the `free` days with at most K consecutive days: runs
    inside the week, and the wrap from the last day to the first when the week is the whole plan (a relaxation
    otherwise)."""
    limit, days = data.rules.max_consecutive_days, list(data.week_days(week))
    cyclic = data.history is None and data.horizon.days == len(days)  # with a previous roster nothing wraps
    best = (0, 0)
    for mask in range(1 << len(free)):
        chosen = {free[i] for i in range(len(free)) if mask >> i & 1}
        if data.horizon.days > limit:
            runs = (days[i:i + limit + 1] for i in range(len(days) - limit))
            if cyclic:
                runs = ([days[(i + j) % len(days)] for j in range(limit + 1)] for i in range(len(days)))
            if any(all(d in chosen for d in run) for run in runs):
                continue
        best = max(best, (sum(hours[d] for d in chosen), len(chosen)))
    return best


def _no_shift_reason(data: ModelData, employee: Employee, week: int) -> str:
    center = data.center
    if len(leave_days(data, employee, week)) == len(data.week_days(week)):
        return "on leave all week"
    if not any(employee.can_work(t) for t in center.shifts):
        return (f"shift bid {', '.join(employee.shift_codes)} matches no shift template"
                if employee.shift_codes else f"no {employee.shift_length} h shift template")
    if not any(employee.qualified_for(p) for p in center.positions):
        return f"no position needs {or_(sorted(employee.qualifications))}"
    return "no shift can be worked"


def precheck(data: ModelData) -> list[str]:
    """Sentences, each proving on its own that the hard rules cannot all hold; [] when no cheap bound fails.
    """
    center, found = data.center, []
    # The allowed (day, shift, position) per employee; no solve.
    roster = add_variables(cp_model.CpModel(), data)
    cto_shifts = {k[1:] for k in roster.x if center.employees_by_id[k[0]].cto
                  and not center.employees_by_id[k[0]].is_trainee}
    for week in range(data.horizon.weeks):
        trainee_need: dict[str, int] = {}
        for employee in center.staff:
            finding, need = _weekly_minimum(data, roster, cto_shifts, employee, week)
            if finding:
                found.append(finding)
            elif need is not None:
                trainee_need[employee.id] = need
        found.extend(_cto_capacity(data, week, roster, trainee_need))
    return found + _vacancy_caps(data, roster)


def _weekly_minimum(data: ModelData, roster: RosterVars, cto_shifts: set, employee: Employee, week: int
                    ) -> tuple[str | None, int | None]:
    """Whether `employee` can work the week's minimum hours: the finding when no roster can (else None), and
    for a trainee who can, the fewest shifts beside a CTO that need (else None)."""
    low, high = data.min_hours(employee, week), data.max_hours(employee, week)
    if low == 0:
        return None, None
    label = f"{who(employee)}: {week_label(data, week)} needs {low} h"
    if low > high:
        return f"{label} but may work at most {high} h (contract + overtime cap)", None
    options = {d: roster.by_employee_day.get((employee.id, d), []) for d in data.week_days(week)}
    if not any(options.values()):
        return f"{label} but {_no_shift_reason(data, employee, week)}", None
    if employee.is_trainee:
        supervised = {d: [k for k in keys if k[1:] in cto_shifts] for d, keys in options.items()}
        if not any(supervised.values()):
            return _unsupervised(data, employee, week, label, options), None
        options = supervised
    hours = {d: max((data.windows[k[1], k[2]].hours for k in keys), default=0)
             for d, keys in options.items()}
    free = [d for d in options if options[d]]
    most = sum(hours[d] for d in free)
    detail = f"{len(free)} days with a shift {'beside a CTO ' if employee.is_trainee else ''}"
    detail += (f"({and_(fixed_by_variables(data, employee, week))})"
               if fixed_by_variables(data, employee, week) else "")
    if most < low:
        return (f"{label} ({-(-low // max(hours.values()))} x {max(hours.values())} h) but only "
                f"{detail.strip()} give at most {most} h"), None
    most, n_days = _max_days(data, week, free, hours)
    if most < low:
        return (f"{label} but maximum {data.rules.max_consecutive_days} consecutive work days "
                f"(the plan repeats every {data.horizon.days} days) allows {n_days} work days "
                f"= {most} h"), None
    return None, (-(-low // max(hours.values())) if employee.is_trainee else None)


def _unsupervised(data: ModelData, employee: Employee, week: int, label: str, options: dict) -> str:
    """The finding for a trainee none of whose shifts a CTO can work."""
    free = [d for d, keys in options.items() if keys]
    away = cto_leave(data, employee, week)
    positions = or_(sorted({k[3] for ks in options.values() for k in ks}))
    templates = or_(sorted({k[2] for ks in options.values() for k in ks}))
    return (f"{label} but no CTO qualified for {positions} works {templates} on {day_ranges(data, free)}"
            + (f" ({and_(away)})" if away else ""))


def _vacancy_caps(data: ModelData, roster: RosterVars) -> list[str]:
    """Hard shortfall caps (rules/vacancy_caps.py): required - cap seats vs the staff who could sit there at
    all (qualified, not on leave, a shift of their length or bid over the hour; overlapping shifts break the
    rest rule, so one person fills one seat), the previous roster's shifts that run into the hour counted with
    them. Contiguous hours with the same numbers make one finding."""
    found = []
    for position_id, cap in getattr(data.rules, "vacancy_caps", {}).items():
        position = data.center.positions_by_id.get(position_id)
        if position is None or position_id not in data.requirements.required:
            continue
        required, short = data.requirements.required[position_id], defaultdict(list)
        for slot in range(data.horizon.n_slots):
            staff = len({k[0] for k in roster.by_position_slot.get((position_id, slot), ())}) + int(
                data.carried_in[position_id][slot])  # the previous roster's shifts running into the plan
            if int(required[slot]) - cap > staff:
                short[int(required[slot]) - cap, staff].append(slot)
        for (least, staff), slots in short.items():
            for start, end in slot_runs(data, slots):
                found.append(f"{start:%a %H:%M}-{end:%H:%M} {position.name}: minimum {least} (required "
                             f"{least + cap}, shortfall cap {cap}), qualified staff not on leave: {staff}")
    return found


def _cto_capacity(data: ModelData, week: int, roster: RosterVars, need: dict[str, int]) -> list[str]:
    """One trainee per CTO shift: the trainees' fewest supervised shifts vs the most shifts their CTOs can
    work."""
    if not need:
        return []
    employees = data.center.employees_by_id
    trainee_shifts = {k[1:] for k in roster.x if k[0] in need}
    capacity, ctos = 0, []
    for employee in data.center.staff:
        if not employee.cto or employee.is_trainee:
            continue
        keys = [k for d in data.week_days(week) for k in roster.by_employee_day.get((employee.id, d), [])
                if k[1:] in trainee_shifts]
        if not keys:
            continue
        days = sorted({k[1] for k in keys})
        _, n_days = _max_days(data, week, days, dict.fromkeys(days, 1))
        shortest = min(data.windows[k[1], k[2]].hours for k in keys)
        capacity += min(n_days, data.max_hours(employee, week) // shortest)
        ctos.append(who(employee))
    total = sum(need.values())
    if total <= capacity:
        return []
    names = and_(who(employees[t]) for t in need)
    beside = (f"the CTOs they can work beside ({and_(ctos)}) can work at most {capacity}" if ctos
              else "no CTO can")
    return [(f"{week_label(data, week)}: trainees {names} need at least {total} shifts beside a CTO "
             f"(one trainee per CTO shift) but {beside}")]
