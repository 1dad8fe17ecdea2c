"""The import kinds placement-reviews, causes-for-concern and skills-days: they write through the services,
read back their own export unchanged, check a file whole before writing anything (a dry run
writes nothing; one bad row, nothing is written), and causes for concern are imported and
exported only by those who run them."""

from __future__ import annotations

import datetime

import pytest

from practica.accounts import permissions
from practica.accounts.models import Role, User
from practica.core.models import Organisation
from practica.imports.registry import get_importer
from practica.imports.testing import as_csv, import_text
from practica.organisations.tests.factories import OrganisationFactory, member
from practica.placements.during.models import (
    CauseForConcern,
    ConcernStatus,
    PlacementReview,
    RaisedBy,
    SkillsDays,
)
from practica.placements.models import Placement, PlacementStatus, Student
from practica.placements.tests.during_factories import CauseForConcernFactory
from practica.placements.tests.factories import PlacementFactory, StudentFactory

pytestmark = pytest.mark.django_db

KEY = "BBB,B1,2019/20,final_100,2020-01-13"
PLACEMENT = "hei,student_ref,academic_year,placement_type,start_date"
REVIEWS = f"{PLACEMENT},kind,held_on,outcome,notes\n"
CONCERNS = (
    f"{PLACEMENT},raised_on,raised_as,concern,status,meeting_on,meeting_notes,action_plan,"
    "review_on,outcome,closed_on\n"
)


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


def run(
    *files: tuple[str, str], viewer: permissions.Viewer = permissions.OPERATOR, dry: bool = False
) -> list[str]:
    return import_text(*files, viewer=viewer, dry_run=dry)[0]


def round_trip(kind: str, viewer: permissions.Viewer = permissions.OPERATOR) -> None:
    rows = get_importer(kind).export_rows(viewer)
    assert rows
    errors, result = import_text((kind, as_csv(rows)), viewer=viewer)
    assert errors == []
    assert result.plans[0].counts() == {"create": 0, "update": 0, "unchanged": len(rows)}


def test_reviews_import_correct_and_read_back_their_export(placement: Placement) -> None:
    text = (
        f"{REVIEWS}"
        f"{KEY},learning_agreement,2020-01-17,agreed,Needs agreed\n"
        f"{KEY},midpoint,2020-03-16,some_concerns,Recording behind\n"
        f"{KEY},final,2020-06-10,pass,\n"
    )
    assert run(("placement-reviews", text)) == []
    reviews = {
        r.kind: r for r in PlacementReview.objects.unscoped("test").filter(placement=placement)
    }
    assert reviews["midpoint"].outcome == "some_concerns"
    assert reviews["final"].held_on == datetime.date(2020, 6, 10)
    round_trip("placement-reviews")
    assert run(("placement-reviews", text.replace("some_concerns", "on_track"))) == []
    assert PlacementReview.objects.unscoped("test").get(kind="midpoint").outcome == "on_track"
    assert PlacementReview.objects.unscoped("test").count() == 3


def test_a_dry_run_of_reviews_writes_nothing(placement: Placement) -> None:
    text = f"{REVIEWS}{KEY},midpoint,2020-03-16,on_track,\n"
    assert run(("placement-reviews", text), dry=True) == []
    assert not PlacementReview.objects.unscoped("test").exists()


def test_one_bad_review_row_and_nothing_is_written(placement: Placement) -> None:
    text = (
        f"{REVIEWS}"
        f"{KEY},learning_agreement,2020-01-17,agreed,\n"
        f"{KEY},midpoint,2020-03-16,pass,\n"  # a midpoint review recommends nothing
        "BBB,B1,2019/20,final_100,2020-02-03,final,2020-06-10,pass,\n"  # no such placement
    )
    errors = run(("placement-reviews", text))
    assert errors[0].startswith("row 3, column outcome: is not an outcome of this meeting")
    assert "has no final_100 placement in 2019/20 starting on 2020-02-03" in errors[1]
    assert not PlacementReview.objects.unscoped("test").exists()


def test_concerns_import_as_they_stand_and_read_back_their_export(
    placement: Placement, charlie: User
) -> None:
    text = (
        f"{CONCERNS}"
        f"{KEY},2020-02-10,supervisor,Late to visits,resolved,2020-02-14,Met,Plan A,"
        "2020-03-01,Back on track,2020-03-02\n"
        f"{KEY},2020-04-01,student,Given no work,raised,,,,,,\n"
    )
    assert run(("causes-for-concern", text)) == []
    concerns = list(CauseForConcern.objects.unscoped("test").order_by("raised_on"))
    assert [(c.raised_as, c.status, c.raised_by) for c in concerns] == [
        (RaisedBy.SUPERVISOR, ConcernStatus.RESOLVED, None),
        (RaisedBy.STUDENT, ConcernStatus.RAISED, None),
    ]
    assert concerns[0].closed_on == datetime.date(2020, 3, 2)
    round_trip("causes-for-concern")
    round_trip("causes-for-concern", viewer=charlie)  # the student's university runs them


def test_a_closed_concern_without_its_outcome_is_refused_and_nothing_is_written(
    placement: Placement,
) -> None:
    text = (
        f"{CONCERNS}"
        f"{KEY},2020-04-01,student,Given no work,raised,,,,,,\n"
        f"{KEY},2020-02-10,supervisor,Late to visits,resolved,,,,,,\n"
    )
    assert run(("causes-for-concern", text)) == [
        "row 3, column status: is closed: give the day it closed and its outcome."
    ]
    assert (
        run(("causes-for-concern", text.splitlines()[0] + "\n" + text.splitlines()[1]), dry=True)
        == []
    )
    assert not CauseForConcern.objects.unscoped("test").exists()


def test_only_those_who_run_concerns_import_or_export_them(
    placement: Placement, alice: User, bob: User, manager: User, charlie: User
) -> None:
    CauseForConcernFactory.create(placement=placement)
    text = f"{CONCERNS}{KEY},2020-04-01,student,Given no work,raised,,,,,,\n"
    refused = "Only the coordinators and university staff who run causes for concern import them."
    assert run(("causes-for-concern", text), viewer=bob) == [refused]  # a practice educator
    assert run(("causes-for-concern", text), viewer=manager) == [refused]
    assert get_importer("causes-for-concern").export_rows(manager) == []
    # a coordinator of another council runs concerns, but not this placement's
    other = member(
        Role.COORDINATOR,
        OrganisationFactory.create(partnership=placement.organisation.partnership, code="CCC"),
        email="c@example.test",
    )
    assert run(("causes-for-concern", text), viewer=other) == [
        "row 2, column start_date: you cannot record causes for concern of this placement."
    ]
    assert get_importer("causes-for-concern").export_rows(other) == []
    assert len(get_importer("causes-for-concern").export_rows(alice)) == 1
    assert CauseForConcern.objects.unscoped("test").count() == 1


SKILLS = "hei,student_ref,held_on,topic,days\n"


def test_skills_days_import_once_and_read_back_their_export(student: Student) -> None:
    text = f"{SKILLS}BBB,B1,2019-10-07,Communication skills,2\nBBB,b1,2019-11-04,Court skills,1.5\n"
    assert run(("skills-days", text)) == []
    assert run(("skills-days", text.replace("Communication", "COMMUNICATION"))) == []
    assert SkillsDays.objects.unscoped("test").filter(student=student).count() == 2
    round_trip("skills-days")
    assert run(("skills-days", text.replace(",2\n", ",3\n"))) == []
    assert SkillsDays.objects.unscoped("test").get(topic="Communication skills").days == 3


def test_skills_days_are_checked_whole_before_anything_is_written(
    student: Student, alice: User, charlie: User
) -> None:
    text = f"{SKILLS}BBB,B1,2019-10-07,Communication skills,2\nBBB,B1,2019-11-04,Court skills,0\n"
    (error,) = run(("skills-days", text))
    assert "row 3, column days:" in error
    assert run(("skills-days", text.replace(",0\n", ",1\n")), dry=True) == []
    assert not SkillsDays.objects.unscoped("test").exists()
    # the student's university keeps them, not the providing council
    assert run(("skills-days", text.replace(",0\n", ",1\n")), viewer=alice) == [
        "row 2, column student_ref: you cannot record skills days of this student.",
        "row 3, column student_ref: you cannot record skills days of this student.",
    ]
    assert run(("skills-days", text.replace(",0\n", ",1\n")), viewer=charlie) == []
    assert SkillsDays.objects.unscoped("test").count() == 2
