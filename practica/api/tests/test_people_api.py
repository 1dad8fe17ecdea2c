"""/api/v1/people/: scoped like the people pages; coordinators add and change people of their
organisation through ``create_person`` and ``update_person``."""

from __future__ import annotations

from django.urls import reverse

from practica.accounts.models import Role, User
from practica.api.tests.conftest import ClientFor
from practica.core.models import Organisation, Person
from practica.organisations.tests.factories import PersonFactory, TeamFactory, member

LIST = reverse("api:person-list")


def detail(person: Person) -> str:
    return reverse("api:person-detail", args=[person.pk])


def test_a_coordinator_lists_only_their_own_organisations_people(
    api_as: ClientFor, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    team = TeamFactory.create(organisation=org_a)
    own = PersonFactory.create(
        organisation=org_a,
        team=team,
        first_name="Ada",
        last_name="Adeyemi",
        email="ada@example.test",
        job_title="Social worker",
    )
    PersonFactory.create(organisation=org_b)

    response = api_as(alice).get(LIST)

    assert response.json()["results"] == [
        {
            "id": own.pk,
            "organisation": "AAA",
            "first_name": "Ada",
            "last_name": "Adeyemi",
            "full_name": "Ada Adeyemi",
            "email": "ada@example.test",
            "job_title": "Social worker",
            "team": team.pk,
        }
    ]


def test_the_list_filters_by_organisation_team_and_search(
    api_as: ClientFor, manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    team = TeamFactory.create(organisation=org_b)
    PersonFactory.create(organisation=org_a, first_name="Ada", last_name="Lovelace")
    PersonFactory.create(organisation=org_b, first_name="Alan", last_name="Turing", team=team)
    PersonFactory.create(organisation=org_b, first_name="Grace", last_name="Hopper")
    client = api_as(manager)

    def names(**query: str | int) -> list[str]:
        return [row["full_name"] for row in client.get(LIST, query).json()["results"]]

    assert names(organisation="BBB") == ["Grace Hopper", "Alan Turing"]
    assert names(team=team.pk) == ["Alan Turing"]
    assert names(search="love") == ["Ada Lovelace"]


def test_a_mistyped_filter_is_refused_naming_it(api_as: ClientFor, alice: User) -> None:
    response = api_as(alice).get(LIST, {"team": "first"})

    assert response.status_code == 400
    assert response.json() == {"team": ["A valid integer is required."]}


def test_a_practice_educator_is_refused_the_list_of_people(api_as: ClientFor, bob: User) -> None:
    assert api_as(bob).get(LIST).status_code == 403


def test_another_organisations_person_is_404_on_every_method(
    api_as: ClientFor, alice: User, org_b: Organisation
) -> None:
    theirs = PersonFactory.create(organisation=org_b, first_name="Theirs")
    client = api_as(alice)

    for method in ("get", "put", "patch", "delete", "post"):
        response = getattr(client, method)(detail(theirs), {"first_name": "Mine"})
        assert response.status_code == 404, method
    theirs.refresh_from_db()
    assert theirs.first_name == "Theirs"


def test_a_coordinator_adds_a_person_to_a_team_of_their_organisation(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    team = TeamFactory.create(organisation=org_a)

    response = api_as(alice).post(
        LIST,
        {
            "organisation": "AAA",
            "first_name": "Ada",
            "last_name": "Adeyemi",
            "email": "Ada@Example.TEST",
            "team": team.pk,
        },
    )

    assert response.status_code == 201, response.json()
    person = Person.objects.unscoped("test").get(pk=response.json()["id"])
    assert (person.organisation, person.email, person.team) == (org_a, "ada@example.test", team)
    assert person.history.first().history_user == alice


def test_invalid_fields_are_each_named_and_nothing_is_written(
    api_as: ClientFor, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    theirs = TeamFactory.create(organisation=org_b)

    response = api_as(alice).post(
        LIST,
        {"organisation": "BBB", "last_name": "", "email": "not an address", "team": theirs.pk},
    )

    assert response.status_code == 400
    assert response.json() == {
        "organisation": ["You may not add people to an organisation with the code “BBB”."],
        "first_name": ["This field is required."],
        "last_name": ["This field may not be blank."],
        "email": ["Enter a valid email address."],
        "team": [f"There is no team with id {theirs.pk} that you can see."],
    }
    assert Person.objects.unscoped("test").count() == 0


def test_an_e_mail_address_already_in_use_is_refused_by_the_service(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    PersonFactory.create(
        organisation=org_a, email="ada@example.test", first_name="Ada", last_name="Lo"
    )

    response = api_as(alice).post(
        LIST,
        {"organisation": "AAA", "first_name": "A", "last_name": "B", "email": "ADA@example.test"},
    )

    assert response.status_code == 400
    assert response.json() == {
        "email": ["Ada Lo of Alpha Council already has this e-mail address."]
    }
    assert Person.objects.unscoped("test").count() == 1


def test_a_coordinator_changes_a_persons_job_title_and_keeps_the_rest(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    team = TeamFactory.create(organisation=org_a)
    person = PersonFactory.create(organisation=org_a, team=team, first_name="Ada")

    response = api_as(alice).patch(detail(person), {"job_title": "Team manager"})

    assert response.status_code == 200
    person.refresh_from_db()
    assert (person.first_name, person.job_title, person.team) == ("Ada", "Team manager", team)


def test_a_line_manager_sees_people_but_may_not_change_them(
    api_as: ClientFor, org_a: Organisation
) -> None:
    person = PersonFactory.create(organisation=org_a, first_name="Ada")
    client = api_as(member(Role.LINE_MANAGER, org_a))

    assert client.get(detail(person)).status_code == 200
    assert client.patch(detail(person), {"first_name": "Changed"}).status_code == 404
    person.refresh_from_db()
    assert person.first_name == "Ada"


def test_a_team_id_beyond_any_database_id_is_refused_not_queried(
    api_as: ClientFor, alice: User
) -> None:
    """Found by the schemathesis test: SQLite cannot even compare such a number."""
    response = api_as(alice).get(LIST, {"team": 2**64})

    assert response.status_code == 400
    assert list(response.json()) == ["team"]
