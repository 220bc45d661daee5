"""Soft: coverage of the staffing requirement per position and hour.

Which slots a shift covers is Horizon.covered_slots, shared with the checker and the reports. Without a
previous roster the plan is a cycle: a shift's hours past the plan's end wrap to its first hours, standing in
for the previous plan's night. With one (ModelData.history, `build --previous`) coverage carries over like the
other rules: a plan shift's hours past the end cover nothing (they belong to the next plan), and the previous
roster's shifts that run into the plan (a night shift from the day before) cover its first hours at their
position, as constants C(p, t) = ModelData.carried_in (0 without history). The requirement left for the plan's
shifts is thus R - C, never below 0 for the shortfall, and a carried seat beyond R counts as overstaffed like
a scheduled one.

For every position p and slot t, with covered(p, t) = C(p, t) + the non-trainees on a plan shift at p over t
and R = required(p, t):
    over(p, t) >= covered - R,  over >= 0                         (overstaffed position-hours)
Flat objective, or radio and supervisor positions:
    short(p, t) >= R - covered, short >= 0                        (uncovered position-hours)
Service objective, call-taking positions (V = the hour's concave value curve from staffing.call_value_curves,
in hundredths of a call: the concave envelope of the expected calls answered within the first target with k
seats, at and above the knee k0 where that envelope first meets the queueing values; below it V(k) = V(k0) -
(k0 - k) x 3600 / AHT, each missing seat losing the calls it handles in an hour to a backlog that spills into
the next hours):
    seats(p, t) <= covered, 0 <= seats <= R                       (R - seats: RosterVars.seat_gaps, the flat
                                                                   count the phased solve's first phase
                                                                   minimizes)
    late(p, t) >= V(R) - V(k) - (V(k+1) - V(k)) (seats - k)  for k = 0..R-1
                                                                  (= V(R) - V(seats): V is concave)
    short(p, t) >= floor(p, t) - covered                           (the Minimums floor still counts per seat)
so an uncovered call-taker costs the calls it would have answered in time: at the peak a seat is worth more
than at night, and a queue cut below its knee costs more per seat than any seat above it (deep cuts are
avoided first).
Criticality c(p) (sheet Positions, default 1) weighs floors by how critical the seat is: an uncovered hour
costs c(p) uncovered position-hours, the extra (c(p) - 1) x short(p, t) as its own named term, so a radio
channel of criticality 3 is not left for a call-taker seat worth fewer than 3 x 1000 / 200 = 15 calls answered
in time.
Shortfall is weighted far above comfort; what remains is published as open shifts, never hidden.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from scheduler.model.data import ModelData
from scheduler.model.objective import PenaltyTerm
from scheduler.model.variables import RosterVars
from scheduler.staffing import call_value_curves
from scheduler.weights import CRITICAL, LATE_CALLS, OVERSTAFFED, UNCOVERED, Weights


def add_coverage(model: cp_model.CpModel, data: ModelData, roster: RosterVars,
                 weights: Weights) -> list[PenaltyTerm]:
    requirements = data.requirements
    curves = call_value_curves(requirements, data.rules) if weights.coverage == "service" else {}
    shortfall, late, surplus, critical = [], [], [], []
    for position, required in requirements.required.items():
        for slot in range(data.horizon.n_slots):
            need, carried = int(required[slot]), int(data.carried_in[position][slot])
            keys = roster.by_position_slot.get((position, slot), ())
            covered = sum(roster.x[k] for k in keys) + carried
            over = model.new_int_var(0, len(keys) + carried, f"over_{position}_{slot}")
            model.add(over >= covered - need)
            surplus.append(over)
            if position in curves:
                floor = int(requirements.floor[position][slot])
                if floor:
                    short = model.new_int_var(0, floor, f"short_{position}_{slot}")
                    model.add(short >= floor - covered)
                    shortfall.append(short)
                    critical.append((data.center.positions_by_id[position].criticality - 1) * short)
                values = curves[position][slot]
                if values[need] > 0:
                    seats = model.new_int_var(0, need, f"seats_{position}_{slot}")
                    model.add(seats <= covered)
                    roster.seat_gaps.append(need - seats)
                    missed = model.new_int_var(0, int(values[need] - values[0]), f"late_{position}_{slot}")
                    for k in range(need):
                        slope = int(values[k + 1] - values[k])
                        model.add(missed >= int(values[need] - values[k]) - slope * (seats - k))
                    late.append(missed)
            else:
                short = model.new_int_var(0, need, f"short_{position}_{slot}")
                model.add(short >= need - covered)
                shortfall.append(short)
                critical.append((data.center.positions_by_id[position].criticality - 1) * short)
    terms = [PenaltyTerm(UNCOVERED, weights.shortfall, sum(shortfall)),
             PenaltyTerm(OVERSTAFFED, weights.overstaffing, sum(surplus))]
    if any(p.criticality > 1 for p in data.center.positions):
        terms.append(PenaltyTerm(CRITICAL, weights.shortfall, sum(critical)))
    if curves:
        terms.append(PenaltyTerm(LATE_CALLS, weights.late_call_hundredth, sum(late)))
    return terms
