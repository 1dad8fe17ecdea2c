"""Scoped reads of the core records: each starts from ``visible_to(user)``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from practica.core.models import Location, Organisation, Person, Team

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


def organisations_visible_to(user: Viewer) -> QuerySet[Organisation]:
    return (
        Organisation.objects.visible_to(user)
        .select_related("partnership")
        .annotate(
            team_count=Count("teams", distinct=True), person_count=Count("people", distinct=True)
        )
    )


def teams_visible_to(
    user: Viewer, *, search: str = "", organisation: str = "", service_area: str = ""
) -> QuerySet[Team]:
    teams = Team.objects.visible_to(user).select_related("organisation", "service_area", "location")
    if search:
        teams = teams.filter(name__icontains=search)
    if organisation:
        teams = teams.filter(organisation__code__iexact=organisation)
    if service_area:
        teams = teams.filter(service_area__code=service_area)
    return teams.annotate(person_count=Count("people"))


def locations_visible_to(user: Viewer) -> QuerySet[Location]:
    return Location.objects.visible_to(user).select_related("organisation")


def people_visible_to(
    user: Viewer, *, search: str = "", organisation: str = "", team: str = ""
) -> QuerySet[Person]:
    people = Person.objects.visible_to(user).select_related("organisation", "team")
    if search:
        people = people.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    if organisation:
        people = people.filter(organisation__code__iexact=organisation)
    if team.isdigit() and len(team) < 19:  # a database id fits in 64 bits
        people = people.filter(team_id=int(team))
    return people
