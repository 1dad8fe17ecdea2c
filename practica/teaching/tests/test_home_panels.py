"""Acceptance (issue 14): the home pages' panels of the protocol — the academic's open
requests and unfilled interview panels, the local authority lead's requests to answer, the
practitioner's sessions to confirm and their sessions with feedback, the contributor's
sessions."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import Role, User
from practica.organisations.tests.factories import PersonFactory, member
from practica.teaching.models import TeachingRequest
from practica.teaching.sessions import services
from practica.teaching.tests.factories import LivedExperienceContributorFactory
from practica.teaching.tests.sessions_world import World, make_world, raise_teaching

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def home(client: Client, user: User) -> str:
    client.force_login(user)
    return client.get(reverse("home")).text


def _soon(world: World, **changes: object) -> TeachingRequest:
    return raise_teaching(world, date=timezone.localdate() + datetime.timedelta(days=14), **changes)


def test_the_academic_and_the_local_authority_lead_see_the_open_requests(
    world: World, client: Client
) -> None:
    _soon(world)
    _soon(world, kind="interview_full", topic="", ends_at=datetime.time(16))

    academic = home(client, world.academic)
    lead = home(client, world.lead1)

    assert "Open requests for practitioners" in academic
    assert "Interview panels not filled" in academic
    assert "Requests for practitioner teachers" in lead
    assert "Open requests for practitioners" not in lead


def test_the_practitioner_sees_what_to_confirm_then_their_sessions_and_so_does_a_contributor(
    world: World, client: Client
) -> None:
    request = _soon(world, targets=[world.la1])
    (offer,) = services.offer_practitioners(
        actor=world.lead1,
        request=request,
        organisation=world.la1,
        practitioners=[world.pt_with_account],
    )
    services.accept_offer(actor=world.academic, offer=offer)
    assert "Sessions to confirm" in home(client, world.pt_user)

    services.confirm_offer(actor=world.pt_user, offer=offer)
    practitioner = home(client, world.pt_user)
    assert "Sessions to confirm" not in practitioner
    assert "My teaching sessions and feedback" in practitioner

    contributor_user = member(Role.CONTRIBUTOR, world.hei, email="lee@uni.test")
    contributor = LivedExperienceContributorFactory.create(
        hei=world.hei,
        person=PersonFactory.create(
            organisation=world.hei, email="lee@uni.test", user=contributor_user
        ),
    )
    request.refresh_from_db()
    assert request.session is not None
    services.add_session_contributor(
        actor=world.academic, session=request.session, contributor=contributor
    )
    assert "My teaching sessions and feedback" in home(client, contributor_user)
