"""Scoped reads of questionnaires, and the collation of their answers.

Every read that reaches a person starts from ``Questionnaire.objects.visible_to(user, ...)``;
versions, links and responses are reached through a questionnaire already held.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from practica.accounts import permissions
from practica.core.models import AcademicYear, Organisation, Person
from practica.questionnaires.models import (
    Answer,
    Distribution,
    Invitation,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    QuestionType,
    Response,
    format_number,
)
from practica.questionnaires.rules import DISTRIBUTE, MANAGE, RESULTS, VIEW
from practica.reports.registry import share

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


def min_respondents() -> int:
    """Fewer respondents than this and a summary shows no figures (settings, default 5)."""
    return int(getattr(settings, "PRACTICA_QUESTIONNAIRE_MIN_RESPONDENTS", 5))


def questionnaires_visible_to(user: Viewer) -> QuerySet[Questionnaire]:
    return (
        Questionnaire.objects.visible_to(user, VIEW)
        .select_related("organisation", "partnership")
        .annotate(version_count=Count("versions"))
        .order_by("name", "pk")
    )


def questionnaire_for(user: Viewer, pk: int, ability: str = VIEW) -> Questionnaire:
    """The questionnaire if ``user`` holds ``ability`` on it; 404 otherwise."""
    found = (
        Questionnaire.objects.visible_to(user, ability)
        .select_related("organisation", "partnership")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No questionnaire found")
    return found


def version_of(questionnaire: Questionnaire, number: int) -> QuestionnaireVersion:
    version = questionnaire.versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version")
    return version


def versions_of(questionnaire: Questionnaire) -> list[QuestionnaireVersion]:
    return list(
        questionnaire.versions.annotate(response_count=Count("responses")).order_by("-number")
    )


def sections_with_questions(version: QuestionnaireVersion) -> list[Any]:
    return list(version.sections.prefetch_related("questions__choices").order_by("position", "pk"))


def distributions_of(user: Viewer, questionnaire: Questionnaire) -> list[Distribution]:
    """The times ``questionnaire`` was sent that ``user`` may follow: all of them for whoever
    manages it; otherwise (a coordinator sending a questionnaire of the whole partnership to
    their people) those whose every recipient ``user`` may see, so that no one learns whom
    another organisation asked."""
    return _followed(user, questionnaire, _distributions(questionnaire))


def _distributions(questionnaire: Questionnaire) -> QuerySet[Distribution]:
    return (
        Distribution.objects.filter(version__questionnaire=questionnaire)
        .select_related("version", "academic_year")
        .annotate(
            invited=Count("invitations"),
            answered=Count("invitations", filter=Q(invitations__used=True)),
        )
        .order_by("-created_at", "pk")
    )


def _followed(
    user: Viewer, questionnaire: Questionnaire, found: QuerySet[Distribution]
) -> list[Distribution]:
    """Those of ``found`` that ``user`` may follow (``distributions_of``'s rule)."""
    distributions = list(found)
    if permissions.can(user, MANAGE, questionnaire):
        return distributions
    asked: dict[int, set[int]] = {}
    for distribution_id, person_id in Invitation.objects.filter(
        distribution__in=[d.pk for d in distributions]
    ).values_list("distribution_id", "person_id"):
        asked.setdefault(distribution_id, set()).add(person_id)
    everyone = set().union(*asked.values()) if asked else set()
    visible = set(
        Person.objects.visible_to(user).filter(pk__in=everyone).values_list("pk", flat=True)
    )
    return [d for d in distributions if asked.get(d.pk, set()) <= visible]


def distribution_of(user: Viewer, questionnaire: Questionnaire, pk: int) -> Distribution:
    """One of ``distributions_of`` (with its ``invited`` and ``answered`` counts); 404 for any
    other. Only that one is read."""
    for distribution in _followed(user, questionnaire, _distributions(questionnaire).filter(pk=pk)):
        return distribution
    raise Http404("No such distribution")


def invitations_of(distribution: Distribution) -> QuerySet[Invitation]:
    """Whom ``distribution`` asked, with their organisations (a queryset: the page shows them
    a page at a time)."""
    return distribution.invitations.select_related("person__organisation")


def people_to_ask(user: Viewer, questionnaire: Questionnaire) -> QuerySet[Person]:
    """The people ``user`` may send ``questionnaire`` to: people with an e-mail address whom
    they see, in the questionnaire's partnership."""
    if not permissions.can(user, DISTRIBUTE, questionnaire):
        return Person.objects.none()
    return (
        Person.objects.visible_to(user)
        .filter(organisation__partnership=questionnaire.partnership_id)
        .exclude(email="")
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )


def response_questionnaires(user: Viewer) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.visible_to(user, RESULTS)


# --- collation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseFilters:
    """Which responses a collation counts. ``subject`` lets a domain narrow to responses about
    its records (a callable that narrows a Response queryset, e.g. by ``subject_id__in``)."""

    organisations: tuple[int, ...] = ()
    academic_year: int | None = None  # start year
    subject: Callable[[QuerySet[Response]], QuerySet[Response]] | None = None


def responses_to(version: QuestionnaireVersion, filters: ResponseFilters) -> QuerySet[Response]:
    responses = Response.objects.filter(version=version)
    if filters.organisations:
        responses = responses.filter(organisation_id__in=filters.organisations)
    if filters.academic_year is not None:
        responses = responses.filter(academic_year__start_year=filters.academic_year)
    if filters.subject is not None:
        responses = filters.subject(responses)
    return responses


@dataclass
class OptionCount:
    value: str
    label: str
    count: int
    percent: Decimal | None


@dataclass
class QuestionSummary:
    question: Question
    answered: int
    options: list[OptionCount] = field(default_factory=list)
    mean: Decimal | None = None
    median: Decimal | None = None
    texts: list[str] = field(default_factory=list)
    suppressed: bool = False

    @property
    def has_chart(self) -> bool:
        return bool(self.options) and not self.suppressed

    def chart_data(self) -> dict[str, Any]:
        return {
            "labels": [option.label for option in self.options],
            "datasets": [{"label": "Answers", "data": [option.count for option in self.options]}],
        }


@dataclass
class Collation:
    version: QuestionnaireVersion
    respondents: int
    questions: list[QuestionSummary]
    threshold: int

    @property
    def suppressed(self) -> bool:
        return 0 < self.respondents < self.threshold or self.respondents == 0

    @property
    def small_number_message(self) -> str:
        return f"fewer than {self.threshold} responses"


def collate(version: QuestionnaireVersion, filters: ResponseFilters | None = None) -> Collation:
    """Per question of ``version``: how many answered; for the scale, choices and yes/no each
    answer's count and share of those who answered (several choices: of those who answered
    the question, so shares may add up to more than 100); mean and median for the scale and
    numbers; free text listed. Over fewer respondents than ``min_respondents()`` it shows no
    figures at all.

    The database counts the answers, grouped by question and answer given (``_tallies``):
    what comes back grows with the different answers, not with the responses; only free text
    is read answer by answer, to be listed."""
    filters = filters or ResponseFilters()
    threshold = min_respondents()
    responses = responses_to(version, filters)
    respondents = responses.count()
    suppressed = respondents < threshold
    questions = _questions(version)
    tallies: dict[int, list[_Tally]] = {}
    texts: dict[int, list[str]] = {}
    if not suppressed:
        tallies = _tallies(responses)
        texts = _texts(responses, [q.pk for q in questions if q.type == QuestionType.TEXT])
    summaries = []
    for question in questions:
        counted = tallies.get(question.pk, [])
        summary = QuestionSummary(
            question, answered=sum(tally.count for tally in counted), suppressed=suppressed
        )
        if not suppressed:
            _summarise(summary, question, counted, texts.get(question.pk, []))
        summaries.append(summary)
    return Collation(version, respondents, summaries, threshold)


def _questions(version: QuestionnaireVersion) -> list[Question]:
    """The questions of ``version`` in order, with their sections and choices: read once for
    the version object (a page that collates it twice, for two sets of responses, reads
    them once)."""
    cached: list[Question] | None = version.__dict__.get("_collated_questions")
    if cached is None:
        cached = version.__dict__["_collated_questions"] = list(
            Question.objects.filter(section__version=version)
            .select_related("section")
            .prefetch_related("choices")
            .order_by("section__position", "section__pk", "position", "pk")
        )
    return cached


@dataclass(frozen=True)
class _Tally:
    """How many answers to one question gave the same number and the same choices."""

    number: Decimal | None
    chosen: tuple[str, ...]
    count: int


def _tallies(responses: QuerySet[Response]) -> dict[int, list[_Tally]]:
    """The answers of ``responses`` counted per question and per answer given (one row per
    different answer), in one query."""
    rows = (
        Answer.objects.filter(response__in=responses)
        .order_by()
        .values("question_id", "number", "chosen")
        .annotate(count=Count("pk"))
    )
    tallies: dict[int, list[_Tally]] = {}
    for row in rows:
        chosen = tuple(row["chosen"] or ())
        tallies.setdefault(row["question_id"], []).append(
            _Tally(row["number"], chosen, row["count"])
        )
    return tallies


def _texts(responses: QuerySet[Response], question_ids: list[int]) -> dict[int, list[str]]:
    """The free-text answers of ``responses`` to ``question_ids`` (those not left empty)."""
    texts: dict[int, list[str]] = {}
    if not question_ids:
        return texts
    rows = (
        Answer.objects.filter(response__in=responses, question_id__in=question_ids)
        .exclude(text="")
        .order_by()
        .values_list("question_id", "text")
    )
    for question_id, text in rows:
        texts.setdefault(question_id, []).append(text)
    return texts


def _summarise(
    summary: QuestionSummary, question: Question, counted: list[_Tally], texts: list[str]
) -> None:
    if question.type == QuestionType.TEXT:
        summary.texts = sorted(texts)
        return
    numbers = sorted((tally.number, tally.count) for tally in counted if tally.number is not None)
    if question.type in {QuestionType.LIKERT, QuestionType.NUMBER} and numbers:
        summary.mean = _round(_mean(numbers))
        summary.median = _round(_median(numbers))
    if question.type == QuestionType.NUMBER:
        return
    counts: Counter[str] = Counter()
    if question.type == QuestionType.LIKERT:
        for number, count in numbers:
            counts[format_number(number)] += count
    else:
        for tally in counted:
            for value in tally.chosen:
                counts[value] += tally.count
    summary.options = [
        OptionCount(value, label, counts[value], share(counts[value], summary.answered))
        for value, label in question.options()
    ]


def _mean(numbers: list[tuple[Decimal, int]]) -> float:
    """``statistics.fmean`` of the numbers, each repeated its count of times: the exactly
    rounded sum of their floats (as ``math.fsum`` gives) over how many there are."""
    total = sum((Fraction(float(number)) * count for number, count in numbers), Fraction(0))
    return float(total) / sum(count for _number, count in numbers)


def _median(numbers: list[tuple[Decimal, int]]) -> Decimal:
    """``statistics.median`` of the numbers (sorted), each repeated its count of times."""
    n = sum(count for _number, count in numbers)

    def nth(index: int) -> Decimal:
        for number, count in numbers:
            if index < count:
                return number
            index -= count
        raise IndexError(index)

    if n % 2:
        return nth(n // 2)
    return (nth(n // 2 - 1) + nth(n // 2)) / 2


def _round(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def academic_years_answered(version: QuestionnaireVersion) -> list[AcademicYear]:
    return list(
        AcademicYear.objects.filter(
            pk__in=Response.objects.filter(version=version).values("academic_year")
        ).order_by("-start_year")
    )


def organisations_answered(user: Viewer, version: QuestionnaireVersion) -> list[Organisation]:
    return list(
        Organisation.objects.visible_to(user)
        .filter(pk__in=Response.objects.filter(version=version).values("organisation"))
        .order_by("name")
    )


def raw_rows(
    version: QuestionnaireVersion, filters: ResponseFilters | None = None
) -> list[dict[str, str]]:
    """Every answer of the filtered responses, one row per response and question, with a
    pseudonym for the response (R1, R2, … in a random-id order) instead of who gave it.
    Empty under the small-number rule."""
    filters = filters or ResponseFilters()
    responses = list(
        responses_to(version, filters)
        .select_related("organisation", "academic_year")
        .order_by("id")
    )
    if len(responses) < min_respondents():
        return []
    pseudonyms = {response.pk: f"R{n}" for n, response in enumerate(responses, start=1)}
    by_pk = {response.pk: response for response in responses}
    rows = []
    answers = (
        Answer.objects.filter(response__in=[response.pk for response in responses])
        .select_related("question__section")
        .order_by("response_id", "question__section__position", "question__position")
    )
    for answer in answers:
        response = by_pk[answer.response_id]
        rows.append(
            {
                "respondent": pseudonyms[response.pk],
                "version": str(version.number),
                "organisation": response.organisation.code if response.organisation else "",
                "academic_year": response.academic_year.label if response.academic_year else "",
                "section": answer.question.section.title,
                "question": answer.question.code,
                "question_text": answer.question.text,
                "answer": answer.as_cell(),
            }
        )
    return rows
