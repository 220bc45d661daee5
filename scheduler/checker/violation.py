"""A broken rule as the checker reports it, and the one way it prints a moment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scheduler.domain import Horizon


@dataclass(frozen=True)
class Violation:
    rule: str
    employee_id: str
    when: str
    detail: str

    def __str__(self) -> str:
        who = f"{self.employee_id} " if self.employee_id else ""
        return f"{self.rule}: {who}{self.when}: {self.detail}"


def local_minute(moment: datetime, horizon: Horizon) -> str:
    """A moment in the center's local time, as every violation states it: 'Mon 2026-11-30 19:00'."""
    return f"{moment.astimezone(horizon.tz):%a %Y-%m-%d %H:%M}"
