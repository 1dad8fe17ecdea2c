"""What the applications list holds when downloaded (``reports.lists``)."""

from __future__ import annotations

from practica.reports.lists import ListColumn, ListDownload

APPLICATIONS = ListDownload(
    "practice-educator-applications",
    "Practice educator applications",
    [
        ListColumn("Applicant", lambda a: a.applicant.full_name),
        ListColumn("Team", lambda a: a.applicant.team.name if a.applicant.team else ""),
        ListColumn("Organisation", lambda a: a.organisation.name),
        ListColumn("Stage", lambda a: a.get_stage_display()),
        ListColumn("Received", lambda a: a.created_at.date(), "date"),
        ListColumn("Interview", lambda a: a.interview_at),
        ListColumn("Decision", lambda a: a.get_decision_display() if a.decision else "Open"),
    ],
)
