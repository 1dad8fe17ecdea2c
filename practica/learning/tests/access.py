"""This app's entries for the URL-walking access tests (see practica/organisations/tests/access.py).

Events and CPD-needs surveys are shared across a partnership by design
(docs/0007-cpd-events-sharing.md), so the outsider who must get 404 is someone of another
partnership: these fixtures build the object in a partnership of its own. The finer rules inside
one partnership (attendee lists, changing an event, audiences) are tested in
practica/learning/tests/test_event_sharing.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from practica.accounts.models import Role
from practica.core.models import Organisation
from practica.learning.tests.factories import (
    CpdNeedsSurveyFactory,
    EventFactory,
    OutsideCpdFactory,
    RegistrationFactory,
)
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    member,
)
from tests.access_tables import ALL, only

OTHER_PARTNERSHIP = "Another teaching partnership"


def _elsewhere(org: Organisation) -> Organisation:
    """An organisation of another partnership, for objects shared partnership-wide."""
    partnership = PartnershipFactory.create(name=OTHER_PARTNERSHIP)
    if org.partnership_id == partnership.pk:
        return org
    return OrganisationFactory.create(partnership=partnership, kind=org.kind)


def _event(org: Organisation) -> dict[str, Any]:
    return {"pk": EventFactory.create(organisation=_elsewhere(org)).pk}


def _registration(org: Organisation) -> dict[str, Any]:
    event = EventFactory.create(organisation=_elsewhere(org))
    return {"pk": RegistrationFactory.create(event=event).pk}


def _outside_cpd(org: Organisation) -> dict[str, Any]:
    # kept by a person of a sibling organisation (their CPD record is their organisation's)
    person = PersonFactory.create(organisation=org, user=member(Role.PRACTICE_EDUCATOR, org))
    return {"pk": OutsideCpdFactory.create(person=person).pk}


def _survey(org: Organisation) -> dict[str, Any]:
    return {"pk": CpdNeedsSurveyFactory.create(organisation_for_partnership=_elsewhere(org)).pk}


OBJECT_ROUTES: dict[str, Callable[[Organisation], dict[str, Any]]] = {
    "learning:event-detail": _event,
    "learning:event-edit": _event,
    "learning:event-calendar": _event,
    "learning:event-register": _event,
    "learning:event-cancel": _event,
    "learning:event-attendance": _event,
    "learning:event-book": _event,
    "learning:registration-attendance": _registration,
    "learning:outside-cpd-edit": _outside_cpd,
    "learning:outside-cpd-remove": _outside_cpd,
    "learning:outside-cpd-evidence": _outside_cpd,
    "learning:survey-detail": _survey,
    "learning:survey-respond": _survey,
    "learning:survey-send": _survey,
    "learning:survey-edit": _survey,
}

ROLE_MATRIX: dict[str, dict[Role, int]] = {
    "learning:event-list": ALL,
    "learning:event-create": only(Role.COORDINATOR),
    "learning:my-cpd-record": ALL,
    # a user whose sign-in is linked to no person has no record to add to
    "learning:outside-cpd-add": dict.fromkeys(Role, 404),
    # only coordinators of the partnership's lead organisation (test_update_training.py)
    "learning:update-training": dict.fromkeys(Role, 403),
    "learning:survey-list": only(
        Role.PARTNERSHIP_MANAGER, Role.COORDINATOR, Role.PRACTICE_EDUCATOR
    ),
    "learning:survey-create": only(Role.COORDINATOR),
}
