"""Scoped reads of the records kept during a placement: each starts from ``visible_to``."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from practica.accounts.grants import MANAGE, VIEW
from practica.core.models import Location, OrganisationKind
from practica.placements.during import progress
from practica.placements.during.checks import required_kinds
from practica.placements.during.models import (
    OPEN_CONCERN_STATUSES,
    AttendanceWeek,
    CauseForConcern,
    DirectObservation,
    PlacementReview,
    PreferenceWindow,
    PreplacementCheck,
    SkillsDays,
    StudentPreference,
)
from practica.placements.during.rules import CONCERNS, STATE_PREFERENCES
from practica.placements.models import OPEN_STATUSES, Placement, PlacementStatus, Student

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer
    from practica.placements.models import PlacementLink

LINK_WEEKS = "the weeks of the link's own placement, which the link holder signs off"


def placement_with(user: Viewer, pk: int, ability: str = VIEW) -> Placement:
    """The placement if ``user`` holds ``ability`` on it; 404 otherwise (also for one they may
    see but not act on: the page is not theirs)."""
    try:
        return (
            Placement.objects.visible_to(user, ability)
            .select_related(
                "student__person",
                "student__hei",
                "organisation",
                "team",
                "academic_year",
                "practice_educator__person",
                "onsite_supervisor",
            )
            .get(pk=pk)
        )
    except Placement.DoesNotExist:
        raise Http404("No placement found") from None


def student_with(user: Viewer, pk: int, ability: str = VIEW) -> Student:
    try:
        return Student.objects.visible_to(user, ability).select_related("person", "hei").get(pk=pk)
    except Student.DoesNotExist:
        raise Http404("No student found") from None


def checks_of(user: Viewer, student: Student) -> dict[str, PreplacementCheck]:
    """The student's checks ``user`` may see, by kind."""
    checks = PreplacementCheck.objects.visible_to(user).filter(student=student)
    return {check.kind: check for check in checks}


def skills_days_of(user: Viewer, student: Student) -> QuerySet[SkillsDays]:
    return SkillsDays.objects.visible_to(user).filter(student=student).order_by("held_on")


def weeks_of(user: Viewer, placement: Placement) -> QuerySet[AttendanceWeek]:
    return (
        AttendanceWeek.objects.visible_to(user)
        .filter(placement=placement)
        .select_related("logged_by", "signed_off_by", "signed_off_link")
        .order_by("week_starting")
    )


def week_of(user: Viewer, placement: Placement, pk: int) -> AttendanceWeek:
    try:
        return weeks_of(user, placement).get(pk=pk)
    except AttendanceWeek.DoesNotExist:
        raise Http404("No week found") from None


def reviews_of(user: Viewer, placement: Placement) -> dict[str, PlacementReview]:
    reviews = PlacementReview.objects.visible_to(user).filter(placement=placement)
    return {review.kind: review for review in reviews}


def observations_of(user: Viewer, placement: Placement) -> QuerySet[DirectObservation]:
    return DirectObservation.objects.visible_to(user).filter(placement=placement)


def concerns_of(user: Viewer, placement: Placement) -> QuerySet[CauseForConcern]:
    """The placement's causes for concern, if ``user`` may see them (its university, its
    provider, the people on the placement); none for anyone else."""
    return CauseForConcern.objects.visible_to(user).filter(placement=placement)


def open_concerns_of(user: Viewer, placement: Placement) -> int:
    """How many open causes for concern of the placement ``user`` may see."""
    return concerns_of(user, placement).filter(status__in=OPEN_CONCERN_STATUSES).count()


def concern_for(user: Viewer, pk: int, ability: str = VIEW) -> CauseForConcern:
    try:
        return (
            CauseForConcern.objects.visible_to(user, ability)
            .select_related("placement__student__person", "placement__organisation", "raised_by")
            .get(pk=pk)
        )
    except CauseForConcern.DoesNotExist:
        raise Http404("No cause for concern found") from None


# --- the home page's panels -------------------------------------------------------------------


def open_concerns(user: Viewer) -> QuerySet[CauseForConcern]:
    """Open causes for concern ``user`` runs (their university's students, their placements)."""
    return CauseForConcern.objects.visible_to(user, MANAGE).filter(status__in=OPEN_CONCERN_STATUSES)


def checks_expiring_for(user: Viewer, on: datetime.date, days: int) -> QuerySet[PreplacementCheck]:
    """Checks of the students ``user`` keeps (their university) that have expired or expire
    within ``days`` of ``on``, for students with a placement not yet finished."""
    return expiring(
        PreplacementCheck.objects.visible_to(user, MANAGE).filter(kind__in=required_kinds()),
        Placement.objects.visible_to(user),
        until=on + datetime.timedelta(days=days),
    )


def expiring(
    checks: QuerySet[PreplacementCheck], placements: QuerySet[Placement], *, until: datetime.date
) -> QuerySet[PreplacementCheck]:
    """The ``checks`` that have expired or expire by ``until`` of students with one of
    ``placements`` not yet finished: the one definition of a check that needs renewing."""
    return checks.filter(
        expires_on__isnull=False,
        expires_on__lte=until,
        student__in=placements.filter(status__in=OPEN_STATUSES).values("student"),
    )


def placements_behind(user: Viewer, on: datetime.date, ability: str = VIEW) -> list[Placement]:
    """Placements in progress that ``user`` holds ``ability`` on and that are behind on
    direct observations."""
    placements = (
        Placement.objects.visible_to(user, ability)
        .filter(status=PlacementStatus.IN_PROGRESS, starts_on__lte=on)
        .annotate(observed=Count("observations"))
        .select_related("student__person")
    )
    return [p for p in placements if progress.is_behind(p, p.observed, on)]


def can_see_concerns(user: Viewer, placement: Placement) -> bool:
    """Whether ``user`` runs the placement's concerns (its university or its provider)."""
    return Placement.objects.visible_to(user, CONCERNS).filter(pk=placement.pk).exists()


# --- student preferences ----------------------------------------------------------------------


def own_student(user: Viewer) -> Student | None:
    """The signed-in user's own student record (None: they are not a student)."""
    return (
        Student.objects.visible_to(user, STATE_PREFERENCES).select_related("person", "hei").first()
    )


def windows_for(user: Viewer, student: Student) -> QuerySet[PreferenceWindow]:
    return (
        PreferenceWindow.objects.visible_to(user)
        .filter(hei_id=student.hei_id)
        .select_related("academic_year")
        .order_by("-academic_year__start_year")
    )


def windows_with_preferences_for(
    user: Viewer, student: Student
) -> list[tuple[PreferenceWindow, list[StudentPreference]]]:
    """The student's windows, newest first, each with the student's choices in rank order:
    two queries, not one more a window (issue 16)."""
    choices = (
        StudentPreference.objects.visible_to(user)
        .filter(student=student)
        .select_related("service_area", "location")
        .order_by("rank")
    )
    windows = windows_for(user, student).prefetch_related(
        Prefetch("preferences", queryset=choices, to_attr="own_preferences")
    )
    return [(window, window.own_preferences) for window in windows]  # set by the Prefetch


def window_for(user: Viewer, pk: int, ability: str = VIEW) -> PreferenceWindow:
    try:
        return (
            PreferenceWindow.objects.visible_to(user, ability)
            .select_related("academic_year", "hei")
            .get(pk=pk)
        )
    except PreferenceWindow.DoesNotExist:
        raise Http404("No preference window found") from None


def preferences_of(
    user: Viewer, student: Student, window: PreferenceWindow
) -> QuerySet[StudentPreference]:
    return (
        StudentPreference.objects.visible_to(user)
        .filter(student=student, window=window)
        .select_related("service_area", "location")
        .order_by("rank")
    )


def window_preferences(user: Viewer, window: PreferenceWindow) -> QuerySet[StudentPreference]:
    """Every choice in the window that ``user`` may see, student by student."""
    return (
        StudentPreference.objects.visible_to(user)
        .filter(window=window)
        .select_related("student__person", "service_area", "location")
        .order_by("student__person__last_name", "student__person__first_name", "rank")
    )


def locations_to_choose(student: Student) -> QuerySet[Location]:
    """The towns of the organisations of the student's partnership that provide placements."""
    return (
        Location.objects.unscoped("the partnership's towns, names only, for a student to rank")
        .filter(organisation__partnership_id=student.hei.partnership_id)
        .exclude(organisation__kind=OrganisationKind.HEI)
        .select_related("organisation")
        .order_by("name", "organisation__name")
    )


def area_ranks(window: PreferenceWindow) -> dict[int, dict[int, int]]:
    """For the allocation engine: each student's rank of each service area they chose
    (``{student_id: {service_area_id: rank}}``)."""
    rows = (
        StudentPreference.objects.unscoped("the allocation reads every choice of a window")
        .filter(window_id=window.pk)
        .values_list("student_id", "service_area_id", "rank")
    )
    ranks: dict[int, dict[int, int]] = {}
    for student_id, area_id, rank in rows:
        ranks.setdefault(student_id, {})[area_id] = rank
    return ranks


def weeks_to_sign_off(link: PlacementLink) -> list[AttendanceWeek]:
    """The weeks of the link's placement (and only its) still waiting to be signed off."""
    weeks = AttendanceWeek.objects.unscoped(LINK_WEEKS).filter(
        placement_id=link.placement_id, signed_off_at__isnull=True
    )
    return list(weeks.order_by("week_starting"))
