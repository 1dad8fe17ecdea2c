"""iCalendar (RFC 5545) files for events, written with the standard library.

No calendar library is installed and one event per file needs little: TEXT values escaped
(§3.3.11), lines folded at 75 octets without splitting a UTF-8 character (§3.1), CRLF line
ends, times in UTC.
"""

from __future__ import annotations

import datetime

from practica.learning.events.models import Event

PRODUCT_ID = "-//Practica//Events and CPD//EN"


def escape_text(value: str) -> str:
    """A TEXT property value: backslash, semicolon and comma escaped, new lines as ``\\n``."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Splits a content line into lines of at most 75 octets; continuations start with a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    limit = 75
    for character in line:
        if len((current + character).encode()) > limit:
            parts.append(current)
            current = ""
            limit = 74  # the leading space of a continuation line counts
        current += character
    parts.append(current)
    return "\r\n ".join(parts)


def utc_time(moment: datetime.datetime) -> str:
    """A DATE-TIME in UTC (the "Z" form), which every calendar program reads the same."""
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def event_calendar(event: Event, *, url: str, host: str, now: datetime.datetime) -> str:
    """The .ics file of one event. ``url`` is the event's page; ``host`` makes the UID unique
    to this installation; ``now`` is the DTSTAMP."""
    description = event.description
    if event.online_link:
        description = f"{description}\n\nJoin online: {event.online_link}".strip()
    organisers = [event.organisation.name, *(o.name for o in event.co_facilitators.all())]
    description = f"{description}\n\nOrganised by {' with '.join(organisers)}.".strip()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:event-{event.pk}@{host}",
        f"DTSTAMP:{utc_time(now)}",
        f"DTSTART:{utc_time(event.starts_at)}",
        f"DTEND:{utc_time(event.ends_at)}",
        f"SUMMARY:{escape_text(event.title)}",
        f"DESCRIPTION:{escape_text(description)}",
    ]
    if event.where:
        lines.append(f"LOCATION:{escape_text(event.where)}")
    if event.theme:
        lines.append(f"CATEGORIES:{escape_text(event.theme)}")
    lines += [
        f"URL:{url}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(f"{fold(line)}\r\n" for line in lines)
