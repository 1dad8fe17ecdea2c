"""``{% breadcrumbs %}``: the GOV.UK breadcrumbs of the current page (core/breadcrumbs.py)."""

from __future__ import annotations

from typing import Any

from django import template

from practica.core.breadcrumbs import trail

register = template.Library()


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    given = context.get("breadcrumbs")
    if given is not None or request is None or not request.user.is_authenticated:
        return {"crumbs": given or []}
    return {"crumbs": trail(request.path, request.user, context.get("nav_sections") or []) or []}
