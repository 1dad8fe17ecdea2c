"""/api/v1/teams/: scoped like the team pages; coordinators add and change their own teams
through ``create_team`` and ``update_team``."""

from __future__ import annotations

from django.urls import reverse

from practica.accounts.models import Role, User
from practica.api.tests.conftest import ClientFor
from practica.core.models import Organisation, ServiceArea, Team
from practica.organisations.tests.factories import (
    LocationFactory,
    MembershipFactory,
    PersonFactory,
    TeamFactory,
    member,
)

LIST = reverse("api:team-list")


def detail(team: Team) -> str:
    return reverse("api:team-detail", args=[team.pk])


def test_a_coordinator_lists_only_their_own_organisations_teams(
    api_as: ClientFor, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    own = TeamFactory.create(organisation=org_a, name="Own team")
    TeamFactory.create(organisation=org_b, name="Their team")
    PersonFactory.create(organisation=org_a, team=own)

    response = api_as(alice).get(LIST)

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": own.pk,
            "organisation": "AAA",
            "name": "Own team",
            "service_area": "childrens",
            "service_area_name": own.service_area.name,
            "location": None,
            "location_name": None,
            "person_count": 1,
        }
    ]


def test_the_list_filters_by_organisation_service_area_and_name(
    api_as: ClientFor, manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    adults = ServiceArea.objects.get(code="adults")
    TeamFactory.create(organisation=org_a, name="Adults north", service_area=adults)
    TeamFactory.create(organisation=org_b, name="Adults south", service_area=adults)
    TeamFactory.create(organisation=org_b, name="Children south")
    client = api_as(manager)

    def names(**query: str) -> list[str]:
        return [row["name"] for row in client.get(LIST, query).json()["results"]]

    assert names(organisation="BBB") == ["Adults south", "Children south"]
    assert names(search="south", service_area="childrens") == ["Children south"]
    assert names(search="adults") == ["Adults north", "Adults south"]


def test_a_role_that_sees_no_team_is_refused_the_list(
    api_as: ClientFor, org_a: Organisation
) -> None:
    student = member(Role.STUDENT, org_a)

    assert api_as(student).get(LIST).status_code == 403


def test_another_organisations_team_is_404_on_every_method(
    api_as: ClientFor, alice: User, org_b: Organisation
) -> None:
    team = TeamFactory.create(organisation=org_b, name="Theirs")
    client = api_as(alice)

    for method in ("get", "put", "patch", "delete", "post"):
        assert getattr(client, method)(detail(team), {"name": "Mine"}).status_code == 404, method
    team.refresh_from_db()
    assert team.name == "Theirs"


def test_a_coordinator_adds_a_team_with_a_location_of_their_organisation(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    office = LocationFactory.create(organisation=org_a, name="Chatham")

    response = api_as(alice).post(
        LIST,
        {
            "organisation": "aaa",
            "name": " Adult safeguarding ",
            "service_area": "adults",
            "location": office.pk,
        },
    )

    assert response.status_code == 201, response.json()
    team = Team.objects.unscoped("test").get(pk=response.json()["id"])
    assert (team.organisation, team.name, team.service_area.code, team.location) == (
        org_a,
        "Adult safeguarding",
        "adults",
        office,
    )
    assert response.json()["location_name"] == "Chatham"
    assert team.history.first().history_user == alice


def test_a_team_for_an_organisation_the_user_does_not_manage_is_refused(
    api_as: ClientFor, alice: User, org_b: Organisation
) -> None:
    response = api_as(alice).post(
        LIST, {"organisation": "BBB", "name": "Sneaky", "service_area": "adults"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "organisation": ["You may not add teams to an organisation with the code “BBB”."]
    }
    assert not Team.objects.unscoped("test").filter(name="Sneaky").exists()


def test_another_organisations_location_is_not_found_and_nothing_is_written(
    api_as: ClientFor, alice: User, org_b: Organisation
) -> None:
    theirs = LocationFactory.create(organisation=org_b)

    response = api_as(alice).post(
        LIST,
        {"organisation": "AAA", "name": "New", "service_area": "adults", "location": theirs.pk},
    )

    assert response.status_code == 400
    assert response.json() == {
        "location": [f"There is no location with id {theirs.pk} that you can see."]
    }
    assert not Team.objects.unscoped("test").filter(name="New").exists()


def test_a_location_of_another_managed_organisation_is_refused_by_the_service(
    api_as: ClientFor, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    """A coordinator of two organisations sees both's locations; the service keeps a team's
    location inside the team's organisation."""
    MembershipFactory.create(user=alice, organisation=org_b, role=Role.COORDINATOR)
    theirs = LocationFactory.create(organisation=org_b)

    response = api_as(alice).post(
        LIST,
        {"organisation": "AAA", "name": "New", "service_area": "adults", "location": theirs.pk},
    )

    assert response.status_code == 400
    assert response.json() == {"location": ["Choose a location of the team's organisation."]}
    assert not Team.objects.unscoped("test").filter(name="New").exists()


def test_missing_and_mistyped_fields_are_each_named(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    response = api_as(alice).post(
        LIST, {"organisation": "AAA", "service_area": "nowhere", "location": "first"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "name": ["This field is required."],
        "service_area": ["There is no service area with the code “nowhere”."],
        "location": ["Give the location's id as a number, not str."],
    }
    assert Team.objects.unscoped("test").count() == 0


def test_a_duplicate_team_name_is_refused_and_nothing_is_written(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    TeamFactory.create(organisation=org_a, name="Duty team")

    response = api_as(alice).post(
        LIST, {"organisation": "AAA", "name": "DUTY TEAM", "service_area": "adults"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["This organisation already has a team with this name."]
    }
    assert Team.objects.unscoped("test").count() == 1


def test_a_practice_educator_sees_teams_but_may_not_add_or_change_them(
    api_as: ClientFor, bob: User, org_a: Organisation
) -> None:
    team = TeamFactory.create(organisation=org_a, name="Duty team")
    client = api_as(bob)

    assert client.get(detail(team)).status_code == 200
    assert (
        client.post(
            LIST, {"organisation": "AAA", "name": "X", "service_area": "adults"}
        ).status_code
        == 403
    )
    assert client.patch(detail(team), {"name": "Renamed"}).status_code == 404
    assert list(Team.objects.unscoped("test").values_list("name", flat=True)) == ["Duty team"]


def test_a_coordinator_renames_a_team_and_keeps_its_other_fields(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    office = LocationFactory.create(organisation=org_a)
    team = TeamFactory.create(organisation=org_a, name="Old name", location=office)

    response = api_as(alice).patch(detail(team), {"name": "New name"})

    assert response.status_code == 200
    team.refresh_from_db()
    assert (team.name, team.service_area.code, team.location) == ("New name", "childrens", office)


def test_a_coordinator_clears_a_teams_location(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    team = TeamFactory.create(
        organisation=org_a, location=LocationFactory.create(organisation=org_a)
    )

    response = api_as(alice).patch(detail(team), {"location": None})

    assert response.status_code == 200
    team.refresh_from_db()
    assert team.location is None


def test_text_that_no_database_accepts_is_refused_before_any_query(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    """Found by the schemathesis test: PostgreSQL refuses NUL characters in a query."""
    response = api_as(alice).post(
        LIST, {"organisation": "AA\x00", "name": "New", "service_area": "adults\x00"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "organisation": ["Give the organisation's code as text, e.g. MC."],
        "service_area": ["Give the service area's code as text."],
    }
    assert Team.objects.unscoped("test").count() == 0
