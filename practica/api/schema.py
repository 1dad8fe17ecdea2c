"""OpenAPI generation: list filters as query parameters, and the error responses every
operation may give, in the shapes of practica.api.exceptions."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi

ERROR_SCHEMAS: dict[str, dict[str, Any]] = {
    "FieldErrors": {
        "type": "object",
        "description": "Each field (or `non_field_errors`) with its messages.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
    "Error": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
}
ERROR_RESPONSES = {
    "400": ("FieldErrors", "The request was refused; each field names what is wrong."),
    "401": ("Error", "No credentials, or a token that is unknown, expired or revoked."),
    "403": ("Error", "Not for you: a list, report or creation that none of your roles allows."),
    "404": ("Error", "No such record among those you may see (or no such page)."),
    "429": ("Error", "Too many requests; the Retry-After header says after how many seconds."),
}


class AutoSchema(openapi.AutoSchema):
    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        filters = getattr(self.view, "filters_class", None)
        if filters is not None and getattr(self.view, "action", None) == "list":
            parameters.insert(0, filters)
        return parameters


def add_error_responses(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: every operation documents 401, 403, 404 and 429; those that take a body
    or query parameters also document 400."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(ERROR_SCHEMAS)
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            takes_input = "requestBody" in operation or any(
                parameter.get("in") == "query" for parameter in operation.get("parameters", [])
            )
            for code, (schema, description) in ERROR_RESPONSES.items():
                if code == "400" and not takes_input:
                    continue
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{schema}"}
                            }
                        },
                    },
                )
    return result
