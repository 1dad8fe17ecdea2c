"""This app's entries for the URL-walking access tests (see practica/organisations/tests/access.py)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from practica.accounts.models import Role
from practica.core.models import Organisation
from practica.core.services import ensure_academic_year
from practica.organisations.tests.factories import OrganisationFactory
from practica.teaching.models import RequestOffer, TeachingRequest
from practica.teaching.tests.factories import (
    PractitionerTeacherFactory,
    SessionContributorFactory,
    TeachingSessionFactory,
)
from tests.access_tables import ALL, only


def _hei_of(org: Organisation) -> Organisation:
    """A university of the organisation's partnership (the organisation, if it is one)."""
    if org.kind == "hei":
        return org
    return OrganisationFactory.create(partnership=org.partnership, kind="hei")


def _request(org: Organisation) -> TeachingRequest:
    request = TeachingRequest.objects.create(
        hei=_hei_of(org),
        kind="teaching",
        academic_year=ensure_academic_year(start_year=2019),
        date=datetime.date(2019, 11, 14),
        starts_at=datetime.time(10),
        ends_at=datetime.time(12),
        topic="Outsider request",
    )
    request.targets.set([org] if org.kind != "hei" else [])
    return request


def _offer(org: Organisation) -> RequestOffer:
    request = _request(org)
    practitioner = PractitionerTeacherFactory.create(person__organisation=org)
    return RequestOffer.objects.create(
        request=request, practitioner_teacher=practitioner, organisation=org
    )


def _session(org: Organisation) -> dict[str, Any]:
    session = TeachingSessionFactory.create(hei=_hei_of(org))
    SessionContributorFactory.create(
        session=session, practitioner_teacher__person__organisation=org
    )
    return {"pk": session.pk}


OBJECT_ROUTES: dict[str, Callable[[Organisation], dict[str, Any]]] = {
    "teaching:request-detail": lambda org: {"pk": _request(org).pk},
    "teaching:request-offer": lambda org: {"pk": _request(org).pk},
    "teaching:request-change": lambda org: {"pk": _request(org).pk},
    "teaching:request-cancel": lambda org: {"pk": _request(org).pk},
    "teaching:offer-step": lambda org: {"pk": _offer(org).pk, "step": "accept"},
    "teaching:session-detail": _session,
    "teaching:session-feedback": _session,
    "teaching:session-observe": _session,
    "teaching:session-step": lambda org: {**_session(org), "step": "deliver"},
}
# Secret links: the practitioner's single-use offer link and the students' signed feedback link.
TOKEN_ROUTES = {
    "teaching:offer-link": "practica/teaching/tests/test_sessions_protocol.py",
    "teaching:feedback": "practica/teaching/tests/test_sessions_quality.py",
}
PUBLIC = {"teaching:offer-link", "teaching:feedback"}
ROLE_MATRIX: dict[str, dict[Role, int]] = {
    "teaching:contact-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
    "teaching:contact-set": only(Role.COORDINATOR),
    "teaching:request-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
    # only a university's staff ask for practitioners (the matrix's organisation is an LA)
    "teaching:request-create": only(),
    "teaching:session-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
    "teaching:my-sessions": ALL,
}
