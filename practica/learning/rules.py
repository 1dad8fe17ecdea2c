"""Who sees and does what with events, registrations and the CPD-needs survey.

Events are shared across the partnership by design; attendee lists are not (docs/0007). The
app's own ability names are defined in ``learning/abilities.py`` (re-exported here).
"""

from __future__ import annotations

from django.db.models import Q

from practica.accounts.grants import (
    ALL_ROLES,
    COORDINATORS,
    MANAGE,
    PARTNERSHIP_MANAGER,
    PARTNERSHIP_MANAGER_READS,
    VIEW,
    AboutThemselves,
    InOrganisation,
    InPartnership,
    Rules,
    Through,
)
from practica.accounts.models import Role
from practica.core.models import Person
from practica.educators.models import PepsEnrolment
from practica.learning.abilities import (
    ANSWER,
    ATTENDEES,
    CPD_RECORD,
    RECORD_ATTENDANCE,
    REGISTER,
    RESULTS,
)
from practica.learning.events.models import (
    Event,
    Registration,
    UpdateTrainingRule,
    audiences_for,
)
from practica.learning.outside.models import OutsideCpd
from practica.learning.surveys.models import CpdNeedsSurvey

__all__ = [
    "ANSWER",
    "ATTENDEES",
    "CPD_RECORD",
    "RECORD_ATTENDANCE",
    "REGISTER",
    "RESULTS",
    "RULES",
    "RUN_THE_DAY",
    "SEES_EVERY_EVENT",
    "in_audience",
]

# Roles that see every event of their partnership whatever its audience: they publicise
# events to their staff and answer for them.
SEES_EVERY_EVENT = frozenset({Role.COORDINATOR, Role.PARTNERSHIP_MANAGER})
RUN_THE_DAY = ("organisation", "co_facilitators")


def in_audience(role: Role) -> Q:
    """Events whose audience includes ``role``."""
    return Q(audience__in=audiences_for(role))


RULES = [
    # the partnership's lead organisation keeps what counts as update training
    Rules(
        UpdateTrainingRule,
        InOrganisation(COORDINATORS, {VIEW, MANAGE}),
        PARTNERSHIP_MANAGER_READS,
    ),
    Rules(
        Person,
        InOrganisation(COORDINATORS | {Role.LINE_MANAGER}, {CPD_RECORD}),
        InPartnership(PARTNERSHIP_MANAGER, {CPD_RECORD}),
        AboutThemselves("user", {CPD_RECORD}),
    ),
    Rules(PepsEnrolment, Through("educator__person", CPD_RECORD, {CPD_RECORD})),
    Rules(
        Event,
        InPartnership(SEES_EVERY_EVENT, {VIEW}),
        InPartnership(ALL_ROLES, {VIEW, REGISTER}, where=in_audience),
        InOrganisation(COORDINATORS, {MANAGE}),
        InOrganisation(COORDINATORS, {ATTENDEES, RECORD_ATTENDANCE}, via=RUN_THE_DAY),
        InPartnership(PARTNERSHIP_MANAGER, {ATTENDEES}),
    ),
    Rules(
        Registration,
        Through("event", ATTENDEES, {VIEW}),
        AboutThemselves("person__user", {VIEW}),
        Through("event", RECORD_ATTENDANCE, {MANAGE}),
        Through("person", CPD_RECORD, {CPD_RECORD}),
    ),
    # outside CPD: the person keeps it; whoever may see their CPD record reads it
    Rules(
        OutsideCpd,
        Through("person", CPD_RECORD, {VIEW}),
        AboutThemselves("person__user", {VIEW, MANAGE}),
    ),
    # A survey belongs to the whole partnership, one per academic year.
    Rules(
        CpdNeedsSurvey,
        InPartnership(COORDINATORS | {Role.PRACTICE_EDUCATOR}, {VIEW}),
        PARTNERSHIP_MANAGER_READS,
        InPartnership(COORDINATORS, {MANAGE}),
        InPartnership(COORDINATORS | PARTNERSHIP_MANAGER, {RESULTS}),
        InPartnership({Role.PRACTICE_EDUCATOR}, {ANSWER}),
        organisation=None,
        partnership="partnership",
    ),
]
