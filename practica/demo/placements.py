"""Demo students of the demo universities (idempotent: found by university and reference), and
two years of placement offers and placements (loaded once)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from practica.core import services as core_services
from practica.core.models import AcademicYear, Organisation, OrganisationKind, Person, Team
from practica.core.scoping import unscoped_block
from practica.demo import DEMO, placement_records
from practica.demo.names import FIRST_NAMES, LAST_NAMES
from practica.educators.register.models import QUALIFIED_STAGES, PracticeEducator
from practica.placements import services
from practica.placements.models import (
    FILLING_STATUSES,
    Placement,
    PlacementOffer,
    PlacementStatus,
    PlacementType,
    Route,
    Student,
    StudentStage,
    TravelTime,
    default_days,
)
from practica.placements.runs import services as run_services
from practica.placements.travel import estimated_minutes, great_circle_km

HOMES = {
    "CCCU": [
        "Canterbury",
        "Whitstable",
        "Herne Bay",
        "Faversham",
        "Ashford",
        "Dover",
        "Folkestone",
    ],
    "UOK": ["Canterbury", "Chatham", "Gillingham", "Rochester", "Maidstone", "Sittingbourne"],
}
ROUTES = {
    "CCCU": [Route.BA, Route.BA, Route.BA, Route.MA, Route.STEP_UP, Route.APPRENTICE],
    "UOK": [Route.BA, Route.BA, Route.MA, Route.MA, Route.THINK_AHEAD, Route.FRONTLINE, Route.OU],
}
STUDENTS_PER_UNIVERSITY = 24
STUDENT_FIRST_NAMES = [
    "Alex",
    "Bea",
    "Cam",
    "Dami",
    "Eve",
    "Farah",
    "Gus",
    "Hana",
    "Ike",
    "Jo",
    "Kai",
    "Lola",
]
STUDENT_LAST_NAMES = [
    "Ansah",
    "Bell",
    "Chen",
    "Doyle",
    "Ellis",
    "Fox",
    "Gill",
    "Hart",
    "Ivanova",
    "Joshi",
]


def load(organisations: dict[str, Organisation]) -> None:
    for code, homes in HOMES.items():
        hei = organisations[code]
        rng = random.Random(f"students/{code}")
        for number in range(1, STUDENTS_PER_UNIVERSITY + 1):
            ref = f"{code}{2019000 + number}"
            first, last = rng.choice(STUDENT_FIRST_NAMES), rng.choice(STUDENT_LAST_NAMES)
            route, home = rng.choice(ROUTES[code]), rng.choice(homes)
            year = rng.randint(1, 2 if route in (Route.MA, Route.STEP_UP, Route.FRONTLINE) else 3)
            travel = rng.choice([None, 45, 60, 75, 90])
            if Student.objects.unscoped(DEMO).filter(hei=hei, student_ref=ref).exists():
                continue
            services.create_student(
                actor=None,
                hei=hei,
                student_ref=ref,
                first_name=first,
                last_name=last,
                email=f"{first}.{last}.{ref}@students.{code.lower()}.demo.practica.test".lower(),
                route=route,
                year_of_study=year,
                home_location=home,
                travel_limit_minutes=travel,
            )
    # the demo student login is a student of the University of Kent
    person = Person.objects.unscoped(DEMO).filter(email="student@demo.practica.test").first()
    if person is not None and not Student.objects.unscoped(DEMO).filter(person=person).exists():
        services.create_student(
            actor=None,
            hei=organisations["UOK"],
            student_ref="UOK2019999",
            first_name=person.first_name,
            last_name=person.last_name,
            route=Route.BA,
            year_of_study=2,
            home_location="Chatham",
            travel_limit_minutes=60,
            person=person,
        )


# --- two years of placements (KMTP case study, seeds/002) ------------------------------------
#
# Medway and Kent provide about 100 placements a year between them, plus Step Up, Think Ahead,
# Open University, apprentice, school-setting and shadowing placements (2018/19 and 2019/20,
# the case study's numbers). Four hundred-odd records through the services would take a minute,
# so they are planned in memory, following the services' rules (days by type, the student's own
# team avoided, a confirmed placement dated, a placement fills the one offer of its team, year
# and type), and written with bulk_create_with_history: the database constraints check every
# row and each gets its "created" history entry. Loaded once: a partnership with placements is
# left as it is.

PLACEMENT_YEARS = (2018, 2019)
PLACEMENT_DOMAIN = "placements.demo.practica.test"
# approximate coordinates of the demo's towns, from which the demo's journey times are made
TOWNS = {
    "Ashford": (51.1465, 0.8750),
    "Canterbury": (51.2802, 1.0789),
    "Chatham": (51.3800, 0.5270),
    "Dover": (51.1279, 1.3134),
    "Faversham": (51.3155, 0.8910),
    "Folkestone": (51.0814, 1.1695),
    "Gillingham": (51.3890, 0.5486),
    "Herne Bay": (51.3700, 1.1280),
    "Maidstone": (51.2720, 0.5290),
    "Margate": (51.3813, 1.3862),
    "Rochester": (51.3880, 0.5060),
    "Sittingbourne": (51.3400, 0.7350),
    "Strood": (51.3930, 0.4800),
    "Whitstable": (51.3600, 1.0250),
}


@dataclass(frozen=True)
class Batch:
    """``count`` placements of one kind that an LA provides in a year."""

    la: str
    year: int
    placement_type: str
    count: int
    routes: tuple[str, ...]
    service_area: str = ""  # the teams they are spread over ("" every team)
    team: str = ""  # or one team
    setting: str = ""
    days: int | None = None
    offer_routes: tuple[str, ...] = ()  # what the offer accepts (empty: every route)
    employed: bool = False  # apprentices and in-house OU students work for the LA


def _batches() -> list[Batch]:
    first, final = PlacementType.FIRST_70, PlacementType.FINAL_100
    hei_routes = (Route.BA, Route.BA, Route.MA)
    kers = "Kent enablement and recovery service"
    sswiss = "Student Social Workers in School Settings"
    return [
        # Medway 2018/19: 21 placements, 4 Step Up, 5 first placements in school settings,
        # 17 shadowing placements
        Batch("MC", 2018, final, 16, hei_routes),
        Batch("MC", 2018, first, 5, hei_routes),
        Batch("MC", 2018, first, 4, (Route.STEP_UP,), service_area="childrens"),
        Batch(
            "MC",
            2018,
            PlacementType.SCHOOL_SETTING,
            5,
            (Route.BA,),
            setting=sswiss,
            days=70,
            offer_routes=(Route.BA, Route.MA),
        ),
        Batch("MC", 2018, PlacementType.SHADOWING, 17, (Route.BA,)),
        # Medway 2019/20: 18 finals and 1 first, 6 Step Up, 17 shadowing, 6 apprentices
        Batch("MC", 2019, final, 18, hei_routes),
        Batch("MC", 2019, first, 1, hei_routes),
        Batch("MC", 2019, first, 6, (Route.STEP_UP,), service_area="childrens"),
        Batch("MC", 2019, PlacementType.SHADOWING, 17, (Route.BA,)),
        Batch("MC", 2019, first, 6, (Route.APPRENTICE,), employed=True),
        # Kent 2018/19: 72 placements, 11 Step Up, 4 Think Ahead, 2 first placements in the
        # enablement and recovery service, 21 in-house OU students, 58 shadowing placements
        Batch("KCC", 2018, final, 60, hei_routes),
        Batch("KCC", 2018, first, 12, hei_routes),
        Batch("KCC", 2018, first, 11, (Route.STEP_UP,), service_area="childrens"),
        Batch(
            "KCC",
            2018,
            PlacementType.OTHER,
            4,
            (Route.THINK_AHEAD,),
            team=kers,
            days=100,
            offer_routes=(Route.THINK_AHEAD,),
        ),
        Batch("KCC", 2018, first, 2, hei_routes, team=kers),
        Batch("KCC", 2018, first, 11, (Route.OU,), employed=True),
        Batch("KCC", 2018, final, 10, (Route.OU,), employed=True),
        Batch("KCC", 2018, PlacementType.SHADOWING, 58, (Route.BA,)),
        # Kent 2019/20: 75 finals and 4 firsts, 14 Step Up, 18 OU (8 first, 10 final),
        # 25 apprentices
        Batch("KCC", 2019, final, 75, hei_routes),
        Batch("KCC", 2019, first, 4, hei_routes),
        Batch("KCC", 2019, first, 14, (Route.STEP_UP,), service_area="childrens"),
        Batch("KCC", 2019, first, 8, (Route.OU,), employed=True),
        Batch("KCC", 2019, final, 10, (Route.OU,), employed=True),
        Batch("KCC", 2019, first, 25, (Route.APPRENTICE,), employed=True),
    ]


def _dates(kind: str, year: int, index: int, days: int) -> tuple[datetime.date, datetime.date]:
    """The dates of a placement of this kind in the year starting ``year``."""
    if kind in (PlacementType.FIRST_70, PlacementType.SCHOOL_SETTING):
        return datetime.date(year, 10, 7), datetime.date(year + 1, 1, 31)
    if kind == PlacementType.FINAL_100:
        return datetime.date(year + 1, 1, 13), datetime.date(year + 1, 6, 12)
    if kind == PlacementType.SHADOWING:
        start = datetime.date(year, 11, 4) + datetime.timedelta(days=7 * (index % 8))
        return start, start + datetime.timedelta(days=days - 1)
    return datetime.date(year, 9, 23), datetime.date(year + 1, 3, 13)


def _status(kind: str, year: int, route: str) -> str:
    """Where each placement stood in the case study's current year (winter 2019/20)."""
    if year < max(PLACEMENT_YEARS):
        return PlacementStatus.COMPLETED
    if kind == PlacementType.FINAL_100:
        return PlacementStatus.IN_PROGRESS
    if route == Route.APPRENTICE:
        return PlacementStatus.IN_PROGRESS
    return PlacementStatus.COMPLETED


@dataclass
class PlannedStudent:
    student: Student
    placements: list[Placement] = field(default_factory=list)


class Planner:
    """Students, offers and placements, planned in memory before they are written."""

    def __init__(self, organisations: dict[str, Organisation]) -> None:
        self.organisations = organisations
        self.rng = random.Random("placements/demo")
        self.years = {year: AcademicYear.objects.get(start_year=year) for year in PLACEMENT_YEARS}
        self.teams = {
            code: list(
                Team.objects.unscoped(DEMO)
                .filter(organisation=organisations[code])
                .select_related("service_area")
                .order_by("name")
            )
            for code in ("MC", "KCC")
        }
        self.educators = {
            code: list(
                PracticeEducator.objects.unscoped(DEMO)
                .filter(
                    person__organisation=organisations[code],
                    peps_stage__in=[stage.value for stage in QUALIFIED_STAGES],
                    independent=False,
                )
                .select_related("person")
                .order_by("person__email")
            )
            for code in ("MC", "KCC")
        }
        self.team_people = {
            team.pk: list(Person.objects.unscoped(DEMO).filter(team=team).order_by("email")[:3])
            for teams in self.teams.values()
            for team in teams
        }
        self.people: list[Person] = []
        self.students: list[PlannedStudent] = []
        self.placements: list[tuple[PlannedStudent, Placement]] = []
        self.counter = 0
        self.pe_turn = {"MC": 0, "KCC": 0}

    def new_student(self, hei: Organisation, route: str, year_of_study: int) -> PlannedStudent:
        self.counter += 1
        ref = f"{hei.code}P{self.counter:04d}"
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        person = Person(
            organisation=hei,
            first_name=first,
            last_name=last,
            email=f"{first}.{last}.{ref}@{PLACEMENT_DOMAIN}".lower(),
        )
        self.people.append(person)
        homes = HOMES.get(hei.code) or HOMES["UOK"]
        student = Student(
            person=person,
            hei=hei,
            student_ref=ref,
            route=route,
            year_of_study=year_of_study,
            home_location=self.rng.choice(homes),
            travel_limit_minutes=self.rng.choice([45, 60, 60, 75, 90]),
            programme=PROGRAMMES[route],
        )
        planned = PlannedStudent(student)
        self.students.append(planned)
        return planned

    def hei_for(self, route: str, ou: Organisation) -> Organisation:
        if route == Route.OU:
            return ou
        if route in (Route.APPRENTICE, Route.STEP_UP):
            return self.organisations["CCCU"]
        if route == Route.THINK_AHEAD:
            return self.organisations["UOK"]
        return self.organisations[self.rng.choice(["CCCU", "UOK"])]

    def teams_for(self, batch: Batch) -> list[Team]:
        teams = self.teams[batch.la]
        if batch.team:
            return [team for team in teams if team.name == batch.team]
        if batch.service_area:
            return [team for team in teams if team.service_area.code == batch.service_area]
        return teams

    def educator(self, la: str) -> PracticeEducator | None:
        educators = self.educators[la]
        if not educators:
            return None
        self.pe_turn[la] += 1
        return educators[self.pe_turn[la] % len(educators)]

    def place(
        self, planned: PlannedStudent, batch: Batch, team: Team | None, index: int
    ) -> Placement:
        if team is not None and team == planned.student.employer_team:  # not their own team
            others = [t for t in self.teams_for(batch) if t != team] or [
                t for t in self.teams[batch.la] if t != team
            ]
            team = others[index % len(others)]
        days = batch.days or default_days(batch.placement_type) or self.rng.randint(2, 5)
        starts_on, ends_on = _dates(batch.placement_type, batch.year, index, days)
        shadowing = batch.placement_type == PlacementType.SHADOWING
        people = self.team_people.get(team.pk, []) if team is not None else []
        placement = Placement(
            student=planned.student,
            organisation=self.organisations[batch.la],
            team=team,
            setting=batch.setting,
            academic_year=self.years[batch.year],
            placement_type=batch.placement_type,
            days=days,
            starts_on=starts_on,
            ends_on=ends_on,
            practice_educator=None if shadowing else self.educator(batch.la),
            onsite_supervisor=people[0] if shadowing and people else None,
            status=_status(batch.placement_type, batch.year, planned.student.route),
        )
        planned.placements.append(placement)
        self.placements.append((planned, placement))
        return placement


PROGRAMMES: dict[str, str] = {
    Route.BA: "BA (Hons) Social Work",
    Route.MA: "MA Social Work",
    Route.STEP_UP: "Step Up to Social Work",
    Route.THINK_AHEAD: "Think Ahead",
    Route.FRONTLINE: "Frontline",
    Route.APPRENTICE: "Social Work Degree Apprenticeship",
    Route.OU: "BA (Hons) Social Work (Open University)",
}


def load_placements(organisations: dict[str, Organisation]) -> None:
    """Two years of offers, students and placements (after the register: they name PEs)."""
    partnership = organisations["MC"].partnership
    if Placement.objects.unscoped(DEMO).filter(organisation__partnership=partnership).exists():
        return  # loaded before
    ou = _open_university(organisations)
    planner = Planner(organisations)
    carried: dict[tuple[str, str], list[PlannedStudent]] = {}  # (LA, route) → firsts of 2018/19
    for batch in _batches():
        teams = planner.teams_for(batch)
        for index in range(batch.count):
            route = batch.routes[index % len(batch.routes)]
            team: Team | None = None if batch.setting else teams[index % len(teams)]
            planned = _student_for(planner, batch, route, carried, ou)
            if batch.employed and planned.student.employer is None:
                own = [t for t in planner.teams[batch.la] if t != team]
                planned.student.employer = planner.organisations[batch.la]
                planned.student.employer_team = own[index % len(own)]
            planner.place(planned, batch, team, index)
            if batch.year == 2018 and batch.placement_type == PlacementType.FIRST_70:
                carried.setdefault((batch.la, route), []).append(planned)
            if route == Route.STEP_UP:  # both placements in one year
                final = Batch(batch.la, batch.year, PlacementType.FINAL_100, 1, (route,))
                adults = [t for t in planner.teams[batch.la] if t.service_area.code == "adults"]
                planner.place(planned, final, adults[index % len(adults)], index)
    _unplaced_requests(planner)
    _demo_student(planner, organisations)
    _write(planner)
    _travel_times()
    _stages_of_the_first_students(organisations)
    _quota(organisations)
    placement_records.load_records(organisations)


def _quota(organisations: dict[str, Organisation]) -> None:
    """A quota per university (docs/0028, "Quotas"): Medway takes at most two more of
    Canterbury Christ Church University's students in 2019/20 than it holds already, so a run
    of that university's (or the whole partnership's) keeps it and says so."""
    hei, provider = organisations["CCCU"], organisations["MC"]
    year = AcademicYear.objects.get(start_year=2019)
    held = (
        Placement.objects.unscoped(DEMO)
        .filter(academic_year=year, student__hei=hei, organisation=provider)
        .exclude(status__in=[PlacementStatus.REQUESTED, PlacementStatus.ENDED_EARLY])
        .count()
    )
    run_services.save_quota(
        actor=None,
        partnership=hei.partnership,
        hei=hei,
        provider=provider,
        academic_year=year,
        limit=held + 2,
    )


def _student_for(
    planner: Planner,
    batch: Batch,
    route: str,
    carried: dict[tuple[str, str], list[PlannedStudent]],
    ou: Organisation,
) -> PlannedStudent:
    """A 2019/20 final placement goes to a student who had their first in 2018/19 where there
    is one; everyone else is a new student."""
    waiting = carried.get((batch.la, route), [])
    if batch.year == 2019 and batch.placement_type == PlacementType.FINAL_100 and waiting:
        planned = waiting.pop(0)
        planned.student.year_of_study += 1
        return planned
    year_of_study = {
        str(PlacementType.SHADOWING): 1,
        PlacementType.FIRST_70: 2,
        PlacementType.SCHOOL_SETTING: 2,
    }.get(batch.placement_type, 3)
    if route in (Route.MA, Route.STEP_UP, Route.THINK_AHEAD):
        year_of_study = min(year_of_study, 2)
    return planner.new_student(planner.hei_for(route, ou), route, year_of_study)


def _unplaced_requests(planner: Planner) -> None:
    """Four of the universities' students still waiting for a 2019/20 final placement: one
    requested of each LA, one matched awaiting confirmation in each."""
    for index, (la, status) in enumerate(
        [
            ("MC", PlacementStatus.REQUESTED),
            ("KCC", PlacementStatus.REQUESTED),
            ("MC", PlacementStatus.MATCHED),
            ("KCC", PlacementStatus.MATCHED),
        ]
    ):
        hei = planner.organisations["UOK" if index % 2 else "CCCU"]
        planned = planner.new_student(hei, Route.BA, 3)
        placement = Placement(
            student=planned.student,
            organisation=planner.organisations[la],
            academic_year=planner.years[2019],
            placement_type=PlacementType.FINAL_100,
            days=100,
            status=status,
        )
        if status == PlacementStatus.MATCHED:
            team = planner.teams[la][index]
            placement.team, placement.practice_educator = team, planner.educator(la)
            placement.starts_on, placement.ends_on = _dates(placement.placement_type, 2019, 0, 100)
        planned.placements.append(placement)
        planner.placements.append((planned, placement))


def _demo_student(planner: Planner, organisations: dict[str, Organisation]) -> None:
    """The student login: a first placement at Medway in 2019/20, with the PE login's help."""
    student = (
        Student.objects.unscoped(DEMO)
        .filter(person__email="student@demo.practica.test")
        .select_related("person")
        .first()
    )
    educator = (
        PracticeEducator.objects.unscoped(DEMO)
        .filter(person__email="pe@demo.practica.test")
        .first()
    )
    if student is None:
        return
    team = planner.teams["MC"][0]
    starts_on, ends_on = _dates(PlacementType.FIRST_70, 2019, 0, 70)
    placement = Placement(
        student=student,
        organisation=organisations["MC"],
        team=team,
        academic_year=planner.years[2019],
        placement_type=PlacementType.FIRST_70,
        days=70,
        starts_on=starts_on,
        ends_on=ends_on,
        practice_educator=educator or planner.educator("MC"),
        status=PlacementStatus.IN_PROGRESS,
    )
    planned = PlannedStudent(student)
    planned.placements.append(placement)
    planner.placements.append((planned, placement))


def _stage_after(placements: list[Placement]) -> str:
    kinds = {p.placement_type for p in placements if p.status != PlacementStatus.ENDED_EARLY}
    if PlacementType.FINAL_100 in kinds or PlacementType.OTHER in kinds:
        return StudentStage.DONE
    if kinds & {PlacementType.FIRST_70, PlacementType.SCHOOL_SETTING}:
        return StudentStage.FINAL_100
    if PlacementType.SHADOWING in kinds:
        return StudentStage.FIRST_70
    return StudentStage.FINAL_100  # waiting for a final placement


def _write(planner: Planner) -> None:
    """People, students, offers, then placements (each filling its offer), with history."""
    people = bulk_create_with_history(planner.people, Person)
    for person, planned in zip(people, planner.students, strict=True):
        planned.student.person = person
    for planned in planner.students:
        planned.student.stage = _stage_after(planned.placements)
    # a few students recorded their needs, with consent
    for planned in planner.students[::37]:
        planned.student.needs = "Dyslexia: written material a day ahead; extra time for records."
        planned.student.needs_consent = True
        planned.student.needs_consent_on = datetime.date(2018, 9, 24)
    bulk_create_with_history([planned.student for planned in planner.students], Student)
    offers: dict[tuple[Any, ...], PlacementOffer] = {}
    counts: dict[tuple[Any, ...], int] = {}
    batches = {(b.la, b.year, b.placement_type, b.team, b.setting): b for b in _batches()}
    for _planned, placement in planner.placements:
        placement.student = _planned.student
        if placement.status not in FILLING_STATUSES:
            continue
        key = _offer_key(placement)
        counts[key] = counts.get(key, 0) + 1
        if key not in offers:
            offers[key] = _offer_for(placement, batches)
    for index, (key, offer) in enumerate(sorted(offers.items(), key=lambda item: str(item[0]))):
        offer.slots = counts[key] + (1 if index % 4 == 0 else 0)  # some capacity to spare
    bulk_create_with_history(list(offers.values()), PlacementOffer)
    for _planned, placement in planner.placements:
        if placement.status in FILLING_STATUSES:
            offer = offers[_offer_key(placement)]
            placement.offer = offer if offer.accepts(placement.student.route) else None
    # an early end in each year of the case study
    completed = [p for _s, p in planner.placements if p.status == PlacementStatus.COMPLETED]
    for placement in completed[7::90]:
        placement.status = PlacementStatus.ENDED_EARLY
        placement.ended_reason = "The student withdrew from the programme for personal reasons."
    bulk_create_with_history([placement for _s, placement in planner.placements], Placement)


def _offer_key(placement: Placement) -> tuple[Any, ...]:
    return (
        placement.organisation.code,
        placement.team_id,
        placement.setting,
        placement.academic_year.start_year,
        placement.placement_type,
    )


def _offer_for(placement: Placement, batches: dict[tuple[Any, ...], Batch]) -> PlacementOffer:
    team = placement.team
    batch = batches.get(
        (
            placement.organisation.code,
            placement.academic_year.start_year,
            placement.placement_type,
            team.name if team is not None and placement.setting == "" else "",
            placement.setting,
        )
    )
    routes = list(batch.offer_routes) if batch is not None else []
    return PlacementOffer(
        organisation=placement.organisation,
        team=team,
        setting=placement.setting,
        academic_year=placement.academic_year,
        placement_type=placement.placement_type,
        days=placement.days,
        slots=1,
        service_area=team.service_area if team is not None else None,
        location=team.location if team is not None else None,
        routes=[route for route in Route.values if route in routes],
    )


def _open_university(organisations: dict[str, Organisation]) -> Organisation:
    """The Open University, whose in-house students Kent employs."""
    existing = Organisation.objects.unscoped(DEMO).filter(code="OU").first()
    if existing is not None:
        return existing
    return core_services.create_organisation(
        actor=None,
        partnership=organisations["MC"].partnership,
        code="OU",
        name="The Open University",
        kind=OrganisationKind.HEI,
    )


def _travel_times() -> None:
    """Journey times between the demo's towns: the straight-line estimate with some roads
    slower than others (seeded, so the same on every run)."""
    if TravelTime.objects.exists():
        return
    rng = random.Random("placements/travel")
    towns = sorted(TOWNS)
    journeys = []
    for index, start in enumerate(towns):
        for end in towns[index + 1 :]:
            minutes = estimated_minutes(great_circle_km(TOWNS[start], TOWNS[end]))
            journeys.append(
                TravelTime(
                    from_location=start,
                    to_location=end,
                    minutes=minutes + rng.randint(0, max(5, minutes // 4)),
                )
            )
    bulk_create_with_history(journeys, TravelTime)


def _stages_of_the_first_students(organisations: dict[str, Organisation]) -> None:
    """The universities' first demo students need a placement in 2019/20 by their year of
    study: the students for whom no placement is found yet."""
    students = list(
        Student.objects.unscoped(DEMO).filter(
            hei__in=[organisations["CCCU"], organisations["UOK"]], stage="", placements=None
        )
    )
    for student in students:
        student.stage = {1: StudentStage.SHADOWING, 2: StudentStage.FIRST_70}.get(
            student.year_of_study, StudentStage.FINAL_100
        )
    with unscoped_block(DEMO):  # bulk_update's own query, on the students just read
        bulk_update_with_history(students, Student, ["stage"])
