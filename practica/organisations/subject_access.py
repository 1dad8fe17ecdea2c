"""Everything Practica holds about one person, for a UK GDPR subject access request
(SECURITY.md §11; docs/0013-subject-access.md).

The export is generated from the model relations, never from a hand-kept list: every forward
relation (foreign key, one-to-one, many-to-many) of every installed model that points at the
person, their login (``User``) or a one-to-one extension of either (their practice educator
register entry, their student record) gives a section, with each row's field values and its
django-simple-history versions. A new model that points at a person is therefore exported
without anyone remembering to add it. The only relations treated otherwise are named below,
each with its reason:

- ``EXCLUDED_RELATIONS`` — rows that are secrets (never exported);
- ``ACTOR_RELATIONS`` — rows where the person acted on someone else's record as staff (a
  decision, a review, an invitation): listed by id only, so another person's record is not
  copied into this one's export;
- ``SECRET_FIELDS`` — single fields that are secrets, left out of every row and version.

``organisations/tests/test_subject_access_coverage.py`` fails when a relation appears that this module does
not classify.
"""

from __future__ import annotations

import base64
import datetime
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst, slugify

from practica.core.history import ACTIONS
from practica.core.scoping import ScopedManager

if TYPE_CHECKING:
    from practica.accounts.models import User
    from practica.core.models import Person, SubjectAccessExport

FORMAT_VERSION = "practica-subject-access/1"

# relation ("app_label.model.field") → why its rows are not exported at all.
EXCLUDED_RELATIONS: dict[str, str] = {
    "otp_totp.totpdevice.user": (
        "the authenticator app's secret key; exporting it would let anyone holding the file "
        "make sign-in codes (the user account's two_factor_since shows it is set up)"
    ),
    "otp_static.staticdevice.user": (
        "the unused recovery codes are passwords; the user account's recovery_codes_issued_at "
        "shows when they were issued"
    ),
}

# relation → why the person appears there as the member of staff who acted, not as its
# subject. These rows are someone else's records: the export lists their ids only.
ACTOR_RELATIONS: dict[str, str] = {
    "admin.logentry.user": "Django admin's log of changes they made to other records",
    "accounts.invitation.invited_by": "invitations they sent to other people",
    "educators.practiceeducator.reviewed_by": "annual reviews they recorded for other educators",
    "educators.pepsenrolment.assessor": "other candidates they assess or mentor on PEPS",
    "educators.peapplication.decided_by": "decisions they recorded on other people's applications",
    "learning.cpdneedssurvey.created_by": "CPD-needs surveys they set up for the partnership",
    "learning.cpdneedssurveymailing.sent_by": "survey mailings they sent to other people",
    "imports.importrun.created_by": "spreadsheet imports they ran",
    "questionnaires.distribution.created_by": "questionnaires they sent to other people",
    "core.subjectaccessexport.exported_by": "subject access exports they made of other people",
}
# The ``history_user`` of every django-simple-history table: changes they made to any record.
HISTORY_ACTOR_REASON = "changes they made to these records (who, when; not the content)"

# field ("app_label.model.field") → why it is left out of every row and version.
SECRET_FIELDS: dict[str, str] = {
    "accounts.user.password": "the password hash",
    "accounts.invitation.token_hash": "hash of an invitation link's token",
    "educators.peapplication.support_token_hash": "hash of the line manager's link token",
    "api.apitoken.token_hash": "hash of a personal API token",
    "questionnaires.invitation.token_hash": "hash of a questionnaire link's token",
    "teaching.expressionofinterest.agreement_token_hash": "hash of the line manager's link token",
}

SUBJECT, ACTOR, HISTORY, THROUGH, SELF, EXCLUDED = (
    "subject",
    "actor",
    "history",
    "through",
    "self",
    "excluded",
)


@dataclass(frozen=True)
class Relation:
    """One forward relation from ``model`` to the person, their user or an extension of them."""

    model: type[models.Model]
    field: Any  # a ForeignKey, OneToOneField or ManyToManyField
    kind: str
    reason: str = ""

    @property
    def key(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field.name}"


def is_historical(model: type[models.Model]) -> bool:
    """Whether ``model`` is a django-simple-history table (``HistoricalPerson`` …)."""
    return hasattr(model, "instance_type")


@cache
def subject_models() -> tuple[type[models.Model], ...]:
    """Person, User, and every model with a one-to-one to either (its rows are the person too:
    the practice educator register entry, the student record)."""
    from practica.accounts.models import User
    from practica.core.models import Person

    found: list[type[models.Model]] = [Person, User]
    for model in apps.get_models():
        if is_historical(model) or model in found:
            continue
        if any(f.one_to_one and f.related_model in (Person, User) for f in _forward(model)):
            found.append(model)
    return tuple(found)


@cache
def names_a_person(model: type[models.Model]) -> bool:
    """Whether a row of ``model`` is a person or names one (an application names its
    applicant). A login (``User``) is not counted: it appears where staff acted, by name,
    as in every record's history."""
    from practica.accounts.models import User

    people = [m for m in subject_models() if m is not User]
    return model in people or any(
        f.related_model in people for f in _forward(model) if not f.many_to_many
    )


def _forward(model: type[models.Model]) -> Iterable[Any]:
    for field in model._meta.get_fields():
        if field.is_relation and not field.auto_created and field.related_model is not None:
            yield field


def relations() -> list[Relation]:
    """Every relation of every installed model to a subject model, classified."""
    from practica.accounts.models import User
    from practica.core.models import Person

    targets = subject_models()
    found: list[Relation] = []
    for model in apps.get_models():
        for field in _forward(model):
            if field.related_model not in targets:
                continue
            key = f"{model._meta.label_lower}.{field.name}"
            if key in EXCLUDED_RELATIONS:
                found.append(Relation(model, field, EXCLUDED, EXCLUDED_RELATIONS[key]))
            elif is_historical(model):
                if field.name == "history_user":
                    found.append(Relation(model, field, ACTOR, HISTORY_ACTOR_REASON))
                else:
                    base = f"{model.instance_type._meta.label_lower}.{field.name}"  # type: ignore[attr-defined]  # simple_history's historical models carry instance_type
                    found.append(Relation(model, field, HISTORY, f"versions of {base}"))
            elif key in ACTOR_RELATIONS:
                found.append(Relation(model, field, ACTOR, ACTOR_RELATIONS[key]))
            elif field.many_to_many and not field.remote_field.through._meta.auto_created:
                through = field.remote_field.through._meta.label_lower
                found.append(Relation(model, field, THROUGH, f"exported as {through}"))
            elif model is Person and field.related_model is User:
                found.append(Relation(model, field, SELF, "the person's own record"))
            else:
                found.append(Relation(model, field, SUBJECT))
    return found


# ---------------------------------------------------------------------------------------------
# Gathering


@dataclass
class _Export:
    """What one export keeps while it is built: the (model, pk) of the rows that are the person
    being exported, and how each linked row reads, fetched a kind at a time (``_fetch_links``)
    so that the queries do not grow with the rows exported."""

    subjects: frozenset[tuple[type[models.Model], Any]]
    linked: dict[tuple[type[models.Model], Any], str | None]


_CURRENT: ContextVar[_Export | None] = ContextVar("subject_access_export", default=None)


def subject_access_document(person: Person) -> dict[str, Any]:
    """The whole export as one JSON-ready document: the person, then a section per relation
    that holds rows, then the coverage (every relation and what was done with it)."""
    instances = _subject_instances(person)
    subjects = frozenset((type(o), o.pk) for o in instances.values())
    token = _CURRENT.set(_Export(subjects, {}))
    try:
        return _document(person, instances)
    finally:
        _CURRENT.reset(token)


def _document(person: Person, instances: dict[type[models.Model], models.Model]) -> dict[str, Any]:
    sections: list[dict[str, Any]] = [_own_section(person, "person")]
    if person.user is not None:
        sections.append(_own_section(person.user, "login"))
    coverage: list[dict[str, Any]] = []
    for relation in relations():
        target = instances.get(relation.field.related_model)
        section = None
        if target is not None and relation.kind == SUBJECT:
            section = _subject_section(relation, target)
        elif target is not None and relation.kind == ACTOR:
            section = _actor_section(relation, target)
        count = len(section["records"]) if section else 0
        if section and count:
            sections.append(section)
        coverage.append(
            {
                "relation": relation.key,
                "kind": relation.kind,
                "rows": count,
                "note": relation.reason,
            }
        )
    if section := _invitations_section(person):
        sections.append(section)
    if person.user is not None and (section := _sessions_section(person.user)):
        sections.append(section)
    return {
        "format": FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "person": {
            "id": person.pk,
            "name": person.full_name,
            "email": person.email,
            "organisation": str(person.organisation),
        },
        "sections": sections,
        "coverage": coverage,
        "secret_fields_left_out": SECRET_FIELDS,
    }


def addresses_of(person: Person) -> list[str]:
    """The person's e-mail addresses: their own and their login's."""
    found = [person.email] + ([person.user.email] if person.user is not None else [])
    return sorted({address.lower() for address in found if address})


def invitations_to(person: Person) -> models.QuerySet[Any]:
    """Every invitation sent to one of the person's addresses, in any organisation."""
    from practica.accounts.models import Invitation

    addresses = addresses_of(person)
    if not addresses:
        return _all_rows(Invitation).none()
    query = models.Q()
    for address in addresses:
        query |= models.Q(email__address=address)
    return _all_rows(Invitation).filter(query)


def placement_links_to(person: Person) -> models.QuerySet[Any]:
    """Every placement's single-use link e-mailed to one of the person's addresses (as an
    off-site practice educator or on-site supervisor without a login). Named by label: the
    placements app sits above this one."""
    link = apps.get_model("placements", "PlacementLink")
    addresses = addresses_of(person)
    if not addresses:
        return _all_rows(link).none()
    query = models.Q()
    for address in addresses:
        query |= models.Q(email__address=address)
    return _all_rows(link).filter(query)


def _invitations_section(person: Person) -> dict[str, Any] | None:
    """Invitations sent to the person's e-mail address, whether or not they had a login then
    (an invitation's table names the address, not the person: no relation finds it)."""
    from practica.accounts.models import Invitation

    rows = list(invitations_to(person).order_by("pk"))
    if not rows:
        return None
    history = _versions(Invitation, _history_of(Invitation, id__in=[row.pk for row in rows]))
    _fetch_links(Invitation, rows)
    return {
        "title": "Invitations sent to their e-mail address",
        "model": Invitation._meta.label_lower,
        "relation": "e-mail address",
        "records": [_record(row, history.get(row.pk, [])) for row in rows],
    }


def _sessions_section(user: User) -> dict[str, Any] | None:
    """The login's sessions that have not expired (signed in on a browser): when each ends.
    Sign-ins themselves are in the audit events section. The session keys are secrets."""
    from django.contrib.sessions.models import Session

    ends = [
        session.expire_date
        for session in Session.objects.filter(expire_date__gt=timezone.now()).order_by(
            "expire_date"
        )
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    if not ends:
        return None
    return {
        "title": "Sessions signed in now",
        "model": "sessions.session",
        "relation": "signed in as their login",
        "records": [{"ends": _value(end)} for end in ends],
    }


def _subject_instances(person: Person) -> dict[type[models.Model], models.Model]:
    from practica.accounts.models import User
    from practica.core.models import Person

    found: dict[type[models.Model], models.Model] = {Person: person}
    if person.user is not None:
        found[User] = person.user
    for model in subject_models():
        if model in found:
            continue
        for field in _forward(model):
            owner = found.get(field.related_model)
            if field.one_to_one and owner is not None:
                row = _all_rows(model).filter(**{field.name: owner}).first()
                if row is not None:
                    found[model] = row
    return found


def _own_section(obj: models.Model, relation: str) -> dict[str, Any]:
    history = _versions(type(obj), _history_of(type(obj), id=obj.pk))
    return {
        "title": capfirst(str(obj._meta.verbose_name)),
        "model": obj._meta.label_lower,
        "relation": relation,
        "records": [_record(obj, history.pop(obj.pk, []))],
    }


def _subject_section(relation: Relation, target: models.Model) -> dict[str, Any]:
    model, field = relation.model, relation.field
    rows = list(_all_rows(model).filter(**{field.name: target}).order_by("pk"))
    ids = [row.pk for row in rows]
    if field.concrete and _history_has(model, field.attname):
        # versions from the time the row pointed at them, including rows since deleted or
        # moved to someone else (the versions pointing elsewhere are not theirs to see)
        history = _versions(model, _history_of(model, **{field.attname: target.pk}))
    else:
        history = _versions(model, _history_of(model, id__in=ids))
    parts = _parts(model, ids)
    _fetch_links(model, rows)
    records = [_record(row, history.pop(row.pk, []), parts.get(row.pk)) for row in rows]
    records += [
        {"id": _value(pk), "no_longer_held": True, "history": h} for pk, h in history.items()
    ]
    return {
        "title": capfirst(str(model._meta.verbose_name_plural)),
        "model": model._meta.label_lower,
        "relation": str(field.verbose_name),
        "records": records,
    }


def _actor_section(relation: Relation, target: models.Model) -> dict[str, Any]:
    model, field = relation.model, relation.field
    queryset = _all_rows(model).filter(**{field.name: target})
    if is_historical(model):
        base = model.instance_type  # type: ignore[attr-defined]  # simple_history's historical models carry instance_type
        title = f"Changes they made to {base._meta.verbose_name_plural}"
        records = [
            {"id": _value(pk), "action": ACTIONS[kind], "when": _value(when)}
            for pk, kind, when in queryset.order_by("history_date").values_list(
                "id", "history_type", "history_date"
            )
        ]
    else:
        title = f"{capfirst(str(model._meta.verbose_name_plural))} (as {field.verbose_name})"
        records = [
            {"id": _value(pk)} for pk in queryset.order_by("pk").values_list("pk", flat=True)
        ]
    return {
        "title": title,
        "model": model._meta.label_lower,
        "relation": str(field.verbose_name),
        "note": relation.reason,
        "records": records,
    }


@cache
def _part_relations(model: type[models.Model]) -> tuple[tuple[type[models.Model], Any], ...]:
    """The (child model, foreign key) of rows that belong to a ``model`` row and die with it
    (a CPD-needs response's ratings, an application's scores), unless they name a person
    themselves: those are the other person's (an application's panel members) or have a
    section of their own."""
    targets = subject_models()
    found: list[tuple[type[models.Model], Any]] = []
    for child in apps.get_models():
        if is_historical(child) or any(f.related_model in targets for f in _forward(child)):
            continue
        for field in _forward(child):
            if (
                field.many_to_one
                and field.related_model is model
                and field.remote_field.on_delete is models.CASCADE
            ):
                found.append((child, field))
    return tuple(found)


def _parts(model: type[models.Model], ids: list[Any]) -> dict[Any, dict[str, list[dict[str, Any]]]]:
    """The parts of the ``model`` rows ``ids`` (``_part_relations``) by row id, then by the
    parts' title; queries a kind of part at a time, however many rows there are."""
    found: dict[Any, dict[str, list[dict[str, Any]]]] = defaultdict(dict)
    for child, field in _part_relations(model):
        rows = list(_all_rows(child).filter(**{f"{field.name}__in": ids}).order_by("pk"))
        if not rows:
            continue
        history = _versions(child, _history_of(child, id__in=[r.pk for r in rows]))
        _fetch_links(child, rows)
        title = capfirst(str(child._meta.verbose_name_plural))
        for row in rows:
            found[getattr(row, field.attname)].setdefault(title, []).append(
                _record(row, history.pop(row.pk, []))
            )
    return found


def _record(
    obj: models.Model,
    history: list[dict[str, Any]],
    parts: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    # ids as JSON has them (a UUID as text)
    record: dict[str, Any] = {"id": _value(obj.pk), "fields": _fields(type(obj), obj)}
    if parts:
        record["parts"] = parts
    record["history"] = history
    return record


def _exported_fields(model: type[models.Model]) -> list[Any]:
    label = model._meta.label_lower
    return [
        field
        for field in model._meta.concrete_fields
        if f"{label}.{field.name}" not in SECRET_FIELDS and field.name != "id"
    ]


def _fields(model: type[models.Model], obj: models.Model) -> dict[str, Any]:
    """``obj``'s values keyed by the field's verbose name: choices as their labels, dates in
    ISO 8601, linked rows by name — but a linked row that is or names another person (the
    application someone sat on the panel of) only as "practice educator application #12".
    ``obj`` may be a historical version of a ``model`` row."""
    values: dict[str, Any] = {}
    for field in _exported_fields(model):
        if not hasattr(obj, field.attname):
            continue  # left out of the history (history=HistoricalRecords(excluded_fields=…))
        if field.is_relation:
            value: Any = _linked(field, obj)
        else:
            raw = getattr(obj, field.attname)
            value = dict(field.flatchoices).get(raw, raw) if field.choices else raw
        values[str(field.verbose_name)] = _value(value)
    return values


def _linked(field: Any, obj: models.Model) -> str | None:
    pk = getattr(obj, field.attname)
    if pk is None:
        return None
    target = field.related_model
    reference = f"{target._meta.verbose_name} #{pk}"
    export = _CURRENT.get() or _Export(frozenset(), {})
    key = (target, pk)
    if names_a_person(target) and key not in export.subjects:
        return reference
    if key not in export.linked:
        try:
            export.linked[key] = str(getattr(obj, field.name))
        except ObjectDoesNotExist:  # a version pointing at a row since deleted
            export.linked[key] = None
    name = export.linked[key]
    return f"{reference} (deleted)" if name is None else name


def _fetch_links(model: type[models.Model], objs: Iterable[models.Model]) -> None:
    """Reads at once, a kind at a time, the rows that ``objs`` (rows or versions of ``model``)
    link to and that the export writes by name (``_linked``)."""
    export = _CURRENT.get()
    if export is None:
        return
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for field in _exported_fields(model):
        if not field.is_relation or not field.target_field.primary_key:
            continue
        target = field.related_model
        for obj in objs:
            pk = getattr(obj, field.attname, None)
            if pk is None or (target, pk) in export.linked:
                continue
            if names_a_person(target) and (target, pk) not in export.subjects:
                continue
            wanted[target].add(pk)
    for target, pks in wanted.items():
        found = target._base_manager.in_bulk(pks)
        for pk in pks:
            row = found.get(pk)
            export.linked[(target, pk)] = None if row is None else str(row)


def _value(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(
        value, bytes | memoryview
    ):  # a file kept in the database (outside CPD's evidence)
        return {"file, base64-encoded": base64.b64encode(bytes(value)).decode("ascii")}
    return str(value)  # lazy translated labels, UUIDs, anything else


def _history_model(model: type[models.Model]) -> type[models.Model] | None:
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None)


def _history_has(model: type[models.Model], attname: str) -> bool:
    """Whether ``model``'s history keeps ``attname`` (``excluded_fields`` may leave it out)."""
    history = _history_model(model)
    if history is None:
        return False
    try:
        history._meta.get_field(attname)
    except FieldDoesNotExist:
        return False
    return True


def _history_of(model: type[models.Model], **lookup: Any) -> list[Any]:
    history = _history_model(model)
    if history is None:
        return []
    return list(
        history._default_manager.filter(**lookup)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )


def _versions(model: type[models.Model], rows: list[Any]) -> dict[Any, list[dict[str, Any]]]:
    """The versions grouped by row id, oldest first: when, what, by whom, which fields changed."""
    _fetch_links(model, rows)
    grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    previous: dict[Any, dict[str, Any]] = {}
    for row in rows:
        fields = _fields(model, row)
        before = previous.get(row.id)
        changed = [] if before is None else [k for k, v in fields.items() if before.get(k) != v]
        previous[row.id] = fields
        user = row.history_user
        grouped[row.id].append(
            {
                "when": _value(row.history_date),
                "action": ACTIONS[row.history_type],
                "by": user.display_name if user else "Practica (system)",
                "reason": row.history_change_reason or "",
                "changed": changed,
                "fields": fields,
            }
        )
    return dict(grouped)


# ---------------------------------------------------------------------------------------------
# Files and the record of each export


def to_json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


README = """Everything Practica holds about {name}, exported on {date}.

subject-access.json holds it all: first the person's own record and their login, then one
section per kind of record that names them, each row with its values and its history (every
version: when, what changed and who changed it). "coverage" lists every link between a
person and a kind of record that Practica has, and how many rows each held; a few are listed
by id only, where the person acted on someone else's record, or left out because they are
secrets (see "note").
"""


def to_zip(document: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("subject-access.json", to_json(document))
        archive.writestr(
            "README.txt",
            README.format(name=document["person"]["name"], date=document["generated_at"][:10]),
        )
    return buffer.getvalue()


@dataclass(frozen=True)
class SubjectAccessFile:
    filename: str
    content_type: str
    content: bytes
    record: SubjectAccessExport


FORMATS = {"json": "application/json", "zip": "application/zip"}


@transaction.atomic
def export_subject_access(
    *, actor: User | None, person: Person, channel: str, file_format: str
) -> SubjectAccessFile:
    """Everything held about ``person`` as a file, and a record of who exported it and when.

    The caller has checked the actor may (``permissions.SUBJECT_ACCESS``; the command line has
    no actor). Refuses an unknown format with ``ValueError``.
    """
    from practica.core.services import record_subject_access_export

    if file_format not in FORMATS:
        raise ValueError(f"Unknown format {file_format}")
    document = subject_access_document(person)
    content = to_zip(document) if file_format == "zip" else to_json(document)
    record = record_subject_access_export(
        actor=actor, person=person, channel=channel, file_format=file_format
    )
    name = slugify(person.full_name) or f"person-{person.pk}"
    filename = f"subject-access-{name}-{timezone.localdate().isoformat()}.{file_format}"
    return SubjectAccessFile(filename, FORMATS[file_format], content, record)


def _all_rows(model: type[models.Model]) -> models.QuerySet[Any]:
    """Every row of ``model`` to search for the person's: the export works for whoever may
    answer the request (checked before it starts), across every organisation's tables."""
    manager = model._default_manager
    if isinstance(manager, ScopedManager):
        return manager.unscoped("a subject access export finds one person's rows in every table")
    return manager.all()
