"""``{% list_downloads %}``: the CSV and XLSX links of a list page, with its current filters."""

from __future__ import annotations

from typing import Any

from django import template

from practica.reports.lists import download_links

register = template.Library()


@register.inclusion_tag("includes/list_downloads.html", takes_context=True)
def list_downloads(context: dict[str, Any], what: str = "this list") -> dict[str, Any]:
    return {"links": download_links(context["request"]), "what": what}
