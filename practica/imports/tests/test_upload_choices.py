"""The upload pages' choices: inviting imported users or not, several kinds at once from a ZIP
or workbook, and only the kinds the person may import."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts.models import Invitation, User
from practica.core.models import Location, Organisation, Person, Team
from practica.imports.models import ImportRun

USERS = (
    b"email,first_name,last_name,organisation,role\nnia@example.test,Nia,Okoro,AAA,coordinator\n"
)


def post(client: Client, url: str, files: dict[str, Any], capture: Any) -> str:
    with capture(execute=True):
        response = client.post(url, files)
    if response.status_code != 302:
        return response.content.decode()
    run = ImportRun.objects.unscoped("test").first()
    assert run is not None
    return client.get(reverse("imports:run-detail", args=[run.pk])).content.decode()


def test_users_upload_unticked_adds_the_account_without_an_invitation(
    client: Client,
    alice: User,
    org_a: Organisation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(alice)
    url = reverse("imports:upload", args=["users"])
    assert 'name="invite"' in client.get(url).content.decode()
    form = {"file": SimpleUploadedFile("users.csv", USERS), "action": "import"}
    post(client, url, form, django_capture_on_commit_callbacks)
    assert User.objects.filter(email="nia@example.test").exists()
    assert not Invitation.objects.unscoped("test").filter(email="nia@example.test").exists()
    assert mail.outbox == []


def test_users_upload_ticked_e_mails_a_link_to_this_site(
    client: Client,
    alice: User,
    org_a: Organisation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(alice)
    form = {"file": SimpleUploadedFile("users.csv", USERS), "action": "import", "invite": "on"}
    post(
        client, reverse("imports:upload", args=["users"]), form, django_capture_on_commit_callbacks
    )
    assert Invitation.objects.unscoped("test").filter(email="nia@example.test").exists()
    assert [message.to for message in mail.outbox] == [["nia@example.test"]]
    assert "http://testserver/" in mail.outbox[0].body


def test_a_kind_that_sends_no_invitations_offers_no_such_choice(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    page = client.get(reverse("imports:upload", args=["teams"])).content.decode()
    assert 'name="invite"' not in page


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


BATCH = {
    "people.csv": b"organisation,first_name,last_name,email,team\nAAA,Nia,Okoro,nia@example.test,Assessment\n",
    "teams.csv": b"organisation,name,service_area,location\nAAA,Assessment,childrens,Chatham\n",
}


def test_several_kinds_from_a_zip_are_imported_in_the_order_they_depend_on(
    client: Client,
    alice: User,
    org_a: Organisation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(alice)
    form = {"file": SimpleUploadedFile("onboarding.zip", zipped(BATCH)), "action": "import"}
    html = post(client, reverse("imports:upload-batch"), form, django_capture_on_commit_callbacks)
    assert "2 created, 0 updated, 0 unchanged" in html  # a team and a person
    person = (
        Person.objects.unscoped("test")
        .select_related("team__location")
        .get(email="nia@example.test")
    )
    assert person.team is not None
    assert person.team.location is not None
    assert person.team.location.name == "Chatham"


def test_one_bad_file_in_a_zip_imports_nothing_and_names_file_row_and_column(
    client: Client,
    alice: User,
    org_a: Organisation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(alice)
    bad = dict(BATCH, **{"teams.csv": b"organisation,name,service_area\nAAA,Assessment,kids\n"})
    form = {"file": SimpleUploadedFile("onboarding.zip", zipped(bad)), "action": "import"}
    html = post(client, reverse("imports:upload-batch"), form, django_capture_on_commit_callbacks)
    assert "teams.csv, row 2, column <code>service_area</code>" in html
    assert not Team.objects.unscoped("test").exists()
    assert not Location.objects.unscoped("test").exists()
    assert not Person.objects.unscoped("test").filter(email="nia@example.test").exists()


def test_the_several_kinds_page_refuses_a_single_csv_with_a_clear_error(
    client: Client, alice: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    client.force_login(alice)
    form = {"file": SimpleUploadedFile("teams.csv", BATCH["teams.csv"]), "action": "check"}
    html = post(client, reverse("imports:upload-batch"), form, django_capture_on_commit_callbacks)
    assert "Choose a .zip file or an Excel workbook (.xlsx)." in html
    assert not ImportRun.objects.unscoped("test").exists()


def test_a_coordinator_is_not_offered_the_command_line_only_partnership_kind(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    page = client.get(reverse("imports:kind-list")).content.decode()
    assert reverse("imports:upload", args=["teams"]) in page
    assert reverse("imports:upload", args=["partnership"]) not in page
