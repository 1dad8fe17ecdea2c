"""Synthetic partnerships at any size, up to England's (`practica generate`, issue 16).

Each partnership is planned in memory from one seeded ``random.Random`` and written with
``bulk_create_with_history`` in batches, one partnership at a time (so memory stays flat):
organisations, locations and teams; staff, practice educators and students as people; logins
for each role; the register with PEPS cohorts and activities; events with registrations and
attendance; students with routes; placement offers and placements (with their practice
educators, whose last-student dates follow from them); a time audit per local authority
and past year; and what the partnership does through its years (``generate_activity.py``:
records kept during placements, allocation runs, placement evaluations answered, teaching
sessions and admissions interviews with feedback and peer observations, PE applications, CPD
needs surveys answered). The database's constraints check every row; the services' rules are followed
in the planning (as the demo loaders do, and with their helpers). Generated codes and
e-mail addresses carry the seed, so a generation sits beside the demo partnership and beside
generations with other seeds; a seed already generated is refused.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from practica.accounts.models import Membership, Role, User
from practica.core import academic_years
from practica.core.copying import copy_create, copy_create_with_history
from practica.core.models import (
    AcademicYear,
    Location,
    Organisation,
    OrganisationKind,
    Partnership,
    Person,
    ServiceArea,
    Team,
)
from practica.demo.educators import (
    Candidate,
    _activities,
    _candidate,
    _educator,
    _simulate_cohort,
)
from practica.demo.generate_activity import Activity
from practica.demo.names import FIRST_NAMES, LAST_NAMES
from practica.demo.placements import PROGRAMMES, _dates
from practica.educators.register.models import (
    QUALIFIED_STAGES,
    PepsStage,
    PracticeEducator,
    PracticeEducatorActivity,
)
from practica.educators.training.models import PepsCohort, PepsEnrolment
from practica.learning.events.models import (
    Attendance,
    Audience,
    Event,
    EventKind,
    Registration,
    RegistrationStatus,
)
from practica.placements.models import (
    SLOTS_MAX,
    Placement,
    PlacementOffer,
    PlacementStatus,
    PlacementType,
    Route,
    Student,
    StudentStage,
)
from practica.timeaudit.models import AuditEnrolment, TimeAudit, TimeLog, monday_of

BATCH = 1000  # rows per INSERT (SQLite's 32,766 parameters allow it for every model here)
SEED_MAX = 36**4 - 1  # the seed is written in base 36 in organisation codes (4 characters)
DOMAIN = "generated.practica.test"

Progress = Callable[[str, int, int], None]


class GenerationError(ValueError):
    """The generator was asked for something it cannot do (a bad scale, a seed used here)."""


@dataclass(frozen=True)
class Scale:
    """How much to generate; counts are per partnership, organisation or academic year."""

    partnerships: int
    las_per_partnership: int
    heis_per_partnership: int
    teams_per_la: int
    staff_per_la: int  # practitioners who are not (yet) on the register
    pes_per_la: int  # register entries, of every PEPS stage
    students_per_hei: int
    slots_per_la: int  # placement slots an LA offers each year
    events_per_partnership: int  # each year
    registrations_per_event: int
    audited_pes_per_la: int  # practice educators in each LA's time audit of each past year

    def scaled(self, factor: float) -> Scale:
        """Every count times ``factor`` (at least 1), the organisations' too."""
        if factor <= 0:
            raise GenerationError("Scale a size by a positive factor.")
        return Scale(
            **{
                field.name: max(1, round(getattr(self, field.name) * factor))
                for field in dataclasses.fields(self)
            }
        )

    def check(self) -> None:
        if self.partnerships > 99 or self.las_per_partnership + self.heis_per_partnership > 99:
            raise GenerationError("At most 99 partnerships of at most 99 organisations each.")
        for field in dataclasses.fields(self):
            if getattr(self, field.name) < 1:
                raise GenerationError(f"{field.name} must be at least 1.")


# a large regional teaching partnership
PARTNERSHIP = Scale(
    partnerships=1,
    las_per_partnership=8,
    heis_per_partnership=4,
    teams_per_la=12,
    staff_per_la=100,
    pes_per_la=156,
    students_per_hei=188,
    slots_per_la=112,
    events_per_partnership=40,
    registrations_per_event=25,
    audited_pes_per_la=8,
)

SCALES: dict[str, Scale] = {
    # a test's worth: every kind of record, a few of each
    "tiny": Scale(
        partnerships=1,
        las_per_partnership=2,
        heis_per_partnership=1,
        teams_per_la=3,
        staff_per_la=4,
        pes_per_la=10,
        students_per_hei=12,
        slots_per_la=8,
        events_per_partnership=3,
        registrations_per_event=4,
        audited_pes_per_la=2,
    ),
    # about the demo partnership's size (Kent and Medway)
    "demo": Scale(
        partnerships=1,
        las_per_partnership=2,
        heis_per_partnership=2,
        teams_per_la=8,
        staff_per_la=40,
        pes_per_la=150,
        students_per_hei=120,
        slots_per_la=110,
        events_per_partnership=24,
        registrations_per_event=20,
        audited_pes_per_la=8,
    ),
    "partnership": PARTNERSHIP,
    # England: 160 LAs and 80 HEIs in 20 partnerships, 25,000 PEs, 15,000 students,
    # about 18,000 placement slots a year
    "national": dataclasses.replace(PARTNERSHIP, partnerships=20),
}

TOWNS = [
    "Barnsley",
    "Bedford",
    "Blackburn",
    "Bolton",
    "Bracknell",
    "Bradford",
    "Brighton",
    "Bristol",
    "Bury",
    "Calderdale",
    "Cheshire",
    "Coventry",
    "Croydon",
    "Cumbria",
    "Darlington",
    "Derby",
    "Devon",
    "Doncaster",
    "Dorset",
    "Dudley",
    "Durham",
    "Ealing",
    "Essex",
    "Gateshead",
    "Halton",
    "Hampshire",
    "Harrow",
    "Hartlepool",
    "Hull",
    "Kirklees",
    "Lancashire",
    "Leeds",
    "Leicester",
    "Lincoln",
    "Luton",
    "Manchester",
    "Middlesbrough",
    "Norfolk",
    "Northumberland",
    "Nottingham",
    "Oldham",
    "Oxford",
    "Peterborough",
    "Plymouth",
    "Portsmouth",
    "Reading",
    "Rochdale",
    "Rotherham",
    "Salford",
    "Sandwell",
    "Sefton",
    "Sheffield",
    "Slough",
    "Solihull",
    "Somerset",
    "Southampton",
    "Stockport",
    "Suffolk",
    "Sunderland",
    "Surrey",
    "Swindon",
    "Telford",
    "Torbay",
    "Trafford",
    "Wakefield",
    "Walsall",
    "Warwick",
    "Wigan",
    "Wirral",
    "Wolverhampton",
    "Worcester",
    "York",
]
OFFICES = ["Civic Centre", "North office", "South office", "East office", "West office", "Hub"]
TEAM_KINDS = [
    ("Children's assessment team", "childrens"),
    ("Children in care team", "childrens"),
    ("Child protection team", "childrens"),
    ("Care leavers service", "childrens"),
    ("Disabled children's team", "childrens"),
    ("Adult community team", "adults"),
    ("Adult safeguarding team", "adults"),
    ("Older people's team", "adults"),
    ("Community mental health team", "mental_health"),
]
JOB_TITLES = ["Social worker", "Senior social worker", "Senior practitioner", "Team manager"]
ROUTES = (
    [Route.BA] * 5
    + [Route.MA] * 3
    + [
        Route.STEP_UP,
        Route.THINK_AHEAD,
        Route.FRONTLINE,
        Route.APPRENTICE,
        Route.OU,
    ]
)
TWO_YEAR_ROUTES = (Route.MA, Route.STEP_UP, Route.THINK_AHEAD, Route.FRONTLINE)
EMPLOYED_ROUTES = (Route.APPRENTICE, Route.OU)
EVENT_KINDS = [
    (EventKind.PE_FORUM, "Practice educator forum", Audience.PRACTICE_EDUCATORS),
    (EventKind.JOINT_PE_FORUM, "Joint practice educator forum", Audience.PRACTICE_EDUCATORS),
    (EventKind.WORKSHOP, "Reflective supervision workshop", Audience.PRACTITIONERS),
    (EventKind.PEPS_TRAINING_DAY, "PEPS training day", Audience.PRACTICE_EDUCATORS),
    (EventKind.PT_WORKSHOP, "Practitioner teacher workshop", Audience.PRACTITIONER_TEACHERS),
]
# the placement a student needs in the year of each kind, and after it is completed
STAGES = {
    PlacementType.SHADOWING: StudentStage.SHADOWING,
    PlacementType.FIRST_70: StudentStage.FIRST_70,
    PlacementType.FINAL_100: StudentStage.FINAL_100,
}
NEXT_STAGES = {
    PlacementType.SHADOWING: StudentStage.FIRST_70,
    PlacementType.FIRST_70: StudentStage.FINAL_100,
    PlacementType.FINAL_100: StudentStage.DONE,
}
ENDED_EARLY_REASON = "The student withdrew from the programme for personal reasons."


def seed_tag(seed: int) -> str:
    """The seed in base 36, as it appears in organisation codes and e-mail domains."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    tag = ""
    while True:
        seed, digit = divmod(seed, 36)
        tag = digits[digit] + tag
        if seed == 0:
            return tag


def partnership_name(seed: int, number: int) -> str:
    return f"Generated partnership {number + 1} (seed {seed})"


def generate(
    *,
    scale: Scale,
    years: int = 1,
    seed: int = 0,
    progress: Progress | None = None,
    today: datetime.date | None = None,
) -> dict[str, int]:
    """Writes ``scale`` worth of partnerships with ``years`` academic years of activity (the
    current one and those before it) and returns how many rows of each model it wrote
    (``app_label.ModelName``; history rows not counted). The same seed (and day) gives the same
    records. Refuses (``GenerationError``) a bad scale, ``years`` below 1, or a seed already
    generated in this database."""
    scale.check()
    if years < 1:
        raise GenerationError("Generate at least one academic year (--years 1 or more).")
    if not 0 <= seed <= SEED_MAX:
        raise GenerationError(f"Choose a seed from 0 to {SEED_MAX}.")
    today = today or timezone.localdate()
    if Partnership.objects.filter(name=partnership_name(seed, 0)).exists():
        raise GenerationError(
            f"Seed {seed} has already been generated in this database: "
            "choose another --seed, or start from an empty database."
        )
    generator = _Generator(scale, years, seed, today)
    report = progress or (lambda step, done, total: None)
    generator.report = lambda step, number: report(step, number, scale.partnerships)
    for number in range(scale.partnerships):
        report("partnerships", number, scale.partnerships)
        with transaction.atomic():
            generator.partnership(number)
    report("partnerships", scale.partnerships, scale.partnerships)
    return dict(sorted(generator.counts.items()))


@dataclass
class _Org:
    organisation: Organisation
    locations: list[Location]
    teams: list[Team]
    people: list[Person] = dataclasses.field(default_factory=list)  # staff with teams
    candidates: list[Candidate] = dataclasses.field(default_factory=list)
    educators: list[PracticeEducator] = dataclasses.field(default_factory=list)


class _Generator:
    def __init__(self, scale: Scale, years: int, seed: int, today: datetime.date) -> None:
        self.scale, self.seed, self.today = scale, seed, today
        self.tag = seed_tag(seed)
        self.current = academic_years.academic_year_of(today)
        self.years = [
            AcademicYear.objects.get_or_create(start_year=start)[0]
            for start in range(self.current - years + 1, self.current + 1)
        ]
        self.areas = {area.code: area for area in ServiceArea.objects.all()}
        self.counts: dict[str, int] = {}
        self.serial = 0  # numbers every generated e-mail address and reference
        self.course_start: dict[int, int] = {}  # id of a student → the year their course began
        self.logins: list[Person] = []  # the partnership's login people but the PEs'
        self.unplaced: list[tuple[Student, AcademicYear]] = []  # students without a placement
        self.report: Callable[[str, int], None] = lambda step, number: None

    # --- writing ---------------------------------------------------------------------------

    def write[M: models.Model](self, model: type[M], objs: Sequence[M]) -> list[M]:
        """Inserts ``objs``, with their "created" history rows where the model keeps history:
        on PostgreSQL as one ``COPY`` stream per table (``core.copying``), else (SQLite, or
        what ``COPY`` cannot write as the ORM would) with ``bulk_create`` in batches."""
        if not objs:
            return []
        written = list(objs)
        if hasattr(model, "history"):
            if copy_create_with_history(written, model) is None:
                written = bulk_create_with_history(written, model, batch_size=BATCH)
        elif not copy_create(written, model):
            written = model._base_manager.bulk_create(written, batch_size=BATCH)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + len(written)
        return written

    def email(self, first: str, last: str, organisation: Organisation) -> str:
        self.serial += 1
        return f"{first}.{last}.{self.serial}@{organisation.code}.{DOMAIN}".lower()

    # --- one partnership ---------------------------------------------------------------------

    def partnership(self, number: int) -> None:
        rng = random.Random(f"generate/{self.seed}/{number}")
        partnership = self.write(
            Partnership, [Partnership(name=partnership_name(self.seed, number))]
        )[0]
        code = f"G{self.tag}P{number:02d}"
        orgs: list[Organisation] = []
        for kind, letter, count in (
            (OrganisationKind.LOCAL_AUTHORITY, "L", self.scale.las_per_partnership),
            (OrganisationKind.HEI, "H", self.scale.heis_per_partnership),
        ):
            for index in range(count):
                town = TOWNS[(number * 13 + index * 7 + len(orgs)) % len(TOWNS)]
                name = f"{town} Council" if letter == "L" else f"University of {town}"
                orgs.append(
                    Organisation(
                        partnership=partnership,
                        code=f"{code}{letter}{index:02d}",
                        name=f"{name} ({code}{letter}{index:02d})",
                        kind=kind,
                    )
                )
        orgs = self.write(Organisation, orgs)
        partnership.lead_organisation = orgs[0]
        bulk_update_with_history([partnership], Partnership, ["lead_organisation"])
        las = [
            self._places(org, rng) for org in orgs if org.kind == OrganisationKind.LOCAL_AUTHORITY
        ]
        heis = [self._places(org, rng) for org in orgs if org.kind == OrganisationKind.HEI]
        self._people(las, heis, rng)
        students = self._students(las, heis, rng)
        self._register(las, rng)
        self.unplaced = []
        placements = self._placements(las, students, rng)
        self._write_register(las)
        self._write_placements(las, students, placements)
        self._events(orgs, las, heis, rng)
        self._time_audits(las, placements, rng)
        Activity(
            write=self.write,
            seed=self.seed,
            today=self.today,
            years=self.years,
            partnership=partnership,
            las=las,
            heis=heis,
            logins=self.logins,
            students_per_hei=self.scale.students_per_hei,
        ).write_all(students, placements, self.unplaced, lambda step: self.report(step, number))

    def _places(self, organisation: Organisation, rng: random.Random) -> _Org:
        is_la = organisation.kind == OrganisationKind.LOCAL_AUTHORITY
        latitude, longitude = rng.uniform(50.6, 54.8), rng.uniform(-3.2, 1.4)
        offices = OFFICES[: rng.randint(2, 4)] if is_la else ["Main campus"]
        locations = self.write(
            Location,
            [
                Location(
                    organisation=organisation,
                    name=office,
                    latitude=Decimal(f"{latitude + rng.uniform(-0.2, 0.2):.5f}"),
                    longitude=Decimal(f"{longitude + rng.uniform(-0.2, 0.2):.5f}"),
                )
                for office in offices
            ],
        )
        if is_la:
            kinds = [
                (f"{name} {index // len(TEAM_KINDS) + 1}", area)
                for index, (name, area) in (
                    (index, TEAM_KINDS[index % len(TEAM_KINDS)])
                    for index in range(self.scale.teams_per_la)
                )
            ]
        else:
            kinds = [("Social work programme team", "other")]
        teams = self.write(
            Team,
            [
                Team(
                    organisation=organisation,
                    name=name,
                    service_area=self.areas[area],
                    location=locations[index % len(locations)],
                )
                for index, (name, area) in enumerate(kinds)
            ],
        )
        return _Org(organisation, locations, teams)

    def _person(
        self, org: _Org, rng: random.Random, title: str, user: User | None = None
    ) -> Person:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if user is not None:
            first, last = user.first_name, user.last_name
        return Person(
            organisation=org.organisation,
            team=rng.choice(org.teams),
            first_name=first,
            last_name=last,
            email=user.email if user is not None else self.email(first, last, org.organisation),
            job_title=title,
            user=user,
        )

    def _people(self, las: list[_Org], heis: list[_Org], rng: random.Random) -> None:
        """Logins for each role (a manager of the partnership, a coordinator of each
        organisation, an academic of each university, a practice educator of each LA), then the
        LAs' staff; the register's people are the first of each LA's staff."""
        logins: list[tuple[_Org, Role, str]] = [(las[0], Role.PARTNERSHIP_MANAGER, "Manager")]
        for org in las + heis:
            logins.append((org, Role.COORDINATOR, "Coordinator"))
        for org in heis:
            logins.append((org, Role.ACADEMIC, "Academic"))
        for org in las:
            logins.append((org, Role.PRACTICE_EDUCATOR, "Educator"))
        users = self.write(
            User,
            [
                User(
                    email=f"{role.value.replace('_', '.')}@{org.organisation.code}.{DOMAIN}".lower(),
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=last,
                    password="!generated",  # noqa: S106 - an unusable hash (it starts with "!"): no password: generated logins cannot sign in
                )
                for org, role, last in logins
            ],
        )
        self.write(
            Membership,
            [
                Membership(user=user, organisation=org.organisation, role=role)
                for user, (org, role, _last) in zip(users, logins, strict=True)
            ],
        )
        pe_logins = {
            org.organisation.code: user
            for user, (org, role, _last) in zip(users, logins, strict=True)
            if role == Role.PRACTICE_EDUCATOR
        }
        # the logins but the PEs', then each LA's register people (the PE login first) and staff
        people: list[tuple[_Org | None, Person]] = [
            (None, self._person(org, rng, role.label, user))
            for user, (org, role, _last) in zip(users, logins, strict=True)
            if role != Role.PRACTICE_EDUCATOR
        ]
        for org in las:
            login = pe_logins[org.organisation.code]
            people.append((org, self._person(org, rng, "Senior social worker", login)))
            for _ in range(self.scale.pes_per_la - 1 + self.scale.staff_per_la):
                people.append((org, self._person(org, rng, rng.choice(JOB_TITLES))))
        written = self.write(Person, [person for _org, person in people])
        self.logins = []
        for (owner, _person), person in zip(people, written, strict=True):
            if owner is not None:
                owner.people.append(person)
            else:
                self.logins.append(person)

    def _students(self, las: list[_Org], heis: list[_Org], rng: random.Random) -> list[Student]:
        """Each university's students in every year of their course, and (when more than one
        year is generated) those who finished it in the past years: a student's year of study
        in each year follows from the year their course started."""
        towns = [location.name for org in las for location in org.locations]
        people, students = [], []
        past = len(self.years) - 1
        alumni = round(self.scale.students_per_hei * past / 2.6)  # a course lasts 2–3 years
        for hei in heis:
            for number in range(self.scale.students_per_hei + alumni):
                route = rng.choice(ROUTES)
                if route == Route.OU:
                    route = rng.choice(ROUTES)  # the Open University's students are fewer
                length = 2 if route in TWO_YEAR_ROUTES else 3
                if number < self.scale.students_per_hei:
                    start = self.current - rng.randint(0, length - 1)
                else:  # finished in one of the past years generated
                    start = self.current - rng.randint(1, past) - length + 1
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                person = Person(
                    organisation=hei.organisation,
                    first_name=first,
                    last_name=last,
                    email=self.email(first, last, hei.organisation),
                    job_title="Student",
                )
                student = Student(
                    hei=hei.organisation,
                    student_ref=f"{hei.organisation.code}{self.serial:06d}",
                    route=route,
                    year_of_study=min(length, self.current - start + 1),
                    home_location=rng.choice(towns),
                    travel_limit_minutes=rng.choice([None, 45, 60, 60, 75, 90]),
                    programme=PROGRAMMES[route],
                )
                if route in EMPLOYED_ROUTES:
                    employer = rng.choice(las)
                    student.employer = employer.organisation
                    student.employer_team = rng.choice(employer.teams)
                if rng.random() < 0.03:
                    student.needs = (
                        "Dyslexia: written material a day ahead; extra time for records."
                    )
                    student.needs_consent = True
                    student.needs_consent_on = self.today - datetime.timedelta(
                        days=rng.randint(30, 300)
                    )
                if self.current - start + 1 > length:
                    student.stage = StudentStage.DONE
                people.append(person)
                students.append(student)
                self.course_start[id(student)] = start
        for person, student in zip(self.write(Person, people), students, strict=True):
            student.person = person
        return students

    # --- the register ---------------------------------------------------------------------

    def _register(self, las: list[_Org], rng: random.Random) -> None:
        """Each LA's register in memory, with PEPS cohorts of each generated year (the demo's
        simulation: enrolment needs the stage before, a pass gives the stage and its date)."""
        for org in las:
            size = self.scale.pes_per_la
            stages = [PepsStage.STAGE2] * round(size * 0.55) + [PepsStage.STAGE1] * round(
                size * 0.2
            )
            stages += [PepsStage.NONE] * (size - len(stages))
            org.candidates = [
                _candidate(person, stage, rng)
                for person, stage in zip(org.people, stages, strict=False)
            ]
            for year in self.years:
                finished = year.start_year < self.current
                for stage, share in ((1, 0.07), (2, 0.05)):
                    count = max(1, round(size * share))
                    _simulate_cohort(
                        org.candidates,
                        year.start_year,
                        stage,
                        count,
                        rng,
                        self.today,
                        finished=finished,
                    )
            org.educators = [
                _educator(candidate, rng, self.today, org.locations, independent=rng.random() < 0.1)
                for candidate in org.candidates
            ]

    def _write_register(self, las: list[_Org]) -> None:
        rng = random.Random(f"generate/{self.seed}/register/{las[0].organisation.code}")
        self.write(PracticeEducator, [e for org in las for e in org.educators])
        self.write(
            PracticeEducatorActivity,
            [
                activity
                for org in las
                for educator, candidate in zip(org.educators, org.candidates, strict=True)
                for activity in _activities(educator, candidate.person.job_title, rng, self.today)
            ],
        )
        years = {year.start_year: year for year in self.years}
        cohorts: dict[tuple[int, int, int], PepsCohort] = {}
        for org in las:
            for candidate in org.candidates:
                for start_year, stage, *_rest in candidate.enrolments:
                    key = (org.organisation.pk, start_year, stage)
                    if key not in cohorts and start_year in years:
                        cohorts[key] = PepsCohort(
                            organisation=org.organisation,
                            academic_year=years[start_year],
                            stage=stage,
                        )
        self.write(PepsCohort, list(cohorts.values()))
        enrolments = []
        for org in las:
            for educator, candidate in zip(org.educators, org.candidates, strict=True):
                for start_year, stage, outcome, outcome_date, assessor in candidate.enrolments:
                    if start_year not in years:
                        continue
                    enrolments.append(
                        PepsEnrolment(
                            cohort=cohorts[org.organisation.pk, start_year, stage],
                            educator=educator,
                            assessor=org.educators[assessor] if assessor is not None else None,
                            outcome=outcome,
                            outcome_date=outcome_date,
                        )
                    )
        self.write(PepsEnrolment, enrolments)

    # --- placements ------------------------------------------------------------------------

    def _placements(
        self, las: list[_Org], students: list[Student], rng: random.Random
    ) -> list[Placement]:
        """Each student's placement of each generated year their course had one (shadowing,
        then a first, then a final placement; two-year routes skip shadowing), in a team of an
        LA of the partnership, with a qualified practice educator of that LA; the educators'
        last-student dates follow from the placements that ended."""
        qualified = {
            id(org): [e for e in org.educators if e.peps_stage in QUALIFIED_STAGES] for org in las
        }
        turn = {id(org): 0 for org in las}
        placements = []
        for index, student in enumerate(students):
            length = 2 if student.route in TWO_YEAR_ROUTES else 3
            for year in self.years:
                year_of_study = year.start_year - self.course_start[id(student)] + 1
                if not 1 <= year_of_study <= length:
                    continue
                kind = [PlacementType.SHADOWING, PlacementType.FIRST_70, PlacementType.FINAL_100][
                    year_of_study - 1 + (3 - length)
                ]
                if year.start_year == self.current:
                    student.stage = STAGES[kind]
                if rng.random() < 0.05:
                    # no placement that year (deferred, on leave): left unplaced by the year's
                    # allocation run
                    self.unplaced.append((student, year))
                    continue
                org = rng.choice(las)
                teams = [team for team in org.teams if team.pk != student.employer_team_id]
                days = {PlacementType.FIRST_70: 70, PlacementType.FINAL_100: 100}.get(
                    kind
                ) or rng.randint(2, 5)
                starts_on, ends_on = _dates(kind, year.start_year, index, days)
                status = self._status(starts_on, ends_on, rng)
                educators = qualified[id(org)]
                educator = None
                if (
                    kind != PlacementType.SHADOWING
                    and educators
                    and status != PlacementStatus.REQUESTED
                ):
                    turn[id(org)] += 1
                    educator = educators[turn[id(org)] % len(educators)]
                placement = Placement(
                    student=student,
                    organisation=org.organisation,
                    team=rng.choice(teams) if status != PlacementStatus.REQUESTED else None,
                    academic_year=year,
                    placement_type=kind,
                    days=days,
                    starts_on=starts_on if status != PlacementStatus.REQUESTED else None,
                    ends_on=ends_on if status != PlacementStatus.REQUESTED else None,
                    practice_educator=educator,
                    status=status,
                )
                if status == PlacementStatus.COMPLETED and rng.random() < 0.02:
                    placement.status = PlacementStatus.ENDED_EARLY
                    placement.ended_reason = ENDED_EARLY_REASON
                if (
                    year.start_year == self.current
                    and placement.status == PlacementStatus.COMPLETED
                ):
                    student.stage = NEXT_STAGES[kind]
                if (
                    educator is not None
                    and placement.status == PlacementStatus.COMPLETED
                    and (educator.last_student_date is None or educator.last_student_date < ends_on)
                ):
                    educator.last_student_date = min(ends_on, self.today)
                placements.append(placement)
        return placements

    def _status(self, starts_on: datetime.date, ends_on: datetime.date, rng: random.Random) -> str:
        if ends_on < self.today:
            return PlacementStatus.COMPLETED
        if starts_on <= self.today:
            return PlacementStatus.IN_PROGRESS
        roll = rng.random()
        if roll < 0.7:
            return PlacementStatus.CONFIRMED
        return PlacementStatus.MATCHED if roll < 0.9 else PlacementStatus.REQUESTED

    def _write_placements(
        self, las: list[_Org], students: list[Student], placements: list[Placement]
    ) -> None:
        """Students, then one offer per team, year and type (slots for its placements and
        more, up to the LA's yearly slots), then the placements filling them."""
        self.write(Student, students)
        offers: dict[tuple[int, int, int, str], PlacementOffer] = {}
        for placement in placements:
            if placement.team is None:
                continue
            key = (
                placement.organisation.pk,
                placement.team.pk,
                placement.academic_year.pk,
                placement.placement_type,
            )
            offer = offers.get(key)
            if offer is None:
                offer = offers[key] = PlacementOffer(
                    organisation=placement.organisation,
                    team=placement.team,
                    academic_year=placement.academic_year,
                    placement_type=placement.placement_type,
                    days=placement.days
                    if placement.placement_type != PlacementType.SHADOWING
                    else 5,
                    slots=0,
                    service_area=placement.team.service_area,
                    location=placement.team.location,
                    starts_on=placement.starts_on,
                    ends_on=placement.ends_on,
                )
            offer.slots += 1
            placement.offer = offer
        for org in las:
            for year in self.years:
                own = [
                    o
                    for o in offers.values()
                    if o.organisation is org.organisation and o.academic_year is year
                ]
                if not own:
                    continue
                spare = self.scale.slots_per_la - sum(o.slots for o in own)
                for index in range(max(0, spare)):
                    offer = own[index % len(own)]
                    if offer.slots < SLOTS_MAX:
                        offer.slots += 1
        self.write(PlacementOffer, list(offers.values()))
        self.write(Placement, placements)

    # --- events ----------------------------------------------------------------------------

    def _events(
        self, orgs: list[Organisation], las: list[_Org], heis: list[_Org], rng: random.Random
    ) -> None:
        """Forums, workshops and training days through each year, organised by one of the
        partnership's organisations, with registrations of its practice educators and, for
        past events, attendance."""
        hosts = las + heis
        educators = [e.person for org in las for e in org.educators]
        events, rows = [], []
        for year in self.years:
            start, end = year.starts_on, year.ends_on
            for number in range(self.scale.events_per_partnership):
                kind, title, audience = EVENT_KINDS[number % len(EVENT_KINDS)]
                host = rng.choice(hosts)
                day = start + datetime.timedelta(days=rng.randint(0, (end - start).days))
                starts_at = timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time(rng.choice([9, 10, 13]), 30))
                )
                capacity = rng.choice([None, 30, 40, 60])
                event = Event(
                    kind=kind,
                    title=f"{title} {year.label} #{number + 1}",
                    theme=rng.choice(
                        [
                            "Reflective supervision",
                            "Anti-oppressive practice",
                            "Assessing students",
                            "",
                        ]
                    ),
                    starts_at=starts_at,
                    ends_at=starts_at + datetime.timedelta(hours=3),
                    location=rng.choice(host.locations),
                    organisation=host.organisation,
                    capacity=capacity,
                    registration_open=day > self.today,
                    audience=audience,
                )
                events.append(event)
                wanted = min(len(educators), self.scale.registrations_per_event)
                for place, person in enumerate(rng.sample(educators, wanted)):
                    status = RegistrationStatus.REGISTERED
                    if capacity is not None and place >= capacity:
                        status = RegistrationStatus.WAITLISTED
                    elif rng.random() < 0.08:
                        status = RegistrationStatus.CANCELLED
                    attended = Attendance.UNKNOWN
                    if status == RegistrationStatus.REGISTERED and day < self.today:
                        attended = Attendance.YES if rng.random() < 0.85 else Attendance.NO
                    rows.append(
                        Registration(
                            event=event,
                            person=person,
                            status=status,
                            attended=attended,
                            registered_at=starts_at
                            - datetime.timedelta(days=rng.randint(3, 60), minutes=place),
                        )
                    )
        self.write(Event, events)
        self.write(Registration, rows)

    # --- the time audit --------------------------------------------------------------------

    def _time_audits(
        self, las: list[_Org], placements: list[Placement], rng: random.Random
    ) -> None:
        """For each LA and past year, a time audit of final placements: some of its practice
        educators log their daytime and out-of-hours hours every week of the placement."""
        audits, enrolments, logs = [], [], []
        for org in las:
            for year in self.years:
                if year.start_year >= self.current:
                    continue
                chosen: dict[int, Placement] = {}
                for placement in placements:
                    if (
                        placement.organisation is org.organisation
                        and placement.academic_year is year
                        and placement.placement_type == PlacementType.FINAL_100
                        and placement.status == PlacementStatus.COMPLETED
                        and placement.practice_educator is not None
                    ):
                        chosen.setdefault(id(placement.practice_educator), placement)
                    if len(chosen) >= self.scale.audited_pes_per_la:
                        break
                if not chosen:
                    continue
                audit = TimeAudit(
                    name=f"Practice educator time audit {year.label}",
                    organisation=org.organisation,
                    academic_year=year,
                    placement_type=PlacementType.FINAL_100,
                )
                audits.append(audit)
                for placement in chosen.values():
                    enrolment = AuditEnrolment(
                        audit=audit,
                        practice_educator=placement.practice_educator,
                        placement=placement,
                    )
                    enrolments.append(enrolment)
                    week = monday_of(placement.starts_on)  # type: ignore[arg-type]  # completed: dated
                    while week <= placement.ends_on:  # type: ignore[operator]  # completed: dated
                        logs.append(
                            TimeLog(
                                enrolment=enrolment,
                                week_start=week,
                                daytime_hours=Decimal(rng.randint(3, 12)),
                                ooh_hours=Decimal(rng.choice([0, 0, 0, 1, 2, 3])),
                            )
                        )
                        week += datetime.timedelta(days=7)
        self.write(TimeAudit, audits)
        self.write(AuditEnrolment, enrolments)
        self.write(TimeLog, logs)
