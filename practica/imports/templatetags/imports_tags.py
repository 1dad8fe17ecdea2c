"""What a page calls an import kind: its title (“Practice educators”), never its slug."""

from __future__ import annotations

from django import template

from practica.imports import registry
from practica.imports.services import BATCH

register = template.Library()


@register.filter
def kind_title(kind: str) -> str:
    """The title of the import kind ``kind``; “Several kinds” for a batch."""
    if kind == BATCH:
        return "Several kinds"
    try:
        return registry.get_importer(kind).title
    except LookupError:
        return kind
