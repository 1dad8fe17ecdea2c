"""The request protocol's import kinds — ``teaching-requests`` and ``teaching-offers`` — and
the contributors' ``contributor-consents``: what is exported comes back whole into a
partnership without it (nobody e-mailed), and importing an export again changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts.permissions import OPERATOR
from practica.imports.registry import get_importer
from practica.imports.testing import as_csv, import_text
from practica.teaching.directory import services as directory_services
from practica.teaching.models import (
    ConsentKind,
    ContributorConsent,
    OfferStatus,
    RequestOffer,
    RequestStatus,
    TeachingRequest,
)
from practica.teaching.sessions import services
from practica.teaching.tests.factories import LivedExperienceContributorFactory
from practica.teaching.tests.sessions_world import World, make_world, raise_teaching

pytestmark = pytest.mark.django_db

PROTOCOL = ("teaching-requests", "teaching-offers")


@pytest.fixture
def world() -> World:
    return make_world()


def exported(*kinds: str) -> dict[str, list[dict[str, str]]]:
    return {kind: get_importer(kind).export_rows(OPERATOR) for kind in kinds}


def protocol_in_every_state(world: World) -> None:
    """A request filled (its session arranged), one with an offer not taken up, one open."""
    contributor = LivedExperienceContributorFactory.create(hei=world.hei)
    filled = raise_teaching(world, targets=[world.la1])
    services.add_request_contributor(actor=world.academic, request=filled, contributor=contributor)
    (offer,) = services.offer_practitioners(
        actor=world.lead1,
        request=filled,
        organisation=world.la1,
        practitioners=[world.pt_with_account],
        note="Pat knows the topic well.",
    )
    services.accept_offer(actor=world.academic, offer=offer)
    services.confirm_offer(actor=world.pt_user, offer=offer)
    declined = raise_teaching(world, topic="Carers' assessments", practitioners_wanted=2)
    (other,) = services.offer_practitioners(
        actor=world.lead2, request=declined, organisation=world.la2, practitioners=[world.other_pt]
    )
    services.decline_offer(actor=world.academic, offer=other, reason="Found someone nearer.")
    raise_teaching(world, kind="interview_full", topic="", module="", ends_at=datetime.time(16))


def test_requests_and_offers_come_back_whole_and_tell_nobody(
    world: World, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    protocol_in_every_state(world)
    before = exported(*PROTOCOL)
    session = TeachingRequest.objects.unscoped("test").get(status=RequestStatus.FILLED).session
    RequestOffer.objects.unscoped("test").all().delete()
    TeachingRequest.objects.unscoped("test").all().delete()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        errors, result = import_text(*((kind, as_csv(before[kind])) for kind in PROTOCOL))

    assert errors == []
    assert result.counts() == {"create": 5, "update": 0, "unchanged": 0}
    assert exported(*PROTOCOL) == before
    filled = TeachingRequest.objects.unscoped("test").get(status=RequestStatus.FILLED)
    assert filled.session == session  # linked again to the session arranged for it
    assert filled.contributors.count() == 1
    assert set(RequestOffer.objects.unscoped("test").values_list("status", flat=True)) == {
        OfferStatus.CONFIRMED,
        OfferStatus.DECLINED,
    }
    assert mail.outbox == []


def test_importing_the_export_again_changes_nothing(world: World) -> None:
    protocol_in_every_state(world)
    rows = exported(*PROTOCOL)

    errors, result = import_text(*((kind, as_csv(rows[kind])) for kind in PROTOCOL))

    assert errors == []
    assert result.counts() == {"create": 0, "update": 0, "unchanged": 5}


def test_a_request_asking_an_organisation_outside_the_partnership_is_refused(
    world: World,
) -> None:
    errors, _result = import_text(
        (
            "teaching-requests",
            "hei,date,starts,type,module,topic,ends,asked\n"
            "UNI,2019-11-14,10:00,teaching,Adults,Mental capacity,12:00,UNI\n",
        )
    )

    assert len(errors) == 1
    assert "asked" in errors[0]
    assert "not a local authority of the partnership" in errors[0]
    assert not TeachingRequest.objects.unscoped("test").exists()


def test_an_offer_for_a_request_not_in_practica_is_refused(world: World) -> None:
    errors, _result = import_text(
        (
            "teaching-offers",
            "hei,date,starts,type,module,topic,practitioner_email,organisation,status\n"
            "UNI,2019-11-14,10:00,teaching,Adults,Mental capacity,pat@shire.test,LA1,offered\n",
        )
    )

    assert len(errors) == 1
    assert "no such request" in errors[0]


def test_consents_beyond_the_listing_come_back_with_their_dates(world: World) -> None:
    contributor = LivedExperienceContributorFactory.create(hei=world.hei)
    directory_services.give_consent(
        actor=None,
        contributor=contributor,
        kind=ConsentKind.PARTNERS,
        given_on=datetime.date(2020, 1, 6),
    )
    recording = directory_services.give_consent(
        actor=None,
        contributor=contributor,
        kind=ConsentKind.RECORDING,
        given_on=datetime.date(2019, 10, 2),
    )
    directory_services.withdraw_consent(
        actor=None, consent=recording, withdrawn_on=datetime.date(2020, 3, 1)
    )
    hidden = LivedExperienceContributorFactory.create(hei=world.hei, listed=False)
    directory_services.record_past_consent(
        actor=None,
        contributor=hidden,
        kind=ConsentKind.DIRECTORY,
        given_on=datetime.date(2019, 9, 1),
        withdrawn_on=datetime.date(2019, 12, 1),
    )
    rows = exported("contributor-consents")["contributor-consents"]
    # the listing is the contributors file's; someone no longer listed is exported to no one
    assert [(row["kind"], row["given_on"], row["withdrawn_on"]) for row in rows] == [
        ("partners", "2020-01-06", ""),
        ("recording", "2019-10-02", "2020-03-01"),
    ]
    ContributorConsent.objects.unscoped("test").filter(contributor=contributor).exclude(
        kind=ConsentKind.DIRECTORY
    ).delete()

    errors, result = import_text(("contributor-consents", as_csv(rows)))

    assert errors == []
    assert result.counts() == {"create": 2, "update": 0, "unchanged": 0}
    assert exported("contributor-consents")["contributor-consents"] == rows
    errors, result = import_text(("contributor-consents", as_csv(rows)))
    assert result.counts() == {"create": 0, "update": 0, "unchanged": 2}


def test_the_contributors_export_leaves_sharing_to_the_consents_file(world: World) -> None:
    LivedExperienceContributorFactory.create(hei=world.hei, shared=True)

    rows = exported("lived-experience-contributors", "contributor-consents")

    assert "share_with_partners" not in rows["lived-experience-contributors"][0]
    assert [row["kind"] for row in rows["contributor-consents"]] == ["partners"]
