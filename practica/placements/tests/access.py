"""This app's entries for the URL-walking access tests (see practica/organisations/tests/access.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from practica.accounts.models import Role
from practica.core.models import Organisation
from practica.placements.tests.during_factories import (
    AttendanceWeekFactory,
    CauseForConcernFactory,
    PreferenceWindowFactory,
)
from practica.placements.tests.factories import (
    PlacementFactory,
    PlacementOfferFactory,
    StudentFactory,
)
from tests.access_tables import only


def _run(org: Organisation) -> dict[str, Any]:
    from practica.placements.tests.allocation_factories import AllocationRunFactory

    return {"pk": AllocationRunFactory.create(organisation=org).pk}


def _constraint(org: Organisation) -> dict[str, Any]:
    from practica.placements.tests.allocation_factories import (
        AllocationConstraintFactory,
        AllocationRunFactory,
    )

    run = AllocationRunFactory.create(organisation=org)
    return {"pk": run.pk, "constraint": AllocationConstraintFactory.create(organisation=org).pk}


def _quota(org: Organisation) -> dict[str, Any]:
    from practica.organisations.tests.factories import OrganisationFactory
    from practica.placements.runs.services import save_quota
    from practica.placements.tests.factories import year_2019

    hei = OrganisationFactory.create(partnership=org.partnership, kind="hei")
    quota = save_quota(
        actor=None,
        partnership=org.partnership,
        hei=hei,
        provider=org,
        academic_year=year_2019(),
        limit=2,
    )
    return {"pk": quota.pk}


def _offer(org: Organisation) -> dict[str, Any]:
    return {"pk": PlacementOfferFactory.create(organisation=org).pk}


def _placement(org: Organisation) -> dict[str, Any]:
    return {"pk": PlacementFactory.create(organisation=org).pk}


def _confirmed(org: Organisation) -> dict[str, Any]:
    return {"pk": PlacementFactory.create(organisation=org, confirmed=True).pk}


def _week(org: Organisation) -> dict[str, Any]:
    week = AttendanceWeekFactory.create(placement__organisation=org)
    return {"pk": week.placement_id, "week": week.pk}


def _concern(org: Organisation) -> dict[str, Any]:
    return {"pk": CauseForConcernFactory.create(placement__organisation=org).pk}


def _window(org: Organisation) -> dict[str, Any]:
    return {"pk": PreferenceWindowFactory.create(hei=org).pk}


OBJECT_ROUTES: dict[str, Callable[[Organisation], dict[str, Any]]] = {
    "placements:student-detail": lambda org: {"pk": StudentFactory.create(hei=org).pk},
    "placements:student-profile": lambda org: {"pk": StudentFactory.create(hei=org).pk},
    "placements:offer-detail": _offer,
    "placements:offer-edit": _offer,
    "placements:placement-detail": _placement,
    "placements:placement-step": lambda org: {**_placement(org), "step": "match"},
    # during the placement (docs/0029)
    "placements:student-checks": lambda org: {"pk": StudentFactory.create(hei=org).pk},
    "placements:check-record": lambda org: {"pk": StudentFactory.create(hei=org).pk},
    "placements:skills-days-record": lambda org: {"pk": StudentFactory.create(hei=org).pk},
    "placements:placement-during": _confirmed,
    "placements:attendance-log": _confirmed,
    "placements:attendance-sign-off": _week,
    "placements:review-record": lambda org: {**_confirmed(org), "kind": "midpoint"},
    "placements:observation-add": _confirmed,
    "placements:concern-raise": _confirmed,
    "placements:concern-detail": _concern,
    "placements:concern-step": lambda org: {**_concern(org), "step": "meeting"},
    "placements:preferences-submit": _window,
    "placements:preference-window-detail": _window,
    "placements:allocation-detail": _run,
    "placements:allocation-again": _run,
    "placements:allocation-confirm": _run,
    "placements:allocation-constraint-add": _run,
    "placements:allocation-constraint-remove": _constraint,
    # quotas per university: the providing organisation's (docs/0028, "Quotas")
    "placements:quota-edit": _quota,
    "placements:quota-remove": _quota,
}
# The single-use links of a PE or supervisor without an account: a secret token, not an id.
TOKEN_ROUTES = {
    "placements:placement-link": "practica/placements/tests/test_placement_links.py",
    "placements:attendance-link": "practica/placements/tests/test_during_attendance_link.py",
}
PUBLIC = {"placements:placement-link", "placements:attendance-link"}
ROLE_MATRIX: dict[str, dict[Role, int]] = {
    "placements:student-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
    "placements:offer-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
    "placements:placement-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
    # a local authority's coordinator offers placements; universities ask for them
    "placements:offer-create": only(Role.COORDINATOR),
    "placements:placement-request": only(),
    # a student states preferences at their university; a university opens the window
    "placements:my-preferences": only(otherwise=404),
    "placements:preference-window-create": only(),
    # a university's coordinators and the partnership manager allocate (docs/0028); the
    # organisation here is a local authority
    "placements:allocation-list": only(Role.PARTNERSHIP_MANAGER),
    # a provider's coordinators keep its quotas, the partnership manager every quota
    "placements:quota-list": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
    "placements:quota-create": only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR),
}

# placement evaluations (docs/0031-placement-evaluation.md)
OBJECT_ROUTES["placements:evaluation"] = _placement
# a local authority's coordinator reads its placements' evaluations (a university's staff their
# students', but the matrix's organisation is not a university)
ROLE_MATRIX["placements:evaluations"] = only(Role.PARTNERSHIP_MANAGER, Role.COORDINATOR)
