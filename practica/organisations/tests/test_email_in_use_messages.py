"""E-mail addresses are unique across Practica, so a row or form may give one that a person of
another organisation has. The refusal names that person only to someone who may see them;
to anyone else it says only that the address cannot be used, never that someone else has it
(issue 15: "another person in Practica already has this e-mail address" confirmed that
another organisation's person exists)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from practica.accounts import permissions
from practica.accounts.models import User
from practica.core import services
from practica.core.models import Organisation, Person
from practica.imports.testing import import_text
from practica.organisations.tests.factories import PersonFactory

PEOPLE = "organisation,first_name,last_name,email,team,job_title\n"
NOT_USABLE = (
    "cannot be used for this row. Check it is the person's own address; if it is, ask a "
    "partnership manager."
)


@pytest.fixture
def ada(org_a: Organisation) -> Person:
    return PersonFactory.create(
        organisation=org_a, email="ada.lo@alpha.example", first_name="Ada", last_name="Lo"
    )


def _says_nothing_of(message: str, ada: Person) -> None:
    for detail in ("Ada", "Lo ", "Alpha", "another", "already"):
        assert detail not in message


def test_a_people_import_does_not_confirm_another_organisations_person(
    ada: Person, charlie: User, org_b: Organisation
) -> None:
    errors, result = import_text(
        ("people", PEOPLE + "BBB,Eve,Ng,Ada.Lo@alpha.example,,\n"), viewer=charlie
    )
    assert errors == [f"row 2, column email: {NOT_USABLE}"]
    _says_nothing_of(errors[0], ada)
    assert not result.applied


def test_the_command_line_import_names_the_person_who_has_the_address(
    ada: Person, org_b: Organisation
) -> None:
    errors, _result = import_text(
        ("people", PEOPLE + "BBB,Eve,Ng,ada.lo@alpha.example,,\n"), viewer=permissions.OPERATOR
    )
    assert errors == [
        "row 2, column email: is the e-mail address of Ada Lo of Alpha Council, "
        "whom this row cannot change."
    ]


def test_adding_a_person_does_not_confirm_another_organisations_person(
    ada: Person, charlie: User, org_b: Organisation
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.create_person(
            actor=charlie,
            organisation=org_b,
            first_name="Eve",
            last_name="Ng",
            email="ADA.LO@alpha.example",
        )
    message = refused.value.message_dict["email"][0]
    assert message.startswith("This e-mail address cannot be used.")
    _says_nothing_of(message, ada)


def test_changing_an_address_to_one_in_use_elsewhere_does_not_confirm_the_person(
    ada: Person, charlie: User, org_b: Organisation
) -> None:
    eve = PersonFactory.create(organisation=org_b, email="eve@beta.example")
    with pytest.raises(ValidationError) as refused:
        services.update_person(
            actor=charlie, person=eve, first_name="Eve", last_name="Ng", email=ada.email
        )
    _says_nothing_of(refused.value.message_dict["email"][0], ada)
    eve.refresh_from_db()
    assert eve.email == "eve@beta.example"


def test_a_coordinator_is_told_who_in_their_own_organisation_has_the_address(
    ada: Person, alice: User, org_a: Organisation
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.create_person(
            actor=alice, organisation=org_a, first_name="A", last_name="B", email=ada.email
        )
    assert refused.value.message_dict["email"] == [
        "Ada Lo of Alpha Council already has this e-mail address."
    ]


def test_the_add_person_page_does_not_confirm_another_organisations_person(
    client: Client, ada: Person, charlie: User, org_b: Organisation
) -> None:
    client.force_login(charlie)
    response = client.post(
        reverse("organisations:person-create"),
        {"first_name": "Eve", "last_name": "Ng", "email": ada.email, "job_title": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This e-mail address cannot be used." in page
    assert "Ada" not in page
    assert "already has" not in page
    assert not Person.objects.unscoped("test").filter(organisation=org_b).exists()
