"""Authorized headcount per job class (sheet Authorized): vacancies, and hiring into a class but never past
it."""

import pytest

from scheduler.errors import InputError
from scheduler.report import coverage_table, summarize
from tests.factory import center, employee, model_data

BUDGET = (("telecommunicator", 3), ("trainee", 1), ("supervisor", 0))


def tiny():
    # 2 telecommunicators of 3 authorized, 1 trainee of 1, no supervisor of 0.
    return center([employee("A"), employee("B"), employee("T", job_class="trainee")], authorized=BUDGET)


def test_vacancies_per_class_trainees_fill_positions():
    assert tiny().vacancies() == {"telecommunicator": 1, "trainee": 0, "supervisor": 0}


def test_hire_into_a_vacancy():
    hired = tiny().with_hires([employee("C")])
    assert [e.id for e in hired.staff] == ["A", "B", "T", "C"]
    assert hired.vacancies()["telecommunicator"] == 0
    assert "C" in hired.employees_by_id  # a new center, not the old one's cached lookups


@pytest.mark.parametrize(("hires", "words"), [
    ([employee("C"), employee("D")],
     ["2 hire(s) into telecommunicator", "1 of 3 authorized positions vacant"]),
    ([employee("U", job_class="trainee")], ["trainee", "0 of 1"]),
    ([employee("S", job_class="dispatcher")], ["no authorized count", "dispatcher"]),
    ([employee("A")], ["already in use", "'A'"]),
    ([employee("C"), employee("C", job_class="trainee")], ["already in use", "'C'"]),
])
def test_hiring_past_the_budget_is_refused(hires, words):
    with pytest.raises(InputError) as caught:
        tiny().with_hires(hires)
    for word in words:
        assert word in str(caught.value)


def test_no_authorized_rows_means_no_caps():
    # An empty sheet Authorized: the reader takes any job_class, and so does hiring.
    c = center([employee("A")])
    assert c.vacancies() == {}
    assert len(c.with_hires([employee("B", job_class="dispatcher")]).staff) == 2


def test_summary_reports_vacancies_per_class():
    data = model_data(tiny())
    summary = summarize((), tiny(), coverage_table((), tiny(), data.rules, data.requirements), [])
    assert summary.vacancies == (("telecommunicator", 1, 3), ("trainee", 0, 1), ("supervisor", 0, 0))
