"""The import kinds of the records kept during a placement: preplacement-checks, attendance and
direct-observations — they create, read back their own export unchanged, and refuse rows that
name no student or placement."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.models import User
from practica.core.models import Organisation
from practica.imports.registry import get_importer
from practica.imports.testing import as_csv, import_text
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
