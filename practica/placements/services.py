"""Every write to students, offers, placements and journey times: each validated in full and recorded with its actor."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from practica.accounts import links
from practica.accounts.models import Membership, Role
from practica.core import services as core_services
from practica.core.audit import create_all_audited, save_audited, update_all_audited
from practica.core.models import AcademicYear, Location, Organisation, Person, ServiceArea, Team
from practica.educators.register import services as register_services
from practica.placements.during.checks import problems_confirming
from practica.placements.models import (
    FILLING_STATUSES,
    NEXT_STATUSES,
    LinkPurpose,
    Placement,
    PlacementLink,
    PlacementOffer,
    PlacementStatus,
    Route,
    Student,
    TravelTime,
    default_days,
)

if TYPE_CHECKING:
    from practica.accounts.models import User
    from practica.educators.register.models import PracticeEducator


@transaction.atomic
def create_student(
    *,
    actor: User | None,
    hei: Organisation,
    student_ref: str,
    first_name: str,
    last_name: str,
    route: str,
    year_of_study: int,
    email: str = "",
    home_location: str = "",
    travel_limit_minutes: int | None = None,
    person: Person | None = None,
) -> Student:
    """Records a student of ``hei``, with a new person record unless ``person`` (already of
    that university) is given.

    Refuses an organisation that is not a university, a reference the university already uses,
    a person of another organisation or one who is already a student, and out-of-range years
    or journeys.
    """
    if person is None:
        person = core_services.create_person(
            actor=actor, organisation=hei, first_name=first_name, last_name=last_name, email=email
        )
    else:
        refuse_a_student(person)
        core_services.update_person(
            actor=actor,
            person=person,
            first_name=first_name,
            last_name=last_name,
            email=email or person.email,
            job_title=person.job_title,
            team=person.team,
        )
    student = change_student(
        Student(person=person, hei=hei, student_ref=student_ref.strip()),
        route=route,
        year_of_study=year_of_study,
        home_location=home_location,
        travel_limit_minutes=travel_limit_minutes,
    )
    return save_audited(student, actor=actor)


def refuse_a_student(person: Person) -> None:
    """Refuses a person who is already a student (as a new student's person record)."""
    if hasattr(person, "student"):
        raise ValidationError({"person": f"{person.full_name} is already a student."})


@transaction.atomic
def update_student(
    *,
    actor: User | None,
    student: Student,
    first_name: str,
    last_name: str,
    route: str,
    year_of_study: int,
    email: str = "",
    home_location: str = "",
    travel_limit_minutes: int | None = None,
) -> Student:
    """Changes a student's details and their person's name and e-mail address.

    The university and the reference identify the student and are not changed here. Refuses
    what ``create_student`` refuses.
    """
    person = student.person
    core_services.update_person(
        actor=actor,
        person=person,
        first_name=first_name,
        last_name=last_name,
        email=email,
        job_title=person.job_title,
        team=person.team,
    )
    change_student(
        student,
        route=route,
        year_of_study=year_of_study,
        home_location=home_location,
        travel_limit_minutes=travel_limit_minutes,
    )
    return save_audited(student, actor=actor)


# what change_student sets: the fields an update of a student writes
STUDENT_FIELDS = ("route", "year_of_study", "home_location", "travel_limit_minutes")


def change_student(
    student: Student,
    *,
    route: str,
    year_of_study: int,
    home_location: str = "",
    travel_limit_minutes: int | None = None,
) -> Student:
    """``student`` (saved or not) with these details as ``create_student`` and
    ``update_student`` store them, not saved: they and ``save_students`` save it."""
    student.route, student.year_of_study = route, year_of_study
    student.home_location = home_location.strip()
    student.travel_limit_minutes = travel_limit_minutes
    return student


# --- a student's placement details and needs --------------------------------------------------


@transaction.atomic
def set_placement_details(
    *,
    actor: User | None,
    student: Student,
    programme: str = "",
    stage: str = "",
    employer: Organisation | None = None,
    employer_team: Team | None = None,
) -> Student:
    """Records the student's programme, the placement they need next and, for apprentices and
    employer-sponsored students, their employer and team (where they are not placed)."""
    change_placement_details(
        student, programme=programme, stage=stage, employer=employer, employer_team=employer_team
    )
    return save_audited(student, actor=actor)


# what change_placement_details sets
DETAIL_FIELDS = ("programme", "stage", "employer", "employer_team")


def change_placement_details(
    student: Student,
    *,
    programme: str = "",
    stage: str = "",
    employer: Organisation | None = None,
    employer_team: Team | None = None,
) -> Student:
    """``student`` with these placement details as ``set_placement_details`` records them,
    not saved: it and ``save_students`` save it."""
    student.programme, student.stage = programme.strip(), stage
    student.employer, student.employer_team = employer, employer_team
    return student


@dataclass
class StudentChanges:
    """Many students changed at once (the students import), each part made by the functions
    the one-at-a-time services use: people by ``core.services.change_person``, students by
    ``change_student``, and placement details (student, details) by
    ``change_placement_details`` when written. A person who becomes a student is refused
    (``refuse_a_student``) as ``create_student`` refuses them."""

    people_created: list[Person] = field(default_factory=list)
    people_changed: list[Person] = field(default_factory=list)
    created: list[Student] = field(default_factory=list)
    changed: list[Student] = field(default_factory=list)
    details: list[tuple[Student, dict[str, Any]]] = field(default_factory=list)


@transaction.atomic
def save_students(*, actor: User | None, changes: StudentChanges) -> None:
    """Writes ``changes`` in bulk (``core.audit``: validated, with history rows), leaving what
    the same changes made one at a time leave: people first, then students (new ones as
    ``create_student`` records them, then changed ones), and last their placement details, a
    change of its own in the student's history as ``set_placement_details`` records it."""
    core_services.save_people(
        actor=actor, created=changes.people_created, changed=changes.people_changed
    )
    for student in changes.created:
        student.person = student.person  # the id of a person created just above
    create_all_audited(changes.created, actor=actor)
    update_all_audited(changes.changed, fields=STUDENT_FIELDS, actor=actor)
    detailed = [
        change_placement_details(student, **details) for student, details in changes.details
    ]
    update_all_audited(detailed, fields=DETAIL_FIELDS, actor=actor)


@transaction.atomic
def record_needs(
    *, actor: User | None, student: Student, needs: str, consent_on: datetime.date | None
) -> Student:
    """Records the student's needs and adjustments, which needs the day they consented; with no
    consent (``consent_on`` None) whatever was recorded is removed."""
    if consent_on is None:
        student.needs, student.needs_consent, student.needs_consent_on = "", False, None
    else:
        student.needs, student.needs_consent = needs.strip(), True
        student.needs_consent_on = consent_on
    return save_audited(student, actor=actor)


@transaction.atomic
def record_placement_profile(
    *,
    actor: User | None,
    student: Student,
    programme: str,
    stage: str,
    needs: str,
    needs_consent_on: datetime.date | None,
) -> Student:
    """The student's programme, the placement they need next and their needs and adjustments
    (their employer is kept). Needs without the day of consent are refused rather than
    dropped; consent without needs records none."""
    if needs.strip() and needs_consent_on is None:
        raise ValidationError(
            {"needs_consent_on": "Give the day the student consented to recording their needs."}
        )
    set_placement_details(
        actor=actor,
        student=student,
        programme=programme,
        stage=stage,
        employer=student.employer,
        employer_team=student.employer_team,
    )
    return record_needs(
        actor=actor,
        student=student,
        needs=needs,
        consent_on=needs_consent_on if needs.strip() else None,
    )


# --- journey times ----------------------------------------------------------------------------


@transaction.atomic
def record_travel_time(
    *, actor: User | None, from_location: str, to_location: str, minutes: int
) -> TravelTime:
    """Records (or changes) the journey time between two towns."""
    start, end = " ".join(from_location.split()), " ".join(to_location.split())
    travel = TravelTime.objects.filter(
        from_location__iexact=start, to_location__iexact=end
    ).first() or TravelTime(from_location=start, to_location=end)
    travel.minutes = minutes
    return save_audited(travel, actor=actor)


# --- placement offers -------------------------------------------------------------------------


@transaction.atomic
def create_offer(
    *,
    actor: User | None,
    organisation: Organisation,
    academic_year: AcademicYear,
    placement_type: str,
    slots: int,
    days: int | None = None,
    team: Team | None = None,
    setting: str = "",
    service_area: ServiceArea | None = None,
    location: Location | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    routes: list[str] | None = None,
    practice_educator: PracticeEducator | None = None,
    practice_educator_offsite: bool = False,
    onsite_supervisor: Person | None = None,
) -> PlacementOffer:
    """Records capacity the organisation offers for a year. The days of a first (70) or final
    (100) placement follow from its type; the service area and location default to the team's."""
    offer = PlacementOffer(organisation=organisation, academic_year=academic_year)
    _fill_offer(
        offer,
        placement_type=placement_type,
        slots=slots,
        days=days,
        team=team,
        setting=setting,
        service_area=service_area,
        location=location,
        starts_on=starts_on,
        ends_on=ends_on,
        routes=routes,
        practice_educator=practice_educator,
        practice_educator_offsite=practice_educator_offsite,
        onsite_supervisor=onsite_supervisor,
    )
    return save_audited(offer, actor=actor)


@transaction.atomic
def update_offer(
    *,
    actor: User | None,
    offer: PlacementOffer,
    placement_type: str,
    slots: int,
    days: int | None = None,
    team: Team | None = None,
    setting: str = "",
    service_area: ServiceArea | None = None,
    location: Location | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    routes: list[str] | None = None,
    practice_educator: PracticeEducator | None = None,
    practice_educator_offsite: bool = False,
    onsite_supervisor: Person | None = None,
) -> PlacementOffer:
    """Changes an offer; refuses fewer slots than its placements fill, and a new type once
    placements fill it."""
    offer = _locked_offer(offer)
    filled = filled_slots(offer)
    if slots < filled:
        raise ValidationError({"slots": f"{filled} placements already fill this offer."})
    if filled and placement_type != offer.placement_type:
        raise ValidationError(
            {"placement_type": "Placements fill this offer; its type cannot change."}
        )
    _fill_offer(
        offer,
        placement_type=placement_type,
        slots=slots,
        days=days,
        team=team,
        setting=setting,
        service_area=service_area,
        location=location,
        starts_on=starts_on,
        ends_on=ends_on,
        routes=routes,
        practice_educator=practice_educator,
        practice_educator_offsite=practice_educator_offsite,
        onsite_supervisor=onsite_supervisor,
    )
    return save_audited(offer, actor=actor)


def _fill_offer(offer: PlacementOffer, **fields: Any) -> None:
    team: Team | None = fields["team"]
    days = fields.pop("days") or default_days(fields["placement_type"])
    if days is None:
        raise ValidationError({"days": "Say how many days each placement lasts."})
    fields["setting"] = fields["setting"].strip()
    fields["routes"] = [route for route in Route.values if route in (fields["routes"] or [])]
    if team is not None:
        fields["service_area"] = fields["service_area"] or team.service_area
        fields["location"] = fields["location"] or team.location
    for name, value in fields.items():
        setattr(offer, name, value)
    offer.days = days


def _locked_offer(offer: PlacementOffer) -> PlacementOffer:
    """The offer, locked until the transaction ends: two coordinators filling its last slot at
    once are served one after the other."""
    return (
        PlacementOffer.objects.unscoped("the offer a service was handed, locked to count its slots")
        .select_for_update()
        .get(pk=offer.pk)
    )


def filled_slots(offer: PlacementOffer) -> int:
    """How many of the offer's slots its placements fill."""
    return offer.placements.filter(status__in=FILLING_STATUSES).count()


# --- the placement lifecycle ------------------------------------------------------------------


@transaction.atomic
def request_placement(
    *,
    actor: User | None,
    student: Student,
    academic_year: AcademicYear,
    placement_type: str,
    organisation: Organisation,
    days: int | None = None,
    team: Team | None = None,
    setting: str = "",
    base_url: str = "",
) -> Placement:
    """Asks ``organisation`` for a placement of the student (status requested)."""
    days = days or default_days(placement_type)
    if days is None:
        raise ValidationError({"days": "Say how many days the placement lasts."})
    placement = Placement(
        student=student,
        organisation=organisation,
        team=team,
        setting=setting.strip(),
        academic_year=academic_year,
        placement_type=placement_type,
        days=days,
        status=PlacementStatus.REQUESTED,
    )
    save_audited(placement, actor=actor)
    _notify(placement, "requested", base_url)
    return placement


@transaction.atomic
def match_placement(
    *,
    actor: User | None,
    placement: Placement,
    offer: PlacementOffer,
    practice_educator: PracticeEducator | None = None,
    onsite_supervisor: Person | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    base_url: str = "",
) -> Placement:
    """Matches a requested placement to an offer with a free slot: the placement takes the
    offer's setting and days, and its practice educator and on-site supervisor unless others
    are named."""
    _move(placement, PlacementStatus.MATCHED)
    offer = _locked_offer(offer)
    if filled_slots(offer) >= offer.slots:
        raise ValidationError({"offer": f"Every slot of {offer.setting_name} is filled."})
    placement.offer, placement.organisation = offer, offer.organisation
    placement.team, placement.setting, placement.days = offer.team, offer.setting, offer.days
    placement.practice_educator = practice_educator or offer.practice_educator
    placement.onsite_supervisor = onsite_supervisor or offer.onsite_supervisor
    placement.starts_on = starts_on or offer.starts_on
    placement.ends_on = ends_on or offer.ends_on
    placement.status = PlacementStatus.MATCHED
    save_audited(placement, actor=actor)
    _notify(placement, "matched", base_url)
    return placement


@transaction.atomic
def unmatch_placement(*, actor: User | None, placement: Placement, base_url: str = "") -> Placement:
    """Returns a matched placement to requested, freeing the offer's slot."""
    _move(placement, PlacementStatus.REQUESTED)
    placement.offer = None
    placement.practice_educator = placement.onsite_supervisor = None
    placement.starts_on = placement.ends_on = None
    placement.status = PlacementStatus.REQUESTED
    save_audited(placement, actor=actor)
    _notify(placement, "unmatched", base_url)
    return placement


@transaction.atomic
def confirm_placement(
    *,
    actor: User | None,
    placement: Placement,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    base_url: str = "",
) -> Placement:
    """Confirms a matched placement: it needs its dates, a practice educator (an off-site
    one with an on-site supervisor) and the student's pre-placement checks, recorded and valid
    on the placement's first day (``during.checks``)."""
    _move(placement, PlacementStatus.CONFIRMED)
    placement.starts_on = starts_on or placement.starts_on
    placement.ends_on = ends_on or placement.ends_on
    errors = {}
    if placement.practice_educator is None:
        errors["practice_educator"] = "Name the practice educator before confirming."
    elif placement.practice_educator.independent and placement.onsite_supervisor is None:
        errors["onsite_supervisor"] = (
            "An off-site practice educator's student needs an on-site supervisor."
        )
    if placement.starts_on is None or placement.ends_on is None:
        errors["starts_on"] = "Give the placement's start and end dates before confirming."
    # the student's pre-placement checks (DBS, health, agreement) must be valid (docs/0029)
    if checks := problems_confirming(placement):
        errors["__all__"] = " ".join(checks)
    if errors:
        raise ValidationError(errors)
    placement.status = PlacementStatus.CONFIRMED
    save_audited(placement, actor=actor)
    _notify(placement, "confirmed", base_url)
    return placement


@transaction.atomic
def start_placement(*, actor: User | None, placement: Placement, base_url: str = "") -> Placement:
    """The student has started the confirmed placement."""
    _move(placement, PlacementStatus.IN_PROGRESS)
    placement.status = PlacementStatus.IN_PROGRESS
    save_audited(placement, actor=actor)
    _credit_practice_educator(placement, actor)
    _notify(placement, "started", base_url)
    return placement


@transaction.atomic
def complete_placement(
    *, actor: User | None, placement: Placement, base_url: str = ""
) -> Placement:
    """The student has completed the placement."""
    _move(placement, PlacementStatus.COMPLETED)
    placement.status = PlacementStatus.COMPLETED
    save_audited(placement, actor=actor)
    _credit_practice_educator(placement, actor)
    _notify(placement, "completed", base_url)
    return placement


@transaction.atomic
def end_placement_early(
    *,
    actor: User | None,
    placement: Placement,
    reason: str,
    ended_on: datetime.date | None = None,
    base_url: str = "",
) -> Placement:
    """Ends a placement before it is complete (or withdraws one not yet started), saying why;
    a placement that had started records the day it ended."""
    _move(placement, PlacementStatus.ENDED_EARLY)
    started = placement.status == PlacementStatus.IN_PROGRESS
    if not reason.strip():
        raise ValidationError({"ended_reason": "Say why the placement ended early."})
    if placement.status == PlacementStatus.IN_PROGRESS:
        if ended_on is None:
            raise ValidationError({"ends_on": "Give the day the placement ended."})
        if placement.starts_on is not None and ended_on < placement.starts_on:
            raise ValidationError({"ends_on": "The placement cannot end before it started."})
        placement.ends_on = ended_on
    placement.status, placement.ended_reason = PlacementStatus.ENDED_EARLY, reason.strip()
    save_audited(placement, actor=actor)
    if started:
        _credit_practice_educator(placement, actor)
    _notify(placement, "ended early", base_url)
    return placement


def _move(placement: Placement, to: str) -> None:
    """Refuses a step the placement's status does not allow. The status is read from the
    database with the row locked until the transaction ends: two people taking the same step
    at once are served one after the other, and the second is told it was already taken."""
    if placement.pk is not None:
        placement.status = (
            Placement.objects.unscoped("the placement a service was handed, locked for its step")
            .select_for_update()
            .values_list("status", flat=True)
            .get(pk=placement.pk)
        )
    if to not in NEXT_STATUSES[placement.status]:
        raise ValidationError(
            f"A placement that is {placement.get_status_display().lower()} cannot become "
            f"{PlacementStatus(to).label.lower()}."
        )


@transaction.atomic
def record_placement(
    *,
    actor: User | None,
    student: Student,
    organisation: Organisation,
    academic_year: AcademicYear,
    placement_type: str,
    status: str,
    days: int | None = None,
    team: Team | None = None,
    setting: str = "",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    practice_educator: PracticeEducator | None = None,
    onsite_supervisor: Person | None = None,
    ended_reason: str = "",
    offer: PlacementOffer | None = None,
    placement: Placement | None = None,
) -> Placement:
    """Records a placement as it stands (an import, or history from before Practica), in any
    status and without notifications; with ``placement``, changes that record instead."""
    days = days or default_days(placement_type)
    if days is None:
        raise ValidationError({"days": "Say how many days the placement lasts."})
    placement = placement or Placement(student=student)
    placement.organisation, placement.team, placement.setting = organisation, team, setting.strip()
    placement.academic_year, placement.placement_type, placement.days = (
        academic_year,
        placement_type,
        days,
    )
    placement.starts_on, placement.ends_on, placement.status = starts_on, ends_on, status
    placement.practice_educator, placement.onsite_supervisor = practice_educator, onsite_supervisor
    placement.ended_reason = ended_reason.strip() if status == PlacementStatus.ENDED_EARLY else ""
    placement.offer = offer
    save_audited(placement, actor=actor)
    _credit_practice_educator(placement, actor)
    return placement


def _credit_practice_educator(placement: Placement, actor: User | None) -> None:
    """A placement the PE supervises is their latest student (currency, docs/0006): the day it
    started while it runs, the day it ended once it has (never a day still to come). A
    placement ended early counts only when it had started (the caller knows; a recorded one
    counts when it started before it ended)."""
    educator = placement.practice_educator
    if educator is None:
        return
    today = timezone.localdate()
    if placement.status == PlacementStatus.IN_PROGRESS:
        day = placement.starts_on or today
    elif placement.status == PlacementStatus.COMPLETED:
        day = placement.ends_on or today
    elif (
        placement.status == PlacementStatus.ENDED_EARLY
        and placement.starts_on is not None
        and placement.ends_on is not None
        and placement.starts_on <= placement.ends_on
    ):
        day = placement.ends_on
    else:
        return
    # the placement by its number, never the student's name (the PE's history outlives an
    # anonymised student's)
    register_services.credit_student(
        actor=actor,
        educator=educator,
        on=min(day, today),
        source=f"placement {placement.pk} with {placement.organisation.name}",
    )


# --- notifications ----------------------------------------------------------------------------


def placement_recipients(placement: Placement) -> list[str]:
    """Who hears of a step: the student, the practice educator, the on-site supervisor and the
    student's university (its active coordinators), each address once."""
    addresses = [
        placement.student.person.email,
        placement.practice_educator.person.email if placement.practice_educator else "",
        placement.onsite_supervisor.email if placement.onsite_supervisor else "",
        *Membership.objects.unscoped("the university's coordinators hear of its students")
        .filter(
            organisation_id=placement.student.hei_id,
            role=Role.COORDINATOR,
            is_active=True,
            user__is_active=True,
        )
        .order_by("user__email")
        .values_list("user__email", flat=True),
    ]
    return list(dict.fromkeys(address.lower() for address in addresses if address))


def without_account(placement: Placement) -> list[str]:
    """The addresses of the placement's practice educator and on-site supervisor who have no
    Practica account (an off-site PE, a supervisor in a school): they get single-use links."""
    people = [
        placement.practice_educator.person if placement.practice_educator else None,
        placement.onsite_supervisor,
    ]
    addresses = [p.email.lower() for p in people if p is not None and p.email and not p.user_id]
    return list(dict.fromkeys(addresses))


def _notify(placement: Placement, step: str, base_url: str) -> None:
    offline = without_account(placement)
    recipients = [address for address in placement_recipients(placement) if address not in offline]
    subject = f"Placement {step}: {placement.student.person.full_name}"
    details = _details(placement)
    for address in offline:
        token = create_placement_link(placement=placement, email=address)
        link = base_url + reverse("placements:placement-link", args=[token])
        message = "\n".join(
            [
                *details,
                "",
                f"See the placement's details here (the link works once, until "
                f"{date_format(timezone.localdate() + links.LINK_LIFETIME, 'j F Y')}): {link}",
            ]
        )
        _send_after_commit(subject, message, [address])
    if recipients:
        link = base_url + reverse("placements:placement-detail", args=[placement.pk])
        message = "\n".join([*details, "", f"The placement in Practica (sign in first): {link}"])
        _send_after_commit(subject, message, recipients)


def _send_after_commit(subject: str, message: str, recipients: list[str]) -> None:
    transaction.on_commit(
        partial(
            send_mail,
            subject=subject,
            message=message,
            from_email=None,
            recipient_list=recipients,
        )
    )


def _details(placement: Placement) -> list[str]:
    lines = [
        f"{placement.student.person.full_name}'s {placement.get_placement_type_display().lower()} "
        f"({placement.academic_year}) with {placement.organisation.name} is now "
        f"{placement.get_status_display().lower()}.",
        "",
        f"Setting: {placement.setting_name}",
    ]
    if placement.starts_on and placement.ends_on:
        lines.append(
            f"Dates: {date_format(placement.starts_on, 'j F Y')} to "
            f"{date_format(placement.ends_on, 'j F Y')}"
        )
    if placement.practice_educator:
        lines.append(f"Practice educator: {placement.practice_educator.person.full_name}")
    if placement.ended_reason:
        lines.append(f"Why it ended early: {placement.ended_reason}")
    return lines


# --- single-use links for those without an account --------------------------------------------

LINKS = "a placement link is found by its token, which is its own authority"


def create_placement_link(*, placement: Placement, email: str) -> str:
    """A new link to the placement for ``email``; returns the raw token (only its hash is
    stored)."""
    return links.issue_link(PlacementLink(placement=placement, email=email))


def link_for_token(token: str) -> PlacementLink | None:
    """The unused, unexpired link to the placement's details behind ``token``; None
    otherwise (a sign-off link, ``during.services.sign_off_link_for_token``, is not one)."""
    return links.unused_link(
        PlacementLink.objects.unscoped(LINKS)
        .filter(purpose=LinkPurpose.DETAILS)
        .select_related(
            "placement__student__person",
            "placement__organisation",
            "placement__team",
            "placement__academic_year",
            "placement__practice_educator__person",
            "placement__onsite_supervisor",
        ),
        token,
    )


@transaction.atomic
def use_placement_link(*, link: PlacementLink) -> Placement:
    """Opens the link's placement once: the link cannot be used again."""
    locked = PlacementLink.objects.unscoped(LINKS).select_for_update().get(pk=link.pk)
    if locked.used_at is not None or timezone.now() >= locked.expires_at:
        raise ValidationError("This link has been used or has expired.")
    locked.used_at = timezone.now()
    save_audited(locked, actor=None)
    return link.placement
