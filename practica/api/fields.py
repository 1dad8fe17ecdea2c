"""Serializer fields that find a referenced record the way the pages do: only among the records
the requesting user may see (or, for a new record's organisation, may manage)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from practica.accounts import permissions
from practica.core.models import Organisation

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


def storable(text: str) -> bool:
    """Whether every database Practica runs on can compare ``text`` (PostgreSQL refuses NUL
    characters, and no encoder takes a lone surrogate): other text is refused, not queried."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _viewer(field: serializers.Field[Any, Any, Any, Any]) -> Viewer:
    return field.context["request"].user


class VisibleRecordField(serializers.PrimaryKeyRelatedField[Any]):
    """A record id, looked up in ``selector(user)``; anything else is "not found"."""

    default_error_messages = {
        "does_not_exist": "There is no {model} with id {pk_value} that you can see.",
        "incorrect_type": "Give the {model}'s id as a number, not {data_type}.",
    }

    def __init__(
        self, *, model: type[Model], selector: Callable[[Viewer], QuerySet[Any]], **kwargs: Any
    ) -> None:
        # The empty queryset only tells the schema generator the model; lookups use selector.
        super().__init__(queryset=model._default_manager.none(), **kwargs)
        self.model_name = model._meta.verbose_name
        self.selector = selector

    def get_queryset(self) -> QuerySet[Any]:
        return self.selector(_viewer(self))

    def fail(self, key: str, **kwargs: Any) -> Any:
        return super().fail(key, model=self.model_name, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class ManagedOrganisationField(serializers.RelatedField[Organisation, str, str]):
    """A new record's organisation, by code: one in which the user may manage ``model``."""

    default_error_messages = {
        "does_not_exist": "You may not add {model} to an organisation with the code “{code}”.",
        "invalid": "Give the organisation's code as text, e.g. MC.",
    }

    def __init__(self, *, model: type[Model], **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "The code of the organisation the record belongs to.")
        super().__init__(queryset=Organisation.objects.none(), **kwargs)
        self.model = model

    def get_queryset(self) -> QuerySet[Organisation]:
        ids = permissions.organisation_ids_for(_viewer(self), permissions.MANAGE, self.model)
        return Organisation.objects.visible_to(_viewer(self)).filter(pk__in=ids)

    def to_internal_value(self, data: Any) -> Organisation:
        if not isinstance(data, str) or not storable(data):
            self.fail("invalid")
        organisation = self.get_queryset().filter(code__iexact=data.strip()).first()
        if organisation is None:
            self.fail("does_not_exist", model=self.model._meta.verbose_name_plural, code=data[:20])
        return organisation

    def to_representation(self, value: Any) -> str:
        return str(value.code)


class CodeField(serializers.SlugRelatedField[Any]):
    """A shared record (a service area) by its code."""

    default_error_messages = {
        "does_not_exist": "There is no {model} with the code “{value}”.",
        "invalid": "Give the {model}'s code as text.",
    }

    def fail(self, key: str, **kwargs: Any) -> Any:
        model: Any = getattr(getattr(self, "queryset", None), "model", None)
        name = model._meta.verbose_name if model is not None else "record"
        return super().fail(key, model=name, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or not storable(data):
            self.fail("invalid")
        return super().to_internal_value(data)
