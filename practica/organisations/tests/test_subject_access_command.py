"""`practica subject-access EMAIL [--output FILE]`: for whoever runs the server; recorded as
the command line's."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from practica.core.models import Organisation, Person, SubjectAccessExport
from practica.organisations.tests.factories import PersonFactory, UserFactory


@pytest.fixture
def pat(org_a: Organisation) -> Person:
    person: Person = PersonFactory.create(
        organisation=org_a, first_name="Pat", last_name="Lee", email="pat@example.test"
    )
    return person


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("subject-access", *args, stdout=out)
    return out.getvalue()


def test_it_writes_the_json_document_to_standard_output(pat: Person) -> None:
    document = json.loads(run("PAT@example.test"))
    assert document["person"] == {
        "id": pat.pk,
        "name": "Pat Lee",
        "email": "pat@example.test",
        "organisation": str(pat.organisation),
    }
    export = SubjectAccessExport.objects.unscoped("test").get()
    assert (export.person, export.exported_by, export.channel) == (pat, None, "command_line")
    assert export.file_format == "json"


def test_it_finds_a_person_by_their_logins_address_too(org_a: Organisation) -> None:
    user = UserFactory.create(email="login@example.test")
    person = PersonFactory.create(organisation=org_a, user=user, email="")
    assert json.loads(run("login@example.test"))["person"]["id"] == person.pk


def test_it_writes_a_zip_when_the_output_ends_in_zip(pat: Person, tmp_path: Path) -> None:
    output = tmp_path / "pat.zip"
    assert run(pat.email, "--output", str(output)) == (
        f"Exported everything held about Pat Lee to {output}.\n"
    )
    with zipfile.ZipFile(output) as archive:
        assert json.loads(archive.read("subject-access.json"))["person"]["id"] == pat.pk
    assert SubjectAccessExport.objects.unscoped("test").get().file_format == "zip"


def test_it_writes_json_to_any_other_file(pat: Person, tmp_path: Path) -> None:
    output = tmp_path / "pat.json"
    run(pat.email, "--output", str(output))
    assert json.loads(output.read_text())["person"]["id"] == pat.pk


@pytest.mark.parametrize("email", ["nobody@example.test", "not an address"])
def test_an_unknown_address_is_one_sentence_and_exit_code_2(db: None, email: str) -> None:
    with pytest.raises(CommandError) as error:
        run(email)
    assert str(error.value) == f"There is no person with the e-mail address {email}."
    assert error.value.returncode == 2
    assert not SubjectAccessExport.objects.unscoped("test").exists()


def test_a_missing_folder_is_one_sentence_and_exit_code_2(pat: Person, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as error:
        run(pat.email, "--output", str(tmp_path / "nowhere" / "pat.zip"))
    assert str(error.value) == f"There is no folder {tmp_path / 'nowhere'}."
    assert error.value.returncode == 2
    assert not SubjectAccessExport.objects.unscoped("test").exists()


def test_an_empty_address_is_refused(pat: Person) -> None:
    PersonFactory.create(organisation=pat.organisation, email="")
    with pytest.raises(CommandError) as error:
        run(" ")
    assert str(error.value) == "Give the e-mail address of the person to export."
    assert error.value.returncode == 2
