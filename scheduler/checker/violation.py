"""The one way a violation states a moment."""

from __future__ import annotations

from datetime import datetime

from scheduler.domain import Horizon


def local_minute(moment: datetime, horizon: Horizon) -> str:
    """A moment in the center's local time, as every violation states it: 'Mon 2026-11-30 19:00'."""
    return f"{moment.astimezone(horizon.tz):%a %Y-%m-%d %H:%M}"
