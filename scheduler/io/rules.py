"""Read the rules file (TOML): center identity, service target and labor rules.

The file's layout, types, ranges and defaults are declared once, on the Rules fields (domain.rules.setting);
the file itself is documented in inputs/rules.toml."""

from __future__ import annotations

import json
import textwrap
import tomllib
from dataclasses import MISSING, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from scheduler.domain import RULES_FILE, Rules, ServiceTarget, Setting
from scheduler.errors import InputError


def _layout() -> dict[str, dict[str, tuple[str, Setting]]]:
    """Section -> TOML key -> (Rules field, Setting), in the declaration's order."""
    layout: dict[str, dict[str, tuple[str, Setting]]] = {}
    for field in fields(Rules):
        setting = field.metadata[RULES_FILE]
        layout.setdefault(setting.section, {})[setting.key or field.name] = (field.name, setting)
    return layout


LAYOUT = _layout()
# (section, TOML key, Rules field) of the settings without a default.
REQUIRED = tuple((f.metadata[RULES_FILE].section, f.metadata[RULES_FILE].key or f.name, f.name)
                 for f in fields(Rules) if f.default is MISSING)


def load_toml(path: Path, sample: str) -> dict:
    """A TOML file as a dict; a missing or malformed file is an InputError (`sample` names the shipped
    example)."""
    if not path.exists():
        raise InputError("file not found", file=path, fix=f"check the path (the sample is {sample})")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid TOML: {exc}", file=path) from exc


def read_rules(path: Path) -> Rules:
    return rules_from(load_toml(path, "inputs/rules.toml"), path)


def section_of(key: str) -> str | None:
    """The rules file's section that holds `key` (None: no such key)."""
    return next((section for section, keys in LAYOUT.items() if key in keys), None)


def with_overrides(raw: dict, overrides: dict[str, Any], path: Path) -> Rules:
    """Rules from a rules file's TOML document with `overrides` (rules-file key -> value, each a key of
    some section: section_of) set over it."""
    merged = {section: dict(values) if isinstance(values, dict) else values  # a bad section: rules_from says
              for section, values in raw.items()}
    for key, value in overrides.items():
        merged.setdefault(section_of(key), {})[key] = value
    return rules_from(merged, path)


def rules_from(raw: dict, path: Path) -> Rules:
    """Rules from a rules file's TOML document (`path` names it in errors)."""
    given = _typed_values(raw, path)
    _check_center(given, path)
    if "service_targets" in given:
        given["service_targets"] = _service_targets(given["service_targets"], path)
    _check_ranges(given, path)
    caps = given.get("max_shortfall", {})
    _check_pay_lists(given, path)
    lists = {name: tuple(given[name]) for name in ("holiday_dates", "unpaid_leave") if name in given}
    rules = Rules(**{**given, "max_shortfall": tuple(sorted(caps.items())), **lists})
    _check_night_hours(rules, path)
    _check_evening_start(rules, path)
    _check_vacancy_caps(caps, path)
    _check_patience(rules, path)
    _check_handle_cv(rules, path)
    _check_holiday_calendar(rules, path)
    return rules


def _typed_values(raw: dict, path: Path) -> dict[str, Any]:
    """Rules field -> value of every key the file gives, each of its declared type."""
    given = {}
    for section, values in raw.items():
        if section not in LAYOUT or not isinstance(values, dict):
            raise InputError(f"unknown section [{section}]", file=path, fix=f"use {', '.join(LAYOUT)}")
        for key, value in values.items():
            if key not in LAYOUT[section]:
                raise InputError(f"unknown key {key!r} in [{section}]", file=path,
                                 fix=f"use {', '.join(LAYOUT[section])}")
            name, kind = LAYOUT[section][key][0], LAYOUT[section][key][1].kind
            ok = isinstance(value, kind) or (kind is float and isinstance(value, int))
            if kind is date and not _is_date(value):
                raise InputError(f"[{section}] {key} must be a date", file=path, value=value,
                                 fix=f"write a TOML date, without quotes: {key} = 2026-11-29")
            if not ok or (isinstance(value, bool) and kind is not bool):
                what = "true or false" if kind is bool else f"a {kind.__name__}"
                raise InputError(f"[{section}] {key} must be {what}", file=path, value=value)
            given[name] = value
    return given


def _check_center(given: dict[str, Any], path: Path) -> None:
    for section, key, name in REQUIRED:
        if name not in given:
            raise InputError(f"[{section}] needs {key}", file=path)
    try:
        ZoneInfo(given["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError("unknown time zone", file=path, value=given["timezone"],
                         fix="use an IANA name such as America/Chicago") from None


def _service_targets(items: list, path: Path) -> tuple[ServiceTarget, ...]:
    targets = []
    for item in items or [None]:
        numbers = isinstance(item, list) and len(item) == 2 and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in item)
        if not (numbers and 0 < item[0] < 1 and item[1] > 0):
            raise InputError("[service] targets are [fraction, seconds] pairs, e.g. [[0.90, 15], [0.95, 20]]",
                             file=path, value=item)
        targets.append(ServiceTarget(float(item[0]), float(item[1])))
    return tuple(targets)


def _check_ranges(given: dict[str, Any], path: Path) -> None:
    for section in LAYOUT.values():
        for name, setting in section.values():
            if name in given and not setting.in_range(given[name]):
                key = setting.key or name
                raise InputError(f"{key} out of range", file=path, value=given[name],
                                 fix=f"give {key} {setting.bounds}")


def _check_night_hours(rules: Rules, path: Path) -> None:
    if rules.night_end_hour > rules.night_start_hour:
        raise InputError("night_end_hour is after night_start_hour", file=path,
                         value=(rules.night_start_hour, rules.night_end_hour),
                         fix="a night shift starts at or after night_start_hour or before night_end_hour, "
                             "e.g. 18 and 5")


def _check_evening_start(rules: Rules, path: Path) -> None:
    if not rules.night_end_hour <= rules.evening_start_hour <= rules.night_start_hour:
        raise InputError("evening_start_hour is outside the day (between night_end_hour and "
                         "night_start_hour)", file=path, value=rules.evening_start_hour,
                         fix=f"use an hour from {rules.night_end_hour} to {rules.night_start_hour}, e.g. 12")


def _check_vacancy_caps(caps: dict[str, Any], path: Path) -> None:
    for position, cap in caps.items():
        if not isinstance(cap, int) or isinstance(cap, bool) or cap < 0:
            raise InputError(f"[labor] max_shortfall.{position} must be a whole number of seats, 0 or more",
                             file=path, value=cap, fix="e.g. max_shortfall = { police_radio = 0 }")


def _check_patience(rules: Rules, path: Path) -> None:
    if rules.queue_model == "A" and rules.patience_seconds is None:
        raise InputError("[service] model = \"A\" (Erlang A, with abandonment) needs patience_seconds",
                         file=path, fix="give the mean caller patience, e.g. patience_seconds = 120, or use "
                                        "model = \"C\"")


def _check_handle_cv(rules: Rules, path: Path) -> None:
    if rules.handle_time == "exponential" and rules.handle_cv != 1.0:
        raise InputError("handle_cv applies to lognormal handle times", file=path,
                         fix='set handle_time = "lognormal", or leave handle_cv out')


def _is_date(value: Any) -> bool:
    """A TOML date (a date-time is a date to Python, not to the rules file)."""
    return isinstance(value, date) and not isinstance(value, datetime)


def _check_pay_lists(given: dict[str, Any], path: Path) -> None:
    for value in given.get("holiday_dates", []):
        if not _is_date(value):
            raise InputError("[pay] holiday_dates must be a list of dates", file=path, value=value,
                             fix="write TOML dates, without quotes: holiday_dates = [2026-12-24, 2026-12-31]")
    for value in given.get("unpaid_leave", []):
        if not isinstance(value, str) or not value:
            raise InputError("[pay] unpaid_leave must be a list of leave types", file=path, value=value,
                             fix='as in sheet Leave, e.g. unpaid_leave = ["FMLA"]')


def _check_holiday_calendar(rules: Rules, path: Path) -> None:
    if rules.holiday_subdivision and not rules.holiday_country:
        raise InputError("[pay] holiday_subdivision needs holiday_country", file=path,
                         value=rules.holiday_subdivision, fix='e.g. holiday_country = "US"')
    if not rules.holiday_country:
        return
    try:
        holidays.country_holidays(rules.holiday_country, subdiv=rules.holiday_subdivision or None)
    except (NotImplementedError, KeyError) as exc:  # the holidays package knows no such country/subdivision
        raise InputError(f"[pay] unknown holiday calendar ({exc})", file=path,
                         value=(rules.holiday_country, rules.holiday_subdivision),
                         fix='use a country code and subdivision such as "US" and "MO", or '
                             'holiday_country = "" for explicit holiday_dates only') from None


def rules_text(center_name: str, timezone: str) -> str:
    """A rules file for a new center (`scheduler init`): [center] given, every other key commented out with
    its default and what it does, from the Rules fields' declarations, so it cannot drift from the reader."""
    lines = ["# The rules `scheduler build` plans by. [center] is required; every other key is optional",
             "# and shown commented out with its default, the value used while it stays so: remove the",
             "# leading '# ' to set it. The sample's inputs/rules.toml gives the reasons for its choices."]
    given = {"center_name": center_name, "timezone": timezone}
    for section, keys in LAYOUT.items():
        lines += ["", f"[{section}]"]
        for key, (name, setting) in keys.items():
            lines += textwrap.wrap(setting.doc, 108, initial_indent="# ", subsequent_indent="# ")
            value = given.get(name)
            line = (f"{key} = {_toml(value)}" if value is not None
                    else f"# {key} = {_toml(_default(name), setting.kind)}")
            lines.append(f"{line:<40}# {setting.bounds}" if setting.bounds else line)
    return "\n".join(lines) + "\n"


def _default(name: str) -> Any:
    return next(f.default for f in fields(Rules) if f.name == name)


def _toml(value: Any, kind: type | None = None) -> str:
    """A TOML value; None (a setting without a default) a placeholder naming what to give."""
    if value is None:
        return {int: "<whole number>", float: "<number>", date: "<date>"}.get(kind, "<value>")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, date):
        return value.isoformat()  # a TOML date
    if isinstance(value, ServiceTarget):
        return f"[{value.fraction:g}, {value.seconds:g}]"
    if isinstance(value, tuple) and kind is dict:
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value) + " }" if value else "{}"
    return "[" + ", ".join(_toml(v) for v in value) + "]"
