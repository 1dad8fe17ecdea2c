"""Scoped reads of the request protocol, the sessions and their quality: each starts from
``visible_to(user)``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.grants import MANAGE, VIEW
from practica.core import academic_years
from practica.core.history import HistoryEntry, history_for
from practica.core.home import Card
from practica.core.models import Organisation, Person
from practica.core.request_memo import remembered
from practica.teaching.directory.models import (
    LivedExperienceContributor,
    PractitionerStatus,
    PractitionerTeacher,
)
from practica.teaching.sessions.abilities import ACCEPT, CONFIRM, OFFER
from practica.teaching.sessions.models import (
    INTERVIEW_KINDS,
    NominatedContact,
    OfferStatus,
    PeerObservation,
    RequestOffer,
    RequestStatus,
    SessionContributor,
    SessionStatus,
    TeachingRequest,
    TeachingSession,
)

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


def _start_year(text: str) -> int:
    try:
        return academic_years.parse_academic_year(text)
    except ValidationError:
        return -1  # an unknown year matches nothing


# --- contacts --------------------------------------------------------------------------------


def contacts_visible_to(user: Viewer) -> QuerySet[NominatedContact]:
    return NominatedContact.objects.visible_to(user).select_related("organisation", "person")


def people_to_name(user: Viewer, organisation: Organisation) -> QuerySet[Person]:
    """Whom the organisation's coordinator may name as its contact: its own people."""
    return (
        Person.objects.visible_to(user)
        .filter(organisation=organisation)
        .order_by("last_name", "first_name")
    )


# --- requests and offers ---------------------------------------------------------------------


def requests_visible_to(
    user: Viewer, *, year: str = "", status: str = "", kind: str = ""
) -> QuerySet[TeachingRequest]:
    requests = (
        TeachingRequest.objects.visible_to(user)
        .select_related("hei", "academic_year", "service_area")
        .annotate(
            confirmed=Count("offers", filter=Q(offers__status=OfferStatus.CONFIRMED), distinct=True)
        )
    )
    if year:
        requests = requests.filter(academic_year__start_year=_start_year(year))
    if status:
        requests = requests.filter(status=status)
    if kind:
        requests = requests.filter(kind=kind)
    return requests


def request_for(user: Viewer, pk: int, ability: str = VIEW) -> TeachingRequest:
    """The request if ``user`` holds ``ability`` on it; 404 otherwise."""
    try:
        return (
            TeachingRequest.objects.visible_to(user, ability)
            .select_related("hei", "academic_year", "service_area", "session", "raised_by")
            .get(pk=pk)
        )
    except TeachingRequest.DoesNotExist:
        raise Http404("No request found") from None


def offers_of(user: Viewer, request: TeachingRequest) -> QuerySet[RequestOffer]:
    return (
        RequestOffer.objects.visible_to(user)
        .filter(request=request)
        .select_related("practitioner_teacher__person", "organisation")
    )


def offer_for(user: Viewer, pk: int, ability: str) -> RequestOffer:
    try:
        return (
            RequestOffer.objects.visible_to(user, ability)
            .select_related("request__hei", "practitioner_teacher__person", "organisation")
            .get(pk=pk)
        )
    except RequestOffer.DoesNotExist:
        raise Http404("No offer found") from None


def organisations_to_offer_from(user: Viewer, request: TeachingRequest) -> list[Organisation]:
    """The local authorities asked for ``request`` in which ``user`` offers practitioners."""
    ids = permissions.organisation_ids_for(user, OFFER, TeachingRequest)
    return list(request.targets.filter(pk__in=ids).order_by("name"))


def practitioners_to_offer(
    user: Viewer, request: TeachingRequest, organisation: Organisation
) -> QuerySet[PractitionerTeacher]:
    """The organisation's practitioner teachers ``user`` keeps who are not offered already and
    have not left or paused; those who match what the request asked for first (annotated
    ``expertise_matched``, how many of its areas of expertise they have, and ``area_matched``,
    whether they practise in its service area), then by name."""
    practitioners = (
        PractitionerTeacher.objects.visible_to(user, MANAGE)
        .filter(person__organisation=organisation)
        .exclude(status__in=[PractitionerStatus.LEFT, PractitionerStatus.PAUSED])
        .exclude(teaching_offers__request=request)
        .select_related("person")
    )
    # an empty ``__in`` would empty the whole query, so what was not asked for counts as 0
    asked = list(request.expertise.values_list("pk", flat=True))
    expertise_matched: Any = (
        Count("expertise", filter=Q(expertise__in=asked), distinct=True) if asked else Value(0)
    )
    area = request.service_area_id
    area_matched: Any = (
        Case(
            When(
                Q(service_area=area) | Q(service_area=None, person__team__service_area=area), then=1
            ),
            default=0,
            output_field=IntegerField(),
        )
        if area
        else Value(0)
    )
    return practitioners.annotate(
        expertise_matched=expertise_matched, area_matched=area_matched
    ).order_by(
        (F("expertise_matched") + F("area_matched")).desc(),
        "person__last_name",
        "person__first_name",
        "pk",
    )


def request_contributors_of(
    user: Viewer, request: TeachingRequest
) -> QuerySet[LivedExperienceContributor]:
    """The lived-experience contributors on the request whom ``user`` may see (their consent
    decides: the university while they are listed, the local authorities only if shared)."""
    return (
        LivedExperienceContributor.objects.visible_to(user)
        .filter(teaching_requests=request)
        .select_related("person")
    )


def contributors_to_add(
    user: Viewer,
    hei: Organisation,
    *,
    request: TeachingRequest | None = None,
    session: TeachingSession | None = None,
) -> QuerySet[LivedExperienceContributor]:
    """The university's listed contributors ``user`` keeps, not yet on the request or session."""
    contributors = (
        LivedExperienceContributor.objects.visible_to(user, MANAGE)
        .filter(hei=hei)
        .select_related("person")
    )
    if request is not None:
        contributors = contributors.exclude(teaching_requests=request)
    if session is not None:
        contributors = contributors.exclude(session_contributions__session=session)
    return contributors


def offer_abilities(user: Viewer, offers: list[RequestOffer]) -> dict[int, set[str]]:
    """Per offer, which protocol steps ``user`` may take on it."""
    ids = [offer.pk for offer in offers]
    held: dict[int, set[str]] = {pk: set() for pk in ids}
    for ability in (ACCEPT, CONFIRM, MANAGE):
        for pk in (
            RequestOffer.objects.visible_to(user, ability)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        ):
            held[pk].add(ability)
    return held


def requests_to_answer(user: Viewer) -> QuerySet[TeachingRequest]:
    """Open requests, still to come, asked of an organisation where ``user`` offers
    practitioners."""
    return TeachingRequest.objects.visible_to(user, OFFER).filter(
        status=RequestStatus.OPEN, date__gte=timezone.localdate()
    )


def offers_to_confirm(user: Viewer) -> QuerySet[RequestOffer]:
    """The user's own offers that a university accepted and that wait for them to confirm."""
    return (
        RequestOffer.objects.visible_to(user, CONFIRM)
        .filter(status=OfferStatus.ACCEPTED)
        .select_related("request__hei")
    )


# --- sessions --------------------------------------------------------------------------------

SESSION_FILTERS = ("year", "module", "kind", "status", "organisation")


def sessions_visible_to(
    user: Viewer,
    *,
    year: str = "",
    module: str = "",
    kind: str = "",
    status: str = "",
    organisation: str = "",
) -> QuerySet[TeachingSession]:
    """Sessions ``user`` may see, filtered by academic year (2019/20), module (part of its
    name), type, status and the code of a local authority whose practitioners took part."""
    sessions = (
        TeachingSession.objects.visible_to(user)
        .select_related("hei", "academic_year")
        .annotate(practitioners=Count("contributors", distinct=True))
    )
    if year:
        sessions = sessions.filter(academic_year__start_year=_start_year(year))
    if module:
        sessions = sessions.filter(module__icontains=module)
    if kind:
        sessions = sessions.filter(kind=kind)
    if status:
        sessions = sessions.filter(status=status)
    if organisation:
        sessions = sessions.filter(contributors__organisation__code__iexact=organisation).distinct()
    return sessions


def session_for(user: Viewer, pk: int, ability: str = VIEW) -> TeachingSession:
    try:
        return (
            TeachingSession.objects.visible_to(user, ability)
            .select_related("hei", "academic_year")
            .get(pk=pk)
        )
    except TeachingSession.DoesNotExist:
        raise Http404("No session found") from None


def contributors_of(user: Viewer, session: TeachingSession) -> list[Any]:
    """Who took part that ``user`` may see: a lived-experience contributor only as their
    consent allows (``rules.py``), whoever may see the session itself."""
    return list(
        SessionContributor.objects.visible_to(user)
        .filter(session=session)
        .select_related(
            "practitioner_teacher__person", "contributor__person", "organisation", "service_area"
        )
        .order_by("practitioner_teacher__person__last_name", "contributor__person__last_name")
    )


def session_history(user: Viewer, session: TeachingSession) -> list[HistoryEntry]:
    """The session's history with who was put on it or taken off, when and by whom (the
    people taking part are rows of their own, ``SessionContributor``, each with its history).
    A lived-experience contributor is named only to those who may see them now: one who
    withdrew is hidden here too."""
    entries = history_for(session)
    rows = list(
        SessionContributor.history.filter(session_id=session.pk, history_type__in=("+", "-"))
        .select_related("history_user", "practitioner_teacher__person", "contributor__person")
        .order_by("history_date")
    )
    shown_contributors = set(
        LivedExperienceContributor.objects.visible_to(user)
        .filter(pk__in=[row.contributor_id for row in rows if row.contributor_id])
        .values_list("pk", flat=True)
    )
    for row in rows:
        if row.contributor_id and row.contributor_id not in shown_contributors:
            continue
        person = row.practitioner_teacher or row.contributor
        done = "put on the session" if row.history_type == "+" else "taken off the session"
        who = row.history_user.display_name if row.history_user else "Practica (system)"
        entries.append(HistoryEntry(f"{person} {done}", row.history_date, who, []))
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def takes_part_in(user: Viewer, session: TeachingSession) -> bool:
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return False
    return session.contributors.filter(
        Q(practitioner_teacher__person__user_id=user_id) | Q(contributor__person__user_id=user_id)
    ).exists()


def may_read_feedback(user: Viewer, session: TeachingSession) -> bool:
    """The university's staff and the people who took part read the students' feedback on a
    session; no one else (not the employer, not another practitioner)."""
    return permissions.can(user, MANAGE, session) or takes_part_in(user, session)


def session_for_feedback(user: Viewer, pk: int) -> TeachingSession:
    session = session_for(user, pk)
    if not may_read_feedback(user, session):
        raise Http404("No session found")
    return session


def observations_of(user: Viewer, session: TeachingSession) -> QuerySet[PeerObservation]:
    """The observations on the session ``user`` may read: all of them for the university's
    staff, their own for a practitioner."""
    return (
        PeerObservation.objects.visible_to(user)
        .filter(session=session)
        .select_related("practitioner_teacher__person", "observer")
    )


def practitioners_to_observe(session: TeachingSession) -> QuerySet[PractitionerTeacher]:
    return (
        PractitionerTeacher.objects.unscoped(
            "the practitioners of a session its university manages"
        )
        .filter(session_contributions__session=session)
        .exclude(observations__session=session)
        .select_related("person")  # each is shown by name: one query, not one each
    )


def my_sessions(user: Viewer) -> QuerySet[TeachingSession]:
    """The sessions ``user`` took or takes part in, as a practitioner or contributor."""
    user_id = getattr(user, "pk", None)
    # one indexed look-up per way of taking part (the user's person, then their entries): an
    # OR across both joins read every contributor and person row (issue 16)
    contributions = SessionContributor.objects.unscoped(
        "which sessions a user takes part in; the sessions themselves are scoped"
    )
    as_practitioner = contributions.filter(Q(practitioner_teacher__person__user_id=user_id))
    as_contributor = contributions.filter(Q(contributor__person__user_id=user_id))
    return (
        TeachingSession.objects.visible_to(user)
        .filter(
            Q(pk__in=as_practitioner.values("session_id"))
            | Q(pk__in=as_contributor.values("session_id"))
        )
        .select_related("hei", "academic_year")
    )


@remembered
def has_my_sessions(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and my_sessions(user).exists()


# --- home panels -----------------------------------------------------------------------------


def academic_cards(request: Any) -> list[Card]:
    """The university's open requests and unfilled interview panels."""
    user = request.user
    if not permissions.can_in(user, MANAGE, TeachingRequest):
        return []
    open_requests = TeachingRequest.objects.visible_to(user, MANAGE).filter(
        status=RequestStatus.OPEN, date__gte=timezone.localdate()
    )
    panels = open_requests.filter(kind__in=INTERVIEW_KINDS)
    url = reverse("teaching:request-list")
    return [
        Card(
            "Open requests for practitioners",
            open_requests.exclude(kind__in=INTERVIEW_KINDS).count(),
            f"{url}?status=open",
            "See the requests",
            "No request is waiting for practitioners.",
        ),
        Card(
            "Interview panels not filled",
            panels.count(),
            f"{url}?status=open",
            "See the panels",
            "Every interview panel is filled.",
        ),
    ]


def la_lead_cards(request: Any) -> list[Card]:
    user = request.user
    if not permissions.can_in(user, OFFER, TeachingRequest):
        return []
    return [
        Card(
            "Requests for practitioner teachers",
            requests_to_answer(user).count(),
            reverse("teaching:request-list") + "?status=open",
            "Offer practitioners",
            "No request waits for an answer.",
        )
    ]


def my_session_cards(request: Any) -> list[Card]:
    """A practitioner's or contributor's sessions (and those waiting for them to confirm)."""
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return []
    cards = []
    waiting = offers_to_confirm(user).count()
    if waiting:
        cards.append(
            Card(
                "Sessions to confirm",
                waiting,
                reverse("teaching:my-sessions"),
                "Confirm or decline",
            )
        )
    if has_my_sessions(user):  # the navigation asked it already
        sessions = my_sessions(user)
        upcoming = sessions.filter(
            status=SessionStatus.SCHEDULED, date__gte=timezone.localdate()
        ).count()
        cards.append(
            Card(
                "My teaching sessions and feedback",
                upcoming,
                reverse("teaching:my-sessions"),
                "See my sessions and their feedback",
                "No session coming up.",
            )
        )
    return cards
