"""Questionnaires for tests, built through the services (a published version is the usual
starting point: one section and one question of every kind)."""

from __future__ import annotations

from typing import Any

from practica.core.models import Organisation
from practica.questionnaires import services
from practica.questionnaires.models import Questionnaire, QuestionnaireVersion, QuestionType

EVERY_KIND: list[dict[str, Any]] = [
    {"code": "supervision", "text": "Supervision was regular", "type": QuestionType.LIKERT},
    {
        "code": "setting",
        "text": "Setting",
        "type": QuestionType.SINGLE,
        "choices": ["Statutory", "Voluntary"],
    },
    {
        "code": "support",
        "text": "Support used",
        "type": QuestionType.MULTIPLE,
        "choices": ["Tutor", "Peer group", "Library"],
        "required": False,
    },
    {"code": "induction", "text": "Had an induction", "type": QuestionType.YES_NO},
    {"code": "caseload", "text": "Cases held", "type": QuestionType.NUMBER, "required": False},
    {"code": "comments", "text": "Comments", "type": QuestionType.TEXT, "required": False},
]

FULL_ANSWERS = {
    "supervision": "4",
    "setting": "statutory",
    "support": ["tutor", "library"],
    "induction": "yes",
    "caseload": "6",
    "comments": "A good team.",
}


def make_questionnaire(
    organisation: Organisation | None = None,
    *,
    partnership: Any = None,
    name: str = "Placement evaluation",
    anonymous: bool = False,
    questions: list[dict[str, Any]] | None = None,
    publish: bool = True,
) -> Questionnaire:
    questionnaire = services.create_questionnaire(
        actor=None,
        partnership=partnership or organisation.partnership,  # type: ignore[union-attr]  # one of them is given
        organisation=organisation,
        name=name,
        anonymous=anonymous,
    )
    version = services.latest_version(questionnaire)
    section = services.add_section(actor=None, version=version, title="The placement")
    for question in EVERY_KIND if questions is None else questions:
        services.add_question(actor=None, section=section, **question)
    if publish:
        services.publish_version(actor=None, version=version)
    return questionnaire


def published(questionnaire: Questionnaire) -> QuestionnaireVersion:
    version = services.latest_published(questionnaire)
    assert version is not None
    return version
