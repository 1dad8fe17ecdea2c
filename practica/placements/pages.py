"""What the placements app adds to other apps' pages: home-page cards (``core.home``) and the
placements a practice educator supervised on their profile (``core.profiles``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from practica.accounts import permissions
from practica.accounts.grants import MANAGE
from practica.accounts.models import Role
from practica.core.academic_years import format_academic_year
from practica.core.home import Card
from practica.placements import selectors
from practica.placements.models import PlacementOffer, PlacementStatus, Student


def placement_cards(request: Any) -> list[Card]:
    """Coordinators: offers with free slots and placements to act on (an LA), students without
    a placement (a university); a student: their placements."""
    user, membership = request.user, request.membership
    if membership is None:
        return []
    role = Role(membership.role)
    if role == Role.STUDENT:
        return _student_cards(user)
    if role == Role.ACADEMIC and membership.organisation.is_hei:
        return _university_cards(user)
    if role != Role.COORDINATOR:
        return []
    cards: list[Card] = []
    year = selectors.planning_year(user)
    label = format_academic_year(year)
    placements_url = reverse("placements:placement-list")
    if permissions.can_in(user, MANAGE, PlacementOffer):
        cards.append(
            Card(
                f"Offers with free places, {label}",
                selectors.offers_open_in(user, year).count(),
                reverse("placements:offer-list") + f"?year={label}",
                "View offers",
                "No offer has a free place. Offer placements for the year.",
            )
        )
        for status, title, link in (
            (PlacementStatus.REQUESTED, "Placements requested", "Match them to offers"),
            (PlacementStatus.MATCHED, "Placements to confirm", "Confirm them"),
        ):
            cards.append(
                Card(
                    title,
                    selectors.placements_waiting(user, status).count(),
                    placements_url + f"?status={status}",
                    link,
                    "None waiting.",
                )
            )
    if membership.organisation.is_hei:
        cards += _university_cards(user)
    if membership.organisation.is_hei and permissions.can_in(user, MANAGE, Student):
        cards.append(
            Card(
                f"Students without a placement, {label}",
                selectors.unplaced_students(user, year).count(),
                reverse("placements:student-list"),
                "View students",
                "Every student who needs a placement has one.",
            )
        )
    return cards


def _university_cards(user: Any) -> list[Card]:
    """The university's students' placements in the planning year that are under way
    (confirmed or in progress), for its coordinators and academics."""
    year = selectors.planning_year(user)
    label = format_academic_year(year)
    under_way = selectors.placements_visible_to(user, year=label).filter(
        status__in=[PlacementStatus.CONFIRMED, PlacementStatus.IN_PROGRESS]
    )
    return [
        Card(
            f"Your students' placements under way, {label}",
            under_way.count(),
            reverse("placements:placement-list") + f"?year={label}",
            "View placements",
            "None under way.",
        )
    ]


def _student_cards(user: Any) -> list[Card]:
    placements = list(selectors.own_placements(user)[:1])
    if not placements:
        return [Card("Your placement", 0, "", "", "No placement is recorded for you yet.")]
    latest = placements[0]
    return [
        Card(
            f"Your placement: {latest.get_placement_type_display()} ({latest.academic_year})",
            selectors.own_placements(user).count(),
            latest.get_absolute_url(),
            f"{latest.setting_name}, {latest.get_status_display().lower()}",
        )
    ]


def supervised_section(request: HttpRequest, educator: Any) -> str:
    """The placements a practice educator supervised, on their profile, as far as the viewer
    may see them ("" for none: the profile then says placements are not recorded)."""
    placements = list(selectors.placements_supervised_by(request.user, educator.pk))
    if not placements:
        return ""
    return render_to_string(
        "placements/includes/supervised.html",
        {"placements": placements, "educator": educator},
        request=request,
    )
