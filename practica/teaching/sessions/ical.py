"""The iCalendar invitation (RFC 5545) attached to the protocol's e-mails: one event for a
confirmed session, sent again with a higher SEQUENCE when it changes and with METHOD:CANCEL
when it is cancelled, so calendar programs update the same entry (its UID). Escaping, folding
and times are the events' .ics writer's (``learning.events.ics``): one iCalendar writer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from practica.learning.events.ics import escape_text, fold, utc_time

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


def calendar_text(event: CalendarEvent) -> str:
    """The whole VCALENDAR, with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        f"METHOD:{'CANCEL' if event.cancelled else 'REQUEST'}",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{utc_time(timezone.now())}",
        f"DTSTART:{utc_time(event.starts)}",
        f"DTEND:{utc_time(event.ends)}",
        f"SEQUENCE:{event.sequence}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(f"{fold(line)}\r\n" for line in lines)
