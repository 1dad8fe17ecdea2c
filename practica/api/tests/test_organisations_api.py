"""/api/v1/organisations/: scoped like the organisation pages; coordinators change their own
through ``update_organisation``."""

from __future__ import annotations

from django.urls import reverse

from practica.accounts.models import Role, User
from practica.api.tests.conftest import ClientFor
from practica.core.models import Organisation, Partnership
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    TeamFactory,
    member,
)

LIST = reverse("api:organisation-list")


def detail(organisation: Organisation) -> str:
    return reverse("api:organisation-detail", args=[organisation.pk])


def test_a_coordinator_lists_only_their_own_organisation(
    api_as: ClientFor, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    response = api_as(alice).get(LIST)

    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == ["AAA"]
    assert response.json()["count"] == 1


def test_a_partnership_manager_lists_every_organisation_of_their_partnership_only(
    api_as: ClientFor, manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    OrganisationFactory.create(partnership=PartnershipFactory.create(name="Elsewhere"), code="ZZZ")

    codes = [row["code"] for row in api_as(manager).get(LIST).json()["results"]]

    assert codes == ["AAA", "BBB"]


def test_the_list_shows_each_organisations_kind_and_counts(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    team = TeamFactory.create(organisation=org_a)
    PersonFactory.create_batch(2, organisation=org_a, team=team)

    row = api_as(alice).get(LIST).json()["results"][0]

    assert row == {
        "id": org_a.pk,
        "code": "AAA",
        "name": "Alpha Council",
        "kind": "local_authority",
        "kind_label": "Local authority",
        "partnership": org_a.partnership.name,
        "team_count": 1,
        "person_count": 2,
    }


def test_the_list_filters_by_organisation_code_in_any_letter_case(
    api_as: ClientFor, manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    response = api_as(manager).get(LIST, {"organisation": "bbb"})

    assert [row["code"] for row in response.json()["results"]] == ["BBB"]


def test_a_malformed_filter_is_refused_naming_the_parameter(api_as: ClientFor, alice: User) -> None:
    response = api_as(alice).get(LIST, {"organisation": "X" * 40})

    assert response.status_code == 400
    assert list(response.json()) == ["organisation"]


def test_pages_hold_page_size_records_and_at_most_one_hundred(
    api_as: ClientFor, partnership: Partnership, manager: User
) -> None:
    OrganisationFactory.create_batch(4, partnership=partnership)
    client = api_as(manager)

    first = client.get(LIST, {"page_size": 2}).json()
    capped = client.get(LIST, {"page_size": 1000}).json()

    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["next"] is not None
    assert len(capped["results"]) == 5


def test_another_organisation_is_404(api_as: ClientFor, alice: User, org_b: Organisation) -> None:
    assert api_as(alice).get(detail(org_b)).status_code == 404


def test_a_coordinator_renames_their_organisation_and_history_names_them(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    response = api_as(alice).patch(detail(org_a), {"name": "Alpha Borough Council"})

    assert response.status_code == 200
    assert response.json()["name"] == "Alpha Borough Council"
    org_a.refresh_from_db()
    assert (org_a.name, org_a.code, org_a.kind) == (
        "Alpha Borough Council",
        "AAA",
        "local_authority",
    )
    assert org_a.history.first().history_user == alice


def test_put_replaces_every_field_and_the_code_is_normalised(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    response = api_as(alice).put(
        detail(org_a), {"code": " alpha ", "name": "Alpha", "kind": "independent"}
    )

    assert response.status_code == 200
    org_a.refresh_from_db()
    assert (org_a.code, org_a.name, org_a.kind) == ("ALPHA", "Alpha", "independent")


def test_put_without_every_field_is_refused_naming_the_missing_one(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    response = api_as(alice).put(detail(org_a), {"code": "AAA", "name": "Alpha"})

    assert response.status_code == 400
    assert response.json() == {"kind": ["This field is required."]}


def test_a_code_taken_by_another_organisation_is_refused_and_nothing_changes(
    api_as: ClientFor, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    response = api_as(alice).patch(detail(org_a), {"code": "bbb", "name": "Renamed"})

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["An organisation with this code already exists."]
    }
    org_a.refresh_from_db()
    assert (org_a.code, org_a.name) == ("AAA", "Alpha Council")


def test_a_malformed_code_is_refused_by_the_service_naming_the_field(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    response = api_as(alice).patch(detail(org_a), {"code": "A-1"})

    assert response.status_code == 400
    assert response.json() == {
        "code": ["Use 2 to 12 capital letters or digits for the code, for example MC or CCCU."]
    }
    org_a.refresh_from_db()
    assert org_a.code == "AAA"


def test_an_outsider_cannot_change_another_organisation(
    api_as: ClientFor, charlie: User, org_a: Organisation
) -> None:
    client = api_as(charlie)

    for method in ("put", "patch", "delete", "post", "options"):
        response = getattr(client, method)(detail(org_a), {"name": "Hacked"})
        assert response.status_code == 404, method
    org_a.refresh_from_db()
    assert org_a.name == "Alpha Council"


def test_a_practice_educator_sees_but_cannot_change_their_organisation(
    api_as: ClientFor, bob: User, org_a: Organisation
) -> None:
    client = api_as(bob)

    assert client.get(detail(org_a)).status_code == 200
    assert client.patch(detail(org_a), {"name": "Renamed"}).status_code == 404
    org_a.refresh_from_db()
    assert org_a.name == "Alpha Council"


def test_organisations_cannot_be_deleted_or_created_through_the_api(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    client = api_as(alice)

    assert client.delete(detail(org_a)).status_code == 405
    assert client.post(LIST, {"code": "NEW", "name": "New", "kind": "hei"}).status_code == 405
    assert Organisation.objects.unscoped("test").filter(code="NEW").count() == 0


def test_every_role_may_list_organisations(api_as: ClientFor, org_a: Organisation) -> None:
    for role in Role:
        assert api_as(member(role, org_a)).get(LIST).status_code == 200, role
