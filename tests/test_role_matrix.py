"""SECURITY.md §2: every URL outside the public allow-list sends an anonymous user to sign in,
and a table (role, route → status) covers every route without parameters."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from practica.accounts.models import Role
from practica.core.models import Organisation
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    member,
)
from tests.access_tables import ANONYMOUS_STATUS, OBJECT_ROUTES, PUBLIC, ROLE_MATRIX, TOKEN_ROUTES
from tests.routes import parameterised, plain


def test_the_matrix_covers_every_route_without_parameters() -> None:
    missing = sorted({route.name for route in plain()} - set(ROLE_MATRIX))
    assert not missing, f"Add these routes to ROLE_MATRIX in their app's tests/access.py: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("route_name", sorted(ROLE_MATRIX))
def test_role_gets_the_status_the_matrix_says(client: Client, role: Role, route_name: str) -> None:
    client.force_login(member(role, OrganisationFactory.create()))
    assert client.get(reverse(route_name)).status_code == ROLE_MATRIX[route_name][role]


@pytest.mark.django_db
@pytest.mark.parametrize("route_name", sorted({route.name for route in plain()} - PUBLIC))
def test_anonymous_user_is_sent_to_sign_in(client: Client, route_name: str) -> None:
    url = reverse(route_name)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if route_name in ANONYMOUS_STATUS:  # the API answers 401 rather than redirecting
            assert response.status_code == ANONYMOUS_STATUS[route_name], (method, response)
            continue
        assert response.status_code == 302, (method, response.status_code)
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("route_name", sorted(OBJECT_ROUTES))
def test_anonymous_user_is_sent_to_sign_in_from_object_pages(
    client: Client, route_name: str
) -> None:
    organisation: Organisation = OrganisationFactory.create()
    url = reverse(route_name, kwargs=OBJECT_ROUTES[route_name](organisation))
    response = client.get(url)
    if route_name in ANONYMOUS_STATUS:
        assert response.status_code == ANONYMOUS_STATUS[route_name]
        return
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_every_parameterised_route_is_public_or_swept() -> None:
    names = {route.name for route in parameterised()}
    # TOKEN_ROUTES (with NAMED_ROUTES) name the test module that covers each of its routes
    assert names <= set(OBJECT_ROUTES) | PUBLIC | set(TOKEN_ROUTES)


@pytest.mark.django_db
def test_own_organisation_objects_are_visible_to_its_coordinator(client: Client) -> None:
    """The 404s above are about scope, not broken pages: the owner sees the same URLs."""
    organisation = OrganisationFactory.create()
    client.force_login(member(Role.COORDINATOR, organisation))
    team = TeamFactory.create(organisation=organisation)
    person = PersonFactory.create(organisation=organisation, team=team)
    for url in [
        reverse("organisations:organisation-detail", args=[organisation.pk]),
        reverse("organisations:team-detail", args=[team.pk]),
        reverse("organisations:team-edit", args=[team.pk]),
        reverse("organisations:person-detail", args=[person.pk]),
        reverse("organisations:person-edit", args=[person.pk]),
    ]:
        assert client.get(url).status_code == 200, url
