"""Every write to the practitioner-teacher and lived-experience contributor directories:
entries, yearly reviews, contributors' consent, expressions of interest with their line
manager's agreement, shadowing, the partnership's readiness-to-teach rule and a practitioner
teacher's own diversity monitoring answers.

Each function is keyword-only, takes the ``actor`` whose change history records, validates in
full and raises ``ValidationError`` with a message a coordinator can act on.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from practica.accounts.models import hash_token
from practica.core import services as core_services
from practica.core.audit import save_audited
from practica.core.models import (
    Organisation,
    OrganisationKind,
    Partnership,
    Person,
    ServiceArea,
    Team,
)
from practica.teaching.directory import readiness
from practica.teaching.directory.models import (
    WORKSHOPS_MAX,
    ConsentKind,
    ContributorConsent,
    Expertise,
    ExpressionOfInterest,
    LivedExperienceContributor,
    PractitionerDiversity,
    PractitionerStatus,
    PractitionerTeacher,
    ReadinessRule,
    Shadowing,
)

if TYPE_CHECKING:
    from practica.accounts.models import User

# why the queries below read every organisation's rows (core/scoping.py)
SERVICE = "a service works on the records its caller was allowed to hand it"
AGREEMENT_LINK_LIFETIME = timedelta(days=28)


def _not_future(day: datetime.date | None, field: str, what: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: f"{what} cannot be in the future."})


# --- practitioner teachers ---------------------------------------------------------------


def _set_person_team(actor: User | None, person: Person, team: Team | None) -> None:
    if team is not None and team.organisation_id != person.organisation_id:
        raise ValidationError({"team": "Choose a team of their own organisation."})
    if team != person.team:
        core_services.update_person(
            actor=actor,
            person=person,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            job_title=person.job_title,
            team=team,
        )


def _set_entry(
    teacher: PractitionerTeacher,
    *,
    status: str,
    service_area: ServiceArea | None,
    availability: str,
    modules_taught: str,
    career_level: str,
    joined_on: datetime.date | None,
) -> None:
    if status not in PractitionerStatus.values:
        raise ValidationError(
            {
                "status": f"“{status}” is not a status; use one of {', '.join(PractitionerStatus.values)}."
            }
        )
    _not_future(joined_on, "joined_on", "The date they joined the directory")
    teacher.status = status
    teacher.service_area = service_area
    teacher.availability = availability.strip()
    teacher.modules_taught = modules_taught.strip()
    teacher.career_level = career_level.strip()
    teacher.joined_on = joined_on


@transaction.atomic
def create_practitioner_teacher(
    *,
    actor: User | None,
    person: Person,
    status: str = PractitionerStatus.INTERESTED,
    service_area: ServiceArea | None = None,
    expertise: Iterable[Expertise] = (),
    availability: str = "",
    modules_taught: str = "",
    career_level: str = "",
    joined_on: datetime.date | None = None,
) -> PractitionerTeacher:
    """Puts ``person`` in their employer's directory. Refuses someone already in it and people
    of a university (contributors are kept in the university's own directory)."""
    if person.organisation.kind == OrganisationKind.HEI:
        raise ValidationError(
            {"person": "Practitioner teachers are held by their employer, not a university."}
        )
    if PractitionerTeacher.objects.unscoped(SERVICE).filter(person=person).exists():
        raise ValidationError({"person": f"{person.full_name} is already in the directory."})
    teacher = PractitionerTeacher(person=person)
    _set_entry(
        teacher,
        status=status,
        service_area=service_area,
        availability=availability,
        modules_taught=modules_taught,
        career_level=career_level,
        joined_on=joined_on or timezone.localdate(),
    )
    save_audited(teacher, actor=actor)
    teacher.expertise.set(expertise)
    return teacher


@transaction.atomic
def add_practitioner_teacher(
    *,
    actor: User | None,
    organisation: Organisation,
    person: Person | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    team: Team | None = None,
    **entry: object,
) -> PractitionerTeacher:
    """Puts a person of ``organisation`` in its directory: ``person`` if given, else a new
    person with these names. Refuses a person of another organisation."""
    if person is None:
        person = core_services.create_person(
            actor=actor,
            organisation=organisation,
            first_name=first_name,
            last_name=last_name,
            email=email,
            team=team,
        )
    elif person.organisation_id != organisation.pk:
        raise ValidationError({"person": "Choose someone who works for your organisation."})
    else:
        _set_person_team(actor, person, team)
    return create_practitioner_teacher(actor=actor, person=person, **entry)  # type: ignore[arg-type]  # the form's cleaned entry fields


@transaction.atomic
def update_practitioner_teacher(
    *,
    actor: User | None,
    teacher: PractitionerTeacher,
    team: Team | None,
    status: str,
    service_area: ServiceArea | None,
    expertise: Iterable[Expertise],
    availability: str = "",
    modules_taught: str = "",
    career_level: str = "",
    joined_on: datetime.date | None = None,
) -> PractitionerTeacher:
    """Changes a directory entry (and the person's team)."""
    _set_person_team(actor, teacher.person, team)
    _set_entry(
        teacher,
        status=status,
        service_area=service_area,
        availability=availability,
        modules_taught=modules_taught,
        career_level=career_level,
        joined_on=joined_on or teacher.joined_on,
    )
    save_audited(teacher, actor=actor)
    teacher.expertise.set(expertise)
    return teacher


def review_practitioner_teacher(
    *,
    actor: User | None,
    teacher: PractitionerTeacher,
    reviewed_on: datetime.date,
    reviewed_by: User | Literal["actor"] | None = "actor",
) -> PractitionerTeacher:
    """Records the yearly review of a directory entry, by ``actor`` unless an import names its
    reviewer. Refuses a date in the future or one earlier than the last review."""
    _not_future(reviewed_on, "reviewed_on", "The review date")
    if teacher.reviewed_on and reviewed_on < teacher.reviewed_on:
        raise ValidationError(
            {
                "reviewed_on": f"The entry was last reviewed later, on {date_format(teacher.reviewed_on, 'j F Y')}."
            }
        )
    teacher.reviewed_on = reviewed_on
    teacher.reviewed_by = actor if reviewed_by == "actor" else reviewed_by
    return save_audited(teacher, actor=actor)


# --- readiness to teach --------------------------------------------------------------------


def set_readiness_rule(
    *,
    actor: User | None,
    partnership: Partnership,
    interest_required: bool,
    workshops_required: int,
    shadowing_required: bool,
) -> ReadinessRule:
    """Says which steps make the partnership's practitioner teachers ready to teach (entries
    already active stay so)."""
    if not 0 <= workshops_required <= WORKSHOPS_MAX:
        raise ValidationError(
            {"workshops_required": f"Give a number of workshops from 0 to {WORKSHOPS_MAX}."}
        )
    rule = ReadinessRule.objects.unscoped(SERVICE).filter(
        partnership=partnership
    ).first() or ReadinessRule(partnership=partnership)
    rule.interest_required = interest_required
    rule.workshops_required = workshops_required
    rule.shadowing_required = shadowing_required
    return save_audited(rule, actor=actor)


def move_on_if_ready(*, actor: User | None, teacher: PractitionerTeacher) -> PractitionerTeacher:
    """After a step is recorded: someone who had only expressed interest is now in training,
    and someone whose steps are all complete is active (ready to teach). An entry that is
    paused or has left stays as it is."""
    if teacher.status not in (PractitionerStatus.INTERESTED, PractitionerStatus.IN_TRAINING):
        return teacher
    steps = readiness.steps_of(teacher)
    status = teacher.status
    if steps.ready:
        status = PractitionerStatus.ACTIVE
    elif steps.any_done:
        status = PractitionerStatus.IN_TRAINING
    if status != teacher.status:
        teacher.status = status
        save_audited(teacher, actor=actor)
    return teacher


@transaction.atomic
def record_shadowing(
    *,
    actor: User | None,
    teacher: PractitionerTeacher,
    on: datetime.date,
    session: str,
    shadowed: PractitionerTeacher | None = None,
    notes: str = "",
) -> Shadowing:
    """Records that ``teacher`` shadowed an experienced practitioner teacher at a session.
    Refuses a date in the future and someone of another partnership."""
    _not_future(on, "on", "The date")
    if not session.strip():
        raise ValidationError({"session": "Say which session they shadowed."})
    if shadowed is not None and (
        shadowed.person.organisation.partnership_id != teacher.person.organisation.partnership_id
    ):
        raise ValidationError({"shadowed": "Choose a practitioner teacher of the partnership."})
    shadowing = save_audited(
        Shadowing(
            practitioner_teacher=teacher,
            shadowed=shadowed,
            on=on,
            session=session.strip(),
            notes=notes.strip(),
            recorded_by=actor,
        ),
        actor=actor,
    )
    move_on_if_ready(actor=actor, teacher=teacher)
    return shadowing


# --- expressions of interest --------------------------------------------------------------


@transaction.atomic
def express_interest(
    *,
    actor: User | None,
    person: Person,
    knowledge: str,
    skills: str,
    experience: str,
    areas: Iterable[Expertise],
    other_areas: str = "",
    line_manager_name: str,
    line_manager_email: str,
    base_url: str = "",
    send: bool = True,
) -> tuple[ExpressionOfInterest, str]:
    """A practitioner's expression of interest (the flyer's form): puts them in their
    employer's directory as interested, if they are not there yet, and e-mails their line
    manager a single-use link to agree. Returns the expression and the raw link token (stored
    only as a hash)."""
    if person.organisation.kind == OrganisationKind.HEI:
        raise ValidationError("Practitioner teachers come from the partnership's employers.")
    answers = {"knowledge": knowledge, "skills": skills, "experience": experience}
    errors = {
        name: f"Tell us about your {name}." for name, text in answers.items() if not text.strip()
    }
    email = line_manager_email.strip().lower()
    if not line_manager_name.strip():
        errors["line_manager_name"] = "Enter your line manager's name."
    if not email:
        errors["line_manager_email"] = "Enter your line manager's e-mail address."
    elif person.email and email == person.email.lower():
        errors["line_manager_email"] = "Give your line manager's e-mail address, not your own."
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(32)
    interest = save_audited(
        ExpressionOfInterest(
            person=person,
            knowledge=knowledge.strip(),
            skills=skills.strip(),
            experience=experience.strip(),
            other_areas=other_areas.strip(),
            line_manager_name=line_manager_name.strip(),
            line_manager_email=email,
            agreement_token_hash=hash_token(token),
            agreement_expires_at=timezone.now() + AGREEMENT_LINK_LIFETIME,
        ),
        actor=actor,
    )
    interest.areas.set(areas)
    if not PractitionerTeacher.objects.unscoped(SERVICE).filter(person=person).exists():
        create_practitioner_teacher(actor=actor, person=person, expertise=list(areas))
    if send:
        link = base_url + reverse("teaching:pt-agree", args=[token])
        transaction.on_commit(lambda: _send_agreement_request(interest, link))
    return interest, token


@transaction.atomic
def record_past_interest(
    *,
    actor: User | None,
    person: Person,
    submitted_at: datetime.datetime,
    knowledge: str,
    skills: str,
    experience: str,
    areas: Iterable[Expertise],
    other_areas: str = "",
    line_manager_name: str,
    line_manager_email: str,
    line_manager_agrees: bool | None = None,
    line_manager_comment: str = "",
    answered_at: datetime.datetime | None = None,
) -> ExpressionOfInterest:
    """An expression of interest made before Practica (an import), with the line manager's
    answer if they gave one: no link is sent or kept. Refuses what ``express_interest`` refuses
    and an answer without the time it was given."""
    if (line_manager_agrees is None) != (answered_at is None):
        raise ValidationError(
            {"answered_at": "Give the line manager's answer together with when they gave it."}
        )
    interest, _token = express_interest(
        actor=actor,
        person=person,
        knowledge=knowledge,
        skills=skills,
        experience=experience,
        areas=areas,
        other_areas=other_areas,
        line_manager_name=line_manager_name,
        line_manager_email=line_manager_email,
        send=False,
    )
    interest.submitted_at = submitted_at
    interest.agreement_token_hash = None
    interest.agreement_expires_at = None
    interest.line_manager_agrees = line_manager_agrees
    interest.line_manager_comment = line_manager_comment.strip()
    interest.answered_at = answered_at
    return save_audited(interest, actor=actor)


def _send_agreement_request(interest: ExpressionOfInterest, link: str) -> None:
    expires = interest.agreement_expires_at
    expiry = date_format(expires, "j F Y") if expires else ""
    send_mail(
        subject=f"Please agree to {interest.person.full_name} becoming a practitioner teacher",
        message=(
            f"Dear {interest.line_manager_name},\n\n"
            f"{interest.person.full_name} has expressed interest in teaching social work "
            "students at the partnership's universities as a practitioner teacher, and named "
            "you as their line manager. A session takes about two hours, with preparation and "
            "travel.\n\n"
            f"Please say whether you agree here: {link}\n\n"
            f"The link works once and expires on {expiry}."
        ),
        from_email=None,
        recipient_list=[interest.line_manager_email],
    )


def interest_for_token(token: str) -> ExpressionOfInterest | None:
    """The expression of interest waiting for its line manager behind ``token``; None if the
    token is unknown, used or expired."""
    interest = (
        ExpressionOfInterest.objects.unscoped(SERVICE)
        .select_related("person__organisation")
        .filter(agreement_token_hash=hash_token(token), answered_at__isnull=True)
        .first()
    )
    if interest is None or interest.agreement_expires_at is None:
        return None
    if timezone.now() >= interest.agreement_expires_at:
        return None
    return interest


@transaction.atomic
def answer_interest(
    *, interest: ExpressionOfInterest, agrees: bool, comment: str = ""
) -> ExpressionOfInterest:
    """Records the line manager's answer and makes their link unusable."""
    interest = (
        ExpressionOfInterest.objects.unscoped(SERVICE).select_for_update().get(pk=interest.pk)
    )
    if (
        interest.answered_at is not None
        or interest.agreement_token_hash is None
        or interest.agreement_expires_at is None
        or timezone.now() >= interest.agreement_expires_at
    ):
        raise ValidationError("This link has already been used or has expired.")
    if not agrees and not comment.strip():
        raise ValidationError(
            {"comment": "Say why, so that the practitioner can talk it over with you."}
        )
    interest.line_manager_agrees = agrees
    interest.line_manager_comment = comment.strip()
    interest.answered_at = timezone.now()
    interest.agreement_token_hash = None
    save_audited(interest, actor=None)
    teacher = PractitionerTeacher.objects.unscoped(SERVICE).filter(person=interest.person).first()
    if teacher is not None and agrees:
        move_on_if_ready(actor=None, teacher=teacher)
    return interest


# --- lived-experience contributors --------------------------------------------------------


def _consents_in_force(contributor: LivedExperienceContributor) -> dict[str, ContributorConsent]:
    return {
        consent.kind: consent
        for consent in ContributorConsent.objects.unscoped(SERVICE).filter(
            contributor=contributor, withdrawn_on__isnull=True
        )
    }


@transaction.atomic
def give_consent(
    *,
    actor: User | None,
    contributor: LivedExperienceContributor,
    kind: str,
    given_on: datetime.date,
) -> ContributorConsent:
    """Records a consent the contributor gave. Refuses a consent already in force, a date in
    the future, and sharing or recording without consent to being listed."""
    if kind not in ConsentKind.values:
        raise ValidationError({"kind": f"“{kind}” is not something a contributor consents to."})
    _not_future(given_on, "given_on", "The date consent was given")
    in_force = _consents_in_force(contributor)
    if kind in in_force:
        raise ValidationError({"kind": "This consent is already in force."})
    if kind != ConsentKind.DIRECTORY and ConsentKind.DIRECTORY not in in_force:
        raise ValidationError(
            {"kind": "Record their consent to being listed in the directory first."}
        )
    return save_audited(
        ContributorConsent(
            contributor=contributor, kind=kind, given_on=given_on, recorded_by=actor
        ),
        actor=actor,
    )


@transaction.atomic
def record_past_consent(
    *,
    actor: User | None,
    contributor: LivedExperienceContributor,
    kind: str,
    given_on: datetime.date,
    withdrawn_on: datetime.date | None = None,
    consent: ContributorConsent | None = None,
) -> ContributorConsent:
    """A consent as another record keeps it (an import, or a backup): one in force is given as
    ``give_consent`` gives it; one already withdrawn is recorded with both dates (the record
    of what they once agreed to). With ``consent``, changes that record's dates."""
    if consent is None and withdrawn_on is None:
        return give_consent(actor=actor, contributor=contributor, kind=kind, given_on=given_on)
    _not_future(given_on, "given_on", "The date consent was given")
    if withdrawn_on is not None:
        _not_future(withdrawn_on, "withdrawn_on", "The date consent was withdrawn")
    consent = consent or ContributorConsent(contributor=contributor, kind=kind, recorded_by=actor)
    consent.given_on, consent.withdrawn_on = given_on, withdrawn_on
    return save_audited(consent, actor=actor)


@transaction.atomic
def withdraw_consent(
    *, actor: User | None, consent: ContributorConsent, withdrawn_on: datetime.date | None = None
) -> list[ContributorConsent]:
    """Records that the contributor withdrew a consent (today unless a date is given).
    Withdrawing their consent to being listed withdraws every other consent too: from that
    moment nobody but the contributor sees their entry. Returns the consents withdrawn."""
    withdrawn_on = withdrawn_on or timezone.localdate()
    _not_future(withdrawn_on, "withdrawn_on", "The date consent was withdrawn")
    consent = ContributorConsent.objects.unscoped(SERVICE).select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError("This consent has already been withdrawn.")
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": "Consent cannot be withdrawn before it was given."})
    withdrawn = [consent]
    if consent.kind == ConsentKind.DIRECTORY:
        withdrawn += [
            other
            for kind, other in _consents_in_force(consent.contributor).items()
            if kind != ConsentKind.DIRECTORY
        ]
    for each in withdrawn:
        each.withdrawn_on = max(withdrawn_on, each.given_on)
        save_audited(each, actor=actor)
    return withdrawn


@transaction.atomic
def add_contributor(
    *,
    actor: User | None,
    hei: Organisation,
    first_name: str,
    last_name: str,
    email: str = "",
    consent_given_on: datetime.date,
    share_with_partners: bool = False,
    recording: bool = False,
    areas: Iterable[Expertise] = (),
    payment_preference: str = "",
    accessibility_needs: str = "",
) -> LivedExperienceContributor:
    """Puts a contributor in the university's directory with their consent to being listed
    (and to sharing and recording, if they gave it). Someone who had withdrawn from the
    directory and consents again is listed again, with the same entry."""
    if hei.kind != OrganisationKind.HEI:
        raise ValidationError("Lived-experience contributors are kept by a university.")
    person = None
    if email.strip():
        person = (
            Person.objects.unscoped(SERVICE).filter(email__address=email.strip().lower()).first()
        )
        if person is not None and person.organisation_id != hei.pk:
            raise ValidationError(
                {"email": "This e-mail address belongs to someone of another organisation."}
            )
    contributor = (
        LivedExperienceContributor.objects.unscoped(SERVICE).filter(person=person).first()
        if person is not None
        else None
    )
    if contributor is not None and ConsentKind.DIRECTORY in _consents_in_force(contributor):
        raise ValidationError({"email": f"{person} is already in the directory."})
    if person is None:
        person = core_services.create_person(
            actor=actor, organisation=hei, first_name=first_name, last_name=last_name, email=email
        )
    if contributor is None:
        contributor = LivedExperienceContributor(person=person, hei=hei)
    contributor.payment_preference = payment_preference.strip()
    contributor.accessibility_needs = accessibility_needs.strip()
    save_audited(contributor, actor=actor)
    contributor.areas.set(areas)
    give_consent(
        actor=actor, contributor=contributor, kind=ConsentKind.DIRECTORY, given_on=consent_given_on
    )
    if share_with_partners:
        give_consent(
            actor=actor,
            contributor=contributor,
            kind=ConsentKind.PARTNERS,
            given_on=consent_given_on,
        )
    if recording:
        give_consent(
            actor=actor,
            contributor=contributor,
            kind=ConsentKind.RECORDING,
            given_on=consent_given_on,
        )
    return contributor


@transaction.atomic
def update_contributor(
    *,
    actor: User | None,
    contributor: LivedExperienceContributor,
    first_name: str,
    last_name: str,
    areas: Iterable[Expertise],
    payment_preference: str = "",
    accessibility_needs: str = "",
) -> LivedExperienceContributor:
    person = contributor.person
    if (person.first_name, person.last_name) != (first_name, last_name):
        core_services.update_person(
            actor=actor,
            person=person,
            first_name=first_name,
            last_name=last_name,
            email=person.email,
            job_title=person.job_title,
            team=person.team,
        )
    contributor.payment_preference = payment_preference.strip()
    contributor.accessibility_needs = accessibility_needs.strip()
    save_audited(contributor, actor=actor)
    contributor.areas.set(areas)
    return contributor


# --- a practitioner teacher's own diversity monitoring answers ----------------------------


def _own_entry_only(actor: User | None, teacher: PractitionerTeacher) -> None:
    if actor is None or teacher.person.user_id != actor.pk:
        raise ValidationError(
            "Only the practitioner teacher themself records or withdraws these answers."
        )


@transaction.atomic
def record_own_diversity(
    *,
    actor: User | None,
    teacher: PractitionerTeacher,
    consent: bool,
    ethnic_group: str = "",
    disability: str = "",
    gender: str = "",
    age_band: str = "",
) -> PractitionerDiversity:
    """Records (or changes) the practitioner teacher's own answers to the diversity monitoring
    questions. Refuses anyone but the practitioner themself and answers given without their
    consent to being counted. Consent runs from today unless it is already in force."""
    _own_entry_only(actor, teacher)
    if not consent:
        raise ValidationError(
            {"consent": "Tick the box to agree to your answers being counted, or leave them."}
        )
    today = timezone.localdate()
    answers = PractitionerDiversity.objects.unscoped(SERVICE).filter(
        practitioner_teacher=teacher
    ).select_for_update().first() or PractitionerDiversity(
        practitioner_teacher=teacher, consented_on=today
    )
    if answers.withdrawn_on is not None:
        answers.consented_on, answers.withdrawn_on = today, None
    answers.ethnic_group = ethnic_group
    answers.disability = disability
    answers.gender = gender
    answers.age_band = age_band
    return save_audited(answers, actor=actor)


@transaction.atomic
def withdraw_own_diversity(
    *, actor: User | None, teacher: PractitionerTeacher
) -> PractitionerDiversity | None:
    """Withdraws the practitioner teacher's consent to being counted: every answer is cleared
    at once (only the dates stay). Refuses anyone but the practitioner themself; does nothing
    when there is no consent in force."""
    _own_entry_only(actor, teacher)
    answers = (
        PractitionerDiversity.objects.unscoped(SERVICE)
        .select_for_update()
        .filter(practitioner_teacher=teacher, withdrawn_on__isnull=True)
        .first()
    )
    if answers is None:
        return None
    answers.ethnic_group = answers.disability = answers.gender = answers.age_band = ""
    answers.withdrawn_on = max(timezone.localdate(), answers.consented_on)
    return save_audited(answers, actor=actor)
