"""Read a scenario file (TOML; README "Scenarios", sample inputs/scenarios.toml): its layout, types and
ranges, and each scenario's rules overrides through the rules file's own schema. References to the center
(job classes, qualifications, streams, employees) are checked against it by scheduler.scenarios."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from scheduler.domain.scenario import (
    ANSWERING,
    AcademyClass,
    Demand,
    Diversion,
    HiringQuestion,
    Scenario,
    ScenarioSet,
    Separation,
    Training,
)
from scheduler.errors import InputError
from scheduler.io.rules import load_toml, section_of, with_overrides

BASE_KEYS = ("center", "rules", "forecast", "start", "months", "every", "quantile", "seed",
             "emergency_streams", "hourly_pay", "attrition", "training")
SCENARIO_KEYS = ("name", "hire", "attrition", "separations", "authorized", "demand", "answering",
                 "shift_hours", "rules")
HIRE_KEYS = ("start", "size", "job_class", "call_taking", "radio", "shift_length", "contract_hours",
             "academy_months", "call_taking_months", "radio_months", "washout")
TRAINING_KEYS = ("academy_months", "call_taking_months", "radio_months", "washout")
DEMAND_KEYS = ("growth", "handle_time", "divert")
QUESTION_KEYS = ("scenario", "dates", "job_class", "call_taking", "radio", "by", "share", "seconds", "hours",
                 "most", "academy_months", "call_taking_months", "radio_months", "washout")
EVERY = {"month": 1, "quarter": 3}


class _Table:
    """One TOML table of the file, read key by key: each error names the file, the scenario and the key."""

    def __init__(self, values: Any, path: Path, scenario: str | None, prefix: str, known: tuple[str, ...]):
        self.path, self.scenario, self.prefix = path, scenario, prefix
        if not isinstance(values, dict):
            raise self.error(prefix.rstrip(".") or "file", "must be a table", values)
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise self.error(prefix + unknown[0], "unknown key", None, f"use {', '.join(known)}")
        self.values = values

    def error(self, key: str, message: str, value: Any = None, fix: str | None = None) -> InputError:
        return InputError(message, file=self.path, scenario=self.scenario, key=key or None, value=value,
                          fix=fix)

    def get(self, key: str, check: Callable[[Any], Any], default: Any = ..., fix: str | None = None) -> Any:
        if key not in self.values:
            if default is ...:
                raise self.error(self.prefix + key, "missing", fix=fix)
            return default
        value = self.values[key]
        try:
            return check(value)
        except (TypeError, ValueError) as exc:
            raise self.error(self.prefix + key, str(exc), value, fix) from None

    def table(self, key: str, known: tuple[str, ...]) -> _Table:
        return _Table(self.values.get(key, {}), self.path, self.scenario, f"{self.prefix}{key}.", known)


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError("must be text")
    return value.strip()


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError("must be a list of text")
    return tuple(_text(v) for v in value)


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    raise TypeError("must be a date, e.g. 2027-02-01")


def _whole(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"must be a whole number from {low} to {high}")
        return value
    return check


def _number(low: float, high: float, low_open: bool = False) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError("must be a number")
        if not (low < value if low_open else low <= value) or value > high:
            raise ValueError(f"must be a number {'above' if low_open else 'from'} {low:g} "
                             f"{'and at most' if low_open else 'to'} {high:g}")
        return float(value)
    return check


def _named(check: Callable[[Any], Any]) -> Callable[[Any], tuple[tuple[str, Any], ...]]:
    """A table of name -> value, each value checked, as sorted pairs."""
    def read(value: Any) -> tuple[tuple[str, Any], ...]:
        if not isinstance(value, dict):
            raise TypeError("must be a table, e.g. { telecommunicator = 0.19 }")
        pairs = []
        for name, item in value.items():
            try:
                pairs.append((name, check(item)))
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{name}: {exc}") from None
        return tuple(sorted(pairs))
    return read


RATE = _number(0, 0.99)
CHANGE = _number(-1, 10, low_open=True)


def read_scenarios(path: Path) -> ScenarioSet:
    document = load_toml(path, "inputs/scenarios.toml")
    top = _Table(document, path, None, "", ("base", "scenario", "hire"))
    base = top.table("base", BASE_KEYS)
    folder = path.parent
    center, rules, forecast = (folder / base.get(key, _text) for key in ("center", "rules", "forecast"))
    training = _training(base.table("training", TRAINING_KEYS), Training())
    attrition = base.get("attrition", _named(RATE), ())
    raw_rules = load_toml(rules, "inputs/rules.toml") if rules.exists() else None
    scenarios = document.get("scenario", [])
    if not isinstance(scenarios, list) or not scenarios:
        raise top.error("scenario", "no [[scenario]] tables", fix='add at least one, e.g. name = "today"')
    read = [_scenario(item, path, training, dict(attrition), raw_rules, rules) for item in scenarios]
    names = [s.name for s in read]
    repeated = next((n for n in names if names.count(n) > 1), None)
    if repeated is not None:
        raise InputError("two scenarios have this name", file=path, scenario=repeated, key="name")
    return ScenarioSet(
        source=path, center=center, rules=rules, forecast=forecast,
        start=base.get("start", _date),
        months=base.get("months", _whole(1, 36)),
        every=base.get("every", lambda v: EVERY[v] if v in EVERY else _bad("must be month or quarter"),
                       1),
        quantile=base.get("quantile", lambda v: v if v in ("p50", "p90") else _bad("must be p50 or p90"),
                          "p50"),
        seed=base.get("seed", _whole(0, 2**31 - 1), 0),
        emergency_streams=base.get("emergency_streams", _texts, ()),
        hourly_pay=base.get("hourly_pay", _named(_number(0, 1000, low_open=True)), ()),
        training=training,
        scenarios=tuple(read),
        hire=_question(top.table("hire", QUESTION_KEYS), training, names) if "hire" in document else None,
    )


def _question(table: _Table, training: Training, names: list[str]) -> HiringQuestion:
    scenario = table.get("scenario", _text)
    if scenario not in names:
        raise table.error("hire.scenario", "no scenario of this name", scenario,
                          f"use one of {', '.join(names)}")
    dates = table.get("dates", lambda v: tuple(_date(d) for d in _list(v)) or _bad("give at least one date"))
    return HiringQuestion(
        scenario=scenario, dates=dates, job_class=table.get("job_class", _text),
        call_taking=frozenset(table.get("call_taking", _texts)),
        radio=frozenset(table.get("radio", _texts, ())),
        by=table.get("by", _date), share=table.get("share", _number(0, 1, low_open=True)),
        seconds=table.get("seconds", _number(0, 3600, low_open=True)),
        hours=table.get("hours", _number(0, 1, low_open=True)), most=table.get("most", _whole(1, 500), 40),
        training=_training(table, training))


def _bad(message: str) -> Any:
    raise ValueError(message)


def _training(table: _Table, default: Training) -> Training:
    training = Training(
        academy_months=table.get("academy_months", _number(0, 24), default.academy_months),
        call_taking_months=table.get("call_taking_months", _number(0, 36), default.call_taking_months),
        radio_months=table.get("radio_months", _number(0, 48), default.radio_months),
        washout=table.get("washout", RATE, default.washout),
    )
    if training.call_taking_months < training.academy_months:
        raise table.error(table.prefix + "call_taking_months", "floor training comes after the academy",
                          training.call_taking_months, "give call_taking_months at least academy_months")
    if training.radio_months < training.call_taking_months:
        raise table.error(table.prefix + "radio_months", "radio comes after call-taking",
                          training.radio_months, "give radio_months at least call_taking_months")
    return training


def _scenario(values: Any, path: Path, training: Training, attrition: dict[str, float],
              raw_rules: dict | None, rules_path: Path) -> Scenario:
    name = values.get("name") if isinstance(values, dict) else None
    table = _Table(values, path, name if isinstance(name, str) else None, "", SCENARIO_KEYS)
    name = table.get("name", _text)
    hires = table.values.get("hire", [])
    if not isinstance(hires, list):
        raise table.error("hire", "must be a list of [[scenario.hire]] tables", hires)
    separations = table.values.get("separations", [])
    if not isinstance(separations, list):
        raise table.error("separations", "must be a list, e.g. [{ employee = \"E012\", on = 2027-03-01 }]")
    attrition.update(table.get("attrition", _named(RATE), ()))
    demand = table.table("demand", DEMAND_KEYS)
    return Scenario(
        name=name,
        hires=tuple(_hire(_Table(h, path, name, f"hire[{i}].", HIRE_KEYS), training)
                    for i, h in enumerate(hires, start=1)),
        attrition=tuple(sorted(attrition.items())),
        separations=tuple(_separation(_Table(s, path, name, f"separations[{i}].", ("employee", "on")))
                          for i, s in enumerate(separations, start=1)),
        authorized=table.get("authorized", _named(_whole(0, 10_000)), ()),
        demand=Demand(
            growth=demand.get("growth", _named(CHANGE), ()),
            handle_time=demand.get("handle_time", _named(CHANGE), ()),
            diversions=tuple(
                _diversion(_Table(d, path, name, f"demand.divert[{i}].", ("stream", "share", "to")))
                for i, d in enumerate(demand.get("divert", _list, ()), start=1)),
        ),
        answering=table.get("answering", lambda v: v if v in ANSWERING else _bad(
            f"must be one of {', '.join(ANSWERING)}"), "as configured"),
        shift_hours=table.get("shift_hours", _shift_hours, ()),
        rules=_rules(table, raw_rules, rules_path),
    )


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise TypeError("must be a list of tables")
    return value


def _shift_hours(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or not value:
        raise TypeError("must be a list of shift lengths in hours, e.g. [12]")
    return tuple(sorted({_whole(4, 16)(v) for v in value}))


def _hire(table: _Table, training: Training) -> AcademyClass:
    return AcademyClass(
        start=table.get("start", _date),
        size=table.get("size", _whole(1, 500)),
        job_class=table.get("job_class", _text),
        call_taking=frozenset(table.get("call_taking", _texts)),
        radio=frozenset(table.get("radio", _texts, ())),
        shift_length=table.get("shift_length", _whole(4, 16), 8),
        contract_hours=table.get("contract_hours", _number(0, 80), 40.0),
        training=_training(table, training),
    )


def _separation(table: _Table) -> Separation:
    return Separation(table.get("employee", _text), table.get("on", _date))


def _diversion(table: _Table) -> Diversion:
    return Diversion(table.get("stream", _text), table.get("share", _number(0, 1, low_open=True)),
                     table.get("to", _text, None))


def _rules(table: _Table, raw_rules: dict | None, rules_path: Path) -> tuple[tuple[str, Any], ...]:
    """The scenario's rules overrides, each checked by the rules file's schema on top of the base rules."""
    overrides = table.get("rules", lambda v: v if isinstance(v, dict) else _bad("must be a table"), {})
    if not overrides:
        return ()
    if raw_rules is None:
        raise InputError("file not found", file=rules_path, fix="check [base] rules")
    unknown = next((key for key in overrides if section_of(key) is None), None)
    if unknown is not None:
        raise table.error(f"rules.{unknown}", "not a rules-file key", fix="see inputs/rules.toml")
    try:
        with_overrides(raw_rules, overrides, table.path)
    except InputError as exc:
        raise InputError(exc.message, file=table.path, scenario=table.scenario, key="rules", value=exc.value,
                         fix=exc.fix) from None
    return tuple(sorted(overrides.items()))
