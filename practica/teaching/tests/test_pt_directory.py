"""The practitioner-teacher directory: each employer's list with its filters, sorting and
download, entries added and changed through the services, and the yearly review."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from practica.accounts.models import Role
from practica.core.models import AuditAction, AuditEvent, ServiceArea
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    member,
)
from practica.teaching.directory import selectors, services
from practica.teaching.models import Expertise, PractitionerStatus, PractitionerTeacher
from practica.teaching.tests.factories import PractitionerTeacherFactory

pytestmark = pytest.mark.django_db


def _names(response: object) -> str:
    return response.text  # type: ignore[attr-defined, no-any-return]


def test_a_coordinator_sees_only_their_own_employers_practitioner_teachers(client: Client) -> None:
    ours = OrganisationFactory.create()
    theirs = OrganisationFactory.create(partnership=ours.partnership)
    mine = PractitionerTeacherFactory.create(person__organisation=ours, person__last_name="Ourside")
    other = PractitionerTeacherFactory.create(
        person__organisation=theirs, person__last_name="Theirside"
    )
    client.force_login(member(Role.COORDINATOR, ours))

    page = client.get(reverse("teaching:pt-list"))

    assert "Ourside" in page.text
    assert "Theirside" not in page.text
    assert client.get(reverse("teaching:pt-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("teaching:pt-detail", args=[mine.pk])).status_code == 200


def test_the_list_filters_by_team_service_area_expertise_status_and_review(client: Client) -> None:
    organisation = OrganisationFactory.create()
    adults = ServiceArea.objects.get(code="adults")
    team = TeamFactory.create(organisation=organisation, service_area=adults)
    court = Expertise.objects.get(code="court_skills")
    today = timezone.localdate()
    match = PractitionerTeacherFactory.create(
        person__organisation=organisation,
        person__team=team,
        person__last_name="Matching",
        status=PractitionerStatus.ACTIVE,
        reviewed_on=None,
    )
    match.expertise.add(court)
    PractitionerTeacherFactory.create(
        person__organisation=organisation,
        person__last_name="Reviewed",
        status=PractitionerStatus.ACTIVE,
        reviewed_on=today,
    ).expertise.add(court)
    client.force_login(member(Role.COORDINATOR, organisation))

    query: dict[str, str | int] = {
        "team": team.pk,
        "service_area": "adults",
        "expertise": "court_skills",
        "status": "active",
        "review": "overdue",
    }
    page = client.get(reverse("teaching:pt-list"), query)

    assert "Matching" in page.text
    assert "Reviewed" not in page.text
    for key, value in query.items():
        narrowed = client.get(reverse("teaching:pt-list"), {key: value})
        assert "Matching" in narrowed.text


def test_the_list_sorts_and_downloads_the_filtered_entries(client: Client) -> None:
    organisation = OrganisationFactory.create()
    for last_name in ("Aaron", "Zephyr"):
        PractitionerTeacherFactory.create(
            person__organisation=organisation, person__last_name=last_name
        )
    PractitionerTeacherFactory.create(
        person__organisation=organisation, person__last_name="=cmd", status=PractitionerStatus.LEFT
    )
    client.force_login(member(Role.COORDINATOR, organisation))

    descending = client.get(reverse("teaching:pt-list"), {"sort": "-name"}).text
    download = client.get(reverse("teaching:pt-list"), {"download": "csv", "status": "active"})
    everyone = client.get(reverse("teaching:pt-list"), {"download": "csv"}).getvalue().decode()

    assert descending.index("Zephyr") < descending.index("Aaron")
    assert download["Content-Type"].startswith("text/csv")
    text = download.getvalue().decode()
    assert "Aaron" in text
    assert "Zephyr" in text
    assert "cmd" not in text
    assert "'=cmd" in everyone  # a cell that starts like a formula is neutralised


def test_the_directory_downloads_as_a_spreadsheet_too_and_the_download_is_audited(
    client: Client,
) -> None:
    organisation = OrganisationFactory.create()
    PractitionerTeacherFactory.create(person__organisation=organisation, person__last_name="Aaron")
    client.force_login(member(Role.COORDINATOR, organisation))

    page = client.get(reverse("teaching:pt-list"))
    workbook = client.get(reverse("teaching:pt-list"), {"download": "xlsx", "status": "active"})

    assert "Download as XLSX" in page.text
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(workbook.getvalue())).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]][:2] == ["Last name", "First name"]
    assert sheet["A2"].value == "Aaron"
    assert (
        AuditEvent.objects.unscoped("test")
        .filter(action=AuditAction.EXPORT, what__startswith="Practitioner teacher directory (xlsx")
        .exists()
    )


def test_a_coordinator_adds_a_new_person_to_the_directory(client: Client) -> None:
    organisation = OrganisationFactory.create()
    team = TeamFactory.create(organisation=organisation)
    client.force_login(member(Role.COORDINATOR, organisation))
    court = Expertise.objects.get(code="court_skills")

    response = client.post(
        reverse("teaching:pt-create"),
        {
            "first_name": "Sam",
            "last_name": "Okafor",
            "email": "sam.okafor@example.test",
            "team": team.pk,
            "status": "active",
            "expertise": [court.pk],
            "availability": "Tuesday afternoons",
        },
    )

    assert response.status_code == 302
    teacher = PractitionerTeacher.objects.unscoped("test").get(person__last_name="Okafor")
    assert teacher.person.team == team
    assert list(teacher.expertise.all()) == [court]
    assert teacher.joined_on == timezone.localdate()


def test_editing_an_entry_is_kept_in_its_history(client: Client) -> None:
    teacher = PractitionerTeacherFactory.create()
    client.force_login(member(Role.COORDINATOR, teacher.person.organisation))

    response = client.post(
        reverse("teaching:pt-edit", args=[teacher.pk]),
        {"status": "paused", "availability": "Mornings", "career_level": "Senior practitioner"},
    )

    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.status == PractitionerStatus.PAUSED
    page = client.get(reverse("teaching:pt-detail", args=[teacher.pk]))
    assert "Senior practitioner" in page.text
    assert teacher.history.count() >= 2


def test_a_practitioner_teacher_reads_their_entry_but_cannot_change_it(client: Client) -> None:
    teacher = PractitionerTeacherFactory.create()
    user = member(Role.PRACTITIONER_TEACHER, teacher.person.organisation)
    teacher.person.user = user
    teacher.person.save()
    client.force_login(user)

    assert client.get(reverse("teaching:pt-mine"), follow=True).status_code == 200
    assert client.get(reverse("teaching:pt-edit", args=[teacher.pk])).status_code == 404
    assert client.get(reverse("teaching:pt-list")).status_code == 403


def test_the_yearly_review_records_who_and_when_and_empties_the_overdue_list(
    client: Client,
) -> None:
    today = timezone.localdate()
    teacher = PractitionerTeacherFactory.create(reviewed_on=today - datetime.timedelta(days=400))
    never = PractitionerTeacherFactory.create(person__organisation=teacher.person.organisation)
    recent = PractitionerTeacherFactory.create(
        person__organisation=teacher.person.organisation, reviewed_on=today
    )
    coordinator = member(Role.COORDINATOR, teacher.person.organisation)
    overdue = set(selectors.reviews_overdue_visible_to(coordinator, today=today))
    assert overdue == {teacher, never}
    assert recent not in overdue
    client.force_login(coordinator)

    response = client.post(
        reverse("teaching:pt-review", args=[teacher.pk]),
        {
            "reviewed_on_0": str(today.day),
            "reviewed_on_1": str(today.month),
            "reviewed_on_2": str(today.year),
        },
    )

    assert response.status_code == 302
    teacher.refresh_from_db()
    assert (teacher.reviewed_on, teacher.reviewed_by) == (today, coordinator)
    assert set(selectors.reviews_overdue_visible_to(coordinator, today=today)) == {never}
    reviews = client.get(reverse("teaching:pt-reviews")).text
    assert reverse("teaching:pt-review", args=[teacher.pk]) not in reviews
    assert reverse("teaching:pt-review", args=[never.pk]) in reviews


def test_a_review_in_the_future_or_before_the_last_one_is_refused() -> None:
    teacher = PractitionerTeacherFactory.create(reviewed_on=datetime.date(2020, 1, 10))
    with pytest.raises(ValidationError, match="future"):
        services.review_practitioner_teacher(
            actor=None,
            teacher=teacher,
            reviewed_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    with pytest.raises(ValidationError, match="reviewed later"):
        services.review_practitioner_teacher(
            actor=None, teacher=teacher, reviewed_on=datetime.date(2019, 1, 10)
        )


def test_a_university_person_cannot_be_a_practitioner_teacher() -> None:
    person = PersonFactory.create(organisation=OrganisationFactory.create(kind="hei"))
    with pytest.raises(ValidationError, match="held by their employer"):
        services.create_practitioner_teacher(actor=None, person=person)


def test_the_coordinators_home_page_counts_the_entries_to_review(client: Client) -> None:
    teacher = PractitionerTeacherFactory.create(reviewed_on=None)
    client.force_login(member(Role.COORDINATOR, teacher.person.organisation))

    home = client.get(reverse("home"))

    assert "Practitioner teacher entries to review" in home.text
    assert reverse("teaching:pt-reviews") in home.text


def test_the_team_filter_lists_the_teams_of_the_chosen_organisation_only(client: Client) -> None:
    medway = OrganisationFactory.create(code="MC")
    kent = OrganisationFactory.create(code="KCC", partnership=medway.partnership)
    TeamFactory.create(organisation=medway, name="Medway duty team")
    TeamFactory.create(organisation=kent, name="Kent duty team")
    client.force_login(member(Role.PARTNERSHIP_MANAGER, medway))
    url = reverse("teaching:pt-list")

    every = client.get(url)
    medways = client.get(url, {"organisation": "MC"})
    swapped = client.get(url, {"organisation": "KCC"}, headers={"HX-Request": "true"})

    assert "Medway duty team" not in every.text
    assert "Kent duty team" not in every.text
    assert "Choose an organisation to choose one of its teams." in every.text
    assert "Medway duty team" in medways.text
    assert "Kent duty team" not in medways.text
    # the results htmx swaps in bring the chosen organisation's teams with them
    assert 'id="team-choice" hx-swap-oob="true"' in swapped.text
    assert "Kent duty team" in swapped.text
    assert "Medway duty team" not in swapped.text
