"""Every write to the partnership's core records."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from practica.core import audit_log, selectors
from practica.core.audit import create_all_audited, save_audited, update_all_audited
from practica.core.models import (
    AcademicYear,
    AuditAction,
    Location,
    Organisation,
    Partnership,
    Person,
    ServiceArea,
    SubjectAccessExport,
    Team,
)

if TYPE_CHECKING:
    from practica.accounts.models import User


@transaction.atomic
def create_partnership(*, actor: User | None, name: str) -> Partnership:
    return save_audited(Partnership(name=name.strip()), actor=actor)


@transaction.atomic
def set_lead_organisation(
    *, actor: User | None, partnership: Partnership, organisation: Organisation
) -> Partnership:
    partnership.lead_organisation = organisation
    return save_audited(partnership, actor=actor)


@transaction.atomic
def create_organisation(
    *, actor: User | None, partnership: Partnership, code: str, name: str, kind: str
) -> Organisation:
    """Refuses a code already used by another organisation (case-insensitive)."""
    organisation = Organisation(
        partnership=partnership, code=code.strip().upper(), name=name.strip(), kind=kind
    )
    return save_audited(organisation, actor=actor)


@transaction.atomic
def update_organisation(
    *, actor: User | None, organisation: Organisation, code: str, name: str, kind: str
) -> Organisation:
    organisation.code, organisation.name, organisation.kind = (
        code.strip().upper(),
        name.strip(),
        kind,
    )
    return save_audited(organisation, actor=actor)


@transaction.atomic
def create_location(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    postcode: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Location:
    location = Location(
        organisation=organisation,
        name=name.strip(),
        postcode=postcode.strip().upper(),
        latitude=latitude,
        longitude=longitude,
    )
    return save_audited(location, actor=actor)


@transaction.atomic
def update_location(
    *,
    actor: User | None,
    location: Location,
    name: str,
    postcode: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Location:
    location.name, location.postcode = name.strip(), postcode.strip().upper()
    location.latitude, location.longitude = latitude, longitude
    return save_audited(location, actor=actor)


@transaction.atomic
def create_team(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    service_area: ServiceArea,
    location: Location | None = None,
) -> Team:
    team = Team(
        organisation=organisation, name=name.strip(), service_area=service_area, location=location
    )
    return save_audited(team, actor=actor)


@transaction.atomic
def update_team(
    *,
    actor: User | None,
    team: Team,
    name: str,
    service_area: ServiceArea,
    location: Location | None = None,
) -> Team:
    team.name, team.service_area, team.location = name.strip(), service_area, location
    return save_audited(team, actor=actor)


@transaction.atomic
def create_person(
    *,
    actor: User | None,
    organisation: Organisation,
    first_name: str,
    last_name: str,
    email: str = "",
    job_title: str = "",
    team: Team | None = None,
    user: User | None = None,
) -> Person:
    person = change_person(
        Person(organisation=organisation, user=user),
        first_name=first_name,
        last_name=last_name,
        email=email,
        job_title=job_title,
        team=team,
    )
    _refuse_an_email_in_use(actor, person)
    return save_audited(person, actor=actor)


def _refuse_an_email_in_use(actor: User | None, person: Person) -> None:
    """E-mail addresses are unique across Practica; the refusal names the person who has the
    address only to an actor who may see them (issue 15)."""
    other = selectors.person_with_email(person.email, other_than=person)
    if other is not None:
        raise ValidationError({"email": selectors.email_in_use_message(actor, other)})


@transaction.atomic
def update_person(
    *,
    actor: User | None,
    person: Person,
    first_name: str,
    last_name: str,
    email: str = "",
    job_title: str = "",
    team: Team | None = None,
) -> Person:
    change_person(
        person,
        first_name=first_name,
        last_name=last_name,
        email=email,
        job_title=job_title,
        team=team,
    )
    _refuse_an_email_in_use(actor, person)
    return save_audited(person, actor=actor)


# what change_person sets: the fields an update writes
PERSON_FIELDS = ("first_name", "last_name", "email", "job_title", "team")


def change_person(
    person: Person,
    *,
    first_name: str,
    last_name: str,
    email: str = "",
    job_title: str = "",
    team: Team | None = None,
) -> Person:
    """``person`` (saved or not) with these values as every write stores them: trimmed, the
    address in lower case. Not saved: ``create_person``, ``update_person`` and ``save_people``
    save it."""
    person.first_name, person.last_name = first_name.strip(), last_name.strip()
    person.email, person.job_title, person.team = email.strip().lower(), job_title.strip(), team
    return person


@transaction.atomic
def save_people(
    *, actor: User | None, created: Sequence[Person], changed: Sequence[Person]
) -> None:
    """Many people at once (the people import): each made by ``change_person`` as
    ``create_person`` and ``update_person`` make one, validated and recorded by
    ``core.audit`` in bulk."""
    create_all_audited(created, actor=actor)
    update_all_audited(changed, fields=PERSON_FIELDS, actor=actor)


def ensure_academic_year(*, start_year: int) -> AcademicYear:
    """The academic year starting in ``start_year``, created if it is new (validated)."""
    existing = AcademicYear.objects.filter(start_year=start_year).first()
    if existing:
        return existing
    return save_audited(AcademicYear(start_year=start_year), actor=None)


@transaction.atomic
def record_subject_access_export(
    *, actor: User | None, person: Person, channel: str, file_format: str
) -> SubjectAccessExport:
    """Records that everything held about ``person`` was exported, by whom (``None``: the
    command line) and when (SECURITY.md §9: exporting personal data is logged)."""
    export = save_audited(
        SubjectAccessExport(
            person=person, exported_by=actor, channel=channel, file_format=file_format
        ),
        actor=actor,
    )
    audit_log.record(
        user=actor,
        action=AuditAction.SUBJECT_ACCESS_EXPORT,
        what=f"Person #{person.pk} ({export.get_channel_display().lower()})",
        partnership=person.organisation.partnership,
    )
    return export
