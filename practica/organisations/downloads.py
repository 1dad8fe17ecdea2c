"""What the people list holds when downloaded (``reports.lists``)."""

from __future__ import annotations

from practica.reports.lists import ListColumn, ListDownload

PEOPLE = ListDownload(
    "people",
    "People",
    [
        ListColumn("Last name", lambda p: p.last_name),
        ListColumn("First name", lambda p: p.first_name),
        ListColumn("E-mail", lambda p: p.email),
        ListColumn("Organisation", lambda p: p.organisation.name),
        ListColumn("Team", lambda p: p.team.name if p.team else ""),
    ],
)
