"""The history timeline writes changed dates and times as people read them."""

from __future__ import annotations

import datetime

from django.utils import timezone

from practica.core.history import _show


def test_dates_and_times_are_written_out_not_iso() -> None:
    assert _show(datetime.date(2026, 12, 22)) == "22 December 2026"
    moment = timezone.make_aware(datetime.datetime(2026, 12, 22, 4, 21, 38, 531906))
    assert _show(moment) == "22 December 2026, 04:21"
    assert _show(None) == ""
    assert _show("Medway Council") == "Medway Council"


def test_a_change_of_many_related_records_is_listed_without_error(db: None) -> None:
    """A many-to-many change (an event's co-facilitators) is a list, not a choice: the timeline
    shows it instead of failing (it answered 500 once)."""
    from practica.core.history import history_for
    from practica.learning.tests.factories import EventFactory
    from practica.organisations.tests.factories import OrganisationFactory

    event = EventFactory.create()
    partner = OrganisationFactory.create(partnership=event.organisation.partnership)
    event.co_facilitators.add(partner)
    event.title = "Renamed forum"
    event.save()
    assert history_for(event)
