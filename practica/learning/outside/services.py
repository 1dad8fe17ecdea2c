"""Recording, changing and removing CPD done outside Practica's events. Only the person whose
record it is writes it; the history keeps who changed what (the evidence file itself is kept
once, not in every version)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from practica.accounts.models import User
from practica.accounts.selectors import person_of
from practica.core.audit import save_audited
from practica.core.models import Person
from practica.learning.outside.evidence import check_evidence, safe_name
from practica.learning.outside.models import OutsideCpd


def _set_evidence(entry: OutsideCpd, evidence: tuple[str, bytes] | None) -> None:
    if evidence is None:
        return
    name, content = evidence
    name = safe_name(name)
    entry.evidence_type = check_evidence(name, content)
    entry.evidence_name = name
    entry.evidence = content


@transaction.atomic
def record_outside_cpd(
    *,
    actor: User,
    person: Person,
    title: str,
    done_on: datetime.date,
    hours: Decimal,
    provider: str,
    reflection: str = "",
    evidence: tuple[str, bytes] | None = None,
) -> OutsideCpd:
    """Adds a piece of outside CPD to ``person``'s record. Refuses anyone but the person
    (PermissionDenied), a date in the future, hours outside 0.5–500 and an evidence file that
    is not a PDF, PNG or JPEG within the size limit (ValidationError)."""
    _refuse_others(actor, person)
    entry = OutsideCpd(
        person=person,
        title=title,
        done_on=done_on,
        hours=hours,
        provider=provider,
        reflection=reflection,
    )
    _refuse_future(done_on)
    _set_evidence(entry, evidence)
    return save_audited(entry, actor=actor)


@transaction.atomic
def change_outside_cpd(
    *,
    actor: User,
    entry: OutsideCpd,
    title: str,
    done_on: datetime.date,
    hours: Decimal,
    provider: str,
    reflection: str = "",
    evidence: tuple[str, bytes] | None = None,
) -> OutsideCpd:
    """Changes an entry of the actor's own record; a new evidence file replaces the old one,
    none keeps it. Refuses what ``record_outside_cpd`` refuses."""
    _refuse_others(actor, entry.person)
    _refuse_future(done_on)
    entry.title, entry.done_on, entry.hours = title, done_on, hours
    entry.provider, entry.reflection = provider, reflection
    _set_evidence(entry, evidence)
    return save_audited(entry, actor=actor)


@transaction.atomic
def remove_outside_cpd(*, actor: User, entry: OutsideCpd) -> None:
    """Removes an entry (and its evidence) from the actor's own record."""
    _refuse_others(actor, entry.person)
    entry._history_user = actor  # type: ignore[attr-defined]  # simple_history reads it
    entry.delete()


def _refuse_others(actor: User, person: Person) -> None:
    own = person_of(actor)
    if own is None or own.pk != person.pk:
        raise PermissionDenied("Only the practice educator records their own outside CPD.")


def _refuse_future(done_on: datetime.date) -> None:
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "The date must be today or in the past."})
