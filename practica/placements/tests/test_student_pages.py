"""The students list and a student's page: scoped, searchable, sortable, no N+1."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practica.accounts.models import Role, User
from practica.core.models import Organisation
from practica.organisations.tests.factories import member
from practica.placements.models import Route
from practica.placements.tests.factories import StudentFactory

LIST = reverse("placements:student-list")


def names(client: Client, query: str = "") -> list[str]:
    response = client.get(LIST + query)
    assert response.status_code == 200
    return [student.student_ref for student in response.context["listing"].page]


def test_a_university_coordinator_sees_only_their_own_students(
    client: Client, charlie: User, org_b: Organisation, other_hei: Organisation
) -> None:
    StudentFactory.create(hei=org_b, student_ref="MINE")
    StudentFactory.create(hei=other_hei, student_ref="THEIRS")
    client.force_login(charlie)
    assert names(client) == ["MINE"]


def test_the_partnership_manager_reads_every_universitys_students(
    client: Client, manager: User, org_b: Organisation, other_hei: Organisation
) -> None:
    StudentFactory.create(hei=org_b, student_ref="B1")
    StudentFactory.create(hei=other_hei, student_ref="C1")
    client.force_login(manager)
    assert sorted(names(client)) == ["B1", "C1"]


def test_a_local_authority_coordinator_sees_an_empty_list_saying_who_adds_students(
    client: Client, alice: User, org_b: Organisation
) -> None:
    StudentFactory.create(hei=org_b)
    client.force_login(alice)
    response = client.get(LIST)
    assert list(response.context["listing"].page) == []
    assert "Universities add their students by importing a spreadsheet" in response.text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?search=khan", ["K1"]),
        ("?search=k1", ["K1"]),
        ("?route=ma", ["M1"]),
        ("?year_of_study=3", ["M1"]),
        ("?year_of_study=x", []),
        ("?sort=-ref", ["M1", "K1"]),
        ("?sort=ref", ["K1", "M1"]),
    ],
)
def test_filters_and_sorting_are_get_parameters(
    client: Client, charlie: User, org_b: Organisation, query: str, expected: list[str]
) -> None:
    StudentFactory.create(
        hei=org_b, student_ref="K1", person__last_name="Khan", route=Route.BA, year_of_study=1
    )
    StudentFactory.create(
        hei=org_b, student_ref="M1", person__last_name="Moss", route=Route.MA, year_of_study=3
    )
    client.force_login(charlie)
    assert names(client, query) == expected


def test_the_list_takes_as_many_queries_for_forty_students_as_for_two(
    client: Client, charlie: User, org_b: Organisation
) -> None:
    client.force_login(charlie)
    StudentFactory.create_batch(2, hei=org_b)
    client.get(LIST)  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    StudentFactory.create_batch(38, hei=org_b)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many) == len(few)


def test_a_students_page_shows_their_details_and_history(
    client: Client, charlie: User, org_b: Organisation
) -> None:
    student = StudentFactory.create(
        hei=org_b, student_ref="B7", route=Route.THINK_AHEAD, travel_limit_minutes=75
    )
    client.force_login(charlie)
    html = client.get(reverse("placements:student-detail", args=[student.pk])).text
    assert "B7" in html
    assert "Think Ahead" in html
    assert "75 minutes one way" in html
    assert "History" in html


def test_another_universitys_coordinator_gets_404_for_a_student(
    client: Client, dora: User, org_b: Organisation
) -> None:
    student = StudentFactory.create(hei=org_b)
    client.force_login(dora)
    assert client.get(reverse("placements:student-detail", args=[student.pk])).status_code == 404


def test_the_students_section_is_in_the_navigation_of_university_coordinators_only(
    client: Client, charlie: User, alice: User
) -> None:
    client.force_login(charlie)
    assert "Students" in [item.label for item in client.get("/").context["nav_sections"]]
    client.force_login(alice)
    assert "Students" not in [item.label for item in client.get("/").context["nav_sections"]]


def test_a_student_role_cannot_open_the_list(client: Client, org_b: Organisation) -> None:
    client.force_login(member(Role.STUDENT, org_b))
    assert client.get(LIST).status_code == 403
