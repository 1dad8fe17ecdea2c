"""The import kinds of the records kept during a placement: preplacement-checks, attendance and
direct-observations — they create, read back their own export unchanged, and refuse rows that
name no student or placement or one the importer may not record them of."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.models import Role, User
from practica.core.models import Organisation
from practica.imports.registry import get_importer
from practica.imports.testing import as_csv, import_text
from practica.organisations.tests.factories import OrganisationFactory, member
from practica.placements.during.models import AttendanceWeek, DirectObservation, PreplacementCheck
from practica.placements.models import Placement, PlacementStatus, Student
from practica.placements.tests.factories import PlacementFactory, StudentFactory

pytestmark = pytest.mark.django_db

PLACEMENT = "hei,student_ref,academic_year,placement_type,start_date"


@pytest.fixture
def student(org_b: Organisation) -> Student:
    return StudentFactory.create(hei=org_b, student_ref="B1")


@pytest.fixture
def placement(student: Student, org_a: Organisation) -> Placement:
    return PlacementFactory.create(
        student=student,
        organisation=org_a,
        status=PlacementStatus.COMPLETED,
        starts_on=datetime.date(2020, 1, 13),
        ends_on=datetime.date(2020, 6, 12),
    )


def run(*files: tuple[str, str], viewer: permissions.Viewer = permissions.OPERATOR) -> list[str]:
    return import_text(*files, viewer=viewer)[0]


def round_trip(kind: str) -> None:
    """The kind's export, imported again, changes nothing; into an emptied table, recreates it."""
    rows = get_importer(kind).export_rows(permissions.OPERATOR)
    assert rows
    errors, result = import_text((kind, as_csv(rows)))
    assert errors == []
    assert result.plans[0].counts() == {"create": 0, "update": 0, "unchanged": len(rows)}


def test_checks_import_and_read_back_their_export(student: Student) -> None:
    text = (
        "hei,student_ref,kind,completed_on,expires_on,reference\n"
        "BBB,b1,dbs,2019-06-01,2022-06-01,001234\n"
        "BBB,B1,health,2019-06-20,,OH clearance\n"
    )
    assert run(("preplacement-checks", text)) == []
    checks = {c.kind: c for c in PreplacementCheck.objects.unscoped("test").filter(student=student)}
    assert checks["dbs"].expires_on == datetime.date(2022, 6, 1)
    assert checks["health"].expires_on is None
    round_trip("preplacement-checks")
    assert run(("preplacement-checks", text.replace("2022-06-01", "2023-06-01"))) == []
    assert PreplacementCheck.objects.unscoped("test").get(
        student=student, kind="dbs"
    ).expires_on == datetime.date(2023, 6, 1)


def test_a_check_of_an_unknown_student_is_refused_and_nothing_is_written(student: Student) -> None:
    text = "hei,student_ref,kind,completed_on\nBBB,NOPE,dbs,2019-06-01\n"
    assert run(("preplacement-checks", text)) == [
        "row 2, column student_ref: BBB has no student with the reference “NOPE”."
    ]
    assert not PreplacementCheck.objects.unscoped("test").exists()


def test_attendance_imports_signed_off_weeks_and_reads_back_its_export(
    placement: Placement, alice: User
) -> None:
    text = (
        f"{PLACEMENT},week_starting,days,note,signed_off_by_email,signed_off_at\n"
        f"BBB,B1,2019/20,final_100,2020-01-13,2020-01-13,4.5,,{alice.email},2020-01-20 09:30\n"
        "BBB,B1,2019/20,final_100,2020-01-13,2020-01-20,5,Induction week,,\n"
    )
    assert run(("attendance", text)) == []
    weeks = list(AttendanceWeek.objects.unscoped("test").filter(placement=placement))
    assert [(w.days, w.signed_off) for w in weeks] == [(Decimal("4.5"), True), (Decimal(5), False)]
    assert weeks[0].signed_off_by == alice
    assert timezone.localtime(weeks[0].signed_off_at).hour == 9
    round_trip("attendance")


def test_attendance_of_a_placement_not_recorded_is_refused(placement: Placement) -> None:
    text = f"{PLACEMENT},week_starting,days\nBBB,B1,2019/20,final_100,2020-02-03,2020-02-03,4\n"
    (error,) = run(("attendance", text))
    assert "has no final_100 placement in 2019/20 starting on 2020-02-03" in error
    assert not AttendanceWeek.objects.unscoped("test").exists()


def test_observations_import_once_and_read_back_their_export(placement: Placement) -> None:
    text = (
        f"{PLACEMENT},observed_on,observer,summary\n"
        "BBB,B1,2019/20,final_100,2020-01-13,2020-02-03,Pat Educator,Home visit\n"
        "BBB,B1,2019/20,final_100,2020-01-13,2020-04-03,Pat Educator,Duty call\n"
    )
    assert run(("direct-observations", text)) == []
    assert run(("direct-observations", text.replace("Pat Educator", "PAT EDUCATOR"))) == []
    assert DirectObservation.objects.unscoped("test").filter(placement=placement).count() == 2
    round_trip("direct-observations")


def test_a_practice_educator_cannot_import_checks(bob: User, student: Student) -> None:
    text = "hei,student_ref,kind,completed_on\nBBB,B1,dbs,2019-06-01\n"
    assert run(("preplacement-checks", text), viewer=bob) == [
        "Only coordinators import pre-placement checks."
    ]


@pytest.fixture
def other_council(placement: Placement) -> User:
    """A coordinator of a second council in the same partnership, whose council provides a
    placement of its own (of student B2 of the same university)."""
    council = OrganisationFactory.create(partnership=placement.organisation.partnership, code="CCC")
    PlacementFactory.create(
        student=StudentFactory.create(hei=placement.student.hei, student_ref="B2"),
        organisation=council,
        status=PlacementStatus.COMPLETED,
        starts_on=datetime.date(2020, 1, 13),
        ends_on=datetime.date(2020, 6, 12),
    )
    return member(Role.COORDINATOR, council, email="c@example.test")


def test_attendance_of_another_councils_placement_is_refused_and_nothing_is_written(
    placement: Placement, other_council: User, alice: User
) -> None:
    coordinator = other_council
    text = (
        f"{PLACEMENT},week_starting,days\n"
        "BBB,B2,2019/20,final_100,2020-01-13,2020-01-13,5\n"
        "BBB,B1,2019/20,final_100,2020-01-13,2020-01-13,4\n"
    )
    assert run(("attendance", text), viewer=coordinator) == [
        "row 3, column start_date: you cannot record attendance of this placement."
    ]
    assert not AttendanceWeek.objects.unscoped("test").exists()
    assert run(("attendance", "\n".join(text.splitlines()[::2])), viewer=alice) == []
    assert AttendanceWeek.objects.unscoped("test").filter(placement=placement).count() == 1
    # nor does the other council's export show it
    assert get_importer("attendance").export_rows(coordinator) == []
    assert len(get_importer("attendance").export_rows(alice)) == 1


def test_observations_of_another_councils_placement_are_refused_and_nothing_is_written(
    placement: Placement, other_council: User, alice: User
) -> None:
    coordinator = other_council
    text = (
        f"{PLACEMENT},observed_on,observer,summary\n"
        "BBB,B2,2019/20,final_100,2020-01-13,2020-02-03,Pat Educator,Home visit\n"
        "BBB,B1,2019/20,final_100,2020-01-13,2020-02-03,Pat Educator,Home visit\n"
    )
    assert run(("direct-observations", text), viewer=coordinator) == [
        "row 3, column start_date: you cannot record direct observations of this placement."
    ]
    assert not DirectObservation.objects.unscoped("test").exists()
    assert run(("direct-observations", "\n".join(text.splitlines()[::2])), viewer=alice) == []
    assert DirectObservation.objects.unscoped("test").filter(placement=placement).count() == 1
    assert get_importer("direct-observations").export_rows(coordinator) == []
    assert len(get_importer("direct-observations").export_rows(alice)) == 1


def test_checks_are_recorded_by_the_students_university_alone_and_checked_whole(
    placement: Placement, other_council: User, alice: User, charlie: User
) -> None:
    coordinator = other_council
    text = "hei,student_ref,kind,completed_on\nBBB,B1,dbs,2019-06-01\nBBB,B2,dbs,2019-06-02\n"
    refused = [
        "row 2, column student_ref: you cannot record pre-placement checks of this student.",
        "row 3, column student_ref: you cannot record pre-placement checks of this student.",
    ]
    assert run(("preplacement-checks", text), viewer=coordinator) == refused
    assert run(("preplacement-checks", text), viewer=alice) == refused  # the providing council
    assert not PreplacementCheck.objects.unscoped("test").exists()
    # a coordinator of a second university, with a student of their own in the file
    university = OrganisationFactory.create(
        partnership=placement.organisation.partnership, code="DDD", kind="hei"
    )
    StudentFactory.create(hei=university, student_ref="D1")
    elsewhere = member(Role.COORDINATOR, university, email="d@example.test")
    mixed = text.replace("BBB,B2", "DDD,D1")
    assert run(("preplacement-checks", mixed), viewer=elsewhere) == [refused[0]]
    assert not PreplacementCheck.objects.unscoped("test").exists()
    assert run(("preplacement-checks", text), viewer=charlie) == []
    assert PreplacementCheck.objects.unscoped("test").count() == 2
    assert get_importer("preplacement-checks").export_rows(elsewhere) == []
    assert len(get_importer("preplacement-checks").export_rows(charlie)) == 2
