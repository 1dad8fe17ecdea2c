"""What the time audit adds to the home page (``core.home``): a practice educator sees the
weeks they have not logged; the coordinators who run an audit see who is behind."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from practica.accounts import permissions
from practica.accounts.grants import MANAGE
from practica.core.home import Card
from practica.timeaudit import selectors
from practica.timeaudit.models import TimeAudit


def time_audit_cards(request: Any) -> list[Card]:
    user = request.user
    if getattr(request, "membership", None) is None:
        return []
    cards: list[Card] = []
    for enrolment in selectors.own_enrolments(user):
        missing = selectors.missing_weeks(enrolment)
        url = reverse("timeaudit:enrolment-detail", args=[enrolment.pk])
        if missing:
            url = reverse(
                "timeaudit:log-week", args=[enrolment.pk, missing[0].starts_on.isoformat()]
            )
        cards.append(
            Card(
                f"Weeks to log for {enrolment.audit.name}",
                len(missing),
                url,
                "Log the first of them" if missing else "See your weeks",
                "Every week so far is logged.",
            )
        )
    if permissions.can_in(user, MANAGE, TimeAudit) and selectors.runs_audits(user):
        behind = selectors.enrolments_behind(user)
        cards.append(
            Card(
                "Practice educators behind with their time audit",
                len(behind),
                reverse("timeaudit:audit-list"),
                "See the audits",
                "Every practice educator has logged every week so far.",
            )
        )
    return cards
