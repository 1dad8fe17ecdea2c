"""Reads of the vocabulary every organisation shares (service areas and academic years), and
who may be told that an e-mail address is in use."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from practica.core.models import AcademicYear, Person, ServiceArea, WorkerHeartbeat


def service_areas() -> QuerySet[ServiceArea]:
    return ServiceArea.objects.all()


def academic_years() -> QuerySet[AcademicYear]:
    return AcademicYear.objects.all()


def person_with_email(email: str, *, other_than: Person | None = None) -> Person | None:
    """The person who has ``email`` (in any letter case), other than ``other_than``: e-mail
    addresses are unique across Practica, whatever the organisation."""
    if not email.strip():
        return None
    people = Person.objects.unscoped("e-mail addresses are unique across every organisation")
    if other_than is not None and other_than.pk is not None:
        people = people.exclude(pk=other_than.pk)
    return people.select_related("organisation").filter(email__address=email.strip()).first()


def may_know_of(viewer: Any, person: Person) -> bool:
    """Whether ``viewer`` may be told that ``person`` exists (they may see them): a message
    about an e-mail address in use names the person only then (issue 15)."""
    if viewer is None:
        return False
    return bool(Person.objects.visible_to(viewer).filter(pk=person.pk).exists())


EMAIL_NOT_USABLE = (
    "This e-mail address cannot be used. Check it is the person's own address; if it is, "
    "ask a partnership manager."
)


def email_in_use_message(viewer: Any, person: Person) -> str:
    """What ``viewer`` may be told when ``person`` already has the e-mail address they gave:
    who has it, if they may see that person; else only that it cannot be used."""
    if may_know_of(viewer, person):
        return f"{person.full_name} of {person.organisation.name} already has this e-mail address."
    return EMAIL_NOT_USABLE


def last_worker_heartbeat() -> WorkerHeartbeat | None:
    """The most recent heartbeat of any background worker."""
    return WorkerHeartbeat.objects.order_by("-last_seen").first()


def live_workers() -> QuerySet[WorkerHeartbeat]:
    """The background workers heard from in the last three heartbeats."""
    silence = datetime.timedelta(seconds=3 * settings.PRACTICA_WORKER_HEARTBEAT_SECONDS)
    return WorkerHeartbeat.objects.filter(last_seen__gte=timezone.now() - silence)


def worker_lost_since(started: datetime.datetime) -> bool:
    """Whether a job a worker took up at ``started`` has lost its worker: no worker alive now
    was already running then (its own stopped; another may have started since)."""
    return not live_workers().filter(started_at__lte=started).exists()
