"""What the students list holds when downloaded (``reports.lists``)."""

from __future__ import annotations

from practica.reports.lists import ListColumn, ListDownload

STUDENTS = ListDownload(
    "students",
    "Students",
    [
        ListColumn("Last name", lambda s: s.person.last_name),
        ListColumn("First name", lambda s: s.person.first_name),
        ListColumn("E-mail", lambda s: s.person.email),
        ListColumn("Reference", lambda s: s.student_ref),
        ListColumn("University", lambda s: s.hei.name),
        ListColumn("Route", lambda s: s.get_route_display()),
        ListColumn("Year of study", lambda s: s.year_of_study, "integer"),
    ],
)
