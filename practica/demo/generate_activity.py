"""What a generated partnership does through its years (`practica generate`, issue 16): the
records of each domain that follow from the people, students and placements written by
``demo/generate.py``, planned in memory from seeded generators and written in bulk with their
history, like the rest of a generation.

- placements: each student's pre-placement checks; for placements under way or over, weekly
  attendance signed off, direct observations, reviews and a few causes for concern; an
  allocation run per year (confirmed), proposing the placements that were matched and naming
  the students left unplaced;
- questionnaires: the shipped questionnaires installed; the Practice Placement Evaluation Tool
  sent about each past year's placements and answered by most students and practice educators;
- teaching: practitioner teachers in each local authority's directory; teaching sessions and
  admissions interviews (their panels of practitioners) at each university, with peer
  observations and students' anonymous feedback;
- recruitment: each local authority's selection criteria and PE applications, with panels,
  interviews, scores and decisions;
- learning: a CPD needs survey per year answered by some of the practice educators.

Everything here belongs to the partnership being written: sessions at its universities, their
practitioners from its local authorities, answers only about its placements.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from practica.accounts.models import Role
from practica.core.models import AcademicYear, OrganisationKind, Partnership, Person
from practica.demo.educators import CRITERIA
from practica.demo.questionnaires import answers_for
from practica.educators.recruitment.models import (
    ApplicationScore,
    Decision,
    PanelMember,
    PeApplication,
    SelectionCriterion,
)
from practica.educators.register.models import PracticeEducator
from practica.learning.outside.models import OutsideCpd
from practica.learning.surveys.models import (
    CpdNeedsRating,
    CpdNeedsResponse,
    CpdNeedsSurvey,
    CpdNeedsTopic,
    PreferredFormat,
)
from practica.placements import evaluation
from practica.placements.allocation_models import (
    AllocationConstraint,
    AllocationProposal,
    AllocationRun,
    ConstraintKind,
    RunStatus,
    UnplacedStudent,
)
from practica.placements.during.models import (
    AttendanceWeek,
    CauseForConcern,
    CheckKind,
    ConcernStatus,
    DirectObservation,
    PlacementReview,
    PreferenceWindow,
    PreplacementCheck,
    RaisedBy,
    ReviewKind,
    ReviewOutcome,
    SkillsDays,
    StudentPreference,
)
from practica.placements.models import (
    Placement,
    PlacementStatus,
    PlacementType,
    Student,
    StudentStage,
)
from practica.questionnaires import services as questionnaire_services
from practica.questionnaires.models import (
    Answer,
    Distribution,
    Invitation,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    QuestionType,
    Response,
)
from practica.questionnaires.standard import install_standard_questionnaires
from practica.teaching.directory.models import (
    ExpressionOfInterest,
    PractitionerStatus,
    PractitionerTeacher,
    Shadowing,
)
from practica.teaching.sessions.models import (
    PeerObservation,
    SessionContributor,
    SessionKind,
    SessionStatus,
    TeachingSession,
    default_hours,
)
from practica.teaching.sessions.services import FEEDBACK_SLUG

if TYPE_CHECKING:
    from practica.demo.generate import _Org

Write = Callable[[type[models.Model], Sequence[Any]], list[Any]]

UNDER_WAY = (PlacementStatus.IN_PROGRESS, PlacementStatus.COMPLETED, PlacementStatus.ENDED_EARLY)
RECORDED_EVERY = 3  # every how many'th placement under way or over has attendance recorded
EVALUATION_ASKED, EVALUATION_ANSWERED = 0.9, 0.8
CONCERN_EVERY = 25  # every how many'th first or final placement has a cause for concern
OBSERVED_EVERY = 7  # every how many'th delivered teaching session a colleague observes
PT_SHARE = 0.08  # of an LA's staff, practitioner teachers in its directory
CPD_ANSWERED = 0.3  # of the practice educators, those who answer the year's CPD needs survey
PINNED_EVERY = 10  # every how many'th placement of a year's run its manager pinned to its offer
PREFERENCES_GIVEN = 0.7  # of the students with a first or final placement, those who rank areas
OUTSIDE_CPD_SHARE = 0.25  # of the practice educators, those who record outside CPD each year
SKILLS_TOPICS = ["Communication skills", "Assessment skills", "Court skills", "Recording"]
OUTSIDE_CPD = [
    ("Signs of Safety two-day course", "The local safeguarding partnership"),
    ("Motivational interviewing", "Research in Practice"),
    ("Trauma-informed practice webinar", "Community Care Inform"),
    ("Mental Capacity Act refresher", "The council's workforce development team"),
]
CPD_TOPICS = [
    "Assessing students' written work",
    "Supporting struggling and failing students",
    "Anti-oppressive practice",
    "Reflective supervision",
    "Working with BAME students",
    "Using the PCF and KSS in assessment",
]
MODULES = [
    "Social work with children and families",
    "Adult social care: law and practice",
    "Mental health and social work",
    "Skills for practice",
    "Assessment and intervention",
    "Values and ethics",
]
TOPICS = [
    "Child protection conferences",
    "Life story work",
    "Working with care leavers",
    "Mental capacity in practice",
    "Safeguarding adults",
    "Carers' assessments",
    "The approved mental health professional role",
]


def aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class Activity:
    """One partnership's activity, written with the generator's ``write`` (bulk, with history,
    counted)."""

    def __init__(
        self,
        *,
        write: Write,
        seed: int,
        today: datetime.date,
        years: list[AcademicYear],
        partnership: Partnership,
        las: list[_Org],
        heis: list[_Org],
        logins: list[Person],
        students_per_hei: int,
    ) -> None:
        self.students_per_hei = students_per_hei
        self.write, self.today, self.years = write, today, years
        self.partnership, self.las, self.heis, self.logins = partnership, las, heis, logins
        self.rng = random.Random(f"generate/{seed}/activity/{partnership.name}")
        self.token = f"generate/{seed}/{partnership.name}"
        self.serial = 0
        self.questions: dict[int, list[Question]] = {}  # each version's, read once
        self.session_type = ContentType.objects.get_for_model(TeachingSession)
        self.teachers: list[PractitionerTeacher] = []  # the directory, once written

    def write_all(
        self,
        students: list[Student],
        placements: list[Placement],
        unplaced: list[tuple[Student, AcademicYear]],
        progress: Callable[[str], None],
    ) -> None:
        progress("placement records")
        self.checks(students)
        self.during(placements)
        self.skills_days(placements)
        progress("allocation runs")
        self.preferences(placements)
        self.allocation_runs(placements, unplaced)
        progress("questionnaires")
        install_standard_questionnaires(actor=None, partnership=self.partnership)
        self.evaluations(placements)
        progress("teaching")
        self.teaching()
        self.interests_and_shadowing()
        progress("recruitment")
        self.applications()
        progress("CPD needs surveys")
        self.cpd_surveys()
        self.outside_cpd()

    def _hash(self) -> str:
        self.serial += 1
        return hashlib.sha256(f"{self.token}/{self.serial}".encode()).hexdigest()

    # --- during placements -----------------------------------------------------------------

    def checks(self, students: list[Student]) -> None:
        """A DBS check and occupational health clearance from when the student started, and
        this year's placement agreement, for each student still on their course."""
        rows = []
        for student in students:
            if student.stage == StudentStage.DONE:
                continue
            started = self.today - datetime.timedelta(days=self.rng.randint(200, 700))
            rows += [
                PreplacementCheck(
                    student=student,
                    kind=CheckKind.DBS,
                    completed_on=started,
                    expires_on=started + datetime.timedelta(days=3 * 365),
                    reference=f"0012{self.rng.randint(0, 10**8 - 1):08d}",
                ),
                PreplacementCheck(
                    student=student,
                    kind=CheckKind.HEALTH,
                    completed_on=started + datetime.timedelta(days=14),
                    reference="Occupational health clearance",
                ),
                PreplacementCheck(
                    student=student,
                    kind=CheckKind.AGREEMENT,
                    completed_on=self.today - datetime.timedelta(days=self.rng.randint(20, 120)),
                    expires_on=self.today + datetime.timedelta(days=self.rng.randint(150, 300)),
                    reference="Placement agreement signed",
                ),
            ]
        self.write(PreplacementCheck, rows)

    def during(self, placements: list[Placement]) -> None:
        """For placements under way or over: every third one's weekly attendance, signed off a
        week later (its last fortnight not yet, while it is under way), and its direct
        observations; reviews of every first and final placement as far as it has gone; and a
        few causes for concern, closed on the placements that are over."""
        minimum: dict[str, int] = settings.PRACTICA_MIN_OBSERVATIONS
        weeks, observations, reviews, concerns = [], [], [], []
        concern_turn = 0
        # the placement organisation's coordinator raises each concern (as told by the PE)
        coordinators = {
            p.organisation.pk: p.user
            for p in self.logins
            if p.user is not None and p.job_title == Role.COORDINATOR.label
        }
        under_way = [p for p in placements if p.status in UNDER_WAY and p.starts_on and p.ends_on]
        for index, placement in enumerate(under_way):
            starts_on, ends_on = placement.starts_on, placement.ends_on
            assert starts_on is not None
            assert ends_on is not None
            last = min(ends_on, self.today)
            going_on = placement.status == PlacementStatus.IN_PROGRESS
            if index % RECORDED_EVERY == 0:
                monday = starts_on - datetime.timedelta(days=starts_on.weekday())
                mondays = []
                while monday <= last:
                    mondays.append(monday)
                    monday += datetime.timedelta(days=7)
                owed = Decimal(placement.days)
                for number, monday in enumerate(mondays):
                    days = min(Decimal(5), owed, Decimal(5 if number % 3 else 4))
                    if days <= 0:
                        break
                    owed -= days
                    signed_on = monday + datetime.timedelta(days=7)
                    signed = signed_on <= self.today and not (
                        going_on and number >= len(mondays) - 2
                    )
                    weeks.append(
                        AttendanceWeek(
                            placement=placement,
                            week_starting=monday,
                            days=days,
                            signed_off_at=aware(signed_on, 9) if signed else None,
                        )
                    )
                wanted = minimum.get(placement.placement_type, 0)
                span = (ends_on - starts_on).days
                observer = (
                    placement.practice_educator.person.full_name
                    if placement.practice_educator
                    else "On-site supervisor"
                )
                for n in range(wanted):
                    day = starts_on + datetime.timedelta(days=span * (n + 1) // (wanted + 1))
                    if day > self.today:
                        break
                    observations.append(
                        DirectObservation(
                            placement=placement,
                            observed_on=day,
                            observer=observer,
                            summary=self.rng.choice(
                                [
                                    "Home visit: clear explanation of the plan to the family.",
                                    "Duty call handled well; feedback on checking consent first.",
                                    "Chaired a network meeting; kept the child's voice central.",
                                ]
                            ),
                        )
                    )
            if placement.placement_type == PlacementType.SHADOWING:
                continue
            span = (ends_on - starts_on).days
            for kind, day, outcome in (
                (ReviewKind.LEARNING_AGREEMENT, starts_on + datetime.timedelta(days=7), "agreed"),
                (ReviewKind.MIDPOINT, starts_on + datetime.timedelta(days=span // 2), "mid"),
                (ReviewKind.FINAL, ends_on, "final"),
            ):
                if day > self.today or (kind == ReviewKind.FINAL and going_on):
                    continue
                if outcome == "mid":
                    outcome = self.rng.choice(
                        [ReviewOutcome.ON_TRACK] * 8 + [ReviewOutcome.SOME_CONCERNS]
                    )
                elif outcome == "final":
                    outcome = (
                        ReviewOutcome.FAIL
                        if placement.status == PlacementStatus.ENDED_EARLY
                        else ReviewOutcome.PASS
                    )
                reviews.append(
                    PlacementReview(placement=placement, kind=kind, held_on=day, outcome=outcome)
                )
            concern_turn += 1
            if concern_turn % CONCERN_EVERY == 1:
                raised = starts_on + datetime.timedelta(days=max(1, span // 3))
                if raised > self.today:
                    continue
                concern = CauseForConcern(
                    placement=placement,
                    raised_on=raised,
                    raised_by=coordinators.get(placement.organisation.pk),
                    raised_as=RaisedBy.COORDINATOR,
                    concern=(
                        "The practice educator reports recording falling behind and two "
                        "supervisions missed."
                    ),
                    meeting_on=min(self.today, raised + datetime.timedelta(days=5)),
                    meeting_notes="Met with the student, practice educator and tutor.",
                    action_plan="Protected recording time each Friday; weekly supervision.",
                    status=ConcernStatus.ACTION_PLAN,
                )
                if not going_on:
                    concern.status = (
                        ConcernStatus.PLACEMENT_ENDED
                        if placement.status == PlacementStatus.ENDED_EARLY
                        else ConcernStatus.RESOLVED
                    )
                    concern.closed_on = ends_on
                    concern.outcome = "The action plan was met; recording is up to date."
                concerns.append(concern)
        self.write(AttendanceWeek, weeks)
        self.write(DirectObservation, observations)
        self.write(PlacementReview, reviews)
        self.write(CauseForConcern, concerns)

    def skills_days(self, placements: list[Placement]) -> None:
        """Two skills days at the university a few weeks before each first and final placement
        that has begun (well within what counts towards the practice days)."""
        rows = [
            SkillsDays(
                student=placement.student,
                held_on=placement.starts_on - datetime.timedelta(days=self.rng.randint(14, 40)),
                days=Decimal(2),
                topic=self.rng.choice(SKILLS_TOPICS),
            )
            for placement in placements
            if placement.status in UNDER_WAY
            and placement.starts_on is not None
            and placement.placement_type != PlacementType.SHADOWING
        ]
        self.write(SkillsDays, rows)

    def preferences(self, placements: list[Placement]) -> None:
        """Each university's window for placement preferences in May and June before each
        year (before the allocation run of 1 July); most of its students with a first or final
        placement that year rank one to three of the partnership's service areas, some with a
        town of its local authorities."""
        areas = sorted(
            {team.service_area for org in self.las for team in org.teams},
            key=lambda area: area.code,
        )
        towns = [location for org in self.las for location in org.locations]
        windows: dict[tuple[int, int], PreferenceWindow] = {}
        rows = []
        for placement in placements:
            year, hei = placement.academic_year, placement.student.hei
            opens_on = datetime.date(year.start_year, 5, 1)
            if (
                placement.placement_type == PlacementType.SHADOWING
                or opens_on > self.today
                or self.rng.random() >= PREFERENCES_GIVEN
            ):
                continue
            key = (hei.pk, year.start_year)
            if key not in windows:
                windows[key] = PreferenceWindow(
                    hei=hei,
                    academic_year=year,
                    opens_on=opens_on,
                    closes_on=datetime.date(year.start_year, 6, 15),
                )
            submitted = aware(
                min(self.today, opens_on + datetime.timedelta(days=self.rng.randint(0, 45))), 18
            )
            chosen = self.rng.sample(areas, min(len(areas), self.rng.randint(1, 3)))
            for rank, area in enumerate(chosen, start=1):
                rows.append(
                    StudentPreference(
                        student=placement.student,
                        window=windows[key],
                        rank=rank,
                        service_area=area,
                        location=self.rng.choice(towns) if self.rng.random() < 0.3 else None,
                        submitted_at=submitted,
                    )
                )
        self.write(PreferenceWindow, list(windows.values()))
        self.write(StudentPreference, rows)

    # --- allocation ------------------------------------------------------------------------

    def allocation_runs(
        self, placements: list[Placement], left_out: list[tuple[Student, AcademicYear]]
    ) -> None:
        """A confirmed allocation run for the whole partnership each year, in the summer
        before it: the placements matched to an offer are its proposals; the students whose
        request is still open, and those with no placement that year, its unplaced; the
        manager's constraints for it (every tenth placement pinned to its offer, an employed
        student forbidden their own team's offer)."""
        runs, proposals, unplaced, constraints = [], [], [], []
        manager = next(
            (p.user for p in self.logins if p.job_title == Role.PARTNERSHIP_MANAGER.label), None
        )
        for year in self.years:
            ran = datetime.date(year.start_year, 7, 1)
            if ran > self.today:
                continue
            own = [p for p in placements if p.academic_year is year]
            placed = [p for p in own if p.offer is not None]
            waiting = [p.student for p in own if p.status == PlacementStatus.REQUESTED]
            waiting += [student for student, of in left_out if of is year]
            if not placed:
                continue
            costs = [self.rng.randint(1, 60) for _p in placed]
            run = AllocationRun(
                partnership=self.partnership,
                academic_year=year,
                status=RunStatus.CONFIRMED,
                created_at=aware(ran, 9),
                started_at=aware(ran, 9),
                finished_at=aware(ran, 9) + datetime.timedelta(seconds=5),
                worst_cost=max(costs),
                total_cost=sum(costs),
                total_cost_without_fairness=sum(costs) - len(costs) // 10,
                optimal=True,
                certificate_checked=True,
                seconds=round(self.rng.uniform(0.2, 4.0), 2),
                confirmed_at=aware(ran, 15),
                placements_recorded=len(placed),
            )
            runs.append(run)
            for placement, cost in zip(placed, costs, strict=True):
                proposals.append(
                    AllocationProposal(
                        run=run,
                        student=placement.student,
                        offer=placement.offer,
                        cost=cost,
                        minutes=self.rng.randint(10, 90),
                        explanation=(
                            f"{placement.get_placement_type_display()} in "
                            f"{placement.team.name if placement.team else 'the setting'}: "
                            "within the student's travel limit, in a service area they asked for."
                        ),
                    )
                )
            # the manager's pins and forbids for the year's run, set a few days before it: every
            # tenth placement pinned to its offer; an employed student kept out of their own
            # team's offer
            by_team = {p.offer.team_id: p.offer for p in placed if p.offer is not None}
            for index, placement in enumerate(placed):
                assert placement.offer is not None  # placed: matched to an offer
                pairs = []
                if index % PINNED_EVERY == 0:
                    pairs.append((ConstraintKind.PIN, placement.offer))
                own_team = by_team.get(placement.student.employer_team_id)
                if own_team is not None and own_team is not placement.offer:
                    pairs.append((ConstraintKind.FORBID, own_team))
                constraints += [
                    AllocationConstraint(
                        partnership=self.partnership,
                        organisation=None,
                        academic_year=year,
                        student=placement.student,
                        offer=offer,
                        kind=kind,
                        created_by=manager,
                        created_at=aware(ran - datetime.timedelta(days=5), 16),
                    )
                    for kind, offer in pairs
                ]
            for student in waiting:
                unplaced.append(
                    UnplacedStudent(
                        run=run,
                        student=student,
                        binding="offers_full",
                        reason="Every offer within the student's travel limit is full.",
                    )
                )
        self.write(AllocationConstraint, constraints)
        self.write(AllocationRun, runs)
        self.write(AllocationProposal, proposals)
        self.write(UnplacedStudent, unplaced)

    # --- questionnaires --------------------------------------------------------------------

    def _answers(self, version: QuestionnaireVersion, response: Response) -> list[Answer]:
        """Answers to ``version`` as the demo gives them (leaning positive), in the shape the
        questionnaire services store them."""
        rows = []
        questions = self.questions[version.pk]
        by_code = {question.code: question for question in questions}
        for code, raw in answers_for(version, self.rng, questions=questions).items():
            question = by_code[code]
            answer = Answer(response=response, question=question, chosen=[])
            if question.type == QuestionType.LIKERT:
                answer.number = Decimal(raw)
            elif question.type == QuestionType.NUMBER:
                answer.number = Decimal(raw).quantize(Decimal("0.01"))
            elif question.type == QuestionType.TEXT:
                answer.text = raw
            else:
                answer.chosen = list(raw) if isinstance(raw, list) else [raw]
            rows.append(answer)
        return rows

    def _load_questions(self, versions: list[QuestionnaireVersion]) -> None:
        for version in versions:
            if version.pk not in self.questions:
                self.questions[version.pk] = questionnaire_services.questions_of(version)

    def evaluations(self, placements: list[Placement]) -> None:
        """The evaluation tool sent about most placements of each past year (after they
        ended), to the student and the practice educator; most answer."""
        versions = evaluation.versions_for(self.partnership)
        self._load_questions(list(versions.values()))
        placement_type = ContentType.objects.get_for_model(Placement)
        distributions: dict[tuple[str, int], Distribution] = {}
        invitations, responses, answers = [], [], []
        current = self.years[-1]
        for placement in placements:
            year = placement.academic_year
            if (
                year is current
                or placement.status not in UNDER_WAY
                or self.rng.random() >= EVALUATION_ASKED
            ):
                continue
            assert placement.ends_on is not None  # under way: dated
            # sent with the year's distribution, once the placement was over
            sent_on = max(
                year.ends_on - datetime.timedelta(days=45),
                placement.ends_on + datetime.timedelta(days=7),
            )
            for who, person, _part in evaluation.people_of(placement):
                key = (who, year.start_year)
                if key not in distributions:
                    distributions[key] = Distribution(
                        version=versions[who],
                        title=f"Placement evaluation {year.label} ({evaluation.WHO[who]})",
                        academic_year=year,
                        created_at=aware(year.ends_on - datetime.timedelta(days=45)),
                        closes_at=aware(year.ends_on + datetime.timedelta(days=30)),
                    )
                answered = self.rng.random() < EVALUATION_ANSWERED
                invitation = Invitation(
                    distribution=distributions[key],
                    person=person,
                    token_hash=self._hash(),
                    subject_type=placement_type,
                    subject_id=placement.pk,
                    sent_count=1,
                    used=answered,
                )
                invitations.append(invitation)
                if answered:
                    response = Response(
                        version=versions[who],
                        organisation=person.organisation,
                        academic_year=year,
                        submitted_on=sent_on + datetime.timedelta(days=self.rng.randint(0, 14)),
                        person=person,
                        invitation=invitation,
                        subject_type=placement_type,
                        subject_id=placement.pk,
                    )
                    response.submitted_on = min(response.submitted_on, self.today)
                    responses.append(response)
                    answers += self._answers(versions[who], response)
        self.write(Distribution, list(distributions.values()))
        self.write(Invitation, invitations)
        self.write(Response, responses)
        self.write(Answer, answers)

    # --- teaching --------------------------------------------------------------------------

    def teaching(self) -> None:
        """Practitioner teachers in each LA's directory; each university's teaching sessions
        (one practitioner each) and admissions interviews (a panel of two) through each year;
        for delivered sessions, some peer observations and students' anonymous feedback."""
        teachers: list[PractitionerTeacher] = []
        for org in self.las:
            staff = [p for p in org.people if p.user_id is None]
            chosen = self.rng.sample(staff, max(2, round(len(staff) * PT_SHARE)))
            for person in sorted(chosen, key=lambda p: p.email):
                joined = self.today - datetime.timedelta(days=self.rng.randint(60, 1500))
                teachers.append(
                    PractitionerTeacher(
                        person=person,
                        status=PractitionerStatus.PAUSED
                        if self.rng.random() < 0.1
                        else PractitionerStatus.ACTIVE,
                        service_area=person.team.service_area if person.team else None,
                        availability=self.rng.choice(["Mornings", "Tuesday afternoons", ""]),
                        modules_taught=self.rng.choice(MODULES),
                        joined_on=joined,
                        reviewed_on=max(
                            joined, self.today - datetime.timedelta(days=self.rng.randint(10, 400))
                        ),
                    )
                )
        self.write(PractitionerTeacher, teachers)
        self.teachers = teachers
        active = [t for t in teachers if t.status == PractitionerStatus.ACTIVE] or teachers
        feedback = self._feedback_version()
        sessions, contributors, observations, responses, answers = [], [], [], [], []
        delivered = 0  # teaching sessions delivered, the first and every seventh after observed
        academics = {p.organisation_id: p.user for p in self.logins if p.user is not None}
        for hei in self.heis:
            for year in self.years:
                for number in range(self.sessions_per_year):
                    kind = SessionKind.TEACHING
                    if number % 3 == 2:
                        kind = self.rng.choice(
                            [SessionKind.INTERVIEW_HALF, SessionKind.INTERVIEW_FULL]
                        )
                    date = year.starts_on + datetime.timedelta(days=self.rng.randint(14, 300))
                    while date.weekday() > 4:
                        date += datetime.timedelta(days=1)
                    teaching = kind == SessionKind.TEACHING
                    session = TeachingSession(
                        hei=hei.organisation,
                        kind=kind,
                        academic_year=year,
                        date=date,
                        module=self.rng.choice(MODULES) if teaching else "",
                        title=self.rng.choice(TOPICS) if teaching else "Admissions interviews",
                        place=hei.locations[0].name,
                        starts_at=datetime.time(10 if teaching else 9, 0),
                        ends_at=datetime.time(12 if teaching else 16, 0),
                        status=SessionStatus.DELIVERED
                        if date < self.today
                        else SessionStatus.SCHEDULED,
                        hours=default_hours(kind),
                    )
                    sessions.append(session)
                    panel = self.rng.sample(active, min(len(active), 1 if teaching else 2))
                    for teacher in panel:
                        contributors.append(
                            SessionContributor(
                                session=session,
                                practitioner_teacher=teacher,
                                organisation=teacher.person.organisation,
                                service_area=teacher.service_area,
                            )
                        )
                    if not teaching or session.status != SessionStatus.DELIVERED:
                        continue
                    delivered += 1
                    if delivered % OBSERVED_EVERY == 1:
                        observations.append(
                            PeerObservation(
                                session=session,
                                practitioner_teacher=panel[0],
                                observed_on=date,
                                observer=academics.get(hei.organisation.pk),
                                strengths="Brought real cases to life; students asked questions.",
                                areas_to_develop="Leave ten minutes at the end for reflection.",
                            )
                        )
                    if feedback is not None and self.rng.random() < 0.4:
                        for _student in range(self.rng.randint(4, 12)):
                            response = Response(
                                version=feedback,
                                organisation=hei.organisation,
                                academic_year=year,
                                submitted_on=date,
                                subject_type=self.session_type,
                                subject_id=None,
                            )
                            response._session = session  # type: ignore[attr-defined]  # its id once written
                            responses.append(response)
                            answers += self._answers(feedback, response)
        self.write(TeachingSession, sessions)
        self.write(SessionContributor, contributors)
        self.write(PeerObservation, observations)
        for response in responses:
            response.subject_id = response._session.pk  # type: ignore[attr-defined]
        self.write(Response, responses)
        self.write(Answer, answers)

    @property
    def sessions_per_year(self) -> int:
        """A university's sessions a year: about one for every six of its students (a third
        of them days of admissions interviews)."""
        return max(3, self.students_per_hei // 6)

    def _feedback_version(self) -> QuestionnaireVersion | None:
        questionnaire = (
            Questionnaire.objects.unscoped("the generated partnership's own session feedback")
            .filter(partnership=self.partnership, slug=FEEDBACK_SLUG)
            .first()
        )
        version = questionnaire_services.latest_published(questionnaire) if questionnaire else None
        if version is not None:
            self._load_questions([version])
        return version

    def interests_and_shadowing(self) -> None:
        """How each practitioner teacher joined: their expression of interest a few weeks
        before, agreed by their line manager (as ``record_past_interest`` keeps it: no link);
        and a session they shadowed with an experienced practitioner teacher of the same local
        authority (one who joined before them), recorded by its coordinator."""
        coordinators = {
            p.organisation.pk: p.user
            for p in self.logins
            if p.user is not None and p.job_title == Role.COORDINATOR.label
        }
        interests, shadowings = [], []
        for teacher in self.teachers:
            assert teacher.joined_on is not None  # every generated teacher has joined
            person = teacher.person
            submitted = teacher.joined_on - datetime.timedelta(days=self.rng.randint(14, 42))
            interests.append(
                ExpressionOfInterest(
                    person=person,
                    submitted_at=aware(submitted, 11),
                    knowledge="Assessment, care planning and working with families.",
                    skills=self.rng.choice(["Presenting", "Group work and role play"]),
                    experience=f"{self.rng.randint(2, 15)} years in practice.",
                    line_manager_name="Their team manager",
                    line_manager_email=f"manager.of.{person.email}",
                    line_manager_agrees=True,
                    answered_at=aware(submitted + datetime.timedelta(days=3), 15),
                )
            )
            peers = [
                t
                for t in self.teachers
                if t is not teacher
                and t.person.organisation_id == person.organisation_id
                and t.joined_on is not None
                and t.joined_on < teacher.joined_on
            ]
            on = teacher.joined_on + datetime.timedelta(days=self.rng.randint(7, 30))
            if on > self.today or not peers:
                continue
            shadowings.append(
                Shadowing(
                    practitioner_teacher=teacher,
                    shadowed=self.rng.choice(peers),
                    on=on,
                    session=f"{self.rng.choice(TOPICS)}, {self.rng.choice(MODULES)}",
                    recorded_by=coordinators.get(person.organisation_id),
                )
            )
        self.write(ExpressionOfInterest, interests)
        self.write(Shadowing, shadowings)

    # --- recruitment -----------------------------------------------------------------------

    def applications(self) -> None:
        """Each LA's selection criteria, and applications to train as a practice educator
        each year from its staff not on the register: past years' decided (most accepted)
        after a panel interview and scores; this year's at each step."""
        criteria_rows, applications, panels, scores = [], [], [], []
        hei_people = [p for p in self.logins if p.organisation.kind == OrganisationKind.HEI]
        for org in self.las:
            criteria = [
                SelectionCriterion(
                    organisation=org.organisation,
                    title=title,
                    description=description,
                    max_score=max_score,
                    position=position,
                )
                for position, (title, description, max_score) in enumerate(CRITERIA, start=1)
            ]
            criteria_rows += criteria
            on_register = {id(e.person) for e in org.educators}
            staff = [p for p in org.people if id(p) not in on_register and p.user_id is None]
            educators = [e.person for e in org.educators]
            per_year = max(1, len(org.educators) // 20)
            applicants = self.rng.sample(staff, min(len(staff), per_year * len(self.years)))
            for index, applicant in enumerate(applicants):
                year = self.years[index // per_year]
                current = year is self.years[-1]
                applied = year.starts_on + datetime.timedelta(days=self.rng.randint(20, 120))
                if applied >= self.today:
                    applied = self.today - datetime.timedelta(days=self.rng.randint(5, 30))
                step = (
                    self.rng.choice(["waiting", "interview", "decided"]) if current else "decided"
                )
                application = PeApplication(
                    organisation=org.organisation,
                    applicant=applicant,
                    stage=1,
                    statement=(
                        f"I have supported {self.rng.randint(2, 6)} students on shadowing "
                        "placements and would like to train as a practice educator."
                    ),
                    line_manager_name="Their team manager",
                    line_manager_email=f"manager.{index}@{org.organisation.code}.generated.practica.test".lower(),
                    support_requested_at=aware(applied),
                    created_at=aware(applied),
                )
                applications.append(application)
                if step == "waiting":
                    continue
                application.line_manager_supports = True
                application.line_manager_statement = "They manage their caseload well."
                application.support_given_at = aware(applied + datetime.timedelta(days=3))
                interview = min(self.today, applied + datetime.timedelta(days=21))
                application.interview_at = aware(interview, 14)
                members = [self.rng.choice(educators)] if educators else []
                if hei_people:
                    members.append(self.rng.choice(hei_people))
                panels += [PanelMember(application=application, person=p) for p in members]
                if step == "interview":
                    continue
                accepted = self.rng.random() < 0.8
                scores += [
                    ApplicationScore(
                        application=application,
                        criterion=criterion,
                        score=self.rng.randint(3, criterion.max_score)
                        if accepted
                        else min(2, criterion.max_score),
                    )
                    for criterion in criteria
                ]
                application.decision = Decision.ACCEPTED if accepted else Decision.REJECTED
                application.decided_on = interview
                application.feedback_letter = "Thank you for your application and interview. " + (
                    "We are pleased to offer you a place on the PEPS Stage 1 programme."
                    if accepted
                    else "Please apply again next year, once you have supported a student."
                )
                application.feedback_sent_to = applicant.email
        self.write(SelectionCriterion, criteria_rows)
        self.write(PeApplication, applications)
        self.write(PanelMember, panels)
        self.write(ApplicationScore, scores)

    # --- learning --------------------------------------------------------------------------

    def cpd_surveys(self) -> None:
        """The partnership's CPD needs survey each autumn, answered by some of its practice
        educators, each rating every topic."""
        surveys, topics, responses, ratings = [], [], [], []
        educators: list[PracticeEducator] = [e for org in self.las for e in org.educators]
        for year in self.years:
            opens_on = datetime.date(year.start_year, 9, 15)
            if opens_on > self.today:
                continue
            survey = CpdNeedsSurvey(
                partnership=self.partnership,
                academic_year=year,
                title=f"CPD needs survey {year.label}",
                opens_on=opens_on,
                closes_on=datetime.date(year.start_year, 10, 31),
            )
            surveys.append(survey)
            own = [
                CpdNeedsTopic(survey=survey, name=n, position=i) for i, n in enumerate(CPD_TOPICS)
            ]
            topics += own
            answering = self.rng.sample(educators, round(len(educators) * CPD_ANSWERED))
            for educator in answering:
                day = opens_on + datetime.timedelta(days=self.rng.randint(0, 45))
                response = CpdNeedsResponse(
                    survey=survey,
                    person=educator.person,
                    organisation=educator.person.organisation,
                    preferred_format=self.rng.choice(PreferredFormat.values),
                    submitted_at=aware(min(day, self.today), 12),
                )
                responses.append(response)
                ratings += [
                    CpdNeedsRating(response=response, topic=t, interest=self.rng.randint(1, 5))
                    for t in own
                ]
        self.write(CpdNeedsSurvey, surveys)
        self.write(CpdNeedsTopic, topics)
        self.write(CpdNeedsResponse, responses)
        self.write(CpdNeedsRating, ratings)

    def outside_cpd(self) -> None:
        """CPD some practice educators did elsewhere each year (recorded by themselves, no
        evidence file)."""
        rows = []
        for org in self.las:
            for educator in org.educators:
                for year in self.years:
                    if self.rng.random() >= OUTSIDE_CPD_SHARE:
                        continue
                    day = year.starts_on + datetime.timedelta(days=self.rng.randint(10, 330))
                    if day > self.today:
                        continue
                    title, provider = self.rng.choice(OUTSIDE_CPD)
                    rows.append(
                        OutsideCpd(
                            person=educator.person,
                            title=title,
                            done_on=day,
                            hours=Decimal(self.rng.choice([2, 3, 6, 7, 14])),
                            provider=provider,
                            reflection="Useful for supervising students' direct work.",
                        )
                    )
        self.write(OutsideCpd, rows)
