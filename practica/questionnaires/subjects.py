"""What a personal link is about, in words, for the respondent's page.

The engine stores a link's *subject* as a content type and id and knows nothing of what it is
(docs/0024, docs/0031). A domain that sends questionnaires about its records registers, from its
``AppConfig.ready()``, how to describe one of them to the person answering — "Your placement
with the Children's team, 7 October 2019 to 31 January 2020", say::

    register_subject_describer("placements.placement", describe_placement)

A subject nobody describes is simply not mentioned.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from practica.questionnaires.models import Invitation

# model label ("app_label.model_name") -> the sentence for the link's person
Describer = Callable[["Invitation"], str]
_DESCRIBERS: dict[str, Describer] = {}


def register_subject_describer(model_label: str, describer: Describer) -> None:
    _DESCRIBERS[model_label.lower()] = describer


def unregister_subject_describer(model_label: str) -> None:
    _DESCRIBERS.pop(model_label.lower(), None)


def describe(invitation: Invitation) -> str:
    """A sentence telling the person what their link is about, or "" when it is about nothing
    in particular or nobody registered how to say it."""
    if invitation.subject_type_id is None or invitation.subject_id is None:
        return ""
    subject_type = invitation.subject_type
    assert subject_type is not None
    describer = _DESCRIBERS.get(f"{subject_type.app_label}.{subject_type.model}")
    return describer(invitation) if describer is not None else ""
