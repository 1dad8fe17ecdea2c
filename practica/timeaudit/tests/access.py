"""This app's entries for the URL-walking access tests (see practica/organisations/tests/access.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from practica.accounts.models import Role
from practica.core.models import Organisation
from practica.timeaudit.tests.factories import (
    STARTS_ON,
    AuditEnrolmentFactory,
    TimeAuditFactory,
)
from tests.access_tables import only


def _enrolment(org: Organisation) -> dict[str, Any]:
    return {"pk": AuditEnrolmentFactory.create(audit__organisation=org).pk}


OBJECT_ROUTES: dict[str, Callable[[Organisation], dict[str, Any]]] = {
    "timeaudit:audit-detail": lambda org: {"pk": TimeAuditFactory.create(organisation=org).pk},
    "timeaudit:enrolment-add": lambda org: {"pk": TimeAuditFactory.create(organisation=org).pk},
    "timeaudit:enrolment-detail": _enrolment,
    "timeaudit:enrolment-remove": _enrolment,
    "timeaudit:log-week": lambda org: {**_enrolment(org), "week": STARTS_ON.isoformat()},
}
ROLE_MATRIX: dict[str, dict[Role, int]] = {
    "timeaudit:audit-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
    "timeaudit:audit-create": only(Role.COORDINATOR),
}
