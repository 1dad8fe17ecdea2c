"""The practice educator work on each role's home page (``core.home``): what needs doing, with
counts that equal the rows of the filtered list each task links to.

- coordinators: PEs lapsing and lapsed, register reviews due, applications waiting for a
  decision, PEPS cohorts with candidates without an outcome; a partnership manager sees the
  same across the partnership, and headline figures for this and last academic year;
- a practice educator: their own currency, their next review, their applications;
- a line manager: applications waiting for their support (answered in Practica);
- a panel member (an academic, a colleague): applications waiting for their scores.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.grants import VIEW
from practica.accounts.models import Role
from practica.core.academic_years import academic_year_of, bounds, format_academic_year
from practica.core.home import Card
from practica.educators.recruitment import selectors as recruitment
from practica.educators.recruitment.models import PeApplication
from practica.educators.register import selectors as register
from practica.educators.register.currency import CurrencyStatus
from practica.educators.register.models import PracticeEducator
from practica.educators.training import selectors as training
from practica.educators.training.models import Outcome, PepsCohort, PepsEnrolment

PRACTICE_EDUCATORS = "Practice educators"
YOUR_WORK = "Your practice educator work"
SUPPORT = "Support requests"
PANELS = "Selection panels"
COORDINATING = {Role.COORDINATOR, Role.PARTNERSHIP_MANAGER}


def _url(name: str, **params: str) -> str:
    query = urlencode({key: value for key, value in params.items() if value})
    return reverse(f"educators:{name}") + (f"?{query}" if query else "")


def educator_tasks(request: Any) -> list[Card]:
    """The educators app's home panel for this request's user, in the role they act in."""
    user, membership = request.user, request.membership
    if membership is None:
        return []
    role = Role(membership.role)
    today = timezone.localdate()
    cards: list[Card] = []
    if role in COORDINATING:
        cards += coordinator_tasks(user, today=today)
    if role == Role.PARTNERSHIP_MANAGER:
        cards += headline_figures(user, today=today)
    cards += own_tasks(user, today=today)
    cards += line_manager_tasks(user, role=role)
    cards += panel_tasks(user, role=role)
    return cards


def coordinator_tasks(user: Any, *, today: datetime.date) -> list[Card]:
    cards: list[Card] = []
    if permissions.can_in(user, VIEW, PracticeEducator):
        counts = register.lapsing_counts_visible_to(user, today=today)
        cards += [
            Card(
                "Practice educators lapsing",
                counts["lapsing"],
                _url("lapsing", status=CurrencyStatus.LAPSING),
                "Offer them a student or update training",
                "Nobody is lapsing. Practice educators appear here months before their currency "
                "lapses, so that you can offer them a student or update training in time.",
                section=PRACTICE_EDUCATORS,
                status_colour="yellow",
                hint="Offer them a student or update training before their currency lapses.",
            ),
            Card(
                "Practice educators who have lapsed",
                counts["lapsed"],
                _url("lapsing", status=CurrencyStatus.LAPSED),
                "See who has lapsed",
                "No qualified practice educator has lapsed.",
                section=PRACTICE_EDUCATORS,
                status_colour="red",
                hint="They need a student or update training to be current again.",
            ),
            Card(
                "Register entries due for review",
                register.reviews_overdue_visible_to(user, today=today).count(),
                _url("reviews-due"),
                "Review them",
                "No entry is due for review. Entries appear here when their yearly review is due.",
                section=PRACTICE_EDUCATORS,
                hint="Check each entry with the practice educator and record the review.",
            ),
        ]
    if permissions.can_in(user, VIEW, PeApplication):
        cards.append(
            Card(
                "Applications waiting for a decision",
                recruitment.applications_visible_to(user, state="open").count(),
                _url("application-list", state="open"),
                "Take them forward",
                "No application is open. Applications appear here when a practitioner applies "
                "or you record one.",
                section=PRACTICE_EDUCATORS,
                hint="Ask for line manager support, choose a panel, record scores and decide.",
            )
        )
    if permissions.can_in(user, VIEW, PepsCohort):
        cards.append(
            Card(
                "PEPS cohorts with candidates without an outcome",
                training.cohorts_visible_to(user, outcome="waiting").count(),
                _url("cohort-list", outcome="waiting"),
                "Record their outcomes",
                "Every PEPS candidate has an outcome. Add a cohort to enrol this year's "
                "candidates.",
                section=PRACTICE_EDUCATORS,
                hint="Record whether each candidate passed, did not pass, deferred or withdrew.",
            )
        )
    return cards


def headline_figures(user: Any, *, today: datetime.date) -> list[Card]:
    """The partnership's figures for this and last academic year (a partnership manager)."""
    cards = [
        Card(
            "Practice educators on the register",
            register.educators_visible_to(user, today=today).count(),
            _url("register"),
            "View the register",
            kind="figure",
        ),
        Card(
            "Practice educators who are current",
            register.educators_visible_to(
                user, today=today, filters=register.RegisterFilters(currency="current")
            ).count(),
            _url("register", currency="current"),
            "View them",
            kind="figure",
        ),
    ]
    this_year = academic_year_of(today)
    for year in (this_year, this_year - 1):
        label = format_academic_year(year)
        first, last = bounds(year)
        passed = (
            PepsEnrolment.objects.visible_to(user)
            .filter(outcome=Outcome.PASSED, outcome_date__range=(first, last))
            .count()
        )
        received = (
            recruitment.applications_visible_to(user)
            .filter(created_at__date__range=(first, last))
            .count()
        )
        cards += [
            Card(
                f"PEPS passes, {label}",
                passed,
                _url("cohort-list", year=str(year)),
                "View the cohorts",
                kind="figure",
            ),
            Card(
                f"Applications received, {label}",
                received,
                _url("application-list"),
                "View applications",
                kind="figure",
            ),
        ]
    return cards


def own_tasks(user: Any, *, today: datetime.date) -> list[Card]:
    """A practice educator's own currency, next review and applications."""
    cards: list[Card] = []
    educator = register.own_entry(user)
    if educator is not None:
        profile = register.profile_of(educator, today=today)
        currency = profile.currency
        url = reverse("educators:detail", args=[educator.pk])
        colour = {
            CurrencyStatus.CURRENT: "green",
            CurrencyStatus.LAPSING: "yellow",
            CurrencyStatus.LAPSED: "red",
        }.get(currency.status, "grey")
        current_until = currency.current_until
        cards.append(
            Card(
                "Your currency",
                None,
                url,
                "See your entry",
                section=YOUR_WORK,
                status=str(CurrencyStatus(currency.status).label),
                status_colour=colour,  # type: ignore[arg-type]  # one of the tag colours
                hint=currency.reasons[0]
                if currency.reasons
                else (f"Current until {current_until:%-d %B %Y}." if current_until else ""),
            )
        )
        due = profile.review_due
        cards.append(
            Card(
                "Your next review",
                None,
                url,
                "See your entry",
                section=YOUR_WORK,
                status="Overdue" if profile.review_overdue else f"Due {due:%-d %B %Y}",
                status_colour="red" if profile.review_overdue else "grey",
                hint="Your coordinator reviews your register entry with you each year.",
            )
        )
    if recruitment.has_own_applications_page(user):
        cards.append(
            Card(
                "Your applications",
                recruitment.own_applications_of(user).count(),
                reverse("educators:my-applications"),
                "Follow your applications",
                "You have not applied yet. Apply to train for the next PEPS stage.",
                section=YOUR_WORK,
                hint="Applications to train as a practice educator, and where each one is.",
            )
        )
    return cards


def line_manager_tasks(user: Any, *, role: Role) -> list[Card]:
    """Applications waiting for the user's support as a line manager (to every line manager,
    and to anyone an applicant named)."""
    waiting = recruitment.support_requests_for(user).count()
    if not waiting and role != Role.LINE_MANAGER:
        return []
    return [
        Card(
            "Applications waiting for your support",
            waiting,
            reverse("educators:support-request-list"),
            "Give your statements",
            "No application is waiting for your support. When a practitioner names you as "
            "their line manager, their request appears here.",
            section=SUPPORT,
            hint="Say whether you support each application, and how.",
        )
    ]


def panel_tasks(user: Any, *, role: Role) -> list[Card]:
    """Applications whose panel the user sits on that are still open (scores to record): to
    every academic, and to anyone on a panel."""
    if role != Role.ACADEMIC and not recruitment.sits_on_panels(user):
        return []
    return [
        Card(
            "Selection panels waiting for your scores",
            recruitment.panels_of(user, state="open").count(),
            reverse("educators:panel-list") + "?state=open",
            "Score the applications",
            "No panel is waiting for you. Applications appear here when a coordinator puts "
            "you on their selection panel.",
            section=PANELS,
            hint="Score each application against the selection criteria after the interview.",
        )
    ]
