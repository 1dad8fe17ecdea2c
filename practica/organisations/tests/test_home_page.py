"""The home page shows the cards every app's home panel has for the user (core.home): tasks in
a task list under their section's heading, headline figures in a summary list."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from practica.accounts.models import Role, User
from practica.core import home
from practica.core.home import Card, HomePanel
from practica.core.models import Organisation
from practica.organisations.tests.factories import TeamFactory, member


def card(title: str) -> str:
    """A task's link, or a figure's key."""
    return f">{title}</"


@pytest.fixture
def extra_panel() -> Iterator[None]:
    home.add_home_panel(
        HomePanel(
            "test-panel",
            lambda request: [Card("Things to do", 7, "/somewhere/", "See the things")],
            order=1,
        )
    )
    yield
    home._PANELS.pop("test-panel")


def test_a_coordinator_sees_teams_people_and_invitations(
    client: Client, alice: User, org_a: Organisation
) -> None:
    TeamFactory.create(organisation=org_a)
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    figures = page.index("Headline figures")
    tasks = page.index('<h2 class="govuk-heading-m">Your organisation</h2>')
    assert figures < page.index(card("Teams")) < page.index(card("People")) < tasks
    assert tasks < page.index(card("Invitations waiting"))


def test_a_practice_educator_sees_no_people_or_invitations(client: Client, bob: User) -> None:
    client.force_login(bob)
    page = client.get(reverse("home")).content.decode()
    assert card("Invitations waiting") not in page
    assert card("People") not in page


def test_an_apps_panel_adds_its_cards_in_its_order(
    client: Client, alice: User, extra_panel: None
) -> None:
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    titles = [c.title for c in client.get(reverse("home")).context["dashboard"].cards]
    assert titles.index("Things to do") < titles.index("Teams")
    # a card of an older panel, without a section, is a task under "Other tasks"
    assert page.index("Other tasks") < page.index(card("Things to do"))
    assert '<a class="govuk-link govuk-task-list__link" href="/somewhere/"' in page


def test_an_academic_is_told_what_their_cards_are_not_that_they_will_appear(
    client: Client, org_b: Organisation
) -> None:
    academic = member(Role.ACADEMIC, org_b, email="academic@example.test")
    client.force_login(academic)
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert response.context["dashboard"].cards  # the teaching requests' panel
    assert card("Open requests for practitioners") in page
    assert "will appear here" not in page
    assert "requests for practitioners and interview panels" in page


def test_an_academic_with_nothing_to_show_is_told_what_will_appear(
    client: Client, org_b: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(home, "_PANELS", {})
    academic = member(Role.ACADEMIC, org_b, email="academic@example.test")
    client.force_login(academic)
    page = client.get(reverse("home")).content.decode()
    assert "students&#x27; placements will appear here." in page
    assert "peer observations" not in page
