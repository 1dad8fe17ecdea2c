"""Breadcrumbs for every page below a navigation section, worked out from the page's address.

A page's trail is Home, then each shorter address above it that is a page: a navigation
section the viewer may open (its label), or a page an app registered here — an object's page
by the object (looked up through ``visible_to``, so a trail never names, or links to, what the
viewer may not see) or a list by a fixed label. ``/educators/12/edit/`` reads "Home ›
Practice educators › Alex Smith". A view may pass its own ``breadcrumbs`` (a list of
``Crumb``) when its page does not sit under its parent's address; a template that shows a back
link instead overrides the ``beforeContent`` block. ``tests/test_breadcrumbs.py`` walks the URL
configuration: every page that stands above another must be registered here or be a section.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import Resolver404, resolve


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str


@dataclass(frozen=True)
class _Label:
    fixed: str = ""
    model: type[models.Model] | None = None
    describe: Callable[[Any], str] = str
    lookup: str = "pk"


_LABELS: dict[str, _Label] = {}


def register_object(
    url_name: str,
    model: type[models.Model],
    describe: Callable[[Any], str] = str,
    *,
    lookup: str = "pk",
) -> None:
    """The page ``url_name`` shows one ``model`` row (its URL's ``lookup`` argument): crumbs
    name it by ``describe(row)`` when the viewer may see it, and leave it out otherwise."""
    _LABELS[url_name] = _Label(model=model, describe=describe, lookup=lookup)


def register_list(url_name: str, label: str) -> None:
    """The page ``url_name`` (no object) stands above others under ``label``."""
    _LABELS[url_name] = _Label(fixed=label)


def registered(url_name: str) -> bool:
    return url_name in _LABELS


def _ancestors(path: str) -> list[str]:
    parts = [part for part in path.split("/") if part]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts))]


def trail(path: str, user: Any, sections: Iterable[Any]) -> list[Crumb] | None:
    """The crumbs above ``path`` for ``user``; None for the home page and the sections (whose
    place the menu already shows). ``sections`` are the navigation items the user may open."""
    section_labels = {item.url: item.label for item in sections}
    if path == "/" or path in section_labels:
        return None
    crumbs = [Crumb("Home", "/")]
    for url in _ancestors(path):
        if url in section_labels:
            crumbs.append(Crumb(section_labels[url], url))
            continue
        try:
            match = resolve(url)
        except Resolver404:
            continue
        label = _LABELS.get(match.view_name)
        if label is None:
            continue
        if label.model is None:
            crumbs.append(Crumb(label.fixed, url))
            continue
        row = (
            label.model._default_manager.visible_to(user)  # type: ignore[attr-defined]
            .filter(pk=match.kwargs.get(label.lookup))
            .first()
        )
        if row is not None:
            crumbs.append(Crumb(label.describe(row), url))
    return crumbs
