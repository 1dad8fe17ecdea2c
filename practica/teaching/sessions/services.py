"""Every write of the request protocol, the sessions and their quality: each validated in full,
recorded with its actor, and told to the people it concerns by e-mail (with an iCalendar
invitation once a session is confirmed) after the transaction commits."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from practica.accounts import links
from practica.accounts.grants import MANAGE
from practica.accounts.models import Membership, Role
from practica.core.academic_years import academic_year_of
from practica.core.audit import save_audited
from practica.core.models import Organisation, OrganisationKind, Person, ServiceArea
from practica.core.services import ensure_academic_year
from practica.teaching.directory.abilities import LISTED
from practica.teaching.directory.models import (
    Expertise,
    LivedExperienceContributor,
    PractitionerTeacher,
)
from practica.teaching.sessions.abilities import ACCEPT, CONFIRM
from practica.teaching.sessions.ical import CalendarEvent, calendar_text
from practica.teaching.sessions.models import (
    LIVE_OFFERS,
    NominatedContact,
    OfferLink,
    OfferStatus,
    PeerObservation,
    RequestOffer,
    RequestStatus,
    SessionContributor,
    SessionStatus,
    TeachingRequest,
    TeachingSession,
    default_hours,
)

if TYPE_CHECKING:
    from practica.accounts.models import User

# why the protocol reads records outside the actor's view (core/scoping.py)
CONTACTS = "a request's notifications go to the organisations' named contacts and coordinators"
LINKS = "an offer link is found by its token, which is its own authority"
FEEDBACK = "a session's feedback link is signed; the signature is its own authority"
CONSENT = "whether a contributor the caller was allowed to hand over still consents to listing"


# --- nominated contacts ----------------------------------------------------------------------


@transaction.atomic
def set_nominated_contact(
    *, actor: User | None, organisation: Organisation, person: Person
) -> NominatedContact:
    """Names ``person`` as the organisation's contact for practitioner teaching: a university's
    senior academic or a local authority's practitioner-teacher lead (one each; replaces the
    last)."""
    contact = NominatedContact.objects.unscoped(CONTACTS).filter(
        organisation=organisation
    ).first() or NominatedContact(organisation=organisation)
    if contact.pk is not None and contact.person_id == person.pk:
        return contact  # already named: nothing changes
    contact.person = person
    return save_audited(contact, actor=actor)


def contact_of(organisation: Organisation) -> Person | None:
    contact = (
        NominatedContact.objects.unscoped(CONTACTS)
        .select_related("person")
        .filter(organisation=organisation)
        .first()
    )
    return contact.person if contact else None


def _addresses_of(organisation: Organisation) -> list[str]:
    """The organisation's named contact; without one, its active coordinators."""
    person = contact_of(organisation)
    if person is not None and person.email:
        return [person.email.lower()]
    return [
        email.lower()
        for email in Membership.objects.unscoped(CONTACTS)
        .filter(organisation=organisation, role=Role.COORDINATOR, is_active=True)
        .filter(user__is_active=True)
        .order_by("user__email")
        .values_list("user__email", flat=True)
    ]


def local_authorities_of(hei: Organisation) -> QuerySet[Organisation]:
    """The local authorities of the university's partnership (who a request may go to)."""
    return (
        Organisation.objects.unscoped(CONTACTS)
        .filter(partnership_id=hei.partnership_id, kind=OrganisationKind.LOCAL_AUTHORITY)
        .order_by("name")
    )


# --- requests --------------------------------------------------------------------------------


@transaction.atomic
def raise_request(
    *,
    actor: User | None,
    hei: Organisation,
    kind: str,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    module: str = "",
    topic: str = "",
    place: str = "",
    service_area: ServiceArea | None = None,
    expertise: Iterable[Expertise] = (),
    practitioners_wanted: int = 1,
    targets: Iterable[Organisation] = (),
    base_url: str = "",
) -> TeachingRequest:
    """Records the university's request and sends it to the practitioner-teacher lead of each
    local authority asked (every one of the partnership when none is chosen)."""
    if hei.kind != OrganisationKind.HEI:
        raise ValidationError({"hei": f"{hei.name} is not a university."})
    partnership_las = {la.pk: la for la in local_authorities_of(hei)}
    chosen = list(targets) or list(partnership_las.values())
    if not chosen:
        raise ValidationError("The partnership has no local authority to ask.")
    for organisation in chosen:
        if organisation.pk not in partnership_las:
            raise ValidationError(
                {"targets": f"{organisation.name} is not a local authority of the partnership."}
            )
    request = TeachingRequest(
        hei=hei,
        kind=kind,
        academic_year=ensure_academic_year(start_year=academic_year_of(date)),
        module=module.strip(),
        topic=topic.strip(),
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        service_area=service_area,
        practitioners_wanted=practitioners_wanted,
        raised_by=actor,
    )
    save_audited(request, actor=actor)
    request.expertise.set(list(expertise))
    request.targets.set(chosen)
    link = base_url + reverse("teaching:request-detail", args=[request.pk])
    for organisation in chosen:
        _send(
            f"Request for practitioners: {request}",
            [
                f"{hei.name} asks {organisation.name} for {practitioners_wanted} "
                f"practitioner{'s' if practitioners_wanted != 1 else ''}.",
                "",
                *_details(request),
                "",
                f"Offer practitioners from your directory in Practica: {link}",
            ],
            _addresses_of(organisation),
        )
    return request


@transaction.atomic
def record_past_request(
    *,
    actor: User | None,
    request: TeachingRequest | None = None,
    hei: Organisation,
    kind: str,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    module: str = "",
    topic: str = "",
    place: str = "",
    service_area: ServiceArea | None = None,
    expertise: Iterable[Expertise] = (),
    practitioners_wanted: int = 1,
    targets: Iterable[Organisation] = (),
    status: str = RequestStatus.OPEN,
    raised_by: User | None = None,
    contributors: Iterable[LivedExperienceContributor] = (),
    change_reason: str = "",
) -> TeachingRequest:
    """A request as another record keeps it (an import, or a backup): recorded, or ``request``
    changed, as it stands, with its status; nobody is e-mailed. It is linked to the session
    arranged for it, when there is one (the same university, date, type, module and title).
    Refuses what ``raise_request`` refuses, and another university's contributor."""
    if hei.kind != OrganisationKind.HEI:
        raise ValidationError({"hei": f"{hei.name} is not a university."})
    partnership_las = {la.pk: la for la in local_authorities_of(hei)}
    chosen = list(targets) or list(partnership_las.values())
    outside = [o.name for o in chosen if o.pk not in partnership_las]
    if outside:
        raise ValidationError(
            {"targets": f"{', '.join(outside)}: not a local authority of the partnership."}
        )
    contributors = list(contributors)
    for contributor in contributors:
        if contributor.hei_id != hei.pk:
            raise ValidationError(
                {"contributors": f"{contributor} is not in {hei.name}'s directory."}
            )
    request = request or TeachingRequest(hei=hei)
    request.hei = hei
    request.kind = kind
    request.academic_year = ensure_academic_year(start_year=academic_year_of(date))
    request.date, request.starts_at, request.ends_at = date, starts_at, ends_at
    request.module, request.topic, request.place = module.strip(), topic.strip(), place.strip()
    request.service_area = service_area
    request.practitioners_wanted = practitioners_wanted
    request.status = status
    request.raised_by = raised_by
    request.change_reason = change_reason.strip()
    if request.session_id is None:
        request.session = (
            TeachingSession.objects.unscoped(LINKS)
            .filter(
                hei=hei,
                date=date,
                kind=kind,
                module__iexact=request.module,
                title__iexact=request.topic,
                request__isnull=True,
            )
            .order_by("pk")
            .first()
        )
    save_audited(request, actor=actor)
    request.expertise.set(list(expertise))
    request.targets.set(chosen)
    request.contributors.set(contributors)  # a change in the history (save_audited set the actor)
    return request


@transaction.atomic
def record_past_offer(
    *,
    actor: User | None,
    offer: RequestOffer | None = None,
    request: TeachingRequest,
    practitioner_teacher: PractitionerTeacher,
    organisation: Organisation,
    status: str = OfferStatus.OFFERED,
    offered_by: User | None = None,
    note: str = "",
    reason: str = "",
) -> RequestOffer:
    """An offer as another record keeps it (an import, or a backup): recorded, or ``offer``
    changed, with its status; nobody is e-mailed and the session is left as it is (the
    sessions' own records say who took part). Refuses an organisation that was not asked and
    a practitioner from another employer's directory."""
    if not request.targets.filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": f"{organisation.name} was not asked."})
    if practitioner_teacher.person.organisation_id != organisation.pk:
        raise ValidationError(
            {"practitioner_teacher": f"{practitioner_teacher} is not {organisation.name}'s."}
        )
    offer = offer or RequestOffer(request=request, practitioner_teacher=practitioner_teacher)
    offer.organisation = organisation
    offer.status = status
    offer.offered_by = offered_by
    offer.note = note.strip()
    offer.reason = reason.strip()
    return save_audited(offer, actor=actor)


def _fresh(request: TeachingRequest) -> TeachingRequest:
    """The request as it stands now, locked for this transaction (another step may have moved
    it since the caller read it)."""
    return TeachingRequest.objects.unscoped(LINKS).select_for_update().get(pk=request.pk)


def _fresh_offer(offer: RequestOffer) -> RequestOffer:
    return RequestOffer.objects.unscoped(LINKS).select_for_update().get(pk=offer.pk)


def _refuse_closed(request: TeachingRequest) -> None:
    if request.status == RequestStatus.CANCELLED:
        raise ValidationError("This request has been cancelled.")


@transaction.atomic
def change_request(
    *,
    actor: User | None,
    request: TeachingRequest,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    place: str,
    reason: str,
    base_url: str = "",
) -> TeachingRequest:
    """Moves the request (and its session) to another date, time or place, with the reason;
    everyone offered or confirmed hears of it, with an updated calendar invitation."""
    request = _fresh(request)
    _refuse_closed(request)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the session changes."})
    request.date, request.starts_at, request.ends_at = date, starts_at, ends_at
    request.place = place.strip()
    request.academic_year = ensure_academic_year(start_year=academic_year_of(date))
    request.change_reason = reason.strip()
    request.sequence += 1
    save_audited(request, actor=actor)
    if request.session is not None:
        session = request.session
        session.date, session.starts_at, session.ends_at = date, starts_at, ends_at
        session.place, session.academic_year = request.place, request.academic_year
        save_audited(session, actor=actor)
    _tell_everyone(request, "changed", [f"What changed and why: {request.change_reason}"], base_url)
    return request


@transaction.atomic
def cancel_request(
    *, actor: User | None, request: TeachingRequest, reason: str, base_url: str = ""
) -> TeachingRequest:
    """Cancels the request, every offer still in play and its session, with the reason; everyone
    offered or confirmed hears of it (the calendar entry is cancelled)."""
    request = _fresh(request)
    _refuse_closed(request)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the session is cancelled."})
    recipients = _everyone(request)
    request.status = RequestStatus.CANCELLED
    request.change_reason = reason.strip()
    request.sequence += 1
    save_audited(request, actor=actor)
    for offer in request.offers.filter(status__in=LIVE_OFFERS):
        offer.status, offer.reason = OfferStatus.CANCELLED, request.change_reason
        save_audited(offer, actor=actor)
    if request.session is not None and request.session.status == SessionStatus.SCHEDULED:
        session = request.session
        session.status, session.cancel_reason = SessionStatus.CANCELLED, request.change_reason
        save_audited(session, actor=actor)
    _send(
        f"Cancelled: {request}",
        [*_details(request), "", f"Why: {request.change_reason}"],
        recipients,
        calendar=_calendar(request, cancelled=True) if request.session_id else None,
    )
    return request


# --- offers ----------------------------------------------------------------------------------


@transaction.atomic
def offer_practitioners(
    *,
    actor: User | None,
    request: TeachingRequest,
    organisation: Organisation,
    practitioners: Iterable[PractitionerTeacher],
    note: str = "",
    base_url: str = "",
) -> list[RequestOffer]:
    """The local authority offers practitioners from its directory for the request; the
    university hears of it."""
    request = _fresh(request)
    if request.status != RequestStatus.OPEN:
        raise ValidationError("This request is no longer waiting for practitioners.")
    if not request.targets.filter(pk=organisation.pk).exists():
        raise ValidationError(f"{organisation.name} was not asked for this request.")
    chosen = list(practitioners)
    if not chosen:
        raise ValidationError({"practitioners": "Choose at least one practitioner."})
    offers = []
    for practitioner in chosen:
        if practitioner.person.organisation_id != organisation.pk:
            raise ValidationError(
                {"practitioners": f"{practitioner} is not in {organisation.name}'s directory."}
            )
        offer = RequestOffer(
            request=request,
            practitioner_teacher=practitioner,
            organisation=organisation,
            offered_by=actor,
            note=note.strip(),
        )
        offers.append(save_audited(offer, actor=actor))
    names = ", ".join(str(offer.practitioner_teacher) for offer in offers)
    link = base_url + reverse("teaching:request-detail", args=[request.pk])
    _send(
        f"Practitioners offered: {request}",
        [
            f"{organisation.name} offers {names}.",
            *([f"Note: {note.strip()}"] if note.strip() else []),
            "",
            *_details(request),
            "",
            f"Accept an offer in Practica: {link}",
        ],
        _hei_addresses(request),
    )
    return offers


# --- the steps an offer takes: who may take which, and when --------------------------------

# step -> the abilities on the offer that allow it (any one of them)
STEP_ABILITIES: dict[str, tuple[str, ...]] = {
    "accept": (ACCEPT,),
    "decline": (ACCEPT,),
    "confirm": (CONFIRM,),
    "withdraw": (CONFIRM, MANAGE),
}


def offer_steps(
    offer: RequestOffer, *, request: TeachingRequest, abilities: Collection[str]
) -> list[tuple[str, str]]:
    """The steps ``offer`` (of ``request``) may take next for someone holding ``abilities``
    on it, as (step, button): the university accepts an offer or says it is not needed; the
    practitioner confirms an accepted one or declines it; the practitioner or their employer
    withdraws an offer still in play. None once the request is cancelled."""
    if request.status == RequestStatus.CANCELLED:
        return []
    steps: list[tuple[str, str]] = []
    if offer.status == OfferStatus.OFFERED and ACCEPT in abilities:
        steps += [("accept", "Accept"), ("decline", "Not needed")]
    if offer.status == OfferStatus.ACCEPTED and CONFIRM in abilities:
        steps += [("confirm", "Confirm"), ("withdraw", "Decline")]
    elif offer.status in LIVE_OFFERS and (MANAGE in abilities or CONFIRM in abilities):
        steps.append(("withdraw", "Withdraw"))
    return steps


def take_offer_step(
    *, actor: User | None, offer: RequestOffer, step: str, reason: str = "", base_url: str = ""
) -> RequestOffer:
    """Takes ``step`` (one of ``STEP_ABILITIES``) on the offer; each step's own service
    refuses one the offer cannot take now."""
    if step == "accept":
        return accept_offer(actor=actor, offer=offer, base_url=base_url)
    if step == "confirm":
        return confirm_offer(actor=actor, offer=offer, base_url=base_url)
    if step == "decline":
        return decline_offer(actor=actor, offer=offer, reason=reason, base_url=base_url)
    if step == "withdraw":
        return withdraw_offer(actor=actor, offer=offer, reason=reason, base_url=base_url)
    raise ValidationError(f"“{step}” is not a step of an offer.")


@transaction.atomic
def accept_offer(*, actor: User | None, offer: RequestOffer, base_url: str = "") -> RequestOffer:
    """The university accepts the practitioner offered; the practitioner is asked to confirm
    (through a single-use link if they have no Practica account)."""
    offer = _fresh_offer(offer)
    _refuse_closed(offer.request)
    if offer.status != OfferStatus.OFFERED:
        raise ValidationError(f"This offer is {offer.get_status_display().lower()}.")
    offer.status = OfferStatus.ACCEPTED
    save_audited(offer, actor=actor)
    person = offer.practitioner_teacher.person
    lines = [
        f"{offer.request.hei.name} would like you to take part in this session.",
        "",
        *_details(offer.request),
        "",
    ]
    if person.user_id:
        link = base_url + reverse("teaching:request-detail", args=[offer.request.pk])
        lines.append(f"Please confirm or decline in Practica (sign in first): {link}")
    else:
        token = create_offer_link(offer=offer, email=person.email)
        link = base_url + reverse("teaching:offer-link", args=[token])
        until = date_format(timezone.localdate() + links.LINK_LIFETIME, "j F Y")
        lines.append(f"Please confirm or decline here (the link works once, until {until}): {link}")
    if person.email:
        _send(f"Please confirm: {offer.request}", lines, [person.email.lower()])
    _send(
        f"Offer accepted: {offer.practitioner_teacher}",
        [
            f"{offer.request.hei.name} accepted {offer.practitioner_teacher}.",
            "",
            *_details(offer.request),
        ],
        _addresses_of(offer.organisation),
    )
    return offer


@transaction.atomic
def decline_offer(
    *, actor: User | None, offer: RequestOffer, reason: str = "", base_url: str = ""
) -> RequestOffer:
    """The university does not take the offer up (the request is filled, or someone else fits
    better); the local authority hears of it."""
    offer = _fresh_offer(offer)
    if offer.status != OfferStatus.OFFERED:
        raise ValidationError(f"This offer is {offer.get_status_display().lower()}.")
    offer.status, offer.reason = OfferStatus.DECLINED, reason.strip()
    save_audited(offer, actor=actor)
    _send(
        f"Offer not taken up: {offer.practitioner_teacher}",
        [
            f"{offer.request.hei.name} does not need {offer.practitioner_teacher} this time.",
            *([f"Why: {offer.reason}"] if offer.reason else []),
            "",
            *_details(offer.request),
        ],
        _addresses_of(offer.organisation),
    )
    return offer


@transaction.atomic
def confirm_offer(*, actor: User | None, offer: RequestOffer, base_url: str = "") -> RequestOffer:
    """The practitioner confirms: the session exists from now on (created with the first
    confirmation), with the practitioner on it counted for their employer and service area;
    the request is filled once enough have confirmed. Everyone gets the calendar invitation."""
    offer = _fresh_offer(offer)
    request = _fresh(offer.request)
    _refuse_closed(request)
    if offer.status != OfferStatus.ACCEPTED:
        raise ValidationError(f"This offer is {offer.get_status_display().lower()}.")
    offer.status = OfferStatus.CONFIRMED
    save_audited(offer, actor=actor)
    session = request.session or _create_session(request, actor=actor)
    practitioner = offer.practitioner_teacher
    contributor = SessionContributor(
        session=session,
        practitioner_teacher=practitioner,
        organisation=offer.organisation,
        service_area=_service_area_of(practitioner),
    )
    save_audited(contributor, actor=actor)
    confirmed = request.offers.filter(status=OfferStatus.CONFIRMED).count()
    if confirmed >= request.practitioners_wanted and request.status == RequestStatus.OPEN:
        request.status = RequestStatus.FILLED
        save_audited(request, actor=actor)
    _tell_everyone(request, "confirmed", [f"{practitioner} confirmed."], base_url)
    return offer


def _service_area_of(practitioner: PractitionerTeacher) -> ServiceArea | None:
    if practitioner.service_area_id:
        return practitioner.service_area
    team = practitioner.person.team
    return team.service_area if team is not None else None


def _create_session(request: TeachingRequest, *, actor: User | None) -> TeachingSession:
    session = TeachingSession(
        hei=request.hei,
        kind=request.kind,
        academic_year=request.academic_year,
        date=request.date,
        starts_at=request.starts_at,
        ends_at=request.ends_at,
        module=request.module,
        title=request.topic,
        place=request.place,
        hours=default_hours(request.kind),
    )
    save_audited(session, actor=actor)
    request.session = session
    save_audited(request, actor=actor)
    # the university's own contributors join it, while they are still listed
    for contributor in _listed(request.contributors.all()):
        save_audited(SessionContributor(session=session, contributor=contributor), actor=actor)
    return session


def _listed(
    contributors: QuerySet[LivedExperienceContributor],
) -> QuerySet[LivedExperienceContributor]:
    return contributors.filter(LISTED).order_by("pk")


def _refuse_contributor(contributor: LivedExperienceContributor, hei: Organisation) -> None:
    if contributor.hei_id != hei.pk:
        raise ValidationError(
            {"contributor": f"{contributor} is not in {hei.name}'s directory of contributors."}
        )
    listed = LivedExperienceContributor.objects.unscoped(CONSENT)
    if not _listed(listed.filter(pk=contributor.pk)).exists():
        raise ValidationError(
            {"contributor": f"{contributor} has not consented to being listed, or withdrew."}
        )


@transaction.atomic
def add_request_contributor(
    *,
    actor: User | None,
    request: TeachingRequest,
    contributor: LivedExperienceContributor,
) -> TeachingRequest:
    """The university adds one of its own lived-experience contributors to its request (and to
    the session already arranged for it). Refuses another university's contributor, one who is
    not listed (no consent in force), one already on it, and a cancelled request."""
    request = _fresh(request)
    _refuse_closed(request)
    _refuse_contributor(contributor, request.hei)
    if request.contributors.filter(pk=contributor.pk).exists():
        raise ValidationError({"contributor": f"{contributor} is already on this request."})
    request._history_user = actor  # type: ignore[attr-defined]  # the request's history row of the addition names who added them
    request.contributors.add(contributor)
    if request.session is not None:
        add_session_contributor(actor=actor, session=request.session, contributor=contributor)
    return request


@transaction.atomic
def takes_contributors(session: TeachingSession) -> bool:
    """Whether contributors can still be put on ``session``: any but a cancelled one (a
    delivered session records who took part)."""
    return session.status != SessionStatus.CANCELLED


def add_session_contributor(
    *,
    actor: User | None,
    session: TeachingSession,
    contributor: LivedExperienceContributor,
) -> SessionContributor:
    """Puts one of the university's own lived-experience contributors on its session. Refuses
    another university's contributor, one who is not listed, and a cancelled session."""
    if not takes_contributors(session):
        raise ValidationError("This session is cancelled.")
    _refuse_contributor(contributor, session.hei)
    return save_audited(SessionContributor(session=session, contributor=contributor), actor=actor)


@transaction.atomic
def withdraw_offer(
    *, actor: User | None, offer: RequestOffer, reason: str, base_url: str = ""
) -> RequestOffer:
    """The practitioner (or their employer) withdraws: they come off the session, and the
    request waits for practitioners again if it now has too few. Everyone hears of it."""
    offer = _fresh_offer(offer)
    if offer.status not in LIVE_OFFERS:
        raise ValidationError(f"This offer is {offer.get_status_display().lower()}.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why."})
    request = _fresh(offer.request)
    was_confirmed = offer.status == OfferStatus.CONFIRMED
    recipients = _everyone(request)
    offer.status, offer.reason = OfferStatus.WITHDRAWN, reason.strip()
    save_audited(offer, actor=actor)
    if was_confirmed and request.session is not None:
        SessionContributor.objects.unscoped(LINKS).filter(
            session=request.session, practitioner_teacher=offer.practitioner_teacher
        ).delete()
    if request.status == RequestStatus.FILLED:
        confirmed = request.offers.filter(status=OfferStatus.CONFIRMED).count()
        if confirmed < request.practitioners_wanted:
            request.status = RequestStatus.OPEN
            save_audited(request, actor=actor)
    _send(
        f"Withdrawn: {offer.practitioner_teacher}, {request}",
        [
            f"{offer.practitioner_teacher} can no longer take part. Why: {offer.reason}",
            "",
            *_details(request),
        ],
        recipients,
    )
    return offer


# --- single-use links for practitioners without an account ------------------------------------


def create_offer_link(*, offer: RequestOffer, email: str) -> str:
    """A new link for ``email`` to confirm or decline ``offer``; returns the raw token (only its
    hash is stored)."""
    return links.issue_link(OfferLink(offer=offer, email=email))


def offer_link_for_token(token: str) -> OfferLink | None:
    """The unused, unexpired link behind ``token``; None otherwise."""
    return links.unused_link(
        OfferLink.objects.unscoped(LINKS).select_related(
            "offer__request__hei", "offer__practitioner_teacher__person", "offer__organisation"
        ),
        token,
    )


@transaction.atomic
def answer_offer_link(
    *, link: OfferLink, confirm: bool, reason: str = "", base_url: str = ""
) -> RequestOffer:
    """The practitioner's answer through their link, once: confirmed, or declined with the
    reason."""
    locked = OfferLink.objects.unscoped(LINKS).select_for_update().get(pk=link.pk)
    if locked.used_at is not None or timezone.now() >= locked.expires_at:
        raise ValidationError("This link has been used or has expired.")
    locked.used_at = timezone.now()
    save_audited(locked, actor=None)
    if confirm:
        return confirm_offer(actor=None, offer=link.offer, base_url=base_url)
    return withdraw_offer(
        actor=None,
        offer=link.offer,
        reason=reason or "Declined by the practitioner.",
        base_url=base_url,
    )


# --- sessions --------------------------------------------------------------------------------


@transaction.atomic
def mark_session_delivered(*, actor: User | None, session: TeachingSession) -> TeachingSession:
    """Records that the session took place (not before its day)."""
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError(f"This session is {session.get_status_display().lower()}.")
    if session.date > timezone.localdate():
        raise ValidationError("A session can be marked delivered from its day on.")
    session.status = SessionStatus.DELIVERED
    return save_audited(session, actor=actor)


@transaction.atomic
def cancel_session(
    *, actor: User | None, session: TeachingSession, reason: str, base_url: str = ""
) -> TeachingSession:
    """Cancels a scheduled session with the reason (and its request, whose people hear of
    it)."""
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError(f"This session is {session.get_status_display().lower()}.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the session is cancelled."})
    request = TeachingRequest.objects.unscoped(LINKS).filter(session=session).first()
    if request is not None and request.status != RequestStatus.CANCELLED:
        cancel_request(actor=actor, request=request, reason=reason, base_url=base_url)
        session.refresh_from_db()
        return session
    session.status, session.cancel_reason = SessionStatus.CANCELLED, reason.strip()
    return save_audited(session, actor=actor)


@transaction.atomic
def record_session(
    *,
    actor: User | None,
    hei: Organisation,
    kind: str,
    date: datetime.date,
    module: str = "",
    title: str = "",
    status: str = SessionStatus.SCHEDULED,
    hours: Decimal | None = None,
    place: str = "",
) -> TeachingSession:
    """A session recorded without a request (an import of last year's, or one arranged before
    Practica)."""
    session = TeachingSession(
        hei=hei,
        kind=kind,
        academic_year=ensure_academic_year(start_year=academic_year_of(date)),
        date=date,
        module=module.strip(),
        title=title.strip(),
        status=status,
        hours=hours if hours is not None else default_hours(kind),
        place=place,
    )
    return save_audited(session, actor=actor)


@transaction.atomic
def add_practitioner(
    *,
    actor: User | None,
    session: TeachingSession,
    practitioner_teacher: PractitionerTeacher,
    organisation: Organisation | None = None,
    service_area: ServiceArea | None = None,
    as_recorded: bool = False,
) -> SessionContributor:
    """Puts a practitioner on the session, counted for ``organisation`` and ``service_area``
    (by default their employer and service area now; ``as_recorded``: exactly as given, as an
    import of past sessions states them)."""
    contributor = SessionContributor(
        session=session,
        practitioner_teacher=practitioner_teacher,
        organisation=organisation
        if as_recorded
        else organisation or practitioner_teacher.person.organisation,
        service_area=service_area
        if as_recorded
        else service_area or _service_area_of(practitioner_teacher),
    )
    return save_audited(contributor, actor=actor)


# --- quality: peer observation and student feedback --------------------------------------------


@transaction.atomic
def record_observation(
    *,
    actor: User | None,
    session: TeachingSession,
    practitioner_teacher: PractitionerTeacher,
    observed_on: datetime.date,
    strengths: str,
    areas_to_develop: str,
) -> PeerObservation:
    """The module leader's observation of a practitioner on the session (one each), with the
    feedback given after it."""
    if not session.contributors.filter(practitioner_teacher=practitioner_teacher).exists():
        raise ValidationError(
            {"practitioner_teacher": f"{practitioner_teacher} did not teach this session."}
        )
    if observed_on < session.date:
        raise ValidationError({"observed_on": "The observation cannot be before the session."})
    observation = PeerObservation(
        session=session,
        practitioner_teacher=practitioner_teacher,
        observed_on=observed_on,
        observer=actor,
        strengths=strengths.strip(),
        areas_to_develop=areas_to_develop.strip(),
    )
    return save_audited(observation, actor=actor)


FEEDBACK_SALT = "practica.teaching.session-feedback"
FEEDBACK_SENT_SALT = "practica.teaching.session-feedback-sent"
# the browser's marker that it has sent a session's feedback (scoped to the link's path)
FEEDBACK_SENT_COOKIE = "feedback_sent"
# how long after the session its students may still give feedback
FEEDBACK_OPEN_DAYS = 14
FEEDBACK_SLUG = "session-feedback"


def feedback_token(session: TeachingSession) -> str:
    """The token of the session's feedback link (the same each time: the module leader shows
    it to the whole room)."""
    return signing.Signer(salt=FEEDBACK_SALT).sign(str(session.pk))


def session_for_feedback_token(token: str) -> TeachingSession | None:
    """The session whose feedback link this is, while it takes answers (from the session's day
    until ``FEEDBACK_OPEN_DAYS`` after it); None otherwise."""
    try:
        pk = int(signing.Signer(salt=FEEDBACK_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    session = (
        TeachingSession.objects.unscoped(FEEDBACK)
        .select_related("hei__partnership", "academic_year")
        .filter(pk=pk)
        .exclude(status=SessionStatus.CANCELLED)
        .first()
    )
    if session is None:
        return None
    today = timezone.localdate()
    if not session.date <= today <= session.date + datetime.timedelta(days=FEEDBACK_OPEN_DAYS):
        return None
    return session


def feedback_version(session: TeachingSession) -> Any:
    """The published version of the partnership's session feedback form (docs/0024), or None
    when the partnership has not installed it."""
    from practica.questionnaires import services as questionnaire_services
    from practica.questionnaires.models import Questionnaire

    questionnaire = (
        Questionnaire.objects.unscoped(FEEDBACK)
        .filter(partnership_id=session.hei.partnership_id, slug=FEEDBACK_SLUG)
        .first()
    )
    if questionnaire is None:
        return None
    return questionnaire_services.latest_published(questionnaire)


def feedback_sent_marker(session: TeachingSession) -> str:
    """What the student's browser keeps once it has sent feedback on ``session``: signed, the
    same for every student (it names no one and no response), so answers stay untraceable."""
    return signing.Signer(salt=FEEDBACK_SENT_SALT).sign(str(session.pk))


def feedback_already_sent(session: TeachingSession, marker: str | None) -> bool:
    """Whether ``marker`` (kept by the browser) says feedback on ``session`` was sent from it."""
    return marker is not None and secrets.compare_digest(marker, feedback_sent_marker(session))


def submit_session_feedback(
    *, session: TeachingSession, answers: Mapping[str, Any], sent_marker: str | None = None
) -> Any:
    """A student's anonymous answers about the session (through the link shown in the room).
    Refuses a second answer from a browser whose ``sent_marker`` says it has sent one."""
    from practica.questionnaires import services as questionnaire_services

    if feedback_already_sent(session, sent_marker):
        raise ValidationError("You have already sent your feedback on this session. Thank you.")
    version = feedback_version(session)
    if version is None:
        raise ValidationError("The partnership has no session feedback form yet.")
    return questionnaire_services.submit_open_response(
        version=version,
        answers=answers,
        subject=session,
        organisation=session.hei,
        academic_year=session.academic_year,
        submitted_on=session.date,
    )


# --- notifications ---------------------------------------------------------------------------


def _details(request: TeachingRequest) -> list[str]:
    lines = [
        f"{request.get_kind_display()} at {request.hei.name}",
        f"When: {date_format(request.date, 'l j F Y')}, {request.starts_at:%H:%M} "
        f"to {request.ends_at:%H:%M}",
    ]
    if request.module:
        lines.append(f"Module: {request.module}")
    if request.topic:
        lines.append(f"Topic: {request.topic}")
    if request.place:
        lines.append(f"Where: {request.place}")
    if request.service_area_id:
        lines.append(f"Service area: {request.service_area}")
    return lines


def _hei_addresses(request: TeachingRequest) -> list[str]:
    addresses = [request.raised_by.email if request.raised_by else "", *_addresses_of(request.hei)]
    return list(dict.fromkeys(address.lower() for address in addresses if address))


def _everyone(request: TeachingRequest) -> list[str]:
    """The university (who raised it, its senior academic), the local authorities that offered
    and every practitioner offered or confirmed."""
    addresses = _hei_addresses(request)
    offers = request.offers.filter(status__in=LIVE_OFFERS).select_related(
        "practitioner_teacher__person", "organisation"
    )
    for offer in offers:
        addresses += _addresses_of(offer.organisation)
        if offer.practitioner_teacher.person.email:
            addresses.append(offer.practitioner_teacher.person.email.lower())
    return list(dict.fromkeys(addresses))


def _calendar(request: TeachingRequest, *, cancelled: bool = False) -> str:
    tz = timezone.get_current_timezone()
    return calendar_text(
        CalendarEvent(
            uid=f"teaching-request-{request.pk}@practica",
            summary=f"{request.get_kind_display()}: {request.topic or request.module or request.hei.name}",
            starts=datetime.datetime.combine(request.date, request.starts_at, tzinfo=tz),
            ends=datetime.datetime.combine(request.date, request.ends_at, tzinfo=tz),
            location=request.place,
            description="\n".join(_details(request)),
            sequence=request.sequence,
            cancelled=cancelled,
        )
    )


def _tell_everyone(request: TeachingRequest, step: str, lines: list[str], base_url: str) -> None:
    link = base_url + reverse("teaching:request-detail", args=[request.pk])
    _send(
        f"Session {step}: {request}",
        [*lines, "", *_details(request), "", f"In Practica (sign in first): {link}"],
        _everyone(request),
        calendar=_calendar(request) if request.session_id else None,
    )


def _send(
    subject: str, lines: list[str], recipients: list[str], calendar: str | None = None
) -> None:
    if not recipients:
        return
    message = EmailMessage(subject=subject, body="\n".join(lines), to=recipients)
    if calendar is not None:
        method = "CANCEL" if "METHOD:CANCEL" in calendar else "REQUEST"
        message.attach("session.ics", calendar, f"text/calendar; method={method}")
    transaction.on_commit(partial(message.send))
