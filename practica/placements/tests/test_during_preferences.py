"""Student preferences: a window a year per university in which students rank service areas
(and a town); after it closes they still see what they submitted."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import Role, User
from practica.core.models import Organisation, ServiceArea
from practica.organisations.tests.factories import LocationFactory, PersonFactory, member
from practica.placements.during import selectors, services
from practica.placements.during.models import PreferenceWindow, StudentPreference
from practica.placements.models import Student
from practica.placements.tests.during_factories import PreferenceWindowFactory
from practica.placements.tests.factories import StudentFactory, year_2019

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def student_user(org_b: Organisation) -> User:
    return member(Role.STUDENT, org_b, email="student@example.test")


@pytest.fixture
def student(org_b: Organisation, student_user: User) -> Student:
    return StudentFactory.create(
        hei=org_b, person=PersonFactory.create(organisation=org_b, user=student_user)
    )


@pytest.fixture
def areas() -> list[ServiceArea]:
    return [
        ServiceArea.objects.create(code=f"test-{name.lower()}", name=name)
        for name in ("Adults", "Children", "Fostering")
    ]


def test_a_student_ranks_areas_while_open_and_still_sees_them_after(
    client: Client,
    student: Student,
    student_user: User,
    org_a: Organisation,
    areas: list[ServiceArea],
) -> None:
    window = PreferenceWindowFactory.create(hei=student.hei)
    town = LocationFactory.create(organisation=org_a, name="Maidstone")
    client.force_login(student_user)
    response = client.post(
        reverse("placements:preferences-submit", args=[window.pk]),
        {"area_1": areas[1].pk, "location_1": town.pk, "area_2": areas[0].pk},
    )
    assert response.status_code == 302
    ranks = selectors.area_ranks(window)
    assert ranks == {student.pk: {areas[1].pk: 1, areas[0].pk: 2}}
    window.opens_on = TODAY - datetime.timedelta(days=30)
    window.closes_on = TODAY - datetime.timedelta(days=1)
    window.save()
    page = client.get(reverse("placements:my-preferences"))
    assert "Closed on" in page.text
    assert "Children" in page.text
    assert "Maidstone" in page.text
    assert "Change your preferences" not in page.text
    refused = client.post(
        reverse("placements:preferences-submit", args=[window.pk]), {"area_1": areas[2].pk}
    )
    assert "can no longer change" in refused.text
    assert selectors.area_ranks(window) == ranks


def test_a_resubmission_replaces_the_choices_and_areas_are_ranked_once(
    student: Student, student_user: User, areas: list[ServiceArea]
) -> None:
    window = PreferenceWindowFactory.create(hei=student.hei)
    services.submit_preferences(
        actor=student_user, student=student, window=window, choices=[(areas[0], None)]
    )
    services.submit_preferences(
        actor=student_user,
        student=student,
        window=window,
        choices=[(areas[2], None), (areas[0], None)],
    )
    assert selectors.area_ranks(window) == {student.pk: {areas[2].pk: 1, areas[0].pk: 2}}
    with pytest.raises(ValidationError, match="each service area once"):
        services.submit_preferences(
            actor=student_user,
            student=student,
            window=window,
            choices=[(areas[1], None), (areas[1], None)],
        )


def test_a_window_not_yet_open_refuses(
    student: Student, student_user: User, areas: list[ServiceArea]
) -> None:
    window = PreferenceWindowFactory.create(
        hei=student.hei,
        opens_on=TODAY + datetime.timedelta(days=3),
        closes_on=TODAY + datetime.timedelta(days=10),
    )
    with pytest.raises(ValidationError, match="opens on"):
        services.submit_preferences(
            actor=student_user, student=student, window=window, choices=[(areas[0], None)]
        )
    assert not StudentPreference.objects.unscoped("test").exists()


def test_the_university_opens_the_window_and_sees_the_choices(
    client: Client, charlie: User, alice: User, student: Student, areas: list[ServiceArea]
) -> None:
    client.force_login(alice)  # a local authority opens no window
    assert client.get(reverse("placements:preference-window-create")).status_code == 403
    client.force_login(charlie)
    response = client.post(
        reverse("placements:preference-window-create"),
        {
            "academic_year": year_2019().pk,
            "opens_on_0": str(TODAY.day),
            "opens_on_1": str(TODAY.month),
            "opens_on_2": str(TODAY.year),
            "closes_on_0": str(TODAY.day),
            "closes_on_1": str(TODAY.month),
            "closes_on_2": str(TODAY.year),
        },
    )
    window = PreferenceWindow.objects.unscoped("test").get()
    assert response["Location"] == reverse("placements:preference-window-detail", args=[window.pk])
    services.submit_preferences(
        actor=None, student=student, window=window, choices=[(areas[0], None)]
    )
    page = client.get(response["Location"])
    assert "1 student submitted preferences" in page.text
    assert student.person.full_name in page.text


def test_the_students_preferences_page_makes_as_many_queries_for_three_windows_as_for_one(
    client: Client, org_b: Organisation, student_user: User, student: Student
) -> None:
    """Issue 16: one query more a window before (each window's choices read on their own)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from practica.core.services import ensure_academic_year

    PreferenceWindowFactory.create(hei=org_b)
    client.force_login(student_user)
    url = reverse("placements:my-preferences")
    client.get(url)  # warms the caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for year in (2017, 2018):
        PreferenceWindowFactory.create(
            hei=org_b, academic_year=ensure_academic_year(start_year=year)
        )
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).text

    assert len(three) == len(one)
    assert page.count("State your preferences") == 3
