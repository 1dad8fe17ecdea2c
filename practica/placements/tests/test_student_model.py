"""The database keeps students' invariants even when a write skips the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from practica.core.models import Organisation
from practica.organisations.tests.factories import PersonFactory
from practica.placements.models import Student
from practica.placements.tests.factories import StudentFactory


def test_a_reference_is_unique_within_a_university_whatever_its_letter_case(
    org_b: Organisation,
) -> None:
    StudentFactory.create(hei=org_b, student_ref="ab123")
    with pytest.raises(IntegrityError), transaction.atomic():
        StudentFactory.create(hei=org_b, student_ref="AB123")


def test_two_universities_may_use_the_same_reference(
    org_b: Organisation, other_hei: Organisation
) -> None:
    StudentFactory.create(hei=org_b, student_ref="S1")
    StudentFactory.create(hei=other_hei, student_ref="S1")
    assert Student.objects.unscoped("test").filter(student_ref="S1").count() == 2


@pytest.mark.parametrize(
    "fields",
    [
        {"route": "bsc"},
        {"year_of_study": 0},
        {"year_of_study": 7},
        {"travel_limit_minutes": 0},
        {"travel_limit_minutes": 481},
        {"student_ref": ""},
    ],
)
def test_the_database_refuses_values_out_of_range(
    org_b: Organisation, fields: dict[str, object]
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        StudentFactory.create(hei=org_b, **fields)


def test_a_student_belongs_to_a_university(org_a: Organisation) -> None:
    student = StudentFactory.build(hei=org_a, person=PersonFactory.create(organisation=org_a))
    with pytest.raises(ValidationError) as caught:
        student.full_clean()
    assert "is not a university" in str(caught.value)


def test_the_person_is_of_the_same_university(org_b: Organisation, other_hei: Organisation) -> None:
    student = StudentFactory.build(hei=org_b, person=PersonFactory.create(organisation=other_hei))
    with pytest.raises(ValidationError) as caught:
        student.full_clean()
    assert "belongs to another organisation" in str(caught.value)
