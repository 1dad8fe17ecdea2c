"""One error shape for the whole API.

- 400: ``{"field": ["message", …]}``; errors about the request as a whole are under
  ``non_field_errors``. A service's Django ``ValidationError`` answers 400 like a serializer's.
- 401, 403, 404, 405, 415: ``{"detail": "message"}`` (Django's ``PermissionDenied`` is 403 and
  ``Http404`` is 404, as on the pages).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == 400:
        response.data = field_errors(response.data)
    return response


def field_errors(data: Any, prefix: str = "") -> dict[str, list[str]]:
    """Flatten any DRF error structure into ``{"field": ["message"]}``; nested fields are
    joined with dots (``rows.0.name``) and Django's ``__all__`` becomes ``non_field_errors``."""
    non_field = api_settings.NON_FIELD_ERRORS_KEY
    if isinstance(data, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in data.items():
            top_level_detail = not prefix and key == "detail"
            name = non_field if key == NON_FIELD_ERRORS or top_level_detail else str(key)
            for field, messages in field_errors(value, f"{prefix}{name}.").items():
                flat.setdefault(field, []).extend(messages)
        return flat
    key = prefix.removesuffix(".") or non_field
    if isinstance(data, list | tuple):
        if all(not isinstance(item, Mapping | list | tuple) for item in data):
            return {key: [str(item) for item in data]}
        flat = {}
        for index, item in enumerate(data):
            for field, messages in field_errors(item, f"{prefix}{index}.").items():
                flat.setdefault(field, []).extend(messages)
        return flat
    return {key: [str(data)]}
