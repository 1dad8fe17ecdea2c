"""create_student and update_student: every write validated and recorded with its actor."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from practica.accounts.models import User
from practica.core.models import Organisation, Person
from practica.organisations.tests.factories import PersonFactory
from practica.placements import services
from practica.placements.models import Route, Student
from practica.placements.tests.factories import StudentFactory

FIELDS: dict[str, Any] = {
    "first_name": " Amira ",
    "last_name": "Khan",
    "route": Route.MA,
    "year_of_study": 1,
    "email": "Amira.Khan@Uni.example",
    "home_location": " Whitstable ",
    "travel_limit_minutes": 45,
}


def test_it_creates_the_student_and_their_person_record(org_b: Organisation, charlie: User) -> None:
    student = services.create_student(actor=charlie, hei=org_b, student_ref=" B1 ", **FIELDS)
    assert (student.student_ref, student.home_location) == ("B1", "Whitstable")
    person = student.person
    assert (person.organisation, person.first_name, person.email) == (
        org_b,
        "Amira",
        "amira.khan@uni.example",
    )
    assert student.history.get().history_user == charlie


def test_it_makes_an_existing_person_of_the_university_the_student(org_b: Organisation) -> None:
    person = PersonFactory.create(organisation=org_b, email="amira.khan@uni.example")
    student = services.create_student(
        actor=None, hei=org_b, student_ref="B1", person=person, **FIELDS
    )
    assert student.person == person
    assert Person.objects.unscoped("test").count() == 1


def test_it_refuses_an_organisation_that_is_not_a_university(org_a: Organisation) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_student(actor=None, hei=org_a, student_ref="A1", **FIELDS)
    assert "is not a university" in str(caught.value)


def test_it_refuses_a_reference_the_university_already_uses(org_b: Organisation) -> None:
    StudentFactory.create(hei=org_b, student_ref="B1")
    with pytest.raises(ValidationError) as caught:
        services.create_student(actor=None, hei=org_b, student_ref="b1", **FIELDS)
    assert "already has a student with this reference" in str(caught.value)


def test_it_refuses_a_person_who_is_already_a_student(org_b: Organisation) -> None:
    student = StudentFactory.create(hei=org_b)
    with pytest.raises(ValidationError) as caught:
        services.create_student(
            actor=None, hei=org_b, student_ref="B2", person=student.person, **FIELDS
        )
    assert "is already a student" in str(caught.value)


def test_it_refuses_a_journey_longer_than_eight_hours(org_b: Organisation) -> None:
    with pytest.raises(ValidationError):
        services.create_student(
            actor=None, hei=org_b, student_ref="B1", **{**FIELDS, "travel_limit_minutes": 600}
        )
    assert not Student.objects.unscoped("test").exists()


def test_updating_changes_the_student_and_their_name(org_b: Organisation, charlie: User) -> None:
    student = StudentFactory.create(hei=org_b, route=Route.BA, year_of_study=1)
    services.update_student(
        actor=charlie, student=student, **{**FIELDS, "first_name": "Amy", "year_of_study": 2}
    )
    student.refresh_from_db()
    assert (student.person.first_name, student.route, student.year_of_study) == ("Amy", "ma", 2)
    assert student.history.first().history_user == charlie
