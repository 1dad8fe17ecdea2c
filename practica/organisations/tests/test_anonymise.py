"""Anonymising a person (issue 15, UK GDPR erasure): what identifies them is gone from their
records and every history version, their login is closed, and every registered report gives
the same totals before and after, over the populated demo partnership."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from practica.accounts.models import User
from practica.accounts.permissions import OPERATOR
from practica.core.models import AuditAction, AuditEvent, Organisation, Person
from practica.demo.data import load_demo
from practica.organisations.anonymise import ANONYMISED, anonymise_person
from practica.organisations.subject_access import (
    SUBJECT,
    _all_rows,
    relations,
    subject_access_document,
)
from practica.organisations.tests.factories import PersonFactory, member
from practica.reports.registry import ReportParams, all_reports, run_report


def totals() -> dict[str, Any]:
    """Each registered report as the operator sees it: its totals, how many rows, and the
    numbers of every row (names may change; what is counted may not)."""
    found: dict[str, Any] = {}
    for report in all_reports():
        result = run_report(report, OPERATOR, ReportParams()).as_json()
        numbers = sorted(
            json.dumps([v for v in row.values() if isinstance(v, int | float)])
            for row in result["rows"]
        )
        found[report.name] = (result["totals"], len(result["rows"]), numbers)
    return found


def people_with_rows() -> list[Person]:
    """One person (or login's person) with rows in each relation anonymisation overwrites."""
    chosen: dict[int, Person] = {}
    everyone = Person.objects.unscoped("the test picks people from the demo")
    for relation in relations():
        if relation.kind != SUBJECT or relation.key not in ANONYMISED:
            continue
        row = _all_rows(relation.model).order_by("pk").first()
        if row is None:
            continue
        target = getattr(row, relation.field.name)
        person = target if isinstance(target, Person) else getattr(target, "person", None)
        if isinstance(person, Person):
            chosen[person.pk] = person
    # and people with logins, whose login is closed too
    for person in everyone.filter(user__isnull=False).order_by("pk")[:3]:
        chosen[person.pk] = person
    return [everyone.get(pk=pk) for pk in sorted(chosen)]


# Reports whose figures anonymising changes by design, with the reason.
CHANGED_BY_DESIGN = {
    # Special category data given by consent: anonymising a practitioner teacher deletes their
    # answers, as withdrawing their consent does (teaching/tests/test_pt_diversity.py), so
    # they leave the report's counts.
    "pt-directory-diversity": "anonymising deletes the person's own diversity answers",
}


@pytest.mark.django_db
def test_every_report_gives_the_same_totals_after_people_are_anonymised() -> None:
    load_demo()
    people = people_with_rows()
    assert len(people) >= 5
    before = totals()
    assert any(rows for _totals, rows, _numbers in before.values())
    for person in people:
        anonymise_person(actor=None, person=person)
    after = totals()
    assert set(CHANGED_BY_DESIGN) <= set(after)
    for name in CHANGED_BY_DESIGN:
        del before[name], after[name]
    assert after == before


@pytest.fixture
def robin(org_a: Organisation) -> Person:
    person: Person = PersonFactory.create(
        organisation=org_a,
        first_name="Robin",
        last_name="Ashdown",
        email="robin.ashdown@example.test",
        job_title="Senior social worker",
    )
    person.user = member("practice_educator", org_a, email="robin.login@example.test")
    person.save()
    person.first_name = "Robyn"  # a second version in history
    person.save()
    return person


def test_names_and_addresses_are_gone_from_the_records_and_their_history(
    robin: Person, alice: User
) -> None:
    anonymise_person(actor=alice, person=robin)
    document = json.dumps(subject_access_document(robin))
    for word in ("Robin", "Robyn", "Ashdown", "robin.ashdown", "robin.login", "Senior social"):
        assert word not in document
    robin.refresh_from_db()
    assert robin.full_name == f"Anonymised person {robin.pk}"
    assert all(
        (version.first_name, version.email) == ("Anonymised", "") for version in robin.history.all()
    )


def test_the_login_is_closed_and_its_sessions_ended(
    client: Client, robin: Person, alice: User
) -> None:
    assert robin.user is not None
    client.force_login(robin.user)
    anonymise_person(actor=alice, person=robin)
    user = User.objects.get(pk=robin.user.pk)
    assert not user.is_active
    assert not user.has_usable_password()
    assert user.email.endswith("@anonymised.invalid")
    assert "_auth_user_id" not in client.session.load()


def test_anonymising_is_recorded_for_the_audit_and_can_run_twice(
    robin: Person, alice: User
) -> None:
    anonymise_person(actor=alice, person=robin)
    anonymise_person(actor=alice, person=robin)
    events = AuditEvent.objects.unscoped("test").filter(action=AuditAction.ANONYMISED)
    assert [(e.user, e.what) for e in events] == [(alice, f"Person #{robin.pk}")] * 2


def test_the_command_asks_for_yes_then_anonymises(robin: Person) -> None:
    out = io.StringIO()
    call_command("anonymise", "robin.ashdown@example.test", stdout=out)
    assert "Run again with --yes" in out.getvalue()
    robin.refresh_from_db()
    assert robin.first_name == "Robyn"
    call_command("anonymise", "robin.login@example.test", "--yes", stdout=out)
    robin.refresh_from_db()
    assert robin.first_name == "Anonymised"
    assert f"Anonymised person #{robin.pk}" in out.getvalue()


def test_the_command_refuses_an_unknown_address(db: None) -> None:
    with pytest.raises(CommandError, match="There is no person with the e-mail address"):
        call_command("anonymise", "nobody@example.test", "--yes")
