"""Hard: caps on the shortfall per position and hour (`max_shortfall` in the rules file's [labor] section).

For every capped position p with cap c and every slot t, with covered(p, t) the non-trainees on a shift at p
over t counted as for coverage (rules/coverage.py: Horizon.covered_slots, plus with a previous roster the
constant seats of its shifts that run into the plan, ModelData.carried_in) and R = required(p, t):
    covered(p, t) >= R - c          (only where R - c > 0)
Positions not listed are uncapped (their shortfall stays soft, rules/coverage.py). A cap the staff cannot meet
makes the model infeasible: that is the point (the roster cannot keep the promise), never hidden by relaxing
it.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.variables import RosterVars


def add_vacancy_caps(model: cp_model.CpModel, data: ModelData, roster: RosterVars) -> None:
    for position, cap in data.rules.vacancy_caps.items():
        # Unknown positions are refused when inputs are loaded.
        required = data.requirements.required[position]
        for slot in range(data.horizon.n_slots):
            least = int(required[slot]) - cap - int(data.carried_in[position][slot])
            if least <= 0:
                continue
            keys = roster.by_position_slot.get((position, slot), ())
            if not keys:
                model.add_bool_or([])  # nobody can ever cover this hour: no roster meets the cap
                continue
            model.add(sum(roster.x[k] for k in keys) >= least)
