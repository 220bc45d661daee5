"""Hard: pinned assignments are in the roster (model: rules/pinned.py)."""

from __future__ import annotations

from scheduler.checker.case import RosterCase
from scheduler.domain import Violation


def check_pinned_assignments(case: RosterCase) -> list[Violation]:
    """Every pinned assignment inside the plan is in the roster, as pinned."""
    worked = {(a.employee_id, a.day, a.shift_code, a.position) for a in case.assignments}
    horizon = case.horizon
    return [Violation("pinned assignment", pin.employee_id, f"{pin.day}", f"pinned to {pin.shift_code} "
                      f"{pin.position}, not in the roster")
            for pin in case.center.pins
            if 0 <= (pin.day - horizon.start).days < horizon.days
            and (pin.employee_id, pin.day, pin.shift_code, pin.position) not in worked]
