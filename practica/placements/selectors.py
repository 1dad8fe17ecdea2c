"""Scoped reads of students, offers and placements: each starts from ``visible_to(user)``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.grants import MANAGE
from practica.core import academic_years
from practica.core.models import AcademicYear, Organisation, OrganisationKind
from practica.educators.register.models import PracticeEducator
from practica.placements.models import (
    FILLING_STATUSES,
    Placement,
    PlacementOffer,
    PlacementStatus,
    Student,
    StudentStage,
)
from practica.placements.rules import REQUEST

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


def students_visible_to(
    user: Viewer,
    *,
    search: str = "",
    hei: str = "",
    route: str = "",
    year_of_study: str = "",
) -> QuerySet[Student]:
    """Students ``user`` may see, filtered by a search of name, e-mail and reference, the
    university's code, the route and the year of study (unknown values filter nothing out
    but an unknown year, which matches no one)."""
    students = Student.objects.visible_to(user).select_related("person", "hei")
    if search:
        students = students.filter(
            Q(person__first_name__icontains=search)
            | Q(person__last_name__icontains=search)
            | Q(person__email__icontains=search)
            | Q(student_ref__icontains=search)
        )
    if hei:
        students = students.filter(hei__code__iexact=hei)
    if route:
        students = students.filter(route=route)
    if year_of_study:
        students = students.filter(
            year_of_study=int(year_of_study) if year_of_study.isdigit() else -1
        )
    return students


def student_for(user: Viewer, pk: int) -> Student:
    """The student if ``user`` may see them; 404 otherwise (their existence stays secret)."""
    students = Student.objects.visible_to(user).select_related("person", "person__team", "hei")
    try:
        return students.get(pk=pk)
    except Student.DoesNotExist:
        raise Http404("No student found") from None


def student_to_manage(user: Viewer, pk: int) -> Student:
    """The student if ``user`` keeps their record (their university); 404 otherwise."""
    try:
        return Student.objects.visible_to(user, MANAGE).select_related("person", "hei").get(pk=pk)
    except Student.DoesNotExist:
        raise Http404("No student found") from None


def universities_visible_to(user: Viewer) -> QuerySet[Organisation]:
    """The universities whose students ``user`` may see (for the list's filter)."""
    ids = permissions.organisation_ids_for(user, permissions.VIEW, Student)
    return (
        Organisation.objects.visible_to(user)
        .filter(kind=OrganisationKind.HEI, pk__in=ids)
        .order_by("name")
    )


# --- placement offers and placements ----------------------------------------------------------


def offers_visible_to(
    user: Viewer, *, year: str = "", organisation: str = "", placement_type: str = ""
) -> QuerySet[PlacementOffer]:
    """Offers ``user`` may see, with how many of their slots are filled, filtered by academic
    year (2019/20), providing organisation's code and placement type."""
    offers = (
        PlacementOffer.objects.visible_to(user)
        .select_related("organisation", "team", "academic_year", "service_area", "location")
        .annotate(filled=_filled())
    )
    if year:
        offers = offers.filter(academic_year__start_year=_start_year(year))
    if organisation:
        offers = offers.filter(organisation__code__iexact=organisation)
    if placement_type:
        offers = offers.filter(placement_type=placement_type)
    return offers


def _filled() -> Count:
    return Count("placements", filter=Q(placements__status__in=FILLING_STATUSES), distinct=True)


def _start_year(text: str) -> int:
    try:
        return academic_years.parse_academic_year(text)
    except ValidationError:
        return -1  # an unknown year matches nothing


def offer_for(user: Viewer, pk: int) -> PlacementOffer:
    """The offer if ``user`` may see it; 404 otherwise."""
    offers = offers_visible_to(user).select_related(
        "practice_educator__person", "onsite_supervisor"
    )
    try:
        return offers.get(pk=pk)
    except PlacementOffer.DoesNotExist:
        raise Http404("No placement offer found") from None


def placements_of_offer(user: Viewer, offer: PlacementOffer) -> QuerySet[Placement]:
    return placements_visible_to(user).filter(offer=offer)


def placements_visible_to(
    user: Viewer,
    *,
    year: str = "",
    organisation: str = "",
    hei: str = "",
    status: str = "",
    placement_type: str = "",
    search: str = "",
) -> QuerySet[Placement]:
    """Placements ``user`` may see, filtered by year, providing organisation, university,
    status, type and a search of the student's name and reference."""
    placements = Placement.objects.visible_to(user).select_related(
        "student__person",
        "student__hei",
        "organisation",
        "team",
        "academic_year",
        "practice_educator__person",
        "onsite_supervisor",
    )
    if year:
        placements = placements.filter(academic_year__start_year=_start_year(year))
    if organisation:
        placements = placements.filter(organisation__code__iexact=organisation)
    if hei:
        placements = placements.filter(student__hei__code__iexact=hei)
    if status:
        placements = placements.filter(status=status)
    if placement_type:
        placements = placements.filter(placement_type=placement_type)
    if search:
        placements = placements.filter(
            Q(student__person__first_name__icontains=search)
            | Q(student__person__last_name__icontains=search)
            | Q(student__student_ref__icontains=search)
        )
    return placements


def placement_for(user: Viewer, pk: int) -> Placement:
    """The placement if ``user`` may see it; 404 otherwise."""
    try:
        return placements_visible_to(user).select_related("offer").get(pk=pk)
    except Placement.DoesNotExist:
        raise Http404("No placement found") from None


def placements_of_student(user: Viewer, student: Student) -> QuerySet[Placement]:
    return placements_visible_to(user).filter(student=student)


def placements_supervised_by(user: Viewer, educator_id: int) -> QuerySet[Placement]:
    """The placements ``user`` may see that this practice educator supervised or supervises."""
    return placements_visible_to(user).filter(practice_educator_id=educator_id)


def own_placements(user: Viewer) -> QuerySet[Placement]:
    """The placements of the user themselves as a student."""
    if user.pk is None:
        return Placement.objects.none()
    return placements_visible_to(user).filter(student__person__user_id=user.pk)


def unplaced_students(user: Viewer, start_year: int) -> QuerySet[Student]:
    """Students ``user`` keeps who need a placement (a stage other than done) and have none in
    the year, requested or further on (one that ended early does not count)."""
    placed = (
        Placement.objects.unscoped(
            "only to leave out students with a placement; the students are the viewer's"
        )
        .filter(
            student=OuterRef("pk"),
            academic_year__start_year=start_year,
        )
        .exclude(status=PlacementStatus.ENDED_EARLY)
    )
    return (
        Student.objects.visible_to(user, MANAGE)
        .exclude(stage__in=["", StudentStage.DONE])
        .exclude(Exists(placed))
        .select_related("person", "hei")
    )


def offers_open_in(user: Viewer, start_year: int) -> QuerySet[PlacementOffer]:
    """The offers ``user`` manages for the year that still have free slots."""
    return (
        PlacementOffer.objects.visible_to(user, MANAGE)
        .filter(academic_year__start_year=start_year)
        .annotate(filled=_filled())
        .filter(filled__lt=F("slots"))
        .select_related("organisation", "team", "academic_year")
    )


def educators_for_placements(user: Viewer) -> QuerySet[PracticeEducator]:
    """The practice educators ``user`` may name on an offer or a placement (those they read)."""
    return PracticeEducator.objects.visible_to(user).select_related("person")


def years_to_choose() -> QuerySet[AcademicYear]:
    return AcademicYear.objects.order_by("-start_year")


def providing_organisations(user: Viewer) -> QuerySet[Organisation]:
    """The organisations of ``user``'s partnerships that can provide placements (not HEIs)."""
    partnerships = permissions.partnership_ids_for(user, REQUEST, Placement)
    return (
        Organisation.objects.unscoped("the partnership's organisations, names only, to choose from")
        .filter(partnership_id__in=partnerships)
        .exclude(kind=OrganisationKind.HEI)
        .order_by("name")
    )


def students_to_request_for(user: Viewer) -> QuerySet[Student]:
    return Student.objects.visible_to(user, MANAGE).select_related("person", "hei")


def offers_to_match(user: Viewer, placement: Placement) -> QuerySet[PlacementOffer]:
    """Offers with a free slot that suit the placement: its organisation, year and type."""
    return offers_open_in(user, placement.academic_year.start_year).filter(
        organisation=placement.organisation, placement_type=placement.placement_type
    )


def placement_to_manage(user: Viewer, pk: int) -> Placement:
    """The placement if ``user`` runs its lifecycle (its providing organisation); 404 else."""
    try:
        return (
            Placement.objects.visible_to(user, MANAGE)
            .select_related("student__person", "organisation", "academic_year", "offer")
            .get(pk=pk)
        )
    except Placement.DoesNotExist:
        raise Http404("No placement found") from None


def offer_to_manage(user: Viewer, pk: int) -> PlacementOffer:
    try:
        return PlacementOffer.objects.visible_to(user, MANAGE).get(pk=pk)
    except PlacementOffer.DoesNotExist:
        raise Http404("No placement offer found") from None


def planning_year(user: Viewer) -> int:
    """The academic year the placement pages plan for: the latest that has offers or
    placements ``user`` may see, or the current one."""
    years = [
        model.objects.visible_to(user).aggregate(latest=Max("academic_year__start_year"))["latest"]
        for model in (PlacementOffer, Placement)
    ]
    known = [int(year) for year in years if year is not None]
    return max(known) if known else academic_years.academic_year_of(timezone.localdate())


def placements_waiting(user: Viewer, status: str) -> QuerySet[Placement]:
    """Placements ``user`` runs (their organisation provides them) in this status."""
    return Placement.objects.visible_to(user, MANAGE).filter(status=status)
