"""The home page's cards for placements under way: a coordinator's checks expiring,
placements behind on observations and open concerns; a student's days and what is due."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.placements.tests.during_conftest_helpers import People, placement_under_way
from practica.placements.tests.during_factories import (
    CauseForConcernFactory,
    PreferenceWindowFactory,
    PreplacementCheckFactory,
)

pytestmark = pytest.mark.django_db


def cards(client: Client) -> dict[str, int | None]:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {card.title: card.count for card in response.context["dashboard"].cards}


@pytest.fixture
def people(org_a: Organisation, org_b: Organisation) -> People:
    return placement_under_way(org_a, org_b)  # 6 January to 5 June 2020, no observation


def test_coordinators_see_checks_expiring_placements_behind_and_concerns_open(
    client: Client, people: People, alice: User, charlie: User
) -> None:
    soon = timezone.localdate() + datetime.timedelta(days=5)
    PreplacementCheckFactory.create(student=people.placement.student, expires_on=soon)
    CauseForConcernFactory.create(placement=people.placement)
    client.force_login(charlie)  # the university keeps the checks
    seen = cards(client)
    assert seen["Checks expired or expiring within 30 days"] == 1
    assert seen["Causes for concern open"] == 1
    assert seen["Placements behind on direct observations"] == 1
    client.force_login(alice)  # the provider runs the placement, the university the checks
    seen = cards(client)
    assert "Checks expired or expiring within 30 days" not in seen
    assert seen["Causes for concern open"] == 1


def test_a_student_sees_their_days_and_what_is_due(client: Client, people: People) -> None:
    client.force_login(people.student)
    response = client.get(reverse("home"))
    card = next(
        c for c in response.context["dashboard"].cards if c.title.startswith("Days of your")
    )
    assert (card.count, card.link_text) == (100, "Due: your learning agreement meeting")
    assert "Due: your learning agreement meeting" in response.text  # the link is shown


def test_the_preference_window_shows_on_both_home_pages(
    client: Client, people: People, charlie: User
) -> None:
    client.force_login(charlie)
    assert cards(client)["Students who could state placement preferences"] == 1
    window = PreferenceWindowFactory.create(hei=people.placement.student.hei)
    assert cards(client)[f"Students who stated placement preferences, {window.academic_year}"] == 0
    client.force_login(people.student)
    closes = date_format(window.closes_on, "j F Y")
    assert cards(client)[f"Days left to state your placement preferences (until {closes})"] == 15
