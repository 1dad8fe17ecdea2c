"""The home page shows the cards every app's home panel has for the user (core.home)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from practica.accounts.models import User
from practica.core import home
from practica.core.home import Card, HomePanel
from practica.core.models import Organisation
from practica.organisations.tests.factories import TeamFactory


def card(title: str) -> str:
    return f'<h2 class="govuk-heading-m">{title}</h2>'


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
    cards = [card("Teams"), card("People"), card("Invitations waiting")]
    assert page.index(cards[0]) < page.index(cards[1]) < page.index(cards[2])


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
    assert page.index(card("Things to do")) < page.index(card("Teams"))
