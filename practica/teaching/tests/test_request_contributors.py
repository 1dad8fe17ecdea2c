"""A university's own lived-experience contributors on its requests and sessions: only those
who consent to being listed, only the university's own, and shown to a local authority only
when the contributor consents to sharing with partners."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from practica.core.history import history_for
from practica.teaching.directory import services as directory_services
from practica.teaching.models import (
    ConsentKind,
    ContributorConsent,
    LivedExperienceContributor,
    SessionContributor,
    TeachingRequest,
)
from practica.teaching.sessions import selectors, services
from practica.teaching.tests.factories import (
    LivedExperienceContributorFactory,
    TeachingSessionFactory,
)
from practica.teaching.tests.sessions_world import World, make_world, raise_teaching

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def _arrange(world: World, request: TeachingRequest) -> None:
    (offer,) = services.offer_practitioners(
        actor=world.lead1,
        request=request,
        organisation=world.la1,
        practitioners=[world.pt_with_account],
    )
    services.accept_offer(actor=world.academic, offer=offer)
    services.confirm_offer(actor=world.pt_user, offer=offer)


def _on_session(request: TeachingRequest) -> set[LivedExperienceContributor | None]:
    request.refresh_from_db()
    rows = SessionContributor.objects.unscoped("test").filter(
        session=request.session, contributor__isnull=False
    )
    return {row.contributor for row in rows}


def test_the_university_s_contributor_joins_the_session_when_it_is_arranged(
    world: World,
) -> None:
    contributor = LivedExperienceContributorFactory.create(hei=world.hei)
    request = raise_teaching(world)

    services.add_request_contributor(actor=world.academic, request=request, contributor=contributor)
    _arrange(world, request)

    assert _on_session(request) == {contributor}


def test_a_contributor_who_withdrew_before_the_session_is_arranged_does_not_join_it(
    world: World,
) -> None:
    contributor = LivedExperienceContributorFactory.create(hei=world.hei)
    request = raise_teaching(world)
    services.add_request_contributor(actor=world.academic, request=request, contributor=contributor)
    consent = ContributorConsent.objects.unscoped("test").get(
        contributor=contributor, kind=ConsentKind.DIRECTORY
    )

    directory_services.withdraw_consent(actor=None, consent=consent)
    _arrange(world, request)

    assert _on_session(request) == set()


def test_added_after_the_session_is_arranged_they_join_it_at_once(world: World) -> None:
    contributor = LivedExperienceContributorFactory.create(hei=world.hei)
    request = raise_teaching(world)
    _arrange(world, request)

    services.add_request_contributor(actor=world.academic, request=request, contributor=contributor)

    assert _on_session(request) == {contributor}


def test_it_refuses_an_unlisted_contributor_another_university_s_and_a_second_time(
    world: World,
) -> None:
    request = raise_teaching(world)
    unlisted = LivedExperienceContributorFactory.create(hei=world.hei, listed=False)
    elsewhere = LivedExperienceContributorFactory.create(
        hei__partnership=world.partnership, hei__kind="hei"
    )
    listed = LivedExperienceContributorFactory.create(hei=world.hei)
    services.add_request_contributor(actor=world.academic, request=request, contributor=listed)

    with pytest.raises(ValidationError, match="not consented to being listed"):
        services.add_request_contributor(
            actor=world.academic, request=request, contributor=unlisted
        )
    with pytest.raises(ValidationError, match="directory of contributors"):
        services.add_request_contributor(
            actor=world.academic, request=request, contributor=elsewhere
        )
    with pytest.raises(ValidationError, match="already on this request"):
        services.add_request_contributor(actor=world.academic, request=request, contributor=listed)


def test_a_contributor_goes_straight_onto_a_session_but_not_a_cancelled_one(world: World) -> None:
    contributor = LivedExperienceContributorFactory.create(hei=world.hei)
    session = TeachingSessionFactory.create(hei=world.hei)
    cancelled = TeachingSessionFactory.create(hei=world.hei, status="cancelled")

    row = services.add_session_contributor(
        actor=world.academic, session=session, contributor=contributor
    )

    assert (row.contributor, row.practitioner_teacher) == (contributor, None)
    with pytest.raises(ValidationError, match="cancelled"):
        services.add_session_contributor(
            actor=world.academic, session=cancelled, contributor=contributor
        )


def test_the_local_authority_sees_a_contributor_on_the_request_only_if_they_share(
    world: World,
) -> None:
    private = LivedExperienceContributorFactory.create(hei=world.hei)
    sharing = LivedExperienceContributorFactory.create(hei=world.hei, shared=True)
    request = raise_teaching(world)
    for contributor in (private, sharing):
        services.add_request_contributor(
            actor=world.academic, request=request, contributor=contributor
        )

    assert set(selectors.request_contributors_of(world.academic, request)) == {private, sharing}
    assert list(selectors.request_contributors_of(world.lead1, request)) == [sharing]


def test_the_academic_adds_a_contributor_on_the_request_page(world: World, client: Client) -> None:
    contributor = LivedExperienceContributorFactory.create(
        hei=world.hei, person__last_name="Okafor"
    )
    unlisted = LivedExperienceContributorFactory.create(
        hei=world.hei, listed=False, person__last_name="Unlisted"
    )
    request = raise_teaching(world)
    client.force_login(world.academic)
    url = reverse("teaching:request-contributor-add", args=[request.pk])

    form = client.get(url).content.decode()
    response = client.post(url, {"contributor": contributor.pk})
    refused = client.post(url, {"contributor": unlisted.pk})
    page = client.get(reverse("teaching:request-detail", args=[request.pk])).content.decode()

    assert "Okafor" in form
    assert "Unlisted" not in form
    assert response.status_code == 302
    assert refused.status_code == 200  # not a choice: the form refuses it
    assert "Okafor" in page
    assert list(request.contributors.all()) == [contributor]
    # the local authority's lead may not add the university's contributors
    client.force_login(world.lead1)
    assert client.get(url).status_code == 404


def test_the_academic_puts_a_contributor_on_a_session_from_its_page(
    world: World, client: Client
) -> None:
    contributor = LivedExperienceContributorFactory.create(hei=world.hei)
    session = TeachingSessionFactory.create(hei=world.hei, date=datetime.date(2019, 11, 14))
    client.force_login(world.academic)

    response = client.post(
        reverse("teaching:session-contributor-add", args=[session.pk]),
        {"contributor": contributor.pk},
    )

    assert response.status_code == 302
    assert SessionContributor.objects.unscoped("test").get(session=session).contributor == (
        contributor
    )


@pytest.mark.parametrize(("status", "offered"), [("delivered", True), ("cancelled", False)])
def test_the_session_page_offers_to_add_a_contributor_unless_it_is_cancelled(
    world: World, client: Client, status: str, offered: bool
) -> None:
    session = TeachingSessionFactory.create(
        hei=world.hei, date=datetime.date(2019, 11, 14), status=status
    )
    client.force_login(world.academic)
    page = client.get(reverse("teaching:session-detail", args=[session.pk])).text
    add = reverse("teaching:session-contributor-add", args=[session.pk])
    assert (add in page) is offered


def test_adding_a_contributor_to_a_request_is_in_its_history_with_who_added_them(
    world: World,
) -> None:
    contributor = LivedExperienceContributorFactory.create(hei=world.hei)
    request = raise_teaching(world)

    services.add_request_contributor(actor=world.academic, request=request, contributor=contributor)

    (latest, *_earlier) = history_for(request)
    assert latest.who == world.academic.display_name
    assert latest.changes == ["Lived-experience contributors: 1 added"]


def test_the_session_history_says_who_was_put_on_it_and_hides_a_contributor_who_withdrew(
    world: World,
) -> None:
    contributor = LivedExperienceContributorFactory.create(hei=world.hei)
    request = raise_teaching(world)
    _arrange(world, request)
    request.refresh_from_db()
    session = request.session
    assert session is not None

    services.add_session_contributor(actor=world.academic, session=session, contributor=contributor)

    actions = {(e.action, e.who) for e in selectors.session_history(world.academic, session)}
    assert (f"{contributor} put on the session", world.academic.display_name) in actions
    assert any(action == f"{world.pt_with_account} put on the session" for action, _who in actions)
    consent = ContributorConsent.objects.unscoped("test").get(
        contributor=contributor, kind=ConsentKind.DIRECTORY
    )
    directory_services.withdraw_consent(actor=None, consent=consent)
    after = {e.action for e in selectors.session_history(world.academic, session)}
    assert not any(str(contributor) in action for action in after)
