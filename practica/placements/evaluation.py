"""Placement evaluations: the Practice Placement Evaluation Tool sent to the people of a
placement, and what came back, collated for the placements a viewer may read
(docs/0031-placement-evaluation.md).

The questionnaire engine knows nothing of placements. This module is the placements side:

- it sends the engine's published versions (student and practice educator) with each link's
  *subject* set to the placement (``questionnaires.services.distribute``), so every response
  names the placement it is about;
- it registers, from ``PlacementsConfig.ready()``, the collation filters (providing
  organisation, team, service area, route) and how a link describes its placement to the person
  answering;
- it reads the responses about the placements a viewer may read (``READ_EVALUATIONS``) and
  compares student and educator answers for the placements where both answered.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from practica.accounts import permissions
from practica.core.academic_years import parse_academic_year
from practica.core.models import AcademicYear, Organisation, Partnership, Person, ServiceArea, Team
from practica.imports.framework import ImportCellError
from practica.placements.importers import partner
from practica.placements.models import Placement, PlacementStatus, PlacementType, Route
from practica.placements.rules import EVALUATE, READ_EVALUATIONS
from practica.questionnaires import filters as subject_filters
from practica.questionnaires import selectors as questionnaire_selectors
from practica.questionnaires import services as questionnaire_services
from practica.questionnaires import subjects
from practica.questionnaires.models import (
    Invitation,
    Questionnaire,
    QuestionnaireVersion,
    QuestionType,
    Response,
)
from practica.questionnaires.selectors import ResponseFilters

if TYPE_CHECKING:
    from practica.accounts.models import User
    from practica.accounts.permissions import Viewer

STUDENT, EDUCATOR = "student", "educator"
# the shipped questionnaires (questionnaires/standard.py), found by their short names
SLUGS = {STUDENT: "placement-evaluation-student", EDUCATOR: "placement-evaluation-educator"}
WHO = {STUDENT: "students", EDUCATOR: "practice educators and on-site supervisors"}
# a placement is evaluated once it has started
EVALUATED_STATUSES = (
    PlacementStatus.IN_PROGRESS,
    PlacementStatus.COMPLETED,
    PlacementStatus.ENDED_EARLY,
)
# the question types compared side by side (a mean, or the share answering yes)
COMPARED_TYPES = frozenset({QuestionType.LIKERT, QuestionType.NUMBER, QuestionType.YES_NO})
OWN_SUBJECT = "a link's own subject: the person it was sent to is asked about this placement"


def placement_type() -> ContentType:
    return ContentType.objects.get_for_model(Placement)


def about[T: (Response, Invitation)](
    records: QuerySet[T], placements: QuerySet[Placement]
) -> QuerySet[T]:
    """The responses (or links) about any of ``placements``."""
    return records.filter(subject_type=placement_type(), subject_id__in=placements.values("pk"))


# --- sending -----------------------------------------------------------------------------------


def versions_for(partnership: Partnership | int) -> dict[str, QuestionnaireVersion]:
    """The latest published student and educator versions of the partnership's Practice
    Placement Evaluation Tool (missing ones are left out)."""
    found: dict[str, QuestionnaireVersion] = {}
    questionnaires = Questionnaire.objects.unscoped(
        "the partnership's own evaluation tool, found by its short name"
    ).filter(partnership=partnership, slug__in=SLUGS.values())
    for questionnaire in questionnaires:
        version = questionnaire_services.latest_published(questionnaire)
        if version is not None:
            who = next(key for key, slug in SLUGS.items() if slug == questionnaire.slug)
            found[who] = version
    return found


def people_of(placement: Placement) -> list[tuple[str, Person, str]]:
    """Whom an evaluation of ``placement`` asks: (which version, person, their part)."""
    people = [(STUDENT, placement.student.person, "Student")]
    if placement.practice_educator is not None:
        people.append((EDUCATOR, placement.practice_educator.person, "Practice educator"))
    supervisor = placement.onsite_supervisor
    if supervisor is not None and all(person.pk != supervisor.pk for _w, person, _p in people):
        people.append((EDUCATOR, supervisor, "On-site supervisor"))
    return people


@dataclass
class Sent:
    asked: int = 0
    # people left out, with why (no e-mail address)
    skipped: list[str] = field(default_factory=list)


@transaction.atomic
def send_evaluations(
    *,
    actor: User | None,
    placements: Sequence[Placement],
    closes_at: datetime.datetime | None = None,
    base_url: str = "",
    send: bool = True,
) -> Sent:
    """Sends the evaluation about each of ``placements``: the student gets the student
    version, the practice educator and on-site supervisor the educator version, each a personal
    single-use link whose response records the placement. Whoever was asked about a placement
    before is not asked again, so sending for a whole year twice asks only the new ones.

    Refuses placements that have not started, a partnership without the evaluation tool, and
    a list where nobody is left to ask. Who may send is the caller's to check (``EVALUATE``)."""
    if not placements:
        raise ValidationError("There are no placements to evaluate.")
    not_started = [p for p in placements if p.status not in EVALUATED_STATUSES]
    if not_started:
        raise ValidationError(
            f"The placement of {not_started[0].student.person.full_name} has not started: "
            "a placement is evaluated once it is under way or over."
        )
    partnerships = {p.organisation.partnership_id for p in placements}
    if len(partnerships) != 1:
        raise ValidationError("Send the evaluations of one partnership at a time.")
    versions = versions_for(partnerships.pop())
    if set(versions) != {STUDENT, EDUCATOR}:
        raise ValidationError(
            "The partnership has no published Practice Placement Evaluation Tool: install it "
            "with “practica questionnaires-install” first."
        )
    asked_before = set(
        Invitation.objects.filter(
            subject_type=placement_type(),
            subject_id__in=[p.pk for p in placements],
            distribution__version__questionnaire__slug__in=SLUGS.values(),
        ).values_list("person_id", "subject_id")
    )
    result = Sent()
    wanted: dict[tuple[str, AcademicYear], list[questionnaire_services.Recipient]] = defaultdict(
        list
    )
    for placement in placements:
        for who, person, part in people_of(placement):
            if (person.pk, placement.pk) in asked_before:
                continue
            if not person.email:
                result.skipped.append(f"{person.full_name} ({part.lower()}) has no e-mail address.")
                continue
            wanted[(who, placement.academic_year)].append(
                questionnaire_services.Recipient(person, placement)
            )
    if not wanted:
        raise ValidationError(
            " ".join(result.skipped)
            or "Everyone of these placements has been asked already: send reminders instead."
        )
    for (who, year), recipients in sorted(
        wanted.items(), key=lambda item: (item[0][1].start_year, item[0][0])
    ):
        questionnaire_services.distribute(
            actor=actor,
            version=versions[who],
            title=f"Placement evaluation {year.label} ({WHO[who]})",
            recipients=recipients,
            closes_at=closes_at,
            academic_year=year,
            base_url=base_url,
            send=send,
        )
        result.asked += len(recipients)
    return result


def remind_evaluations(
    *, actor: User | None, placements: QuerySet[Placement], base_url: str = ""
) -> int:
    """E-mails a fresh link to everyone asked about ``placements`` who has not answered while
    their link is open. Returns how many; refuses when nobody is left to remind."""
    invitations = about(Invitation.objects.all(), placements).filter(
        distribution__version__questionnaire__slug__in=SLUGS.values()
    )
    return questionnaire_services.remind_invitations(
        actor=actor, invitations=invitations, base_url=base_url
    )


# --- scope -------------------------------------------------------------------------------------


def readable_placements(user: Viewer) -> QuerySet[Placement]:
    """Placements whose evaluations ``user`` may read collated: a providing organisation's,
    a university's students', the partnership manager's all."""
    return Placement.objects.visible_to(user, READ_EVALUATIONS)


def sendable_placements(user: Viewer) -> QuerySet[Placement]:
    return Placement.objects.visible_to(user, EVALUATE)


def completed_in_year(user: Viewer, start_year: int) -> QuerySet[Placement]:
    """The placements of an academic year whose evaluation ``user`` sends as one: the completed
    ones they may send for (one ended early is sent for one at a time, from its page)."""
    return (
        sendable_placements(user)
        .filter(academic_year__start_year=start_year, status=PlacementStatus.COMPLETED)
        .select_related(
            "student__person",
            "organisation",
            "academic_year",
            "practice_educator__person",
            "onsite_supervisor",
        )
    )


def placement_for(user: Viewer, pk: int) -> Placement:
    """A placement ``user`` may see (its people see their own); 404 otherwise."""
    found = (
        Placement.objects.visible_to(user)
        .select_related(
            "student__person",
            "organisation",
            "team",
            "academic_year",
            "practice_educator__person",
            "onsite_supervisor",
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No placement found")
    return found


# --- filters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementFilter:
    """One way to narrow placements; offered both on the placements' evaluation page and, as a
    subject filter, on the engine's collation page."""

    id: str
    label: str
    choices: Callable[[QuerySet[Placement]], list[tuple[str, str]]]
    narrow: Callable[[QuerySet[Placement], str], QuerySet[Placement]]


def _providers(placements: QuerySet[Placement]) -> list[tuple[str, str]]:
    organisations = Organisation.objects.unscoped(
        "the providers of placements the viewer already reads"
    ).filter(pk__in=placements.values("organisation"))
    return [(o.code, o.name) for o in organisations.order_by("name")]


def _teams(placements: QuerySet[Placement]) -> list[tuple[str, str]]:
    teams = (
        Team.objects.unscoped("the teams of placements the viewer already reads")
        .filter(pk__in=placements.values("team"))
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
    return [(str(t.pk), f"{t.name} ({t.organisation.name})") for t in teams]


def _service_areas(placements: QuerySet[Placement]) -> list[tuple[str, str]]:
    areas = ServiceArea.objects.filter(pk__in=placements.values("team__service_area"))
    return [(a.code, a.name) for a in areas.order_by("name")]


def _routes(placements: QuerySet[Placement]) -> list[tuple[str, str]]:
    used = set(placements.values_list("student__route", flat=True))
    return [(value, label) for value, label in Route.choices if value in used]


def _team(placements: QuerySet[Placement], value: str) -> QuerySet[Placement]:
    return placements.filter(team_id=int(value)) if value.isdigit() else placements.none()


FILTERS = (
    PlacementFilter(
        "provider",
        "Providing organisation",
        _providers,
        lambda placements, value: placements.filter(organisation__code=value),
    ),
    PlacementFilter("team", "Team", _teams, _team),
    PlacementFilter(
        "service-area",
        "Service area",
        _service_areas,
        lambda placements, value: placements.filter(team__service_area__code=value),
    ),
    PlacementFilter(
        "route",
        "Student's route",
        _routes,
        lambda placements, value: placements.filter(student__route=value),
    ),
)


def _all_placements() -> QuerySet[Placement]:
    return Placement.objects.unscoped(
        "narrows responses the collation's viewer already reads; adds no rows"
    )


def _is_about_placements(questionnaire: Questionnaire) -> bool:
    return questionnaire.slug in SLUGS.values() or (
        Response.objects.filter(
            version__questionnaire=questionnaire, subject_type=placement_type()
        ).exists()
    )


def _subject_filter(placement_filter: PlacementFilter) -> subject_filters.SubjectFilter:
    def choices(viewer: Any, version: QuestionnaireVersion) -> list[tuple[str, str]]:
        answered = Response.objects.filter(version=version, subject_type=placement_type())
        return placement_filter.choices(
            readable_placements(viewer).filter(pk__in=answered.values("subject_id"))
        )

    def narrow(responses: QuerySet[Response], value: str) -> QuerySet[Response]:
        return about(responses, placement_filter.narrow(_all_placements(), value))

    return subject_filters.SubjectFilter(
        id=placement_filter.id,
        label=placement_filter.label,
        choices=choices,
        narrow=narrow,
        applies_to=_is_about_placements,
    )


def describe_link(invitation: Invitation) -> str:
    """What a link is about, for the person answering it."""
    if invitation.subject_id is None:
        return ""
    placement = (
        Placement.objects.unscoped(OWN_SUBJECT)
        .select_related("student__person", "organisation", "team")
        .filter(pk=invitation.subject_id)
        .first()
    )
    if placement is None:
        return ""
    kind = placement.get_placement_type_display().lower()
    where = f"{placement.setting_name}, {placement.organisation.name}"
    dates = ""
    if placement.starts_on and placement.ends_on:
        dates = f" ({placement.starts_on:%-d %B %Y} to {placement.ends_on:%-d %B %Y})"
    if invitation.person_id == placement.student.person_id:
        return f"About your {kind} with {where}{dates}."
    return f"About the {kind} of {placement.student.person.full_name} with {where}{dates}."


# --- a placement named in a file ---------------------------------------------------------------

REFERENCE_HELP = (
    "the student's university code and reference, the academic year, the type of placement "
    "and its start date, separated by spaces, like CCCU 21034567 2019/20 final_100 2020-01-06"
)


def placement_reference(placement: Placement) -> str:
    """How a file names ``placement`` (the ``placements`` import's natural key, in one cell)."""
    parts = [
        placement.student.hei.code,
        placement.student.student_ref,
        placement.academic_year.label,
        placement.placement_type,
    ]
    if placement.starts_on is not None:
        parts.append(placement.starts_on.isoformat())
    return " ".join(parts)


@dataclass(frozen=True)
class PlacementReference:
    hei: str
    student_ref: str
    start_year: int
    placement_type: str
    starts_on: datetime.date | None


def parse_placement_reference(text: str) -> PlacementReference | None:
    """The parts of ``placement_reference``'s text; None when it is not one."""
    parts = text.split()
    starts_on = None
    if parts:
        try:
            starts_on = datetime.date.fromisoformat(parts[-1])
            parts = parts[:-1]
        except ValueError:
            pass
    if len(parts) < 4 or parts[-1].lower() not in PlacementType.values:
        return None
    try:
        start_year = parse_academic_year(parts[-2])
    except ValidationError:
        return None
    return PlacementReference(
        parts[0].upper(), " ".join(parts[1:-2]), start_year, parts[-1].lower(), starts_on
    )


def _references(ids: Iterable[int]) -> dict[int, str]:
    placements = (
        Placement.objects.unscoped("names in an export the placements its answers are about")
        .filter(pk__in=list(ids))
        .select_related("student__hei", "academic_year")
    )
    return {placement.pk: placement_reference(placement) for placement in placements}


def placement_named(text: str, viewer: Any) -> Placement | None:
    """The placement ``text`` names, among those whose evaluations ``viewer`` reads."""
    reference = parse_placement_reference(text)
    if reference is None:
        return None
    placements = (
        _all_placements() if viewer is permissions.OPERATOR else readable_placements(viewer)
    )
    return placements.filter(
        student__hei__code__iexact=reference.hei,
        student__student_ref__iexact=reference.student_ref,
        academic_year__start_year=reference.start_year,
        placement_type=reference.placement_type,
        **(
            {"starts_on": reference.starts_on}
            if reference.starts_on
            else {"starts_on__isnull": True}
        ),
    ).first()


def _referenced_is_pending(text: str, ctx: Any) -> bool:
    """Whether an earlier file of the import creates the placement ``text`` names."""
    reference = parse_placement_reference(text)
    if reference is None:
        return False
    try:
        hei = partner.parse(reference.hei, ctx)
    except ImportCellError:
        return False
    key = (hei, reference.student_ref, reference.start_year, reference.placement_type)
    return bool(ctx.is_pending("placements", *key, reference.starts_on))


def register() -> None:
    """Called from ``PlacementsConfig.ready()``: the collation filters, the link's words, and
    how a file of past answers names the placement they are about."""
    for placement_filter in FILTERS:
        subject_filters.register_subject_filter(_subject_filter(placement_filter))
    subjects.register_subject_describer("placements.placement", describe_link)
    subjects.register_subject_reference(
        subjects.SubjectReference(
            kind="placement",
            model_label="placements.placement",
            write=_references,
            find=placement_named,
            help=REFERENCE_HELP,
            pending=_referenced_is_pending,
            import_kind="placements",
        )
    )


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chosen:
    """The filters of the evaluation page: the placement's academic year (start year) and each
    ``FILTERS`` value chosen (id → value)."""

    year: int | None = None
    values: tuple[tuple[str, str], ...] = ()

    def apply(self, placements: QuerySet[Placement]) -> QuerySet[Placement]:
        if self.year is not None:
            placements = placements.filter(academic_year__start_year=self.year)
        by_id = {f.id: f for f in FILTERS}
        for filter_id, value in self.values:
            placements = by_id[filter_id].narrow(placements, value)
        return placements


def response_filters(placements: QuerySet[Placement]) -> ResponseFilters:
    """The engine's filters for the responses about ``placements`` (already scoped)."""
    return ResponseFilters(subject=lambda responses: about(responses, placements))


def placements_with_status(placements: QuerySet[Placement]) -> QuerySet[Placement]:
    """``placements`` with whether the student and the educators were asked and answered."""
    links = Invitation.objects.filter(subject_type=placement_type(), subject_id=OuterRef("pk"))
    annotations = {}
    for who, slug in SLUGS.items():
        asked = links.filter(distribution__version__questionnaire__slug=slug)
        annotations[f"{who}_asked"] = Exists(asked)
        annotations[f"{who}_answered"] = Exists(asked.filter(used=True))
    return placements.annotate(**annotations).select_related(
        "student__person", "organisation", "team", "academic_year"
    )


@dataclass
class ComparedQuestion:
    code: str
    text: str
    kind: str  # "mean" or "yes" (share answering yes)
    student: Decimal | None
    educator: Decimal | None
    student_count: int
    educator_count: int

    @property
    def difference(self) -> Decimal | None:
        if self.student is None or self.educator is None:
            return None
        return self.student - self.educator


@dataclass
class Comparison:
    versions: dict[str, QuestionnaireVersion]
    placements: int  # placements where the student and an educator answered
    threshold: int
    questions: list[ComparedQuestion] = field(default_factory=list)

    @property
    def suppressed(self) -> bool:
        return self.placements < self.threshold

    def chart_data(self) -> dict[str, Any]:
        means = [q for q in self.questions if q.kind == "mean"]
        return {
            "labels": [q.text for q in means],
            "datasets": [
                {"label": "Students", "data": [float(q.student or 0) for q in means]},
                {"label": "Educators", "data": [float(q.educator or 0) for q in means]},
            ],
        }


def compare(
    placements: QuerySet[Placement], versions: dict[str, QuestionnaireVersion]
) -> Comparison:
    """Student and educator answers side by side, per question both versions ask (same code)
    with a scale, a number or yes or no: each side's mean (or share answering yes) and how many
    answered. Only placements where the student and at least one educator answered count; over
    fewer of them than the small-number rule allows it shows no figures.

    Each side's figures are the engine's collation of its version over the responses about
    those placements (``questionnaires.selectors.collate``): the comparison sets two collations
    side by side and computes nothing of its own."""
    threshold = questionnaire_selectors.min_respondents()
    if set(versions) != {STUDENT, EDUCATOR}:
        return Comparison(versions, 0, threshold)
    # the placements both sides answered about, as a subquery: never a list of ids
    both = placements
    for who in (STUDENT, EDUCATOR):
        both = both.filter(
            pk__in=Response.objects.filter(
                version=versions[who], subject_type=placement_type()
            ).values("subject_id")
        )
    comparison = Comparison(versions, both.count(), threshold)
    if comparison.suppressed:
        return comparison
    same_placements = response_filters(both)
    summaries = {
        who: {
            summary.question.code: summary
            for summary in questionnaire_selectors.collate(versions[who], same_placements).questions
        }
        for who in versions
    }
    for code, student in summaries[STUDENT].items():
        educator = summaries[EDUCATOR].get(code)
        kind_of_question = student.question.type
        if (
            kind_of_question not in COMPARED_TYPES
            or educator is None
            or educator.question.type != kind_of_question
        ):
            continue
        kind = "yes" if kind_of_question == QuestionType.YES_NO else "mean"
        comparison.questions.append(
            ComparedQuestion(
                code,
                student.question.text,
                kind,
                _figure(kind, student),
                _figure(kind, educator),
                student.answered,
                educator.answered,
            )
        )
    return comparison


def _figure(kind: str, summary: questionnaire_selectors.QuestionSummary) -> Decimal | None:
    """A side's figure from its collation: the mean, or the percentage answering yes."""
    if kind == "mean":
        return summary.mean
    return next((option.percent for option in summary.options if option.value == "yes"), None)


def own_responses(user: Viewer, placement: Placement) -> list[Response]:
    """The viewer's own answers about ``placement`` (a respondent sees only theirs)."""
    user_id = getattr(user, "pk", None)
    if not getattr(user, "is_authenticated", False) or user_id is None:
        return []
    return list(
        Response.objects.filter(
            subject_type=placement_type(),
            subject_id=placement.pk,
            person__user_id=user_id,
        )
        .select_related("version__questionnaire")
        .prefetch_related("answers__question__choices")
    )


def asked_about(placement: Placement) -> list[Invitation]:
    """Who was asked about ``placement`` and whether they answered (never their answers)."""
    return list(
        Invitation.objects.filter(subject_type=placement_type(), subject_id=placement.pk)
        .select_related("person", "distribution__version__questionnaire")
        .order_by("distribution__created_at", "pk")
    )
