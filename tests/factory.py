"""Tiny in-memory centers for rule tests: 2-3 employees, 1-3 days, one or two positions."""

from __future__ import annotations

import importlib.util
from datetime import date, time, timedelta
from pathlib import Path
from types import ModuleType

import numpy as np
from openpyxl import Workbook

from scheduler.domain import (
    Center,
    Employee,
    History,
    Horizon,
    PastShift,
    Position,
    PositionKind,
    Requirements,
    Rules,
    ShiftTemplate,
)
from scheduler.model.data import ModelData

START = date(2026, 11, 30)  # a Monday; America/Chicago has no DST change that week
DAY8 = ShiftTemplate("D8", time(7), 8, "Day 8")
EVE8 = ShiftTemplate("E8", time(15), 8, "Evening 8")
NIGHT8 = ShiftTemplate("N8", time(23), 8, "Night 8")
RADIO = Position("radio", "Radio", PositionKind.RADIO, "RAD")
CALLS = Position("ct", "Call-taker", PositionKind.CALL_TAKING, "CT", ("911",))


def employee(eid: str, quals: str = "RAD", length: int = 8, **kwargs) -> Employee:
    """An employee with no weekly minimum unless contract_hours says so (short horizons have no full week)."""
    return Employee(id=eid, name=f"Name {eid}", job_class=kwargs.pop("job_class", "telecommunicator"),
                    qualifications=frozenset(quals.split(",")), shift_length=length,
                    hire_date=kwargs.pop("hire_date", date(2020, 1, 1)), **kwargs)


def center(staff, shifts=(DAY8, EVE8, NIGHT8), positions=(RADIO,), **kwargs) -> Center:
    return Center(source=Path("tiny.xlsx"), staff=tuple(staff), shifts=tuple(shifts),
                  positions=tuple(positions), **kwargs)


def rules(**kwargs) -> Rules:
    return Rules(center_name="Tiny", timezone="America/Chicago", **kwargs)


def model_data(c: Center, days: int = 1, required: dict[str, list[int] | int] | None = None,
               r: Rules | None = None, past: tuple[tuple, ...] | None = None) -> ModelData:
    """required: per position, a list of per-hour seats, or one number for every hour (default 0). past: a
    previous roster's shifts (employee, day index before the plan like -1, template, holdover hours actually
    worked[, position id, default radio]); () is a previous roster without shifts, None none at all (the plan
    is a cycle)."""
    r = r or rules()
    horizon = Horizon(START, days, r.tz)
    seats = {}
    for p in c.positions:
        value = (required or {}).get(p.id, 0)
        seats[p.id] = np.array(value if isinstance(value, list) else [value] * horizon.n_slots, dtype=int)
    floor = {p: np.zeros(horizon.n_slots, dtype=int) for p in seats}
    history = None if past is None else History(Path("previous.xlsx"), START, r.history_days, tuple(
        PastShift(eid, START + timedelta(days=day), position[0] if position else RADIO.id,
                  *horizon.shift_window(day, template), held)
        for eid, day, template, held, *position in past))
    return ModelData(c, r, horizon, Requirements(horizon, seats, floor, {}), history=history)


def hours(day: int, start: int, end: int, n_slots: int) -> list[int]:
    """1 in the slots from `start` to `end` o'clock on `day`, else 0 (a requirement shape)."""
    out = [0] * n_slots
    for h in range(24 * day + start, 24 * day + end):
        out[h] = 1
    return out


def save_sheets(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook of `sheets` (name -> rows, the header first), saved at `path`."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def load_script(path: Path, name: str) -> ModuleType:
    """A script outside the package (benchmarks/, inputs/) imported as module `name`."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
