"""Demo events, attendance and the 2019/20 CPD-needs survey, from the KMTP case studies.

The 2019/20 quarterly joint practice educator forums (November: reflective supervision;
February: BAME students' issues, struggling and failing students, unconscious bias), the
practitioner teacher workshops (introductory; developing, planning and delivering a teaching
session in October; anti-oppressive practice in the classroom in January 2020), two upcoming
events to register for, and the survey with answers. Deterministic and idempotent: each record
is found by its natural key before it is created, and choices come from seeded generators.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from practica.accounts.models import User
from practica.core.models import Organisation, Person
from practica.demo import DEMO
from practica.educators.models import PracticeEducator
from practica.learning import services
from practica.learning.models import (
    Audience,
    CpdNeedsResponse,
    CpdNeedsSurvey,
    Event,
    EventKind,
    Registration,
)

COORDINATOR = "coordinator.mc@demo.practica.test"
PE_LOGIN = "pe@demo.practica.test"
TEACHER_LOGIN = "teacher@demo.practica.test"
CONTRIBUTOR_LOGIN = "contributor@demo.practica.test"


@dataclass(frozen=True)
class DemoEvent:
    organiser: str
    co_facilitators: tuple[str, ...]
    kind: str
    title: str
    theme: str
    description: str
    day: datetime.date
    start: datetime.time
    end: datetime.time
    place: str
    capacity: int | None
    audience: str
    attendees: int = 0  # how many of the demo practitioners came (past events)
    extra_people: list[str] = field(default_factory=list)  # logins who came as well


PAST_EVENTS = [
    DemoEvent(
        "CCCU",
        ("UOK",),
        EventKind.PT_WORKSHOP,
        "Practitioner teacher introductory workshop",
        "The practitioner teacher role",
        "What practitioner teachers do, what the universities expect, and the teaching "
        "opportunities on both social work programmes.",
        datetime.date(2019, 9, 19),
        datetime.time(9, 30),
        datetime.time(13, 0),
        "Canterbury Christ Church University, Old Sessions House",
        50,
        Audience.PRACTITIONER_TEACHERS,
        attendees=41,
        extra_people=[TEACHER_LOGIN],
    ),
    DemoEvent(
        "UOK",
        ("CCCU",),
        EventKind.PT_WORKSHOP,
        "Developing, planning and delivering a teaching session",
        "Teaching skills",
        "The second practitioner teacher workshop: planning a session, learning outcomes, "
        "and delivering it with confidence. Open to contributors with lived experience.",
        datetime.date(2019, 10, 17),
        datetime.time(9, 30),
        datetime.time(15, 30),
        "University of Kent, Medway campus",
        40,
        Audience.PRACTITIONER_TEACHERS,
        attendees=24,
        extra_people=[TEACHER_LOGIN, CONTRIBUTOR_LOGIN],
    ),
    DemoEvent(
        "MC",
        ("KCC", "CCCU", "UOK"),
        EventKind.JOINT_PE_FORUM,
        "Quarterly joint practice educator forum – November 2019",
        "Reflective supervision",
        "The PEPS programme lead of a partner university on reflective supervision, then focus "
        "groups on practice educator resources, student caseloads and the draft placement "
        "evaluation form.",
        datetime.date(2019, 11, 21),
        datetime.time(9, 30),
        datetime.time(13, 0),
        "Gillingham, Medway Council offices",
        60,
        Audience.PRACTICE_EDUCATORS,
        attendees=46,
        extra_people=[PE_LOGIN],
    ),
    DemoEvent(
        "CCCU",
        ("UOK",),
        EventKind.PT_WORKSHOP,
        "Anti-oppressive practice in the classroom",
        "Anti-oppressive practice",
        "The third practitioner teacher workshop, co-facilitated by both universities.",
        datetime.date(2020, 1, 23),
        datetime.time(9, 30),
        datetime.time(13, 0),
        "Canterbury Christ Church University, Old Sessions House",
        40,
        Audience.PRACTITIONER_TEACHERS,
        attendees=19,
        extra_people=[TEACHER_LOGIN, CONTRIBUTOR_LOGIN],
    ),
    DemoEvent(
        "KCC",
        ("MC", "CCCU", "UOK"),
        EventKind.JOINT_PE_FORUM,
        "Quarterly joint practice educator forum – February 2020",
        "BAME students' issues, struggling and failing students, unconscious bias",
        "Sessions by academics from both partner universities on the issues students from a "
        "BAME background face on placement, supporting struggling and failing students, and "
        "unconscious bias.",
        datetime.date(2020, 2, 27),
        datetime.time(9, 30),
        datetime.time(15, 0),
        "Maidstone, Sessions House",
        60,
        Audience.PRACTICE_EDUCATORS,
        attendees=52,
        extra_people=[PE_LOGIN],
    ),
]

SURVEY_TOPICS = [
    "Reflective supervision",
    "Supporting struggling and failing students",
    "Issues faced by BAME students on placement",
    "Unconscious bias",
    "Linking theory to practice",
    "Assessing against the PCF and the KSS",
    "Managing student caseloads",
    "Practice educator resources and templates",
]
# How keen practice educators were on each topic (mean rating they lean towards).
TOPIC_LEANINGS = [4.3, 4.1, 3.8, 3.6, 3.4, 3.2, 2.9, 2.6]
COMMENTS = [
    "Forums where we can hear other practice educators' experiences.",
    "More on what to do when a placement is going wrong.",
    "Joint sessions with the universities help me link theory to practice.",
    "A refresher on writing the final report would help.",
    "Time away from the team to attend is the hardest part.",
]


def load(organisations: dict[str, Organisation]) -> None:
    """Adds the demo events, attendance and survey (nothing twice)."""
    actor = User.objects.filter(email=COORDINATOR).first()
    practitioners = _practitioners(organisations)
    for demo in PAST_EVENTS:
        event = _event(demo, organisations, actor)
        if event.registrations.exists():
            continue
        rng = random.Random(f"learning/{demo.title}")
        pool = practitioners if demo.kind != EventKind.PT_WORKSHOP else practitioners[::2]
        came = rng.sample(pool, min(demo.attendees, len(pool)))
        missed = rng.sample([p for p in pool if p not in came], min(4, len(pool) - len(came)))
        for person in dict.fromkeys([*came, *_logins(demo.extra_people)]):
            services.record_attendance(actor=actor, event=event, person=person, attended="yes")
        for person in missed:
            services.record_attendance(actor=actor, event=event, person=person, attended="no")
    _upcoming(organisations, practitioners, actor)
    _survey(organisations, practitioners, actor)


def _practitioners(organisations: dict[str, Organisation]) -> list[Person]:
    """The practice educators of Medway and Kent: the register's, once the educators app has
    one; otherwise the LAs' practitioners. Always in the same order."""
    las = [organisations["MC"], organisations["KCC"]]
    people = Person.objects.unscoped(DEMO).filter(organisation__in=las).order_by("email")
    registered = people.filter(pk__in=PracticeEducator.objects.unscoped(DEMO).values("person_id"))
    if registered.count() >= 60:
        return list(registered)
    return list(people.exclude(user__isnull=False))


def _logins(emails: list[str]) -> list[Person]:
    return list(Person.objects.unscoped(DEMO).filter(user__email__in=emails).order_by("email"))


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def _event(demo: DemoEvent, organisations: dict[str, Organisation], actor: User | None) -> Event:
    organiser = organisations[demo.organiser]
    existing = Event.objects.unscoped(DEMO).filter(organisation=organiser, title=demo.title).first()
    if existing is not None:
        return existing
    return services.create_event(
        actor=actor,
        organisation=organiser,
        details=services.EventDetails(
            kind=demo.kind,
            title=demo.title,
            theme=demo.theme,
            description=demo.description,
            starts_at=_at(demo.day, demo.start),
            ends_at=_at(demo.day, demo.end),
            place=demo.place,
            co_facilitators=[organisations[code] for code in demo.co_facilitators],
            capacity=demo.capacity,
            registration_open=True,
            audience=demo.audience,
        ),
    )


def _upcoming(
    organisations: dict[str, Organisation], practitioners: list[Person], actor: User | None
) -> None:
    """Two events ahead of today (first created on the day the demo is first loaded): a joint
    forum with places left, and a small workshop that is full with a waiting list."""
    today = timezone.localdate()
    thursday = today + datetime.timedelta(days=(3 - today.weekday()) % 7 + 35)
    forum = _event(
        DemoEvent(
            "MC",
            ("KCC", "CCCU", "UOK"),
            EventKind.JOINT_PE_FORUM,
            "Quarterly joint practice educator forum – next quarter",
            "Supporting students' wellbeing on placement",
            "Sessions on students' wellbeing and reasonable adjustments, and an update on the "
            "practice placement evaluation tool.",
            thursday,
            datetime.time(9, 30),
            datetime.time(13, 0),
            "Chatham, Medway Council Gun Wharf",
            60,
            Audience.PRACTICE_EDUCATORS,
        ),
        organisations,
        actor,
    )
    workshop = _event(
        DemoEvent(
            "KCC",
            ("CCCU",),
            EventKind.WORKSHOP,
            "Writing the final placement report",
            "Assessment",
            "A small-group workshop on evidencing the PCF and writing a clear final report.",
            thursday + datetime.timedelta(days=14),
            datetime.time(13, 30),
            datetime.time(16, 0),
            "Ashford, Kroner House",
            12,
            Audience.PRACTICE_EDUCATORS,
        ),
        organisations,
        actor,
    )
    for event, count in ((forum, 23), (workshop, 14)):
        if Registration.objects.unscoped(DEMO).filter(event=event).exists() or event.has_started:
            continue
        rng = random.Random(f"learning/{event.title}")
        for person in rng.sample(practitioners, min(count, len(practitioners))):
            services.register_for_event(actor=None, event=event, person=person)


def _survey(
    organisations: dict[str, Organisation], practitioners: list[Person], actor: User | None
) -> None:
    partnership = organisations["MC"].partnership
    survey = (
        CpdNeedsSurvey.objects.unscoped(DEMO)
        .filter(partnership=partnership, academic_year__start_year=2019)
        .first()
    )
    if survey is None:
        survey = services.create_cpd_needs_survey(
            actor=actor,
            partnership=partnership,
            academic_year="2019/20",
            title="Practice educator CPD needs",
            opens_on=datetime.date(2019, 9, 16),
            closes_on=datetime.date(2019, 10, 11),
            topics=SURVEY_TOPICS,
        )
    if CpdNeedsResponse.objects.filter(survey=survey).exists():
        return
    topics = list(survey.topics.all())
    rng = random.Random("learning/cpd-needs-2019")
    respondents = rng.sample(practitioners, int(len(practitioners) * 0.6))
    respondents += [p for p in _logins([PE_LOGIN]) if p not in respondents]
    for index, person in enumerate(respondents):
        interest = {
            topic.pk: max(1, min(5, round(rng.gauss(leaning, 0.9))))
            for topic, leaning in zip(topics, TOPIC_LEANINGS, strict=True)
        }
        services.submit_cpd_needs_response(
            actor=person.user,
            survey=survey,
            person=person,
            interest=interest,
            preferred_format=rng.choices(["forum", "workshop", "online"], [6, 3, 1])[0],
            comments=COMMENTS[index % len(COMMENTS)] if index % 7 == 0 else "",
            submitted_at=_at(
                survey.opens_on + datetime.timedelta(days=index % 20),
                datetime.time(9 + index % 8, index % 60),
            ),
        )
