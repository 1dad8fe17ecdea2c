"""SECURITY.md §11: a person's subject access export holds every record that names them, with
its history, and nothing of another person."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practica.accounts.models import Role, User
from practica.core.models import Organisation, SubjectAccessExport
from practica.core.services import update_person
from practica.educators.models import ApplicationScore
from practica.educators.tests.factories import PeApplicationFactory, SelectionCriterionFactory
from practica.learning.tests.factories import RegistrationFactory
from practica.organisations.subject_access import (
    SECRET_FIELDS,
    export_subject_access,
    subject_access_document,
)
from practica.organisations.tests.factories import PersonFactory, member
from practica.organisations.tests.subject_access_fixtures import (
    Held,
    cpd_survey,
    everything_for,
    exported_ids,
    sit_on_panel,
)


@pytest.fixture
def pat_and_quinn(org_a: Organisation) -> tuple[Held, Held]:
    survey = cpd_survey(org_a)
    pat = everything_for(org_a, survey, "Pat", "Subjectson")
    quinn = everything_for(org_a, survey, "Quinn", "Otherly")
    sit_on_panel(pat, quinn)
    sit_on_panel(quinn, pat)
    return pat, quinn


def test_it_holds_every_record_that_names_the_person(pat_and_quinn: tuple[Held, Held]) -> None:
    pat, _quinn = pat_and_quinn
    document = subject_access_document(pat.person)
    ids = exported_ids(document)
    assert ids["core.person"] == {pat.person.pk}
    assert pat.person.user is not None
    assert ids["accounts.user"] == {pat.person.user.pk}
    for label, expected in pat.ids.items():
        if label in {"learning.cpdneedsrating", "educators.applicationscore"}:
            continue  # parts of a response and an application, below
        assert ids.get(label) == expected, label


def test_a_responses_ratings_and_an_applications_scores_come_with_them(
    pat_and_quinn: tuple[Held, Held],
) -> None:
    pat, _quinn = pat_and_quinn
    sections = {s["model"]: s for s in subject_access_document(pat.person)["sections"]}
    response = sections["learning.cpdneedsresponse"]["records"][0]
    ratings = response["parts"]["Cpd needs ratings"]
    assert {row["id"] for row in ratings} == pat.ids["learning.cpdneedsrating"]
    application = sections["educators.peapplication"]["records"][0]
    assert application["fields"]["written statement"] == "Pat's statement"
    (score,) = application["parts"]["Application scores"]
    assert score["fields"]["comment"] == "Pat reflects well"


def test_nothing_of_another_person_is_in_it(pat_and_quinn: tuple[Held, Held]) -> None:
    pat, quinn = pat_and_quinn
    text = json.dumps(subject_access_document(pat.person))
    for trace in ("Quinn", "Otherly", "quinn@example.test"):
        assert trace not in text
    ids = exported_ids(subject_access_document(pat.person))
    for label, theirs in quinn.ids.items():
        assert not theirs & ids.get(label, set()), label


def test_the_application_they_sat_on_the_panel_of_is_named_by_id_only(
    pat_and_quinn: tuple[Held, Held],
) -> None:
    pat, quinn = pat_and_quinn
    sections = {s["model"]: s for s in subject_access_document(pat.person)["sections"]}
    (row,) = sections["educators.panelmember"]["records"]
    assert row["fields"]["application"] == f"practice educator application #{quinn.application.pk}"
    assert row["fields"]["person"] == "Pat Subjectson"


def test_each_record_carries_its_history_with_who_and_what_changed(
    org_a: Organisation, alice: User
) -> None:
    person = PersonFactory.create(organisation=org_a, first_name="Pat", job_title="Social worker")
    update_person(
        actor=alice,
        person=person,
        first_name="Pat",
        last_name=person.last_name,
        email=person.email,
        job_title="Senior social worker",
        team=None,
    )
    (section,) = [
        s for s in subject_access_document(person)["sections"] if s["relation"] == "person"
    ]
    created, changed = section["records"][0]["history"]
    assert created["action"] == "Created"
    assert changed["action"] == "Changed"
    assert changed["by"] == alice.display_name
    assert changed["changed"] == ["job title"]
    assert changed["fields"]["job title"] == "Senior social worker"


def test_a_record_since_deleted_still_shows_its_history(pat_and_quinn: tuple[Held, Held]) -> None:
    pat, _quinn = pat_and_quinn
    (registration_id,) = pat.ids["learning.registration"]
    registration = pat.person.registrations.get()
    registration._history_user = None  # type: ignore[attr-defined]  # simple_history reads it; models do not declare it
    registration.delete()
    sections = {s["model"]: s for s in subject_access_document(pat.person)["sections"]}
    (record,) = sections["learning.registration"]["records"]
    assert record["id"] == registration_id
    assert record["no_longer_held"] is True
    assert [version["action"] for version in record["history"]] == ["Created", "Deleted"]


def test_no_secret_reaches_the_export(pat_and_quinn: tuple[Held, Held]) -> None:
    pat, _quinn = pat_and_quinn
    assert pat.person.user is not None
    document = subject_access_document(pat.person)
    text = json.dumps(document)
    assert pat.person.user.password not in text
    token = pat.person.user.api_tokens.get()
    assert token.token_hash not in text
    labels = {s["model"] for s in document["sections"]}
    assert not labels & {"otp_totp.totpdevice", "otp_static.staticdevice"}
    assert document["secret_fields_left_out"] == SECRET_FIELDS


def test_a_person_without_a_login_has_no_login_section(org_a: Organisation) -> None:
    person = PersonFactory.create(organisation=org_a)
    document = subject_access_document(person)
    assert [s["relation"] for s in document["sections"]] == ["person"]


def test_the_zip_holds_the_json_document_and_the_export_is_recorded(
    pat_and_quinn: tuple[Held, Held], alice: User
) -> None:
    pat, _quinn = pat_and_quinn
    exported = export_subject_access(
        actor=alice, person=pat.person, channel="page", file_format="zip"
    )
    with zipfile.ZipFile(io.BytesIO(exported.content)) as archive:
        assert sorted(archive.namelist()) == ["README.txt", "subject-access.json"]
        document = json.loads(archive.read("subject-access.json"))
    assert document["person"]["name"] == "Pat Subjectson"
    assert exported.filename.startswith("subject-access-pat-subjectson-")
    record = SubjectAccessExport.objects.unscoped("test").get()
    assert (record.person, record.exported_by, record.channel) == (pat.person, alice, "page")
    assert record.history.get().history_user == alice
    # the next export shows the person who exported their data, and when
    sections = {s["model"]: s for s in subject_access_document(pat.person)["sections"]}
    (shown,) = sections["core.subjectaccessexport"]["records"]
    assert shown["fields"]["exported by"] == alice.display_name


def test_a_coordinators_actions_on_other_records_are_listed_by_id_only(
    pat_and_quinn: tuple[Held, Held], org_a: Organisation
) -> None:
    _pat, quinn = pat_and_quinn
    # named here, not a factory's random name, which could be "Quinn" (one of Faker's surnames)
    cora = member(
        Role.COORDINATOR,
        org_a,
        email="cora@example.test",
        first_name="Cora",
        last_name="Ordinator",
    )
    export_subject_access(actor=cora, person=quinn.person, channel="page", file_format="json")
    cora_person = PersonFactory.create(
        organisation=org_a, user=cora, first_name="Cora", last_name="Ordinator"
    )
    document = subject_access_document(cora_person)
    sections = {s["title"]: s for s in document["sections"]}
    export = SubjectAccessExport.objects.unscoped("test").get()
    exports = sections["Subject access exports (as exported by)"]
    assert exports["records"] == [{"id": export.pk}]
    changes = sections["Changes they made to subject access exports"]
    assert [(r["id"], r["action"]) for r in changes["records"]] == [(export.pk, "Created")]
    assert "Quinn" not in json.dumps(document)


def test_its_queries_do_not_grow_with_the_records_held(
    pat_and_quinn: tuple[Held, Held],
    org_a: Organisation,
    django_assert_max_num_queries: Any,
) -> None:
    pat, _quinn = pat_and_quinn
    with CaptureQueriesContext(connection) as few:
        subject_access_document(pat.person)
    for n in range(4):  # more rows, each with versions, parts and linked rows of its own
        application = PeApplicationFactory.create(organisation=org_a, applicant=pat.person)
        criterion = SelectionCriterionFactory.create(organisation=org_a)
        ApplicationScore.objects.create(application=application, criterion=criterion, score=3)
        RegistrationFactory.create(person=pat.person, event__organisation=org_a)
        update_person(
            actor=None,
            person=pat.person,
            first_name="Pat",
            last_name="Subjectson",
            email=pat.person.email,
            job_title=f"Practice educator {n}",
        )
    with django_assert_max_num_queries(len(few)):
        document = subject_access_document(pat.person)
    assert len(exported_ids(document)["educators.peapplication"]) == 5
