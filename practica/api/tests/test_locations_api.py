"""/api/v1/locations/: read-only, scoped like the organisation pages' location lists."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from practica.accounts.models import Role, User
from practica.api.tests.conftest import ClientFor
from practica.core.models import Location, Organisation
from practica.organisations.tests.factories import LocationFactory, member

LIST = reverse("api:location-list")


def test_a_coordinator_lists_only_their_own_organisations_locations(
    api_as: ClientFor, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    own = LocationFactory.create(
        organisation=org_a,
        name="Gillingham",
        postcode="ME7 4DU",
        latitude=Decimal("51.38900"),
        longitude=Decimal("0.54860"),
    )
    LocationFactory.create(organisation=org_b, name="Canterbury")

    response = api_as(alice).get(LIST)

    assert response.json()["results"] == [
        {
            "id": own.pk,
            "organisation": "AAA",
            "name": "Gillingham",
            "postcode": "ME7 4DU",
            "latitude": 51.389,
            "longitude": 0.5486,
        }
    ]


def test_the_list_filters_by_organisation(
    api_as: ClientFor, manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    LocationFactory.create(organisation=org_a, name="Gillingham")
    LocationFactory.create(organisation=org_b, name="Canterbury")

    response = api_as(manager).get(LIST, {"organisation": "BBB"})

    assert [row["name"] for row in response.json()["results"]] == ["Canterbury"]


def test_another_organisations_location_is_404(
    api_as: ClientFor, alice: User, org_b: Organisation
) -> None:
    theirs = LocationFactory.create(organisation=org_b)

    response = api_as(alice).get(reverse("api:location-detail", args=[theirs.pk]))

    assert response.status_code == 404
    assert response.json() == {"detail": "No location found"}


def test_locations_are_read_only_through_the_api(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    own = LocationFactory.create(organisation=org_a, name="Gillingham")
    client = api_as(alice)
    url = reverse("api:location-detail", args=[own.pk])

    assert client.patch(url, {"name": "Chatham"}).status_code == 405
    assert client.post(LIST, {"name": "Chatham"}).status_code == 405
    assert list(Location.objects.unscoped("test").values_list("name", flat=True)) == ["Gillingham"]


def test_a_student_is_refused_the_list(api_as: ClientFor, org_a: Organisation) -> None:
    assert api_as(member(Role.STUDENT, org_a)).get(LIST).status_code == 403
