"""This app's entries for the URL-walking access tests (see practica/organisations/tests/access.py)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from practica.accounts.models import Role
from practica.core.models import Organisation
from practica.core.services import ensure_academic_year
from practica.organisations.tests.factories import OrganisationFactory
from practica.teaching.models import ConsentKind, ContributorConsent, RequestOffer, TeachingRequest
from practica.teaching.tests.factories import (
    LivedExperienceContributorFactory,
    PractitionerTeacherFactory,
    SessionContributorFactory,
    TeachingSessionFactory,
)
from tests.access_tables import ALL, only


def _teacher(org: Organisation) -> dict[str, Any]:
    return {"pk": PractitionerTeacherFactory.create(person__organisation=org).pk}


def _contributor(org: Organisation) -> dict[str, Any]:
    # listed by the organisation (not shared with partners): nobody outside it sees them
    return {"pk": LivedExperienceContributorFactory.create(hei=org).pk}


def _consent(org: Organisation) -> dict[str, Any]:
    contributor = LivedExperienceContributorFactory.create(hei=org)
    consent = ContributorConsent.objects.unscoped("an outsider fixture").get(
        contributor=contributor, kind=ConsentKind.DIRECTORY
    )
    return {"pk": consent.pk}


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
    "teaching:request-contributor-add": lambda org: {"pk": _request(org).pk},
    "teaching:request-cancel": lambda org: {"pk": _request(org).pk},
    "teaching:offer-step": lambda org: {"pk": _offer(org).pk, "step": "accept"},
    "teaching:session-detail": _session,
    "teaching:session-feedback": _session,
    "teaching:session-observe": _session,
    "teaching:session-contributor-add": _session,
    "teaching:session-step": lambda org: {**_session(org), "step": "deliver"},
    "teaching:pt-detail": _teacher,
    "teaching:pt-edit": _teacher,
    "teaching:pt-review": _teacher,
    "teaching:pt-shadowing": _teacher,
    "teaching:contributor-detail": _contributor,
    "teaching:contributor-edit": _contributor,
    "teaching:contributor-consent": _contributor,
    "teaching:consent-withdraw": _consent,
}

# The line manager's link: a secret token, not an object id.
# Secret links: the line manager's agreement, the practitioner's single-use offer link and the
# students' signed feedback link.
TOKEN_ROUTES = {
    "teaching:pt-agree": "practica/teaching/tests/test_recruitment.py",
    "teaching:offer-link": "practica/teaching/tests/test_sessions_protocol.py",
    "teaching:feedback": "practica/teaching/tests/test_sessions_quality.py",
}
PUBLIC = {"teaching:pt-agree", "teaching:offer-link", "teaching:feedback"}

PT_READERS = (Role.PARTNERSHIP_MANAGER, Role.COORDINATOR)

# the matrix's organisation is a local authority
ROLE_MATRIX: dict[str, dict[Role, int]] = {
    "teaching:pt-list": only(*PT_READERS),
    "teaching:pt-reviews": only(*PT_READERS),
    "teaching:pt-create": only(Role.COORDINATOR),
    # every signed-in user: their own steps, or how to join the directory
    "teaching:pt-mine": dict.fromkeys(Role, 200),
    # a practitioner's own diversity answers: the matrix's members are in no directory
    "teaching:pt-diversity": dict.fromkeys(Role, 404),
    "teaching:pt-diversity-withdraw": dict.fromkeys(Role, 405),
    # practitioners express interest for themselves (a user without a person record cannot)
    "teaching:pt-interest": dict.fromkeys(Role, 403),
    # only coordinators of the partnership's lead organisation (test_recruitment.py)
    "teaching:pt-readiness": dict.fromkeys(Role, 403),
    # a local authority's coordinators read the contributors shared with them; no one else there
    "teaching:contributor-list": only(Role.COORDINATOR),
    # only university staff add contributors
    "teaching:contributor-create": dict.fromkeys(Role, 403),
    "teaching:contributor-mine": dict.fromkeys(Role, 200),
    "teaching:contact-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
    "teaching:contact-set": only(Role.COORDINATOR),
    "teaching:request-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
    # only a university's staff ask for practitioners (the matrix's organisation is an LA)
    "teaching:request-create": only(),
    "teaching:session-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
    "teaching:my-sessions": ALL,
}
