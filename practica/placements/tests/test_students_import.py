"""The students import kind: what it creates, that re-importing changes nothing, and every
error case with its message and nothing written."""

from __future__ import annotations

import string
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practica.accounts import permissions
from practica.accounts.models import User
from practica.core.models import Organisation, Person
from practica.imports.framework import BatchResult
from practica.imports.registry import get_importer
from practica.imports.services import import_files
from practica.imports.testing import as_csv, import_text
from practica.organisations.tests.factories import PersonFactory
from practica.placements.models import Route, Student
from practica.placements.tests.factories import StudentFactory

HEADER = (
    "student_ref,hei,first_name,last_name,email,route,year_of_study,home_location,"
    "travel_limit_minutes\n"
)
AMIRA = "B1,BBB,Amira,Khan,amira@uni.example,ba,2,Whitstable,60\n"
BEN = "B2,BBB,Ben,Baker,,ma,1,,\n"
# the placement details a file without their columns leaves as they are (none here)
NO_DETAILS = {"programme": "", "stage": "", "employer": "", "employer_team": ""}


def run(
    text: str, *, viewer: permissions.Viewer = permissions.OPERATOR, dry_run: bool = False
) -> BatchResult:
    return import_text(("students", text), viewer=viewer, dry_run=dry_run)[1]


def errors(text: str, **kwargs: Any) -> list[str]:
    return [str(error) for error in run(text, **kwargs).errors]


@pytest.fixture
def hei(org_b: Organisation) -> Organisation:
    return org_b


def test_a_valid_file_creates_each_student_with_a_person_record(hei: Organisation) -> None:
    result = run(HEADER + AMIRA + BEN)
    assert result.errors == []
    assert result.counts()["create"] == 2
    amira = Student.objects.unscoped("test").get(student_ref="B1")
    assert (amira.person.full_name, amira.person.email, amira.person.organisation) == (
        "Amira Khan",
        "amira@uni.example",
        hei,
    )
    assert (amira.route, amira.year_of_study, amira.home_location) == ("ba", 2, "Whitstable")
    assert amira.travel_limit_minutes == 60
    ben = Student.objects.unscoped("test").get(student_ref="B2")
    assert (ben.person.email, ben.home_location, ben.travel_limit_minutes) == ("", "", None)


def test_reimporting_the_same_file_changes_nothing(hei: Organisation) -> None:
    run(HEADER + AMIRA + BEN)
    history = Student.history.count() + Person.history.count()
    result = run(HEADER + AMIRA + BEN)
    assert result.counts() == {"create": 0, "update": 0, "unchanged": 2}
    assert Student.history.count() + Person.history.count() == history


def test_a_changed_row_updates_the_student_and_their_person(hei: Organisation) -> None:
    run(HEADER + AMIRA)
    result = run(HEADER + "b1,BBB,Amy,Khan,amira@uni.example,ma,3,Herne Bay,90\n")
    assert result.counts()["update"] == 1
    student = Student.objects.unscoped("test").get()
    assert (student.person.first_name, student.route, student.year_of_study) == ("Amy", "ma", 3)
    assert (student.home_location, student.travel_limit_minutes) == ("Herne Bay", 90)


def test_a_dry_run_counts_and_writes_nothing(hei: Organisation) -> None:
    result = run(HEADER + AMIRA, dry_run=True)
    assert result.counts()["create"] == 1
    assert not Student.objects.unscoped("test").exists()
    assert not Person.objects.unscoped("test").exists()


def test_a_person_of_the_university_with_the_same_email_becomes_the_student(
    hei: Organisation,
) -> None:
    person = PersonFactory.create(organisation=hei, email="AMIRA@uni.example")
    assert errors(HEADER + AMIRA) == []
    assert Student.objects.unscoped("test").get().person == person
    assert Person.objects.unscoped("test").count() == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "B1,BBB,Amira,Khan,,bsc,2,,\n",
            "row 2, column route: “bsc” is not one of: "
            "BA (Hons) Social Work, MA Social Work, Step Up to Social Work, Think Ahead, Frontline, Social work degree apprenticeship, Open University.",
        ),
        (
            "B1,BBB,Amira,Khan,,ba,7,,\n",
            "row 2, column year_of_study: 7 is above the largest allowed value, 6.",
        ),
        (
            "B1,BBB,Amira,Khan,,ba,second,,\n",
            "row 2, column year_of_study: “second” is not a whole number.",
        ),
        (
            "B1,BBB,Amira,Khan,,ba,2,,0\n",
            "row 2, column travel_limit_minutes: 0 is below the smallest allowed value, 1.",
        ),
        (
            "B1,BBB,Amira,Khan,,ba,2,,an hour\n",
            "row 2, column travel_limit_minutes: “an hour” is not a whole number.",
        ),
        (
            "B1,ZZZ,Amira,Khan,,ba,2,,\n",
            "row 2, column hei: there is no organisation with the code “ZZZ”.",
        ),
        (
            "B1,AAA,Amira,Khan,,ba,2,,\n",
            "row 2, column hei: Alpha Council (AAA) is not a university; students belong to one.",
        ),
        (
            "B1,BBB,Amira,Khan,amira-at-uni,ba,2,,\n",
            "row 2, column email: “amira-at-uni” is not an e-mail address.",
        ),
        (",BBB,Amira,Khan,,ba,2,,\n", "row 2, column student_ref: is empty; a value is required."),
        ("B1,BBB,,Khan,,ba,2,,\n", "row 2, column first_name: is empty; a value is required."),
        (
            "B1,BBB,Amira,Khan,,ba,2,=HYPERLINK(1),\n",
            "row 2, column home_location: contains a formula (=HYPERLINK(1)); paste values only.",
        ),
    ],
)
def test_a_bad_cell_is_named_by_row_and_column_and_nothing_is_written(
    hei: Organisation, org_a: Organisation, row: str, message: str
) -> None:
    assert errors(HEADER + row) == [message]
    assert not Student.objects.unscoped("test").exists()
    assert not Person.objects.unscoped("test").exists()


def test_a_missing_required_column_is_named(hei: Organisation) -> None:
    assert errors("student_ref,hei,first_name,last_name,year_of_study\nB1,BBB,A,K,1\n") == [
        "row 1, column route: is missing from the header row; it is required."
    ]


def test_a_reference_repeated_in_the_file_is_refused(hei: Organisation) -> None:
    assert errors(HEADER + AMIRA + "b1,BBB,Ben,Baker,,ma,1,,\n") == [
        "row 3, column hei: repeats row 2 (hei, student_ref must be unique in a file)."
    ]
    assert not Student.objects.unscoped("test").exists()


def test_two_students_with_one_email_in_a_file_are_refused(hei: Organisation) -> None:
    assert errors(HEADER + AMIRA + "B2,BBB,Ben,Baker,Amira@uni.example,ma,1,,\n") == [
        "row 3, column email: is the e-mail address of another student in this file."
    ]


def test_the_email_of_a_person_of_another_organisation_is_refused_naming_them_to_the_operator(
    hei: Organisation, org_a: Organisation
) -> None:
    PersonFactory.create(
        organisation=org_a, email="amira@uni.example", first_name="Ada", last_name="Lo"
    )
    assert errors(HEADER + AMIRA) == [
        "row 2, column email: is the e-mail address of Ada Lo of Alpha Council, whom this row "
        "cannot change."
    ]
    assert not Student.objects.unscoped("test").exists()


def test_the_email_of_someone_the_importer_may_not_see_is_refused_without_confirming_them(
    hei: Organisation, org_a: Organisation, charlie: User
) -> None:
    PersonFactory.create(
        organisation=org_a, email="amira@uni.example", first_name="Ada", last_name="Lo"
    )
    assert errors(HEADER + AMIRA, viewer=charlie) == [
        "row 2, column email: cannot be used for this row. Check it is the person's own "
        "address; if it is, ask a partnership manager."
    ]
    assert not Student.objects.unscoped("test").exists()


def test_the_email_of_another_student_of_the_university_is_refused(hei: Organisation) -> None:
    StudentFactory.create(hei=hei, student_ref="B9", person__email="amira@uni.example")
    assert errors(HEADER + AMIRA) == ["row 2, column email: is the e-mail address of student B9."]


def test_every_error_of_the_file_is_listed_at_once(hei: Organisation) -> None:
    found = errors(HEADER + "B1,BBB,Amira,Khan,,bsc,2,,\nB2,BBB,Ben,,,ma,9,,\n")
    assert found == [
        "row 2, column route: “bsc” is not one of: "
        "BA (Hons) Social Work, MA Social Work, Step Up to Social Work, Think Ahead, Frontline, Social work degree apprenticeship, Open University.",
        "row 3, column last_name: is empty; a value is required.",
        "row 3, column year_of_study: 9 is above the largest allowed value, 6.",
    ]


def test_a_coordinator_imports_only_their_own_universitys_students(
    hei: Organisation, charlie: User, dora: User
) -> None:
    assert errors(HEADER + AMIRA, viewer=dora) == [
        "row 2, column hei: you cannot import records for Beta University (BBB)."
    ]
    assert errors(HEADER + AMIRA, viewer=charlie) == []
    assert Student.objects.unscoped("test").get().history.get().history_user == charlie


def test_export_rows_are_what_the_importer_reads_back(hei: Organisation) -> None:
    run(HEADER + AMIRA + BEN)
    rows = get_importer("students").export_rows(permissions.OPERATOR)
    assert [row["student_ref"] for row in rows] == ["B1", "B2"]
    assert rows[1] == {
        "student_ref": "B2",
        "hei": "BBB",
        "first_name": "Ben",
        "last_name": "Baker",
        "email": "",
        "route": "ma",
        "year_of_study": "1",
        "home_location": "",
        "travel_limit_minutes": "",
        **NO_DETAILS,
    }


def test_export_rows_show_only_the_viewers_students(
    hei: Organisation, other_hei: Organisation, charlie: User
) -> None:
    StudentFactory.create(hei=hei, student_ref="MINE")
    StudentFactory.create(hei=other_hei, student_ref="THEIRS")
    rows = get_importer("students").export_rows(charlie)
    assert [row["student_ref"] for row in rows] == ["MINE"]


# Property: any file of valid rows imports, re-imports unchanged and exports as it was read.

NAME = (
    st.text(alphabet=st.sampled_from(string.ascii_letters + "ÀéïøŁß '-"), min_size=1, max_size=30)
    .map(str.strip)
    # a leading apostrophe is the spreadsheet's mark for literal text (core/formulas.py)
    .filter(lambda name: bool(name) and not name.startswith("'"))
)
ROW = st.fixed_dictionaries(
    {
        "student_ref": st.text(
            alphabet=string.ascii_letters + string.digits, min_size=1, max_size=12
        ),
        "first_name": NAME,
        "last_name": NAME,
        "with_email": st.booleans(),
        "route": st.sampled_from(Route.values),
        "year_of_study": st.integers(1, 6).map(str),
        "home_location": st.one_of(st.just(""), NAME),
        "travel_limit_minutes": st.one_of(st.just(""), st.integers(1, 480).map(str)),
    }
)


def as_rows(drawn: list[dict[str, object]]) -> list[dict[str, str]]:
    return [
        {
            "student_ref": str(row["student_ref"]),
            "hei": "BBB",
            "first_name": str(row["first_name"]),
            "last_name": str(row["last_name"]),
            "email": f"{row['student_ref']}@students.example".lower() if row["with_email"] else "",
            "route": str(row["route"]),
            "year_of_study": str(row["year_of_study"]),
            "home_location": str(row["home_location"]),
            "travel_limit_minutes": str(row["travel_limit_minutes"]),
        }
        for row in drawn
    ]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    drawn=st.lists(
        ROW, min_size=1, max_size=8, unique_by=lambda row: str(row["student_ref"]).lower()
    )
)
def test_valid_rows_import_then_reimport_unchanged_and_export_as_read(
    hei: Organisation, drawn: list[dict[str, object]]
) -> None:
    rows = as_rows(drawn)
    with transaction.atomic():  # each example starts from the same database
        first = run(as_csv(rows))
        assert first.errors == []
        assert first.counts()["create"] == len(rows)
        again = run(as_csv(rows))
        assert again.counts() == {"create": 0, "update": 0, "unchanged": len(rows)}
        exported = [
            {name: value for name, value in row.items() if name not in NO_DETAILS}
            for row in get_importer("students").export_rows(permissions.OPERATOR)
        ]
        key = lambda row: row["student_ref"].lower()  # noqa: E731
        assert sorted(exported, key=key) == sorted(rows, key=key)
        transaction.set_rollback(True)


def test_a_student_without_email_keeps_the_bare_person_record_an_export_brings_with_it(
    hei: Organisation,
) -> None:
    people = get_importer("people")
    result = import_files(
        actor=None,
        viewer=permissions.OPERATOR,
        files=[
            (people, "people.csv", b"organisation,first_name,last_name\nBBB,Ben,Baker\n"),
            (get_importer("students"), "students.csv", (HEADER + BEN).encode()),
        ],
        dry_run=False,
    )
    assert result.errors == []
    assert Person.objects.unscoped("test").count() == 1
    assert Student.objects.unscoped("test").get().person == Person.objects.unscoped("test").get()


def test_a_namesake_with_a_job_or_an_address_is_not_taken_for_the_student(
    hei: Organisation,
) -> None:
    PersonFactory.create(organisation=hei, first_name="Ben", last_name="Baker", email="")
    PersonFactory.create(
        organisation=hei, first_name="Ben", last_name="Baker", email="", job_title="Lecturer"
    )
    assert errors(HEADER + BEN) == []
    assert Student.objects.unscoped("test").get().person.job_title == ""
    assert Person.objects.unscoped("test").count() == 2
