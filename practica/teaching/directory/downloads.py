"""What the practitioner-teacher directory holds when downloaded (``reports.lists``: CSV and
XLSX through the reports' writers, formula-like cells made literal, the download audited)."""

from __future__ import annotations

from practica.reports.lists import ListColumn, ListDownload

PRACTITIONER_TEACHERS = ListDownload(
    "practitioner-teachers",
    "Practitioner teacher directory",
    [
        ListColumn("Last name", lambda t: t.person.last_name),
        ListColumn("First name", lambda t: t.person.first_name),
        ListColumn("E-mail", lambda t: t.person.email),
        ListColumn("Organisation", lambda t: t.person.organisation.name),
        ListColumn("Team", lambda t: t.person.team.name if t.person.team else ""),
        ListColumn("Service area", lambda t: t.area_name or ""),
        ListColumn("Expertise", lambda t: "; ".join(area.name for area in t.expertise.all())),
        ListColumn("Status", lambda t: t.get_status_display()),
        ListColumn("Availability", lambda t: t.availability),
        ListColumn("Career progression level", lambda t: t.career_level),
        ListColumn("Last reviewed", lambda t: t.reviewed_on, "date"),
        ListColumn("Review overdue", lambda t: "Yes" if t.review_overdue else "No"),
    ],
)
