"""The demo's students: the same ones on every run, nothing added by a second run."""

from __future__ import annotations

from practica.core.models import Partnership
from practica.demo import placements as demo
from practica.organisations.tests.factories import OrganisationFactory, PersonFactory
from practica.placements.models import Student


def test_loading_the_demo_students_twice_adds_nothing(partnership: Partnership) -> None:
    organisations = {
        code: OrganisationFactory.create(partnership=partnership, code=code, kind="hei")
        for code in ("CCCU", "UOK")
    }
    PersonFactory.create(organisation=organisations["UOK"], email="student@demo.practica.test")
    demo.load(organisations)
    refs = sorted(Student.objects.unscoped("test").values_list("student_ref", flat=True))
    demo.load(organisations)
    assert sorted(Student.objects.unscoped("test").values_list("student_ref", flat=True)) == refs
    assert len(refs) == 2 * demo.STUDENTS_PER_UNIVERSITY + 1
    assert (
        Student.objects.unscoped("test").get(person__email="student@demo.practica.test").hei.code
        == "UOK"
    )
