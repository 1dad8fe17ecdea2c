"""Every write to students: each validated in full and recorded with its actor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from practica.core import services as core_services
from practica.core.audit import save_audited
from practica.core.models import Organisation, Person
from practica.placements.models import Student

if TYPE_CHECKING:
    from practica.accounts.models import User


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
        if hasattr(person, "student"):
            raise ValidationError({"person": f"{person.full_name} is already a student."})
        core_services.update_person(
            actor=actor,
            person=person,
            first_name=first_name,
            last_name=last_name,
            email=email or person.email,
            job_title=person.job_title,
            team=person.team,
        )
    student = Student(
        person=person,
        hei=hei,
        student_ref=student_ref.strip(),
        route=route,
        year_of_study=year_of_study,
        home_location=home_location.strip(),
        travel_limit_minutes=travel_limit_minutes,
    )
    return save_audited(student, actor=actor)


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
    student.route, student.year_of_study = route, year_of_study
    student.home_location = home_location.strip()
    student.travel_limit_minutes = travel_limit_minutes
    return save_audited(student, actor=actor)
