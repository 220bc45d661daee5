"""Read the rules file (TOML): center identity, service target and labor rules."""

from __future__ import annotations

import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduler.domain import Rules, ServiceTarget
from scheduler.errors import InputError

# section -> key -> (Rules field, type); the file's layout is documented in inputs/rules.toml.
_LAYOUT = {
    "center": {"name": ("center_name", str), "timezone": ("timezone", str)},
    "service": {"targets": ("service_targets", list), "occupancy_cap": ("occupancy_cap", float),
                "shrinkage": ("shrinkage", float), "net_hours_per_fte": ("net_hours_per_fte", float),
                "patience_seconds": ("patience_seconds", float), "model": ("queue_model", str),
                "asa_cap_seconds": ("asa_cap_seconds", float), "handle_time": ("handle_time", str),
                "handle_cv": ("handle_cv", float)},
    "labor": {"min_rest_hours": ("min_rest_hours", float), "max_hours_in_24": ("max_hours_in_24", float),
              "holdover_hours": ("holdover_hours", float), "max_consecutive_days": ("max_consecutive_days", int),
              "max_overtime_hours": ("max_overtime_hours", float),
              "overtime_pay_multiplier": ("overtime_pay_multiplier", float),
              "min_days_off": ("min_days_off", int), "max_consecutive_nights": ("max_consecutive_nights", int),
              "night_start_hour": ("night_start_hour", int), "night_end_hour": ("night_end_hour", int),
              "overtime_budget_hours": ("overtime_budget_hours", float), "max_shortfall": ("max_shortfall", dict),
              "evening_start_hour": ("evening_start_hour", int), "forward_rotation": ("forward_rotation", bool),
              "start_stability": ("start_stability", bool),
              "weekend_off_every_weeks": ("weekend_off_every_weeks", int)},
    "fairness": {"nights": ("fair_nights", bool), "weekends": ("fair_weekends", bool),
                 "overtime": ("fair_overtime", bool)},
}


def load_toml(path: Path, sample: str) -> dict:
    """A TOML file as a dict; a missing or malformed file is an InputError (`sample` names the shipped example)."""
    if not path.exists():
        raise InputError("file not found", file=path, fix=f"check the path (the sample is {sample})")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not valid TOML: {exc}", file=path) from exc


def read_rules(path: Path) -> Rules:
    raw = load_toml(path, "inputs/rules.toml")

    fields = {}
    for section, values in raw.items():
        if section not in _LAYOUT or not isinstance(values, dict):
            raise InputError(f"unknown section [{section}]", file=path, fix=f"use {', '.join(_LAYOUT)}")
        for key, value in values.items():
            if key not in _LAYOUT[section]:
                raise InputError(f"unknown key {key!r} in [{section}]", file=path,
                                 fix=f"use {', '.join(_LAYOUT[section])}")
            name, kind = _LAYOUT[section][key]
            ok = isinstance(value, kind) or (kind is float and isinstance(value, int))
            if not ok or (isinstance(value, bool) and kind is not bool):
                what = "true or false" if kind is bool else f"a {kind.__name__}"
                raise InputError(f"[{section}] {key} must be {what}", file=path, value=value)
            fields[name] = value

    for required in ("center_name", "timezone"):
        if required not in fields:
            raise InputError(f"[center] needs {required.removeprefix('center_')}", file=path)
    try:
        ZoneInfo(fields["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError("unknown time zone", file=path, value=fields["timezone"],
                         fix="use an IANA name such as America/Chicago") from None

    if "service_targets" in fields:
        targets = []
        for item in fields["service_targets"] or [None]:
            numbers = isinstance(item, list) and len(item) == 2 and all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in item)
            if not (numbers and 0 < item[0] < 1 and item[1] > 0):
                raise InputError("[service] targets are [fraction, seconds] pairs, e.g. [[0.90, 15], [0.95, 20]]",
                                 file=path, value=item)
            targets.append(ServiceTarget(float(item[0]), float(item[1])))
        fields["service_targets"] = tuple(targets)
    checks = {
        "occupancy_cap": lambda v: 0 < v <= 1, "shrinkage": lambda v: 0 <= v < 1, "net_hours_per_fte": lambda v: v > 0,
        "patience_seconds": lambda v: v > 0, "queue_model": lambda v: v in ("C", "A"),
        "asa_cap_seconds": lambda v: v > 0, "handle_time": lambda v: v in ("exponential", "lognormal"),
        "handle_cv": lambda v: v >= 0,
        "min_rest_hours": lambda v: 0 <= v <= 24, "max_hours_in_24": lambda v: 0 <= v <= 24,
        "holdover_hours": lambda v: 0 <= v <= 12, "max_consecutive_days": lambda v: v >= 1,
        "max_overtime_hours": lambda v: v >= 0, "overtime_pay_multiplier": lambda v: v >= 1,
        "min_days_off": lambda v: v >= 0, "max_consecutive_nights": lambda v: v >= 0,
        "night_start_hour": lambda v: 0 <= v <= 24, "night_end_hour": lambda v: 0 <= v <= 24,
        "overtime_budget_hours": lambda v: v >= 0, "weekend_off_every_weeks": lambda v: v >= 0,
    }
    for name, ok in checks.items():
        if name in fields and not ok(fields[name]):
            raise InputError(f"{name} out of range", file=path, value=fields[name])
    if fields.get("night_end_hour", 5) > fields.get("night_start_hour", 18):
        raise InputError("night_end_hour is after night_start_hour", file=path,
                         value=(fields.get("night_start_hour", 18), fields.get("night_end_hour", 5)),
                         fix="a night shift starts at or after night_start_hour or before night_end_hour, "
                             "e.g. 18 and 5")
    night = (fields.get("night_end_hour", 5), fields.get("night_start_hour", 18))
    if not night[0] <= fields.get("evening_start_hour", 12) <= night[1]:
        raise InputError("evening_start_hour is outside the day (between night_end_hour and night_start_hour)",
                         file=path, value=fields.get("evening_start_hour", 12),
                         fix=f"use an hour from {night[0]} to {night[1]}, e.g. 12")
    if "max_shortfall" in fields:
        caps = fields["max_shortfall"]
        for position, cap in caps.items():
            if not isinstance(cap, int) or isinstance(cap, bool) or cap < 0:
                raise InputError(f"[labor] max_shortfall.{position} must be a whole number of seats, 0 or more",
                                 file=path, value=cap, fix="e.g. max_shortfall = { police_radio = 0 }")
        fields["max_shortfall"] = tuple(sorted(caps.items()))
    if fields.get("queue_model") == "A" and "patience_seconds" not in fields:
        raise InputError("[service] model = \"A\" (Erlang A, with abandonment) needs patience_seconds", file=path,
                         fix="give the mean caller patience, e.g. patience_seconds = 120, or use model = \"C\"")
    if fields.get("handle_time", "exponential") == "exponential" and fields.get("handle_cv", 1.0) != 1.0:
        raise InputError("handle_cv applies to lognormal handle times", file=path,
                         fix='set handle_time = "lognormal", or leave handle_cv out')
    return Rules(**fields)
