"""The audit page's reading: every change to a record of the partnership (the
django-simple-history rows of every model, with the client address beside each in
``core.ChangeAddress``) and every ``core.AuditEvent`` (sign-ins and failed sign-ins, wrong
two-factor codes, report downloads, exports, subject access exports, anonymisations), newest
first, filtered by who, what, when and from where.

One SQL statement reads a page: a UNION ALL of one narrow SELECT per history table (only the
columns the page shows) and one of the events, ordered by time, kind and id (a total order)
with LIMIT, so a page costs the same with forty history tables as with one; the Newer/Older
links carry the place where a page ends (a ``Cursor``) and each SELECT starts there from its
time index, so a deep page costs what the first does (docs/0036-audit-reading.md). The names
of the people on the page are then read in one more query.

Nothing here writes: the page and its download only read. Which history rows are a
partnership's is found from the model relations, not from a list (``partnership_lookup``): a
record's own path to its organisation (its ``scope_path``), else a foreign key that leads to
one. Records with no such path (a login, travel times, API tokens) count as the partnership's
when someone of the partnership changed them, or, for a login, when it is a login of the
partnership.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import CharField, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.text import capfirst

from practica.accounts.models import User
from practica.core.history import ACTIONS
from practica.core.models import (
    AuditAction,
    AuditEvent,
    ChangeAddress,
    Organisation,
    Partnership,
)
from practica.core.scoping import ScopedModel
from practica.reports.lists import ListColumn, ListDownload

# the rows on one page, and the most a download holds
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
EVENT_NAMES = dict(AuditAction.choices)


@dataclass(frozen=True)
class AuditFilters:
    who: str = ""  # part of an e-mail address or a name
    what: str = ""  # a key of WHAT_CHOICES
    record: str = ""  # a model label ("core.person"), for changes
    since: datetime.date | None = None
    until: datetime.date | None = None
    where: str = ""  # the start of a client address, or words of a source ("command line")

    @property
    def any(self) -> bool:
        return bool(self.who or self.what or self.record or self.since or self.until or self.where)

    def labels(self) -> dict[str, str]:
        """The filters in force by their labels on the page (for a download's notes)."""
        return {
            "Who": self.who,
            "What was done": dict(WHAT_CHOICES).get(self.what, ""),
            "Kind of record": dict(record_kinds()).get(self.record, ""),
            "From": self.since.isoformat() if self.since else "",
            "To": self.until.isoformat() if self.until else "",
            "From where": self.where,
        }


def filters_from(params: Mapping[str, str]) -> tuple[AuditFilters, dict[str, str]]:
    """The filters a request asks for, and an error message per field that cannot be read
    (keyed by the field). Unknown choices are ignored; free text is cut to a sane length."""
    errors: dict[str, str] = {}
    dates: dict[str, datetime.date | None] = {}
    for key, label in (("since", "From"), ("until", "To")):
        text = (params.get(key) or "").strip()
        dates[key] = None
        if text:
            try:
                dates[key] = datetime.date.fromisoformat(text)
            except ValueError:
                errors[key] = f"{label}: enter a date such as 2026-09-01."
    what = params.get("what") or ""
    record = params.get("record") or ""
    filters = AuditFilters(
        who=(params.get("who") or "").strip()[:100],
        what=what if what in dict(WHAT_CHOICES) else "",
        record=record if record in dict(record_kinds()) else "",
        since=dates["since"],
        until=dates["until"],
        where=(params.get("where") or "").strip()[:50],
    )
    return filters, errors


@dataclass(frozen=True)
class AuditEntry:
    cursor: Cursor
    when: datetime.datetime
    who: str
    email: str
    action: str
    what: str
    where: str


@dataclass(frozen=True)
class Cursor:
    """A place in the audit's order (newest first: time, then kind of record (``_rank``),
    then id; the kind is "" for an audit event, whose id is the event's), carried by the page
    links."""

    when: datetime.datetime
    kind: str
    id: int

    def __str__(self) -> str:
        return f"{self.when.isoformat()}~{self.kind}~{self.id}"

    @classmethod
    def parse(cls, text: str) -> Cursor:
        """The cursor a link carries; ``ValueError`` for anything else (a link cut short or
        changed by hand)."""
        parts = text.split("~")
        if len(text) > 120 or len(parts) != 3:
            raise ValueError("not a cursor")
        when = datetime.datetime.fromisoformat(parts[0])
        if when.tzinfo is None:
            raise ValueError("a cursor's time has its offset")
        kind, number = parts[1], parts[2]
        if kind and kind not in _history_labels():
            raise ValueError("no such kind of record")
        if not number.isdigit() or not 0 < int(number) < 2**63:
            raise ValueError("not an id")
        return cls(when, kind, int(number))


@dataclass(frozen=True)
class AuditPage:
    """A page of entries, newest first, with the cursors of the pages either side (``None``
    where there is none)."""

    entries: list[AuditEntry]
    newer: Cursor | None
    older: Cursor | None
    # whether this is a page other than the newest (the link was followed)
    later: bool = False

    @property
    def has_previous(self) -> bool:
        return self.newer is not None

    @property
    def has_next(self) -> bool:
        return self.older is not None


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


def _users_matching(text: str) -> models.QuerySet[User, Any]:
    return User.objects.filter(
        Q(email__icontains=text)
        | Q(person__first_name__icontains=text)
        | Q(person__last_name__icontains=text)
    ).values("pk")


def _members(partnership_ids: Iterable[int]) -> models.QuerySet[User, Any]:
    return User.objects.filter(
        memberships__organisation__partnership_id__in=list(partnership_ids)
    ).values("pk")


def _day_starts(filters: AuditFilters) -> tuple[datetime.datetime | None, ...]:
    """The first moment of ``since`` and of the day after ``until`` in local time, so the
    time columns are compared as they are indexed (not through a date function)."""
    zone = timezone.get_current_timezone()
    starts: list[datetime.datetime | None] = []
    for day, days_after in ((filters.since, 0), (filters.until, 1)):
        if day is None:
            starts.append(None)
        else:
            moment = datetime.datetime.combine(
                day + datetime.timedelta(days=days_after), datetime.time()
            )
            starts.append(timezone.make_aware(moment, zone))
    return tuple(starts)


# the columns each SELECT of the union gives, in this order
COLUMNS = (
    "a_when",
    "a_kind",
    "a_rank",
    "a_id",
    "a_action",
    "a_record",
    "a_details",
    "a_user",
    "a_where",
    "a_source",
)


def _where_matches(where: str) -> Q:
    """The "from where" filter: the start of an address, or words of a source."""
    return Q(address__startswith=where) | Q(source__icontains=where)


@cache
def _history_labels() -> frozenset[str]:
    return frozenset(m.instance_type._meta.label_lower for m in historical_models())  # type: ignore[attr-defined]  # simple_history's


def _rank(kind: str) -> int:
    """Where a kind of record comes in the order of rows of the same moment (0: an event).
    A number, so SQL orders it as Python compares it, whatever the database's collation."""
    return 0 if not kind else sorted(_history_labels()).index(kind) + 1


def _beyond(kind: str, cursor: Cursor | None, *, older: bool, when: str, id_: str) -> Q:
    """The rows of one SELECT (all of kind ``kind``) that come after ``cursor`` in the
    audit's order (``older``) or before it: a range of the time column, so its index serves
    it. The kind is the same on every row of a SELECT, so it is compared here, not in SQL."""
    if cursor is None:
        return Q()
    after, up_to = ("lt", "lte") if older else ("gt", "gte")
    mine, theirs = _rank(kind), _rank(cursor.kind)
    if mine != theirs:
        # of the same moment, a kind that comes later (older: a lower rank) is beyond it
        beyond_at_the_same_moment = (mine < theirs) == older
        return Q(**{f"{when}__{up_to if beyond_at_the_same_moment else after}": cursor.when})
    return Q(**{f"{when}__{after}": cursor.when}) | Q(
        **{when: cursor.when, f"{id_}__{after}": cursor.id}
    )


def _history_select(
    model: type[models.Model],
    partnership_ids: set[int],
    filters: AuditFilters,
    cursor: Cursor | None = None,
    older: bool = True,
) -> models.QuerySet[Any, Any] | None:
    instance = model.instance_type  # type: ignore[attr-defined]  # simple_history's
    label = instance._meta.label_lower
    if filters.record and filters.record != label:
        return None
    if filters.what and filters.what not in ACTIONS:
        return None  # an event, not a change
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
        rows = rows.filter(history_user__in=_users_matching(filters.who))
    since, before = _day_starts(filters)
    if since:
        rows = rows.filter(history_date__gte=since)
    if before:
        rows = rows.filter(history_date__lt=before)
    rows = rows.filter(_beyond(label, cursor, older=older, when="history_date", id_="history_id"))
    origin = ChangeAddress.objects.filter(
        history_model=model._meta.label_lower, history_id=OuterRef("history_id")
    )
    rows = rows.annotate(
        a_when=F("history_date"),
        a_kind=Value(label, output_field=CharField()),
        a_rank=Value(_rank(label), output_field=IntegerField()),
        a_id=F("history_id"),
        a_action=F("history_type"),
        a_record=Cast(instance._meta.pk.attname, output_field=CharField()),
        a_details=Coalesce(F("history_change_reason"), Value(""), output_field=CharField()),
        a_user=F("history_user_id"),
        a_where=Coalesce(
            Subquery(origin.values("address")[:1]), Value(""), output_field=CharField()
        ),
        a_source=Coalesce(
            Subquery(origin.values("source")[:1]), Value(""), output_field=CharField()
        ),
    )
    if filters.where:
        rows = rows.filter(Exists(origin.filter(_where_matches(filters.where))))
    selected: models.QuerySet[Any, Any] = rows.order_by().values_list(*COLUMNS)
    return selected


def _event_select(
    viewer: Any, filters: AuditFilters, cursor: Cursor | None = None, older: bool = True
) -> models.QuerySet[Any, Any] | None:
    if filters.what in ACTIONS or filters.record:
        return None
    events = AuditEvent.objects.visible_to(viewer)
    if filters.what:
        events = events.filter(action=filters.what)
    if filters.who:
        events = events.filter(user__in=_users_matching(filters.who))
    since, before = _day_starts(filters)
    if since:
        events = events.filter(at__gte=since)
    if before:
        events = events.filter(at__lt=before)
    if filters.where:
        events = events.filter(_where_matches(filters.where))
    events = events.filter(_beyond("", cursor, older=older, when="at", id_="id"))
    return (
        events.annotate(
            a_when=F("at"),
            a_kind=Value("", output_field=CharField()),
            a_rank=Value(0, output_field=IntegerField()),
            a_id=F("id"),
            a_action=F("action"),
            a_record=Value("", output_field=CharField()),
            a_details=F("what"),
            a_user=F("user_id"),
            a_where=F("address"),
            a_source=F("source"),
        )
        .order_by()
        .values_list(*COLUMNS)
    )


def _rows(
    viewer: Any,
    partnership_ids: set[int],
    filters: AuditFilters,
    *,
    limit: int,
    cursor: Cursor | None = None,
    older: bool = True,
) -> list[tuple[Any, ...]]:
    """One statement: the union of every SELECT, ``limit`` rows after ``cursor`` (from the
    newest without one), newest first; with ``older`` false, the ``limit`` rows just newer
    than ``cursor``, oldest first. The order (time, kind, id) is total, so paging by it never
    skips nor repeats a row however many are written meanwhile."""
    selects = [_event_select(viewer, filters, cursor, older)] + [
        _history_select(model, partnership_ids, filters, cursor, older)
        for model in historical_models()
    ]
    found = [select for select in selects if select is not None]
    if not found:
        return []
    union = found[0].union(*found[1:], all=True) if len(found) > 1 else found[0]
    order = ("-a_when", "-a_rank", "-a_id") if older else ("a_when", "a_rank", "a_id")
    return list(union.order_by(*order)[:limit])


def where_from(address: str, source: str) -> str:
    """What "from where" says: the client address of a web request, the source of a change
    made off the web, or both (a background task run while answering a request)."""
    if address and source:
        return f"{source} (started from {address})"
    return address or source


def _entries(rows: list[tuple[Any, ...]]) -> list[AuditEntry]:
    user_ids = {row[COLUMNS.index("a_user")] for row in rows} - {None}
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids).select_related("person")}
    entries = []
    for when, kind, _rank_of_kind, id_, action, record, details, user_id, address, source in rows:
        user = users.get(user_id)
        if kind:
            what = f"{capfirst(apps.get_model(kind)._meta.verbose_name)} #{record}"
            if details:
                what += f" ({details})"
            done = ACTIONS[action]
        else:
            what, done = details, EVENT_NAMES.get(action, action)
        entries.append(
            AuditEntry(
                cursor=Cursor(when, kind, id_),
                when=when,
                who=user.display_name if user is not None else SYSTEM,
                email=user.email if user is not None else "",
                action=done,
                what=what,
                where=where_from(address, source),
            )
        )
    return entries


def audit_entries(
    viewer: Any,
    partnership_ids: set[int],
    filters: AuditFilters,
    *,
    limit: int = PAGE_ROWS,
) -> list[AuditEntry]:
    """The entries of the partnerships ``partnership_ids`` (those the viewer manages) that
    match ``filters``, newest first: the newest ``limit`` of them."""
    return _entries(_rows(viewer, partnership_ids, filters, limit=limit))


def audit_page(
    viewer: Any,
    partnership_ids: set[int],
    filters: AuditFilters,
    *,
    older_than: Cursor | None = None,
    newer_than: Cursor | None = None,
) -> AuditPage:
    """The newest ``PAGE_ROWS`` entries, or those just older than ``older_than`` (the "Older"
    link), or just newer than ``newer_than`` ("Newer"): keyset pagination, so a deep page costs
    what the first does (each SELECT reads from its time index where the last page ended).
    Whether there is a page further on is known by reading one row more; the entries are
    never counted (a count would read every history table to the end)."""
    if newer_than is not None:
        rows = _rows(
            viewer, partnership_ids, filters, limit=PAGE_ROWS + 1, cursor=newer_than, older=False
        )
        more = len(rows) > PAGE_ROWS
        entries = _entries(list(reversed(rows[:PAGE_ROWS])))
        return AuditPage(
            entries,
            newer=entries[0].cursor if more else None,
            # the page the link was followed from is older
            older=entries[-1].cursor if entries else None,
            later=True,
        )
    rows = _rows(viewer, partnership_ids, filters, limit=PAGE_ROWS + 1, cursor=older_than)
    entries = _entries(rows[:PAGE_ROWS])
    return AuditPage(
        entries,
        newer=entries[0].cursor if entries and older_than is not None else None,
        older=entries[-1].cursor if len(rows) > PAGE_ROWS else None,
        later=older_than is not None,
    )


CSV_HEADER = ("When", "Who", "E-mail", "What was done", "Record or details", "From where")
DOWNLOAD = ListDownload(
    "audit",
    "Audit log",
    [
        # to the second, as text: the list writers round date-times to the minute
        ListColumn("When", lambda e: timezone.localtime(e.when).isoformat(timespec="seconds")),
        ListColumn("Who", lambda e: e.who),
        ListColumn("E-mail", lambda e: e.email),
        ListColumn("What was done", lambda e: e.action),
        ListColumn("Record or details", lambda e: e.what),
        ListColumn("From where", lambda e: e.where),
    ],
    description="Who did what, when and from where in the partnership, newest first.",
)
