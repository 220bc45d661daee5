"""Per-position caps on uncovered seats in any hour, `max_shortfall` (hard, rules/vacancy_caps.py)."""

from pathlib import Path

import pytest

from scheduler.checker import check_vacancy_caps
from scheduler.errors import InputError, SolveError
from scheduler.io.rules import read_rules
from scheduler.model.solve import solve
from scheduler.weights import Weights
from tests.checked import OVER, SETTINGS, SHORT, case_of, shifts, solve_checked
from tests.factory import CALLS, RADIO, center, employee, hours, model_data, rules

FLAT = Weights(coverage="flat")  # every uncovered position-hour costs 1000, call-taking or radio
# One person for two positions on day 0: radio needs a seat 07-11 (4 h), call-taking 07-15 (8 h). Uncapped, A
# takes the D8 on call-taking (8 h covered beats 4 h).
NEED = {"radio": hours(0, 7, 11, 24), "ct": hours(0, 7, 15, 24)}
ONE = center([employee("A", "RAD,CT")], positions=(RADIO, CALLS))


def test_vacancy_caps_slack_uncapped():
    # No caps (the default): A on call-taking, the radio's 4 h short, nothing overstaffed.
    result = solve_checked(model_data(ONE, required=NEED), FLAT)
    assert shifts(result) == [("A", 0, "D8", "ct")]
    assert result.penalties[SHORT] == 4 * 1000
    assert result.penalties[OVER] == 0


@pytest.mark.slack
def test_vacancy_caps_slack_cap_not_reached():
    # A radio cap of 1 seat is never exceeded (1 seat needed at most): same roster.
    data = model_data(ONE, required=NEED, r=rules(max_shortfall=(("radio", 1),)))
    result = solve_checked(data, FLAT)
    assert shifts(result) == [("A", 0, "D8", "ct")]
    assert result.penalties[SHORT] == 4 * 1000


@pytest.mark.binds
def test_vacancy_caps_binds_radio_cap_zero():
    # Radio may never be short: A must take the radio D8, covering 07-11 and overstaffing 11-15 (4 h); the
    # call-taking seat's 8 h go short.
    data = model_data(ONE, required=NEED, r=rules(max_shortfall=(("radio", 0),)))
    result = solve_checked(data, FLAT)
    assert shifts(result) == [("A", 0, "D8", "radio")]
    assert result.penalties[SHORT] == 8 * 1000
    assert result.penalties[OVER] == 4


def test_vacancy_caps_binds_to_infeasible():
    # Two radio seats 07-15 with one person and cap 0: no roster meets the cap -> INFEASIBLE (intended: the
    # cap is a promise the staff cannot keep). Cap 1 is met by A alone.
    need = {"radio": [2 * v for v in hours(0, 7, 15, 24)]}
    c = center([employee("A")])
    with pytest.raises(SolveError, match="INFEASIBLE"):
        solve(model_data(c, required=need, r=rules(max_shortfall=(("radio", 0),))), settings=SETTINGS)
    result = solve_checked(model_data(c, required=need, r=rules(max_shortfall=(("radio", 1),))))
    assert shifts(result) == [("A", 0, "D8", "radio")]


def test_vacancy_caps_binds_to_infeasible_when_nobody_can_cover():
    # Nobody is qualified for call-taking and a seat is needed: cap 0 cannot hold.
    c = center([employee("A")], positions=(RADIO, CALLS))
    data = model_data(c, required={"ct": hours(0, 7, 8, 24)}, r=rules(max_shortfall=(("ct", 0),)))
    with pytest.raises(SolveError, match="INFEASIBLE"):
        solve(data, FLAT, SETTINGS)


def test_checker_flags_shortfall_over_the_cap():
    # The uncapped roster (radio short 07-11) checked against a radio cap of 0: one violation, 4 hours over.
    free = model_data(ONE, required=NEED)
    roster = list(solve_checked(free, FLAT).assignments)
    found = check_vacancy_caps(case_of(free, roster, rules=rules(max_shortfall=(("radio", 0),))))
    assert len(found) == 1 and "radio" in found[0].detail and "(4 hour(s) over the cap)" in found[0].detail


def test_read_max_shortfall(tmp_path: Path):
    path = tmp_path / "rules.toml"
    path.write_text('[center]\nname = "X"\ntimezone = "America/Chicago"\n'
                    '[labor]\nmax_shortfall = { police_radio = 0, police_ct = 1 }\n', encoding="utf-8")
    assert read_rules(path).vacancy_caps == {"police_radio": 0, "police_ct": 1}
    path.write_text('[center]\nname = "X"\ntimezone = "America/Chicago"\n'
                    '[labor]\nmax_shortfall = { police_radio = -1 }\n', encoding="utf-8")
    with pytest.raises(InputError, match="max_shortfall.police_radio"):
        read_rules(path)
