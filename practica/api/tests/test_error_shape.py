"""Every 400 is ``{"field": ["message"]}``: serializer errors, services' Django
ValidationErrors and malformed bodies alike."""

from __future__ import annotations

from django.urls import reverse

from practica.accounts.models import User
from practica.api.exceptions import field_errors
from practica.api.tests.conftest import ClientFor
from practica.core.models import Organisation


def test_nested_errors_are_flattened_with_dotted_field_names() -> None:
    assert field_errors({"rows": [{"name": ["Required."]}, {}], "code": "Bad."}) == {
        "rows.0.name": ["Required."],
        "code": ["Bad."],
    }


def test_djangos_all_and_a_bare_detail_become_non_field_errors() -> None:
    assert field_errors({"__all__": ["Clash."]}) == {"non_field_errors": ["Clash."]}
    assert field_errors({"detail": "JSON parse error"}) == {
        "non_field_errors": ["JSON parse error"]
    }
    assert field_errors(["One.", "Two."]) == {"non_field_errors": ["One.", "Two."]}


def test_a_malformed_json_body_is_a_400_in_the_same_shape(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    response = api_as(alice).generic(
        "PATCH",
        reverse("api:organisation-detail", args=[org_a.pk]),
        "{not json",
        content_type="application/json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert response.json()["non_field_errors"][0].startswith("JSON parse error")


def test_a_body_that_is_not_an_object_is_refused(
    api_as: ClientFor, alice: User, org_a: Organisation
) -> None:
    response = api_as(alice).patch(
        reverse("api:organisation-detail", args=[org_a.pk]), ["a", "list"], format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
