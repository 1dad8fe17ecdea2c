"""Navigation by role, the current membership and the organisation switcher's choices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from practica.accounts import permissions
from practica.core.navigation import GROUPS, SECTIONS


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool
    # the page itself (aria-current="page"), not only a page within the item
    current: bool = False


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu (one item per navigation group, or per section without one), the sections of
    the current page's group as a sub navigation, and every section the user may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav_items": [],
            "sub_nav_items": [],
            "nav_sections": [],
            "memberships": [],
            "current_membership": None,
        }
    shown = [
        (section, reverse(section.url_name))
        for section in SECTIONS
        if (section.model is None or permissions.can_in(user, section.ability, section.model))
        and (section.shown_to is None or section.shown_to(user))
    ]
    # the section whose address is the longest start of this page's (/educators/panels/ is
    # "Panels I sit on", not "Practice educators")
    matches = [
        url
        for _section, url in shown
        if request.path == url or (url != "/" and request.path.startswith(url))
    ]
    current = max(matches, key=len, default=None)
    sections = [
        NavItem(section.label, url, url == current, request.path == url) for section, url in shown
    ]
    groups: dict[str, list[NavItem]] = {}
    menu: list[tuple[str, list[NavItem]]] = []
    for (section, _url), item in zip(shown, sections, strict=True):
        if not section.group:
            menu.append((section.label, [item]))
        elif section.group in groups:
            groups[section.group].append(item)
        else:
            groups[section.group] = [item]
            menu.append((section.group, groups[section.group]))
    nav_items, sub_nav_items = [], []
    for key, items in menu:
        active = any(item.active for item in items)
        if len(items) == 1:
            nav_items.append(items[0])
            continue
        first = items[0]
        nav_items.append(NavItem(GROUPS[key], first.url, active, first.current and first.active))
        if active:
            sub_nav_items = items
    return {
        "nav_items": nav_items,
        "sub_nav_items": sub_nav_items,
        "nav_sections": sections,
        "memberships": permissions.active_memberships(user),
        "current_membership": getattr(request, "membership", None),
    }
