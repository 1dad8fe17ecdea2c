"""Scoped reads of CPD-needs surveys: the results with small numbers suppressed, the answers,
the mailings and who the survey goes to next."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q, QuerySet

from practica.core.models import Person
from practica.educators.models import PracticeEducator
from practica.learning.surveys.models import (
    CpdNeedsRating,
    CpdNeedsResponse,
    CpdNeedsSurvey,
    CpdNeedsSurveyMailing,
    PreferredFormat,
)
from practica.learning.surveys.suppression import SuppressedCount, suppress

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


def surveys_visible_to(user: Viewer) -> QuerySet[CpdNeedsSurvey]:
    """The surveys the user may see, each with ``topic_count`` and ``response_count``."""
    return (
        CpdNeedsSurvey.objects.visible_to(user)
        .select_related("academic_year", "partnership")
        .annotate(
            topic_count=Count("topics", distinct=True),
            response_count=Count("responses", distinct=True),
        )
    )


@dataclass(frozen=True)
class TopicSummary:
    name: str
    responses: int
    interested: int  # rated 4 or 5
    mean: Decimal | None
    distribution: list[int]  # how many rated 1, 2, 3, 4, 5

    @property
    def interested_share(self) -> Decimal | None:
        if not self.responses:
            return None
        return (Decimal(100) * self.interested / self.responses).quantize(Decimal("1"))


@dataclass(frozen=True)
class OrganisationRow:
    organisation: str
    respondents: SuppressedCount
    formats: list[SuppressedCount]


@dataclass(frozen=True)
class SurveySummary:
    survey: CpdNeedsSurvey
    respondents: int
    topics: list[TopicSummary]
    formats: list[tuple[str, int]]
    organisations: list[OrganisationRow]
    organisation_totals: OrganisationRow
    comments: list[str]

    def chart_data(self) -> dict[str, Any]:
        """What the bar chart shows (the same figures as the table beside it)."""
        return {
            "labels": [topic.name for topic in self.topics],
            "datasets": [
                {
                    "label": "Mean interest (1 to 5)",
                    "data": [float(t.mean) if t.mean is not None else None for t in self.topics],
                }
            ],
            "max": 5,
        }


def survey_summary(survey: CpdNeedsSurvey, *, with_comments: bool = False) -> SurveySummary:
    """Per topic: responses, how many rated 4 or 5 (and their share), the mean and the spread;
    preferred formats; respondents per organisation with counts of 1 to 4 suppressed (and a
    second cell where one suppressed cell could be worked out from the total). The caller has
    fetched ``survey`` with the RESULTS ability."""
    ratings = CpdNeedsRating.objects.filter(topic__survey=survey)
    per_topic: dict[int, dict[str, Any]] = {
        row["topic"]: dict(row)
        for row in ratings.values("topic").annotate(
            responses=Count("pk"),
            interested=Count("pk", filter=Q(interest__gte=4)),
            mean=Avg("interest"),
            **{f"r{value}": Count("pk", filter=Q(interest=value)) for value in range(1, 6)},
        )
    }
    topics = []
    for topic in survey.topics.all():
        row: dict[str, Any] = per_topic.get(topic.pk, {})
        mean = row.get("mean")
        topics.append(
            TopicSummary(
                name=topic.name,
                responses=row.get("responses", 0),
                interested=row.get("interested", 0),
                mean=Decimal(str(mean)).quantize(Decimal("0.1")) if mean is not None else None,
                distribution=[row.get(f"r{value}", 0) for value in range(1, 6)],
            )
        )
    responses = CpdNeedsResponse.objects.filter(survey=survey)
    format_counts = dict(
        responses.values_list("preferred_format").annotate(n=Count("pk")).order_by()
    )
    formats = [(label, format_counts.get(value, 0)) for value, label in PreferredFormat.choices]

    by_organisation: list[dict[str, Any]] = [
        dict(row)
        for row in responses.values("organisation__name")
        .annotate(
            total=Count("pk"),
            **{
                value: Count("pk", filter=Q(preferred_format=value))
                for value in PreferredFormat.values
            },
        )
        .order_by("organisation__name")
    ]
    table = [
        [row["total"], *(row[value] for value in PreferredFormat.values)] for row in by_organisation
    ]
    suppressed, totals = suppress(table, width=1 + len(PreferredFormat.values))
    organisations = [
        OrganisationRow(row["organisation__name"], cells[0], cells[1:])
        for row, cells in zip(by_organisation, suppressed, strict=True)
    ]
    comments = (
        list(responses.exclude(comments="").order_by("pk").values_list("comments", flat=True))
        if with_comments
        else []
    )
    return SurveySummary(
        survey=survey,
        respondents=responses.count(),
        topics=topics,
        formats=formats,
        organisations=organisations,
        organisation_totals=OrganisationRow("All organisations", totals[0], totals[1:]),
        comments=comments,
    )


def response_of(survey: CpdNeedsSurvey, person: Person | None) -> CpdNeedsResponse | None:
    if person is None:
        return None
    return CpdNeedsResponse.objects.filter(survey=survey, person=person).first()


def survey_mailings(survey: CpdNeedsSurvey) -> QuerySet[CpdNeedsSurveyMailing]:
    """The times the survey was e-mailed, first to last, each with who sent it,
    ``recipient_count``, how many people it is for, and ``sent_count``, how many of their
    e-mails have gone (fewer while the worker is sending)."""
    return (
        survey.mailings.select_related("sent_by")
        .annotate(
            recipient_count=Count("recipients", distinct=True),
            sent_count=Count("deliveries", distinct=True),
        )
        .order_by("sent_at", "pk")
    )


RECIPIENTS = "a survey goes to every practice educator of its partnership (docs/0007)"


def survey_recipients(survey: CpdNeedsSurvey) -> QuerySet[Person]:
    """Who the survey is sent to now: the practice educators on the register of the survey's
    partnership who have an e-mail address and have not answered it."""
    register = PracticeEducator.objects.unscoped(RECIPIENTS).values("person_id")
    return (
        Person.objects.unscoped(RECIPIENTS)
        .filter(organisation__partnership_id=survey.partnership_id, pk__in=register)
        .exclude(email="")
        .exclude(cpd_needs_responses__survey=survey)
        .order_by("email")
    )
