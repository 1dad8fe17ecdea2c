"""Every write to PE recruitment: published criteria, applications, the line manager's
support, selection panels, interviews, scores, decisions with their feedback letters, and
applications from earlier records.

Each function is keyword-only, takes the ``actor`` whose change history records, validates in
full and raises ``ValidationError`` with a message a coordinator can act on. What a step needs
first comes from the application's progress (``progress.py``), as its task list shows it.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from practica.accounts.models import hash_token
from practica.core import academic_years
from practica.core.audit import delete_audited, save_audited
from practica.core.models import Organisation, OrganisationKind, Person
from practica.educators.recruitment.models import (
    ApplicationScore,
    Decision,
    PanelMember,
    PeApplication,
    SelectionCriterion,
)
from practica.educators.recruitment.progress import Step, progress_of
from practica.educators.recruitment.selectors import stage_to_apply_for
from practica.educators.register.models import PracticeEducator
from practica.educators.register.services import create_practice_educator
from practica.educators.training.models import PepsEnrolment
from practica.educators.training.services import enrol_in_peps_cohort, ensure_peps_cohort

if TYPE_CHECKING:
    from practica.accounts.models import User

# why the queries below read every organisation's rows (core/scoping.py)
SERVICE = "a service works on the records its caller was allowed to hand it"

SUPPORT_LINK_LIFETIME = timedelta(days=21)


@transaction.atomic
def create_selection_criterion(
    *,
    actor: User | None,
    organisation: Organisation,
    title: str,
    description: str = "",
    max_score: int = 5,
    position: int = 0,
) -> SelectionCriterion:
    criterion = SelectionCriterion(
        organisation=organisation,
        title=title.strip(),
        description=description.strip(),
        max_score=max_score,
        position=position,
    )
    return save_audited(criterion, actor=actor)


@transaction.atomic
def update_selection_criterion(
    *,
    actor: User | None,
    criterion: SelectionCriterion,
    title: str,
    description: str,
    max_score: int,
    position: int,
    is_active: bool,
) -> SelectionCriterion:
    """Refuses lowering the highest score below a score already given against it."""
    highest_given = max(criterion.scores.values_list("score", flat=True), default=0)
    if max_score < highest_given:
        raise ValidationError(
            {"max_score": f"A panel has already given a score of {highest_given} against it."}
        )
    criterion.title, criterion.description = title.strip(), description.strip()
    criterion.max_score, criterion.position, criterion.is_active = max_score, position, is_active
    return save_audited(criterion, actor=actor)


@transaction.atomic
def create_pe_application(
    *,
    actor: User | None,
    applicant: Person,
    stage: int,
    statement: str,
    line_manager_name: str,
    line_manager_email: str,
) -> PeApplication:
    """Starts an application for ``applicant``'s organisation.

    Refuses a Stage 1 application from someone who already holds Stage 1, a Stage 2 application
    from someone without Stage 1, and a second open application for the same stage.
    """
    if stage != stage_to_apply_for(applicant):
        if stage == 1:
            raise ValidationError(
                {"stage": f"{applicant.full_name} already holds PEPS Stage 1; apply for Stage 2."}
            )
        raise ValidationError(
            {"stage": f"{applicant.full_name} needs PEPS Stage 1 before applying for Stage 2."}
        )
    if (
        PeApplication.objects.unscoped(SERVICE)
        .filter(applicant=applicant, stage=stage, decision="")
        .exists()
    ):
        raise ValidationError(
            {"applicant": f"{applicant.full_name} already has an open application for this stage."}
        )
    application = PeApplication(
        organisation=applicant.organisation,
        applicant=applicant,
        stage=stage,
        statement=statement.strip(),
        line_manager_name=line_manager_name.strip(),
        line_manager_email=line_manager_email.strip().lower(),
    )
    return save_audited(application, actor=actor)


@transaction.atomic
def submit_own_pe_application(
    *,
    actor: User,
    applicant: Person,
    stage: int,
    statement: str,
    line_manager_name: str,
    line_manager_email: str,
    base_url: str = "",
    send: bool = True,
) -> PeApplication:
    """An applicant's own expression of interest: recorded as ``create_pe_application`` does,
    and the line manager's link e-mailed after commit, so nobody has to forward it.

    Refuses what ``create_pe_application`` refuses, an empty statement, and the applicant's own
    address as their line manager's (they cannot support themselves).
    """
    if not statement.strip():
        raise ValidationError({"statement": "Write your statement."})
    email = line_manager_email.strip().lower()
    own = {address.lower() for address in (applicant.email, actor.email) if address}
    if email in own:
        raise ValidationError(
            {"line_manager_email": "Give your line manager's e-mail address, not your own."}
        )
    application = create_pe_application(
        actor=actor,
        applicant=applicant,
        stage=stage,
        statement=statement,
        line_manager_name=line_manager_name,
        line_manager_email=email,
    )
    request_line_manager_support(actor=actor, application=application, base_url=base_url, send=send)
    application.refresh_from_db()
    return application


@transaction.atomic
def update_own_pe_statement(
    *, actor: User, application: PeApplication, statement: str
) -> PeApplication:
    """The applicant rewrites their written statement; the line manager named stays, so a
    link already sent keeps working. Refuses an empty statement and a decided application."""
    if not statement.strip():
        raise ValidationError({"statement": "Write your statement."})
    current = _ready_for(Step.WRITTEN, application)
    return update_pe_application(
        actor=actor,
        application=current,
        statement=statement,
        line_manager_name=current.line_manager_name,
        line_manager_email=current.line_manager_email,
    )


def _ready_for(step: Step, application: PeApplication) -> PeApplication:
    """The application as stored now, locked for this transaction, once its progress allows
    ``step``: refused once decided, or while the step waits for an earlier one.

    Services change this fresh copy, so a caller's stale instance cannot undo a decision.
    """
    fresh = PeApplication.objects.unscoped(SERVICE).select_for_update().get(pk=application.pk)
    progress_of(fresh).check(step)
    return fresh


@transaction.atomic
def update_pe_application(
    *,
    actor: User | None,
    application: PeApplication,
    statement: str,
    line_manager_name: str,
    line_manager_email: str,
) -> PeApplication:
    """Changes the written application. A new line manager address voids a link already sent."""
    application = _ready_for(Step.WRITTEN, application)
    email = line_manager_email.strip().lower()
    if email != application.line_manager_email and application.support_given_at is None:
        application.support_token_hash = None
        application.support_requested_at = application.support_expires_at = None
    application.statement = statement.strip()
    application.line_manager_name, application.line_manager_email = line_manager_name.strip(), email
    return save_audited(application, actor=actor)


@transaction.atomic
def request_line_manager_support(
    *, actor: User | None, application: PeApplication, base_url: str = "", send: bool = True
) -> str:
    """Creates the line manager's single-use link (replacing any earlier one) and e-mails it
    after commit. Returns the raw token, which is stored only as a hash.

    Refuses once the line manager has responded or a decision has been made.
    """
    application = _ready_for(Step.SUPPORT, application)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    application.support_token_hash = hash_token(token)
    application.support_requested_at = now
    application.support_expires_at = now + SUPPORT_LINK_LIFETIME
    save_audited(application, actor=actor)
    if send:
        link = base_url + reverse("educators:line-manager-support", args=[token])
        transaction.on_commit(lambda: _send_support_request(application, link))
    return token


def _send_support_request(application: PeApplication, link: str) -> None:
    expires = application.support_expires_at
    expiry = date_format(expires, "j F Y") if expires else ""
    send_mail(
        subject=f"Please support {application.applicant.full_name}'s practice educator application",
        message=(
            f"Dear {application.line_manager_name},\n\n"
            f"{application.applicant.full_name} has applied to {application.organisation.name} "
            f"for PEPS {application.get_stage_display().removeprefix('PEPS ')} practice educator "
            "training and named you as their line manager.\n\n"
            f"Please give your support statement here: {link}\n\n"
            f"The link works once and expires on {expiry}."
        ),
        from_email=None,
        recipient_list=[application.line_manager_email],
    )


def application_for_support_token(token: str) -> PeApplication | None:
    """The application waiting for its line manager behind ``token``, or None if the token is
    unknown, used or expired."""
    application = (
        PeApplication.objects.unscoped(SERVICE)
        .select_related("applicant", "organisation")
        .filter(support_token_hash=hash_token(token), support_given_at__isnull=True, decision="")
        .first()
    )
    if application is None or application.support_expires_at is None:
        return None
    if timezone.now() >= application.support_expires_at:
        return None
    return application


@transaction.atomic
def give_line_manager_support(
    *, application: PeApplication, supports: bool, statement: str, actor: User | None = None
) -> PeApplication:
    """Records the line manager's response and makes their link unusable. Refuses an empty
    statement and a link that has been used or has expired. ``actor`` is the signed-in line
    manager when they answer in Practica rather than through the e-mailed link."""
    application = PeApplication.objects.unscoped(SERVICE).select_for_update().get(pk=application.pk)
    if (
        application.support_given_at is not None
        or application.support_token_hash is None
        or application.support_expires_at is None
        or timezone.now() >= application.support_expires_at
    ):
        raise ValidationError("This link has already been used or has expired.")
    if not statement.strip():
        raise ValidationError({"statement": "Write your statement."})
    application.line_manager_supports = supports
    application.line_manager_statement = statement.strip()
    application.support_given_at = timezone.now()
    application.support_token_hash = None
    return save_audited(application, actor=actor)


@transaction.atomic
def set_selection_panel(
    *, actor: User | None, application: PeApplication, members: Sequence[Person]
) -> list[PanelMember]:
    """Replaces the selection panel. Refuses a panel without a member from an HEI of the
    partnership, and members from outside the partnership."""
    application = _ready_for(Step.PANEL, application)
    if not members:
        raise ValidationError({"members": "Choose the members of the panel."})
    _refuse_outsiders(application.organisation.partnership_id, members, field="members")
    if not any(m.organisation.kind == OrganisationKind.HEI for m in members):
        raise ValidationError(
            {"members": "Include at least one member from a university (HEI) programme provider."}
        )
    _seat_panel(actor=actor, application=application, members=members)
    return list(application.panel_members.select_related("person__organisation"))


def _refuse_outsiders(partnership_id: int, members: Sequence[Person], *, field: str) -> None:
    """Refuses (on ``field``) a panel member from outside the teaching partnership."""
    outsiders = [m for m in members if m.organisation.partnership_id != partnership_id]
    if outsiders:
        raise ValidationError(
            {field: f"{outsiders[0].full_name} is not in the teaching partnership."}
        )


def _seat_panel(
    *, actor: User | None, application: PeApplication, members: Sequence[Person]
) -> None:
    """Makes ``members`` the application's panel: seats the new ones, unseats the others."""
    wanted = {person.pk: person for person in members}
    for member in application.panel_members.all():
        if member.person_id not in wanted:
            delete_audited(member, actor=actor)
    seated = set(application.panel_members.values_list("person_id", flat=True))
    for pk, person in wanted.items():
        if pk not in seated:
            save_audited(PanelMember(application=application, person=person), actor=actor)


@transaction.atomic
def schedule_panel_interview(
    *, actor: User | None, application: PeApplication, interview_at: datetime.datetime
) -> PeApplication:
    """Refuses scheduling before the panel (with its HEI member) has been chosen."""
    application = _ready_for(Step.INTERVIEW, application)
    application.interview_at = interview_at
    return save_audited(application, actor=actor)


@transaction.atomic
def record_application_scores(
    *,
    actor: User | None,
    application: PeApplication,
    scores: dict[SelectionCriterion, tuple[int, str]],
) -> list[ApplicationScore]:
    """Records the panel's score (and comment) against each criterion given.

    Refuses scores before the interview date is set, above a criterion's highest score, and
    criteria of another organisation.
    """
    application = _ready_for(Step.SCORES, application)
    return [
        _save_score(
            actor=actor, application=application, criterion=criterion, score=score, comment=comment
        )
        for criterion, (score, comment) in scores.items()
    ]


def _save_score(
    *,
    actor: User | None,
    application: PeApplication,
    criterion: SelectionCriterion,
    score: int,
    comment: str,
) -> ApplicationScore:
    row = ApplicationScore.objects.unscoped(SERVICE).filter(
        application=application, criterion=criterion
    ).first() or ApplicationScore(application=application, criterion=criterion)
    row.score, row.comment = score, comment.strip()
    return save_audited(row, actor=actor)


def next_cohort_year(today: datetime.date) -> int:
    """Training starts in the academic year after the one in which the decision is made."""
    return academic_years.academic_year_of(today) + 1


@transaction.atomic
def decide_pe_application(
    *,
    actor: User,
    application: PeApplication,
    decision: str,
    feedback_letter: str,
    today: datetime.date | None = None,
) -> PeApplication:
    """Records the decision and its feedback letter, and e-mails the letter to the applicant
    after commit (when they have an address; otherwise the letter goes by hand and
    ``feedback_sent_to`` stays empty). Accepting puts the applicant on the register (if they
    are not on it) and enrols them in their organisation's cohort of the applied-for stage in
    the next academic year, creating the cohort if needed.

    Refuses a second decision, an empty letter, and acceptance while anything in the
    application's ``missing_for_acceptance`` (``progress.py``) is outstanding.
    """
    application = _ready_for(Step.DECISION, application)
    today = today or timezone.localdate()
    if decision not in Decision.values:
        raise ValidationError({"decision": "Choose whether the application is accepted."})
    if not feedback_letter.strip():
        raise ValidationError({"feedback_letter": "Write the feedback letter."})
    if decision == Decision.ACCEPTED:
        progress_of(application).check_acceptance()
        educator = PracticeEducator.objects.unscoped(SERVICE).filter(
            person=application.applicant
        ).first() or create_practice_educator(actor=actor, person=application.applicant)
        cohort = ensure_peps_cohort(
            actor=actor,
            organisation=application.organisation,
            start_year=next_cohort_year(today),
            stage=application.stage,
        )
        application.enrolment = enrol_in_peps_cohort(actor=actor, cohort=cohort, educator=educator)
    application.decision = decision
    application.feedback_letter = feedback_letter.strip()
    application.decided_on, application.decided_by = today, actor
    application.feedback_sent_to = application.applicant.email.strip().lower()
    save_audited(application, actor=actor)
    if application.feedback_sent_to:
        transaction.on_commit(lambda: _send_feedback_letter(application))
    return application


def _send_feedback_letter(application: PeApplication) -> None:
    stage = application.get_stage_display()
    send_mail(
        subject=f"Your application for {stage} practice educator training: the decision",
        message=(
            f"Dear {application.applicant.full_name},\n\n"
            f"{application.organisation.name} has decided on your application for {stage} "
            f"practice educator training: {application.get_decision_display().lower()}.\n\n"
            f"{application.feedback_letter}\n"
        ),
        from_email=None,
        recipient_list=[application.feedback_sent_to],
    )


# --- applications from earlier records (imports) -------------------------------------------


@dataclass(frozen=True)
class RecordedApplication:
    """An application as an earlier record states it, at whatever point it had reached."""

    applicant: Person
    stage: int
    created_at: datetime.datetime
    statement: str
    line_manager_name: str
    line_manager_email: str
    line_manager_supports: bool | None = None
    line_manager_statement: str = ""
    support_given_at: datetime.datetime | None = None
    panel: Sequence[Person] = ()
    interview_at: datetime.datetime | None = None
    decision: str = ""
    decided_on: datetime.date | None = None
    decided_by: User | None = None
    feedback_letter: str = ""
    feedback_sent_to: str = ""


@transaction.atomic
def record_pe_application(*, actor: User | None, record: RecordedApplication) -> PeApplication:
    """Records (or brings up to date) an application from an earlier record, found by applicant,
    stage and when it was made. Nothing is sent: the line manager answered, the panel met and
    the letter went out when the record says. An accepted application is linked to the
    applicant's enrolment in the cohort after the decision, when there is one.

    Refuses what the application itself refuses (an applicant of another organisation, a
    decision without its date and letter), a line manager's response without its date or the
    other way round, and panel members from outside the partnership.
    """
    applicant = record.applicant
    application = PeApplication.objects.unscoped(SERVICE).filter(
        applicant=applicant, stage=record.stage, created_at=record.created_at
    ).first() or PeApplication(
        organisation=applicant.organisation,
        applicant=applicant,
        stage=record.stage,
        created_at=record.created_at,
    )
    if (record.line_manager_supports is None) != (record.support_given_at is None):
        raise ValidationError(
            {
                "support_given_at": "Give the line manager's answer and the date they gave it "
                "together (or neither)."
            }
        )
    _refuse_outsiders(applicant.organisation.partnership_id, record.panel, field="panel")
    application.statement = record.statement.strip()
    application.line_manager_name = record.line_manager_name.strip()
    application.line_manager_email = record.line_manager_email.strip().lower()
    application.line_manager_supports = record.line_manager_supports
    application.line_manager_statement = record.line_manager_statement.strip()
    application.support_given_at = record.support_given_at
    application.interview_at = record.interview_at
    application.decision = record.decision
    application.decided_on, application.decided_by = record.decided_on, record.decided_by
    application.feedback_letter = record.feedback_letter.strip()
    application.feedback_sent_to = record.feedback_sent_to.strip().lower()
    application.enrolment = _enrolment_after(application)
    save_audited(application, actor=actor)
    _seat_panel(actor=actor, application=application, members=record.panel)
    return application


def _enrolment_after(application: PeApplication) -> PepsEnrolment | None:
    """The applicant's enrolment that an accepted application led to: in their organisation's
    cohort of the stage, in the academic year after the decision."""
    if application.decision != Decision.ACCEPTED or application.decided_on is None:
        return None
    return (
        PepsEnrolment.objects.unscoped(SERVICE)
        .filter(
            educator__person=application.applicant,
            cohort__organisation_id=application.organisation_id,
            cohort__stage=application.stage,
            cohort__academic_year__start_year=next_cohort_year(application.decided_on),
        )
        .first()
    )


@transaction.atomic
def record_application_score(
    *,
    actor: User | None,
    application: PeApplication,
    criterion: SelectionCriterion,
    score: int,
    comment: str = "",
) -> ApplicationScore:
    """Records a panel's score from an earlier record, whatever the application's state.
    Refuses a score above the criterion's highest and a criterion of another organisation."""
    return _save_score(
        actor=actor, application=application, criterion=criterion, score=score, comment=comment
    )
