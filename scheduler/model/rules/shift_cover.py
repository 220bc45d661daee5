"""Soft: cover per day and shift template (Center.shift_cover, domain.ShiftCover), beside the hourly
requirement: a head count a day asks for on one template, as a benchmark states it or a center that staffs a
shift by head count.

For each cover row c (day d, template s, required R, weights u and o), with n = the non-trainees working s
on d (trainees never count as cover):
    short(c) >= R - n,  over(c) >= n - R,  both >= 0
    penalty += weights.shift_cover * (u * short(c) + o * over(c))
A day and template without a row asks for nothing and costs nothing. No rows: no terms.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.objective import PenaltyTerm
from scheduler.model.variables import RosterVars
from scheduler.weights import SHIFT_COVER_OVER, SHIFT_COVER_SHORT, Weights


def add_shift_cover(model: cp_model.CpModel, data: ModelData, roster: RosterVars,
                    weights: Weights) -> list[PenaltyTerm]:
    if not data.center.shift_cover:
        return []
    # Each (day, template)'s non-trainee shift variables, in the roster's order: the same model each run.
    trainees = {e.id for e in data.center.staff if e.is_trainee}
    on: dict[tuple[int, str], list] = defaultdict(list)
    for key, x in roster.x.items():
        if key[0] not in trainees:
            on[key[1], key[2]].append(x)
    short, over = [], []
    for cover in data.center.shift_cover:
        day = data.horizon.day_index(cover.day)
        working = on.get((day, cover.shift_code), [])
        n = sum(working)
        below = model.new_int_var(0, cover.required, f"cover_short_{day}_{cover.shift_code}")
        above = model.new_int_var(0, len(working), f"cover_over_{day}_{cover.shift_code}")
        model.add(below >= cover.required - n)
        model.add(above >= n - cover.required)
        short.append(cover.under_weight * below)
        over.append(cover.over_weight * above)
    return [PenaltyTerm(SHIFT_COVER_SHORT, weights.shift_cover, sum(short)),
            PenaltyTerm(SHIFT_COVER_OVER, weights.shift_cover, sum(over))]
