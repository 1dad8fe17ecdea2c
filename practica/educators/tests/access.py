"""This app's entries for the URL-walking access tests (see practica/organisations/tests/access.py)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from practica.accounts.models import Role
from practica.core.models import Organisation
from practica.educators.register import services
from practica.educators.register.models import ActivityKind
from practica.educators.tests.factories import (
    ActivityFactory,
    PeApplicationFactory,
    PepsCohortFactory,
    PepsEnrolmentFactory,
    PracticeEducatorFactory,
    SelectionCriterionFactory,
)
from tests.access_tables import only


def _educator(org: Organisation) -> dict[str, Any]:
    return {"pk": PracticeEducatorFactory.create(person__organisation=org).pk}


def _change_report(org: Organisation) -> dict[str, Any]:
    educator = PracticeEducatorFactory.create(person__organisation=org)
    report = services.report_change(
        actor=None,
        educator=educator,
        changed_on=datetime.date(2020, 9, 1),
        activities_started=[ActivityKind.ASYE_ASSESSOR],
    )
    return {"pk": report.pk}


def _application(org: Organisation) -> dict[str, Any]:
    return {"pk": PeApplicationFactory.create(organisation=org).pk}


OBJECT_ROUTES: dict[str, Callable[[Organisation], dict[str, Any]]] = {
    "educators:detail": _educator,
    "educators:edit": _educator,
    "educators:review": _educator,
    "educators:activity-add": _educator,
    "educators:change-report": _change_report,
    "educators:activity-end": lambda org: {
        "pk": ActivityFactory.create(educator__person__organisation=org).pk
    },
    "educators:cohort-detail": lambda org: {"pk": PepsCohortFactory.create(organisation=org).pk},
    "educators:enrol": lambda org: {"pk": PepsCohortFactory.create(organisation=org).pk},
    "educators:outcome": lambda org: {
        "pk": PepsEnrolmentFactory.create(cohort__organisation=org).pk
    },
    "educators:application-detail": _application,
    "educators:application-edit": _application,
    "educators:application-request-support": _application,
    "educators:application-panel": _application,
    "educators:application-interview": _application,
    "educators:application-scores": _application,
    "educators:application-decision": _application,
    # an applicant's and a panel member's own pages: anyone else gets 404, whatever their role
    "educators:my-application": _application,
    "educators:my-application-statement": _application,
    "educators:panel-application": _application,
    "educators:panel-scores": _application,
    # a line manager's answer page: only the line manager the application names
    "educators:support-request-answer": _application,
    "educators:criterion-edit": lambda org: {
        "pk": SelectionCriterionFactory.create(organisation=org).pk
    },
}

# The line manager's link: a secret token, not an object id.
TOKEN_ROUTES = {
    "educators:line-manager-support": "practica/educators/tests/test_line_manager_support.py",
}
PUBLIC = {"educators:line-manager-support"}

READERS = (Role.PARTNERSHIP_MANAGER, Role.COORDINATOR, Role.ACADEMIC)
COORDINATOR_PAGES = (Role.PARTNERSHIP_MANAGER, Role.COORDINATOR)

ROLE_MATRIX: dict[str, dict[Role, int]] = {
    "educators:register": only(*READERS),
    "educators:lapsing": only(*READERS),
    "educators:lapsing-message": only(Role.COORDINATOR),
    "educators:reviews-due": only(*READERS),
    "educators:change-list": only(*COORDINATOR_PAGES),
    # only someone with a register entry of their own (tested in test_change_reports.py)
    "educators:report-change": dict.fromkeys(Role, 403),
    "educators:create": only(Role.COORDINATOR),
    # every signed-in user: their own profile, or a page saying how to get on the register
    "educators:my-profile": dict.fromkeys(Role, 200),
    # the matrix's organisation is a local authority: only the partnership manager reads the
    # shared register there (HEI staff are tested in test_sharing.py)
    "educators:shared-register": only(Role.PARTNERSHIP_MANAGER),
    # only coordinators of the partnership's lead organisation (tested in test_currency_rule.py)
    "educators:currency-rule": dict.fromkeys(Role, 403),
    "educators:cohort-list": only(*COORDINATOR_PAGES),
    "educators:cohort-create": only(Role.COORDINATOR),
    "educators:application-list": only(*COORDINATOR_PAGES),
    "educators:application-create": only(Role.COORDINATOR),
    # practitioners apply for themselves (a user without a person record is told why not)
    "educators:apply": only(Role.PRACTICE_EDUCATOR, Role.PRACTITIONER_TEACHER),
    # every signed-in user: their own applications and panels, or a page saying there are none
    "educators:my-applications": dict.fromkeys(Role, 200),
    "educators:panel-list": dict.fromkeys(Role, 200),
    # every signed-in user: the requests naming them as line manager, or a page saying none
    "educators:support-request-list": dict.fromkeys(Role, 200),
    "educators:criterion-list": only(*COORDINATOR_PAGES),
    "educators:criterion-create": only(Role.COORDINATOR),
}
