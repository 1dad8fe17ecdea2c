"""The iCalendar invitation (RFC 5545) attached to the protocol's e-mails: one event for a
confirmed session, sent again with a higher SEQUENCE when it changes and with METHOD:CANCEL
when it is cancelled, so calendar programs update the same entry (its UID)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

PRODID = "-//Practica//Practitioner teaching//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    starts: datetime.datetime
    ends: datetime.datetime
    location: str = ""
    description: str = ""
    sequence: int = 0
    cancelled: bool = False


def _escape(text: str) -> str:
    """TEXT values: backslash, semicolon, comma and new lines escaped (RFC 5545 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> list[str]:
    """Content lines longer than 75 octets are folded: a CRLF and a space (RFC 5545 3.1)."""
    folded: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode())
        if size + width > (75 if not folded else 74):
            folded.append(current)
            current, size = "", 0
        current += char
        size += width
    folded.append(current)
    return [folded[0], *(" " + part for part in folded[1:])]


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_text(event: CalendarEvent) -> str:
    """The whole VCALENDAR, with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        f"METHOD:{'CANCEL' if event.cancelled else 'REQUEST'}",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(event.starts)}",
        f"DTEND:{_utc(event.ends)}",
        f"SEQUENCE:{event.sequence}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        f"SUMMARY:{_escape(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{_escape(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{_escape(event.description)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
