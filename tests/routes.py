"""Walks the URL configuration so access tests cover every route, including future ones."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Django's admin guards itself (is_staff) and is tested by Django; it is outside these sweeps.
EXCLUDED_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Route:
    name: str
    parameters: tuple[str, ...]


def routes() -> Iterator[Route]:
    yield from _walk(get_resolver().url_patterns, namespace="")


def _walk(patterns: list[URLPattern | URLResolver], namespace: str) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in EXCLUDED_NAMESPACES:
                continue
            yield from _walk(entry.url_patterns, inner)
        elif entry.name:
            converters = getattr(entry.pattern, "converters", {})
            yield Route(f"{namespace}{entry.name}", tuple(converters))


def parameterised() -> list[Route]:
    return [route for route in routes() if route.parameters]


def plain() -> list[Route]:
    return [route for route in routes() if not route.parameters]
