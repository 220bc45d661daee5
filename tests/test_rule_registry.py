"""The rule registry (scheduler/model/registry.py) keeps its promise, rule by rule: its model function
`add_*` in scheduler/model/rules/<name>.py, every module there registered once; hard, soft or both, and
saying so alike in the model function's signature, the checker functions it pairs and both modules'
docstrings; its checker functions `check_*` / `penalty_*` in scheduler/checker/<name>.py, every public one of
the checker registered; tests/test_rule_<name>.py with a test where it binds (@pytest.mark.binds) and one
where it is slack (@pytest.mark.slack). And the checker never imports OR-Tools."""

import importlib
import inspect
import pkgutil
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

import scheduler.checker as checker_package
import scheduler.model.rules as rules_package
from scheduler import weights
from scheduler.checker import check_assignments, sheets
from scheduler.model.registry import RULES, Rule

TESTS = Path(__file__).parent
MARKS = ("binds", "slack")
EACH_RULE = pytest.mark.parametrize("rule", RULES, ids=[rule.name for rule in RULES])


def rule_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(rules_package.__path__))


def public_checks(module: ModuleType) -> set:
    """The public check_* and penalty_* functions defined in `module` (not those it imports)."""
    return {function for name, function in inspect.getmembers(module, inspect.isfunction)
            if name.startswith(("check_", "penalty_")) and function.__module__ == module.__name__}


def checker_modules() -> list[ModuleType]:
    return [importlib.import_module(f"scheduler.checker.{m.name}")
            for m in pkgutil.iter_modules(checker_package.__path__)]


# Public checks outside the registry: the assignments one by one (the model states them in its variables,
# tested by tests/test_rule_variables.py) and the workbook's sheets.
NOT_RULES = {check_assignments} | public_checks(sheets)


# --- one rule family, one registration ----------------------------------------------------------------------

def test_the_registry_and_the_rule_modules_are_discovered():
    # Guards the discovery itself (empty lists would make the tests below pass vacuously).
    known = {"consecutive", "coverage", "daily", "hours", "requests", "rest", "trainees"}
    assert known <= set(rule_modules()) and known <= {rule.name for rule in RULES}
    assert len(NOT_RULES) == 4, NOT_RULES


def test_every_rule_module_is_registered_exactly_once():
    names = Counter(rule.name for rule in RULES)
    twice = sorted(name for name, count in names.items() if count > 1)
    assert twice == [], f"rule names registered more than once in registry.RULES: {twice}"
    unregistered = sorted(set(rule_modules()) - set(names))
    assert unregistered == [], f"modules of scheduler/model/rules/ not in registry.RULES: {unregistered}"
    strays = sorted(set(names) - set(rule_modules()))
    assert strays == [], f"registered rules without a module scheduler/model/rules/<name>.py: {strays}"


@EACH_RULE
def test_model_function_is_add_in_the_rules_module(rule: Rule):
    where, add = f"scheduler.model.rules.{rule.name}", rule.add
    assert add.__name__.startswith("add_"), f"rule {rule.name!r}: model function {add.__name__} is no add_*"
    assert add.__module__ == where, (
        f"rule {rule.name!r}: model function {add.__name__} is defined in {add.__module__}, not {where}")


# --- hard, soft or both, said alike everywhere --------------------------------------------------------------

@EACH_RULE
def test_hard_soft_or_both_and_says_so_consistently(rule: Rule):
    assert rule.hard or rule.soft, f"rule {rule.name!r}: neither a check (hard) nor a penalty (soft)"
    takes_weights = "weights" in inspect.signature(rule.add).parameters
    wrong = ("takes `weights` but the rule has no penalty" if takes_weights
             else "does not take `weights` but the rule has a penalty")
    assert takes_weights == rule.soft, f"rule {rule.name!r}: {rule.add.__name__} {wrong}"
    if not takes_weights:  # a model function without penalty terms states a hard rule: it needs its check
        assert rule.hard, f"rule {rule.name!r}: hard (no `weights`) but without a check"


@EACH_RULE
def test_docstrings_say_hard_and_soft_as_the_registry(rule: Rule):
    # The model module's and the checker module's docstrings name the rule's hard part ("Hard") and soft part
    # ("Soft") exactly when the registry pairs a check and a penalty.
    for module in (inspect.getmodule(rule.add), importlib.import_module(f"scheduler.checker.{rule.name}")):
        doc = module.__doc__ or ""
        for word, has in (("Hard", rule.hard), ("Soft", rule.soft)):
            said = re.search(rf"\b{word}\b", doc) is not None
            assert said == has, (f"rule {rule.name!r}: the docstring of {module.__name__} "
                                 + (f"says {word!r} but the rule has no such part" if said
                                    else f"does not say {word!r} though the rule has that part"))


@EACH_RULE
def test_checker_functions_are_named_and_placed_as_the_rule(rule: Rule):
    where = f"scheduler.checker.{rule.name}"
    for kind, function in (("check", rule.check), ("penalty", rule.penalty)):
        if function is None:
            continue
        name, defined = function.__name__, function.__module__
        assert name.startswith(f"{kind}_"), f"rule {rule.name!r}: its {kind} {name} is not named {kind}_*"
        assert defined == where, f"rule {rule.name!r}: its {kind} {name} is defined in {defined}, not {where}"


def test_every_public_check_of_the_checker_is_registered():
    registered = Counter(f for rule in RULES for f in (rule.check, rule.penalty) if f is not None)
    twice = sorted(f.__name__ for f, count in registered.items() if count > 1)
    assert twice == [], f"checker functions registered for more than one rule: {twice}"
    public = set().union(*(public_checks(module) for module in checker_modules()))
    unregistered = sorted(f"{f.__module__}.{f.__name__}" for f in public - NOT_RULES - set(registered))
    assert unregistered == [], f"public checker functions no rule in registry.RULES registers: {unregistered}"


def test_the_checker_never_imports_ortools():
    # Independent of the model: neither the checker nor what it imports (weights, domain, staffing) loads
    # OR-Tools.
    code = "import scheduler.checker, sys; assert 'ortools' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


# --- tests where each rule binds and where it is slack ------------------------------------------------------

def marked(module: ModuleType, mark: str) -> list[str]:
    """The test functions of `module` that carry @pytest.mark.<mark>."""
    return [name for name, function in inspect.getmembers(module, inspect.isfunction)
            if name.startswith("test_") and any(m.name == mark for m in getattr(function, "pytestmark", []))]


@EACH_RULE
def test_rule_has_tests_where_it_binds_and_where_it_is_slack(rule: Rule):
    path = TESTS / f"test_rule_{rule.name}.py"
    assert path.is_file(), f"rule {rule.name!r}: no test module tests/{path.name}"
    module = importlib.import_module(f"tests.{path.stem}")
    missing = [mark for mark in MARKS if not marked(module, mark)]
    assert missing == [], (f"rule {rule.name!r}: tests/{path.name} has no test marked "
                           + " nor ".join(f"@pytest.mark.{mark}" for mark in missing))


def test_the_rules_built_into_the_variables_have_their_test_module():
    # qualification, leave and shift templates/bids: the model states them in variables.py, the checker in
    # check_assignments (outside the registry).
    assert (TESTS / "test_rule_variables.py").is_file()


def test_every_term_a_soft_rule_names_has_its_place_in_the_reports():
    """weights.TERMS orders the objective's terms in reports (recompute_penalties sorts by it): every term
    name weights.py declares is in it, once."""
    names = {value for name, value in vars(weights).items() if name.isupper() and isinstance(value, str)}
    assert sorted(weights.TERMS) == sorted(names)
