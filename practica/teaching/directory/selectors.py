"""Scoped reads of the directories. Each starts from ``visible_to(user)``: the rules
(``teaching/rules.py``) decide who sees a contributor, consent included, so a contributor who
withdraws their consent to being listed drops out of every list, page, export and report here
at once."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse

from practica.accounts import permissions
from practica.accounts.grants import MANAGE, VIEW
from practica.core.home import Card
from practica.core.models import Organisation, Team
from practica.core.request_memo import remembered
from practica.core.scoping import get_visible_or_404
from practica.core.selectors import service_areas
from practica.teaching.directory.abilities import PRIVATE_DETAILS
from practica.teaching.directory.models import (
    REVIEW_INTERVAL_DAYS,
    ConsentKind,
    ContributorConsent,
    Expertise,
    ExpressionOfInterest,
    LivedExperienceContributor,
    PractitionerDiversity,
    PractitionerStatus,
    PractitionerTeacher,
    Shadowing,
)

if TYPE_CHECKING:
    from django.http import QueryDict

    from practica.accounts.permissions import Viewer


def review_cutoff(today: datetime.date) -> datetime.date:
    """An entry last reviewed before this day is overdue for its yearly review."""
    return today - datetime.timedelta(days=REVIEW_INTERVAL_DAYS)


def expertise_choices() -> QuerySet[Expertise]:
    return Expertise.objects.all()


# --- practitioner teachers ---------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryFilters:
    """The directory's GET parameters: a filtered view can be bookmarked and shared."""

    search: str = ""
    organisation: str = ""
    team: str = ""
    service_area: str = ""
    expertise: str = ""
    status: str = ""
    review: str = ""  # "overdue" for entries whose yearly review is overdue

    @classmethod
    def from_query(cls, query: QueryDict) -> DirectoryFilters:
        return cls(**{f.name: query.get(f.name, "").strip() for f in fields(cls)})

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


def _directory_queryset(
    queryset: QuerySet[PractitionerTeacher], today: datetime.date
) -> QuerySet[Any]:
    cutoff = review_cutoff(today)
    return (
        queryset.select_related(
            "person__organisation", "person__team__service_area", "service_area", "reviewed_by"
        )
        .prefetch_related(Prefetch("expertise", queryset=Expertise.objects.order_by("name")))
        .annotate(
            area_name=Coalesce("service_area__name", "person__team__service_area__name"),
            review_overdue=Case(
                When(Q(reviewed_on__isnull=True) | Q(reviewed_on__lt=cutoff), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )


def _filter_directory(queryset: QuerySet[Any], filters: DirectoryFilters) -> QuerySet[Any]:
    if filters.search:
        queryset = queryset.filter(
            Q(person__first_name__icontains=filters.search)
            | Q(person__last_name__icontains=filters.search)
            | Q(person__email__icontains=filters.search)
            | Q(modules_taught__icontains=filters.search)
        )
    if filters.organisation:
        queryset = queryset.filter(person__organisation__code__iexact=filters.organisation)
    if filters.team.isdigit():
        queryset = queryset.filter(person__team_id=int(filters.team))
    if filters.service_area:
        queryset = queryset.filter(
            Q(service_area__code=filters.service_area)
            | Q(service_area__isnull=True, person__team__service_area__code=filters.service_area)
        )
    if filters.expertise:
        queryset = queryset.filter(expertise__code=filters.expertise)
    if filters.status in PractitionerStatus.values:
        queryset = queryset.filter(status=filters.status)
    if filters.review == "overdue":
        queryset = queryset.filter(review_overdue=True)
    return queryset


def practitioner_teachers_visible_to(
    user: Viewer, *, filters: DirectoryFilters | None = None, today: datetime.date
) -> QuerySet[Any]:
    """The directory entries ``user`` may read, filtered, with the review annotated."""
    queryset = _directory_queryset(PractitionerTeacher.objects.visible_to(user), today)
    return _filter_directory(queryset, filters or DirectoryFilters())


def reviews_overdue_visible_to(user: Viewer, *, today: datetime.date) -> QuerySet[Any]:
    """Entries never reviewed, or last reviewed more than a year ago."""
    return practitioner_teachers_visible_to(user, today=today).filter(review_overdue=True)


def practitioner_teacher_for(user: Viewer, pk: int, *, ability: str = VIEW) -> PractitionerTeacher:
    """The entry if ``user`` holds ``ability`` on it; 404 otherwise."""
    teacher = (
        PractitionerTeacher.objects.visible_to(user, ability)
        .select_related(
            "person__organisation", "person__team__service_area", "service_area", "reviewed_by"
        )
        .filter(pk=pk)
        .first()
    )
    if teacher is None:
        raise Http404("No practitioner teacher found")
    return teacher


@remembered
def own_practitioner_entry(user: Viewer) -> PractitionerTeacher | None:
    pk = getattr(user, "pk", None)
    if pk is None:
        return None
    return PractitionerTeacher.objects.visible_to(user).filter(person__user_id=pk).first()


def own_diversity(user: Viewer, teacher: PractitionerTeacher) -> PractitionerDiversity | None:
    """The practitioner's own diversity answers in force (only they may read them)."""
    return (
        PractitionerDiversity.objects.visible_to(user)
        .filter(practitioner_teacher=teacher, withdrawn_on__isnull=True)
        .first()
    )


def directory_filter_choices(user: Viewer, *, organisation: str = "") -> dict[str, Any]:
    """What the directory's filter panel offers: the organisations whose practitioner teachers
    ``user`` may see, and the teams of the organisation chosen (its ``organisation`` code) or
    of the only one ``user`` sees, as the register's panel does (not every team of every
    organisation)."""
    ids = permissions.organisation_ids_for(user, VIEW, PractitionerTeacher)
    organisations = Organisation.objects.visible_to(user).filter(pk__in=ids)
    if len(ids) == 1:
        narrowed: Any = ids
    elif organisation:
        narrowed = organisations.filter(code__iexact=organisation).values("pk")
    else:
        narrowed = []
    return {
        "organisations": organisations,
        "teams": Team.objects.visible_to(user).filter(organisation_id__in=narrowed),
        "teams_need_organisation": len(ids) > 1 and not organisation,
        "service_areas": service_areas(),
        "expertise": expertise_choices(),
        "statuses": PractitionerStatus.choices,
    }


def interests_of(user: Viewer, teacher: PractitionerTeacher) -> list[ExpressionOfInterest]:
    """The teacher's expressions of interest that ``user`` may read, newest first."""
    return list(
        ExpressionOfInterest.objects.visible_to(user)
        .filter(person_id=teacher.person_id)
        .prefetch_related("areas")
    )


def shadowings_of(user: Viewer, teacher: PractitionerTeacher) -> list[Shadowing]:
    return list(
        Shadowing.objects.visible_to(user)
        .filter(practitioner_teacher=teacher)
        .select_related("shadowed__person")
    )


def shadowing_choices(teacher: PractitionerTeacher) -> QuerySet[PractitionerTeacher]:
    """Experienced practitioner teachers of the teacher's own organisation (active ones)."""
    return (
        PractitionerTeacher.objects.unscoped(
            "the active colleagues of an entry the coordinator manages"
        )
        .filter(
            person__organisation_id=teacher.person.organisation_id, status=PractitionerStatus.ACTIVE
        )
        .exclude(pk=teacher.pk)
        .select_related("person")
    )


def pt_reviews_card(request: Any) -> list[Card]:
    """The coordinator's home panel: directory entries overdue for their yearly review."""
    from django.utils import timezone

    user = request.user
    if not permissions.can_in(user, MANAGE, PractitionerTeacher):
        return []
    overdue = reviews_overdue_visible_to(user, today=timezone.localdate()).count()
    return [
        Card(
            "Practitioner teacher entries to review",
            overdue,
            reverse("teaching:pt-reviews"),
            "Review the entries",
            "Every entry has been reviewed in the last year.",
        )
    ]


def own_steps_card(request: Any) -> list[Card]:
    """A practitioner teacher's home panel: their steps towards teaching."""
    teacher = own_practitioner_entry(request.user)
    if teacher is None or teacher.status not in (
        PractitionerStatus.INTERESTED,
        PractitionerStatus.IN_TRAINING,
    ):
        return []
    from practica.teaching.directory.readiness import steps_of

    steps = steps_of(teacher)
    to_do = sum(1 for step in steps.steps if step.required and not step.done)
    return [
        Card(
            "Steps to becoming a practitioner teacher",
            to_do,
            reverse("teaching:pt-mine"),
            "See your steps",
            "Your steps are complete.",
        )
    ]


@remembered
def has_own_pt_page(user: Viewer) -> bool:
    """Practitioners (and those in the directory who may not read it) reach their own steps."""
    if permissions.can_in(user, VIEW, PractitionerTeacher):
        return False
    return own_practitioner_entry(user) is not None or permissions.can_in(
        user, "express_interest", ExpressionOfInterest
    )


# --- lived-experience contributors -------------------------------------------------------


@dataclass(frozen=True)
class ContributorFilters:
    search: str = ""
    organisation: str = ""
    area: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> ContributorFilters:
        return cls(**{f.name: query.get(f.name, "").strip() for f in fields(cls)})

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


def _in_force() -> Prefetch[Any]:
    return Prefetch(
        "consents",
        queryset=ContributorConsent.objects.unscoped(
            "the consents of contributors an outer, narrowed query has chosen"
        ).filter(withdrawn_on__isnull=True),
        to_attr="consents_in_force",
    )


def contributors_visible_to(
    user: Viewer, *, filters: ContributorFilters | None = None
) -> QuerySet[LivedExperienceContributor]:
    """The contributors ``user`` may read: their university's listed contributors, or those
    who agreed to be shared with the partnership's local authorities."""
    filters = filters or ContributorFilters()
    queryset = (
        LivedExperienceContributor.objects.visible_to(user)
        .select_related("person", "hei")
        .prefetch_related(
            Prefetch("areas", queryset=Expertise.objects.order_by("name")), _in_force()
        )
    )
    if filters.search:
        queryset = queryset.filter(
            Q(person__first_name__icontains=filters.search)
            | Q(person__last_name__icontains=filters.search)
            | Q(person__email__icontains=filters.search)
        )
    if filters.organisation:
        queryset = queryset.filter(hei__code__iexact=filters.organisation)
    if filters.area:
        queryset = queryset.filter(areas__code=filters.area)
    return queryset


def contributor_for(user: Viewer, pk: int, *, ability: str = VIEW) -> LivedExperienceContributor:
    contributor = (
        LivedExperienceContributor.objects.visible_to(user, ability)
        .select_related("person", "hei")
        .filter(pk=pk)
        .first()
    )
    if contributor is None:
        raise Http404("No contributor found")
    return contributor


def consent_for(user: Viewer, pk: int) -> ContributorConsent:
    """A consent of a contributor whose private details ``user`` may read (their university's
    staff and themselves); 404 otherwise."""
    consent: ContributorConsent = get_visible_or_404(ContributorConsent, user, VIEW, pk=pk)
    return consent


@remembered
def own_contributor_entry(user: Viewer) -> LivedExperienceContributor | None:
    pk = getattr(user, "pk", None)
    if pk is None:
        return None
    return LivedExperienceContributor.objects.visible_to(user).filter(person__user_id=pk).first()


@dataclass(frozen=True)
class ContributorPage:
    contributor: LivedExperienceContributor
    areas: list[Expertise]
    # None when the viewer may not read them (a local authority's staff)
    private: bool
    consents: list[ContributorConsent]
    in_force: set[str]


def contributor_page(user: Viewer, contributor: LivedExperienceContributor) -> ContributorPage:
    private = permissions.can(user, PRIVATE_DETAILS, contributor)
    consents = (
        list(
            ContributorConsent.objects.visible_to(user)
            .filter(contributor=contributor)
            .select_related("recorded_by")
        )
        if private
        else []
    )
    return ContributorPage(
        contributor=contributor,
        areas=list(contributor.areas.order_by("name")),
        private=private,
        consents=consents,
        in_force={consent.kind for consent in consents if consent.in_force},
    )


def contributor_filter_choices(user: Viewer) -> dict[str, Any]:
    ids = set(contributors_visible_to(user).order_by().values_list("hei_id", flat=True).distinct())
    return {
        "organisations": Organisation.objects.visible_to(user).filter(pk__in=ids),
        "areas": expertise_choices(),
    }


@remembered
def has_own_contributor_page(user: Viewer) -> bool:
    if permissions.can_in(user, MANAGE, LivedExperienceContributor):
        return False
    return own_contributor_entry(user) is not None


def consent_kinds_open(page: ContributorPage) -> list[tuple[str, str]]:
    """The consents not in force, which can be recorded now (listing first)."""
    if ConsentKind.DIRECTORY not in page.in_force:
        return [(ConsentKind.DIRECTORY.value, ConsentKind.DIRECTORY.label)]
    return [(kind, label) for kind, label in ConsentKind.choices if kind not in page.in_force]


def contributors_card(request: Any) -> list[Card]:
    """University staff's home panel: their directory of lived-experience contributors."""
    user = request.user
    if not permissions.can_in(user, MANAGE, LivedExperienceContributor):
        return []
    return [
        Card(
            "Lived-experience contributors",
            LivedExperienceContributor.objects.visible_to(user, MANAGE).count(),
            reverse("teaching:contributor-list"),
            "See the directory",
            "No contributor is listed yet.",
        )
    ]


def own_contributor_card(request: Any) -> list[Card]:
    """A contributor's home panel: their own entry and what they agreed to."""
    if not has_own_contributor_page(request.user):
        return []
    contributor = own_contributor_entry(request.user)
    in_force = (
        ContributorConsent.objects.visible_to(request.user)
        .filter(contributor=contributor, withdrawn_on__isnull=True)
        .count()
    )
    return [
        Card(
            "Consents you have given",
            in_force,
            reverse("teaching:contributor-mine"),
            "See your entry and consent",
            "You have withdrawn your consent. Ask your university if you would like to return.",
        )
    ]
