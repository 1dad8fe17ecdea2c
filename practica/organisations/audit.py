"""The audit page's reading: every change to a record of the partnership (the
django-simple-history rows of every model) and every ``core.AuditEvent`` (sign-ins, report
downloads, exports, subject access exports, anonymisations), newest first, filtered by who,
what, when and from where.

Nothing here writes: the page and its CSV only read. Which history rows are a partnership's
is found from the model relations, not from a list (``partnership_lookup``): a record's own
path to its organisation (its ``scope_path``), else a foreign key that leads to one. Records
with no such path (a login, travel times, API tokens) count as the partnership's when someone
of the partnership changed them, or, for a login, when it is a login of the partnership.
"""

from __future__ import annotations

import csv
import datetime
import heapq
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst

from practica.accounts.models import User
from practica.core.formulas import neutralise
from practica.core.history import ACTIONS
from practica.core.models import AuditAction, AuditEvent, Organisation, Partnership
from practica.core.scoping import ScopedModel

# the most rows the page lists, and the most a CSV download holds
PAGE_ROWS = 200
CSV_ROWS = 50_000
SYSTEM = "Practica (system)"

# the "what" filter: a kind of change or an event
WHAT_CHOICES: list[tuple[str, str]] = [
    ("+", "Created a record"),
    ("~", "Changed a record"),
    ("-", "Deleted a record"),
    *AuditAction.choices,
]


@dataclass(frozen=True)
class AuditFilters:
    who: str = ""  # part of an e-mail address or a name
    what: str = ""  # a key of WHAT_CHOICES
    record: str = ""  # a model label ("core.person"), for changes
    since: datetime.date | None = None
    until: datetime.date | None = None
    where: str = ""  # the start of a client address

    @property
    def any(self) -> bool:
        return bool(self.who or self.what or self.record or self.since or self.until or self.where)


@dataclass(frozen=True)
class AuditEntry:
    when: datetime.datetime
    who: str
    email: str
    action: str
    what: str
    where: str


def historical_models() -> list[type[models.Model]]:
    """Every django-simple-history table of records (a many-to-many field's history table is
    left out: each of its changes is a version of the record it belongs to, listed already)."""
    return [
        m
        for m in apps.get_models()
        if hasattr(m, "instance_type") and any(f.name == "history_date" for f in m._meta.fields)
    ]


@cache
def partnership_lookup(model: type[models.Model], depth: int = 0) -> str | None:
    """The lookup from a row of ``model`` to its partnership's id (``"partnership"`` …), or
    None when no relation leads to one."""
    if model is Partnership:
        return "id"
    if model is Organisation:
        return "partnership"
    if issubclass(model, ScopedModel) and model.scope_path not in (None, "pk"):
        return f"{model.scope_path}__partnership"
    fields = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    for field in fields:
        if field.related_model is Partnership:
            return field.name
    if depth < 3:
        for field in fields:
            related = field.related_model
            if related is User or related is model or not isinstance(related, type):
                continue
            found = partnership_lookup(related, depth + 1)
            if found is not None:
                return field.name if found == "id" else f"{field.name}__{found}"
    return None


def record_kinds() -> list[tuple[str, str]]:
    """(model label, its name) of every kind of record with history, for the filter."""
    kinds = {
        m.instance_type._meta.label_lower: capfirst(m.instance_type._meta.verbose_name)  # type: ignore[attr-defined]  # simple_history's
        for m in historical_models()
        if not m.instance_type._meta.auto_created  # type: ignore[attr-defined]  # simple_history's
    }
    return sorted(kinds.items(), key=lambda item: item[1])


def _members(partnership_ids: Iterable[int]) -> models.QuerySet[User, Any]:
    return User.objects.filter(
        memberships__organisation__partnership_id__in=list(partnership_ids)
    ).values("pk")


def _who_matches(prefix: str, text: str) -> Q:
    return (
        Q(**{f"{prefix}email__icontains": text})
        | Q(**{f"{prefix}person__first_name__icontains": text})
        | Q(**{f"{prefix}person__last_name__icontains": text})
    )


def _history_rows(
    model: type[models.Model], partnership_ids: set[int], filters: AuditFilters, limit: int
) -> list[Any]:
    instance = model.instance_type  # type: ignore[attr-defined]  # simple_history's
    if filters.record and filters.record != instance._meta.label_lower:
        return []
    if filters.where or (filters.what and filters.what not in ACTIONS):
        return []  # changes to records carry no client address; events are not changes
    lookup = partnership_lookup(instance)
    if lookup is not None:
        mine = Q(**{f"{lookup}__in": partnership_ids})
    elif instance is User:
        mine = Q(id__in=_members(partnership_ids)) | Q(history_user__in=_members(partnership_ids))
    else:
        mine = Q(history_user__in=_members(partnership_ids))
    rows = model._default_manager.filter(mine)
    if filters.what:
        rows = rows.filter(history_type=filters.what)
    if filters.who:
        rows = rows.filter(_who_matches("history_user__", filters.who))
    if filters.since:
        rows = rows.filter(history_date__date__gte=filters.since)
    if filters.until:
        rows = rows.filter(history_date__date__lte=filters.until)
    return list(rows.select_related("history_user__person").order_by("-history_date")[:limit])


def _history_entry(row: Any) -> AuditEntry:
    meta = row.instance_type._meta
    what = f"{capfirst(meta.verbose_name)} #{row.id}"
    if row.history_change_reason:
        what += f" ({row.history_change_reason})"
    return AuditEntry(
        when=row.history_date,
        who=_name(row.history_user),
        email=row.history_user.email if row.history_user else "",
        action=ACTIONS[row.history_type],
        what=what,
        where="",
    )


def _event_rows(viewer: Any, filters: AuditFilters, limit: int) -> list[AuditEvent]:
    if filters.what in ACTIONS or filters.record:
        return []
    events = AuditEvent.objects.visible_to(viewer)
    if filters.what:
        events = events.filter(action=filters.what)
    if filters.who:
        events = events.filter(_who_matches("user__", filters.who))
    if filters.since:
        events = events.filter(at__date__gte=filters.since)
    if filters.until:
        events = events.filter(at__date__lte=filters.until)
    if filters.where:
        events = events.filter(address__startswith=filters.where)
    return list(events.select_related("user__person").order_by("-at")[:limit])


def _event_entry(event: AuditEvent) -> AuditEntry:
    return AuditEntry(
        when=event.at,
        who=_name(event.user),
        email=event.user.email if event.user else "",
        action=event.get_action_display(),
        what=event.what,
        where=event.address,
    )


def _name(user: User | None) -> str:
    return user.display_name if user is not None else SYSTEM


def audit_entries(
    viewer: Any, partnership_ids: set[int], filters: AuditFilters, *, limit: int = PAGE_ROWS
) -> list[AuditEntry]:
    """The newest ``limit`` entries of the partnerships ``partnership_ids`` (those the viewer
    manages) that match ``filters``, newest first."""
    streams: list[Iterator[AuditEntry]] = [map(_event_entry, _event_rows(viewer, filters, limit))]
    for model in historical_models():
        rows = _history_rows(model, partnership_ids, filters, limit)
        if rows:
            streams.append(map(_history_entry, rows))
    merged = heapq.merge(*streams, key=lambda entry: entry.when, reverse=True)
    return [entry for _, entry in zip(range(limit), merged, strict=False)]


CSV_HEADER = ["When", "Who", "E-mail", "What was done", "Record or details", "From where"]


def to_csv(entries: Iterable[AuditEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for entry in entries:
        when = timezone.localtime(entry.when).isoformat(timespec="seconds")
        cells = [when, entry.who, entry.email, entry.action, entry.what, entry.where]
        writer.writerow([neutralise(cell) for cell in cells])
    return out.getvalue()
