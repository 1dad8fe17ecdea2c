"""Issue 11: a practice educator records CPD done outside Practica's events, with evidence; their
coordinator sees it; nobody else does."""

from __future__ import annotations

import base64
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import User
from practica.core.models import Organisation, Person
from practica.learning.events import selectors
from practica.learning.outside import services
from practica.learning.outside.models import OutsideCpd
from practica.learning.tests.factories import OutsideCpdFactory
from practica.organisations.anonymise import anonymise_person
from practica.organisations.subject_access import subject_access_document

PDF = b"%PDF-1.4\n a certificate of attendance"
LAST_MONTH = timezone.localdate() - datetime.timedelta(days=30)


def _post(client: Client, url: str, **overrides: object) -> object:
    data: dict[str, object] = {
        "title": "Supervision skills course",
        "done_on_0": str(LAST_MONTH.day),
        "done_on_1": str(LAST_MONTH.month),
        "done_on_2": str(LAST_MONTH.year),
        "hours": "6",
        "provider": "Research in Practice",
        "reflection": "Feedback after a direct observation.",
        "evidence": SimpleUploadedFile("certificate.pdf", PDF, "application/pdf"),
    }
    data.update(overrides)
    return client.post(url, data)


def test_a_practice_educator_records_outside_cpd_with_evidence_and_sees_it_in_their_record(
    client: Client, bob: User, bob_person: Person
) -> None:
    client.force_login(bob)

    response = _post(client, reverse("learning:outside-cpd-add"))

    assert response.status_code == 302  # type: ignore[attr-defined]
    page = client.get(reverse("learning:my-cpd-record")).content.decode()
    assert "Supervision skills course" in page
    assert "certificate.pdf" in page
    (entry,) = selectors.cpd_record_for(bob, bob_person).outside
    assert entry.hours == Decimal("6")
    assert entry.done_on == LAST_MONTH
    download = client.get(reverse("learning:outside-cpd-evidence", args=[entry.pk]))
    assert download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="certificate.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"


def test_the_form_reads_the_date_fields_and_shows_its_errors(
    client: Client, bob: User, bob_person: Person
) -> None:
    client.force_login(bob)
    response = _post(client, reverse("learning:outside-cpd-add"), title="", hours="0")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert not OutsideCpd.objects.visible_to(bob).exists()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("certificate.pdf", b"just some text", "is not a PDF, PNG or JPEG"),
        ("certificate.png", PDF, "Rename it to end in .pdf"),
        ("certificate.pdf", b"", "is empty"),
        ("photo.jpg", b"\x89PNG\r\n\x1a\n....", "Rename it to end in .png"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(
    bob: User, bob_person: Person, name: str, content: bytes, says: str
) -> None:
    with pytest.raises(ValidationError, match=says):
        services.record_outside_cpd(
            actor=bob,
            person=bob_person,
            title="Course",
            done_on=LAST_MONTH,
            hours=Decimal("2"),
            provider="Anyone",
            evidence=(name, content),
        )
    assert not OutsideCpd.objects.visible_to(bob).exists()


@override_settings(IMPORT_MAX_BYTES=1024)
def test_a_file_over_the_upload_limit_is_refused(bob: User, bob_person: Person) -> None:
    with pytest.raises(ValidationError, match="are refused"):
        services.record_outside_cpd(
            actor=bob,
            person=bob_person,
            title="Course",
            done_on=LAST_MONTH,
            hours=Decimal("2"),
            provider="Anyone",
            evidence=("big.pdf", PDF + b"x" * 2048),
        )


def test_the_file_name_loses_any_folder(bob: User, bob_person: Person) -> None:
    entry = services.record_outside_cpd(
        actor=bob,
        person=bob_person,
        title="Course",
        done_on=LAST_MONTH,
        hours=Decimal("2"),
        provider="Anyone",
        evidence=('..\\..\\evil"name.pdf', PDF),
    )
    assert entry.evidence_name == "evilname.pdf"


def test_a_date_in_the_future_is_refused(bob: User, bob_person: Person) -> None:
    with pytest.raises(ValidationError, match="today or in the past"):
        services.record_outside_cpd(
            actor=bob,
            person=bob_person,
            title="Course",
            done_on=timezone.localdate() + datetime.timedelta(days=1),
            hours=Decimal("2"),
            provider="Anyone",
        )


def test_nobody_records_outside_cpd_for_someone_else(alice: User, bob_person: Person) -> None:
    with pytest.raises(PermissionDenied):
        services.record_outside_cpd(
            actor=alice,
            person=bob_person,
            title="Course",
            done_on=LAST_MONTH,
            hours=Decimal("2"),
            provider="Anyone",
        )


def test_their_coordinator_sees_it_and_its_evidence_but_may_not_change_it(
    client: Client, alice: User, bob_person: Person
) -> None:
    entry = OutsideCpdFactory.create(person=bob_person, evidence=PDF)
    client.force_login(alice)

    assert [e.pk for e in selectors.cpd_record_for(alice, bob_person).outside] == [entry.pk]
    assert client.get(reverse("learning:outside-cpd-evidence", args=[entry.pk])).content == PDF
    assert client.get(reverse("learning:outside-cpd-edit", args=[entry.pk])).status_code == 404
    assert client.post(reverse("learning:outside-cpd-remove", args=[entry.pk])).status_code == 404
    assert OutsideCpd.objects.visible_to(alice).filter(pk=entry.pk).exists()


def test_another_organisations_coordinator_gets_404_on_its_evidence(
    client: Client, charlie: User, bob_person: Person
) -> None:
    entry = OutsideCpdFactory.create(person=bob_person)
    client.force_login(charlie)
    response = client.get(reverse("learning:outside-cpd-evidence", args=[entry.pk]))
    assert response.status_code == 404


def test_the_educator_changes_and_removes_their_own_entry(
    client: Client, bob: User, bob_person: Person
) -> None:
    entry = OutsideCpdFactory.create(person=bob_person, evidence=PDF)
    client.force_login(bob)

    _post(
        client,
        reverse("learning:outside-cpd-edit", args=[entry.pk]),
        title="Renamed course",
        evidence="",
    )
    entry.refresh_from_db()
    assert entry.title == "Renamed course"
    assert bytes(entry.evidence) == PDF  # no new file keeps the old one
    client.post(reverse("learning:outside-cpd-remove", args=[entry.pk]))
    assert not OutsideCpd.objects.visible_to(bob).exists()


def test_it_is_in_the_subject_access_export_with_its_file(
    bob_person: Person, org_a: Organisation
) -> None:
    OutsideCpdFactory.create(person=bob_person, title="Conference", evidence=PDF)
    sections = {s["model"]: s for s in subject_access_document(bob_person)["sections"]}
    (record,) = sections["learning.outsidecpd"]["records"]
    assert record["fields"]["what it was"] == "Conference"
    encoded = record["fields"]["evidence file"]["file, base64-encoded"]
    assert base64.b64decode(encoded) == PDF


def test_anonymising_the_educator_wipes_the_reflection_and_the_evidence(
    bob_person: Person,
) -> None:
    entry = OutsideCpdFactory.create(person=bob_person, evidence=PDF)
    anonymise_person(actor=None, person=bob_person)
    entry.refresh_from_db()
    assert (entry.reflection, entry.evidence_name, bytes(entry.evidence)) == ("", "", b"")
    assert entry.title.startswith("Research in Practice webinar")
