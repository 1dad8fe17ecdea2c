"""The collation counts in the database (grouped by question and answer given) exactly what
counting answer by answer gives, in as many queries however many answered (issue 16)."""

from __future__ import annotations

import statistics
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practica.core.models import Organisation, Person
from practica.organisations.tests.factories import PersonFactory
from practica.questionnaires import selectors, services
from practica.questionnaires.models import Answer, Questionnaire, QuestionType, format_number
from practica.questionnaires.tests.factories import published
from practica.reports.registry import share

pytestmark = pytest.mark.django_db

# answers varied enough to meet every branch: points repeated, halves, empty optional answers,
# several choices in different orders, numbers with decimals, text left out
ANSWERS: list[dict[str, Any]] = [
    {"supervision": "1", "setting": "statutory", "support": ["tutor", "library"],
     "induction": "yes", "caseload": "6", "comments": "Busy."},
    {"supervision": "2", "setting": "voluntary", "support": [], "induction": "no",
     "caseload": "", "comments": ""},
    {"supervision": "5", "setting": "statutory", "support": ["library", "tutor"],
     "induction": "yes", "caseload": "2.5", "comments": "A good team."},
    {"supervision": "5", "setting": "statutory", "support": ["peer-group"],
     "induction": "yes", "caseload": "0", "comments": "A good team."},
    {"supervision": "3", "setting": "voluntary", "support": ["tutor"], "induction": "no",
     "caseload": "11", "comments": ""},
    {"supervision": "4", "setting": "statutory", "support": ["tutor", "peer-group", "library"],
     "induction": "yes", "caseload": "6", "comments": "Far to travel."},
    {"supervision": "2", "setting": "statutory", "support": [], "induction": "yes",
     "caseload": "7.25", "comments": "Quiet."},
]  # fmt: skip


def _answered(questionnaire: Questionnaire, people: list[Person], count: int) -> None:
    distribution = services.distribute(
        actor=None,
        version=published(questionnaire),
        title="Final placements 2019/20",
        recipients=people[:count],
        send=False,
    )
    for n, invitation in enumerate(distribution.invitations.order_by("pk")):
        services.submit_response(invitation=invitation, answers=ANSWERS[n % len(ANSWERS)])


def _round(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _answer_by_answer(questionnaire: Questionnaire) -> list[tuple[Any, ...]]:
    """What the collation showed when it read every answer into Python and counted there."""
    version = published(questionnaire)
    rows = []
    for section in version.sections.all():
        for question in section.questions.order_by("position", "pk"):
            given = list(Answer.objects.filter(question=question))
            numbers = [a.number for a in given if a.number is not None]
            mean = median = None
            if question.type in {QuestionType.LIKERT, QuestionType.NUMBER} and numbers:
                mean = _round(statistics.fmean(numbers))
                median = _round(statistics.median(numbers))
            options = []
            if question.type not in {QuestionType.NUMBER, QuestionType.TEXT}:
                if question.type == QuestionType.LIKERT:
                    counts = Counter(format_number(number) for number in numbers)
                else:
                    counts = Counter(value for a in given for value in a.chosen)
                options = [
                    (value, label, counts[value], share(counts[value], len(given)))
                    for value, label in question.options()
                ]
            texts = sorted(a.text for a in given if a.text)
            if question.type != QuestionType.TEXT:
                texts = []
            rows.append((question.code, len(given), mean, median, options, texts))
    return rows


def _collated(questionnaire: Questionnaire) -> list[tuple[Any, ...]]:
    collation = selectors.collate(published(questionnaire))
    return [
        (
            s.question.code,
            s.answered,
            s.mean,
            s.median,
            [(o.value, o.label, o.count, o.percent) for o in s.options],
            s.texts,
        )
        for s in collation.questions
    ]


@pytest.fixture
def people(org_a: Organisation) -> list[Person]:
    return [PersonFactory.create(organisation=org_a) for _ in range(30)]


@pytest.mark.parametrize("count", [5, 6, 7, 30])
def test_the_figures_are_those_counted_answer_by_answer(
    questionnaire: Questionnaire, people: list[Person], count: int
) -> None:
    _answered(questionnaire, people, count)

    collated = _collated(questionnaire)

    assert collated == _answer_by_answer(questionnaire)
    assert any(row[2] is not None for row in collated)  # a mean was worked out


def test_it_makes_as_many_queries_for_thirty_responses_as_for_six(
    questionnaire: Questionnaire, people: list[Person]
) -> None:
    _answered(questionnaire, people, 6)
    with CaptureQueriesContext(connection) as few:
        selectors.collate(published(questionnaire))
    _answered(questionnaire, people[6:], 24)
    with CaptureQueriesContext(connection) as many:
        collation = selectors.collate(published(questionnaire))

    assert collation.respondents == 30
    assert len(many) == len(few)
