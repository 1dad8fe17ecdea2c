"""SECURITY.md §1: for every route that takes an object, a user of organisation A asking for
organisation B's object gets 404 on every method, and nothing changes. A new route without an
entry in its app's ``tests/access.py`` fails ``test_every_object_route_has_an_outsider_fixture``."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from practica.accounts.models import Role
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    member,
)
from tests.access_tables import OBJECT_ROUTES, TOKEN_ROUTES
from tests.routes import parameterised


def test_every_object_route_has_an_outsider_fixture() -> None:
    missing = [
        route.name
        for route in parameterised()
        if route.name not in OBJECT_ROUTES and route.name not in TOKEN_ROUTES
    ]
    assert not missing, (
        f"Add these routes to OBJECT_ROUTES (or TOKEN_ROUTES, NAMED_ROUTES) in their app's tests/access.py: {missing}"
    )


def test_the_fixture_table_names_no_route_that_is_gone() -> None:
    known = {route.name for route in parameterised()}
    assert set(OBJECT_ROUTES) | set(TOKEN_ROUTES) <= known


def history_rows() -> int:
    return sum(
        model._base_manager.count()
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("route_name", sorted(OBJECT_ROUTES))
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_gets_404(client: Client, role: Role, route_name: str, method: str) -> None:
    own = OrganisationFactory.create(partnership=PartnershipFactory.create(name="Ours"))
    # A partnership manager sees every organisation of their partnership by design, so their
    # outsider object lives in another partnership; everyone else's in a sibling organisation.
    other_partnership = (
        PartnershipFactory.create(name="Theirs")
        if role == Role.PARTNERSHIP_MANAGER
        else own.partnership
    )
    other = OrganisationFactory.create(partnership=other_partnership)
    client.force_login(member(role, own))
    url = reverse(route_name, kwargs=OBJECT_ROUTES[route_name](other))
    before = history_rows()

    response = getattr(client, method)(url, {"name": "Changed", "code": "HACK", "kind": "other"})

    assert response.status_code == 404
    assert history_rows() == before
