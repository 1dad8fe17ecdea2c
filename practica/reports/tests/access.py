"""This app's entries for the URL-walking access tests (see practica/organisations/tests/access.py)."""

from __future__ import annotations

from practica.accounts.models import Role
from tests.access_tables import only

# the parameter is a report's name, not an organisation's record
NAMED_ROUTES = {"reports:report-detail": "practica/reports/tests/test_report_pages.py"}
ROLE_MATRIX: dict[str, dict[Role, int]] = {
    "reports:report-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR, Role.ACADEMIC),
}
