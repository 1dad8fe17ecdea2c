"""New records and their history rows written with PostgreSQL's ``COPY`` (docs/0025 section 7).

``copy_create_with_history`` does what simple-history's ``bulk_create_with_history`` does — the
records inserted (each field's ``pre_save`` and database value as ``bulk_create`` prepares
them, the primary keys set on the objects), then one history row each (``+``, the object's
``_history_user``, its change reason, ``timezone.now()``) — but sends the rows as one ``COPY``
stream per table instead of ``INSERT`` statements built by the ORM: the ids come first from the
table's sequence (one query), so the history rows can name them; the history rows' ids come
from their own sequence too, so the caller can record where they came from
(``core.audit_log.record_origin``). It runs in the caller's
transaction; a constraint the rows break raises Django's ``IntegrityError`` as an ``INSERT``
would. It validates nothing: callers (``core.audit.create_all_audited``) validate first.
``copy_create`` is the same without history; ``copy_values`` the same for rows given as their
fields' values, with no model instance built (``imports.services`` lists an import's records
with it).

Only for what it can write exactly as the ORM would: PostgreSQL, a model with its own table
(no multi-table inheritance), an auto-incremented primary key and no generated fields, values
that are not SQL expressions, and a history model without a ``history_relation``; anything
else returns ``None`` (``False`` for ``copy_create``) and the caller uses the ORM.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connections, models, router
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object, get_history_manager_for_model

if TYPE_CHECKING:
    from practica.accounts.models import User


def can_copy(model: type[models.Model], using: str | None = None, history: bool = True) -> bool:
    """Whether ``copy_create`` (``copy_create_with_history`` with ``history``) can write
    records of ``model`` exactly as the ORM would."""
    connection = connections[using or router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return False
    opts = model._meta
    if opts.parents or not isinstance(opts.pk, models.AutoField | models.BigAutoField):
        return False
    if any(getattr(field, "generated", False) for field in opts.local_concrete_fields):
        return False
    return not history or not hasattr(
        get_history_manager_for_model(model).model, "history_relation"
    )


def copy_create_with_history[M: models.Model](
    objs: Sequence[M], model: type[M], *, default_user: User | None = None
) -> list[int] | None:
    """Inserts ``objs`` (new, unsaved, validated) and one history row each with ``COPY``; the
    history rows' ids (none while simple-history is switched off), or ``None`` (nothing
    written) when ``can_copy`` says the ORM must do it."""
    return _copy_create(objs, model, history=True, default_user=default_user)


def copy_create[M: models.Model](objs: Sequence[M], model: type[M]) -> bool:
    """``QuerySet.bulk_create(objs)`` for a model without history, with ``COPY``; ``False``
    (nothing written) when ``can_copy`` says the ORM must do it."""
    return _copy_create(objs, model, history=False, default_user=None) is not None


def copy_values(
    model: type[models.Model], attnames: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> bool:
    """``copy_create`` of ``model`` records given as the values of ``attnames`` — every
    concrete field but the primary key, none that fills itself in on saving (``auto_now``):
    each row the value of each as ``bulk_create`` would send it (prepared for the database the
    same way) — without building a model instance for each (docs/0025 section 9). ``False``
    (nothing written) when ``can_copy`` says the ORM must do it."""
    opts = model._meta
    expected = {
        field.attname: field for field in opts.local_concrete_fields if field is not opts.pk
    }
    if sorted(attnames) != sorted(expected) or any(
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        for field in expected.values()
    ):
        raise ValueError(f"copy_values needs every field of {opts.label} but its key, as values.")
    fields = [expected[attname] for attname in attnames]
    using = router.db_for_write(model)
    if not rows or not can_copy(model, using, history=False):
        return False
    connection = connections[using]
    preparers = [_preparer(field, connection) for field in fields]
    with connection.wrap_database_errors, connection.cursor() as cursor:
        ids = _next_ids(cursor, opts, len(rows), connection)
        _copy(
            cursor,
            opts.db_table,
            [opts.pk, *fields],
            (
                (id_, *(prepare(value) for prepare, value in zip(preparers, row, strict=True)))
                for id_, row in zip(ids, rows, strict=True)
            ),
            connection,
        )
    return True


def _copy_create(
    objs: Sequence[models.Model], model: type[models.Model], *, history: bool, default_user: Any
) -> list[int] | None:
    using = router.db_for_write(model)
    if not objs or not can_copy(model, using, history):
        return None
    connection = connections[using]
    opts = model._meta
    fields = [field for field in opts.local_concrete_fields if field is not opts.pk]
    preparers = [(field.pre_save, _preparer(field, connection)) for field in fields]
    rows: list[tuple[Any, ...]] = []
    for obj in objs:
        # as QuerySet.bulk_create: related objects saved since they were assigned give their keys
        obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]  # Django's, undeclared in its stubs
        row = tuple(prepare(pre_save(obj, True)) for pre_save, prepare in preparers)
        if any(hasattr(value, "resolve_expression") for value in row):
            return None  # an SQL expression as a value: the ORM compiles it
        rows.append(row)
    with connection.wrap_database_errors, connection.cursor() as cursor:
        ids = _next_ids(cursor, opts, len(objs), connection)
        _copy(
            cursor,
            opts.db_table,
            [opts.pk, *fields],
            ((id_, *row) for id_, row in zip(ids, rows, strict=True)),
            connection,
        )
        for obj, id_ in zip(objs, ids, strict=True):
            obj.pk = id_
            obj._state.adding = False
            obj._state.db = using
        # as bulk_history_create: no history rows while simple-history is switched off
        if history and getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            prepared = {field.attname: index for index, field in enumerate(fields)}
            return _copy_history(
                cursor, model, objs, default_user, connection, (fields, prepared, rows)
            )
    return []


def _next_ids(cursor: Any, opts: Any, count: int, connection: Any) -> list[int]:
    """``count`` new ids from the sequence of the table of ``opts`` (one query)."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [connection.ops.quote_name(opts.db_table), opts.pk.column, count],
    )
    return sorted(value for (value,) in cursor.fetchall())


def _copy_history(
    cursor: Any,
    model: type[models.Model],
    objs: Sequence[models.Model],
    default_user: User | None,
    connection: Any,
    written: tuple[Sequence[models.Field[Any, Any]], dict[str, int], Sequence[tuple[Any, ...]]],
) -> list[int]:
    """The history rows ``HistoryManager.bulk_history_create`` would insert for ``objs``, with
    their ids taken from the history table's sequence first; returns the ids.
    ``written``: the records' fields, each field's position by attribute name and the
    records' rows as sent (prepared for the database after ``pre_save``, which sets the
    attributes the history reads): a tracked field of the same kind as the record's is
    prepared the same way, so its value is taken from there instead of prepared again."""
    manager = get_history_manager_for_model(model)
    history = manager.model
    hopts = history._meta
    fields = [field for field in hopts.local_concrete_fields if field is not hopts.pk]
    tracked = {field.attname for field in history.tracked_fields}
    record_fields, positions, rows = written
    reused = {
        field.attname: positions[field.attname]
        for field in fields
        if field.attname in tracked
        and field.attname in positions
        and _prepared_alike(field, record_fields[positions[field.attname]])
    }
    plan = [
        (_preparer(field, connection), field.attname, reused.get(field.attname)) for field in fields
    ]

    def values(obj: models.Model, row: tuple[Any, ...]) -> tuple[Any, ...]:
        user = getattr(obj, "_history_user", default_user or history.get_default_history_user(obj))
        own = {
            "history_date": getattr(obj, "_history_date", timezone.now()),
            "history_change_reason": get_change_reason_from_object(obj) or None,
            "history_type": "+",
            "history_user_id": user.pk if user is not None else None,
        }
        return tuple(
            row[position]
            if position is not None
            else prepare(getattr(obj, attname) if attname in tracked else own[attname])
            for prepare, attname, position in plan
        )

    ids = _next_ids(cursor, hopts, len(objs), connection)
    _copy(
        cursor,
        hopts.db_table,
        [hopts.pk, *fields],
        ((id_, *values(obj, row)) for id_, obj, row in zip(ids, objs, rows, strict=True)),
        connection,
    )
    return ids


def _preparer(field: models.Field[Any, Any], connection: Any) -> Callable[[Any], Any]:
    """``field.get_db_prep_save(value, connection)`` as a function of the value, which skips
    the preparation where it would give the value back as it is (on PostgreSQL: nothing, text,
    a whole number, true or false, or a date for a field of that kind, or a foreign key to a
    whole-number key; the ``COPY`` stream writes a whole number the same either way). Asking
    the field for every value of every row cost more than sending the rows."""
    prepare = field.get_db_prep_save
    plain = _plain_types(field) if connection.vendor == "postgresql" else ()
    if not plain:
        return lambda value: prepare(value, connection)

    def prepared(value: Any) -> Any:
        if value is None or type(value) in plain:
            return value
        return prepare(value, connection)

    return prepared


def _plain_types(field: models.Field[Any, Any]) -> tuple[type, ...]:
    """The types of value ``field`` prepares for PostgreSQL as they are (the exact types: a
    subclass, such as a date and time for a date, is prepared as usual)."""
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    kind = type(field)
    if kind in (
        models.AutoField,
        models.BigAutoField,
        models.SmallAutoField,
        models.IntegerField,
        models.BigIntegerField,
        models.SmallIntegerField,
        models.PositiveIntegerField,
        models.PositiveBigIntegerField,
        models.PositiveSmallIntegerField,
    ):
        return (int,)
    if kind in (models.CharField, models.TextField, models.EmailField, models.SlugField):
        return (str,)
    if kind is models.BooleanField:
        return (bool,)
    if kind is models.DateField:
        return (datetime.date,)
    return ()


def _prepared_alike(field: models.Field[Any, Any], record_field: models.Field[Any, Any]) -> bool:
    """Whether the history's ``field`` prepares a value for the database as the record's field
    does: the same class, or two foreign keys (simple-history makes a one-to-one field a
    foreign key; both prepare their target field's value)."""
    if isinstance(field, models.ForeignKey) and isinstance(record_field, models.ForeignKey):
        return type(field.target_field) is type(record_field.target_field)
    return type(field) is type(record_field) and not isinstance(field, models.FileField)


def _copy(
    cursor: Any,
    table: str,
    fields: Sequence[models.Field[Any, Any]],
    rows: Iterable[tuple[Any, ...]],
    connection: Any,
) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
