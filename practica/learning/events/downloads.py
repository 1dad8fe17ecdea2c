"""What the event lists hold when downloaded (``reports.lists``): events, and one event's
registrations and attendance."""

from __future__ import annotations

from practica.reports.lists import ListColumn, ListDownload

EVENTS = ListDownload(
    "events",
    "Events",
    [
        ListColumn("Starts", lambda e: e.starts_at),
        ListColumn("Ends", lambda e: e.ends_at),
        ListColumn("Event", lambda e: e.title),
        ListColumn("Type", lambda e: e.get_kind_display()),
        ListColumn("Theme", lambda e: e.theme),
        ListColumn("Organised by", lambda e: e.organisation.name),
        ListColumn("Where", lambda e: e.where),
        ListColumn("Places", lambda e: e.capacity, "integer"),
        ListColumn("Registered", lambda e: e.registered_count, "integer"),
        ListColumn("Waiting", lambda e: e.waitlisted_count, "integer"),
    ],
)

ATTENDANCE = ListDownload(
    "event-registrations",
    "Registrations and attendance",
    [
        ListColumn("Last name", lambda r: r.person.last_name),
        ListColumn("First name", lambda r: r.person.first_name),
        ListColumn("E-mail", lambda r: r.person.email),
        ListColumn("Organisation", lambda r: r.person.organisation.name),
        ListColumn("Registration", lambda r: r.get_status_display()),
        ListColumn("Attendance", lambda r: r.get_attended_display()),
        ListColumn("Asked on", lambda r: r.registered_at),
    ],
)
