"""The demo directories (case study seeds/000): over 40 practitioner teachers across every
service area of Medway and Kent — those who taught before the partnership, and 2019's recruits
who expressed interest, came to the workshops and shadowed — each entry reviewed yearly (a few
overdue), some of whom answered the diversity monitoring questions themselves; and each
university's lived-experience contributors with their consent (some shared with the local
authorities, one withdrawn and so hidden).

Deterministic (seeded) and idempotent: an organisation whose directory has entries is left as
it is. Loaded after the events, whose practitioner teacher workshops count as training steps.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from practica.accounts import services as account_services
from practica.accounts.models import Role, User
from practica.core.models import Organisation, Person
from practica.demo import DEMO
from practica.demo.names import FIRST_NAMES, LAST_NAMES
from practica.learning.events.models import Attendance, EventKind, Registration
from practica.teaching.directory import services
from practica.teaching.models import (
    ConsentKind,
    ContributorConsent,
    Expertise,
    LivedExperienceContributor,
    PractitionerStatus,
    PractitionerTeacher,
)

TEACHER_LOGIN = "teacher@demo.practica.test"
CONTRIBUTOR_LOGIN = "contributor@demo.practica.test"
# practitioner teachers who taught before the partnership, and 2019's recruits, per employer
EXISTING = {"MC": 10, "KCC": 14}
RECRUITS = {"MC": 8, "KCC": 12}
CONTRIBUTORS = {"CCCU": 8, "UOK": 10}
MODULES = [
    "Social work with children and families",
    "Adult social care: law and practice",
    "Mental health and social work",
    "Skills for practice",
    "Assessment and intervention",
    "Values and ethics",
]
AVAILABILITY = ["Tuesday afternoons", "Mornings", "Any weekday with notice", "Thursdays", ""]
PAYMENT = ["Bank transfer; travel expenses by receipt", "Vouchers; taxi booked by us", ""]
NEEDS = ["Step-free access", "Papers in large print", "A quiet room before the session", ""]


def load(organisations: dict[str, Organisation]) -> None:
    for code in ("MC", "KCC"):
        _practitioner_teachers(organisations[code])
        _diversity(organisations[code])
    for code in ("CCCU", "UOK"):
        _contributors(organisations[code])


def _coordinator(organisation: Organisation) -> User | None:
    return User.objects.filter(
        memberships__organisation=organisation, memberships__role="coordinator"
    ).first()


def _workshop_people(organisation: Organisation) -> list[int]:
    """People of ``organisation`` who came to a practitioner teacher workshop."""
    return list(
        Registration.objects.unscoped(DEMO)
        .filter(
            person__organisation=organisation,
            event__kind=EventKind.PT_WORKSHOP,
            attended=Attendance.YES,
        )
        .values_list("person_id", flat=True)
        .distinct()
        .order_by("person_id")
    )


def _practitioner_teachers(organisation: Organisation) -> None:
    if (
        PractitionerTeacher.objects.unscoped(DEMO)
        .filter(person__organisation=organisation)
        .exists()
    ):
        return
    rng = random.Random(f"teaching/{organisation.code}")
    coordinator = _coordinator(organisation)
    today = timezone.localdate()
    expertise = list(Expertise.objects.exclude(code="lived_experience").order_by("code"))
    people = list(
        Person.objects.unscoped(DEMO)
        .filter(organisation=organisation, user__isnull=True, team__isnull=False)
        .select_related("team")
        .order_by("email")
    )
    came = set(_workshop_people(organisation))
    # recruits are people who came to a workshop (most of them), the rest taught before
    recruits = [p for p in people if p.pk in came][: RECRUITS[organisation.code]]
    teacher_login = Person.objects.unscoped(DEMO).filter(
        user__email=TEACHER_LOGIN, organisation=organisation
    )
    recruits += list(teacher_login)
    others = [p for p in people if p not in recruits]
    # across every service area: take people from each team in turn
    by_team: dict[int, list[Person]] = {}
    for person in others:
        by_team.setdefault(person.team_id or 0, []).append(person)
    existing: list[Person] = []
    while len(existing) < EXISTING[organisation.code] and any(by_team.values()):
        for team_people in by_team.values():
            if team_people and len(existing) < EXISTING[organisation.code]:
                existing.append(team_people.pop(0))

    for index, person in enumerate(existing):
        joined = datetime.date(2017 + index % 2, 9, 1 + index)
        teacher = services.create_practitioner_teacher(
            actor=coordinator,
            person=person,
            status=PractitionerStatus.PAUSED if index % 9 == 8 else PractitionerStatus.ACTIVE,
            expertise=rng.sample(expertise, rng.randint(1, 3)),
            availability=rng.choice(AVAILABILITY),
            modules_taught="\n".join(rng.sample(MODULES, rng.randint(1, 2))),
            career_level=_career_level(organisation, person),
            joined_on=joined,
        )
        # reviewed yearly: most in the last year, a few overdue and one never
        if index % 7 != 6:
            days = rng.randint(20, 300) if index % 5 != 4 else rng.randint(380, 500)
            services.review_practitioner_teacher(
                actor=coordinator,
                teacher=teacher,
                reviewed_on=max(joined, today - datetime.timedelta(days=days)),
            )
    experienced = list(
        PractitionerTeacher.objects.unscoped(DEMO).filter(
            person__organisation=organisation, status=PractitionerStatus.ACTIVE
        )
    )
    for index, person in enumerate(recruits):
        interest, _token = services.express_interest(
            actor=None,
            person=person,
            knowledge=rng.choice(
                [
                    "Care proceedings and the public law outline",
                    "Safeguarding adults enquiries",
                    "The Mental Capacity Act in practice",
                    "Working with care leavers",
                ]
            ),
            skills=rng.choice(["Presenting", "Group work and role play", "Training new staff"]),
            experience=f"{rng.randint(3, 15)} years in {person.team.name if person.team else 'practice'}",
            areas=rng.sample(expertise, rng.randint(1, 2)),
            line_manager_name="Their team manager",
            line_manager_email=f"manager.{person.pk}@{organisation.code.lower()}.demo.practica.test",
            send=False,
        )
        if index % 6 != 5:  # one in six line managers has not answered yet
            services.answer_interest(interest=interest, agrees=True)
        teacher = PractitionerTeacher.objects.unscoped(DEMO).get(person=person)
        if person.user_id is None and index % 2 == 0 and experienced:
            services.record_shadowing(
                actor=coordinator,
                teacher=teacher,
                shadowed=rng.choice(experienced),
                on=datetime.date(2019, 11, 5 + index),
                session=rng.choice(MODULES) + ", " + rng.choice(["CCCU", "University of Kent"]),
            )
        services.review_practitioner_teacher(
            actor=coordinator, teacher=teacher, reviewed_on=today - datetime.timedelta(days=30)
        )


# practitioner teachers who answered the diversity monitoring questions themselves, with their
# consent to being counted, per employer: enough in Kent for most counts to be shown, few
# enough in Medway for the report's small-number suppression to be seen at work
DIVERSITY_ANSWERS = {"MC": 7, "KCC": 14}
ETHNIC_GROUPS = ["white"] * 7 + ["asian", "black", "mixed", "white", "prefer_not"]
DISABILITY = ["no"] * 8 + ["yes", "prefer_not"]
GENDERS = ["woman"] * 5 + ["man", "man", "prefer_not"]
AGE_BANDS = ["30_39", "30_39", "40_49", "40_49", "50_59", "under_30", "60_over"]


def _diversity(organisation: Organisation) -> None:
    """Active practitioner teachers who answered the monitoring questions in Practica: each
    has a login (no password: the demo does not sign in as them) and answered themselves, as
    only they may (docs/0032)."""
    teachers = PractitionerTeacher.objects.unscoped(DEMO).filter(
        person__organisation=organisation, status=PractitionerStatus.ACTIVE
    )
    if teachers.filter(diversity__isnull=False).exists():
        return
    rng = random.Random(f"teaching/diversity/{organisation.code}")
    chosen = teachers.filter(person__user__isnull=True).exclude(person__email="")
    for teacher in chosen.select_related("person").order_by("person__email")[
        : DIVERSITY_ANSWERS[organisation.code]
    ]:
        person = teacher.person
        user = account_services.create_user(
            actor=None,
            email=person.email,
            first_name=person.first_name,
            last_name=person.last_name,
            password=None,
        )
        account_services.grant_membership(
            actor=None, user=user, organisation=organisation, role=Role.PRACTITIONER_TEACHER
        )
        account_services.ensure_person_for_user(actor=None, user=user, organisation=organisation)
        services.record_own_diversity(
            actor=user,
            teacher=PractitionerTeacher.objects.unscoped(DEMO)
            .select_related("person")
            .get(pk=teacher.pk),
            consent=True,
            ethnic_group=rng.choice(ETHNIC_GROUPS),
            disability=rng.choice(DISABILITY),
            gender=rng.choice(GENDERS),
            age_band=rng.choice(AGE_BANDS),
        )


def _career_level(organisation: Organisation, person: Person) -> str:
    """Medway's children's services put the role on their career progression pathway."""
    if organisation.code == "MC" and person.team and person.team.service_area.code == "childrens":
        return "Advanced practitioner"
    return ""


def _contributors(hei: Organisation) -> None:
    if LivedExperienceContributor.objects.unscoped(DEMO).filter(hei=hei).exists():
        return
    rng = random.Random(f"teaching/{hei.code}")
    coordinator = _coordinator(hei)
    areas = list(Expertise.objects.order_by("code"))
    lived = Expertise.objects.get(code="lived_experience")
    login = Person.objects.unscoped(DEMO).filter(user__email=CONTRIBUTOR_LOGIN, organisation=hei)
    people: list[tuple[str, str, str]] = [(p.first_name, p.last_name, p.email) for p in login]
    while len(people) < CONTRIBUTORS[hei.code]:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        people.append(
            (
                first,
                last,
                f"{first}.{last}.{len(people)}@{hei.code.lower()}.demo.practica.test".lower(),
            )
        )
    for index, (first, last, email) in enumerate(people):
        contributor = services.add_contributor(
            actor=coordinator,
            hei=hei,
            first_name=first,
            last_name=last,
            email=email,
            consent_given_on=datetime.date(2019, 9, 2 + index),
            share_with_partners=index % 3 == 0,
            recording=index % 2 == 0,
            areas=[lived, *rng.sample(areas, 1)],
            payment_preference=rng.choice(PAYMENT),
            accessibility_needs=rng.choice(NEEDS),
        )
        if index == len(people) - 1:  # one withdrew, and is hidden from everyone now
            consent = ContributorConsent.objects.unscoped(DEMO).get(
                contributor=contributor, kind=ConsentKind.DIRECTORY, withdrawn_on__isnull=True
            )
            services.withdraw_consent(
                actor=coordinator, consent=consent, withdrawn_on=datetime.date(2020, 2, 3)
            )
