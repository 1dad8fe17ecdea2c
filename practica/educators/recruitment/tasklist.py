"""The steps of a practice educator application, as a GOV.UK task list with statuses, read
from its ``ApplicationProgress``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from practica.educators.recruitment.models import PeApplication
from practica.educators.recruitment.progress import ApplicationProgress, Step, Support

# GOV.UK task list statuses: a tag (with its colour class) or plain text.
Status = tuple[str, str | None]
COMPLETED: Status = ("Completed", "")
NOT_STARTED: Status = ("Not yet started", "govuk-tag--blue")
IN_PROGRESS: Status = ("In progress", "govuk-tag--light-blue")
WAITING: Status = ("Waiting for the line manager", "govuk-tag--light-blue")
NOT_SUPPORTED: Status = ("Not supported", "govuk-tag--red")
CANNOT_START: Status = ("Cannot start yet", None)


@dataclass(frozen=True)
class Task:
    title: str
    hint: str
    status: Status  # label, tag class (None: plain text, not a tag)
    url: str | None  # None when the step cannot be opened (yet, or any longer)


def task_list_for(
    application: PeApplication, progress: ApplicationProgress, *, may_change: bool = True
) -> list[Task]:
    """What has been done and what is next, in the order the partnership's guidance sets.
    A step links to its page when ``progress`` says it can be taken and the viewer
    ``may_change`` the application."""
    pk = application.pk

    def link(name: str, step: Step) -> str | None:
        if not (may_change and progress.may_take(step)):
            return None
        return reverse(f"educators:{name}", args=[pk])

    if progress.support_given:
        support = COMPLETED if progress.support is Support.SUPPORTS else NOT_SUPPORTED
        support_hint = f"Statement from {application.line_manager_name}"
    elif progress.support is Support.WAITING:
        support = WAITING
        support_hint = (
            f"Link sent to {application.line_manager_email}; it expires on {_expiry(application)}"
        )
    else:
        support = NOT_STARTED
        support_hint = f"Send {application.line_manager_name} a link to give their statement"
    if progress.interview_set:
        interview = COMPLETED
    else:
        interview = CANNOT_START if progress.waits_for(Step.INTERVIEW) else NOT_STARTED
    if progress.waits_for(Step.SCORES):
        scores = CANNOT_START
    elif progress.all_scored:
        scores = COMPLETED
    else:
        scores = IN_PROGRESS if progress.scored else NOT_STARTED
    interview_hint = (
        _when(application.interview_at)
        if application.interview_at
        else "Date and time of the panel interview"
    )
    if progress.decided:
        decision, decision_hint = COMPLETED, application.get_decision_display()
    else:
        decision, decision_hint = NOT_STARTED, "Accept or turn down, with a feedback letter"
    return [
        Task(
            "Written application",
            "Statement and line manager",
            COMPLETED,
            link("application-edit", Step.WRITTEN),
        ),
        Task("Line manager's support", support_hint, support, None),
        Task(
            "Selection panel",
            "Including a member from a university (HEI)",
            COMPLETED if progress.panel_has_hei else NOT_STARTED,
            link("application-panel", Step.PANEL),
        ),
        Task(
            "Panel interview",
            interview_hint,
            interview,
            link("application-interview", Step.INTERVIEW),
        ),
        Task(
            "Scores against the published criteria",
            f"{progress.scored} of {progress.criteria} criteria scored",
            scores,
            link("application-scores", Step.SCORES),
        ),
        Task(
            "Decision and feedback letter",
            decision_hint,
            decision,
            link("application-decision", Step.DECISION),
        ),
    ]


def _expiry(application: PeApplication) -> str:
    expires = application.support_expires_at
    return date_format(timezone.localtime(expires), "j F Y") if expires else ""


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


ARRANGED: Status = ("Arranged", "govuk-tag--light-blue")
NOT_YET: Status = ("Not yet", None)


def applicant_steps_for(application: PeApplication, progress: ApplicationProgress) -> list[Task]:
    """What happens next, as the applicant sees it: their part, their line manager's, the
    interview and the decision. Panel scores and comments are not among them
    (docs/0011-pe-self-service-and-panels.md)."""
    open_ = progress.may_take(Step.WRITTEN)
    manager = application.line_manager_name
    if progress.support is Support.SUPPORTS:
        support, support_hint = COMPLETED, f"{manager} supports your application"
    elif progress.support is Support.DOES_NOT_SUPPORT:
        support = NOT_SUPPORTED
        support_hint = f"{manager} does not support your application at present"
    elif progress.support is Support.WAITING:
        support = WAITING
        support_hint = (
            f"{manager} has been e-mailed a link at {application.line_manager_email}; "
            f"it works until {_expiry(application)}"
        )
    else:
        support = NOT_STARTED
        support_hint = f"Your coordinator will ask {manager} for their support statement"
    if application.interview_at:
        interview, interview_hint = ARRANGED, _when(application.interview_at)
    else:
        interview = NOT_YET
        interview_hint = "A selection panel, with a member from a university, interviews you"
    if progress.decided:
        decision, decision_hint = COMPLETED, application.get_decision_display()
    else:
        decision = NOT_YET
        decision_hint = "You will receive the decision and a feedback letter"
    return [
        Task(
            "Your written application",
            "You can change your statement until the decision"
            if open_
            else "Your statement and line manager",
            COMPLETED,
            reverse("educators:my-application-statement", args=[application.pk]) if open_ else None,
        ),
        Task("Your line manager's support", support_hint, support, None),
        Task("Selection panel interview", interview_hint, interview, None),
        Task("Decision and feedback letter", decision_hint, decision, None),
    ]
