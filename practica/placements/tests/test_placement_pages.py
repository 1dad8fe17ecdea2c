"""The offer and placement pages, the lifecycle steps from the browser, the home-page cards and
the placements on a practice educator's profile."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from practica.accounts.models import Role, User
from practica.core.models import Organisation
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.organisations.tests.factories import PersonFactory, TeamFactory, member
from practica.placements.models import Placement, PlacementOffer, PlacementStatus
from practica.placements.tests.during_factories import with_checks
from practica.placements.tests.factories import (
    PlacementFactory,
    PlacementOfferFactory,
    StudentFactory,
    year_2019,
)

pytestmark = pytest.mark.django_db


def cards(client: Client) -> dict[str, int | None]:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {card.title: card.count for card in response.context["dashboard"].cards}


def test_a_coordinator_offers_placements_from_the_browser(
    client: Client, alice: User, org_a: Organisation
) -> None:
    team = TeamFactory.create(organisation=org_a, name="Duty team")
    client.force_login(alice)
    response = client.post(
        reverse("placements:offer-create"),
        {
            "team": team.pk,
            "academic_year": year_2019().pk,
            "placement_type": "final_100",
            "slots": "3",
            "routes": ["ba", "ma"],
        },
    )
    offer = PlacementOffer.objects.unscoped("test").get()
    assert response.status_code == 302
    assert response["Location"] == offer.get_absolute_url()
    assert (offer.slots, offer.days, offer.routes) == (3, 100, ["ba", "ma"])
    page = client.get(offer.get_absolute_url())
    assert "0 of 3 filled" in page.text
    assert "Change the offer" in page.text
    listing = client.get(reverse("placements:offer-list") + "?year=2019/20")
    assert [o.pk for o in listing.context["listing"].page] == [offer.pk]


def test_a_refused_offer_keeps_the_form_with_the_reason(
    client: Client, alice: User, org_a: Organisation
) -> None:
    client.force_login(alice)
    response = client.post(
        reverse("placements:offer-create"),
        {"academic_year": year_2019().pk, "placement_type": "shadowing", "slots": "3"},
    )
    assert response.status_code == 200
    assert "Say how many days" in response.text
    assert not PlacementOffer.objects.unscoped("test").exists()


def test_a_university_requests_and_the_la_matches_confirms_and_starts(
    client: Client, alice: User, charlie: User, org_a: Organisation, org_b: Organisation
) -> None:
    student = with_checks(StudentFactory.create(hei=org_b))
    educator = PracticeEducatorFactory.create(person__organisation=org_a)
    offer = PlacementOfferFactory.create(organisation=org_a, practice_educator=educator)
    client.force_login(charlie)
    response = client.post(
        reverse("placements:placement-request"),
        {
            "student": student.pk,
            "organisation": org_a.pk,
            "academic_year": year_2019().pk,
            "placement_type": "final_100",
        },
    )
    placement = Placement.objects.unscoped("test").get()
    assert response["Location"] == placement.get_absolute_url()
    assert client.get(placement.get_absolute_url()).context["steps"] == []  # follows only
    assert (
        client.get(reverse("placements:placement-step", args=[placement.pk, "match"])).status_code
        == 404
    )

    client.force_login(alice)
    detail = client.get(placement.get_absolute_url())
    assert [step for step, _label in detail.context["steps"]] == ["match", "end-early"]
    step = reverse("placements:placement-step", args=[placement.pk, "match"])
    assert list(client.get(step).context["form"].fields["offer"].queryset) == [offer]
    client.post(step, {"offer": offer.pk})
    client.post(
        reverse("placements:placement-step", args=[placement.pk, "confirm"]),
        {
            "starts_on_0": "6",
            "starts_on_1": "1",
            "starts_on_2": "2020",
            "ends_on_0": "5",
            "ends_on_1": "6",
            "ends_on_2": "2020",
        },
    )
    client.post(reverse("placements:placement-step", args=[placement.pk, "start"]))
    placement.refresh_from_db()
    assert (placement.status, placement.practice_educator) == (
        PlacementStatus.IN_PROGRESS,
        educator,
    )
    assert (
        client.get(reverse("placements:placement-step", args=[placement.pk, "fly"])).status_code
        == 404
    )


def test_the_home_page_shows_each_coordinator_and_the_student_their_cards(
    client: Client, alice: User, charlie: User, org_a: Organisation, org_b: Organisation
) -> None:
    PlacementOfferFactory.create(organisation=org_a, slots=2)
    StudentFactory.create(hei=org_b, stage="final_100")
    student_user = member(Role.STUDENT, org_b)
    mine = StudentFactory.create(
        hei=org_b, person=PersonFactory.create(organisation=org_b, user=student_user)
    )
    PlacementFactory.create(organisation=org_a, student=mine, status=PlacementStatus.MATCHED)
    client.force_login(alice)
    assert cards(client) | {} == cards(client)
    shown = cards(client)
    assert shown["Offers with free places, 2019/20"] == 1
    assert shown["Placements to confirm"] == 1
    PlacementFactory.create(organisation=org_a, student__hei=org_b, confirmed=True)
    client.force_login(charlie)
    assert cards(client)["Students without a placement, 2019/20"] == 1
    assert cards(client)["Your students' placements under way, 2019/20"] == 1
    client.force_login(member(Role.ACADEMIC, org_b))
    assert cards(client)["Your students' placements under way, 2019/20"] == 1
    client.force_login(student_user)
    [(title, count)] = [(t, c) for t, c in cards(client).items() if t.startswith("Your placement")]
    assert (title, count) == ("Your placement: Final placement (100 days) (2019/20)", 1)


def test_a_practice_educators_profile_lists_the_placements_they_supervised(
    client: Client, alice: User, org_a: Organisation
) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a)
    placement = PlacementFactory.create(
        organisation=org_a, practice_educator=educator, confirmed=True
    )
    client.force_login(alice)
    page = client.get(reverse("educators:detail", args=[educator.pk]))
    assert placement.student.person.full_name in page.text
    assert "Placements are not yet recorded in Practica" not in page.text


def test_a_university_records_a_students_stage_and_needs_with_consent(
    client: Client, charlie: User, alice: User, org_b: Organisation
) -> None:
    student = StudentFactory.create(hei=org_b)
    url = reverse("placements:student-profile", args=[student.pk])
    client.force_login(charlie)
    assert "Change placement details" in client.get(student.get_absolute_url()).text
    refused = client.post(url, {"programme": "MA", "stage": "first_70", "needs": "Hearing loop"})
    assert "Give the day the student consented" in refused.text
    response = client.post(
        url,
        {
            "programme": "MA Social Work",
            "stage": "first_70",
            "needs": "Hearing loop",
            "needs_consent_on_0": "2",
            "needs_consent_on_1": "9",
            "needs_consent_on_2": "2019",
        },
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert (student.stage, student.needs, student.needs_consent) == (
        "first_70",
        "Hearing loop",
        True,
    )
    assert "Hearing loop" in client.get(student.get_absolute_url()).text
    client.force_login(alice)
    assert client.get(url).status_code == 404
