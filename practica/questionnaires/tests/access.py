"""This app's entries for the URL-walking access tests (see practica/organisations/tests/access.py).

A questionnaire of an organisation is hidden from every other organisation; the partnership
manager (who reads every questionnaire of their partnership) is given one of another
partnership by the sweep itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from practica.accounts.models import Role
from practica.core.models import Organisation
from practica.organisations.tests.factories import PersonFactory
from practica.questionnaires import services
from practica.questionnaires.tests.factories import make_questionnaire, published
from tests.access_tables import only


def _questionnaire(org: Organisation) -> dict[str, Any]:
    return {"pk": make_questionnaire(org).pk}


def _version(org: Organisation) -> dict[str, Any]:
    return {"pk": make_questionnaire(org, publish=False).pk, "number": 1}


def _distribution(org: Organisation) -> dict[str, Any]:
    questionnaire = make_questionnaire(org)
    distribution = services.distribute(
        actor=None,
        version=published(questionnaire),
        title="Outsiders' placements",
        recipients=[PersonFactory.create(organisation=org)],
        send=False,
    )
    return {"pk": questionnaire.pk, "distribution": distribution.pk}


OBJECT_ROUTES: dict[str, Callable[[Organisation], dict[str, Any]]] = {
    "questionnaires:detail": _questionnaire,
    "questionnaires:edit": _questionnaire,
    "questionnaires:draft": _questionnaire,
    "questionnaires:version": _version,
    "questionnaires:distribute": _questionnaire,
    "questionnaires:distribution": _distribution,
    "questionnaires:results": _questionnaire,
}

# The respondent's link: a secret token, not an object id.
TOKEN_ROUTES = {"questionnaires:respond": "practica/questionnaires/tests/test_pages.py"}
PUBLIC = {"questionnaires:respond"}

ROLE_MATRIX: dict[str, dict[Role, int]] = {
    "questionnaires:list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
    "questionnaires:create": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
}
