"""What the staffing stage hands the model: seats needed per position and hour, and the call-takers'
queues."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scheduler.domain.horizon import Horizon


@dataclass(frozen=True)
class Queue:
    """One answering queue: the streams it pools, calls and call-weighted handle time per slot."""

    streams: tuple[str, ...]
    calls: np.ndarray
    aht: np.ndarray


@dataclass(frozen=True)
class Requirements:
    """The staffing stage's answer: seats needed per position and hour, and the queues behind the
    call-takers'."""

    horizon: Horizon
    required: dict[str, np.ndarray]  # position id -> whole seats per slot
    floor: dict[str, np.ndarray]  # position id -> the Minimums floor per slot
    queues: dict[str, Queue]  # call-taking position id -> its queue
