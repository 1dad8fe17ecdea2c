"""The service navigation: each app adds its sections from its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

# The groups of the service navigation, in order: the menu shows one link per group (so it
# never wraps at 1280 px) and a group's pages show its sections as a sub navigation. A section
# without a group stands in the menu by itself.
GROUPS: dict[str, str] = {
    "people": "People",
    "placements": "Placements",
    "educators": "Practice educators",
    "learning": "Learning",
    "teaching": "Teaching",
    "reports": "Reports",
    "setup": "Set-up",
}


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    # shown to users who hold ``ability`` on this model somewhere; None shows it to every
    # signed-in user.
    model: type[models.Model] | None
    order: int = 100
    ability: str = "view"
    # or a test of the user, for sections that are not about one model (reports)
    shown_to: Callable[[Any], bool] | None = None
    group: str = ""

    def __post_init__(self) -> None:
        if self.group and self.group not in GROUPS:
            raise ValueError(f"{self.group!r} is not a navigation group: {', '.join(GROUPS)}.")


SECTIONS: list[Section] = []


def add_section(section: Section) -> None:
    if all(existing.url_name != section.url_name for existing in SECTIONS):
        SECTIONS.append(section)
        SECTIONS.sort(key=lambda s: s.order)
