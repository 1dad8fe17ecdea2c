"""The demo partnership: two local authorities and two universities, modelled on the KMTP
case studies (../shared/seeds). Loading is idempotent: every record is found by its natural key
before it is created, so a second run adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from practica.accounts import services as account_services
from practica.accounts.models import Role, User
from practica.core import services
from practica.core.models import Location, Organisation, Partnership, Person, ServiceArea, Team
from practica.demo import (
    DEMO,
    educators,
    evaluations,
    learning,
    placements,
    questionnaires,
    teaching_directory,
    timeaudit,
)
from practica.demo.names import FIRST_NAMES, LAST_NAMES
from practica.teaching.sessions import demo as teaching_sessions

DEMO_PASSWORD = "practica-demo-2026"  # noqa: S105 - printed on the console by design; demo only
PARTNERSHIP = "Kent and Medway Social Work Teaching Partnership (demo)"

ORGANISATIONS = [
    ("MC", "Medway Council", "local_authority"),
    ("KCC", "Kent County Council", "local_authority"),
    ("CCCU", "Canterbury Christ Church University", "hei"),
    ("UOK", "University of Kent", "hei"),
]
LOCATIONS = {
    "MC": [("Gillingham", "ME7 4DU"), ("Chatham", "ME4 4TR"), ("Strood", "ME2 4AW")],
    "KCC": [
        ("Maidstone", "ME14 1XQ"),
        ("Canterbury", "CT1 2JG"),
        ("Ashford", "TN23 1PL"),
        ("Dover", "CT16 1AN"),
        ("Margate", "CT9 1RL"),
    ],
    "CCCU": [("Canterbury campus", "CT1 1QU")],
    "UOK": [("Canterbury campus", "CT2 7NZ"), ("Medway campus", "ME4 4AG")],
}
TEAMS = {
    "MC": [
        ("Children's assessment team", "childrens", "Chatham"),
        ("Children in care team", "childrens", "Gillingham"),
        ("Child protection team", "childrens", "Chatham"),
        ("Adult social care – north", "adults", "Strood"),
        ("Adult safeguarding team", "adults", "Gillingham"),
        ("Community mental health team", "mental_health", "Chatham"),
    ],
    "KCC": [
        ("Children's social work – Maidstone", "childrens", "Maidstone"),
        ("Children's social work – Canterbury", "childrens", "Canterbury"),
        ("Care leavers service", "childrens", "Ashford"),
        ("Disabled children's team", "childrens", "Dover"),
        ("Adult community team – Ashford", "adults", "Ashford"),
        ("Adult community team – Thanet", "adults", "Margate"),
        ("Older people's team", "adults", "Canterbury"),
        ("Kent enablement and recovery service", "mental_health", "Maidstone"),
    ],
    "CCCU": [("Social work programme team", "other", "Canterbury campus")],
    "UOK": [
        ("School of social policy, sociology and social research", "other", "Canterbury campus")
    ],
}


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    organisation: str


LOGINS: list[tuple[str, str, str, str, str]] = [
    # email, first, last, organisation code, role
    ("manager@demo.practica.test", "Pat", "Manager", "MC", Role.PARTNERSHIP_MANAGER),
    ("coordinator.mc@demo.practica.test", "Morgan", "Medway", "MC", Role.COORDINATOR),
    ("coordinator.kcc@demo.practica.test", "Kit", "Kent", "KCC", Role.COORDINATOR),
    ("coordinator.cccu@demo.practica.test", "Cai", "Church", "CCCU", Role.COORDINATOR),
    ("coordinator.uok@demo.practica.test", "Uma", "Kentish", "UOK", Role.COORDINATOR),
    ("pe@demo.practica.test", "Priya", "Educator", "MC", Role.PRACTICE_EDUCATOR),
    ("teacher@demo.practica.test", "Tom", "Teacher", "KCC", Role.PRACTITIONER_TEACHER),
    ("contributor@demo.practica.test", "Lee", "Experience", "CCCU", Role.CONTRIBUTOR),
    ("student@demo.practica.test", "Sasha", "Student", "UOK", Role.STUDENT),
    ("academic@demo.practica.test", "Alex", "Academic", "UOK", Role.ACADEMIC),
    ("linemanager@demo.practica.test", "Lin", "Manager", "KCC", Role.LINE_MANAGER),
]


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    """Create (or find) the demo partnership; returns the logins with their roles."""
    partnership = Partnership.objects.filter(
        name=PARTNERSHIP
    ).first() or services.create_partnership(actor=None, name=PARTNERSHIP)
    organisations: dict[str, Organisation] = {}
    for code, name, kind in ORGANISATIONS:
        organisations[code] = Organisation.objects.unscoped(DEMO).filter(
            code=code
        ).first() or services.create_organisation(
            actor=None, partnership=partnership, code=code, name=name, kind=kind
        )
    if partnership.lead_organisation_id is None:
        services.set_lead_organisation(
            actor=None, partnership=partnership, organisation=organisations["MC"]
        )
    for start_year in range(2017, 2027):
        services.ensure_academic_year(start_year=start_year)

    areas = {area.code: area for area in ServiceArea.objects.all()}
    for code, places in LOCATIONS.items():
        organisation = organisations[code]
        locations = {}
        for name, postcode in places:
            locations[name] = Location.objects.unscoped(DEMO).filter(
                organisation=organisation, name=name
            ).first() or (
                services.create_location(
                    actor=None, organisation=organisation, name=name, postcode=postcode
                )
            )
        for team_name, area, place in TEAMS[code]:
            team = (
                Team.objects.unscoped(DEMO)
                .filter(organisation=organisation, name=team_name)
                .first()
            )
            if team is None:
                team = services.create_team(
                    actor=None,
                    organisation=organisation,
                    name=team_name,
                    service_area=areas[area],
                    location=locations[place],
                )
            _staff_team(team)

    logins = []
    for email, first, last, code, role in LOGINS:
        user = User.objects.filter(email=email).first() or account_services.create_user(
            actor=None, email=email, first_name=first, last_name=last, password=DEMO_PASSWORD
        )
        account_services.grant_membership(
            actor=None, user=user, organisation=organisations[code], role=role
        )
        if not Person.objects.unscoped(DEMO).filter(user=user).exists():
            services.create_person(
                actor=None,
                organisation=organisations[code],
                first_name=first,
                last_name=last,
                email=email,
                user=user,
            )
        logins.append(DemoLogin(email, Role(role).label, organisations[code].name))
    # each domain's demo records, idempotently (found by natural key before they are created)
    for domain in (placements, educators, learning, questionnaires):
        domain.load(organisations)
    placements.load_placements(organisations)  # after the register: placements name PEs
    teaching_directory.load(organisations)  # after the events: its workshops are training steps
    timeaudit.load(organisations)  # after the placements: the audit's educators log them
    evaluations.load(organisations)  # after the placements: they are about them
    teaching_sessions.load(organisations)  # after the questionnaires: sessions' feedback
    return logins


JOB_TITLES = ["Social worker", "Senior social worker", "Practice manager", "Team manager"]


def _staff_team(team: Team) -> None:
    """A handful of practitioners per team, with stable names and e-mail addresses."""
    rng = random.Random(f"{team.organisation.code}/{team.name}")  # same people on every run
    domain = f"{team.organisation.code.lower()}.demo.practica.test"
    for index in range(rng.randint(4, 7)):
        first, last, title = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), rng.choice(JOB_TITLES)
        email = f"{first}.{last}.{team.pk}{index}@{domain}".lower()
        if not Person.objects.unscoped(DEMO).filter(email=email).exists():
            services.create_person(
                actor=None,
                organisation=team.organisation,
                team=team,
                first_name=first,
                last_name=last,
                email=email,
                job_title=title,
            )
