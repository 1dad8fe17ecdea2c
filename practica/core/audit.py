"""Every write is validated and recorded with its actor (django-simple-history)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

if TYPE_CHECKING:
    from practica.accounts.models import User


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
        raise ValidationError(
            f"This {obj._meta.verbose_name} conflicts with one that already exists."
        ) from error
    return obj


def delete_audited(obj: models.Model, *, actor: User | None) -> None:
    obj._history_user = actor  # type: ignore[attr-defined]  # simple_history reads it; models do not declare it
    obj.delete()
