"""Validated domain data: frozen, ortools-free, shared by readers, model, checker and reports.

The package's public surface: every name is imported from `scheduler.domain`; the modules group them by
subject (positions, staff, center, rules, horizon, roster, requirements, forecast, limits; benchmark: a
Curtois & Qu instance).
"""

from scheduler.domain.benchmark import (
    NurseAssignment,
    NurseCover,
    NurseEmployee,
    NurseInstance,
    NurseRequest,
    NurseShift,
)
from scheduler.domain.center import ALL_CLASSES, Center, filled_lines
from scheduler.domain.forecast import Forecast
from scheduler.domain.horizon import HOUR, Horizon, utc_offset, weekend_worked, worked_hours, works_weekend
from scheduler.domain.limits import PlanLimits, ShiftCover
from scheduler.domain.positions import WEEKDAYS, Minimum, Position, PositionKind, ShiftTemplate
from scheduler.domain.requirements import Queue, Requirements
from scheduler.domain.roster import (
    Assignment,
    Cut,
    History,
    PastShift,
    PaySegment,
    Repair,
    Violation,
    on_duty,
)
from scheduler.domain.rules import RULES_FILE, Rules, ServiceTarget, Setting, fairness_groups
from scheduler.domain.staff import (
    LEAVE_TYPES,
    NAMED_PATTERNS,
    TRAINEE,
    DayOffRequest,
    Employee,
    Leave,
    Pattern,
    Pin,
    ShiftPreference,
)

__all__ = [
    "ALL_CLASSES",
    "HOUR",
    "LEAVE_TYPES",
    "NAMED_PATTERNS",
    "RULES_FILE",
    "TRAINEE",
    "WEEKDAYS",
    "Assignment",
    "Center",
    "Cut",
    "DayOffRequest",
    "Employee",
    "Forecast",
    "History",
    "Horizon",
    "Leave",
    "Minimum",
    "NurseAssignment",
    "NurseCover",
    "NurseEmployee",
    "NurseInstance",
    "NurseRequest",
    "NurseShift",
    "PastShift",
    "Pattern",
    "PaySegment",
    "Pin",
    "PlanLimits",
    "Position",
    "PositionKind",
    "Queue",
    "Repair",
    "Requirements",
    "Rules",
    "ServiceTarget",
    "Setting",
    "ShiftCover",
    "ShiftPreference",
    "ShiftTemplate",
    "Violation",
    "fairness_groups",
    "filled_lines",
    "on_duty",
    "utc_offset",
    "weekend_worked",
    "worked_hours",
    "works_weekend",
]
