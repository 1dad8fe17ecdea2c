"""Query-parameter filters shared by every list endpoint: parsed and validated like a request
body (a bad value answers 400 naming the parameter), then applied to the selector's queryset.

Every list offers ``organisation`` (an organisation code, matched through the model's
``scope_path``); a resource whose records belong to an academic year also offers ``year``
(``2019/20``) by naming the path to the year's start in its viewset's ``year_path``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from practica.core.academic_years import format_academic_year, parse_academic_year


@extend_schema_field({"type": "string", "example": "2019/20"})
class AcademicYearField(serializers.Field[int, str, str, Any]):
    """``2019/20`` (or ``2019/2020``) in, the start year (2019) out."""

    default_error_messages = {"invalid": "Write the academic year like 2019/20."}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "Academic year, written like 2019/20.")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int:
        if not isinstance(data, str) or len(data) > 20:
            self.fail("invalid")
        try:
            return parse_academic_year(data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def to_representation(self, value: Any) -> str:
        return format_academic_year(int(value))


class ListFilters(serializers.Serializer[Any]):
    """The filters every list offers; subclass to add a resource's own."""

    organisation = serializers.CharField(
        required=False,
        max_length=12,
        help_text="Only records of the organisation with this code, e.g. MC.",
    )


class YearListFilters(ListFilters):
    """For resources whose records belong to an academic year (set ``year_path`` too)."""

    year = AcademicYearField(required=False)


def narrow[M: Model](
    queryset: QuerySet[M], filters: dict[str, Any], *, year_path: str | None = None
) -> QuerySet[M]:
    """Apply the shared filters; the resource's own were already given to its selector."""
    code = filters.get("organisation")
    if code:
        scope_path = getattr(queryset.model, "scope_path", "organisation")
        lookup = "code__iexact" if scope_path == "pk" else f"{scope_path}__code__iexact"
        queryset = queryset.filter(**{lookup: code.strip()})
    year = filters.get("year")
    if year is not None and year_path:
        queryset = queryset.filter(**{year_path: year})
    return queryset
