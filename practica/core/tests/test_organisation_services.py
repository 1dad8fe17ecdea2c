import pytest
from django.core.exceptions import ValidationError

from practica.accounts.models import User
from practica.core import services
from practica.core.models import Organisation, Partnership


def test_create_organisation_normalises_the_code(partnership: Partnership, alice: User) -> None:
    organisation = services.create_organisation(
        actor=alice,
        partnership=partnership,
        code=" kcc ",
        name="Kent County Council",
        kind="local_authority",
    )
    assert organisation.code == "KCC"
    assert organisation.history.first().history_user == alice


def test_a_duplicate_code_is_refused_whatever_its_case(partnership: Partnership) -> None:
    services.create_organisation(
        actor=None,
        partnership=partnership,
        code="MC",
        name="Medway Council",
        kind="local_authority",
    )
    with pytest.raises(ValidationError) as caught:
        services.create_organisation(
            actor=None, partnership=partnership, code="mc", name="Another", kind="other"
        )
    assert "An organisation with this code already exists." in caught.value.messages
    assert Organisation.objects.unscoped("test").count() == 1


@pytest.mark.parametrize("code", ["M", "TOO-LONG-CODE", "k c", "ABCDEFGHIJKLM"])
def test_a_malformed_code_is_refused(partnership: Partnership, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_organisation(
            actor=None, partnership=partnership, code=code, name="X", kind="other"
        )
    assert "capital letters or digits" in str(caught.value)
    assert not Organisation.objects.unscoped("test").exists()


def test_an_unknown_kind_is_refused(partnership: Partnership) -> None:
    with pytest.raises(ValidationError, match="kind"):
        services.create_organisation(
            actor=None, partnership=partnership, code="XY", name="X", kind="charity"
        )
    assert not Organisation.objects.unscoped("test").exists()


def test_a_team_cannot_use_another_organisations_location(
    org_a: Organisation, org_b: Organisation
) -> None:
    from practica.core.models import ServiceArea

    elsewhere = services.create_location(actor=None, organisation=org_b, name="Canterbury")
    with pytest.raises(ValidationError, match="location of the team's organisation"):
        services.create_team(
            actor=None,
            organisation=org_a,
            name="Assessment",
            service_area=ServiceArea.objects.get(code="adults"),
            location=elsewhere,
        )


def test_team_names_are_unique_within_an_organisation(
    org_a: Organisation, org_b: Organisation
) -> None:
    from practica.core.models import ServiceArea

    adults = ServiceArea.objects.get(code="adults")
    services.create_team(actor=None, organisation=org_a, name="Assessment", service_area=adults)
    services.create_team(actor=None, organisation=org_b, name="Assessment", service_area=adults)
    with pytest.raises(ValidationError, match="already has a team with this name"):
        services.create_team(actor=None, organisation=org_a, name="assessment", service_area=adults)
