"""Who sees and does what with time audits (docs/0030-time-audit.md): the organisation that
runs an audit — its coordinators — enrols practice educators and keeps every log; each
practice educator logs their own weeks; the partnership manager reads."""

from __future__ import annotations

from practica.accounts.grants import (
    COORDINATORS,
    MANAGE,
    PARTNERSHIP_MANAGER,
    PARTNERSHIP_MANAGER_READS,
    VIEW,
    AboutThemselves,
    InOrganisation,
    InPartnership,
    Rules,
)
from practica.timeaudit.models import AuditEnrolment, TimeAudit, TimeLog

__all__ = ["KEEP_AUDITS", "LOG", "RULES"]

# keep the list of audits (the coordinators who run them, the manager who reads them)
KEEP_AUDITS = "keep_time_audits"
# log hours for a week: the practice educator, about their own enrolment
LOG = "log_time"
EDUCATOR = "practice_educator__person__user"

RULES = [
    Rules(
        TimeAudit,
        InOrganisation(COORDINATORS, {VIEW, MANAGE, KEEP_AUDITS}),
        PARTNERSHIP_MANAGER_READS,
        InPartnership(PARTNERSHIP_MANAGER, {KEEP_AUDITS}),
        AboutThemselves(f"enrolments__{EDUCATOR}", {VIEW}),
    ),
    Rules(
        AuditEnrolment,
        InOrganisation(COORDINATORS, {VIEW, MANAGE, LOG}),
        PARTNERSHIP_MANAGER_READS,
        AboutThemselves(EDUCATOR, {VIEW, LOG}),
    ),
    Rules(
        TimeLog,
        InOrganisation(COORDINATORS, {VIEW, MANAGE}),
        PARTNERSHIP_MANAGER_READS,
        AboutThemselves(f"enrolment__{EDUCATOR}", {VIEW, MANAGE}),
    ),
]
