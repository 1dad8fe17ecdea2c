"""The demo's practitioner teaching (called from practica/demo/data.py): 2019/20 as the case
study reports it — 17 teaching sessions at CCCU and 29 at UoK, two hours each (27 by children's,
17 by adults' and 2 by mental health practitioners: the case study's 54 h + 34 h leave 4 h
unattributed), 39 half days of admissions interviews at CCCU and 30 full days at UoK, one
practitioner each (92 + 336 = 428 hours) — and this year's requests at each step of the
protocol, the named contacts, students' feedback and a peer observation for the demo
practitioner teacher. Idempotent: nothing is added for a university that has 2019/20 sessions.

Practitioner teachers: those of the local authorities' directories (the directory's demo, when
it has run); a local authority with too few gets its teams' practitioners added as active
practitioner teachers, and the demo practitioner-teacher login always is one.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from practica.accounts.models import User
from practica.core.academic_years import academic_year_of
from practica.core.models import Organisation, Person, ServiceArea
from practica.core.services import ensure_academic_year
from practica.teaching.directory import services as directory_services
from practica.teaching.directory.models import PractitionerStatus, PractitionerTeacher
from practica.teaching.sessions import services
from practica.teaching.sessions.models import (
    SessionKind,
    SessionStatus,
    TeachingRequest,
    TeachingSession,
)

DEMO = "the demo builds its own partnership's records"
TEACHER = "teacher@demo.practica.test"
ACADEMIC = "academic@demo.practica.test"
CONTACTS = {
    "CCCU": "coordinator.cccu@demo.practica.test",
    "UOK": ACADEMIC,
    "MC": "coordinator.mc@demo.practica.test",
    "KCC": "coordinator.kcc@demo.practica.test",
}
MODULES = {
    "CCCU": ["Social work with children and families", "Social work with adults", "Law and policy"],
    "UOK": ["Child protection in practice", "Adult safeguarding", "Skills for practice"],
}
TOPICS = {
    "childrens": ["Child protection conferences", "Life story work", "Working with care leavers"],
    "adults": ["Mental capacity in practice", "Safeguarding adults", "Carers' assessments"],
    "mental_health": ["Approved mental health professional role"],
}
# the 46 teaching sessions' service areas: 27 children's, 17 adults', 2 mental health
AREAS = ["childrens"] * 27 + ["adults"] * 17 + ["mental_health"] * 2
YEAR = 2019


def load(organisations: dict[str, Organisation]) -> None:
    for code, email in CONTACTS.items():
        person = Person.objects.unscoped(DEMO).filter(email=email).first()
        if person is not None:
            services.set_nominated_contact(
                actor=None, organisation=organisations[code], person=person
            )
    pool = _practitioners(organisations)
    hei_sessions = TeachingSession.objects.unscoped(DEMO).filter(academic_year__start_year=YEAR)
    if not hei_sessions.filter(hei=organisations["CCCU"]).exists():
        _year(organisations, pool)
    if not TeachingRequest.objects.unscoped(DEMO).filter(hei__in=organisations.values()).exists():
        _this_year(organisations, pool)


def _practitioners(organisations: dict[str, Organisation]) -> dict[str, list[PractitionerTeacher]]:
    """Active practitioner teachers per service area code (from both local authorities)."""
    teacher = Person.objects.unscoped(DEMO).filter(email=TEACHER).first()
    if teacher is not None and not hasattr(teacher, "practitioner_teacher"):
        directory_services.create_practitioner_teacher(
            actor=None,
            person=teacher,
            status=PractitionerStatus.ACTIVE,
            service_area=ServiceArea.objects.get(code="childrens"),
        )
    for code in ("MC", "KCC"):
        have = PractitionerTeacher.objects.unscoped(DEMO).filter(
            person__organisation=organisations[code], status=PractitionerStatus.ACTIVE
        )
        if have.count() >= 12:
            continue
        people = (
            Person.objects.unscoped(DEMO)
            .filter(organisation=organisations[code], team__isnull=False, user__isnull=True)
            .exclude(practitioner_teacher__isnull=False)
            .order_by("email")
        )
        for person in people[::4][:12]:
            directory_services.create_practitioner_teacher(
                actor=None, person=person, status=PractitionerStatus.ACTIVE
            )
    pool: dict[str, list[PractitionerTeacher]] = {}
    for practitioner in (
        PractitionerTeacher.objects.unscoped(DEMO)
        .filter(
            person__organisation__in=[organisations["MC"], organisations["KCC"]],
            status=PractitionerStatus.ACTIVE,
        )
        .select_related("person__team__service_area", "service_area", "person__organisation")
        .order_by("person__email")
    ):
        area = practitioner.service_area or (
            practitioner.person.team.service_area if practitioner.person.team else None
        )
        pool.setdefault(area.code if area else "", []).append(practitioner)
    return pool


def _year(
    organisations: dict[str, Organisation], pool: dict[str, list[PractitionerTeacher]]
) -> None:
    rng = random.Random("teaching/2019")  # noqa: S311 # nosec B311 - stable demo data, not a secret
    teacher = PractitionerTeacher.objects.unscoped(DEMO).filter(person__email=TEACHER).first()
    academic = User.objects.filter(email=ACADEMIC).first()
    start = datetime.date(2019, 9, 23)
    for number, area in enumerate(AREAS):
        code = "CCCU" if number < 17 else "UOK"
        # CCCU's sessions run to the end of the winter term; UoK's through the year
        span = 85 if code == "CCCU" else 250
        date = start + datetime.timedelta(days=(number * 7919) % span)
        while date.weekday() > 4:
            date += datetime.timedelta(days=1)
        practitioner = (
            teacher
            if teacher is not None and code == "UOK" and number % 10 == 0
            else rng.choice(pool.get(area) or [p for ps in pool.values() for p in ps])
        )
        session = services.record_session(
            actor=None,
            hei=organisations[code],
            kind=SessionKind.TEACHING,
            date=date,
            module=MODULES[code][number % 3],
            title=f"{rng.choice(TOPICS[area])} ({number + 1})",
            status=SessionStatus.DELIVERED,
            place="Canterbury campus" if code == "CCCU" else "Medway campus",
        )
        services.add_practitioner(actor=None, session=session, practitioner_teacher=practitioner)
        if practitioner == teacher and academic is not None:
            _feedback(session, rng)
            services.record_observation(
                actor=academic,
                session=session,
                practitioner_teacher=practitioner,
                observed_on=session.date,
                strengths="Brought real cases to life; students asked many questions.",
                areas_to_develop="Leave ten minutes at the end for reflection.",
            )
    everyone = [p for ps in pool.values() for p in ps]
    for code, kind, count in (
        ("CCCU", SessionKind.INTERVIEW_HALF, 39),
        ("UOK", SessionKind.INTERVIEW_FULL, 30),
    ):
        for number in range(count):
            date = datetime.date(2019, 11, 4) + datetime.timedelta(days=number * 4)
            while date.weekday() > 4:
                date += datetime.timedelta(days=1)
            session = services.record_session(
                actor=None,
                hei=organisations[code],
                kind=kind,
                date=date,
                title=f"Admissions interviews {number + 1}",
                status=SessionStatus.DELIVERED,
            )
            services.add_practitioner(
                actor=None, session=session, practitioner_teacher=rng.choice(everyone)
            )


def _feedback(session: TeachingSession, rng: random.Random) -> None:
    version = services.feedback_version(session)
    if version is None:
        return
    from practica.questionnaires import services as questionnaire_services

    for _student in range(rng.randint(6, 12)):
        questionnaire_services.submit_open_response(
            version=version,
            answers={
                "session-objectives": str(rng.choice([4, 4, 5, 5, 3])),
                "session-useful": str(rng.choice([4, 5, 5, 3])),
                "session-presenter": str(rng.choice([5, 5, 4])),
                "session-format": rng.choice(["yes", "yes", "partly"]),
            },
            subject=session,
            organisation=session.hei,
            academic_year=session.academic_year,
            submitted_on=session.date,
        )


def _this_year(
    organisations: dict[str, Organisation], pool: dict[str, list[PractitionerTeacher]]
) -> None:
    """Requests for the coming weeks at each step: waiting for an offer, offered, accepted and
    waiting for the demo practitioner teacher to confirm, and filled."""
    academic = User.objects.filter(email=ACADEMIC).first()
    lead = User.objects.filter(email=CONTACTS["KCC"]).first()
    teacher = PractitionerTeacher.objects.unscoped(DEMO).filter(person__email=TEACHER).first()
    kcc = organisations["KCC"]
    kcc_pool = [p for ps in pool.values() for p in ps if p.person.organisation_id == kcc.pk]
    if academic is None or lead is None or teacher is None or len(kcc_pool) < 3:
        return
    today = timezone.localdate()
    ensure_academic_year(start_year=academic_year_of(today + datetime.timedelta(days=60)))
    uok = organisations["UOK"]

    def ask(days: int, kind: str, topic: str, wanted: int = 1) -> TeachingRequest:
        return services.raise_request(
            actor=academic,
            hei=uok,
            kind=kind,
            date=today + datetime.timedelta(days=days),
            starts_at=datetime.time(10, 0),
            ends_at=datetime.time(12, 0) if kind == SessionKind.TEACHING else datetime.time(16, 0),
            module="Child protection in practice",
            topic=topic,
            place="Medway campus",
            practitioners_wanted=wanted,
        )

    ask(21, SessionKind.TEACHING, "Direct work with children")
    ask(35, SessionKind.INTERVIEW_FULL, "Admissions interviews", wanted=2)
    offered = ask(28, SessionKind.TEACHING, "Working with fathers")
    services.offer_practitioners(
        actor=lead, request=offered, organisation=kcc, practitioners=[kcc_pool[0]]
    )
    accepted = ask(14, SessionKind.TEACHING, "Child protection conferences")
    (offer,) = services.offer_practitioners(
        actor=lead, request=accepted, organisation=kcc, practitioners=[teacher]
    )
    services.accept_offer(actor=academic, offer=offer)
    filled = ask(7, SessionKind.TEACHING, "Life story work")
    (offer,) = services.offer_practitioners(
        actor=lead, request=filled, organisation=kcc, practitioners=[kcc_pool[1]]
    )
    services.accept_offer(actor=academic, offer=offer)
    services.confirm_offer(actor=None, offer=offer)
