"""Who sees and changes the partnership's organisations, locations, teams and people, and who
runs reports (docs/0002-roles-and-scoping.md, docs/0003-data-sharing.md)."""

from __future__ import annotations

from practica.accounts.grants import (
    ALL_ROLES,
    COORDINATORS,
    MANAGE,
    PARTNERSHIP_MANAGER,
    PARTNERSHIP_MANAGER_READS,
    STAFF,
    SUBJECT_ACCESS,
    VIEW,
    InOrganisation,
    InPartnership,
    Rules,
)
from practica.accounts.models import Role
from practica.core.models import (
    AuditEvent,
    Location,
    Organisation,
    Person,
    SubjectAccessExport,
    Team,
)
from practica.reports.registry import RUN_REPORTS

# add organisations to the partnership (the organisations import; the set-up wizard is for the
# installation's administrator)
ADD_ORGANISATIONS = "add_organisations"

RULES = [
    Rules(
        Organisation,
        InOrganisation(ALL_ROLES, {VIEW}),
        InOrganisation(COORDINATORS, {MANAGE}),
        PARTNERSHIP_MANAGER_READS,
        # the reports about the organisation's records (each report may ask for more)
        InOrganisation(COORDINATORS | {Role.ACADEMIC}, {RUN_REPORTS}),
        InPartnership(PARTNERSHIP_MANAGER, {RUN_REPORTS, ADD_ORGANISATIONS}),
    ),
    Rules(
        Location,
        InOrganisation(STAFF, {VIEW}),
        InOrganisation(COORDINATORS, {MANAGE}),
        PARTNERSHIP_MANAGER_READS,
    ),
    Rules(
        Team,
        InOrganisation(STAFF, {VIEW}),
        InOrganisation(COORDINATORS, {MANAGE}),
        PARTNERSHIP_MANAGER_READS,
    ),
    Rules(
        Person,
        InOrganisation(COORDINATORS | {Role.LINE_MANAGER}, {VIEW}),
        InOrganisation(COORDINATORS, {MANAGE, SUBJECT_ACCESS}),
        PARTNERSHIP_MANAGER_READS,
    ),
    # who exported a person's records, and when: for those who may export them
    Rules(SubjectAccessExport, InOrganisation(COORDINATORS, {VIEW}), PARTNERSHIP_MANAGER_READS),
    # sign-ins, downloads and exports: the audit page, for partnership managers only
    Rules(
        AuditEvent,
        InPartnership(PARTNERSHIP_MANAGER, {VIEW}),
        organisation=None,
        partnership="partnership",
    ),
]
