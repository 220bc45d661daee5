"""Staffing and shift-scheduling optimizer for consolidated 9-1-1 communications centers."""

__version__ = "0.1.0"
