"""What a personal link is about, in words, for the respondent's page.

The engine stores a link's *subject* as a content type and id and knows nothing of what it is
(docs/0024, docs/0031). A domain that sends questionnaires about its records registers, from its
``AppConfig.ready()``, how to describe one of them to the person answering — "Your placement
with the Children's team, 7 October 2019 to 31 January 2020", say::

    register_subject_describer("placements.placement", describe_placement)

A subject nobody describes is simply not mentioned.

A domain whose records past answers can be about also registers how a file names one of them
(``register_subject_reference``): the ``questionnaire-responses`` import then carries a
response's subject in its ``subject_type`` and ``subject`` columns, both ways.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models

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


# --- subjects in import files -----------------------------------------------------------------


@dataclass(frozen=True)
class SubjectReference:
    """How a domain names its records in the ``questionnaire-responses`` import's ``subject``
    column, so that past answers about them can be loaded (and exported) with their subject.

    ``kind`` is the word of the ``subject_type`` column; ``write`` gives the references of the
    records with these ids (one query for many); ``find`` the record a reference names among
    those ``viewer`` may attach answers to (None: none); ``pending`` whether an earlier file of
    the same import creates it (``ImportContext.is_pending``); ``help`` how a reference is
    written."""

    kind: str
    model_label: str  # "app_label.model_name"
    write: Callable[[Iterable[int]], dict[int, str]]
    find: Callable[[str, Any], models.Model | None]
    help: str
    pending: Callable[[str, Any], bool] = lambda _reference, _ctx: False
    import_kind: str = ""  # the import kind that loads these records, loaded first


_REFERENCES: dict[str, SubjectReference] = {}


def register_subject_reference(reference: SubjectReference) -> None:
    _REFERENCES[reference.kind.lower()] = reference


def unregister_subject_reference(kind: str) -> None:
    _REFERENCES.pop(kind.lower(), None)


def reference_kind(kind: str) -> SubjectReference | None:
    """The registered kind called ``kind`` (any letter case)."""
    return _REFERENCES.get(kind.strip().lower())


def reference_kinds() -> list[str]:
    return sorted(_REFERENCES)


def reference_models() -> set[str]:
    """The model labels whose records files name."""
    return {reference.model_label.lower() for reference in _REFERENCES.values()}


def reference_import_kinds() -> list[str]:
    return sorted({r.import_kind for r in _REFERENCES.values() if r.import_kind})


def references_of(subjects: Iterable[tuple[str, int]]) -> dict[tuple[str, int], tuple[str, str]]:
    """For (model label, id) pairs: (kind, reference) of those a domain names in files (one
    query per kind); subjects nobody registered are left out."""
    by_label: dict[str, set[int]] = {}
    for label, pk in subjects:
        by_label.setdefault(label.lower(), set()).add(pk)
    found: dict[tuple[str, int], tuple[str, str]] = {}
    for reference in _REFERENCES.values():
        ids = by_label.get(reference.model_label.lower())
        if ids:
            for pk, text in reference.write(sorted(ids)).items():
                found[(reference.model_label.lower(), pk)] = (reference.kind, text)
    return found
