"""The bundled sample center: where its files are and how its call history is read.

`scheduler demo` starts from the center's call history: it forecasts the plan week, then staffs and rosters
it. `inputs/build_sample.py` writes the shipped sample forecast with the same call, so the two always agree.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from scheduler.errors import InputError
from scheduler.io.call_log import read_call_log, read_stream_mapping
from scheduler.io.rules import read_rules
from scheduler.pipeline import ForecastOutcome, forecast_from_history

PATHS = {"center": Path("inputs/center.xlsx"), "rules": Path("inputs/rules.toml"),
         "history": Path("inputs/call-history.csv"), "lines": Path("inputs/lines.toml")}
WEEK = date(2026, 11, 30)
# Columns of the ACD export: hour start, phone line, calls that hour.
HISTORY_COLUMNS = {"timestamp_column": "hour_start", "type_column": "line", "count_column": "calls"}


def find() -> dict[str, Path]:
    """The sample center from the current folder, else from the source checkout this package runs from."""
    for root in (Path.cwd(), Path(__file__).resolve().parent.parent):
        if all((root / p).exists() for p in PATHS.values()):
            return {k: root / p for k, p in PATHS.items()}
    raise InputError(
        "the sample center is not here: scheduler demo needs " + ", ".join(map(str, PATHS.values())),
        fix="run it from the root of a clone of the repository, or use scheduler build with your own files",
    )


def forecast_week(paths: dict[str, Path], out_dir: Path) -> ForecastOutcome:
    """Forecast the sample week from the sample call history (US holidays, the center's time zone)."""
    timezone = read_rules(paths["rules"]).timezone
    mapping = read_stream_mapping(paths["lines"])
    history = read_call_log(paths["history"], timezone=timezone, mapping=mapping, **HISTORY_COLUMNS)
    return forecast_from_history(history, WEEK, 1, out_dir)
