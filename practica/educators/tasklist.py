"""The steps of a practice educator application, as a GOV.UK task list with statuses."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from practica.core.models import OrganisationKind
from practica.educators import selectors
from practica.educators.models import PeApplication

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


def task_list_for(application: PeApplication, *, may_change: bool = True) -> list[Task]:
    """What has been done and what is next, in the order the partnership's guidance sets.
    Steps link to their pages only while the application is open and the viewer
    ``may_change`` it."""
    pk = application.pk
    linked = not application.decision and may_change
    now = timezone.now()

    def link(name: str) -> str | None:
        return reverse(f"educators:{name}", args=[pk]) if linked else None

    if application.support_given_at is not None:
        support = COMPLETED if application.line_manager_supports else NOT_SUPPORTED
        support_hint = f"Statement from {application.line_manager_name}"
    elif application.support_expires_at and application.support_expires_at > now:
        support = WAITING
        expires = date_format(timezone.localtime(application.support_expires_at), "j F Y")
        support_hint = f"Link sent to {application.line_manager_email}; it expires on {expires}"
    else:
        support = NOT_STARTED
        support_hint = f"Send {application.line_manager_name} a link to give their statement"
    panel = list(application.panel_members.select_related("person__organisation"))
    has_hei = any(m.person.organisation.kind == OrganisationKind.HEI for m in panel)
    criteria = selectors.active_criteria_of(application.organisation_id).count()

    scored = application.scores.filter(criterion__is_active=True).count()
    if application.interview_at is None:
        scores = CANNOT_START
    elif criteria and scored >= criteria:
        scores = COMPLETED
    else:
        scores = IN_PROGRESS if scored else NOT_STARTED
    interview_hint = (
        date_format(timezone.localtime(application.interview_at), "j F Y, H:i")
        if application.interview_at
        else "Date and time of the panel interview"
    )
    if application.decision:
        decision, decision_hint = COMPLETED, application.get_decision_display()
    else:
        decision, decision_hint = NOT_STARTED, "Accept or turn down, with a feedback letter"
    return [
        Task(
            "Written application", "Statement and line manager", COMPLETED, link("application-edit")
        ),
        Task("Line manager's support", support_hint, support, None),
        Task(
            "Selection panel",
            "Including a member from a university (HEI)",
            COMPLETED if has_hei else NOT_STARTED,
            link("application-panel"),
        ),
        Task(
            "Panel interview",
            interview_hint,
            COMPLETED if application.interview_at else (NOT_STARTED if has_hei else CANNOT_START),
            link("application-interview") if has_hei else None,
        ),
        Task(
            "Scores against the published criteria",
            f"{scored} of {criteria} criteria scored",
            scores,
            link("application-scores") if application.interview_at else None,
        ),
        Task(
            "Decision and feedback letter",
            decision_hint,
            decision,
            link("application-decision"),
        ),
    ]


ARRANGED: Status = ("Arranged", "govuk-tag--light-blue")
NOT_YET: Status = ("Not yet", None)


def applicant_steps_for(application: PeApplication) -> list[Task]:
    """What happens next, as the applicant sees it: their part, their line manager's, the
    interview and the decision. Panel scores and comments are not among them
    (docs/0011-pe-self-service-and-panels.md)."""
    open_ = not application.decision
    now = timezone.now()
    manager = application.line_manager_name
    if application.support_given_at is not None:
        if application.line_manager_supports:
            support, support_hint = COMPLETED, f"{manager} supports your application"
        else:
            support = NOT_SUPPORTED
            support_hint = f"{manager} does not support your application at present"
    elif application.support_expires_at and application.support_expires_at > now:
        expires = date_format(timezone.localtime(application.support_expires_at), "j F Y")
        support = WAITING
        support_hint = (
            f"{manager} has been e-mailed a link at {application.line_manager_email}; "
            f"it works until {expires}"
        )
    else:
        support = NOT_STARTED
        support_hint = f"Your coordinator will ask {manager} for their support statement"
    if application.interview_at:
        when = date_format(timezone.localtime(application.interview_at), "j F Y, H:i")
        interview, interview_hint = ARRANGED, when
    else:
        interview = NOT_YET
        interview_hint = "A selection panel, with a member from a university, interviews you"
    if application.decision:
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
