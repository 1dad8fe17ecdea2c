"""Filters a domain adds to the collation of questionnaires about its records.

The engine knows no placements or sessions; a domain that sends questionnaires about them (the
link's and response's *subject*) registers here, from its ``AppConfig.ready()``, a filter the
collation page offers — team, service area or route of a placement, say — and how it narrows the
responses::

    register_subject_filter(SubjectFilter(
        id="route", label="Route",
        choices=lambda viewer, version: [("ba", "BA Social Work"), ...],
        narrow=lambda responses, value: responses.filter(subject_type=..., subject_id__in=...),
    ))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

if TYPE_CHECKING:
    from practica.questionnaires.models import Questionnaire, QuestionnaireVersion, Response


def _always(questionnaire: Questionnaire) -> bool:
    return True


@dataclass(frozen=True)
class SubjectFilter:
    id: str  # the GET parameter
    label: str
    # the values to choose from for this viewer and version, as (value, label)
    choices: Callable[[Any, QuestionnaireVersion], list[tuple[str, str]]]
    # the responses that match a chosen value
    narrow: Callable[[QuerySet[Response], str], QuerySet[Response]]
    # which questionnaires it is offered for (by default, all)
    applies_to: Callable[[Questionnaire], bool] = _always


_FILTERS: dict[str, SubjectFilter] = {}
RESERVED = frozenset({"version", "year", "organisation", "download", "answers"})


def register_subject_filter(subject_filter: SubjectFilter) -> SubjectFilter:
    if subject_filter.id in RESERVED:
        raise ValueError(f"{subject_filter.id!r} is one of the collation's own parameters")
    existing = _FILTERS.get(subject_filter.id)
    if existing is not None and existing != subject_filter:
        raise ValueError(f"Two collation filters are called {subject_filter.id!r}")
    _FILTERS[subject_filter.id] = subject_filter
    return subject_filter


def unregister_subject_filter(filter_id: str) -> None:
    _FILTERS.pop(filter_id, None)


def filters_for(questionnaire: Questionnaire) -> list[SubjectFilter]:
    return [f for f in _FILTERS.values() if f.applies_to(questionnaire)]


def narrowing(
    chosen: list[tuple[SubjectFilter, str]],
) -> Callable[[QuerySet[Response]], QuerySet[Response]] | None:
    """One ``ResponseFilters.subject`` that applies every chosen filter."""
    if not chosen:
        return None

    def narrow(responses: QuerySet[Response]) -> QuerySet[Response]:
        for subject_filter, value in chosen:
            responses = subject_filter.narrow(responses, value)
        return responses

    return narrow
