"""The shipped sample center is what inputs/build_sample.py makes: regenerating it changes nothing."""

import csv
from pathlib import Path

from tests.factory import load_script

ROOT = Path(__file__).resolve().parents[1]


def load_build_sample():
    return load_script(ROOT / "inputs" / "build_sample.py", "build_sample")


def test_call_history_is_the_scripts_output(tmp_path):
    script = load_build_sample()
    rng = script.np.random.default_rng(script.SEED)
    people = script.build_staff(rng)  # the history draws come after the workbook's, from the same generator
    _, taken = script.build_leave(rng, people)
    script.build_requests(rng, people, taken)
    script.write_call_history(tmp_path / "history.csv", script.build_call_history(rng))
    assert (tmp_path / "history.csv").read_text() == (ROOT / "inputs" / "call-history.csv").read_text()


def test_call_history_covers_twenty_weeks_of_every_line():
    with (ROOT / "inputs" / "call-history.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    # 20 weeks of hours plus the repeated 01:00 of Sun 2026-11-01, when Central time falls back, for 4 lines
    assert len(rows) == (20 * 168 + 1) * 4
    lines = {"9-1-1 police", "9-1-1 fire/EMS", "10-digit police", "10-digit fire"}
    assert {row["line"] for row in rows} == lines
    assert rows[0]["hour_start"] == "2026-07-13T00:00:00-05:00"
    assert rows[-1]["hour_start"] == "2026-11-29T23:00:00-06:00"
