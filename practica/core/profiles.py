"""Sections that one app adds to another app's page about a person.

The page's own app owns the page; an app above it (docs/0016-app-order.md) contributes a
section here from its ``AppConfig.ready()`` — the CPD record on a practice educator's profile,
later the placements they supervised — so the page never has to know which apps exist. A
section renders itself for the viewer and may render nothing (an empty string) for a viewer
who may not see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class ProfileSection:
    # the page it belongs on, e.g. "practice-educator"; its place there (see the page's template)
    page: str
    slot: str
    # HTML of the section for this request and the page's subject; "" shows nothing
    render: Callable[[HttpRequest, Any], str]
    order: int = 100


_SECTIONS: list[ProfileSection] = []


def add_profile_section(section: ProfileSection) -> None:
    """Register ``section`` (once: a second registration of the same render is ignored)."""
    if section not in _SECTIONS:
        _SECTIONS.append(section)
        _SECTIONS.sort(key=lambda s: s.order)


def profile_sections(page: str, request: HttpRequest, subject: Any) -> dict[str, SafeString]:
    """The contributed sections of ``page`` about ``subject``, rendered, by slot."""
    rendered: dict[str, list[str]] = {}
    for section in _SECTIONS:
        if section.page == page:
            html = section.render(request, subject)
            if html:
                rendered.setdefault(section.slot, []).append(html)
    # Each part is a rendered template, escaped by the template engine.
    return {slot: mark_safe("".join(parts)) for slot, parts in rendered.items()}  # noqa: S308 # nosec B308, B703
