"""The events and event-registrations import kinds: every error names its row and column, a
file with any error writes nothing, and a second import of the same file changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from practica.accounts.models import User
from practica.core.models import Organisation, Person
from practica.imports.framework import BatchResult, ImportContext
from practica.imports.parsers import date_time
from practica.imports.testing import import_text
from practica.learning.events.importers import RegistrationImporter
from practica.learning.events.models import Event, Registration
from practica.learning.tests.factories import EventFactory
from practica.organisations.tests.factories import (
    LocationFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
)

EVENT_HEADER = (
    "organisation,title,starts,ends,kind,theme,audience,location,place,online_link,"
    "co_facilitators,capacity,registration_open,description\n"
)
FORUM = (
    "AAA,Autumn forum,2019-10-03 09:30,2019-10-03 12:30,joint_pe_forum,Reflective supervision,"
    "practice_educators,Chatham,,,BBB,40,no,Quarterly joint forum\n"
)
REGISTRATION_HEADER = (
    "organisation,event_title,event_starts,email,person_organisation,first_name,last_name,"
    "status,attended,registered_at\n"
)


def run(
    user: User, *files: tuple[str, str], dry_run: bool = False
) -> tuple[list[str], BatchResult]:
    return import_text(*files, viewer=user, dry_run=dry_run)


def counts() -> tuple[int, int]:
    return Event.objects.unscoped("test").count(), Registration.objects.unscoped("test").count()


def at(text: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


@pytest.fixture
def chatham(org_a: Organisation) -> None:
    LocationFactory.create(organisation=org_a, name="Chatham")


def test_an_events_file_creates_the_event_with_its_co_facilitators_and_location(
    alice: User, org_b: Organisation, chatham: None
) -> None:
    errors, _result = run(alice, ("events", EVENT_HEADER + FORUM))
    assert errors == []
    event = Event.objects.unscoped("test").select_related("location").get()
    assert (event.title, event.kind, event.capacity) == ("Autumn forum", "joint_pe_forum", 40)
    assert event.starts_at == at("2019-10-03 09:30")
    assert event.location is not None
    assert event.location.name == "Chatham"
    assert list(event.co_facilitators.all()) == [org_b]
    assert (event.registration_open, event.audience) == (False, "practice_educators")


def test_importing_the_same_events_file_again_changes_nothing(
    alice: User, org_b: Organisation, chatham: None
) -> None:
    run(alice, ("events", EVENT_HEADER + FORUM))
    _errors, result = run(alice, ("events", EVENT_HEADER + FORUM))
    assert result.counts() == {"create": 0, "update": 0, "unchanged": 1}


def test_a_changed_row_updates_the_event_found_by_organiser_title_and_start(
    alice: User, org_b: Organisation, chatham: None
) -> None:
    run(alice, ("events", EVENT_HEADER + FORUM))
    _errors, result = run(alice, ("events", EVENT_HEADER + FORUM.replace(",40,", ",60,")))
    assert result.counts()["update"] == 1
    assert Event.objects.unscoped("test").get().capacity == 60


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (FORUM.replace("2019-10-03 09:30", "next Tuesday"), "row 2, column starts: “next Tuesday”"),
        (
            FORUM.replace("2019-10-03 12:30", "2019-10-03 08:00"),
            "row 2, column ends: The event must end after it starts.",
        ),
        (FORUM.replace("joint_pe_forum", "party"), "row 2, column kind: “party” is not one of"),
        (
            FORUM.replace(",BBB,", ",ZZZ,"),
            "row 2, column co_facilitators: there is no organisation",
        ),
        (
            FORUM.replace(",BBB,", ",,"),
            "row 2, column co_facilitators: A quarterly joint forum is facilitated",
        ),
        (FORUM.replace("Chatham", "Atlantis"), "row 2, column location: there is no location"),
        (FORUM.replace(",40,", ",0,"), "row 2, column capacity: 0 is below"),
        (FORUM.replace(",no,", ",perhaps,"), "row 2, column registration_open: “perhaps”"),
        (FORUM.replace("AAA,", "BBB,", 1), "row 2, column organisation: you cannot import"),
        (
            FORUM.replace("Chatham", "").replace(",,,BBB", ",,not a link,BBB"),
            "row 2, column online_link: Enter a valid URL.",
        ),
    ],
)
def test_each_event_error_names_its_row_and_column_and_nothing_is_written(
    alice: User, org_b: Organisation, chatham: None, row: str, expected: str
) -> None:
    good = FORUM.replace("Autumn forum", "Winter forum")
    errors, result = run(alice, ("events", EVENT_HEADER + good + row))
    assert any(error.startswith(expected.replace("row 2", "row 3")) for error in errors), errors
    assert not result.applied
    assert counts() == (0, 0)


@pytest.fixture
def past_forum(org_a: Organisation) -> Event:
    starts = at("2019-10-03 09:30")
    return EventFactory.create(
        organisation=org_a,
        title="Autumn forum",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        capacity=1,
    )


@pytest.fixture
def nia(org_a: Organisation) -> Person:
    return PersonFactory.create(organisation=org_a, email="nia@example.test", first_name="Nia")


def registration(email: str = "nia@example.test", status: str = "", attended: str = "yes") -> str:
    return f"AAA,Autumn forum,2019-10-03 09:30,{email},,,,{status},{attended},\n"


def test_a_registrations_file_records_places_and_attendance_of_a_past_event(
    alice: User, past_forum: Event, nia: Person, org_a: Organisation
) -> None:
    PersonFactory.create(organisation=org_a, email="", first_name="Sam", last_name="Oduya")
    sheet = (
        REGISTRATION_HEADER
        + registration()
        + "AAA,Autumn forum,2019-10-03 09:30,,AAA,Sam,Oduya,registered,no,2019-09-01 10:00\n"
    )
    errors, _result = run(alice, ("event-registrations", sheet))
    assert errors == []
    came = {r.person.first_name: (r.status, r.attended) for r in past_forum.registrations.all()}
    assert came == {"Nia": ("registered", "yes"), "Sam": ("registered", "no")}
    _errors, again = run(alice, ("event-registrations", sheet))
    assert again.counts() == {"create": 0, "update": 0, "unchanged": 2}


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            registration().replace("Autumn forum", "Spring forum"),
            "column event_title: AAA has no event “Spring forum”",
        ),
        (registration("who@example.test"), "column email: no such person"),
        (registration(status="waitlisted"), "column attended: Attendance can only be recorded"),
        (registration(attended="maybe"), "column attended: “maybe” is not one of"),
        (
            "AAA,Autumn forum,2019-10-03 09:30,,AAA,Sam,,registered,yes,\n",
            "column email: is empty; give the e-mail address, or the organisation and name.",
        ),
        (
            registration().replace("2019-10-03 09:30", "2999-10-03 09:30"),
            "column attended: Attendance can be recorded once the event has started.",
        ),
    ],
)
def test_each_registration_error_names_its_row_and_column_and_nothing_is_written(
    alice: User, past_forum: Event, nia: Person, row: str, expected: str
) -> None:
    errors, result = run(alice, ("event-registrations", REGISTRATION_HEADER + row))
    assert any(error.startswith(f"row 2, {expected}") for error in errors), errors
    assert not result.applied
    assert counts() == (1, 0)


def test_a_person_of_another_partnership_cannot_be_registered_nor_confirmed_to_exist(
    alice: User, past_forum: Event
) -> None:
    elsewhere = OrganisationFactory.create(partnership=PartnershipFactory.create(name="Far"))
    PersonFactory.create(organisation=elsewhere, email="far@example.test")
    errors, _result = run(
        alice, ("event-registrations", REGISTRATION_HEADER + registration("far@example.test"))
    )
    assert errors == [
        "row 2, column email: cannot be used for this row. Check it is the person's own "
        "address; if it is, ask a partnership manager."
    ]


def test_places_beyond_the_capacity_of_a_coming_event_roll_the_whole_file_back(
    alice: User, org_a: Organisation
) -> None:
    starts = timezone.localtime(timezone.now() + datetime.timedelta(days=10)).replace(
        second=0, microsecond=0
    )
    EventFactory.create(organisation=org_a, title="Spring forum", starts_at=starts, capacity=1)
    for name in ("ada", "bea"):
        PersonFactory.create(organisation=org_a, email=f"{name}@example.test")
    when = starts.strftime("%Y-%m-%d %H:%M")
    sheet = REGISTRATION_HEADER + "".join(
        f"AAA,Spring forum,{when},{name}@example.test,,,,registered,,\n" for name in ("ada", "bea")
    )
    errors, result = run(alice, ("event-registrations", sheet))
    assert errors == [
        "event-registrations.csv, row 3, column status: Spring forum is full: no place is left "
        "to record."
    ]
    assert not result.applied
    assert Registration.objects.unscoped("test").count() == 0


def test_events_and_registrations_import_together_in_one_batch(
    alice: User, org_b: Organisation, chatham: None, nia: Person
) -> None:
    registrations = REGISTRATION_HEADER + registration()
    errors, result = run(
        alice, ("events", EVENT_HEADER + FORUM), ("event-registrations", registrations)
    )
    assert errors == []
    assert result.applied
    assert counts() == (1, 1)


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(
    alice: User, org_b: Organisation, chatham: None
) -> None:
    errors, result = run(alice, ("events", EVENT_HEADER + FORUM), dry_run=True)
    assert errors == []
    assert result.counts()["create"] == 1
    assert counts() == (0, 0)


def test_the_export_reads_back_as_the_same_rows(
    alice: User, past_forum: Event, nia: Person
) -> None:
    run(alice, ("event-registrations", REGISTRATION_HEADER + registration()))
    rows = RegistrationImporter().export_rows(alice)
    assert rows == [
        {
            "organisation": "AAA",
            "event_title": "Autumn forum",
            "event_starts": "2019-10-03 09:30",
            "email": "nia@example.test",
            "person_organisation": "",
            "first_name": "",
            "last_name": "",
            "status": "registered",
            "attended": "yes",
            "registered_at": rows[0]["registered_at"],
        }
    ]


@settings(deadline=None)  # no timing assertions: a first call loading zone data may be slow
@given(
    st.datetimes(
        min_value=datetime.datetime(1990, 1, 1), max_value=datetime.datetime(2100, 1, 1)
    ).map(lambda moment: moment.replace(second=0, microsecond=0))
)
def test_a_date_and_time_written_as_exported_parses_back_to_the_same_moment(
    moment: datetime.datetime,
) -> None:
    aware = timezone.make_aware(moment)
    written = timezone.localtime(aware).strftime("%Y-%m-%d %H:%M")
    context = ImportContext(actor=None, viewer=None)  # type: ignore[arg-type]  # a date reads no viewer
    assert date_time(written, context) == aware


def _registrations(people: list[Person]) -> str:
    return REGISTRATION_HEADER + "".join(
        f"AAA,Forum,2019-10-03 09:30,{person.email},,,,registered,,\n" for person in people
    )


def test_checking_a_registrations_file_looks_the_event_up_once_and_each_person_once(
    alice: User, org_a: Organisation, django_assert_max_num_queries: Any
) -> None:
    EventFactory.create(organisation=org_a, title="Forum", starts_at=at("2019-10-03 09:30"))
    people = PersonFactory.create_batch(12, organisation=org_a)
    with CaptureQueriesContext(connection) as two:
        run(alice, ("event-registrations", _registrations(people[:2])), dry_run=True)
    # each further row: its person and its registration, nothing else
    with django_assert_max_num_queries(len(two.captured_queries) + 2 * 10):
        errors, result = run(
            alice, ("event-registrations", _registrations(people[2:])), dry_run=True
        )
    assert errors == []
    assert result.counts()["create"] == 10
