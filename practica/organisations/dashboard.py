"""What each role sees first: headline cards from every app's home panel (``core.home``) that
link to the list behind them, and the next steps for a coordinator."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from practica.accounts import permissions
from practica.accounts.models import Role
from practica.core.home import Card, TaskGroup, figures, home_cards, task_groups
from practica.core.models import Person, Team


@dataclass
class Dashboard:
    heading: str
    intro: str
    cards: list[Card] = field(default_factory=list)
    next_steps: list[tuple[str, str]] = field(default_factory=list)

    @property
    def groups(self) -> list[TaskGroup]:
        """The tasks, grouped by what they are about (GOV.UK task list)."""
        return task_groups(self.cards)

    @property
    def figures(self) -> list[Card]:
        return figures(self.cards)


INTROS: dict[str, str] = {
    Role.PARTNERSHIP_MANAGER: "An overview of every organisation in the partnership.",
    Role.COORDINATOR: "Your organisation's teams, people and invitations.",
    Role.PRACTICE_EDUCATOR: "Your students, placements and practice educator training will appear here.",
    Role.PRACTITIONER_TEACHER: "Your teaching sessions, admissions interviews and training will appear here.",
    Role.CONTRIBUTOR: "Teaching and selection sessions you contribute to will appear here.",
    Role.STUDENT: "Your placement and the evaluation forms to complete will appear here.",
    Role.ACADEMIC: (
        "Your university's requests for practitioners and interview panels, and the placements "
        "of its students that need you."
    ),
    Role.LINE_MANAGER: "Applications from your staff that need your support will appear here.",
}


# What a role's home page says while it has nothing to show (no card of any app's panel).
EMPTY_INTROS: dict[str, str] = {
    Role.ACADEMIC: (
        "Your university's requests for practitioner teachers and its students' placements "
        "will appear here."
    ),
}


def dashboard_for(request: Any) -> Dashboard:
    membership = request.membership
    if membership is None:
        return Dashboard(
            heading="You are not a member of any organisation yet",
            intro="Ask your organisation's coordinator to invite you to Practica.",
        )
    role = Role(membership.role)
    cards = home_cards(request)
    dashboard = Dashboard(
        heading=f"{role.label} – {membership.organisation.name}",
        intro=INTROS[role] if cards else EMPTY_INTROS.get(role, INTROS[role]),
        cards=cards,
    )
    if role == Role.COORDINATOR:
        dashboard.next_steps = [
            ("Add a team", reverse("organisations:team-create")),
            ("Invite a colleague", reverse("accounts:invitation-create")),
        ]
    return dashboard


def teams_and_people(request: Any) -> list[Card]:
    """The organisations app's home panel: teams (of the acting organisation, or the
    partnership's for its manager) and people, for those who may see them."""
    user, membership = request.user, request.membership
    cards: list[Card] = []
    if membership is None:
        return cards
    if permissions.can_in(user, permissions.VIEW, Team):
        teams = Team.objects.visible_to(user)
        if membership.role != Role.PARTNERSHIP_MANAGER:
            teams = teams.filter(organisation=membership.organisation)
        cards.append(
            Card(
                "Teams",
                teams.count(),
                reverse("organisations:team-list"),
                "View teams",
                "No teams yet. Add the teams that offer placements or teaching.",
                kind="figure",
            )
        )
    if permissions.can_in(user, permissions.VIEW, Person):
        cards.append(
            Card(
                "People",
                Person.objects.visible_to(user).count(),
                reverse("organisations:person-list"),
                "View people",
                "No people yet. Add practitioners, or import them from a spreadsheet.",
                kind="figure",
            )
        )
    return cards
