"""Every write is validated and recorded with its actor (django-simple-history)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from simple_history.utils import get_history_manager_for_model

from practica.core.audit_log import record_origin
from practica.core.constraint_check import clean_model
from practica.core.copying import copy_create_with_history

if TYPE_CHECKING:
    from practica.accounts.models import User

# rows per INSERT or UPDATE statement of the bulk writes (SQLite allows 32,766 parameters)
BATCH = 500


def save_audited[M: models.Model](obj: M, *, actor: User | None) -> M:
    """Validate ``obj`` in full (fields and constraints), then save it with ``actor`` in history.

    A constraint that a concurrent write breaks between validation and save is reported as the
    same ``ValidationError`` rather than a database error.
    """
    obj.full_clean()
    obj._history_user = actor  # type: ignore[attr-defined]  # simple_history reads it; models do not declare it
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        raise ValidationError(_conflict(type(obj))) from error
    return obj


def create_all_audited[M: models.Model](objs: Sequence[M], *, actor: User | None) -> None:
    """``save_audited`` for many new records of one model, in bulk: each validated (fields and
    ``clean``), then inserted with their history rows (``actor`` as the history's user) in
    batches (on PostgreSQL with ``COPY``, ``core.copying``), and where they came from beside
    them (``core.audit_log.record_origin``, in bulk too). Unique fields and constraints are left to the database, which refuses a breach as
    one ``ValidationError`` for the whole batch (a caller that must name the record, such as an
    import, saves them one by one with ``save_audited`` to find it)."""
    if not objs:
        return
    model = type(objs[0])
    _validate_all(objs, actor=actor)
    try:
        with transaction.atomic():
            # PostgreSQL: one COPY stream per table; else (or what COPY cannot write) the ORM
            history_ids = copy_create_with_history(objs, model, default_user=actor)
            if history_ids is None:
                # as simple-history's bulk_create_with_history, keeping the history rows' ids
                # (both databases give bulk inserts their keys)
                created = model._default_manager.bulk_create(objs, batch_size=BATCH)
                history_ids = _history_ids(
                    get_history_manager_for_model(model).bulk_history_create(
                        created, batch_size=BATCH, default_user=actor
                    )
                )
            record_origin(get_history_manager_for_model(model).model, history_ids)
    except IntegrityError as error:
        raise ValidationError(_conflict(model)) from error


def update_all_audited[M: models.Model](
    objs: Sequence[M], *, fields: Sequence[str], actor: User | None
) -> None:
    """``save_audited`` for many changed records of one model: as ``create_all_audited``, with
    ``fields`` written and one history row each (and where each came from)."""
    if not objs:
        return
    model = type(objs[0])
    _validate_all(objs, actor=actor)
    try:
        with transaction.atomic():
            # as simple-history's bulk_update_with_history, keeping the history rows' ids; the
            # base manager, as Model.save() writes: these are records the caller holds
            model._base_manager.bulk_update(objs, list(fields), batch_size=BATCH)
            history = get_history_manager_for_model(model)
            rows = history.bulk_history_create(
                objs, batch_size=BATCH, update=True, default_user=actor
            )
            record_origin(history.model, _history_ids(rows))
    except IntegrityError as error:
        raise ValidationError(_conflict(model)) from error


def _validate_all(objs: Sequence[models.Model], *, actor: User | None) -> None:
    """``full_clean`` of each object but its unique fields and constraints (left to the
    database), with each foreign key's check that its record exists and is one it may point
    to (``ForeignKey.validate``, a query per object and key) asked once for all the objects;
    ``actor`` noted for history. Within an import, a field value already found valid (while
    its file was checked, or in an earlier record) is not cleaned again
    (``constraint_check.proofs_kept``); each record's ``clean`` runs as ever."""
    model = type(objs[0])
    keys = [field for field in model._meta.concrete_fields if isinstance(field, models.ForeignKey)]
    for obj in objs:
        checked_below = [key.name for key in keys if getattr(obj, key.attname) is not None]
        clean_model(obj, exclude=checked_below, validate_unique=False, validate_constraints=False)
        obj._history_user = actor  # type: ignore[attr-defined]  # simple_history reads it; models do not declare it
    for key in keys:
        target = key.target_field.attname
        wanted = sorted({getattr(obj, key.attname) for obj in objs} - {None})
        found: set[object] = set()
        for start in range(0, len(wanted), BATCH):
            found.update(
                key.remote_field.model._base_manager.order_by()
                # as ForeignKey.validate: the record must also be one the key may point to
                .complex_filter(key.get_limit_choices_to())
                .filter(**{f"{target}__in": wanted[start : start + BATCH]})
                .values_list(target, flat=True)
            )
        if missing := [value for value in wanted if value not in found]:
            raise ValidationError(
                {key.name: f"There is no {key.remote_field.model._meta.verbose_name} {missing[0]}."}
            )


def _conflict(model: type[models.Model]) -> str:
    return f"This {model._meta.verbose_name} conflicts with one that already exists."


def delete_audited(obj: models.Model, *, actor: User | None) -> None:
    obj._history_user = actor  # type: ignore[attr-defined]  # simple_history reads it; models do not declare it
    obj.delete()


def _history_ids(rows: list[models.Model] | None) -> list[int]:
    """The ids of history rows ``bulk_history_create`` wrote (none while it is switched off)."""
    return [row.pk for row in rows or [] if row.pk is not None]
