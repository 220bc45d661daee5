"""The checker's structure (scheduler/checker/): free of OR-Tools, and every rule check in its registry."""

import importlib
import inspect
import pkgutil
import subprocess
import sys

import scheduler.checker
from scheduler.checker import check_assignments
from scheduler.checker.sheets import check_coverage_sheet, check_open_shifts, check_pay_codes
from scheduler.model.registry import HARD_CHECKS, PENALTIES

# Checks outside the registry: the assignments one by one (check_rules runs it first) and the workbook's
# sheets.
NOT_RULES = {check_assignments, check_coverage_sheet, check_open_shifts, check_pay_codes}


def test_the_checker_never_imports_ortools():
    # Independent of the model: neither the checker nor what it imports (weights, domain, staffing) loads
    # OR-Tools.
    code = "import scheduler.checker, sys; assert 'ortools' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def public_checks() -> set:
    """Every public check_* and penalty_* function defined in a module of the package."""
    found = set()
    for module_info in pkgutil.iter_modules(scheduler.checker.__path__):
        module = importlib.import_module(f"scheduler.checker.{module_info.name}")
        found |= {function for name, function in inspect.getmembers(module, inspect.isfunction)
                  if name.startswith(("check_", "penalty_")) and function.__module__ == module.__name__}
    return found


def test_every_check_is_registered():
    registered = set(HARD_CHECKS) | set(PENALTIES)
    assert len(registered) == len(HARD_CHECKS) + len(PENALTIES), "a check listed twice"
    assert public_checks() - NOT_RULES == registered


def test_hard_checks_and_penalties_are_named_as_their_kind():
    assert all(check.__name__.startswith("check_") for check in HARD_CHECKS)
    assert all(penalty.__name__.startswith("penalty_") for penalty in PENALTIES)
