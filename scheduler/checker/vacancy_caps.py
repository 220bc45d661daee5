"""Hard: caps on the shortfall per position and hour (model: rules/vacancy_caps.py)."""

from __future__ import annotations

import numpy as np

from scheduler.checker.case import RosterCase
from scheduler.checker.violation import local_minute
from scheduler.domain import Violation


def check_vacancy_caps(case: RosterCase) -> list[Violation]:
    """Per capped position and hour: required - scheduled (non-trainees; domain.on_duty) is at most the
    cap."""
    required = case.requirements.required
    found = []
    for position, cap in case.rules.max_shortfall:
        if position not in required:
            found.append(Violation("vacancy cap", "", position, "unknown position in max_shortfall"))
            continue
        short = required[position] - case.on_duty[position]
        over = np.flatnonzero(short > cap)
        if len(over):
            hour = int(over[0])
            when = local_minute(case.horizon.slot_start(hour), case.horizon)
            found.append(Violation("vacancy cap", "", when,
                                   f"{position}: {short[hour]} seat(s) uncovered, cap {cap}"
                                   f" ({len(over)} hour(s) over the cap)"))
    return found
