"""Why the hard rules cannot all hold: sound pre-checks first, then a core from CP-SAT assumptions.

1. `precheck(data)`: cheap bounds, no solver. Each finding is a proof that no roster exists (a relaxation of
   the model has no solution), so a finding is never a false alarm:
   - per employee and full week with a minimum: the hours they can work at most (days with a shift they may
     work, i.e. not on leave, a template of their length or bid, a position they are qualified for; as
     trainee, one a CTO can work too; at most max_consecutive_days in a row, cyclic when the week is the whole
     plan and no previous roster is given) < min_hours; or min_hours > max_hours;
   - per week, center-wide: supervised shifts the trainees need > shifts the CTOs they could sit beside can
     work (one trainee per CTO shift);
   - per capped position and hour (Rules.vacancy_caps, rules/vacancy_caps.py): required - cap > the staff
     who could sit there at all ("Tue 02:00-03:00 Radio: minimum 2 (...), qualified staff not on leave: 1").
   Rest, days off, nights, weekends off, forward rotation, fixed patterns and the overtime budget are not
   bounded here; the core finds them (a pattern's constraints carry its name, so the sentence names the
   pattern). An employee on a pattern has no weekly minimum (ModelData.min_hours): the pattern fixes their
   days.
2. `explain_core(data)`: the rule modules themselves (the registry `registry.RULES`, in its order, so rules
   added there are explained too; no formula is mirrored here) build a fresh model without objective. Every
   constraint they add then gets an enforcement literal, one per group (see `_group`): (rule module, position,
   hours) for a constraint on exactly the shifts covering a position-hour, (rule module, employee, week) for
   one on one employee, (rule module, position, shift) for several employees on one shift (trainee and CTOs),
   else (rule module, week); a named constraint is grouped by its name. Qualification, leave and shift bids
   are built into the variables (variables.py) and always hold: they are stated as the context of a conflict.
   A single-worker solve under all literals as assumptions returns an infeasible subset
   (`sufficient_assumptions_for_infeasibility`), shrunk further by deletion (drop one literal, re-solve) and
   rendered as sentences.
3. `explain_infeasible(data)`: the pre-check findings when there are any (aggregate shortfalls are proved
   there directly, not dug out of a core), else the core's sentences.
"""

from __future__ import annotations

import inspect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from ortools.sat.python import cp_model

import scheduler.model.rules as rules_package
from scheduler.domain import Employee
from scheduler.model.build import add_rule, build_model
from scheduler.model.data import ModelData
from scheduler.model.precheck import precheck
from scheduler.model.registry import RULES, Rule
from scheduler.model.settings import single_worker_solver
from scheduler.model.variables import Key, RosterVars, add_variables
from scheduler.model.wording import (
    and_,
    cto_leave,
    day_ranges,
    fixed_by_variables,
    slot_runs,
    week_label,
    who,
)
from scheduler.weights import Weights

HEAD = "hard rules cannot all hold: "
MAX_SENTENCES = 5

# -------------------------------------------------------------------------------------------------
# assumptions


def rules() -> tuple[Rule, ...]:
    """Every rule family, in the order the model adds them (the registry)."""
    return RULES


_REF = re.compile(r"\b(?:vars|literals|enforcement_literal): (-?\d+)")


def _refs(constraint) -> list[int]:
    """Every variable index a constraint refers to (negated literals included), read from its text form, which
    both proto flavours of supported CP-SAT versions print alike."""
    return [int(r) if int(r) >= 0 else -int(r) - 1 for r in _REF.findall(str(constraint))]


def _as_linear(constraint) -> None:
    """at_most_one / exactly_one as a linear constraint, which takes an enforcement literal in every CP-SAT.
    """
    for kind in ("at_most_one", "exactly_one"):
        has = getattr(constraint, f"has_{kind}", None)  # pybind protos (ortools >= 9.12), else protobuf
        if not (has() if has else constraint.HasField(kind)):
            continue
        literals = list(getattr(constraint, kind).literals)
        clear = getattr(constraint, f"clear_{kind}", None)
        clear() if clear else constraint.ClearField(kind)
        negated = sum(ref < 0 for ref in literals)
        for ref in literals:  # not x = 1 - x
            constraint.linear.vars.append(ref if ref >= 0 else -ref - 1)
            constraint.linear.coeffs.append(1 if ref >= 0 else -1)
        constraint.linear.domain.extend([-negated if kind == "at_most_one" else 1 - negated, 1 - negated])


def _group(data: ModelData, roster: RosterVars, family: str, keys: list[Key]) -> tuple:
    """The assumption a constraint is guarded by. A constraint on exactly the shifts that cover a position
    over an hour (as coverage-like rules sum them) is per position and hour: ('slot', family, position,
    hours), the hours those same shifts cover; one on one employee is ('employee', family, employee, week);
    one on several employees at one position and hour (trainee and CTOs on a shift) is ('shift', family,
    position, first hour); else ('week', family, week). The hours of a 'slot' group are all those the same
    shifts cover (a constraint does not say which hour it was written for); a rule that names its constraints
    (`.with_name("Tue 02:00 radio")`) is grouped and reported by that name instead."""
    employees = sorted({k[0] for k in keys})
    days = sorted({k[1] for k in keys})
    week = days[0] // 7 if days else None
    positions = {k[3] for k in keys}
    common = set.intersection(*(set(data.windows[k[1], k[2]].slots) for k in keys)) if keys else set()
    if len(positions) == 1 and common:
        position = next(iter(positions))
        hours = tuple(t for t in sorted(common)
                      if set(keys) == set(roster.by_position_slot.get((position, t), ())))
        if hours:
            return ("slot", family, position, hours)
    if len(employees) == 1:
        return ("employee", family, employees[0], week)
    if len(positions) == 1 and common:
        return ("shift", family, next(iter(positions)), min(common))
    return ("week", family, week)


class Guarded:
    """The rule modules' constraints on a fresh model, each under the assumption literal of its group."""

    def __init__(self, data: ModelData, weights: Weights = Weights()):
        self.data, self.model = data, cp_model.CpModel()
        self.roster = add_variables(self.model, data)
        x_of = {var.index: key for key, var in self.roster.x.items()}
        self.literals: dict[tuple, cp_model.IntVar] = {}
        self.constraints: dict[tuple, list[int]] = defaultdict(list)
        self.families: dict[str, str] = {}
        for rule in rules():
            family, module = rule.name, inspect.getmodule(rule.add)
            in_package = module is not None and module.__name__.startswith(rules_package.__name__ + ".")
            self.families[family] = (module.__doc__ if in_package else None) or family
            first = len(self.model.proto.constraints)
            add_rule(rule, self.model, data, self.roster, weights)
            for index in range(first, len(self.model.proto.constraints)):
                constraint = self.model.proto.constraints[index]
                group = (("named", family, constraint.name) if constraint.name else
                         _group(data, self.roster, family, [x_of[r] for r in _refs(constraint) if r in x_of]))
                if group not in self.literals:
                    self.literals[group] = self.model.new_bool_var(f"guard_{len(self.literals)}")
                _as_linear(constraint)
                constraint.enforcement_literal.append(self.literals[group].index)
                self.constraints[group].append(index)

    def infeasible(self, groups: Iterable[tuple], time_limit_s: float) -> list[tuple] | None:
        """A subset of `groups` that cannot hold together (others relaxed), or None when they can or time runs
        out."""
        self.model.clear_assumptions()
        self.model.add_assumptions([self.literals[g] for g in groups])
        # Cores come back minimized from a single worker without objective.
        solver = single_worker_solver(time_limit_s)
        if solver.solve(self.model) != cp_model.INFEASIBLE:
            return None
        by_index = {self.literals[g].index: g for g in groups}
        return [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]


def explain_core(data: ModelData, weights: Weights = Weights(), time_limit_s: float = 5.0,
                 max_deletions: int = 40) -> list[str]:
    """Sentences from a (deletion-minimized) infeasible subset of the guarded hard rules; [] if none is found.
    """
    guarded = Guarded(data, weights)
    core = guarded.infeasible(guarded.literals, time_limit_s)
    if core is None:
        return []
    if len(core) <= max_deletions:
        for group in list(core):
            if group in core and (smaller := guarded.infeasible([g for g in core if g != group],
                                                                time_limit_s)):
                core = smaller
    return _sentences(guarded, core)


def explain_infeasible(data: ModelData, weights: Weights = Weights(), time_limit_s: float = 5.0) -> list[str]:
    """Why no roster exists: pre-check findings when there are any, else the sentences of an assumption core,
    else, when no core comes in the time, whether the vacancy caps alone are in the way."""
    return precheck(data) or explain_core(data, weights, time_limit_s) or caps_in_the_way(data, weights,
                                                                                            time_limit_s)


def caps_in_the_way(data: ModelData, weights: Weights = Weights(), time_limit_s: float = 5.0) -> list[str]:
    """The vacancy caps ([labor] max_shortfall) named when the model without them has a roster: then no
    roster keeps them all, whatever else the core search could not isolate in its time. [] without caps, or
    when the model without them has no roster either (or none is found in the time)."""
    caps = data.rules.vacancy_caps
    if not caps:
        return []
    model, _, _ = build_model(replace(data, rules=replace(data.rules, max_shortfall=())), weights)
    model.clear_objective()
    solver = single_worker_solver(time_limit_s)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return []
    listed = ", ".join(f"{position} {cap}" for position, cap in caps.items())
    return [(f"the vacancy caps ([labor] max_shortfall: {listed}) cannot all hold with the staff and the "
             "other rules (without them a roster exists); raise the caps of the positions the staff cannot "
             "fill")]


def infeasible_message(sentences: list[str], status: str) -> str:
    """One line for SolveError: 'hard rules cannot all hold: a; b; ... and N more (solver status ...)'."""
    shown = "; ".join(sentences[:MAX_SENTENCES]) if sentences else (
        "the conflict could not be isolated (check weekly minimum hours against leave, bids, rest, "
        "consecutive days and trainee supervision)")
    more = f"; and {len(sentences) - MAX_SENTENCES} more" if len(sentences) > MAX_SENTENCES else ""
    return f"{HEAD}{shown}{more} ({status})"


# ------------------------------------------------------------------------------------------------- core
# wording


def _rule_text(guarded: Guarded, family: str, employee: Employee | None = None, week: int | None = None,
               alone: bool = True) -> str:
    data, rules = guarded.data, guarded.data.rules
    if family == "hours" and employee is not None and week is not None:
        low, high = data.min_hours(employee, week), data.max_hours(employee, week)
        if not low:
            return f"weekly maximum {high} h"
        return f"weekly minimum {low} h" if alone else (
            f"weekly hours exactly {low} h" if low == high else f"weekly hours {low}-{high} h")
    known = {
        "consecutive": f"maximum {rules.max_consecutive_days} consecutive work days "
                       f"({'after the previous roster' if data.history else 'the plan repeats'})",
        "rest": f"minimum rest {rules.min_rest_hours:g} h between shifts (also across the plan's "
                f"{'start' if data.history else 'end'})",
        "daily": "one shift per day",
        "fatigue": f"at most {rules.max_hours_in_24:g} h worked in any 24 h (with a "
                   f"{rules.holdover_hours:g} h holdover reserve after each shift)",
        "trainees": "trainees only beside a CTO on the same shift and position",
        "days_off": f"days off at least {getattr(rules, 'min_days_off', '?')} in a row",
        "nights": f"at most {getattr(rules, 'max_consecutive_nights', '?')} night shifts in a row",
        "weekends": f"a full weekend off in every {getattr(rules, 'weekend_off_every_weeks', '?')} weeks",
        "overtime_budget": f"overtime budget {getattr(rules, 'overtime_budget_hours', '?')} h a week "
                           "(center-wide)",
        "vacancy_caps": "shortfall cap",
        "rotation": "forbidden successions (forward rotation: day -> evening -> night on consecutive days; "
                    "the center's listed pairs)",
        "plan_limits": "limits over the plan (shifts per template, minutes worked, weekends)",
        "work_blocks": "runs of work days and of days off over the plan",
        "patterns": "works exactly the pattern's work days",
    }
    if family in known:
        return known[family]
    doc = guarded.families.get(family, family).strip().split("\n")[0]
    doc = doc.removeprefix("Hard:").removeprefix("Soft:").strip().rstrip(".")
    return f"{family} rule ({doc})" if doc and doc != family else f"rule '{family}'"


def _slot_minimum(guarded: Guarded, group: tuple) -> str | None:
    """'minimum 2, qualified staff not on leave: 1' when the group's constraint asks for at least L of its
    shifts."""
    key_of = {var.index: key for key, var in guarded.roster.x.items()}
    employees = guarded.data.center.employees_by_id
    found = []
    for index in guarded.constraints[group]:
        linear = guarded.model.proto.constraints[index].linear
        if linear.vars and all(v in key_of for v in linear.vars) and all(c > 0 for c in linear.coeffs) \
                and linear.domain[0] > 0:
            staff = {key_of[v][0] for v in linear.vars if not employees[key_of[v][0]].is_trainee}
            found.append((linear.domain[0], len(staff)))
    return f"minimum {max(found)[0]}, qualified staff not on leave: {max(found)[1]}" if found else None


def _employees(guarded: Guarded, group: tuple) -> set[str]:
    """The employees whose shifts the group's constraints refer to."""
    key_of = {var.index: key for key, var in guarded.roster.x.items()}
    return {key_of[r][0] for index in guarded.constraints[group]
            for r in _refs(guarded.model.proto.constraints[index]) if r in key_of}


def _hour_ranges(guarded: Guarded, slots: list[int]) -> list[str]:
    """Contiguous slots as 'Tue 02:00-05:00'."""
    return [f"{start:%a %H:%M}-{end:%H:%M}" for start, end in slot_runs(guarded.data, slots)]


def _sentences(guarded: Guarded, core: list[tuple]) -> list[str]:
    """One core is one conflict: the employees' rules conflict with the rules it holds beyond them. Per-hour
    minimums are listed hour by hour (merged when contiguous), other per-shift groups folded by position and
    day."""
    data = guarded.data
    per_employee, hourly, folded, loose, out = _gather(guarded, core)
    out += [f"{when} {position}: {rule}" + (f": {minimum}" if minimum else "")
            for (position, rule, minimum), slots in hourly.items() for when in _hour_ranges(guarded, slots)]
    beyond = loose + [f"{rule} ({position}, {day_ranges(data, days)})"
                      for (rule, position), days in folded.items()]
    if not per_employee:
        if beyond:
            out.append(f"{beyond[0]} conflicts with {and_(beyond[1:])}" if len(beyond) > 1 else beyond[0])
        return out
    hourly_days: dict[tuple[str, str], set[int]] = defaultdict(set)
    for (position, rule, _), slots in hourly.items():
        hourly_days[rule, position] |= {data.horizon.day_index(data.horizon.slot_start(t).date())
                                        for t in slots}
    beyond += [f"{rule} ({position}, {day_ranges(data, days)}; hours below)" for (rule, position), days
               in hourly_days.items()]
    out.insert(0, _employees_sentence(guarded, core, per_employee, beyond))
    return out


def _gather(guarded: Guarded, core: list[tuple]) -> tuple[dict, dict, dict, list[str], list[str]]:
    """The core's groups sorted for `_sentences`: the rules of each (employee, week), the slots of each
    per-hour minimum, the days of each per-shift group, the other rules' texts, and the sentences of the named
    groups."""
    data = guarded.data
    per_employee: dict[tuple[str, int | None], list[str]] = defaultdict(list)
    # (position, rule, minimum) -> slots
    hourly: dict[tuple[str, str, str | None], list[int]] = defaultdict(list)
    folded: dict[tuple[str, str], set[int]] = defaultdict(set)  # (rule, position) -> days
    loose: list[str] = []
    out: list[str] = []
    for group in core:
        kind, family = group[0], group[1]
        if kind == "employee":
            per_employee[group[2], group[3]].append(family)
        elif kind == "slot":
            position = data.center.positions_by_id[group[2]].name
            hourly[position, _rule_text(guarded, family), _slot_minimum(guarded, group)].extend(group[3])
        elif kind == "named":  # a rule that names its constraints says where they apply
            # ...on one employee (a fixed pattern) a lower bound is that employee's, not a staffing minimum
            minimum = _slot_minimum(guarded, group) if len(_employees(guarded, group)) > 1 else None
            out.append(f"{group[2]}: {_rule_text(guarded, family)}" + (f": {minimum}" if minimum else ""))
        elif kind == "shift":
            position = data.center.positions_by_id[group[2]].name
            folded[_rule_text(guarded, family), position].add(
                    data.horizon.day_index(data.horizon.slot_start(group[3]).date()))
        else:
            loose.append(_rule_text(guarded, family)
                         + ("" if group[2] is None else f", {week_label(data, group[2])}"))
    return per_employee, hourly, folded, loose, out


def _employees_sentence(guarded: Guarded, core: list[tuple], per_employee: dict, beyond: list[str]) -> str:
    """The sentence on the employees of a core: their rules conflict with the rules `beyond` them and what
    the variables fix (approved leave, shift bids; the leave of the CTOs a trainee could work beside)."""
    data, employees = guarded.data, guarded.data.center.employees_by_id
    families = {f for fs in per_employee.values() for f in fs} | {g[1] for g in core}
    context: list[str] = []
    parts = []
    alone = len(per_employee) == 1
    for (employee_id, week), fams in per_employee.items():
        employee = employees[employee_id]
        rules = [_rule_text(guarded, f, employee, week, alone)
                 for f in sorted(fams, key=lambda f: (f != "hours", f))]
        if week is not None:
            context += fixed_by_variables(data, employee, week)
            if employee.is_trainee and "trainees" in families:
                context += cto_leave(data, employee, week)
        parts.append((employee, week, rules))
    if alone:
        employee, week, rules = parts[0]
        head = who(employee) + (f", {week_label(data, week)}" if week is not None else "")
        others = rules[1:] + beyond + context
        return f"{head}: {rules[0]} conflicts with {and_(others)}" if others else f"{head}: {rules[0]}"
    weeks = sorted({w for _, w, _ in parts if w is not None})
    head = f"{and_(week_label(data, w) for w in weeks)}: " if weeks else ""
    people = and_(f"{who(e)} ({', '.join(rules)})" for e, _, rules in parts)
    others = beyond + context
    return f"{head}{people} conflict{' with ' + and_(others) if others else ''}"
