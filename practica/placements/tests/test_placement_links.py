"""Practice educators and on-site supervisors without an account get, with each step, a link
that shows the placement's details once, until it expires (no sign-in)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.organisations.tests.factories import PersonFactory
from practica.placements import services
from practica.placements.models import Placement, PlacementLink
from practica.placements.tests.factories import PlacementFactory, PlacementOfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def matched(
    org_a: Organisation,
    alice: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> Placement:
    educator = PracticeEducatorFactory.create(independent=True, person__email="off@pe.example")
    supervisor = PersonFactory.create(organisation=org_a, email="school@sup.example")
    offer = PlacementOfferFactory.create(organisation=org_a)
    placement = PlacementFactory.create(organisation=org_a, team=offer.team)
    with django_capture_on_commit_callbacks(execute=True):
        services.match_placement(
            actor=alice,
            placement=placement,
            offer=offer,
            practice_educator=educator,
            onsite_supervisor=supervisor,
            base_url="https://practica.example",
        )
    return placement


def link_sent_to(address: str) -> str:
    [message] = [m for m in mail.outbox if m.to == [address]]
    match = re.search(r"https://practica\.example(\S+)", str(message.body))
    assert match is not None
    return match.group(1)


def test_those_without_an_account_get_a_link_and_the_rest_a_sign_in_link(
    matched: Placement,
) -> None:
    pe_link, supervisor_link = link_sent_to("off@pe.example"), link_sent_to("school@sup.example")
    assert pe_link != supervisor_link
    assert pe_link.startswith("/placements/link/")
    [to_the_rest] = [
        m for m in mail.outbox if "off@pe.example" not in m.to and "school@sup.example" not in m.to
    ]
    assert matched.get_absolute_url() in to_the_rest.body
    assert PlacementLink.objects.unscoped("test").count() == 2


def test_the_link_asks_for_a_click_then_shows_the_placement_once(
    client: Client, matched: Placement
) -> None:
    url = link_sent_to("off@pe.example")
    page = client.get(url)
    assert page.status_code == 200
    assert "Show the placement" in page.text
    assert matched.student.person.full_name not in page.text  # a mail scanner learns nothing
    assert page["Cache-Control"] == "no-store"
    shown = client.post(url)
    assert matched.student.person.full_name in shown.text
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_an_expired_or_unknown_link_does_not_work(client: Client, matched: Placement) -> None:
    url = link_sent_to("school@sup.example")
    PlacementLink.objects.unscoped("test").update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
        created_at=timezone.now() - datetime.timedelta(days=15),
    )
    assert client.get(url).status_code == 404
    assert client.get(reverse("placements:placement-link", args=["nonsense"])).status_code == 404


def test_someone_with_an_account_signs_in_instead(
    org_a: Organisation,
    alice: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a, person__user=alice)
    placement = PlacementFactory.create(organisation=org_a, practice_educator=educator)
    assert services.without_account(placement) == []
