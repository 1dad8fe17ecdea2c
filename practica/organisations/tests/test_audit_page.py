"""The audit page (issue 15, "Audit that people can read"): partnership managers see every
change to a record of their partnership (from the history rows) and every sign-in, report
download, export and subject access export, with who, what, when and from where; they filter
it and download it as CSV. Other partnerships' entries never appear."""

from __future__ import annotations

import csv
import html
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.models import Role, User
from practica.accounts.permissions import VIEW
from practica.core import audit_log
from practica.core.audit import delete_audited, save_audited
from practica.core.models import AuditAction, AuditEvent, Organisation, Person
from practica.organisations import audit
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    TeamFactory,
    member,
    with_two_factor,
)

AUDIT = reverse("organisations:audit")
PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def other_org() -> Organisation:
    org: Organisation = OrganisationFactory.create(
        partnership=PartnershipFactory.create(name="Another partnership"),
        code="ZZZ",
        name="Zeta Council",
    )
    return org


def rows(client: Client, **query: str) -> list[dict[str, str]]:
    response = client.get(AUDIT, {**query, "download": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def test_changes_to_records_show_who_made_them_and_what_was_done(
    client: Client, manager: User, alice: User, org_a: Organisation
) -> None:
    person = save_audited(
        Person(organisation=org_a, first_name="Robin", last_name="Ash"), actor=alice
    )
    person.job_title = "Social worker"
    save_audited(person, actor=alice)
    pk = person.pk
    delete_audited(person, actor=alice)
    client.force_login(manager)
    found = [
        (row["Who"], row["What was done"], row["Record or details"])
        for row in rows(client, who="alice")
    ]
    assert found[:3] == [
        (alice.display_name, "Deleted", f"Person #{pk}"),
        (alice.display_name, "Changed", f"Person #{pk}"),
        (alice.display_name, "Created", f"Person #{pk}"),
    ]
    page = client.get(AUDIT).content.decode()
    assert f"Person #{pk}" in page


def test_another_partnerships_changes_and_events_never_appear(
    client: Client, manager: User, other_org: Organisation
) -> None:
    outsider = member(Role.COORDINATOR, other_org, email="zed@example.test")
    secret = save_audited(
        Person(organisation=other_org, first_name="Zed", last_name="Hidden"), actor=outsider
    )
    audit_log.record(user=outsider, action=AuditAction.REPORT_DOWNLOAD, what="Secret report")
    client.force_login(manager)
    text = client.get(AUDIT, {"download": "csv"}).getvalue().decode()
    assert "zed@example.test" not in text
    assert f"Person #{secret.pk}," not in text
    assert "Secret report" not in text


def test_a_sign_in_is_recorded_with_the_address_it_came_from(
    client: Client, manager: User, alice: User
) -> None:
    alice.set_password(PASSWORD)
    alice.save()
    response = client.post(
        reverse("accounts:login"),
        {"username": alice.email, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.17",
    )
    assert response.status_code == 302
    manager_client = Client()
    manager_client.force_login(manager)
    signed_in = rows(manager_client, what=AuditAction.SIGN_IN, where="192.0.2.")
    assert [(row["E-mail"], row["From where"]) for row in signed_in] == [
        (alice.email, "192.0.2.17")
    ]


def test_report_downloads_and_subject_access_exports_are_recorded(
    client: Client, manager: User, alice: User, org_a: Organisation
) -> None:
    pat = PersonFactory.create(organisation=org_a)
    client.force_login(alice)
    report = reverse("reports:report-detail", args=["organisation-summary"])
    assert client.get(report, {"download": "csv"}).status_code == 200
    assert (
        client.post(reverse("organisations:person-subject-access", args=[pat.pk])).status_code
        == 200
    )
    client.force_login(manager)
    downloads = rows(client, what=AuditAction.REPORT_DOWNLOAD)
    assert [(r["E-mail"], r["Record or details"]) for r in downloads] == [
        (alice.email, "Organisations, teams and people (csv)")
    ]
    exports = rows(client, what=AuditAction.SUBJECT_ACCESS_EXPORT)
    assert [(r["E-mail"], r["Record or details"]) for r in exports] == [
        (alice.email, f"Person #{pat.pk} (person's page)")
    ]


def test_filters_by_date_and_kind_of_record(
    client: Client, manager: User, alice: User, org_a: Organisation
) -> None:
    save_audited(Person(organisation=org_a, first_name="Robin", last_name="Ash"), actor=alice)
    client.force_login(manager)
    today = timezone.localdate().isoformat()
    assert rows(client, record="core.person", since=today)
    assert not rows(client, record="core.person", until="2000-01-01")
    assert all(
        row["Record or details"].startswith("Person #")
        for row in rows(client, record="core.person")
    )


def test_a_date_that_cannot_be_read_is_an_error_on_the_page(client: Client, manager: User) -> None:
    client.force_login(manager)
    page = client.get(AUDIT, {"since": "last week"}).content.decode()
    assert "From: enter a date such as 2026-09-01." in page


def test_downloading_the_audit_is_itself_recorded_and_cells_are_neutralised(
    client: Client, manager: User, alice: User, org_a: Organisation
) -> None:
    audit_log.record(user=alice, action=AuditAction.EXPORT, what="=HYPERLINK(1)")
    client.force_login(manager)
    found = rows(client, what=AuditAction.EXPORT)
    assert "'=HYPERLINK(1)" in [row["Record or details"] for row in found]
    newest = rows(client, what=AuditAction.EXPORT)[0]
    assert newest["Record or details"] == "Audit log (csv; filtered by What was done)"


def test_only_partnership_managers_see_the_page(
    client: Client, alice: User, manager: User, org_a: Organisation
) -> None:
    audit_log.record(user=manager, action=AuditAction.EXPORT, what="Report pe-register (CSV)")
    assert AuditEvent.objects.visible_to(manager).filter(what__startswith="Report").count() == 1
    client.force_login(alice)
    assert client.get(AUDIT).status_code == 403
    assert not AuditEvent.objects.visible_to(alice).filter(what__startswith="Report").exists()


def test_a_page_of_the_audit_is_one_statement_however_many_kinds_of_record_changed(
    manager: User, alice: User, org_a: Organisation
) -> None:
    person = save_audited(
        Person(organisation=org_a, first_name="Robin", last_name="Ash"), actor=alice
    )
    team = TeamFactory.build(organisation=org_a)
    save_audited(team, actor=alice)
    audit_log.record(user=alice, action=AuditAction.EXPORT, what="People (csv)")
    assert len(audit.historical_models()) > 20
    partnership_ids = permissions.partnership_ids_for(manager, VIEW, AuditEvent)  # as the view
    with CaptureQueriesContext(connection) as queries:
        page = audit.audit_page(manager, partnership_ids, audit.AuditFilters())
    # the union of every history table and the events, then the names of the people on it
    assert len(queries) == 2, [q["sql"][:300] for q in queries]
    assert {entry.what for entry in page.entries} >= {
        f"Person #{person.pk}",
        "People (csv)",
    }
    assert any(entry.what.startswith("Team #") for entry in page.entries)


def test_the_page_goes_on_to_older_entries(
    client: Client, manager: User, alice: User, org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit, "PAGE_ROWS", 2)
    for number in range(3):
        audit_log.record(user=alice, action=AuditAction.EXPORT, what=f"Export {number}")
    client.force_login(manager)
    first = client.get(AUDIT, {"what": AuditAction.EXPORT}).content.decode()
    assert "Export 2" in first
    assert "Export 1" in first
    assert "Export 0" not in first
    older = re.search(r'href="\?([^"]*)" rel="next"', first)
    assert older is not None
    assert "older_than=" in older.group(1)
    second = client.get(f"{AUDIT}?{html.unescape(older.group(1))}").content.decode()
    assert "Export 0" in second
    assert "Export 1" not in second
    assert 'rel="prev"' in second
    assert 'rel="next"' not in second


def test_the_audit_downloads_as_xlsx_too(
    client: Client, manager: User, alice: User, org_a: Organisation
) -> None:
    audit_log.record(user=alice, action=AuditAction.EXPORT, what="People (csv)")
    client.force_login(manager)
    response = client.get(AUDIT, {"download": "xlsx", "what": AuditAction.EXPORT})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == list(audit.CSV_HEADER)
    assert [row[4] for row in values[1:] if row[4] == "People (csv)"] == ["People (csv)"]


def test_a_failed_sign_in_is_recorded_with_the_name_tried_and_the_address_not_the_password(
    client: Client, manager: User, alice: User
) -> None:
    alice.set_password(PASSWORD)
    alice.save()
    response = client.post(
        reverse("accounts:login"),
        {"username": alice.email, "password": "wrong guess 1234"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 200
    client.post(
        reverse("accounts:login"),
        {"username": "nobody@example.test", "password": "wrong guess 1234"},
        REMOTE_ADDR="198.51.100.7",
    )
    manager_client = Client()
    manager_client.force_login(manager)
    failed = rows(manager_client, what=AuditAction.SIGN_IN_FAILED)
    assert [(r["E-mail"], r["What was done"], r["From where"]) for r in failed] == [
        (alice.email, "Failed to sign in", "198.51.100.7")
    ]
    # a name that is no one's is kept for administrators only, as typed
    unknown = AuditEvent.objects.unscoped("the test reads every event").filter(
        action=AuditAction.SIGN_IN_FAILED, user=None
    )
    assert [(e.what, e.address, e.partnership_id) for e in unknown] == [
        ("User name tried: nobody@example.test", "198.51.100.7", None)
    ]
    stored = " ".join(
        f"{e.what} {e.address}"
        for e in AuditEvent.objects.unscoped("the test reads every event").all()
    )
    assert "wrong guess" not in stored


def test_a_wrong_two_factor_code_shows_with_its_filter_and_address(
    client: Client, manager: User, alice: User
) -> None:
    alice.set_password(PASSWORD)
    alice.save()
    _device, codes = with_two_factor(alice)
    client.post(reverse("accounts:login"), {"username": alice.email, "password": PASSWORD})
    client.post(
        reverse("accounts:two-factor-verify"), {"code": "notacode1"}, REMOTE_ADDR="198.51.100.7"
    )
    manager_client = Client()
    manager_client.force_login(manager)
    page = manager_client.get(AUDIT).content.decode()
    assert f'value="{AuditAction.SECOND_FACTOR_FAILED}"' in page  # a choice of the filter
    wrong = rows(manager_client, what=AuditAction.SECOND_FACTOR_FAILED)
    assert [(r["E-mail"], r["What was done"], r["From where"]) for r in wrong] == [
        (alice.email, "Entered a wrong two-factor code", "198.51.100.7")
    ]
    assert "notacode1" not in str(wrong)
    assert codes[0] not in str(wrong)


def test_a_change_made_on_the_web_shows_the_address_it_came_from(
    client: Client, manager: User, alice: User, org_a: Organisation
) -> None:
    person = PersonFactory.create(organisation=org_a, first_name="Robin", last_name="Ash")
    client.force_login(alice)
    response = client.post(
        reverse("organisations:person-edit", args=[person.pk]),
        {"first_name": "Robin", "last_name": "Ashe", "email": person.email, "job_title": ""},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    client.force_login(manager)
    changed = rows(client, what="~", record="core.person", where="203.0.113.")
    assert [(r["E-mail"], r["Record or details"], r["From where"]) for r in changed] == [
        (alice.email, f"Person #{person.pk}", "203.0.113.9")
    ]
    assert not rows(client, what="~", record="core.person", where="192.0.2.")
