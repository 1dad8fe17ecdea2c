"""This app's entries for the URL-walking access tests (see practica/organisations/tests/access.py).

API routes are routes like the pages': an outsider asking for another organisation's record
gets 404 on every method, and every route without parameters has a row in the role matrix.
An anonymous request gets 401 (with ``WWW-Authenticate: Token``) instead of a redirect to sign
in, except on the documentation page, which is a page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from practica.accounts.models import Role
from practica.core.models import Organisation
from practica.organisations.tests.factories import LocationFactory, PersonFactory, TeamFactory
from tests.access_tables import ALL, STAFF, only
from tests.routes import routes

OBJECT_ROUTES: dict[str, Callable[[Organisation], dict[str, Any]]] = {
    "api:organisation-detail": lambda org: {"pk": org.pk},
    "api:team-detail": lambda org: {"pk": TeamFactory.create(organisation=org).pk},
    "api:location-detail": lambda org: {"pk": LocationFactory.create(organisation=org).pk},
    "api:person-detail": lambda org: {"pk": PersonFactory.create(organisation=org).pk},
}

# the parameter is a report's name, not an organisation's record
NAMED_ROUTES = {"api:report-detail": "practica/api/tests/test_reports_api.py"}

# Reports answer 403 to roles that no report is for, like the reports page: coordinators and
# academics run them for their organisation, the partnership manager for the partnership.
REPORT_ROLES = {Role.PARTNERSHIP_MANAGER, Role.COORDINATOR, Role.ACADEMIC}


ROLE_MATRIX: dict[str, dict[Role, int]] = {
    "api:organisation-list": ALL,
    "api:team-list": only(Role.PARTNERSHIP_MANAGER, *STAFF),
    "api:location-list": only(Role.PARTNERSHIP_MANAGER, *STAFF),
    "api:person-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR, Role.LINE_MANAGER),
    "api:report-list": only(*REPORT_ROLES),
    "api:schema": ALL,
    "api:docs": ALL,
}

ANONYMOUS_STATUS = {
    route.name: 401
    for route in routes()
    if route.name.startswith("api:") and route.name != "api:docs"
}
