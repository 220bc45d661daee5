"""iCalendar (RFC 5545) text: one VCALENDAR of events, written by hand as it is a few lines. Lines end in CRLF
and are folded at 75 octets, never inside a UTF-8 character; TEXT values are escaped. Timed events are in UTC
(`Z`): exact on a DST night without a VTIMEZONE, and shown in the viewer's own zone by every calendar app."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

PRODID = "-//scheduler//9-1-1 roster calendars//EN"
LINE_OCTETS = 75  # RFC 5545 3.1, not counting the CRLF
# Control characters are not TEXT (RFC 5545 3.3.11, TSAFE-CHAR): one in a cell (a tab) becomes a space.
CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Event:
    """A timed event (start and end aware datetimes) or an all-day one (start a date, end the day after the
    last: DTEND is exclusive)."""

    uid: str
    start: datetime | date
    end: datetime | date
    summary: str
    description: str


def escape(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as `\\n` (RFC 5545 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\\n".join(CONTROLS.sub(" ", line) for line in lines)


def fold(line: str) -> str:
    """A content line cut into lines of at most 75 octets each, the later ones starting with a space (which
    unfolding removes); cut between characters, so a UTF-8 character is never split."""
    parts, current, size = [], "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > LINE_OCTETS:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += octets
    return "\r\n".join([*parts, current]) + "\r\n"


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(name: str, value: datetime | date) -> str:
    if isinstance(value, datetime):
        return f"{name}:{utc_stamp(value)}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


def calendar_text(name: str, stamp: datetime, events: list[Event]) -> str:
    """One VCALENDAR named `name` (X-WR-CALNAME, which calendar apps show), its events in the order given,
    each stamped `stamp` (DTSTAMP: when the roster was made, so the same roster gives the same bytes)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}"]
    for event in events:
        lines += ["BEGIN:VEVENT", f"UID:{escape(event.uid)}", f"DTSTAMP:{utc_stamp(stamp)}",
                  _when("DTSTART", event.start), _when("DTEND", event.end),
                  f"SUMMARY:{escape(event.summary)}", f"DESCRIPTION:{escape(event.description)}",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
