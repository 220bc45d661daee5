"""The Python API in one import: the readers, then the stages, which read and write no file and take and
return only objects that pickle (a scenario may run them in another process). README.md, section "Python API",
has an example and the list of stages; scheduler.pipeline composes them with the files the CLI reads and
writes."""

from scheduler.call_forecast import CallForecast, forecast_calls
from scheduler.domain import Assignment, Horizon, Repair, Violation
from scheduler.domain.scenario import HiringQuestion, Scenario, ScenarioSet
from scheduler.hiring import meets, with_classes
from scheduler.io.call_log import read_call_log, read_stream_mapping
from scheduler.io.center import read_center
from scheduler.io.forecast import read_forecast
from scheduler.io.history import read_history
from scheduler.io.roster_xlsx import read_roster, shifts_from_rows
from scheduler.io.rules import read_rules
from scheduler.io.scenarios import read_scenarios
from scheduler.model.result import SolveResult
from scheduler.model.settings import PhasedSettings, SolverSettings, StartSettings
from scheduler.plan import Plan, Staffing, check_fit, staffing_tables
from scheduler.repair import Callout, RepairedRoster, RepairRequest, repair_roster, request_repair
from scheduler.roster import Roster, RosterCheck, build_roster, check_roster, sheet_rows, simulate_service
from scheduler.scenarios import PeriodResult, PeriodTask, periods, run_period, scenario_tasks
from scheduler.staffing import compute_requirements
from scheduler.weights import Weights

__all__ = [
    "Assignment",
    "CallForecast",
    "Callout",
    "HiringQuestion",
    "Horizon",
    "PeriodResult",
    "PeriodTask",
    "PhasedSettings",
    "Plan",
    "Repair",
    "RepairRequest",
    "RepairedRoster",
    "Roster",
    "RosterCheck",
    "Scenario",
    "ScenarioSet",
    "SolveResult",
    "SolverSettings",
    "Staffing",
    "StartSettings",
    "Violation",
    "Weights",
    "build_roster",
    "check_fit",
    "check_roster",
    "compute_requirements",
    "forecast_calls",
    "meets",
    "periods",
    "read_call_log",
    "read_center",
    "read_forecast",
    "read_history",
    "read_roster",
    "read_rules",
    "read_scenarios",
    "read_stream_mapping",
    "repair_roster",
    "request_repair",
    "run_period",
    "scenario_tasks",
    "sheet_rows",
    "shifts_from_rows",
    "simulate_service",
    "staffing_tables",
    "with_classes",
]
