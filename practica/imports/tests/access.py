"""This app's entries for the URL-walking access tests (see practica/organisations/tests/access.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from practica.accounts.models import Role
from practica.core.models import Organisation
from practica.imports.models import ImportRun
from tests.access_tables import only


def _run(org: Organisation) -> dict[str, Any]:
    return {
        "pk": ImportRun.objects.create(kind="teams", file_name="teams.csv", organisation=org).pk
    }


OBJECT_ROUTES: dict[str, Callable[[Organisation], dict[str, Any]]] = {
    "imports:run-detail": _run,
    "imports:run-import": _run,
    "imports:run-retry": _run,
}
# the parameter is an import kind's name, not an organisation's record
NAMED_ROUTES = {
    "imports:upload": "practica/imports/tests/test_import_pages.py",
    "imports:template": "practica/imports/tests/test_import_pages.py",
}
ROLE_MATRIX: dict[str, dict[Role, int]] = {
    "imports:kind-list": only(Role.COORDINATOR, Role.PARTNERSHIP_MANAGER),
    "imports:run-list": only(Role.COORDINATOR, Role.PARTNERSHIP_MANAGER),
    "imports:upload-batch": only(Role.COORDINATOR, Role.PARTNERSHIP_MANAGER),
}
