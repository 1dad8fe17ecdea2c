"""The cpd-events report: events and attendance per theme and organising organisation."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.models import User
from practica.core.models import Organisation, Person
from practica.learning.events import services
from practica.learning.events.models import Event
from practica.learning.tests.conftest import started
from practica.learning.tests.factories import EventFactory
from practica.organisations.tests.factories import OrganisationFactory, PartnershipFactory
from practica.reports.registry import ReportParams, get_report, run_report


def held(organisation: Organisation, theme: str, people: list[Person], marks: list[str]) -> Event:
    event = EventFactory.create(organisation=organisation, theme=theme, capacity=None)
    for person in people:
        services.register_for_event(actor=None, event=event, person=person)
    started(event)
    for registration, mark in zip(event.registrations.order_by("pk"), marks, strict=False):
        services.mark_attendance(actor=None, registration=registration, attended=mark)
    return event


def test_rows_count_events_registrations_and_attendance_per_theme_and_organiser(
    manager: User, org_a: Organisation, org_b: Organisation, people: list[Person]
) -> None:
    held(org_a, "Reflective supervision", people, ["yes", "yes", "no"])
    held(org_a, "Reflective supervision", people[:2], ["yes"])
    held(org_b, "Unconscious bias", people[:1], [])
    result = run_report(get_report("cpd-events"), manager, ReportParams())
    assert [
        (
            r["theme"],
            r["organisation"],
            r["events"],
            r["registered"],
            r["attended"],
            r["did_not_attend"],
        )
        for r in result.rows
    ] == [
        ("Reflective supervision", "Alpha Council", 2, 6, 3, 1),
        ("Unconscious bias", "Beta University", 1, 1, 0, 0),
    ]
    assert result.rows[0]["attended_share"] == Decimal("75.0")
    assert result.rows[1]["attended_share"] is None
    assert result.totals["events"] == 3
    assert result.totals["attended_share"] == Decimal("75.0")
    assert result.as_json()["report"] == "cpd-events"


def test_the_report_filters_by_organisation_and_academic_year(
    manager: User, org_a: Organisation, org_b: Organisation, people: list[Person]
) -> None:
    this_year = held(org_a, "Bias", people[:1], ["yes"])
    held(org_b, "Bias", people[:1], ["yes"])
    long_ago = timezone.make_aware(datetime.datetime(2019, 11, 20, 10))
    Event.objects.unscoped("test").filter(pk=this_year.pk).update(
        starts_at=long_ago, ends_at=long_ago + datetime.timedelta(hours=3)
    )
    report = get_report("cpd-events")
    by_org = run_report(report, manager, ReportParams(organisations=("AAA",)))
    assert [r["organisation"] for r in by_org.rows] == ["Alpha Council"]
    in_2019 = run_report(report, manager, ReportParams(year=2019))
    assert [(r["organisation"], r["events"]) for r in in_2019.rows] == [("Alpha Council", 1)]


def test_the_report_never_counts_another_partnership_s_events(
    alice: User, people: list[Person]
) -> None:
    far = OrganisationFactory.create(partnership=PartnershipFactory.create(name="Far"))
    EventFactory.create(organisation=far)
    assert run_report(get_report("cpd-events"), alice, ReportParams()).rows == []
    everyone = run_report(get_report("cpd-events"), permissions.OPERATOR, ReportParams())
    assert len(everyone.rows) == 1


def test_events_to_come_are_counted_apart_from_events_held(
    manager: User, org_a: Organisation, people: list[Person]
) -> None:
    held(org_a, "Reflective supervision", people[:2], ["yes", "no"])
    future = EventFactory.create(organisation=org_a, theme="Reflective supervision")
    for person in people:
        services.register_for_event(actor=None, event=future, person=person)
    [row] = run_report(get_report("cpd-events"), manager, ReportParams()).rows
    assert (row["events"], row["registered"], row["upcoming"], row["upcoming_registered"]) == (
        1,
        2,
        1,
        len(people),
    )
