"""The "Download everything we hold about this person" button on a person's page: for the
coordinators of the person's organisation and the partnership's managers; 404 for anyone else."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from practica.accounts.models import User
from practica.core.models import Organisation, Person, SubjectAccessExport
from practica.organisations.tests.factories import PersonFactory


@pytest.fixture
def pat(org_a: Organisation) -> Person:
    person: Person = PersonFactory.create(organisation=org_a, first_name="Pat", last_name="Lee")
    return person


def url(person: Person) -> str:
    return reverse("organisations:person-subject-access", args=[person.pk])


def test_a_coordinator_of_their_organisation_downloads_everything(
    client: Client, alice: User, pat: Person
) -> None:
    client.force_login(alice)
    response = client.post(url(pat))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="subject-access-pat-lee-'
    )
    assert response["Content-Disposition"].endswith('.zip"')
    assert response["Cache-Control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        document = json.loads(archive.read("subject-access.json"))
    assert document["person"]["name"] == "Pat Lee"


def test_each_download_is_recorded_and_listed_on_the_page(
    client: Client, alice: User, pat: Person
) -> None:
    client.force_login(alice)
    client.post(url(pat))
    export = SubjectAccessExport.objects.unscoped("test").get()
    assert (export.person, export.exported_by, export.channel) == (pat, alice, "page")
    page = client.get(reverse("organisations:person-detail", args=[pat.pk])).content.decode()
    assert "Download everything we hold about this person" in page
    assert f"by {alice.display_name}" in page


def test_a_partnership_manager_may_download_it_too(
    client: Client, manager: User, org_b: Organisation
) -> None:
    client.force_login(manager)
    other_organisations_person = PersonFactory.create(organisation=org_b)
    assert client.post(url(other_organisations_person)).status_code == 200


def test_a_get_changes_nothing(client: Client, alice: User, pat: Person) -> None:
    client.force_login(alice)
    assert client.get(url(pat)).status_code == 405
    assert not SubjectAccessExport.objects.unscoped("test").exists()


def test_a_coordinator_of_another_organisation_gets_404(
    client: Client, charlie: User, pat: Person
) -> None:
    client.force_login(charlie)
    assert client.post(url(pat)).status_code == 404
    assert client.get(url(pat)).status_code == 404
    assert not SubjectAccessExport.objects.unscoped("test").exists()


def test_a_practice_educator_of_the_same_organisation_gets_404_and_no_button(
    client: Client, bob: User, alice: User, pat: Person
) -> None:
    client.force_login(bob)
    assert client.post(url(pat)).status_code == 404
    assert not SubjectAccessExport.objects.unscoped("test").exists()


def test_a_line_manager_who_may_view_the_person_gets_no_button_and_404(
    client: Client, org_a: Organisation, pat: Person
) -> None:
    from practica.accounts.models import Role
    from practica.organisations.tests.factories import member

    client.force_login(member(Role.LINE_MANAGER, org_a))
    page = client.get(reverse("organisations:person-detail", args=[pat.pk]))
    assert page.status_code == 200
    assert "Download everything" not in page.content.decode()
    assert client.post(url(pat)).status_code == 404
