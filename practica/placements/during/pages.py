"""The home page's cards for what happens during placements (``core.home``): a coordinator's
checks expiring, placements behind on observations and open causes for concern; a student's
placement under way and what is due."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from practica.accounts import permissions
from practica.accounts.grants import MANAGE
from practica.accounts.models import Role
from practica.core.home import Card
from practica.placements.during import progress, selectors
from practica.placements.during.models import PreferenceWindow, PreplacementCheck, ReviewKind
from practica.placements.models import Placement, PlacementStatus, Student


def during_cards(request: Any) -> list[Card]:
    user, membership = request.user, request.membership
    if membership is None:
        return []
    role = Role(membership.role)
    if role == Role.STUDENT:
        return _student_cards(user)
    if role not in (Role.COORDINATOR, Role.ACADEMIC):
        return []
    today = timezone.localdate()
    placements_url = reverse("placements:placement-list")
    cards: list[Card] = []
    if membership.organisation.is_hei and permissions.can_in(user, MANAGE, PreferenceWindow):
        cards += _window_cards(user)
    if membership.organisation.is_hei and permissions.can_in(user, MANAGE, PreplacementCheck):
        days = settings.PRACTICA_CHECK_REMINDER_DAYS
        cards.append(
            Card(
                f"Checks expired or expiring within {days} days",
                selectors.checks_expiring_for(user, today, days).count(),
                reverse("placements:student-list"),
                "View students",
                "No check of a student with a placement expires soon.",
            )
        )
    behind = selectors.placements_behind(user, today)
    cards.append(
        Card(
            "Placements behind on direct observations",
            len(behind),
            behind[0].get_absolute_url()
            if len(behind) == 1
            else placements_url + "?status=in_progress",
            "View placements",
            "No placement in progress is behind.",
        )
    )
    concerns = list(selectors.open_concerns(user).select_related("placement")[:2])
    cards.append(
        Card(
            "Causes for concern open",
            selectors.open_concerns(user).count(),
            reverse("placements:concern-detail", args=[concerns[0].pk])
            if len(concerns) == 1
            else placements_url,
            "View",
            "No cause for concern is open.",
        )
    )
    return cards


def _preference_cards(user: Any) -> list[Card]:
    """A student's latest preference window: the days left while it is open, then what they
    submitted. (The home page shows a card's link only with a count, so each count here is
    one that is not 0 while there is something to follow.)"""
    student = selectors.own_student(user)
    window = selectors.windows_for(user, student).first() if student else None
    if student is None or window is None:
        return []
    submitted = selectors.preferences_of(user, student, window).count()
    today = timezone.localdate()
    url = reverse("placements:my-preferences")
    if window.is_open_on(today):
        return [
            Card(
                f"Days left to state your placement preferences "
                f"(until {date_format(window.closes_on, 'j F Y')})",
                (window.closes_on - today).days + 1,
                url,
                "Change your preferences" if submitted else "State your preferences",
            )
        ]
    if submitted:
        title = f"Your placement preferences, {window.academic_year}"
        return [Card(title, submitted, url, "See what you chose")]
    return []


def _window_cards(user: Any) -> list[Card]:
    """A university coordinator: how many students stated preferences in the latest window,
    or, before any window, how many students could (with the link to open one)."""
    windows = PreferenceWindow.objects.visible_to(user, MANAGE).order_by(
        "-academic_year__start_year"
    )
    window = windows.select_related("academic_year").first()
    if window is None:
        return [
            Card(
                "Students who could state placement preferences",
                Student.objects.visible_to(user, MANAGE).count(),
                reverse("placements:preference-window-create"),
                "Open a window for their preferences",
                "No student is recorded yet.",
            )
        ]
    students = len({c.student_id for c in selectors.window_preferences(user, window)})
    return [
        Card(
            f"Students who stated placement preferences, {window.academic_year}",
            students,
            reverse("placements:preference-window-detail", args=[window.pk]),
            "See their choices",
            f"None yet. The window is open from {date_format(window.opens_on, 'j F Y')} to "
            f"{date_format(window.closes_on, 'j F Y')}.",
        )
    ]


def _student_cards(user: Any) -> list[Card]:
    """The student's placement under way: days signed off and the next thing due."""
    return _preference_cards(user) + _placement_cards(user)


def _placement_cards(user: Any) -> list[Card]:
    placement = (
        Placement.objects.visible_to(user)
        .filter(
            student__person__user_id=user.pk,
            status__in=[PlacementStatus.CONFIRMED, PlacementStatus.IN_PROGRESS],
        )
        .order_by("-starts_on")
        .first()
    )
    if placement is None:
        return []
    attendance = progress.attendance_of(placement)
    return [
        Card(
            f"Days of your placement still to be signed off (of {placement.days})",
            int(attendance.remaining),
            reverse("placements:placement-during", args=[placement.pk]),
            due_next(user, placement),
            "Every day of your placement is signed off.",
        )
    ]


def due_next(user: Any, placement: Placement) -> str:
    """What the student has to do next on the placement, in a few words."""
    today = timezone.localdate()
    reviews = selectors.reviews_of(user, placement)
    if ReviewKind.LEARNING_AGREEMENT not in reviews:
        return "Due: your learning agreement meeting"
    if placement.starts_on and placement.starts_on <= today:
        monday = today - datetime.timedelta(days=today.weekday())
        if not selectors.weeks_of(user, placement).filter(week_starting=monday).exists():
            return "Due: log this week's attendance"
    if progress.share_elapsed(placement, today) >= 0.5 and ReviewKind.MIDPOINT not in reviews:
        return "Due: your midpoint review"
    if progress.share_elapsed(placement, today) >= 1 and ReviewKind.FINAL not in reviews:
        return "Due: your final review"
    return "See your attendance and reviews"
