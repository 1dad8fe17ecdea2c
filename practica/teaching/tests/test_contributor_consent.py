"""Who sees a lived-experience contributor: their university's staff while they consent to
being listed, the partnership's local authorities only if they also consent to sharing, and
always the contributor themselves. Withdrawing the listing hides them everywhere at once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from practica.accounts.models import Role, User
from practica.core.models import Organisation
from practica.imports.registry import get_importer
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    member,
)
from practica.teaching.directory import selectors, services
from practica.teaching.models import (
    ConsentKind,
    ContributorConsent,
    LivedExperienceContributor,
    SessionContributor,
)
from practica.teaching.tests.factories import (
    LivedExperienceContributorFactory,
    SessionContributorFactory,
    TeachingSessionFactory,
)

pytestmark = pytest.mark.django_db

NEEDS = "Step-free access and a quiet room to prepare"
PAYMENT = "Bank transfer; expenses by receipt"


@pytest.fixture
def partnership() -> dict[str, Organisation]:
    ours = PartnershipFactory.create()
    hei = OrganisationFactory.create(partnership=ours, kind="hei")
    la = OrganisationFactory.create(partnership=ours, kind="local_authority")
    return {
        "hei": hei,
        "la": la,
        "other_hei": OrganisationFactory.create(partnership=ours, kind="hei"),
    }


def _contributor(hei: Organisation, **kwargs: object) -> LivedExperienceContributor:
    return LivedExperienceContributorFactory.create(
        hei=hei, accessibility_needs=NEEDS, payment_preference=PAYMENT, **kwargs
    )


def _listing_consent(contributor: LivedExperienceContributor) -> ContributorConsent:
    return ContributorConsent.objects.unscoped("test").get(
        contributor=contributor, kind=ConsentKind.DIRECTORY, withdrawn_on__isnull=True
    )


def test_university_staff_see_their_listed_contributors_with_private_details(
    client: Client, partnership: dict[str, Organisation]
) -> None:
    contributor = _contributor(partnership["hei"])
    academic = member(Role.ACADEMIC, partnership["hei"])
    client.force_login(academic)

    page = client.get(reverse("teaching:contributor-detail", args=[contributor.pk]))

    assert page.status_code == 200
    assert NEEDS in page.text
    assert PAYMENT in page.text
    assert contributor.person.last_name in client.get(reverse("teaching:contributor-list")).text


def test_another_university_and_the_partnership_manager_never_see_them(
    client: Client, partnership: dict[str, Organisation]
) -> None:
    contributor = _contributor(partnership["hei"], shared=True)
    for user in (
        member(Role.COORDINATOR, partnership["other_hei"]),
        member(Role.PARTNERSHIP_MANAGER, partnership["hei"]),
    ):
        assert not selectors.contributors_visible_to(user).filter(pk=contributor.pk).exists()
        client.force_login(user)
        url = reverse("teaching:contributor-detail", args=[contributor.pk])
        assert client.get(url).status_code == 404


def test_local_authority_staff_see_no_contributor_without_consent_to_sharing(
    client: Client, partnership: dict[str, Organisation]
) -> None:
    unshared = _contributor(partnership["hei"])
    coordinator = member(Role.COORDINATOR, partnership["la"])
    client.force_login(coordinator)

    listed = client.get(reverse("teaching:contributor-list"))
    detail = client.get(reverse("teaching:contributor-detail", args=[unshared.pk]))
    exported = get_importer("lived-experience-contributors").export_rows(coordinator)

    assert unshared.person.last_name not in listed.text
    assert detail.status_code == 404
    assert exported == []


def test_local_authority_staff_see_a_shared_contributor_but_never_their_needs_or_payment(
    client: Client, partnership: dict[str, Organisation]
) -> None:
    shared = _contributor(partnership["hei"], shared=True)
    coordinator = member(Role.COORDINATOR, partnership["la"])
    client.force_login(coordinator)

    page = client.get(reverse("teaching:contributor-detail", args=[shared.pk]))

    assert page.status_code == 200
    assert shared.person.last_name in client.get(reverse("teaching:contributor-list")).text
    assert NEEDS not in page.text
    assert PAYMENT not in page.text
    assert "Consent" not in page.text  # nor what they agreed to
    # read only: they cannot change the entry or its consent
    assert client.get(reverse("teaching:contributor-edit", args=[shared.pk])).status_code == 404
    assert client.get(reverse("teaching:contributor-consent", args=[shared.pk])).status_code == 403


def test_withdrawing_the_listing_hides_the_contributor_from_every_page_and_list_at_once(
    client: Client, partnership: dict[str, Organisation]
) -> None:
    contributor = _contributor(partnership["hei"], shared=True)
    academic = member(Role.ACADEMIC, partnership["hei"])
    la_coordinator = member(Role.COORDINATOR, partnership["la"])
    hei_coordinator = member(Role.COORDINATOR, partnership["hei"])
    viewers: list[User] = [academic, la_coordinator, hei_coordinator]
    for viewer in viewers:
        assert selectors.contributors_visible_to(viewer).filter(pk=contributor.pk).exists()

    services.withdraw_consent(actor=hei_coordinator, consent=_listing_consent(contributor))

    importer = get_importer("lived-experience-contributors")
    for viewer in viewers:
        client.force_login(viewer)
        assert (
            contributor.person.last_name
            not in client.get(reverse("teaching:contributor-list")).text
        )
        for name in ("contributor-detail", "contributor-edit", "contributor-consent"):
            assert client.get(reverse(f"teaching:{name}", args=[contributor.pk])).status_code == 404
        assert not selectors.contributors_visible_to(viewer).filter(pk=contributor.pk).exists()
        assert importer.export_rows(viewer) == []
    # the sharing consent went with it
    assert (
        not ContributorConsent.objects.unscoped("test")
        .filter(contributor=contributor, withdrawn_on__isnull=True)
        .exists()
    )


def test_the_contributor_still_sees_their_own_entry_and_can_consent_again(
    client: Client, partnership: dict[str, Organisation]
) -> None:
    contributor = _contributor(partnership["hei"])
    user = member(Role.CONTRIBUTOR, partnership["hei"])
    contributor.person.user = user
    contributor.person.save()
    services.withdraw_consent(actor=None, consent=_listing_consent(contributor))
    client.force_login(user)

    mine = client.get(reverse("teaching:contributor-mine"), follow=True)
    again = client.post(
        reverse("teaching:contributor-consent", args=[contributor.pk]),
        {"kind": ConsentKind.DIRECTORY, "given_on_0": "2", "given_on_1": "3", "given_on_2": "2020"},
    )

    assert mine.status_code == 200
    assert NEEDS in mine.text
    assert again.status_code == 302
    academic = member(Role.ACADEMIC, partnership["hei"])
    assert selectors.contributors_visible_to(academic).filter(pk=contributor.pk).exists()


def test_a_contributor_withdraws_a_consent_from_their_own_page(
    client: Client, partnership: dict[str, Organisation]
) -> None:
    contributor = _contributor(partnership["hei"], shared=True)
    user = member(Role.CONTRIBUTOR, partnership["hei"])
    contributor.person.user = user
    contributor.person.save()
    sharing = ContributorConsent.objects.unscoped("test").get(
        contributor=contributor, kind=ConsentKind.PARTNERS
    )
    client.force_login(user)

    response = client.post(
        reverse("teaching:consent-withdraw", args=[sharing.pk]),
        {"withdrawn_on_0": "1", "withdrawn_on_1": "1", "withdrawn_on_2": "2020"},
    )

    assert response.status_code == 302
    la_coordinator = member(Role.COORDINATOR, partnership["la"])
    assert not selectors.contributors_visible_to(la_coordinator).exists()
    assert (
        selectors.contributors_visible_to(member(Role.ACADEMIC, partnership["hei"]))
        .filter(pk=contributor.pk)
        .exists()
    )


def test_adding_someone_who_had_withdrawn_lists_the_same_entry_again(
    partnership: dict[str, Organisation],
) -> None:
    contributor = _contributor(partnership["hei"])
    services.withdraw_consent(actor=None, consent=_listing_consent(contributor))

    again = services.add_contributor(
        actor=None,
        hei=partnership["hei"],
        first_name=contributor.person.first_name,
        last_name=contributor.person.last_name,
        email=contributor.person.email,
        consent_given_on=datetime.date(2020, 3, 1),
    )

    assert again.pk == contributor.pk
    with pytest.raises(ValidationError, match="already in the directory"):
        services.add_contributor(
            actor=None,
            hei=partnership["hei"],
            first_name="X",
            last_name="Y",
            email=contributor.person.email,
            consent_given_on=datetime.date(2020, 3, 1),
        )


def test_sharing_needs_the_listing_and_a_consent_is_in_force_once(
    partnership: dict[str, Organisation],
) -> None:
    unlisted = _contributor(partnership["hei"], listed=False)
    with pytest.raises(ValidationError, match="listed in the directory first"):
        services.give_consent(
            actor=None,
            contributor=unlisted,
            kind=ConsentKind.PARTNERS,
            given_on=datetime.date(2020, 1, 1),
        )
    listed = _contributor(partnership["hei"])
    with pytest.raises(ValidationError, match="already in force"):
        services.give_consent(
            actor=None,
            contributor=listed,
            kind=ConsentKind.DIRECTORY,
            given_on=datetime.date(2020, 1, 1),
        )


def test_consent_cannot_be_withdrawn_before_it_was_given(
    partnership: dict[str, Organisation],
) -> None:
    contributor = _contributor(partnership["hei"])
    with pytest.raises(ValidationError, match="before it was given"):
        services.withdraw_consent(
            actor=None,
            consent=_listing_consent(contributor),
            withdrawn_on=datetime.date(2019, 1, 1),
        )


def test_university_staff_add_a_contributor_with_their_consent(
    client: Client, partnership: dict[str, Organisation]
) -> None:
    client.force_login(member(Role.COORDINATOR, partnership["hei"]))

    response = client.post(
        reverse("teaching:contributor-create"),
        {
            "first_name": "Jo",
            "last_name": "Bright",
            "email": "jo.bright@example.test",
            "consent_given_on_0": "1",
            "consent_given_on_1": "10",
            "consent_given_on_2": "2019",
            "share_with_partners": "on",
            "accessibility_needs": NEEDS,
        },
    )

    assert response.status_code == 302
    contributor = LivedExperienceContributor.objects.unscoped("test").get(
        person__last_name="Bright"
    )
    kinds = set(
        ContributorConsent.objects.unscoped("test")
        .filter(contributor=contributor)
        .values_list("kind", flat=True)
    )
    assert kinds == {ConsentKind.DIRECTORY, ConsentKind.PARTNERS}
    assert (
        selectors.contributors_visible_to(member(Role.COORDINATOR, partnership["la"]))
        .filter(pk=contributor.pk)
        .exists()
    )


def test_home_pages_show_university_staff_their_directory_and_contributors_their_consent(
    client: Client, partnership: dict[str, Organisation]
) -> None:
    contributor = _contributor(partnership["hei"], shared=True)
    user = member(Role.CONTRIBUTOR, partnership["hei"])
    contributor.person.user = user
    contributor.person.save()
    client.force_login(member(Role.ACADEMIC, partnership["hei"]))
    assert "Lived-experience contributors" in client.get(reverse("home")).text

    client.force_login(user)
    home = client.get(reverse("home")).text

    assert "Consents you have given" in home
    assert reverse("teaching:contributor-mine") in home


def test_who_took_part_in_a_session_shows_a_contributor_only_as_their_consent_allows(
    partnership: dict[str, Organisation],
) -> None:
    hei, la = partnership["hei"], partnership["la"]
    session = TeachingSessionFactory.create(hei=hei)
    teacher = SessionContributorFactory.create(
        session=session, practitioner_teacher__person__organisation=la
    )
    private = SessionContributorFactory.create(
        session=session, practitioner_teacher=None, contributor=_contributor(hei), organisation=None
    )
    shared = SessionContributorFactory.create(
        session=session,
        practitioner_teacher=None,
        contributor=_contributor(hei, shared=True),
        organisation=None,
    )
    university = member(Role.ACADEMIC, hei)
    la_coordinator = member(Role.COORDINATOR, la)
    manager = member(Role.PARTNERSHIP_MANAGER, partnership["other_hei"])

    def seen(user: User) -> set[int]:
        return set(
            SessionContributor.objects.visible_to(user)
            .filter(session=session)
            .values_list("pk", flat=True)
        )

    assert seen(university) == {teacher.pk, private.pk, shared.pk}
    assert seen(la_coordinator) == {teacher.pk, shared.pk}
    assert seen(manager) == {teacher.pk}
    # and the session's page shows what the rows allow
    client = Client()
    client.force_login(la_coordinator)
    assert private.contributor is not None
    assert shared.contributor is not None
    page = client.get(reverse("teaching:session-detail", args=[session.pk])).content.decode()
    assert shared.contributor.person.last_name in page
    assert private.contributor.person.last_name not in page
    assert private.contributor is not None
    _listing_consent(private.contributor).delete()  # no listing: hidden from the university too
    assert seen(university) == {teacher.pk, shared.pk}
