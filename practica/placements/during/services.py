"""Every write kept during a placement (docs/0029): checks, attendance, skills days, meetings
and reviews, observations, causes for concern, and the reminder of checks about to expire.

The view decides who may call each one (the placement's abilities in ``during.rules``); each
service validates in full and records its actor in the history."""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from practica.accounts import links
from practica.accounts.models import Membership, Role
from practica.core.audit import save_audited
from practica.core.models import AcademicYear, Location, Organisation, ServiceArea
from practica.placements.during import selectors
from practica.placements.during.models import (
    MAX_PREFERENCES,
    OPEN_CONCERN_STATUSES,
    AttendanceWeek,
    CauseForConcern,
    CheckKind,
    ConcernStatus,
    DirectObservation,
    PlacementReview,
    PreferenceWindow,
    PreplacementCheck,
    RaisedBy,
    SkillsDays,
    StudentPreference,
)
from practica.placements.models import (
    LinkPurpose,
    Placement,
    PlacementLink,
    PlacementStatus,
    Student,
)

if TYPE_CHECKING:
    from practica.accounts.models import User

# statuses in which a placement is under way or was: its attendance, meetings and observations
# can be recorded (a confirmed one for the learning agreement meeting before the first day)
RECORDING_STATUSES = (
    PlacementStatus.CONFIRMED,
    PlacementStatus.IN_PROGRESS,
    PlacementStatus.COMPLETED,
    PlacementStatus.ENDED_EARLY,
)


def _under_way(placement: Placement) -> None:
    if placement.status not in RECORDING_STATUSES:
        raise ValidationError(
            "This placement is not confirmed yet: nothing can be recorded on it until it is."
        )


# --- pre-placement checks ---------------------------------------------------------------------


@transaction.atomic
def record_check(
    *,
    actor: User | None,
    student: Student,
    kind: str,
    completed_on: datetime.date,
    expires_on: datetime.date | None = None,
    reference: str = "",
) -> PreplacementCheck:
    """Records (or renews) one of the student's pre-placement checks; a renewal clears the
    reminder sent for the earlier expiry."""
    if kind not in CheckKind.values:
        raise ValidationError({"kind": "Choose a kind of check."})
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The check cannot be done in the future."})
    check = PreplacementCheck.objects.unscoped(
        "the student's own check of this kind, to renew it"
    ).filter(student_id=student.pk, kind=kind).first() or PreplacementCheck(
        student=student, kind=kind
    )
    if check.expires_on != expires_on:
        check.reminded_on = None
    check.completed_on, check.expires_on = completed_on, expires_on
    check.reference = reference.strip()
    return save_audited(check, actor=actor)


def checks_expiring(on: datetime.date) -> list[PreplacementCheck]:
    """Checks that expire within the reminder period from ``on`` (or have expired) and whose
    student has a placement not yet finished, not yet reminded of this expiry."""
    return list(
        selectors.expiring(
            PreplacementCheck.objects.unscoped("the reminder task reads every check").filter(
                reminded_on__isnull=True
            ),
            Placement.objects.unscoped("the reminder task looks at every open placement"),
            until=on + datetime.timedelta(days=settings.PRACTICA_CHECK_REMINDER_DAYS),
        )
        .select_related("student__person", "student__hei")
        .order_by("expires_on", "pk")
    )


@transaction.atomic
def send_check_reminders(*, on: datetime.date | None = None) -> int:
    """E-mails the student and their university's coordinators about each check that expires
    within ``PRACTICA_CHECK_REMINDER_DAYS`` (once per expiry: the day is recorded on the check).
    Run daily (``practica placement-reminders``). Returns how many checks were reminded of."""
    on = on or timezone.localdate()
    due = checks_expiring(on)
    for check in due:
        recipients = _student_and_university(check.student)
        expires = date_format(check.expires_on, "j F Y") if check.expires_on else ""
        verb = "expired" if check.expires_on and check.expires_on < on else "expires"
        subject = f"{check.get_kind_display()} {verb} {expires}: {check.student.person.full_name}"
        message = (
            f"{check.student.person.full_name}'s {check.get_kind_display().lower()} {verb} on "
            f"{expires}. A placement cannot be confirmed while a check is missing or expired: "
            f"please renew it and record the new dates in Practica."
        )
        if recipients:
            transaction.on_commit(
                partial(
                    send_mail,
                    subject=subject,
                    message=message,
                    from_email=None,
                    recipient_list=recipients,
                )
            )
        check.reminded_on = on
        save_audited(check, actor=None)
    return len(due)


def _student_and_university(student: Student) -> list[str]:
    addresses = [
        student.person.email,
        *Membership.objects.unscoped("the university's coordinators hear of its students")
        .filter(
            organisation_id=student.hei_id,
            role=Role.COORDINATOR,
            is_active=True,
            user__is_active=True,
        )
        .order_by("user__email")
        .values_list("user__email", flat=True),
    ]
    return list(dict.fromkeys(address.lower() for address in addresses if address))


# --- attendance and skills days ----------------------------------------------------------------


@transaction.atomic
def log_attendance(
    *,
    actor: User | None,
    placement: Placement,
    week_starting: datetime.date,
    days: Decimal,
    note: str = "",
    base_url: str = "",
) -> AttendanceWeek:
    """Logs the days attended in a week (changing what was logged for it, unless the practice
    educator has signed the week off). The week starts on a Monday within the placement.

    A practice educator without an account is e-mailed a single-use link to sign off the
    placement's weeks (``base_url`` begins its address)."""
    _under_way(placement)
    if placement.starts_on and week_starting + datetime.timedelta(days=6) < placement.starts_on:
        raise ValidationError({"week_starting": "The week is before the placement started."})
    if placement.ends_on and week_starting > placement.ends_on:
        raise ValidationError({"week_starting": "The week is after the placement ended."})
    if week_starting > timezone.localdate():
        raise ValidationError({"week_starting": "Log a week once it has started."})
    week = AttendanceWeek.objects.unscoped("the placement's own week, to change it").filter(
        placement_id=placement.pk, week_starting=week_starting
    ).first() or AttendanceWeek(placement=placement, week_starting=week_starting)
    if week.signed_off:
        raise ValidationError("This week is signed off; it can no longer change.")
    week.days, week.note, week.logged_by = days, note.strip(), actor
    save_audited(week, actor=actor)
    _send_sign_off_link(placement, week, base_url)
    return week


@transaction.atomic
def sign_off_attendance(
    *, actor: User | None, week: AttendanceWeek, link: PlacementLink | None = None
) -> AttendanceWeek:
    """The practice educator signs off a logged week; it counts from then on. Without an
    account they sign off through ``link`` (``sign_off_through_link``), which the week keeps
    as who signed it off."""
    if week.signed_off:
        raise ValidationError("This week is already signed off.")
    week.signed_off_by, week.signed_off_at, week.signed_off_link = actor, timezone.now(), link
    if link is not None:
        week._change_reason = "Signed off through the practice educator's single-use link"  # type: ignore[attr-defined]  # simple_history reads it
    return save_audited(week, actor=actor)


# --- signing off through a single-use link (a practice educator without an account) -----------

SIGN_OFF_LINKS = "a sign-off link is found by its token, which is its own authority"


def educator_without_account(placement: Placement) -> str:
    """The address of the placement's practice educator if they have no Practica account
    (they sign off through links); empty otherwise."""
    educator = placement.practice_educator
    if educator is None or educator.person.user_id or not educator.person.email:
        return ""
    return educator.person.email.lower()


def create_sign_off_link(*, placement: Placement, email: str) -> str:
    """A new link for ``email`` to sign off the placement's weeks; returns the raw token (only
    its hash is stored)."""
    return links.issue_link(
        PlacementLink(placement=placement, email=email, purpose=LinkPurpose.SIGN_OFF)
    )


def _send_sign_off_link(placement: Placement, week: AttendanceWeek, base_url: str) -> None:
    address = educator_without_account(placement)
    if not address:
        return
    token = create_sign_off_link(placement=placement, email=address)
    link = base_url + reverse("placements:attendance-link", args=[token])
    until = date_format(timezone.localdate() + links.LINK_LIFETIME, "j F Y")
    name = placement.student.person.full_name
    message = (
        f"{week.days} days were logged for {name}'s week of "
        f"{date_format(week.week_starting, 'j F Y')} on their "
        f"{placement.get_placement_type_display().lower()} with {placement.organisation.name}.\n\n"
        f"Sign off the weeks waiting for you here (the link works once, until {until}): {link}"
    )
    transaction.on_commit(
        partial(
            send_mail,
            subject=f"Attendance to sign off: {name}",
            message=message,
            from_email=None,
            recipient_list=[address],
        )
    )


def sign_off_link_for_token(token: str) -> PlacementLink | None:
    """The unused, unexpired sign-off link behind ``token``; None otherwise."""
    return links.unused_link(
        PlacementLink.objects.unscoped(SIGN_OFF_LINKS)
        .filter(purpose=LinkPurpose.SIGN_OFF)
        .select_related(
            "placement__student__person",
            "placement__organisation",
            "placement__academic_year",
            "placement__practice_educator__person",
        ),
        token,
    )


@transaction.atomic
def sign_off_through_link(
    *, link: PlacementLink, weeks: list[AttendanceWeek]
) -> list[AttendanceWeek]:
    """The practice educator signs off ``weeks`` of the link's placement through their link,
    once: the link cannot be used again, and each week records the link it was signed off
    through (its address says who)."""
    locked = PlacementLink.objects.unscoped(SIGN_OFF_LINKS).select_for_update().get(pk=link.pk)
    if locked.used_at is not None or timezone.now() >= locked.expires_at:
        raise ValidationError("This link has been used or has expired.")
    if locked.purpose != LinkPurpose.SIGN_OFF:
        raise ValidationError("This link does not sign off attendance.")
    if educator_without_account(link.placement) != locked.email.lower():
        raise ValidationError(
            "The link was sent to the placement's practice educator, who has changed since."
        )
    if not weeks:
        raise ValidationError({"weeks": "Choose the weeks to sign off."})
    if any(week.placement_id != locked.placement_id for week in weeks):
        raise ValidationError({"weeks": "Choose weeks of this placement."})
    locked.used_at = timezone.now()
    save_audited(locked, actor=None)
    return [sign_off_attendance(actor=None, week=week, link=locked) for week in weeks]


@transaction.atomic
def record_attendance_history(
    *,
    actor: User | None,
    placement: Placement,
    week: AttendanceWeek | None,
    week_starting: datetime.date,
    days: Decimal,
    note: str = "",
    signed_off_by: User | None = None,
    signed_off_at: datetime.datetime | None = None,
) -> AttendanceWeek:
    """A week's attendance as it stands, sign-off included (an import: history recorded as it
    was, so a signed-off week changes and no one is told)."""
    _under_way(placement)
    if week is None:
        week = AttendanceWeek(placement=placement, week_starting=week_starting)
    week.days, week.note = days, note.strip()
    week.signed_off_by, week.signed_off_at = signed_off_by, signed_off_at
    return save_audited(week, actor=actor)


@transaction.atomic
def record_skills_days(
    *, actor: User | None, student: Student, held_on: datetime.date, days: Decimal, topic: str
) -> SkillsDays:
    """Records skills days the student attended at their university."""
    if not topic.strip():
        raise ValidationError({"topic": "Say what the skills days were about."})
    record = SkillsDays(student=student, held_on=held_on, days=days, topic=topic.strip())
    return save_audited(record, actor=actor)


@transaction.atomic
def record_skills_days_history(
    *,
    actor: User | None,
    student: Student,
    record: SkillsDays | None,
    held_on: datetime.date,
    days: Decimal,
    topic: str,
) -> SkillsDays:
    """Skills days as they were recorded (an import), or their days corrected."""
    if not topic.strip():
        raise ValidationError({"topic": "Say what the skills days were about."})
    if record is None:
        record = SkillsDays(student=student)
    record.held_on, record.days, record.topic = held_on, days, topic.strip()
    return save_audited(record, actor=actor)


# --- meetings, reviews and observations -------------------------------------------------------


@transaction.atomic
def record_review(
    *,
    actor: User | None,
    placement: Placement,
    kind: str,
    held_on: datetime.date,
    outcome: str,
    notes: str = "",
) -> PlacementReview:
    """Records (or corrects) the placement's learning agreement meeting, midpoint review or
    final review, held on a day within the placement, with its outcome."""
    _under_way(placement)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "Record a meeting once it has been held."})
    if placement.ends_on and held_on > placement.ends_on + datetime.timedelta(days=30):
        raise ValidationError({"held_on": "The meeting is long after the placement ended."})
    review = PlacementReview.objects.unscoped("the placement's own meeting, to change it").filter(
        placement_id=placement.pk, kind=kind
    ).first() or PlacementReview(placement=placement, kind=kind)
    review.held_on, review.outcome, review.notes = held_on, outcome, notes.strip()
    return save_audited(review, actor=actor)


@transaction.atomic
def record_observation(
    *,
    actor: User | None,
    placement: Placement,
    observed_on: datetime.date,
    observer: str,
    summary: str = "",
) -> DirectObservation:
    """Records a direct observation of the student's practice on the placement."""
    _under_way(placement)
    if observed_on > timezone.localdate():
        raise ValidationError({"observed_on": "Record an observation once it has happened."})
    if placement.starts_on and observed_on < placement.starts_on:
        raise ValidationError({"observed_on": "The placement had not started on that day."})
    if placement.ends_on and observed_on > placement.ends_on:
        raise ValidationError({"observed_on": "The placement had ended by that day."})
    if not observer.strip():
        raise ValidationError({"observer": "Say who observed."})
    observation = DirectObservation(
        placement=placement, observed_on=observed_on, observer=observer.strip(), summary=summary
    )
    return save_audited(observation, actor=actor)


@transaction.atomic
def record_observation_history(
    *,
    actor: User | None,
    placement: Placement,
    observation: DirectObservation | None,
    observed_on: datetime.date,
    observer: str,
    summary: str = "",
) -> DirectObservation:
    """A direct observation as it was recorded (an import), or its summary corrected."""
    _under_way(placement)
    if not observer.strip():
        raise ValidationError({"observer": "Say who observed."})
    if observation is None:
        observation = DirectObservation(placement=placement)
    observation.observed_on, observation.observer = observed_on, observer.strip()
    observation.summary = summary
    return save_audited(observation, actor=actor)


# --- cause for concern ------------------------------------------------------------------------


def raised_as(user: User | None, placement: Placement, organisation_id: int | None) -> str:
    """In what capacity ``user`` (acting for ``organisation_id``) raises a concern; a concern
    raised by no one in particular (a command, an import) is the coordinators'."""
    educator = placement.practice_educator
    if user is None:
        return RaisedBy.COORDINATOR
    if placement.student.person.user_id == user.pk:
        return RaisedBy.STUDENT
    if educator is not None and educator.person.user_id == user.pk:
        return RaisedBy.PRACTICE_EDUCATOR
    if placement.onsite_supervisor is not None and placement.onsite_supervisor.user_id == user.pk:
        return RaisedBy.SUPERVISOR
    if organisation_id == placement.student.hei_id:
        return RaisedBy.TUTOR
    return RaisedBy.COORDINATOR


@transaction.atomic
def raise_concern(
    *,
    actor: User | None,
    placement: Placement,
    acting_in: int | None,
    concern: str,
    raised_on: datetime.date | None = None,
    capacity: str = "",
) -> CauseForConcern:
    """Raises a cause for concern on a placement that is confirmed or under way, and tells the
    student's university coordinators and the providing organisation's coordinators. The record
    says in what capacity ``actor`` (acting for the organisation ``acting_in``) raised it.

    Raised without an account (``actor`` None: an import, a link holder), the record names no
    user, so ``capacity`` (a ``RaisedBy`` value: the practice educator, the supervisor...) must
    say who raised it; otherwise, unless given, it follows who the actor is on the placement."""
    if placement.status not in (PlacementStatus.CONFIRMED, PlacementStatus.IN_PROGRESS):
        raise ValidationError("A concern is raised on a confirmed placement or one in progress.")
    if not concern.strip():
        raise ValidationError({"concern": "Say what the concern is."})
    if actor is None and not capacity:
        raise ValidationError(
            {"raised_as": "Say who raised the concern: it was raised without an account."}
        )
    record = CauseForConcern(
        placement=placement,
        raised_on=raised_on or timezone.localdate(),
        raised_by=actor,
        raised_as=capacity or raised_as(actor, placement, acting_in),
        concern=concern.strip(),
        status=ConcernStatus.RAISED,
    )
    save_audited(record, actor=actor)
    recipients = _coordinators_of(placement)
    if recipients:
        transaction.on_commit(
            partial(
                send_mail,
                subject=f"Cause for concern raised: {placement.student.person.full_name}",
                message=(
                    f"A cause for concern was raised on {placement.student.person.full_name}'s "
                    f"{placement.get_placement_type_display().lower()} with "
                    f"{placement.organisation.name}. Sign in to Practica to see it and arrange "
                    f"the meeting."
                ),
                from_email=None,
                recipient_list=recipients,
            )
        )
    return record


@transaction.atomic
def record_concern_history(
    *,
    actor: User | None,
    placement: Placement,
    record: CauseForConcern | None,
    raised_on: datetime.date,
    raised_as: str,
    concern: str,
    status: str,
    meeting_on: datetime.date | None = None,
    meeting_notes: str = "",
    action_plan: str = "",
    review_on: datetime.date | None = None,
    outcome: str = "",
    closed_on: datetime.date | None = None,
) -> CauseForConcern:
    """A cause for concern as it stands (an import: history recorded as it was, so no one is
    told and no step is checked but the record's own rules). It names no user: ``raised_as``
    says who raised it."""
    if not concern.strip():
        raise ValidationError({"concern": "Say what the concern is."})
    if meeting_on is not None and meeting_on < raised_on:
        raise ValidationError(
            {"meeting_on": "The meeting cannot be before the concern was raised."}
        )
    if closed_on is not None and closed_on < raised_on:
        raise ValidationError({"closed_on": "A concern cannot close before it was raised."})
    if record is None:
        record = CauseForConcern(placement=placement, raised_on=raised_on, raised_as=raised_as)
    record.raised_on, record.raised_as, record.concern = raised_on, raised_as, concern.strip()
    record.status, record.meeting_on, record.meeting_notes = status, meeting_on, meeting_notes
    record.action_plan, record.review_on = action_plan, review_on
    record.outcome, record.closed_on = outcome, closed_on
    return save_audited(record, actor=actor)


def _coordinators_of(placement: Placement) -> list[str]:
    return list(
        dict.fromkeys(
            email.lower()
            for email in Membership.objects.unscoped(
                "the coordinators of the placement's university and provider hear of a concern"
            )
            .filter(
                organisation_id__in=[placement.student.hei_id, placement.organisation_id],
                role=Role.COORDINATOR,
                is_active=True,
                user__is_active=True,
            )
            .order_by("user__email")
            .values_list("user__email", flat=True)
            if email
        )
    )


def _open(concern: CauseForConcern) -> None:
    if concern.status not in OPEN_CONCERN_STATUSES:
        raise ValidationError("This concern is closed.")


@transaction.atomic
def record_concern_meeting(
    *, actor: User | None, concern: CauseForConcern, meeting_on: datetime.date, notes: str
) -> CauseForConcern:
    """Records the meeting held about an open concern."""
    _open(concern)
    if meeting_on < concern.raised_on:
        raise ValidationError(
            {"meeting_on": "The meeting cannot be before the concern was raised."}
        )
    if meeting_on > timezone.localdate():
        raise ValidationError({"meeting_on": "Record the meeting once it has been held."})
    concern.meeting_on, concern.meeting_notes = meeting_on, notes.strip()
    if concern.status == ConcernStatus.RAISED:
        concern.status = ConcernStatus.MEETING_HELD
    return save_audited(concern, actor=actor)


@transaction.atomic
def record_action_plan(
    *,
    actor: User | None,
    concern: CauseForConcern,
    action_plan: str,
    review_on: datetime.date | None = None,
) -> CauseForConcern:
    """Records the action plan agreed at the meeting, and the day it is reviewed by."""
    _open(concern)
    if concern.meeting_on is None:
        raise ValidationError("Record the meeting before its action plan.")
    if not action_plan.strip():
        raise ValidationError({"action_plan": "Write the action plan."})
    if review_on is not None and review_on < concern.meeting_on:
        raise ValidationError({"review_on": "The review cannot be before the meeting."})
    concern.action_plan, concern.review_on = action_plan.strip(), review_on
    concern.status = ConcernStatus.ACTION_PLAN
    return save_audited(concern, actor=actor)


@transaction.atomic
def close_concern(
    *,
    actor: User | None,
    concern: CauseForConcern,
    outcome: str,
    placement_ended: bool = False,
    closed_on: datetime.date | None = None,
) -> CauseForConcern:
    """Closes a concern with its outcome: resolved, or closed because the placement ended."""
    _open(concern)
    if not outcome.strip():
        raise ValidationError({"outcome": "Say how the concern ended."})
    concern.outcome, concern.closed_on = outcome.strip(), closed_on or timezone.localdate()
    if concern.closed_on < concern.raised_on:
        raise ValidationError({"closed_on": "A concern cannot close before it was raised."})
    concern.status = ConcernStatus.PLACEMENT_ENDED if placement_ended else ConcernStatus.RESOLVED
    return save_audited(concern, actor=actor)


# --- student preferences ----------------------------------------------------------------------


@transaction.atomic
def open_preference_window(
    *,
    actor: User | None,
    hei: Organisation,
    academic_year: AcademicYear,
    opens_on: datetime.date,
    closes_on: datetime.date,
) -> PreferenceWindow:
    """Opens (or moves) the university's window for the year's placement preferences."""
    if not hei.is_hei:
        raise ValidationError("Only a university opens a window for its students' preferences.")
    window = PreferenceWindow.objects.unscoped(
        "the university's own window for the year, to move it"
    ).filter(hei=hei, academic_year=academic_year).first() or PreferenceWindow(
        hei=hei, academic_year=academic_year
    )
    window.opens_on, window.closes_on = opens_on, closes_on
    return save_audited(window, actor=actor)


@transaction.atomic
def submit_preferences(
    *,
    actor: User | None,
    student: Student,
    window: PreferenceWindow,
    choices: list[tuple[ServiceArea, Location | None]],
) -> list[StudentPreference]:
    """Records the student's ranked choices (first choice first) while the window is open,
    replacing what they submitted before."""
    if window.hei_id != student.hei_id:
        raise ValidationError("This window is another university's.")
    if not window.is_open_on(timezone.localdate()):
        raise ValidationError(
            f"The window closed on {date_format(window.closes_on, 'j F Y')}; "
            "your choices can no longer change."
            if window.closes_on < timezone.localdate()
            else f"The window opens on {date_format(window.opens_on, 'j F Y')}."
        )
    if not choices:
        raise ValidationError("Choose at least one service area.")
    if len(choices) > MAX_PREFERENCES:
        raise ValidationError(f"Choose at most {MAX_PREFERENCES} service areas.")
    areas = [area.pk for area, _location in choices]
    if len(set(areas)) != len(areas):
        raise ValidationError("Choose each service area once.")
    existing = StudentPreference.objects.unscoped("the student's own choices, to replace them")
    for old in existing.filter(student_id=student.pk, window_id=window.pk):
        old._history_user = actor  # type: ignore[attr-defined]  # simple_history reads it
        old.delete()
    now = timezone.now()
    return [
        save_audited(
            StudentPreference(
                student=student,
                window=window,
                rank=rank,
                service_area=area,
                location=location,
                submitted_at=now,
            ),
            actor=actor,
        )
        for rank, (area, location) in enumerate(choices, start=1)
    ]
