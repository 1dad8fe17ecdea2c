"""How long an application to train as a practice educator that was not accepted is kept:
``RETENTION_YEARS["applications-not-accepted"]`` years after the decision
(``organisations.retention``). The applicant stays (they still work in the partnership); the
application's words about them are overwritten, its decision and dates kept for the reports."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from practica.educators.recruitment.models import Decision, PeApplication
from practica.organisations.anonymise import ANONYMISED_NAME, anonymise_record
from practica.organisations.retention import Candidate, RetentionRule

if TYPE_CHECKING:
    from practica.accounts.models import User


def _anonymise(application: PeApplication, actor: User | None) -> object:
    return anonymise_record(
        actor=actor,
        relation="educators.peapplication.applicant",
        record=application,
        what=f"Practice educator application #{application.pk}",
    )


def candidates(partnership_ids: set[int] | None = None) -> list[Candidate]:
    applications = (
        PeApplication.objects.unscoped(
            "retention looks at every decided application, for the system"
        )
        .filter(decision=Decision.REJECTED, decided_on__isnull=False)
        .exclude(statement=ANONYMISED_NAME)
        .select_related("organisation")
        .order_by("pk")
    )
    if partnership_ids is not None:
        applications = applications.filter(organisation__partnership_id__in=partnership_ids)
    return [
        Candidate(
            record=f"Practice educator application #{application.pk}",
            partnership_id=application.organisation.partnership_id,
            counted_from=application.decided_on,
            anonymise=partial(_anonymise, application),
        )
        for application in applications
        if application.decided_on is not None
    ]


APPLICATIONS_NOT_ACCEPTED = RetentionRule(
    key="applications-not-accepted",
    records="Applications to train as a practice educator, not accepted",
    after="after the decision",
    action="The application's statement, line manager's details and feedback letter are "
    "overwritten; the applicant, the decision and its date stay.",
    candidates=candidates,
)
