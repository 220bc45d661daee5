"""The workbook's Penalties sheet states its units: per term of the objective the amount in the term's own
unit, the weight (points per unit) and the penalty, weight x amount, in points (report.penalty_table)."""

from __future__ import annotations

import math
from dataclasses import fields
from pathlib import Path

import pandas as pd

from scheduler import pipeline
from scheduler.domain import DayOffRequest, Forecast
from scheduler.model.settings import SolverSettings
from scheduler.report import TERM_UNITS, penalty_table
from scheduler.weights import CHANGES, OVERSTAFFED, TERMS, UNCOVERED, Weights
from tests.factory import START, center, employee, model_data

COLUMNS = ["term", "amount", "unit", "weight", "penalty"]


def test_the_sheet_of_a_small_build_has_amounts_units_weights_and_penalties(tmp_path):
    # Two radio operators for one seat all day: 8 hours stay uncovered whichever two 8-hour shifts they work,
    # and A works although she asked for the day off with weight 3 (an uncovered hour costs 1000, the request
    # 3 x 40). The rules' other soft terms (overtime, preferences) are on and cost nothing here.
    c = center([employee("A"), employee("B")], requests=(DayOffRequest("A", START, 3),))
    data = model_data(c, required={"radio": 1})
    inputs = pipeline.Inputs(c, data.rules, data.requirements, None, quantile="p50", paths={},
                             forecast=Forecast(Path("none.csv"), pd.DataFrame()))
    outcome = pipeline.build(inputs, tmp_path, SolverSettings(time_limit_s=5))
    sheet = pd.read_excel(outcome.workbook, sheet_name="Penalties")
    assert list(sheet.columns) == COLUMNS
    expected = [
        ["Uncovered position-hours", 8, "position-hours", 1000, 8000],
        ["Overstaffed position-hours", 0, "position-hours", 1, 0],
        ["Overtime hours", 0, "hours", 15, 0],
        ["Day-off requests denied (weighted)", 3, "requests x weight x seniority multiplier", 40, 120],
        ["Avoided shifts worked (weighted)", 0, "shifts x weight x seniority multiplier", 5, 0],
        ["Preferred shifts not granted (weighted)", 0, "shifts x weight x seniority multiplier", 5, 0],
    ]
    terms = sheet.iloc[:-1]
    assert terms.values.tolist() == expected
    assert (terms["amount"] * terms["weight"] == terms["penalty"]).all()
    # The note row: the objective is the sum of penalty (8,000 + 120), in points; no weight, no penalty of
    # its own, so summing the column still gives the objective.
    note = sheet.iloc[-1]
    assert (note["term"], note["amount"], note["unit"]) == ("Objective (the sum of penalty)", 8120, "points")
    assert math.isnan(note["weight"]) and math.isnan(note["penalty"])
    assert sheet["penalty"].sum() == outcome.roster.result.objective == 8120


def test_a_repair_counts_changes_with_a_volunteer_called_in_as_a_third():
    # One shift dropped (1500) and one volunteer called in (500): 2000 points are 4/3 changes at 1500 each.
    table = penalty_table({CHANGES: 2000.0}, Weights())
    row = table.iloc[0]
    assert (row["unit"], row["weight"], row["penalty"]) == ("changes (a volunteer called in counts 500/1500)",
                                                            1500, 2000.0)
    assert row["amount"] == 2000 / 1500


def test_a_term_weighted_zero_has_no_amount():
    # Weights(overstaffing=0): the breakdown's 0 says nothing of the overstaffed hours, so the amount is blank
    # rather than a division by zero.
    table = penalty_table({UNCOVERED: 3000.0, OVERSTAFFED: 0.0}, Weights(overstaffing=0))
    assert table["amount"].iloc[0] == 3
    assert math.isnan(table["amount"].iloc[1])


def test_every_term_has_a_unit_and_an_integer_weight():
    # A term added to weights.TERMS without a unit would fail the Penalties sheet of every roster using it.
    assert set(TERM_UNITS) == set(TERMS)
    weight_fields = {f.name for f in fields(Weights) if f.type == "int"}
    assert {field for _, field in TERM_UNITS.values()} <= weight_fields
