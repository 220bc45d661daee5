"""Authorized headcount per job class (sheet Authorized): vacancies, and hiring into a class but never past
it."""

from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler.errors import InputError
from scheduler.io.center import read_center
from scheduler.report import coverage_table, summarize
from tests.factory import center, employee, model_data

ROOT = Path(__file__).resolve().parents[1]
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


def test_a_total_alone_caps_every_class_together():
    # Sheet Authorized with the row `all` only: 3 staff of 4, any job class may be hired, but not past 4.
    c = center([employee("A"), employee("B"), employee("T", job_class="trainee")], authorized=(("all", 4),))
    assert c.vacancies() == {"all": 1} and c.authorized_total == 4
    assert len(c.with_hires([employee("D", job_class="dispatcher")]).staff) == 4
    with pytest.raises(InputError, match=r"2 hire\(s\) into all, 1 of 4 authorized positions vacant"):
        c.with_hires([employee("C"), employee("D", job_class="dispatcher")])


def test_a_total_beside_classes_caps_both_and_an_unlisted_class_counts_toward_the_total():
    # 2 telecommunicators of 3 and 3 staff of 4 in all (the trainee class has no row of its own).
    c = center([employee("A"), employee("B"), employee("T", job_class="trainee")],
               authorized=(("telecommunicator", 3), ("all", 4)))
    assert c.vacancies() == {"telecommunicator": 1, "all": 1}
    assert c.with_hires([employee("U", job_class="trainee")]).vacancies() == {"telecommunicator": 1, "all": 0}
    with pytest.raises(InputError, match="into all"):  # one of each: each class fits, the total does not
        c.with_hires([employee("C"), employee("U", job_class="trainee")])
    data = model_data(c)
    summary = summarize((), c, coverage_table((), c, data.rules, data.requirements), [])
    assert (summary.authorized, summary.vacancies) == (4, (("telecommunicator", 1, 3),))


def test_the_reader_takes_a_total_and_names_the_first_staff_row_past_it(tmp_path):
    # The sample's 70 staff under one total of 69: every job class is accepted, and the 70th Staff row (sheet
    # row 71) is named.
    wb = load_workbook(ROOT / "inputs" / "center.xlsx")
    del wb["Authorized"]
    wb.create_sheet("Authorized").append(["job_class", "authorized"])
    wb["Authorized"].append(["all", 69])
    wb.save(tmp_path / "center.xlsx")
    with pytest.raises(InputError) as caught:
        read_center(tmp_path / "center.xlsx")
    assert str(caught.value).startswith(
        "center.xlsx, sheet Staff, row 71, column job_class: 70 filled positions in all, 69 authorized in "
        "sheet Authorized")
    wb["Authorized"]["B2"] = 70
    wb.save(tmp_path / "center.xlsx")
    assert read_center(tmp_path / "center.xlsx").authorized_total == 70


def test_a_bad_total_row_is_one_error_not_one_per_staff_row(tmp_path):
    # The `all` row's count is not a number: that one cell is the error; Staff's job classes, which only the
    # total row would have allowed, are not reported again row by row.
    wb = load_workbook(ROOT / "inputs" / "center.xlsx")
    del wb["Authorized"]
    wb.create_sheet("Authorized").append(["job_class", "authorized"])
    wb["Authorized"].append(["all", "ninety"])
    wb.save(tmp_path / "center.xlsx")
    with pytest.raises(InputError) as caught:
        read_center(tmp_path / "center.xlsx")
    # One error: a single InputError, or InputErrors of one (str adds "(and N more errors)" otherwise).
    assert getattr(caught.value, "total", 1) == 1, str(caught.value)
    assert str(caught.value).startswith("center.xlsx, sheet Authorized, row 2, column authorized")
