"""Every rule module in scheduler/model/rules/ has its own tests/test_rule_<module>.py, so no rule lands
untested."""

import pkgutil
from pathlib import Path

import scheduler.model.rules as rules_package

TESTS = Path(__file__).parent


def rule_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(rules_package.__path__))


def test_rule_modules_are_discovered():
    # Guards the discovery itself (an empty list would make the next test pass vacuously).
    assert {"consecutive", "coverage", "daily", "hours", "requests", "rest", "trainees"} \
        <= set(rule_modules())


def test_every_rule_module_has_a_test_file():
    missing = [name for name in rule_modules() if not (TESTS / f"test_rule_{name}.py").is_file()]
    assert missing == [], f"rule modules without tests/test_rule_<name>.py: {missing}"


def test_rules_built_into_the_variables_have_a_test_file():
    # qualification, leave and shift templates/bids are enforced in variables.py
    assert (TESTS / "test_rule_variables.py").is_file()
