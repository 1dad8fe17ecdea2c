"""The demo's questionnaires: the shipped ones installed (the Practice Placement Evaluation Tool is
sent about last year's placements by ``demo/evaluations.py``) and the session feedback sent and
answered by most of those asked, with answers that lean positive and a few free-text comments.
Idempotent: a distribution is found by its title before it is sent."""

from __future__ import annotations

import random
from typing import Any

from practica.core.models import Organisation, Person
from practica.core.services import ensure_academic_year
from practica.demo import DEMO
from practica.questionnaires import services
from practica.questionnaires.models import Distribution, Questionnaire, QuestionType
from practica.questionnaires.standard import install_standard_questionnaires

YEAR = 2019
COMMENTS = [
    "The team made me feel welcome from the first day.",
    "Supervision was always protected, even when the team was short-staffed.",
    "More time to read case files before the first visits would help.",
    "The university tutor visited early, which helped set expectations.",
    "Workload grew quickly in the second half of the placement.",
    "Co-working with experienced social workers was the most useful part.",
]
# (questionnaire, title, who is asked, how many of them answer)
# (the Practice Placement Evaluation Tool is sent about last year's placements themselves:
# demo/evaluations.py)
SENDINGS = [
    ("session-feedback", "Practice educator forum, February 2020", "educators", 0.7),
]


def load(organisations: dict[str, Organisation]) -> None:
    partnership = organisations["MC"].partnership
    install_standard_questionnaires(actor=None, partnership=partnership)
    year = ensure_academic_year(start_year=YEAR)
    for slug, title, who, share in SENDINGS:
        questionnaire = (
            Questionnaire.objects.unscoped(DEMO).filter(partnership=partnership, slug=slug).get()
        )
        version = services.latest_published(questionnaire)
        if version is None or Distribution.objects.filter(version=version, title=title).exists():
            continue
        people = _people(organisations, who)
        distribution = services.distribute(
            actor=None,
            version=version,
            title=title,
            recipients=people,
            academic_year=year,
            send=False,
        )
        rng = random.Random(f"questionnaires/{slug}")  # the same answers on every load
        for invitation in distribution.invitations.order_by("person__email"):
            if rng.random() < share:
                services.submit_response(invitation=invitation, answers=answers_for(version, rng))


def _people(organisations: dict[str, Organisation], who: str) -> list[Person]:
    """Students of the two universities, or staff of the two local authorities (standing in
    for the practice educators of last year's placements)."""
    codes = ("CCCU", "UOK") if who == "students" else ("MC", "KCC")
    people = (
        Person.objects.unscoped(DEMO)
        .filter(organisation__code__in=codes, user__isnull=True)
        .exclude(email="")
    )
    if who == "students":
        people = people.filter(student__isnull=False)
    else:
        people = people.filter(team__isnull=False)
    return list(people.select_related("organisation").order_by("email")[:14])


def answers_for(
    version: Any, rng: random.Random, *, questions: list[Any] | None = None
) -> dict[str, Any]:
    """Answers to ``version`` leaning positive; ``questions``: its questions (with their
    choices) when the caller has read them already (the generator, once per version)."""
    answers: dict[str, Any] = {}
    for question in services.questions_of(version) if questions is None else questions:
        options = [value for value, _label in question.options()]
        if not question.required and rng.random() < 0.3:
            continue
        if question.type == QuestionType.LIKERT:
            answers[question.code] = rng.choice(["2", "3", "4", "4", "4", "5", "5"])
        elif question.type == QuestionType.YES_NO:
            answers[question.code] = "yes" if rng.random() < 0.8 else "no"
        elif question.type == QuestionType.SINGLE:
            answers[question.code] = rng.choice(options)
        elif question.type == QuestionType.MULTIPLE:
            answers[question.code] = rng.sample(options, rng.randint(1, min(3, len(options))))
        elif question.type == QuestionType.NUMBER:
            answers[question.code] = str(rng.randint(3, 9))
        elif rng.random() < 0.6:
            answers[question.code] = rng.choice(COMMENTS)
    return answers
