"""The events on each role's home page (``core.home``): for those who run events, the upcoming
events with places still free and the events with attendance to record; for everyone, the
events they are registered for and their CPD record; for a partnership manager, the events
held this and last academic year. Each count equals the rows of the events list it links to."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.grants import MANAGE
from practica.accounts.models import Role
from practica.accounts.selectors import person_of
from practica.core.academic_years import academic_year_of, bounds, format_academic_year
from practica.core.home import Card
from practica.learning.events import selectors
from practica.learning.events.models import Event

EVENTS = "Events and CPD"
PRACTITIONERS = {Role.PRACTICE_EDUCATOR, Role.PRACTITIONER_TEACHER, Role.CONTRIBUTOR}


def events_url(**params: str) -> str:
    query = urlencode({key: value for key, value in params.items() if value})
    return reverse("learning:event-list") + (f"?{query}" if query else "")


def event_tasks(request: Any) -> list[Card]:
    user, membership = request.user, request.membership
    if membership is None:
        return []
    role = Role(membership.role)
    now = timezone.now()
    cards: list[Card] = []
    if role in {Role.COORDINATOR, Role.PARTNERSHIP_MANAGER} and (
        role == Role.PARTNERSHIP_MANAGER or permissions.can_in(user, MANAGE, Event)
    ):
        # a coordinator: their organisation's events; the manager: the partnership's
        code = membership.organisation.code if role == Role.COORDINATOR else ""
        for task, when, title, link, empty, hint in (
            (
                "places",
                "upcoming",
                "Upcoming events with places free",
                "Fill the places",
                "No upcoming event has a place free. Add an event for practice educators.",
                "Remind people, or book places for those who phone in.",
            ),
            (
                "attendance",
                "all",
                "Events with attendance to record",
                "Record attendance",
                "Every event held has its attendance recorded.",
                "Attendance at update training keeps practice educators current.",
            ),
        ):
            params = {"task": task, "when": when, "organisation": code}
            count = selectors.events_visible_to(
                user, when=when, task=task, organisation=code, now=now
            ).count()
            cards.append(
                Card(
                    title,
                    count,
                    events_url(**params),
                    link,
                    empty,
                    section=EVENTS,
                    hint=hint,
                )
            )
    if role in PRACTITIONERS or selectors.is_practice_educator(user):
        cards.append(
            Card(
                "Events you are registered for",
                selectors.events_visible_to(user, when="upcoming", task="mine", now=now).count(),
                events_url(when="upcoming", task="mine"),
                "See your events",
                "You are not registered for any upcoming event. Find a forum or workshop on "
                "the events page and register.",
                section=EVENTS,
                hint="Forums, workshops and training days you have a place at (or are waiting for).",
            )
        )
    person = person_of(user)
    if person is not None and selectors.is_practice_educator(user):
        attended = len(selectors.cpd_record_for(user, person).attended)
        cards.append(
            Card(
                "Your CPD record",
                None,
                reverse("learning:my-cpd-record"),
                "See your CPD record",
                section=EVENTS,
                status=f"{attended} event{pluralize(attended)} attended",
                status_colour="grey",
                hint="The events you attended and your PEPS training, with hours.",
            )
        )
    if role == Role.PARTNERSHIP_MANAGER:
        cards += held_figures(user, today=timezone.localdate())
    return cards


def held_figures(user: Any, *, today: datetime.date) -> list[Card]:
    this_year = academic_year_of(today)
    cards = []
    for year in (this_year, this_year - 1):
        first, last = bounds(year)
        held = (
            selectors.events_visible_to(user, when="past")
            .filter(starts_at__date__range=(first, last))
            .count()
        )
        cards.append(
            Card(
                f"Events held, {format_academic_year(year)}",
                held,
                events_url(when="past"),
                "View past events",
                kind="figure",
            )
        )
    return cards
