"""This app's entries for the URL-walking access tests (tests/test_object_access.py and
tests/test_role_matrix.py). Every app with routes has a ``tests/access.py`` like this one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from practica.accounts.models import Role
from practica.core.models import Organisation
from practica.organisations.tests.factories import LocationFactory, PersonFactory, TeamFactory
from tests.access_tables import ALL, STAFF, only

# route name → builds an object owned by the given organisation and returns the URL kwargs.
OBJECT_ROUTES: dict[str, Callable[[Organisation], dict[str, Any]]] = {
    "organisations:organisation-detail": lambda org: {"pk": org.pk},
    "organisations:organisation-edit": lambda org: {"pk": org.pk},
    "organisations:team-detail": lambda org: {"pk": TeamFactory.create(organisation=org).pk},
    "organisations:team-edit": lambda org: {"pk": TeamFactory.create(organisation=org).pk},
    "organisations:location-edit": lambda org: {"pk": LocationFactory.create(organisation=org).pk},
    "organisations:person-detail": lambda org: {"pk": PersonFactory.create(organisation=org).pk},
    "organisations:person-edit": lambda org: {"pk": PersonFactory.create(organisation=org).pk},
    "organisations:person-subject-access": lambda org: {
        "pk": PersonFactory.create(organisation=org).pk
    },
}

# route → role → status of a GET by a signed-in user holding that one role.
ROLE_MATRIX: dict[str, dict[Role, int]] = {
    "home": ALL,
    "organisations:organisation-list": ALL,
    "organisations:team-list": only(Role.PARTNERSHIP_MANAGER, *STAFF),
    "organisations:team-create": only(Role.COORDINATOR),
    "organisations:location-create": only(Role.COORDINATOR),
    "organisations:person-list": only(
        Role.PARTNERSHIP_MANAGER, Role.COORDINATOR, Role.LINE_MANAGER
    ),
    "organisations:person-create": only(Role.COORDINATOR),
    "organisations:audit": only(Role.PARTNERSHIP_MANAGER),
    "organisations:retention": only(Role.PARTNERSHIP_MANAGER),
}
