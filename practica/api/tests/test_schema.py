"""The OpenAPI schema generates without a warning, documents every API route, and is served
to signed-in users only."""

from __future__ import annotations

import io
import json
from pathlib import Path

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from practica.accounts.models import User
from practica.api.router import router


def test_the_schema_generates_and_validates_with_no_warning(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"

    # --fail-on-warn turns any warning into an error (and a non-zero exit)
    call_command(
        "spectacular",
        *("--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(target)),
        stderr=io.StringIO(),
    )

    schema = json.loads(target.read_text())
    assert schema["openapi"].startswith("3.")
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}


def test_the_schema_documents_every_registered_endpoint(alice: User, client: Client) -> None:
    client.force_login(alice)

    schema = client.get(reverse("api:schema"), {"format": "json"}).json()

    prefixes = {f"/api/v1/{prefix}/" for prefix, _viewset, _basename in router.registry}
    assert prefixes <= set(schema["paths"])
    for item in schema["paths"].values():
        for operation in item.values():
            assert {"401", "404"} <= set(operation["responses"]), operation["operationId"]


def test_the_schema_is_for_signed_in_users(client: Client, db: None) -> None:
    assert client.get(reverse("api:schema")).status_code == 401
