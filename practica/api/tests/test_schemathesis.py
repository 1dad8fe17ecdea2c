"""Property-based test of the whole API (issue 4's acceptance): schemathesis reads the OpenAPI
schema from /api/schema/, generates requests for every operation, and sends them in-process
(WSGI) as a coordinator with a token. No answer may be a server error, and every answer must be
documented: its status code, content type and body all as the schema says.

Runs inside the test's database transaction on SQLite and PostgreSQL alike; the examples are
derandomised (the same requests on every run) and bounded so the test takes well under a
minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from practica.accounts.models import Role
from practica.api.services import create_api_token
from practica.core.models import Organisation, ServiceArea
from practica.organisations.tests.factories import (
    LocationFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    TeamFactory,
    member,
)

EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def operations() -> list[tuple[str, str]]:
    """(method, path) of every operation, read from the same generator the schema view uses."""
    generator = SchemaGenerator()  # type: ignore[no-untyped-call]  # drf-spectacular has no types
    schema = generator.get_schema(request=None, public=True)  # type: ignore[no-untyped-call]  # idem
    return [
        (method.upper(), path) for path, item in sorted(schema["paths"].items()) for method in item
    ]


_served_schemas: dict[str, dict[str, Any]] = {}


def api_schema(app: WSGIHandler, headers: dict[str, str]) -> Any:
    """The schema as /api/schema/ serves it (fetched once per run: it is the same for all)."""
    if "schema" not in _served_schemas:
        served = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, headers=headers)
        _served_schemas["schema"] = served.raw_schema
    return schemathesis.openapi.from_dict(_served_schemas["schema"])


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """The project's WSGI application, kept inside the test's transaction: Django's test
    client does the same (a request must not close the test's connection as it starts or ends)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def demo_like_partnership() -> Organisation:
    """Two local authorities with locations, teams and people, as in the demo (smaller)."""
    partnership = PartnershipFactory.create(name="Demo-like partnership")
    adults = ServiceArea.objects.get(code="adults")
    medway = OrganisationFactory.create(partnership=partnership, code="MC", name="Medway Council")
    kent = OrganisationFactory.create(partnership=partnership, code="KCC", name="Kent County")
    for organisation in (medway, kent):
        office = LocationFactory.create(organisation=organisation)
        for index in range(3):
            team = TeamFactory.create(
                organisation=organisation,
                location=office,
                service_area=adults if index % 2 else ServiceArea.objects.get(code="childrens"),
            )
            PersonFactory.create_batch(3, organisation=organisation, team=team)
    return medway


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), operations())
def test_the_api_answers_every_generated_request_as_its_schema_says(
    wsgi_app: WSGIHandler, method: str, path: str
) -> None:
    coordinator = member(
        Role.COORDINATOR, demo_like_partnership(), email="coordinator.mc@example.test"
    )
    _token, raw = create_api_token(actor=None, user=coordinator, name="schemathesis")
    headers = {"Authorization": f"Token {raw}"}
    operation = api_schema(wsgi_app, headers)[path][method]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def answers_as_documented(case: Any) -> None:
        response = case.call(app=wsgi_app, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    answers_as_documented()
