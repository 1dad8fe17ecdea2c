"""The home page's panels: each app adds the tasks it has for a user from its AppConfig.ready().

The home page (``organisations``) shows every registered panel's cards in order and never needs
to know which apps exist; a panel returns no cards for a user who has nothing there.

A card is one task (GOV.UK task list pattern): what to do, how many are waiting, a link to the
filtered list behind it (whose rows the count equals), and when there is nothing to do, what will
appear there and how to start. Cards with the same ``section`` are shown together under it; a
``figure`` card is a headline number (summary list), not a task. Older calls,
``Card(title, count, url, link_text, empty_text)``, keep working.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.http import HttpRequest

# the colours of a task's status tag (GOV.UK tag modifiers)
TagColour = Literal["", "grey", "green", "turquoise", "blue", "light-blue", "purple", "pink",
                    "red", "orange", "yellow"]  # fmt: skip
OTHER_TASKS = "Other tasks"


@dataclass(frozen=True)
class Card:
    """A task (or a headline figure) with its count, linking to the list behind it."""

    title: str
    count: int | None
    url: str
    link_text: str
    empty_text: str = ""
    # the group of tasks it is shown under ("Practice educators", "Events")
    section: str = ""
    # a status to show instead of the count ("Current until 3 May 2027", "Lapsing")
    status: str = ""
    status_colour: TagColour = ""
    hint: str = ""  # one line under the title: what the task is about
    kind: Literal["task", "figure"] = "task"

    @property
    def to_do(self) -> bool:
        """Whether something is waiting (a count above nought, or a status to read)."""
        return bool(self.count) or bool(self.status)

    @property
    def tag(self) -> str:
        if self.status:
            return self.status
        if self.count:
            return f"{self.count:,}"
        return "None"

    @property
    def tag_colour(self) -> str:
        if self.status:
            return self.status_colour
        return (self.status_colour or "blue") if self.count else "grey"


@dataclass(frozen=True)
class HomePanel:
    name: str
    # the cards for this request (its user and the membership they act in); [] for none
    cards: Callable[[HttpRequest | Any], list[Card]]
    order: int = 100


@dataclass(frozen=True)
class TaskGroup:
    heading: str
    tasks: list[Card]


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


def task_groups(cards: list[Card]) -> list[TaskGroup]:
    """The task cards grouped by section, in the order each section first appears; cards
    without a section go last, under "Other tasks"."""
    groups: dict[str, list[Card]] = {}
    for card in cards:
        if card.kind == "task" and card.section:
            groups.setdefault(card.section, []).append(card)
    rest = [card for card in cards if card.kind == "task" and not card.section]
    if rest:
        groups.setdefault(OTHER_TASKS, []).extend(rest)
    return [TaskGroup(heading, tasks) for heading, tasks in groups.items()]


def figures(cards: list[Card]) -> list[Card]:
    return [card for card in cards if card.kind == "figure"]
