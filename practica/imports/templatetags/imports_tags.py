"""Filters of the import pages."""

from __future__ import annotations

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from practica.imports.registry import get_importer

register = template.Library()

# the codes a column takes ("first_70", "mental_health"): shown as typed, in <code>
CODE = re.compile(r"(\b[a-z][a-z0-9]*_[a-z0-9_]+\b)")


@register.filter
def codes(text: object) -> SafeString:
    """``text`` escaped, with each code word in ``<code>`` (page copy outside it speaks to
    people; a column's help lists the codes to type)."""
    pieces = CODE.split(str(text))
    parts = [format_html("<code>{}</code>", p) if i % 2 else p for i, p in enumerate(pieces)]
    return format_html("{}" * len(parts), *parts)


@register.filter
def kind_title(kind: str) -> str:
    """What a page calls an import kind: its importer's title, in lower case (the kind itself
    is a code)."""
    if kind == "batch":
        return "several files"
    try:
        return get_importer(kind).title.lower()
    except LookupError:
        return kind
