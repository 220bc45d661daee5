"""The stream mapping of a call history (inputs/call_types.toml, inputs/lines.toml): which call types, phone
lines or wide-export columns make up each call stream, and optionally each stream's mean handle time."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scheduler.errors import InputError
from scheduler.io.rules import load_toml

UNKNOWN_MODES = ("error", "drop")


@dataclass(frozen=True)
class StreamMapping:
    """Which call types make up each call stream, and the handle times the file gives (see
    inputs/call_types.toml)."""

    streams: dict[str, tuple[str, ...]]  # stream -> call types (values of the type column, or wide columns)
    # stream -> mean handle time in seconds; streams left out take the call log's, else the default
    aht_seconds: dict[str, float]
    unknown: str = "error"  # a call type in no stream: "error" stops, "drop" leaves it out and reports it
    source: Path | None = None  # the mapping file, named in error messages

    def stream_of(self) -> dict[str, str]:
        return {call_type: stream for stream, types in self.streams.items() for call_type in types}

    @property
    def where(self) -> str:
        return self.source.name if self.source else "the mapping file"


def read_stream_mapping(path: Path) -> StreamMapping:
    """Read a mapping file:
    `unknown = "error"|"drop"`, `[streams] name = [types]`, optional `[aht_seconds] name = s`."""
    raw = load_toml(path, "inputs/call_types.toml")
    for key in raw:
        if key not in ("unknown", "streams", "aht_seconds"):
            raise InputError(f"unknown key {key!r}", file=path,
                             fix="use unknown, [streams] and [aht_seconds]")

    unknown = raw.get("unknown", "error")
    if unknown not in UNKNOWN_MODES:
        raise InputError("unknown must be \"error\" or \"drop\"", file=path, value=unknown)
    streams = _mapped_streams(raw.get("streams"), path)
    return StreamMapping(streams, _handle_times(raw.get("aht_seconds", {}), streams, path), unknown, path)


def _mapped_streams(table: Any, path: Path) -> dict[str, tuple[str, ...]]:
    """Stream -> call types of a mapping's [streams], each call type in one stream."""
    if not isinstance(table, dict) or not table:
        raise InputError("missing [streams]", file=path,
                         fix='list each stream\'s call types, e.g. "911_police" = ["Traffic"]')
    streams: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}
    for stream, types in table.items():
        named = isinstance(types, list) and all(isinstance(t, str) and t.strip() for t in types)
        if not named or not types:
            raise InputError(f"[streams] {stream} must be a list of call types", file=path, value=types,
                             fix=f'write e.g. "{stream}" = ["EMS", "Fire"]')
        for call_type in (t.strip() for t in types):
            if call_type in owner:
                raise InputError(f"call type {call_type!r} is in two streams, {owner[call_type]} and "
                                 f"{stream}", file=path, fix="list each call type in one stream only")
            owner[call_type] = stream
        streams[stream] = tuple(t.strip() for t in types)
    return streams


def _handle_times(aht_table: Any, streams: dict[str, tuple[str, ...]], path: Path) -> dict[str, float]:
    """Stream -> mean handle time in seconds of a mapping's optional [aht_seconds] (any of the streams)."""
    if not isinstance(aht_table, dict):
        raise InputError("aht_seconds must be a table [aht_seconds]", file=path)
    aht: dict[str, float] = {}
    for stream, seconds in aht_table.items():
        if stream not in streams:
            raise InputError(f"[aht_seconds] {stream} is not a stream in [streams]", file=path,
                             fix=f"use one of {', '.join(streams)}")
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 < seconds < 86_400:
            raise InputError(f"[aht_seconds] {stream} must be a positive number of seconds", file=path,
                             value=seconds)
        aht[stream] = float(seconds)
    return aht
