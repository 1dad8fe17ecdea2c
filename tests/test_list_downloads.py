"""Every list downloads as CSV and XLSX with its current filters, through the reports' writers
(``reports.lists``), and a download never holds a row of someone the viewer may not see."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from practica.accounts.models import Role, User
from practica.core.models import AuditAction, AuditEvent, Organisation, Partnership
from practica.educators.register.models import PepsStage
from practica.educators.tests.factories import PeApplicationFactory, PracticeEducatorFactory
from practica.learning.events.models import Attendance
from practica.learning.tests.factories import EventFactory, RegistrationFactory
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    member,
)
from practica.placements.tests.factories import StudentFactory

INSIDER, OUTSIDER = "Insiderson", "Outsiderson"
TODAY = datetime.date.today()


def _educator(org: Organisation, name: str, **fields: Any) -> None:
    PracticeEducatorFactory.create(person__organisation=org, person__last_name=name, **fields)


def _lapsing(org: Organisation, name: str) -> None:
    _educator(org, name, last_student_date=TODAY - datetime.timedelta(days=700))


def _stage2(org: Organisation, name: str) -> None:
    _educator(org, name, peps_stage=PepsStage.STAGE2)


def _application(org: Organisation, name: str) -> None:
    PeApplicationFactory.create(organisation=org, applicant__last_name=name)


def _person(org: Organisation, name: str) -> None:
    PersonFactory.create(organisation=org, last_name=name)


def _event(org: Organisation, name: str) -> None:
    EventFactory.create(organisation=org, title=f"Forum of {name}")


def _student(org: Organisation, name: str) -> None:
    StudentFactory.create(hei=org, person__organisation=org, person__last_name=name)


Make = Callable[[Organisation, str], None]
# list, its URL, who looks, the maker of a row; the viewer's organisation holds the insider
CASES: list[tuple[str, str, str, Make]] = [
    ("register", "educators:register", "la", _educator),
    ("Stage 2 register", "educators:shared-register", "hei", _stage2),
    ("lapsing", "educators:lapsing", "la", _lapsing),
    ("reviews due", "educators:reviews-due", "la", _educator),
    ("applications", "educators:application-list", "la", _application),
    ("events", "learning:event-list", "la", _event),
    ("people", "organisations:person-list", "la", _person),
    ("students", "placements:student-list", "hei", _student),
]


@pytest.fixture
def places(partnership: Partnership) -> dict[str, Organisation]:
    other_partnership = OrganisationFactory.create(
        code="XXX", partnership=PartnershipFactory.create(name="Another partnership")
    )
    return {
        "la": OrganisationFactory.create(partnership=partnership, code="LA1"),
        "other la": OrganisationFactory.create(partnership=partnership, code="LA2"),
        "hei": OrganisationFactory.create(partnership=partnership, code="HE1", kind="hei"),
        "other hei": OrganisationFactory.create(partnership=partnership, code="HE2", kind="hei"),
        "elsewhere": other_partnership,
    }


def rows_of(response: Any, ending: str) -> list[list[str]]:
    content = response.getvalue()
    if ending == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("ending", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("what", "url_name", "viewer_at", "make"), CASES, ids=[c[0] for c in CASES]
)
def test_a_list_downloads_its_rows_and_never_an_outsiders(
    client: Client,
    places: dict[str, Organisation],
    what: str,
    url_name: str,
    viewer_at: str,
    make: Make,
    ending: str,
) -> None:
    home = places[viewer_at]
    if what == "Stage 2 register":
        # a university reads the LAs' Stage 2 practice educators of its own partnership only
        make(places["la"], INSIDER)
        outsiders = [places["elsewhere"]]
    elif what == "events":
        # events are open to the whole partnership (docs/0007), never to another one
        make(home, INSIDER)
        outsiders = [places["elsewhere"]]
    else:
        make(home, INSIDER)
        outsiders = [places["other hei" if viewer_at == "hei" else "other la"], places["elsewhere"]]
    for org in outsiders:
        make(org, OUTSIDER)
    client.force_login(member(Role.COORDINATOR, home))
    response = client.get(reverse(url_name), {"download": ending})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{ending}"')
    rows = rows_of(response, ending)
    text = "\n".join(",".join(row) for row in rows)
    assert INSIDER in text
    assert OUTSIDER not in text
    assert len(rows) == 2  # the header first, then the one row


def test_a_download_keeps_the_lists_filters(
    client: Client, alice: User, org_a: Organisation
) -> None:
    _lapsing(org_a, "Lapsingham")
    _educator(org_a, "Currentson")
    client.force_login(alice)
    response = client.get(reverse("educators:register"), {"currency": "lapsing", "download": "csv"})
    text = response.getvalue().decode("utf-8-sig")
    assert "Lapsingham" in text
    assert "Currentson" not in text
    workbook = client.get(
        reverse("educators:register"), {"currency": "lapsing", "download": "xlsx"}
    ).getvalue()
    notes = load_workbook(io.BytesIO(workbook)).worksheets[1]
    assert ["Currency", "lapsing"] in [[c.value for c in row] for row in notes.iter_rows()]


def test_a_download_holds_every_page_of_the_list(
    client: Client, alice: User, org_a: Organisation
) -> None:
    for index in range(30):
        _educator(org_a, f"Person{index:02d}")
    client.force_login(alice)
    response = client.get(reverse("educators:register"), {"download": "csv", "page": "2"})
    assert len(rows_of(response, "csv")) == 31


def test_an_events_attendance_downloads_its_registrations_only_for_those_who_see_them(
    client: Client, alice: User, charlie: User, org_a: Organisation
) -> None:
    event = EventFactory.create(
        organisation=org_a,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        ends_at=timezone.now() - datetime.timedelta(hours=20),
    )
    RegistrationFactory.create(event=event, person__last_name=INSIDER, attended=Attendance.YES)
    RegistrationFactory.create(
        event=EventFactory.create(organisation=org_a), person__last_name=OUTSIDER
    )
    url = reverse("learning:event-attendance", args=[event.pk])
    client.force_login(alice)
    rows = rows_of(client.get(url, {"download": "csv"}), "csv")
    assert rows[0][:2] == ["Last name", "First name"]
    assert [row[0] for row in rows[1:]] == [INSIDER]
    assert rows[1][5] == "Attended"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:00", rows[1][6])  # local, to the minute
    client.force_login(charlie)  # another organisation's coordinator: no such page
    assert client.get(url, {"download": "csv"}).status_code == 404


def test_a_formula_in_a_cell_is_made_literal(
    client: Client, alice: User, org_a: Organisation
) -> None:
    _person(org_a, "=HYPERLINK(1)")
    client.force_login(alice)
    text = client.get(reverse("organisations:person-list"), {"download": "csv"}).getvalue()
    assert "'=HYPERLINK(1)" in text.decode("utf-8-sig")


def test_a_download_is_in_the_audit_log_with_its_filters_named_but_not_their_words(
    client: Client, alice: User, org_a: Organisation
) -> None:
    _lapsing(org_a, "Lapsingham")
    client.force_login(alice)
    client.get(
        reverse("educators:register"),
        {"currency": "lapsing", "search": "Lapsingham", "download": "xlsx"},
    )
    client.get(reverse("educators:register"))  # a page read is no download
    events = list(
        AuditEvent.objects.unscoped("test").filter(user=alice).exclude(action=AuditAction.SIGN_IN)
    )
    assert [event.action for event in events] == [AuditAction.EXPORT]
    assert "(xlsx; filtered by search, currency)" in events[0].what
    assert "Lapsingham" not in events[0].what
