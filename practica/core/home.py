"""The home page's panels: each app adds the cards it has for a user from its AppConfig.ready().

The home page (``organisations``) shows every registered panel's cards in order and never needs
to know which apps exist; a panel returns no cards for a user who has nothing there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Card:
    """A headline number that links to the list behind it."""

    title: str
    count: int | None
    url: str
    link_text: str
    empty_text: str = ""


@dataclass(frozen=True)
class HomePanel:
    name: str
    # the cards for this request (its user and the membership they act in); [] for none
    cards: Callable[[HttpRequest | Any], list[Card]]
    order: int = 100


_PANELS: dict[str, HomePanel] = {}


def add_home_panel(panel: HomePanel) -> None:
    _PANELS[panel.name] = panel


def home_cards(request: HttpRequest | Any) -> list[Card]:
    """Every panel's cards for this request, panel by panel in order."""
    return [
        card
        for panel in sorted(_PANELS.values(), key=lambda p: p.order)
        for card in panel.cards(request)
    ]
