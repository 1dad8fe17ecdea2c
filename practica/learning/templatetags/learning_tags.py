"""``{% cpd_record person %}``: a person's CPD record, for any page that shows a person.

    {% load learning_tags %}
    {% cpd_record person %}                      {# headings start at h2 #}
    {% cpd_record person heading_level=3 %}      {# inside a page section that is an h2 #}

The viewer is the signed-in user (``request.user``); someone who may not see the person's
record gets nothing rendered (the page itself decides who sees the person).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.loader import render_to_string

from practica.core.models import Person
from practica.learning.events.selectors import cpd_record_for

register = template.Library()


@register.inclusion_tag("learning/includes/cpd_record.html", takes_context=True)
def cpd_record(context: template.Context, person: Person, heading_level: int = 2) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    try:
        record = cpd_record_for(viewer, person) if viewer is not None else None
    except PermissionDenied:
        record = None
    return {"record": record, "heading_level": heading_level, "is_self": _is_self(viewer, person)}


def _is_self(viewer: Any, person: Person) -> bool:
    return person.user_id is not None and person.user_id == getattr(viewer, "pk", None)


def cpd_record_section(request: HttpRequest, educator: Any) -> str:
    """The CPD record on a practice educator's profile (``core.profiles``)."""
    context = cpd_record(template.Context({"request": request}), educator.person)
    return render_to_string("learning/includes/cpd_record.html", context, request=request)
