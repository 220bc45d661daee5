"""Soft: coverage of the staffing requirement per position and hour.

For every position p and slot t:  covered(p, t) + short(p, t) - over(p, t) = required(p, t), short, over >= 0,
where covered counts non-trainees on a shift at p over t. Shortfall is weighted far above everything else; the
shortfall that remains is published as open shifts, never hidden.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.objective import PenaltyTerm, Weights
from scheduler.model.variables import RosterVars


def add_coverage(model: cp_model.CpModel, data: ModelData, roster: RosterVars,
                 weights: Weights) -> list[PenaltyTerm]:
    shortfall, surplus = [], []
    for position, required in data.requirements.required.items():
        for slot in range(data.horizon.n_slots):
            need = int(required[slot])
            keys = roster.by_position_slot.get((position, slot), ())
            short = model.new_int_var(0, need, f"short_{position}_{slot}")
            over = model.new_int_var(0, len(keys), f"over_{position}_{slot}")
            model.add(sum(roster.x[k] for k in keys) + short - over == need)
            shortfall.append(short)
            surplus.append(over)
    return [
        PenaltyTerm("Uncovered position-hours", weights.shortfall, sum(shortfall)),
        PenaltyTerm("Overstaffed position-hours", weights.overstaffing, sum(surplus)),
    ]
