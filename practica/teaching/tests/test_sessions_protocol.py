"""The request protocol: the university asks, the local authority offers, the university
accepts, the practitioner confirms (in Practica or through a single-use link), and the session
exists with the practitioner on it; changes and cancellations are recorded and told."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.teaching.models import (
    OfferStatus,
    RequestStatus,
    SessionContributor,
    SessionStatus,
)
from practica.teaching.sessions import services
from practica.teaching.tests.sessions_world import World, make_world, raise_teaching

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def test_a_request_goes_to_the_lead_of_every_local_authority_when_none_is_chosen(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request = raise_teaching(world)
    assert set(request.targets.all()) == {world.la1, world.la2}
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "lead@borough.test",
        "lead@shire.test",
    ]
    assert request.academic_year.start_year == 2019


def test_a_request_to_one_local_authority_goes_only_to_its_lead(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request = raise_teaching(world, targets=[world.la2])
    assert list(request.targets.all()) == [world.la2]
    assert [message.to for message in mail.outbox] == [["lead@borough.test"]]


def test_a_local_authority_offers_only_practitioners_of_its_own_directory(world: World) -> None:
    request = raise_teaching(world)
    with pytest.raises(ValidationError, match="directory"):
        services.offer_practitioners(
            actor=world.lead1,
            request=request,
            organisation=world.la1,
            practitioners=[world.other_pt],
        )


def test_the_whole_protocol_ends_with_a_session_and_the_practitioner_on_it(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    request = raise_teaching(world)
    (offer,) = services.offer_practitioners(
        actor=world.lead1,
        request=request,
        organisation=world.la1,
        practitioners=[world.pt_with_account],
    )
    assert request.session is None
    services.accept_offer(actor=world.academic, offer=offer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_offer(actor=world.pt_user, offer=offer)
    request.refresh_from_db()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.CONFIRMED
    assert request.status == RequestStatus.FILLED
    session = request.session
    assert session is not None
    assert session.status == SessionStatus.SCHEDULED
    assert session.hours == 2
    (contributor,) = SessionContributor.objects.unscoped("test").filter(session=session)
    assert contributor.organisation == world.la1
    assert contributor.service_area is not None
    assert contributor.service_area.code == "adults"
    (message,) = mail.outbox
    assert {"pat@shire.test", "prof@uni.test", "lead@shire.test"} <= set(message.to)
    (attachment,) = message.attachments
    name, content, mimetype = attachment
    assert name == "session.ics"
    assert mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content
    assert "SUMMARY:Teaching session: Mental capacity" in content


def test_a_practitioner_without_an_account_confirms_through_a_single_use_link(
    world: World, client: object, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    request = raise_teaching(world)
    (offer,) = services.offer_practitioners(
        actor=world.lead1,
        request=request,
        organisation=world.la1,
        practitioners=[world.pt_without_account],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_offer(actor=world.academic, offer=offer, base_url="http://testserver")
    (invitation,) = [m for m in mail.outbox if m.to == ["noacc@shire.test"]]
    match = re.search(r"http://testserver(/teaching/offer-link/\S+/)", str(invitation.body))
    assert match is not None
    path = match.group(1)
    page = client.get(path)  # type: ignore[attr-defined]
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    answered = client.post(path, {"answer": "confirm"})  # type: ignore[attr-defined]
    assert answered.status_code == 200
    offer.refresh_from_db()
    assert offer.status == OfferStatus.CONFIRMED
    assert client.get(path).status_code == 404  # type: ignore[attr-defined]  # used up


def test_a_practitioner_who_withdraws_comes_off_the_session_and_the_request_reopens(
    world: World,
) -> None:
    request = raise_teaching(world)
    (offer,) = services.offer_practitioners(
        actor=world.lead1,
        request=request,
        organisation=world.la1,
        practitioners=[world.pt_with_account],
    )
    services.accept_offer(actor=world.academic, offer=offer)
    services.confirm_offer(actor=world.pt_user, offer=offer)
    services.withdraw_offer(actor=world.pt_user, offer=offer, reason="Court hearing that day")
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    assert request.session is not None
    assert not request.session.contributors.exists()


def test_a_change_is_recorded_with_its_reason_and_sent_with_an_updated_invitation(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    request = raise_teaching(world)
    (offer,) = services.offer_practitioners(
        actor=world.lead1,
        request=request,
        organisation=world.la1,
        practitioners=[world.pt_with_account],
    )
    services.accept_offer(actor=world.academic, offer=offer)
    services.confirm_offer(actor=world.pt_user, offer=offer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.change_request(
            actor=world.academic,
            request=request,
            date=datetime.date(2019, 11, 21),
            starts_at=datetime.time(14, 0),
            ends_at=datetime.time(16, 0),
            place="Room 1.01",
            reason="The room was double-booked",
        )
    request.refresh_from_db()
    assert request.session is not None
    assert request.session.date == datetime.date(2019, 11, 21)
    assert request.history.filter(change_reason="The room was double-booked").exists()
    (message,) = mail.outbox
    assert "double-booked" in message.body
    assert "SEQUENCE:1" in message.attachments[0][1]


def test_cancelling_a_request_cancels_its_offers_and_session_with_the_reason(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    request = raise_teaching(world)
    (offer,) = services.offer_practitioners(
        actor=world.lead1,
        request=request,
        organisation=world.la1,
        practitioners=[world.pt_with_account],
    )
    services.accept_offer(actor=world.academic, offer=offer)
    services.confirm_offer(actor=world.pt_user, offer=offer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_request(actor=world.academic, request=request, reason="Module withdrawn")
    offer.refresh_from_db()
    request.refresh_from_db()
    assert offer.status == OfferStatus.CANCELLED
    assert request.session is not None
    assert request.session.status == SessionStatus.CANCELLED
    assert request.session.cancel_reason == "Module withdrawn"
    (message,) = mail.outbox
    assert "pat@shire.test" in message.to
    assert "METHOD:CANCEL" in message.attachments[0][1]


def test_an_offer_cannot_be_accepted_twice(world: World) -> None:
    request = raise_teaching(world)
    (offer,) = services.offer_practitioners(
        actor=world.lead1,
        request=request,
        organisation=world.la1,
        practitioners=[world.pt_with_account],
    )
    services.accept_offer(actor=world.academic, offer=offer)
    with pytest.raises(ValidationError, match="accepted"):
        services.accept_offer(actor=world.academic, offer=offer)


def test_the_request_page_shows_each_party_its_own_next_step(world: World, client: object) -> None:
    request = raise_teaching(world)
    url = reverse("teaching:request-detail", args=[request.pk])
    client.force_login(world.lead1)  # type: ignore[attr-defined]
    assert "Offer practitioners" in client.get(url).content.decode()  # type: ignore[attr-defined]
    (offer,) = services.offer_practitioners(
        actor=world.lead1,
        request=request,
        organisation=world.la1,
        practitioners=[world.pt_with_account],
    )
    client.force_login(world.academic)  # type: ignore[attr-defined]
    page = client.get(url).content.decode()  # type: ignore[attr-defined]
    assert reverse("teaching:offer-step", args=[offer.pk, "accept"]) in page
    services.accept_offer(actor=world.academic, offer=offer)
    client.force_login(world.pt_user)  # type: ignore[attr-defined]
    page = client.get(url).content.decode()  # type: ignore[attr-defined]
    assert reverse("teaching:offer-step", args=[offer.pk, "confirm"]) in page
