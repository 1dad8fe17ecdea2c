"""The demo register: Medway's 59 and Kent's 250-odd practice educators, modelled on the KMTP
case study (seeds/002): Medway over 60% at PEPS Stage 2 with no independent PEs, Kent about
75% at Stage 2 with a few independents, the PEPS cohorts of 2018/19 and 2019/20 with the case
study's numbers, this year's trainees, some PEs lapsing or lapsed, and applications in progress.

Loading is deterministic (seeded) and idempotent: an organisation whose register has entries is
left as it is; cohorts, criteria and applications are found by their natural keys first.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from practica.accounts.models import User
from practica.core import academic_years
from practica.core.models import Location, Organisation, OrganisationKind, Person, Team
from practica.demo import DEMO
from practica.demo.names import FIRST_NAMES, LAST_NAMES
from practica.educators.models import (
    ActivityKind,
    Outcome,
    PeApplication,
    PepsCohort,
    PepsEnrolment,
    PepsStage,
    PracticeEducator,
    PracticeEducatorActivity,
    SelectionCriterion,
)
from practica.educators.recruitment.selectors import stage_to_apply_for
from practica.educators.recruitment.services import (
    create_pe_application,
    create_selection_criterion,
    decide_pe_application,
    give_line_manager_support,
    record_application_scores,
    request_line_manager_support,
    schedule_panel_interview,
    set_selection_panel,
    submit_own_pe_application,
)
from practica.educators.register.currency import add_months
from practica.educators.register.services import (
    create_practice_educator,
    review_practice_educator,
    start_activity,
)
from practica.educators.training.services import ensure_peps_cohort


@dataclass(frozen=True)
class Plan:
    """How many PEs an organisation starts with at each stage (before autumn 2018), and how
    many it puts through PEPS each year: {start year: (Stage 1, Stage 2)}."""

    base_stage2: int
    base_stage1: int
    base_none: int
    independents: int
    cohorts: dict[int, tuple[int, int]]
    this_year: tuple[int, int]


PLANS = {
    # 59 PEs, over 60% at Stage 2, no independents; 14 supported in 2018/19, 10 + 8 in 2019/20.
    "MC": Plan(
        base_stage2=25,
        base_stage1=13,
        base_none=19,
        independents=0,
        cohorts={2018: (8, 6), 2019: (10, 8)},
        this_year=(3, 3),
    ),
    # over 200 PEs, almost 75% at Stage 2, a few independents; 47 + 22, then 33 + 28.
    "KCC": Plan(
        base_stage2=150,
        base_stage1=24,
        base_none=86,
        independents=6,
        cohorts={2018: (47, 22), 2019: (33, 28)},
        this_year=(6, 5),
    ),
}
CRITERIA = [
    ("Reflective practice", "Reflects on their own practice and learns from it.", 5),
    (
        "Knowledge of PEPS domains",
        "Understands the PEPS domains and the assessment of students.",
        5,
    ),
    ("Anti-oppressive practice", "Commitment to anti-oppressive and anti-racist practice.", 5),
    ("Capacity to support a student", "Workload and team support allow a student placement.", 5),
]
PE_LOGIN = "pe@demo.practica.test"
APPLICANT_LOGIN = "teacher@demo.practica.test"  # applies to be a PE through their own page
PANEL_LOGIN = "academic@demo.practica.test"  # the university's member of that panel


@transaction.atomic
def load(organisations: dict[str, Organisation]) -> None:
    today = timezone.localdate()
    for code, plan in PLANS.items():
        organisation = organisations[code]
        rng = random.Random(f"educators/{code}")
        _register(organisation, plan, rng, today)
        _criteria(organisation)
        _applications(organisation, rng, today)
    _demo_login(organisations["MC"], today)
    _own_application(organisations["KCC"], today)


# --- the register and its PEPS history ----------------------------------------------------
#
# Three hundred entries through the services would take minutes (each save validates every
# constraint with a query), so the register is simulated here in memory, following the same
# rules as the services (enrolment needs the stage before; a pass gives the stage and its date),
# and written with bulk_create_with_history: the database constraints still check every row,
# and each row gets its "created" history entry. Applications and the PE demo login go
# through the services, so their pages show a realistic timeline.


@dataclass
class Candidate:
    """One future register entry, while the demo decides its PEPS history."""

    person: Person
    stage: str
    stage1_date: datetime.date | None
    stage2_date: datetime.date | None
    enrolments: list[tuple[int, int, str, datetime.date | None, int | None]] = field(
        default_factory=list
    )  # (start year, stage, outcome, outcome date, index of the assessor)


def _register(
    organisation: Organisation, plan: Plan, rng: random.Random, today: datetime.date
) -> None:
    if PracticeEducator.objects.unscoped(DEMO).filter(person__organisation=organisation).exists():
        return  # loaded before
    teams = list(Team.objects.unscoped(DEMO).filter(organisation=organisation))
    locations = list(organisation.locations.all())
    stages = (
        [PepsStage.STAGE2] * plan.base_stage2
        + [PepsStage.STAGE1] * plan.base_stage1
        + [PepsStage.NONE] * plan.base_none
    )
    people = _people(organisation, rng, teams, len(stages))
    candidates = [
        _candidate(person, stage, rng) for person, stage in zip(people, stages, strict=True)
    ]
    this_year = academic_years.academic_year_of(today)
    years = [(year, sizes, True) for year, sizes in sorted(plan.cohorts.items())]
    for start_year, (stage1, stage2), finished in [*years, (this_year, plan.this_year, False)]:
        _simulate_cohort(candidates, start_year, 1, stage1, rng, today, finished=finished)
        _simulate_cohort(candidates, start_year, 2, stage2, rng, today, finished=finished)

    educators = bulk_create_with_history(
        [
            _educator(c, rng, today, locations, independent=index < plan.independents)
            for index, c in enumerate(candidates)
        ],
        PracticeEducator,
    )
    bulk_create_with_history(
        [
            activity
            for educator, candidate in zip(educators, candidates, strict=True)
            for activity in _activities(educator, candidate.person.job_title, rng, today)
        ],
        PracticeEducatorActivity,
    )
    cohorts: dict[tuple[int, int], PepsCohort] = {}
    enrolments = []
    for educator, candidate in zip(educators, candidates, strict=True):
        for start_year, stage, outcome, outcome_date, assessor in candidate.enrolments:
            if (start_year, stage) not in cohorts:
                cohorts[start_year, stage] = ensure_peps_cohort(
                    actor=None, organisation=organisation, start_year=start_year, stage=stage
                )
            enrolments.append(
                PepsEnrolment(
                    cohort=cohorts[start_year, stage],
                    educator=educator,
                    assessor=educators[assessor] if assessor is not None else None,
                    outcome=outcome,
                    outcome_date=outcome_date,
                )
            )
    bulk_create_with_history(enrolments, PepsEnrolment)


def _people(
    organisation: Organisation, rng: random.Random, teams: list[Team], count: int
) -> list[Person]:
    """New people in the organisation's teams, with stable names and e-mail addresses."""
    domain = f"{organisation.code.lower()}.demo.practica.test"
    people = []
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        title = rng.choice(["Social worker", "Senior social worker", "Senior practitioner"])
        if rng.random() < 0.12:
            title = "Practice manager"
        people.append(
            Person(
                organisation=organisation,
                team=rng.choice(teams) if teams else None,
                first_name=first,
                last_name=last,
                email=f"{first}.{last}.pe{index}@{domain}".lower(),
                job_title=title,
            )
        )
    created: list[Person] = bulk_create_with_history(people, Person)
    return created


def _candidate(person: Person, stage: str, rng: random.Random) -> Candidate:
    """Where someone stood before autumn 2018: qualified years ago, or not yet trained."""
    stage1 = stage2 = None
    if stage in (PepsStage.STAGE1, PepsStage.STAGE2):
        stage1 = datetime.date(rng.randint(2006, 2016), rng.choice([6, 7]), rng.randint(1, 28))
    if stage == PepsStage.STAGE2 and stage1 is not None:
        stage2 = min(
            datetime.date(stage1.year + rng.randint(1, 3), rng.choice([6, 7]), rng.randint(1, 28)),
            datetime.date(2018, 7, 31),
        )
    return Candidate(person, stage, stage1, stage2)


def _simulate_cohort(
    candidates: list[Candidate],
    start_year: int,
    stage: int,
    size: int,
    rng: random.Random,
    today: datetime.date,
    *,
    finished: bool,
) -> None:
    """Enrols ``size`` eligible candidates as ``enrol_in_peps_cohort`` would (Stage 1 needs no
    stage; Stage 2 needs Stage 1 before the year began) and, for a finished year, decides their
    outcome as ``record_peps_outcome`` would."""
    year_start, year_end = academic_years.bounds(start_year)
    before, training, achieved = (
        (PepsStage.NONE, PepsStage.STAGE1_TRAINING, PepsStage.STAGE1)
        if stage == 1
        else (PepsStage.STAGE1, PepsStage.STAGE2_TRAINING, PepsStage.STAGE2)
    )
    eligible = [
        c
        for c in candidates
        if c.stage == training
        or (c.stage == before and (stage == 1 or (c.stage1_date and c.stage1_date < year_start)))
    ]
    assessors = [i for i, c in enumerate(candidates) if c.stage == PepsStage.STAGE2]
    for candidate in rng.sample(eligible, min(size, len(eligible))):
        assessor = rng.choice(assessors) if assessors else None
        candidate.stage = training
        if not finished:
            candidate.enrolments.append((start_year, stage, Outcome.ENROLLED, None, assessor))
            continue
        roll = rng.random()
        if roll < 0.86:
            outcome = Outcome.PASSED
            when = datetime.date(year_end.year, rng.choice([6, 7]), rng.randint(1, 28))
            candidate.stage = achieved
            if stage == 1:
                candidate.stage1_date = when
            else:
                candidate.stage2_date = when
        else:
            outcome = Outcome.DEFERRED if roll < 0.94 else Outcome.WITHDRAWN
            when = datetime.date(year_end.year, rng.randint(1, 5), rng.randint(1, 28))
            if outcome == Outcome.WITHDRAWN:
                candidate.stage = before
        candidate.enrolments.append((start_year, stage, outcome, min(when, today), assessor))


def _months_ago(rng: random.Random, today: datetime.date, low: int, high: int) -> datetime.date:
    day = add_months(today, -rng.randint(low, high)) - datetime.timedelta(days=rng.randint(0, 27))
    return min(day, today)


def _currency_date(
    rng: random.Random, today: datetime.date, lapsing: float, lapsed: float
) -> datetime.date:
    """Mostly recent; a share 21–22 months ago (lapsing) and a share 25–40 months ago (lapsed)."""
    roll = rng.random()
    if roll < lapsed:
        return _months_ago(rng, today, 25, 40)
    if roll < lapsed + lapsing:
        return _months_ago(rng, today, 21, 22)
    return _months_ago(rng, today, 0, 17)


def _educator(
    candidate: Candidate,
    rng: random.Random,
    today: datetime.date,
    locations: list[Location],
    *,
    independent: bool,
) -> PracticeEducator:
    roll = rng.random()
    reviewed = (
        _months_ago(rng, today, 0, 10)
        if roll < 0.85
        else _months_ago(rng, today, 13, 20)
        if roll < 0.94
        else None
    )
    qualified = candidate.stage not in (PepsStage.NONE, PepsStage.STAGE1_TRAINING)
    return PracticeEducator(
        person=candidate.person,
        peps_stage=candidate.stage,
        stage1_date=candidate.stage1_date if qualified else None,
        stage2_date=candidate.stage2_date,
        independent=independent,
        location=rng.choice(locations) if locations and rng.random() < 0.15 else None,
        last_student_date=_currency_date(rng, today, lapsing=0.08, lapsed=0.1)
        if qualified
        else None,
        last_training_date=(
            _currency_date(rng, today, lapsing=0.06, lapsed=0.06) if qualified else None
        ),
        reviewed_on=reviewed,
    )


def _activities(
    educator: PracticeEducator, title: str, rng: random.Random, today: datetime.date
) -> list[PracticeEducatorActivity]:
    if not educator.is_qualified:
        return []
    kinds: list[str] = []
    if title == "Practice manager":  # managers usually assess ASYE rather than take students
        kinds.append(ActivityKind.ASYE_ASSESSOR)
    elif rng.random() < 0.8:
        kinds.append(ActivityKind.STUDENT_PE)
    if educator.peps_stage == PepsStage.STAGE2 and rng.random() < 0.25:
        kinds.append(ActivityKind.PEPS_ASSESSOR)
    if rng.random() < 0.1:
        kinds.append(ActivityKind.ASYE_ASSESSOR)
    if rng.random() < 0.05:
        kinds.append(ActivityKind.AMHP_BIA_PE)
    if rng.random() < 0.1:
        kinds.append(ActivityKind.ONSITE_SUPERVISOR)
    activities = []
    for kind in dict.fromkeys(kinds):
        started = _months_ago(rng, today, 6, 60)
        ended = (
            _months_ago(rng, today, 0, 5) - datetime.timedelta(days=1)
            if rng.random() < 0.12
            else None
        )
        activities.append(
            PracticeEducatorActivity(
                educator=educator, kind=kind, started_on=started, ended_on=ended
            )
        )
    return activities


# --- recruitment and selection ------------------------------------------------------------


def _criteria(organisation: Organisation) -> None:
    for position, (title, description, max_score) in enumerate(CRITERIA, start=1):
        if (
            not SelectionCriterion.objects.unscoped(DEMO)
            .filter(organisation=organisation, title=title)
            .exists()
        ):
            create_selection_criterion(
                actor=None,
                organisation=organisation,
                title=title,
                description=description,
                max_score=max_score,
                position=position,
            )


def _applications(organisation: Organisation, rng: random.Random, today: datetime.date) -> None:
    """Applications at each step: waiting for the line manager, panel and interview set,
    accepted (and enrolled for next year), and not accepted."""
    if PeApplication.objects.unscoped(DEMO).filter(organisation=organisation).exists():
        return
    coordinator = User.objects.filter(
        memberships__organisation=organisation, memberships__role="coordinator"
    ).first()
    applicants = list(
        Person.objects.unscoped(DEMO)
        .filter(organisation=organisation, practice_educator__isnull=True, user__isnull=True)
        .order_by("email")[:4]
    )
    hei_staff = list(
        Person.objects.unscoped(DEMO)
        .filter(
            organisation__kind=OrganisationKind.HEI,
            organisation__partnership_id=organisation.partnership_id,
            user__memberships__role__in=["academic", "coordinator"],
        )
        .distinct()
        .order_by("email")
    )
    if len(applicants) < 4 or not hei_staff:
        return
    colleague = (
        Person.objects.unscoped(DEMO)
        .filter(organisation=organisation)
        .exclude(pk__in=[a.pk for a in applicants])
        .order_by("email")
        .first()
    )
    steps = ["waiting", "interview", "accepted", "rejected"]
    for applicant, step in zip(applicants, steps, strict=True):
        application = create_pe_application(
            actor=coordinator,
            applicant=applicant,
            stage=1,
            statement=(
                f"I have supported {rng.randint(2, 6)} students on shadowing placements and "
                "would like to train as a practice educator to support a 70-day placement."
            ),
            line_manager_name="Lin Manager",
            line_manager_email=f"line.manager.{applicant.pk}@{organisation.code.lower()}.demo.practica.test",
        )
        request_line_manager_support(actor=coordinator, application=application, send=False)
        if step == "waiting":
            continue
        application.refresh_from_db()
        give_line_manager_support(
            application=application,
            supports=step != "rejected",
            statement="They manage their caseload well and the team can support a student.",
        )
        members = [m for m in (colleague, rng.choice(hei_staff)) if m is not None]
        set_selection_panel(actor=coordinator, application=application, members=members)
        interview = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=10), datetime.time(10, 0))
        )
        if step == "interview":
            interview += datetime.timedelta(days=24)
        schedule_panel_interview(actor=coordinator, application=application, interview_at=interview)
        if step == "interview":
            continue
        criteria = SelectionCriterion.objects.unscoped(DEMO).filter(
            organisation=organisation, is_active=True
        )
        record_application_scores(
            actor=coordinator,
            application=application,
            scores={c: (rng.randint(3, 5) if step == "accepted" else 2, "") for c in criteria},
        )
        if coordinator is not None:
            decide_pe_application(
                actor=coordinator,
                application=application,
                decision="accepted" if step == "accepted" else "rejected",
                feedback_letter=(
                    "Thank you for your application and interview. "
                    + (
                        "We are pleased to offer you a place on next year's PEPS Stage 1 programme."
                        if step == "accepted"
                        else "Your line manager could not support a placement this year; "
                        "please apply again next year."
                    )
                ),
                today=today,
            )


# --- the practice educator demo login -----------------------------------------------------


def _demo_login(organisation: Organisation, today: datetime.date) -> None:
    person = Person.objects.unscoped(DEMO).filter(user__email=PE_LOGIN).first()
    if person is None or PracticeEducator.objects.unscoped(DEMO).filter(person=person).exists():
        return
    educator = create_practice_educator(
        actor=None,
        person=person,
        peps_stage=PepsStage.STAGE2,
        stage1_date=datetime.date(2014, 7, 4),
        stage2_date=datetime.date(2016, 7, 8),
        last_student_date=add_months(today, -5),
        last_training_date=add_months(today, -21),
    )
    start_activity(
        actor=None,
        educator=educator,
        kind=ActivityKind.STUDENT_PE,
        started_on=datetime.date(2016, 9, 1),
    )
    start_activity(
        actor=None,
        educator=educator,
        kind=ActivityKind.PEPS_ASSESSOR,
        started_on=datetime.date(2018, 9, 1),
    )
    review_practice_educator(actor=None, educator=educator, reviewed_on=add_months(today, -2))


# --- a self-submitted application, with a university academic on its panel ----------------


def _own_application(organisation: Organisation, today: datetime.date) -> None:
    """The practitioner teacher's own expression of interest, sent from their page; the
    coordinator has chosen the panel (a colleague and the demo academic of the University of
    Kent) and set the interview, so the academic has scores to record."""
    applicant = (
        Person.objects.unscoped(DEMO)
        .filter(user__email=APPLICANT_LOGIN)
        .select_related("user")
        .first()
    )
    academic = Person.objects.unscoped(DEMO).filter(user__email=PANEL_LOGIN).first()
    if applicant is None or academic is None or applicant.user is None:
        return
    stage = stage_to_apply_for(applicant)
    if stage is None or PeApplication.objects.unscoped(DEMO).filter(applicant=applicant).exists():
        return
    application = submit_own_pe_application(
        actor=applicant.user,
        applicant=applicant,
        stage=stage,
        statement=(
            "I teach on the university's readiness for practice module and have hosted "
            "shadowing students in my team for two years. I would like to train as a practice "
            "educator so that I can support a 70-day placement next year."
        ),
        line_manager_name="Lin Manager",
        line_manager_email="linemanager@demo.practica.test",
        send=False,
    )
    coordinator = User.objects.filter(
        memberships__organisation=organisation, memberships__role="coordinator"
    ).first()
    colleague = (
        Person.objects.unscoped(DEMO)
        .filter(organisation=organisation, user__isnull=True)
        .exclude(pk=applicant.pk)
        .order_by("email")
        .first()
    )
    members = [m for m in (colleague, academic) if m is not None]
    set_selection_panel(actor=coordinator, application=application, members=members)
    interview = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=7), datetime.time(14, 0))
    )
    schedule_panel_interview(actor=coordinator, application=application, interview_at=interview)
