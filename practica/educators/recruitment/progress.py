"""Where a practice educator application stands, as one value.

``progress_of`` computes it in a fixed number of queries. Everything that asks "what has been
done, and what may happen next?" derives from it: the services' guards (``check``,
``check_acceptance``), the coordinator's and the applicant's task lists (``tasklist.py``) and
the pages' flags (``may_request_support``, ``may_score``, ...).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone

from practica.core.models import OrganisationKind
from practica.educators.recruitment.models import PeApplication
from practica.educators.recruitment.selectors import active_criteria_of


class Step(StrEnum):
    """The steps of an application, in the order the partnership's guidance sets."""

    WRITTEN = "written application"
    SUPPORT = "line manager's support"
    PANEL = "selection panel"
    INTERVIEW = "panel interview"
    SCORES = "scores"
    DECISION = "decision"


class Support(StrEnum):
    NOT_REQUESTED = "not_requested"  # no link sent, or the link expired unused
    WAITING = "waiting"  # a link is out and still works
    SUPPORTS = "supports"
    DOES_NOT_SUPPORT = "does_not_support"


DECIDED = "A decision has been made on this application; it cannot change."


@dataclass(frozen=True)
class ApplicationProgress:
    support: Support
    panel_size: int
    panel_has_hei: bool  # a panel member works for a university (HEI)
    interview_set: bool
    criteria: int  # the organisation's criteria in use
    scored: int  # how many of them the panel has scored
    decided: bool
    letter_emailed: bool  # the feedback letter went by e-mail (not by hand)

    @property
    def is_open(self) -> bool:
        return not self.decided

    @property
    def support_given(self) -> bool:
        return self.support in {Support.SUPPORTS, Support.DOES_NOT_SUPPORT}

    @property
    def all_scored(self) -> bool:
        """Every criterion in use has its score (and there is at least one criterion)."""
        return self.criteria > 0 and self.scored >= self.criteria

    def waits_for(self, step: Step) -> tuple[str, str | None] | None:
        """What ``step`` waits for, as (message, form field or None), whether or not the
        application is still open; None when it waits for nothing."""
        if step is Step.SUPPORT and self.support_given:
            return "The line manager has already responded to this application.", None
        if step is Step.INTERVIEW and not self.panel_has_hei:
            if self.panel_size == 0:
                return "Choose the selection panel first.", "interview_at"
            return (
                "Add a member from a university (HEI) to the selection panel first.",
                "interview_at",
            )
        if step is Step.SCORES and not self.interview_set:
            return "Schedule the panel interview before recording scores.", None
        return None

    def may_take(self, step: Step) -> bool:
        """Whether ``step`` can be taken (or taken again) now."""
        return self.is_open and self.waits_for(step) is None

    def check(self, step: Step) -> None:
        """Refuses ``step`` with the ``ValidationError`` a person can act on: first a decided
        application, then what the step waits for."""
        if self.decided:
            raise ValidationError(DECIDED)
        waiting = self.waits_for(step)
        if waiting is not None:
            message, field = waiting
            raise ValidationError({field: message} if field else message)

    @property
    def missing_for_acceptance(self) -> tuple[str, ...]:
        """What still stands between the application and acceptance (empty when nothing)."""
        missing = []
        if self.support is not Support.SUPPORTS:
            missing.append("the line manager's support")
        if not self.panel_has_hei:
            missing.append("a selection panel with a member from a university")
        if not self.interview_set:
            missing.append("a panel interview")
        if not self.all_scored:
            missing.append("a score against every published criterion")
        return tuple(missing)

    def check_acceptance(self) -> None:
        """Refuses acceptance while anything in ``missing_for_acceptance`` is outstanding."""
        self.check(Step.DECISION)
        if self.missing_for_acceptance:
            raise ValidationError(
                {
                    "decision": "The application cannot be accepted without "
                    f"{', '.join(self.missing_for_acceptance)}."
                }
            )

    # flags for the pages
    @property
    def may_request_support(self) -> bool:
        return self.may_take(Step.SUPPORT)

    @property
    def may_schedule_interview(self) -> bool:
        return self.may_take(Step.INTERVIEW)

    @property
    def may_score(self) -> bool:
        return self.may_take(Step.SCORES)

    @property
    def may_accept(self) -> bool:
        return self.is_open and not self.missing_for_acceptance


def support_of(application: PeApplication, now: datetime.datetime) -> Support:
    if application.support_given_at is not None:
        return Support.SUPPORTS if application.line_manager_supports else Support.DOES_NOT_SUPPORT
    if application.support_expires_at is not None and application.support_expires_at > now:
        return Support.WAITING
    return Support.NOT_REQUESTED


def progress_of(
    application: PeApplication, *, now: datetime.datetime | None = None
) -> ApplicationProgress:
    """Where ``application`` stands, in two queries whatever the size of its panel and the
    number of criteria (``now`` decides whether a line manager's link still works)."""
    panel = application.panel_members.aggregate(
        size=Count("pk"),
        hei=Count("pk", filter=Q(person__organisation__kind=OrganisationKind.HEI)),
    )
    criteria = active_criteria_of(application.organisation_id).aggregate(
        total=Count("pk", distinct=True),
        scored=Count("pk", distinct=True, filter=Q(scores__application_id=application.pk)),
    )
    return ApplicationProgress(
        support=support_of(application, now or timezone.now()),
        panel_size=panel["size"],
        panel_has_hei=panel["hei"] > 0,
        interview_set=application.interview_at is not None,
        criteria=criteria["total"],
        scored=criteria["scored"],
        decided=bool(application.decision),
        letter_emailed=bool(application.decision and application.feedback_sent_to),
    )
