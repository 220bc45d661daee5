"""The scale curve's generator (benchmarks/scale_curve.py): a center of the asked size and the sample's shape,
with its requirements computed; nothing is solved."""

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from scheduler.pipeline import load_inputs
from tests.factory import load_script

ROOT = Path(__file__).resolve().parent.parent


def _scale_curve():
    return load_script(ROOT / "benchmarks" / "scale_curve.py", "scale_curve")


def test_fifty_staff_week_keeps_the_sample_mix_and_has_requirements():
    data = _scale_curve().generate(50, 1)
    ids = [e.id for e in data.center.staff]
    assert len(ids) == len(set(ids)) == 50
    # Less than one whole sample: 50 people over its 58 telecommunicators and 8 supervisors (no trainees, who
    # come with whole copies only) is 43.9/6.1: floors 43/6, the larger remainder gets the last person.
    assert Counter(e.job_class for e in data.center.staff) == {"telecommunicator": 44, "supervisor": 6}
    assert data.horizon.days == 7
    assert set(data.requirements.required) == {p.id for p in data.center.positions}
    assert all(len(r) == 7 * 24 and r.min() >= 0 for r in data.requirements.required.values())
    assert sum(int(r.sum()) for r in data.requirements.required.values()) > 0
    # Leave, requests and preferences name only people of the generated center (the solver would fail else).
    people = set(ids)
    assert {lv.employee_id for lv in data.center.leave} <= people
    assert {x.employee_id for x in (*data.center.requests, *data.center.preferences)} <= people


def test_seventy_staff_week_is_the_sample_week():
    # At the sample's own size the generator must give back the sample: its people and its requirements.
    data = _scale_curve().generate(70, 1)
    sample = load_inputs(ROOT / "inputs/center.xlsx", ROOT / "inputs/rules.toml",
                         ROOT / "forecasts/sample-week-2026-11-30.csv", date(2026, 11, 30), 7)
    assert sorted(data.center.staff, key=lambda e: e.id) == sorted(sample.center.staff, key=lambda e: e.id)
    assert data.center.minimums == sample.center.minimums
    assert all(np.array_equal(data.requirements.required[p], sample.requirements.required[p])
               for p in sample.requirements.required)


def test_copies_keep_their_originals_leave_every_week():
    scale_curve = _scale_curve()
    one, two = scale_curve.generate(140, 1), scale_curve.generate(140, 2)
    # 140 is the sample twice: each copy has its original's leave days of the sample week, and two weeks twice
    # as many leave entries, the second week's 7 days later.
    assert len(one.center.leave) == 2 * len([lv for lv in one.center.leave if "-" not in lv.employee_id])
    assert len(two.center.leave) == 2 * len(one.center.leave)
    first = {(lv.employee_id, lv.start, lv.end) for lv in one.center.leave}
    week = timedelta(weeks=1)
    second = {(lv.employee_id, lv.start - week, lv.end - week) for lv in two.center.leave
              if lv.start > date(2026, 12, 6)}
    assert second == first
    assert min(lv.start for lv in two.center.leave) >= date(2026, 11, 30)  # clipped to the plan
