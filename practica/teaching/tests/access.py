"""This app's entries for the URL-walking access tests (see practica/organisations/tests/access.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from practica.accounts.models import Role
from practica.core.models import Organisation
from practica.teaching.models import ConsentKind, ContributorConsent
from practica.teaching.tests.factories import (
    LivedExperienceContributorFactory,
    PractitionerTeacherFactory,
)
from tests.access_tables import only


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


OBJECT_ROUTES: dict[str, Callable[[Organisation], dict[str, Any]]] = {
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
TOKEN_ROUTES = {"teaching:pt-agree": "practica/teaching/tests/test_recruitment.py"}
PUBLIC = {"teaching:pt-agree"}

PT_READERS = (Role.PARTNERSHIP_MANAGER, Role.COORDINATOR)

# the matrix's organisation is a local authority
ROLE_MATRIX: dict[str, dict[Role, int]] = {
    "teaching:pt-list": only(*PT_READERS),
    "teaching:pt-reviews": only(*PT_READERS),
    "teaching:pt-create": only(Role.COORDINATOR),
    # every signed-in user: their own steps, or how to join the directory
    "teaching:pt-mine": dict.fromkeys(Role, 200),
    # practitioners express interest for themselves (a user without a person record cannot)
    "teaching:pt-interest": dict.fromkeys(Role, 403),
    # only coordinators of the partnership's lead organisation (test_recruitment.py)
    "teaching:pt-readiness": dict.fromkeys(Role, 403),
    # a local authority's coordinators read the contributors shared with them; no one else there
    "teaching:contributor-list": only(Role.COORDINATOR),
    # only university staff add contributors
    "teaching:contributor-create": dict.fromkeys(Role, 403),
    "teaching:contributor-mine": dict.fromkeys(Role, 200),
}
