from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts.models import User
from practica.core.models import Organisation, Team
from practica.imports.models import ImportRun


def upload(client: Client, content: bytes, action: str, name: str = "teams.csv") -> None:
    response = client.post(
        reverse("imports:upload", args=["teams"]),
        {"file": SimpleUploadedFile(name, content), "action": action},
    )
    assert response.status_code == 302


def latest_run_page(client: Client) -> str:
    run = ImportRun.objects.unscoped("test").first()
    assert run is not None
    return client.get(reverse("imports:run-detail", args=[run.pk])).content.decode()


def test_check_then_import_from_the_page(
    client: Client,
    alice: User,
    org_a: Organisation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, b"organisation,name,service_area\nAAA,Assessment,childrens\n", "check")
    html = latest_run_page(client)
    assert "Every row is correct. Nothing has been imported yet." in html
    assert not Team.objects.unscoped("test").exists()
    run = ImportRun.objects.unscoped("test").get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:run-import", args=[run.pk]))
    html = latest_run_page(client)
    assert "1 created, 0 updated, 0 unchanged" in html
    assert Team.objects.unscoped("test").get().name == "Assessment"
    assert "Created: Assessment" in html  # the records it created are listed


def test_errors_show_as_an_error_summary_with_row_and_column(
    client: Client,
    alice: User,
    org_a: Organisation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, b"organisation,name,service_area\nAAA,A,kids\nBBB,B,adults\n", "import")
    html = latest_run_page(client)
    assert "govuk-error-summary" in html
    assert "row 2, column <code>service_area</code>" in html
    assert "row 3, column organisation: there is no organisation with the code “BBB”." in html
    assert not Team.objects.unscoped("test").exists()


def test_a_failed_import_names_its_kind_and_links_to_upload_a_corrected_file(
    client: Client,
    alice: User,
    org_a: Organisation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, b"organisation,name,service_area\nAAA,A,kids\n", "check")
    html = latest_run_page(client)
    assert "Checking teams" in html
    upload_url = reverse("imports:upload", args=["teams"])
    assert f'href="{upload_url}">Upload a corrected file</a>' in html
    listed = client.get(reverse("imports:run-list")).content.decode()
    assert ">Teams</td>" in listed


def test_an_import_cannot_be_confirmed_twice(
    client: Client,
    alice: User,
    org_a: Organisation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, b"organisation,name,service_area\nAAA,Assessment,childrens\n", "check")
    run = ImportRun.objects.unscoped("test").get()
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("imports:run-import", args=[run.pk]))
    assert ImportRun.objects.unscoped("test").count() == 2
    assert Team.objects.unscoped("test").count() == 1


def test_an_empty_form_says_what_is_missing(client: Client, alice: User) -> None:
    client.force_login(alice)
    page = client.post(reverse("imports:upload", args=["teams"]), {"action": "check"})
    assert "govuk-error-summary" in page.content.decode()
    assert not ImportRun.objects.unscoped("test").exists()


def test_the_template_has_the_header_row_and_a_notes_sheet(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.get(reverse("imports:template", args=["teams"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in workbook.worksheets[0][1]] == [
        "organisation",
        "name",
        "service_area",
        "location",
    ]
    assert workbook.sheetnames[1] == "Notes"


def test_an_unknown_kind_gets_404(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert client.get(reverse("imports:upload", args=["spaceships"])).status_code == 404


def test_a_practice_educator_cannot_import(client: Client, bob: User) -> None:
    client.force_login(bob)
    assert client.get(reverse("imports:upload", args=["teams"])).status_code == 403
    assert client.get(reverse("imports:template", args=["teams"])).status_code == 403


def test_another_organisations_run_is_not_listed(
    client: Client, alice: User, charlie: User, org_b: Organisation
) -> None:
    ImportRun.objects.create(
        kind="teams", file_name="theirs.csv", organisation=org_b, created_by=charlie
    )
    client.force_login(alice)
    assert "theirs.csv" not in client.get(reverse("imports:run-list")).content.decode()
