"""The iCalendar file of an event (RFC 5545)."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.learning.events.ics import escape_text, event_calendar, fold
from practica.learning.events.models import Event
from practica.learning.tests.factories import EventFactory

NOW = datetime.datetime(2020, 1, 6, 9, 30, tzinfo=datetime.UTC)


def unfold(text: str) -> list[str]:
    """Content lines as a calendar program reads them (RFC 5545 §3.1)."""
    return text.replace("\r\n ", "").split("\r\n")


def properties(text: str) -> dict[str, str]:
    lines = unfold(text)
    return dict(line.split(":", 1) for line in lines if ":" in line)


def test_text_values_escape_backslashes_semicolons_commas_and_new_lines() -> None:
    assert escape_text("a\\b; c, d\ne\r\nf") == "a\\\\b\\; c\\, d\\ne\\nf"


def test_long_lines_fold_at_75_octets_without_splitting_a_character() -> None:
    line = "SUMMARY:" + "Développer une séance – " * 10
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert folded.replace("\r\n ", "") == line


def test_the_calendar_has_one_event_in_utc_with_crlf_line_ends(
    org_a: Organisation, org_b: Organisation
) -> None:
    start = timezone.make_aware(datetime.datetime(2020, 2, 27, 10, 0))  # GMT in February
    event = EventFactory.create(
        organisation=org_a,
        title="Joint forum; BAME students, struggling students",
        theme="Unconscious bias",
        description="Three sessions:\nBAME students' issues\nUnconscious bias",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3, minutes=30),
        place="Medway campus, room 2.14",
        online_link="https://meet.example/forum?id=1",
    )
    event.co_facilitators.set([org_b])
    text = event_calendar(
        event, url="https://practica.example/e/1/", host="practica.example", now=NOW
    )

    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == 1
    values = properties(text)
    assert values["VERSION"] == "2.0"
    assert values["UID"] == f"event-{event.pk}@practica.example"
    assert values["DTSTAMP"] == "20200106T093000Z"
    assert values["DTSTART"] == "20200227T100000Z"
    assert values["DTEND"] == "20200227T133000Z"
    assert values["SUMMARY"] == "Joint forum\\; BAME students\\, struggling students"
    assert values["LOCATION"] == "Medway campus\\, room 2.14\\, Online"
    assert values["CATEGORIES"] == "Unconscious bias"
    assert values["URL"] == "https://practica.example/e/1/"
    assert values["DESCRIPTION"] == (
        "Three sessions:\\nBAME students' issues\\nUnconscious bias\\n\\n"
        "Join online: https://meet.example/forum?id=1\\n\\n"
        "Organised by Alpha Council with Beta University."
    )


def test_summer_times_are_converted_to_utc(org_a: Organisation) -> None:
    start = timezone.make_aware(datetime.datetime(2019, 10, 10, 14, 0))  # BST
    event = EventFactory.create(
        organisation=org_a, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    values = properties(event_calendar(event, url="u", host="h", now=NOW))
    assert values["DTSTART"] == "20191010T130000Z"


def test_the_download_is_a_calendar_attachment(client: Client, bob: User, event: Event) -> None:
    client.force_login(bob)
    response = client.get(reverse("learning:event-calendar", args=[event.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="practica-event-{event.pk}.ics"'
    )
    values = properties(response.content.decode())
    assert values["SUMMARY"] == "Winter forum"
    assert values["URL"] == f"http://testserver/learning/events/{event.pk}/"
    assert values["UID"] == f"event-{event.pk}@testserver"
