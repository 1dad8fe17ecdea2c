from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.organisations.tests.factories import PersonFactory, TeamFactory


def test_a_coordinator_sees_only_own_organisation_in_page_and_downloads(
    client: Client, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    TeamFactory.create(organisation=org_a)
    TeamFactory.create(organisation=org_b)
    PersonFactory.create(organisation=org_b)
    client.force_login(alice)
    url = reverse("reports:report-detail", args=["organisation-summary"])
    page = client.get(url).content.decode()
    assert "Alpha Council" in page
    assert "Beta University" not in page
    csv_text = client.get(url, {"download": "csv"}).getvalue().decode("utf-8-sig")
    assert "Alpha Council" in csv_text
    assert "Beta University" not in csv_text
    workbook = load_workbook(io.BytesIO(client.get(url, {"download": "xlsx"}).getvalue()))
    values = [cell.value for row in workbook["Report"].iter_rows() for cell in row]
    assert "Alpha Council" in values
    assert "Beta University" not in values


def test_asking_for_another_organisation_by_code_gives_nothing(
    client: Client, alice: User, org_b: Organisation
) -> None:
    client.force_login(alice)
    page = client.get(
        reverse("reports:report-detail", args=["organisation-summary"]), {"organisation": "BBB"}
    )
    assert "Beta University" not in page.content.decode()
    assert "No records match these filters" in page.content.decode()


def test_the_chart_has_its_data_and_the_table_is_always_there(
    client: Client, manager: User, org_a: Organisation
) -> None:
    TeamFactory.create(organisation=org_a)
    client.force_login(manager)
    page = client.get(
        reverse("reports:report-detail", args=["organisation-summary"])
    ).content.decode()
    assert 'id="report-chart-data"' in page
    assert "<table" in page


def test_a_filter_the_report_does_not_take_is_an_error_on_the_page(
    client: Client, manager: User
) -> None:
    client.force_login(manager)
    page = client.get(
        reverse("reports:report-detail", args=["organisation-summary"]), {"year": "2019/20"}
    )
    assert "govuk-error-summary" in page.content.decode()


def test_an_unknown_report_gets_404(client: Client, manager: User) -> None:
    client.force_login(manager)
    assert client.get(reverse("reports:report-detail", args=["no-such-report"])).status_code == 404


def test_a_student_cannot_open_reports(client: Client, org_a: Organisation) -> None:
    from practica.organisations.tests.factories import member

    client.force_login(member("student", org_a))
    assert (
        client.get(reverse("reports:report-detail", args=["organisation-summary"])).status_code
        == 403
    )


def test_the_page_offers_the_notes_as_their_own_csv(
    client: Client, alice: User, org_a: Organisation
) -> None:
    client.force_login(alice)
    url = reverse("reports:report-detail", args=["organisation-summary"])
    page = client.get(url, {"organisation": "AAA"}).content.decode()
    assert "organisation=AAA&amp;download=notes-csv" in page
    assert "Download the notes (CSV)" in page
    response = client.get(url, {"organisation": "AAA", "download": "notes-csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith('-aaa-notes.csv"')
    text = response.getvalue().decode("utf-8-sig")
    assert text.startswith("Note,Value")
    assert "Organisation,AAA" in text
    data = client.get(url, {"organisation": "AAA", "download": "csv"})
    assert data["Content-Disposition"].endswith('-aaa.csv"')
    assert data.getvalue().decode("utf-8-sig").startswith("Organisation,")
