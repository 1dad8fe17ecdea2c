"""The students import applies a file's rows in bulk (``StudentImporter.apply_all``,
``placements.services.save_students``) and looks its students, people and teams up once per
file (``prefetch``); both only change speed. Each test runs the same file both ways — in bulk,
and one row at a time as before — and compares what they leave (students, people and every
history row) and what they say."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError

from practica.accounts.models import User
from practica.core.models import Organisation, Person
from practica.imports.testing import both_ways, import_text, run_undone
from practica.organisations.tests.factories import PersonFactory, TeamFactory
from practica.placements import services
from practica.placements.importers import StudentImporter
from practica.placements.models import Student
from practica.placements.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "student_ref,hei,first_name,last_name,email,route,year_of_study,home_location,"
    "travel_limit_minutes,programme,stage,employer,employer_team\n"
)


def _person(p: Any) -> tuple[Any, ...]:
    team = p.team.name if p.team_id else None
    return (p.organisation.code, p.first_name, p.last_name, p.email, p.job_title, team)


def _student(s: Any) -> tuple[Any, ...]:
    return (
        s.hei.code,
        s.student_ref,
        s.person.first_name,
        s.person.last_name,
        s.person.email,
        s.route,
        s.year_of_study,
        s.home_location,
        s.travel_limit_minutes,
        s.programme,
        s.stage,
        s.employer.code if s.employer_id else None,
        s.employer_team.name if s.employer_team_id else None,
    )


def _history(h: Any, values: Callable[[Any], tuple[Any, ...]]) -> tuple[Any, ...]:
    return (h.history_type, h.history_user_id or 0, h.history_change_reason or "", *values(h))


STUDENT_RELATED = ("hei", "person", "employer", "employer_team")


def snapshot() -> dict[str, Any]:
    """People, students and their history, by value (ids and times differ between runs)."""
    people = Person.objects.unscoped("test").select_related("organisation", "team")
    students = Student.objects.unscoped("test").select_related(*STUDENT_RELATED)
    return {
        "people": sorted(map(_person, people), key=repr),
        "students": sorted(map(_student, students), key=repr),
        "people history": sorted(
            (_history(h, _person) for h in Person.history.select_related("organisation", "team")),
            key=repr,
        ),
        "student history": sorted(
            (_history(h, _student) for h in Student.history.select_related(*STUDENT_RELATED)),
            key=repr,
        ),
    }


def run_file(content: str, viewer: User | None = None) -> Callable[[], Any]:
    def run() -> Any:
        if viewer is None:
            errors, result = import_text(("students", content))
        else:
            errors, result = import_text(
                ("students", content), viewer=User.objects.get(pk=viewer.pk)
            )
        records = [(action, kind, str(record)) for record, action, kind in result.records]
        return errors, result.applied, result.counts(), records

    return run


@pytest.fixture
def students(org_a: Organisation, org_b: Organisation) -> None:
    TeamFactory.create(organisation=org_a, name="Duty team")
    StudentFactory.create(
        hei=org_b,
        student_ref="S1",
        person__first_name="Sam",
        person__last_name="Same",
        person__email="same@uni.example",
    )
    StudentFactory.create(
        hei=org_b,
        student_ref="S2",
        person__first_name="Mo",
        person__last_name="Moves",
        person__email="moves@uni.example",
    )
    PersonFactory.create(
        organisation=org_b, email="becomes@uni.example", first_name="Bec", last_name="Omes"
    )
    PersonFactory.create(
        organisation=org_b, email="", first_name="Bare", last_name="Person", job_title=""
    )
    PersonFactory.create(organisation=org_b, email="staff@uni.example", job_title="Lecturer")
    PersonFactory.create(organisation=org_a, email="theirs@example.test")


GOOD = HEADER + "".join(
    [
        "S1,BBB,Sam,Same,same@uni.example,ba,2,Canterbury,60,,,,\n",  # unchanged
        # changed: names, route, year, address, placement details
        "s2,BBB,Maud,Moves,maud@uni.example,ma,1,Dover,90,MA Social Work,first_70,AAA,Duty team\n",
        "S3,BBB,Bec,Omes,becomes@uni.example,ba,1,,,,,,\n",  # a person of the university
        "S4,BBB,Bare,Person,,ba,3,,,,,,\n",  # the university's bare person of this name
        *(
            f"N{n},BBB,First{n},Last{n},{(f'n{n}@uni.example', '')[n % 2]},"
            f"{('ba', 'ma', 'apprentice')[n % 3]},{n % 3 + 1},Town {n % 5},{(60, '')[n % 2]},"
            f"{('BA Social Work', '')[n % 2]},{('first_70', '', 'final_100')[n % 3]},"
            f"{('AAA', '', '')[n % 3]},{('Duty team', '', '')[n % 3]}\n"
            for n in range(40)
        ),
    ]
)


@pytest.mark.usefixtures("students")
def test_a_students_file_in_bulk_leaves_what_one_by_one_leaves_history_included(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bulk, single = both_ways(monkeypatch, StudentImporter, run_file(GOOD), snapshot)

    assert bulk.answer == single.answer
    assert bulk.database == single.database
    errors, applied, counts, _records = bulk.answer
    assert (errors, applied) == ([], True)
    assert counts == {"create": 42, "update": 1, "unchanged": 1}
    people = bulk.database["people"]
    assert ("BBB", "Bare", "Person", "", "", None) in people
    assert sum(1 for p in people if p[1:3] == ("Bare", "Person")) == 1  # taken, not added
    moves = [h for h in bulk.database["student history"] if h[4] == "S2"]
    # changed, then placement details: two changes, as set_placement_details records them
    assert sorted((h[0], h[12]) for h in moves) == [("+", ""), ("~", ""), ("~", "MA Social Work")]
    assert bulk.queries * 5 < single.queries  # looked up once per file, written in batches


@pytest.mark.usefixtures("students")
def test_a_coordinators_students_file_in_bulk_matches_one_by_one(
    monkeypatch: pytest.MonkeyPatch, charlie: User
) -> None:
    ours = "\n".join(line for line in GOOD.splitlines() if ",AAA," not in line) + "\n"

    bulk, single = both_ways(monkeypatch, StudentImporter, run_file(ours, charlie), snapshot)

    assert bulk.answer == single.answer
    assert bulk.database == single.database
    assert bulk.answer[:2] == ([], True)
    assert {h[1] for h in bulk.database["student history"] if h[4] == "N1"} == {charlie.pk}


@pytest.mark.usefixtures("students")
def test_a_file_without_the_placement_detail_columns_keeps_them_in_bulk_as_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    header = HEADER.replace(",programme,stage,employer,employer_team", "")
    rows = [line.split(",")[:9] for line in GOOD.splitlines()[1:]]
    content = header + "".join(",".join(row) + "\n" for row in rows)

    bulk, single = both_ways(monkeypatch, StudentImporter, run_file(content), snapshot)

    assert bulk.answer == single.answer
    assert bulk.database == single.database
    assert bulk.answer[0] == []


@pytest.mark.usefixtures("students")
def test_bad_student_rows_are_refused_with_the_same_messages_in_bulk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = HEADER + (
        "S1,BBB,Sam,Same,same@uni.example,ba,2,Canterbury,60,,,,\n"
        "X1,AAA,Not,University,,ba,1,,,,,,\n"  # not a university
        "X2,BBB,Tess,Theirs,theirs@example.test,ba,1,,,,,,\n"  # another organisation's
        "X3,BBB,Mo,Other,moves@uni.example,ba,1,,,,,,\n"  # another student's address
        "X4,BBB,Dee,Dupe,dee@uni.example,ba,1,,,,,,\n"
        "X5,BBB,Dee,Dupe,DEE@uni.example,ba,1,,,,,,\n"  # one address, two students
        "x4,BBB,Ref,Again,,ba,1,,,,,,\n"  # the same reference again
        "X6,BBB,Bad,Route,,phd,1,,,,,,\n"
        "X7,BBB,Bad,Year,,ba,9,,,,,,\n"
        "X8,BBB,No,Employer,,ba,1,,,,,,Duty team\n"
        "X9,BBB,No,Team,,ba,1,,,,,AAA,Nowhere\n"
    )

    bulk, single = both_ways(monkeypatch, StudentImporter, run_file(bad), snapshot)

    assert bulk.answer == single.answer
    assert bulk.database == single.database
    errors, applied, _counts, _records = bulk.answer
    assert not applied
    assert len(errors) == 9
    assert any("is the e-mail address of student S2" in e for e in errors)


@pytest.mark.usefixtures("students")
def test_a_student_row_refused_only_while_applying_is_named_as_one_by_one_names_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Sam's new address is a member of staff's: checking lets a person of the university
    become a student, but Sam is one already, and the service refuses the address."""
    taken = GOOD.replace("S1,BBB,Sam,Same,same@uni.example", "S1,BBB,Sam,Same,staff@uni.example")

    bulk, single = both_ways(
        monkeypatch, StudentImporter, run_file(taken), snapshot, falls_back=True
    )

    assert bulk.answer == single.answer
    assert bulk.database == single.database
    errors, applied, _counts, _records = bulk.answer
    assert not applied
    assert len(errors) == 1
    assert errors[0].startswith("students.csv, row 2, column email: ")


@pytest.mark.usefixtures("students")
def test_a_bulk_students_write_that_fails_is_undone_and_the_rows_applied_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail_after_creating(*args: object, **kwargs: object) -> None:
        raise IntegrityError("as if a constraint were broken after the students were written")

    bulk, single = both_ways(monkeypatch, StudentImporter, run_file(GOOD), snapshot)
    with monkeypatch.context() as patch:  # the one-by-one services never update in bulk
        patch.setattr(services, "update_all_audited", fail_after_creating)
        fell_back = run_undone(run_file(GOOD), snapshot)

    assert fell_back.answer == single.answer == bulk.answer
    assert fell_back.database == single.database  # nothing of the attempt is left
