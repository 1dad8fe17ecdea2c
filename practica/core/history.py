"""Turns django-simple-history rows into entries for the MOJ timeline on a record's page."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as format_date

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class HistoryEntry:
    action: str
    when: datetime
    who: str
    changes: list[str]
    reason: str = ""


def history_for(obj: models.Model, *, limit: int = 50) -> list[HistoryEntry]:
    manager: Any = obj.history  # type: ignore[attr-defined]  # added by django-simple-history
    records = list(manager.select_related("history_user").order_by("-history_date")[: limit + 1])
    entries: list[HistoryEntry] = []
    for record, previous in zip(records, [*records[1:], None], strict=False):
        if len(entries) == limit:
            break
        changes: list[str] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            changes = [_describe(obj, change) for change in delta.changes]
        who = record.history_user.display_name if record.history_user else "Practica (system)"
        entries.append(
            HistoryEntry(
                ACTIONS[record.history_type],
                record.history_date,
                who,
                changes,
                record.history_change_reason or "",
            )
        )
    return entries


def _describe(obj: models.Model, change: Any) -> str:
    choices: dict[Any, Any] = {}
    try:
        field = obj._meta.get_field(change.field)
        label = str(getattr(field, "verbose_name", change.field))
        if field.many_to_many:  # a tracked many-to-many field (HistoricalRecords(m2m_fields))
            return _describe_links(label, field, change)
        if getattr(field, "choices", None):  # declared choices only (not a relation's rows)
            choices = dict(getattr(field, "flatchoices", []))
    except LookupError:  # a field removed since still deserves a line
        label = change.field.replace("_", " ")
    old, new = (
        choices.get(value, value) if isinstance(value, Hashable) else value
        for value in (change.old, change.new)
    )
    # the first letter up, the rest as written ("PEPS", not "Peps")
    return f"{label[:1].upper()}{label[1:]}: “{_show(old)}” → “{_show(new)}”"


def _describe_links(label: str, field: Any, change: Any) -> str:
    """How many links were added or removed (without the linked records' names, which the
    reader of the history may not be allowed to see, e.g. a contributor who has withdrawn)."""
    target = field.m2m_reverse_field_name()

    def linked(rows: Any) -> set[Any]:
        return {row[target] for row in rows or ()}

    old, new = linked(change.old), linked(change.new)
    parts = [
        f"{count} {what}"
        for count, what in ((len(new - old), "added"), (len(old - new), "removed"))
        if count
    ]
    return f"{label[:1].upper()}{label[1:]}: {', '.join(parts) or 'unchanged'}"


def _show(value: object) -> str:
    """A changed value as people read it: dates and times written out, not ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return format_date(value, "j F Y, H:i")
    if isinstance(value, date):
        return format_date(value, "j F Y")
    return str(value)
