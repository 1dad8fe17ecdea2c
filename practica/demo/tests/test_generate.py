import dataclasses
import datetime
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import models, transaction
from django.utils import timezone

from practica.accounts.models import Membership, Role
from practica.core.models import OrganisationKind, Person
from practica.demo.generate import SCALES, GenerationError, Scale, generate
from practica.educators.recruitment.models import PeApplication
from practica.educators.register.models import PracticeEducator
from practica.educators.register.selectors import educators_visible_to
from practica.learning.events.models import Registration
from practica.learning.outside.models import OutsideCpd
from practica.learning.surveys.models import CpdNeedsRating, CpdNeedsSurvey
from practica.placements import evaluation
from practica.placements.allocation_models import (
    AllocationConstraint,
    AllocationProposal,
    AllocationRun,
    ConstraintKind,
    UnplacedStudent,
)
from practica.placements.during.models import (
    AttendanceWeek,
    CauseForConcern,
    PlacementReview,
    PreplacementCheck,
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
from practica.questionnaires.models import Answer, Response
from practica.teaching.directory.models import ExpressionOfInterest, Shadowing
from practica.teaching.sessions.models import (
    SessionContributor,
    SessionKind,
    SessionStatus,
    TeachingSession,
)
from practica.timeaudit.models import TimeLog

TODAY = datetime.date(2026, 3, 2)  # in the spring term: some placements done, some going on
COVERED = [
    "accounts.User",
    "accounts.Membership",
    "core.Partnership",
    "core.Organisation",
    "core.Location",
    "core.Team",
    "core.Person",
    "educators.PracticeEducator",
    "educators.PracticeEducatorActivity",
    "educators.PepsCohort",
    "educators.PepsEnrolment",
    "learning.Event",
    "learning.Registration",
    "placements.Student",
    "placements.PlacementOffer",
    "placements.Placement",
    "timeaudit.TimeAudit",
    "timeaudit.AuditEnrolment",
    "timeaudit.TimeLog",
    # what the partnership does through its years (demo/generate_activity.py)
    "placements.PreplacementCheck",
    "placements.AttendanceWeek",
    "placements.DirectObservation",
    "placements.PlacementReview",
    "placements.CauseForConcern",
    "placements.AllocationRun",
    "placements.AllocationProposal",
    "placements.UnplacedStudent",
    "questionnaires.Distribution",
    "questionnaires.Invitation",
    "questionnaires.Response",
    "questionnaires.Answer",
    "teaching.PractitionerTeacher",
    "teaching.TeachingSession",
    "teaching.SessionContributor",
    "teaching.PeerObservation",
    "educators.SelectionCriterion",
    "educators.PeApplication",
    "educators.PanelMember",
    "educators.ApplicationScore",
    "learning.CpdNeedsSurvey",
    "learning.CpdNeedsTopic",
    "learning.CpdNeedsResponse",
    "learning.CpdNeedsRating",
    "placements.SkillsDays",
    "placements.PreferenceWindow",
    "placements.StudentPreference",
    "teaching.ExpressionOfInterest",
    "teaching.Shadowing",
    "learning.OutsideCpd",
    "placements.AllocationConstraint",
]


def _rows(label: str) -> list[Any]:
    model: type[models.Model] = apps.get_model(label)
    return list(model._base_manager.all())


@pytest.mark.django_db
def test_tiny_scale_writes_rows_of_every_covered_model_each_with_its_history() -> None:
    counts = generate(scale=SCALES["tiny"], years=3, seed=3, today=TODAY)

    assert sorted(counts) == sorted(COVERED)
    for label in COVERED:
        model = apps.get_model(label)
        assert counts[label] > 0, label
        assert model._base_manager.count() >= counts[label], label
        if hasattr(model, "history"):
            assert model.history.count() >= counts[label], label


@pytest.mark.django_db
def test_every_generated_record_passes_its_models_validation() -> None:
    generate(scale=SCALES["tiny"], years=3, seed=4)  # today: the dates cannot be in the future

    for label in COVERED:
        for row in _rows(label):
            # unique fields and constraints were checked by the database when it was written
            row.full_clean(validate_unique=False, validate_constraints=False)


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """The generated records by their natural keys (no ids, which differ between runs)."""
    return {
        "people": sorted(
            Person.objects.unscoped("test").values_list(
                "organisation__code", "team__name", "first_name", "last_name", "email", "job_title"
            ),
            key=str,
        ),
        "educators": sorted(
            PracticeEducator.objects.unscoped("test").values_list(
                "person__email",
                "peps_stage",
                "stage1_date",
                "stage2_date",
                "independent",
                "last_student_date",
                "last_training_date",
            ),
            key=str,
        ),
        "placements": sorted(
            Placement.objects.unscoped("test").values_list(
                "student__student_ref",
                "organisation__code",
                "team__name",
                "academic_year__start_year",
                "placement_type",
                "status",
                "starts_on",
                "practice_educator__person__email",
                "offer__slots",
            ),
            key=str,
        ),
        "registrations": sorted(
            Registration.objects.unscoped("test").values_list(
                "event__title", "event__starts_at", "person__email", "status", "attended"
            ),
            key=str,
        ),
        "time logs": sorted(
            TimeLog.objects.unscoped("test").values_list(
                "enrolment__practice_educator__person__email",
                "week_start",
                "daytime_hours",
                "ooh_hours",
            ),
            key=str,
        ),
        "attendance": sorted(
            AttendanceWeek.objects.unscoped("test").values_list(
                "placement__student__student_ref", "week_starting", "days", "signed_off_at"
            ),
            key=str,
        ),
        "answers": sorted(
            Answer.objects.values_list(
                "response__person__email",
                "response__organisation__code",
                "response__submitted_on",
                "question__code",
                "number",
                "chosen",
                "text",
            ),
            key=str,
        ),
        "sessions": sorted(
            SessionContributor.objects.unscoped("test").values_list(
                "session__hei__code",
                "session__kind",
                "session__date",
                "session__title",
                "practitioner_teacher__person__email",
            ),
            key=str,
        ),
        "applications": sorted(
            PeApplication.objects.unscoped("test").values_list(
                "applicant__email", "decision", "decided_on", "panel_members__person__email"
            ),
            key=str,
        ),
        "allocation": sorted(
            AllocationProposal.objects.values_list(
                "run__academic_year__start_year",
                "student__student_ref",
                "offer__team__name",
                "cost",
            ),
            key=str,
        ),
        "preferences": sorted(
            StudentPreference.objects.unscoped("test").values_list(
                "student__student_ref",
                "window__academic_year__start_year",
                "rank",
                "service_area__code",
                "location__name",
            ),
            key=str,
        ),
        "shadowing": sorted(
            Shadowing.objects.unscoped("test").values_list(
                "practitioner_teacher__person__email", "shadowed__person__email", "on"
            ),
            key=str,
        ),
        "outside cpd": sorted(
            OutsideCpd.objects.unscoped("test").values_list("person__email", "done_on", "hours"),
            key=str,
        ),
        "cpd ratings": sorted(
            CpdNeedsRating.objects.values_list(
                "response__person__email", "topic__name", "interest"
            ),
            key=str,
        ),
    }


@pytest.mark.django_db
def test_the_same_seed_generates_the_same_records() -> None:
    snapshots = []
    for _run in range(2):
        with transaction.atomic():
            generate(scale=SCALES["tiny"], years=2, seed=11, today=TODAY)
            snapshots.append(_snapshot())
            transaction.set_rollback(True)  # as if into a fresh database

    assert all(snapshots[0].values())
    assert snapshots[0] == snapshots[1]


@pytest.mark.django_db
def test_a_seed_already_generated_is_refused() -> None:
    generate(scale=SCALES["tiny"], seed=5, today=TODAY)

    with pytest.raises(GenerationError, match="already been generated"):
        generate(scale=SCALES["tiny"], seed=5, today=TODAY)


@pytest.mark.django_db
def test_a_coordinator_of_a_generated_la_sees_only_their_own_practice_educators() -> None:
    generate(scale=SCALES["tiny"].scaled(1.5), seed=6, today=TODAY)
    memberships = Membership.objects.unscoped("test").filter(
        role=Role.COORDINATOR, organisation__kind=OrganisationKind.LOCAL_AUTHORITY
    )
    first, second = (m for m in memberships.select_related("user", "organisation")[:2])

    seen = list(educators_visible_to(first.user, today=TODAY))

    assert seen
    assert {educator.person.organisation_id for educator in seen} == {first.organisation_id}
    assert not PracticeEducator.objects.visible_to(first.user).filter(
        person__organisation=second.organisation
    )


def test_scaled_multiplies_every_count_and_keeps_at_least_one() -> None:
    tiny = SCALES["tiny"]

    assert tiny.scaled(2).pes_per_la == 2 * tiny.pes_per_la
    assert tiny.scaled(0.01) == Scale(**dict.fromkeys(vars(tiny), 1))
    with pytest.raises(GenerationError):
        tiny.scaled(0)


def test_national_scale_is_about_the_size_of_england() -> None:
    national = SCALES["national"]
    las = national.partnerships * national.las_per_partnership
    heis = national.partnerships * national.heis_per_partnership

    assert 140 <= las <= 160
    assert 70 <= heis <= 90
    assert 23_000 <= las * national.pes_per_la <= 27_000
    assert 14_000 <= heis * national.students_per_hei <= 16_000
    assert 17_000 <= las * national.slots_per_la <= 19_000


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--scale", "galactic"], "Unknown scale 'galactic'"),
        (["--scale", "tiny", "--years", "0"], "--years must be at least 1"),
        (["--scale", "tiny", "--seed", "-1"], "Choose a seed from 0"),
    ],
)
def test_the_command_refuses_bad_input_clearly(arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("generate", *arguments)


@pytest.mark.django_db
def test_the_command_prints_progress_and_the_counts(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("generate", "--scale", "tiny", "--seed", "9")

    out = capsys.readouterr().out
    assert "[partnerships] 1/1" in out
    assert "placements.Placement" in out


TWO_PARTNERSHIPS = dataclasses.replace(SCALES["tiny"], partnerships=2)


@pytest.mark.django_db
def test_each_generated_record_belongs_to_the_partnership_it_was_written_for() -> None:
    generate(scale=TWO_PARTNERSHIPS, years=2, seed=12, today=TODAY)

    def one(*partnerships: int) -> None:
        assert len(set(partnerships)) == 1, partnerships

    for contributor in SessionContributor.objects.unscoped("test").select_related(
        "session__hei", "practitioner_teacher__person__organisation", "organisation"
    ):
        teacher, organisation = contributor.practitioner_teacher, contributor.organisation
        assert teacher is not None
        assert organisation is not None
        assert contributor.session.hei.kind == OrganisationKind.HEI
        assert organisation == teacher.person.organisation
        one(contributor.session.hei.partnership_id, organisation.partnership_id)
    for application in PeApplication.objects.unscoped("test").select_related(
        "organisation", "applicant__organisation"
    ):
        assert application.applicant.organisation == application.organisation
        assert not hasattr(application.applicant, "practice_educator")
        for member in application.panel_members.select_related("person__organisation"):
            one(application.organisation.partnership_id, member.person.organisation.partnership_id)
    for proposal in AllocationProposal.objects.select_related(
        "run", "student__hei", "offer__organisation"
    ):
        one(
            proposal.run.partnership_id,
            proposal.student.hei.partnership_id,
            proposal.offer.organisation.partnership_id,
        )
        assert proposal.offer.academic_year_id == proposal.run.academic_year_id
    proposed = {
        (p.run.academic_year_id, p.student_id, p.offer_id)
        for p in AllocationProposal.objects.select_related("run")
    }
    constraints = AllocationConstraint.objects.unscoped("test").select_related(
        "student__hei", "offer__organisation", "created_by"
    )
    assert constraints
    for constraint in constraints:
        one(
            constraint.partnership_id,
            constraint.student.hei.partnership_id,
            constraint.offer.organisation.partnership_id,
        )
        assert constraint.organisation_id is None  # the whole partnership's run
        assert constraint.offer.academic_year_id == constraint.academic_year_id
        pair = (constraint.academic_year_id, constraint.student_id, constraint.offer_id)
        # the run kept its pins and forbids
        assert (pair in proposed) == (constraint.kind == ConstraintKind.PIN)
        if constraint.kind == ConstraintKind.FORBID:
            assert constraint.offer.team_id == constraint.student.employer_team_id
    for rating in CpdNeedsRating.objects.select_related(
        "response__survey", "response__organisation", "topic"
    ):
        assert rating.topic.survey_id == rating.response.survey_id
        one(rating.response.survey.partnership_id, rating.response.organisation.partnership_id)
    preferences = StudentPreference.objects.unscoped("test").select_related(
        "student__person__organisation", "window__hei", "location__organisation"
    )
    assert preferences
    for preference in preferences:
        assert preference.window.hei == preference.student.person.organisation
        assert preference.student.hei_id == preference.window.hei_id
        if preference.location is not None:
            assert preference.location.organisation.kind == OrganisationKind.LOCAL_AUTHORITY
            one(
                preference.window.hei.partnership_id,
                preference.location.organisation.partnership_id,
            )
    shadowings = Shadowing.objects.unscoped("test").select_related(
        "practitioner_teacher__person", "shadowed__person", "recorded_by"
    )
    assert shadowings
    for shadowing in shadowings:
        teacher, shadowed = shadowing.practitioner_teacher, shadowing.shadowed
        assert shadowed is not None
        assert teacher.person.organisation_id == shadowed.person.organisation_id
        assert shadowed.joined_on is not None
        assert teacher.joined_on is not None
        assert shadowed.joined_on < teacher.joined_on <= shadowing.on
        assert shadowing.recorded_by is not None
        assert set(shadowing.recorded_by.memberships.values_list("organisation", flat=True)) == {
            teacher.person.organisation_id
        }
    for interest in ExpressionOfInterest.objects.unscoped("test").select_related(
        "person__organisation"
    ):
        assert interest.person.organisation.kind == OrganisationKind.LOCAL_AUTHORITY
        assert hasattr(interest.person, "practitioner_teacher")
        assert interest.agreement_token_hash is None
        assert interest.answered_at is not None
        assert interest.submitted_at < interest.answered_at
    for entry in OutsideCpd.objects.unscoped("test").select_related("person"):
        assert hasattr(entry.person, "practice_educator")
        assert entry.done_on <= TODAY


@pytest.mark.django_db
def test_placement_evaluations_are_answered_only_about_placements_under_way_or_over() -> None:
    generate(scale=SCALES["tiny"], years=2, seed=13, today=TODAY)
    about_placements = Response.objects.filter(
        subject_type=ContentType.objects.get_for_model(Placement)
    ).select_related("person", "invitation__distribution", "version__questionnaire")

    assert about_placements
    placements = Placement.objects.unscoped("test").select_related(
        "student__person", "practice_educator__person", "organisation"
    )
    by_id = {placement.pk: placement for placement in placements}
    for response in about_placements:
        assert response.subject_id is not None
        placement = by_id[response.subject_id]
        assert placement.status in evaluation.EVALUATED_STATUSES
        asked = {person.pk for _who, person, _part in evaluation.people_of(placement)}
        assert response.person_id in asked
        assert response.invitation is not None
        assert response.invitation.used
        assert response.invitation.subject_id == placement.pk
        assert response.submitted_on <= TODAY
        sent = response.invitation.distribution.created_at
        assert response.submitted_on >= timezone.localdate(sent)
        assert placement.ends_on is not None
        assert response.submitted_on > placement.ends_on
        assert (
            response.version.questionnaire.partnership_id == placement.organisation.partnership_id
        )
        answered = {answer.question.code for answer in response.answers.select_related("question")}
        required = {
            q.code for q in questionnaire_services.questions_of(response.version) if q.required
        }
        assert required <= answered


@pytest.mark.django_db
def test_records_kept_during_placements_fit_their_placements() -> None:
    generate(scale=SCALES["tiny"], years=2, seed=14, today=TODAY)

    for week in AttendanceWeek.objects.unscoped("test").select_related("placement"):
        placement = week.placement
        assert placement.status in evaluation.EVALUATED_STATUSES
        assert placement.starts_on is not None
        assert placement.ends_on is not None
        assert placement.starts_on - datetime.timedelta(days=6) <= week.week_starting
        assert week.week_starting <= min(placement.ends_on, TODAY)
        if week.signed_off_at is not None:
            assert timezone.localdate(week.signed_off_at) <= TODAY
    for review in PlacementReview.objects.unscoped("test").select_related("placement"):
        assert review.held_on <= TODAY
        assert review.placement.placement_type != PlacementType.SHADOWING
    skills = SkillsDays.objects.unscoped("test").select_related("student")
    assert skills
    for record in skills:
        assert record.held_on <= TODAY
        assert Placement.objects.unscoped("test").filter(
            student=record.student,
            placement_type__in=[PlacementType.FIRST_70, PlacementType.FINAL_100],
            starts_on__gt=record.held_on,
            starts_on__lte=TODAY,
        )
    for preference in StudentPreference.objects.unscoped("test").select_related("window"):
        assert preference.window.opens_on <= timezone.localdate(preference.submitted_at)
        assert timezone.localdate(preference.submitted_at) <= min(
            preference.window.closes_on, TODAY
        )
        # ranked before the year's allocation run
        assert preference.window.closes_on < preference.window.academic_year.starts_on
    students = Student.objects.unscoped("test").exclude(stage=StudentStage.DONE)
    assert PreplacementCheck.objects.unscoped("test").count() == 3 * students.count()
    for unplaced in UnplacedStudent.objects.select_related("run"):
        assert (
            not Placement.objects.unscoped("test")
            .filter(student=unplaced.student_id, academic_year=unplaced.run.academic_year_id)
            .exclude(status=PlacementStatus.REQUESTED)
        )


@pytest.mark.django_db
def test_session_feedback_is_anonymous_and_about_a_delivered_session_of_its_university() -> None:
    generate(scale=SCALES["tiny"], years=2, seed=15, today=TODAY)
    feedback = Response.objects.filter(
        subject_type=ContentType.objects.get_for_model(TeachingSession)
    )

    assert feedback
    sessions = {s.pk: s for s in TeachingSession.objects.unscoped("test")}
    for response in feedback:
        assert response.subject_id is not None
        session = sessions[response.subject_id]
        assert response.person_id is None
        assert response.invitation_id is None
        assert session.status == SessionStatus.DELIVERED
        assert session.kind == SessionKind.TEACHING
        assert response.organisation_id == session.hei_id
        assert response.submitted_on == session.date


@pytest.mark.django_db
def test_a_manager_of_one_generated_partnership_sees_none_of_the_others_activity() -> None:
    generate(scale=TWO_PARTNERSHIPS, years=2, seed=16, today=TODAY)
    manager = (
        Membership.objects.unscoped("test")
        .filter(role=Role.PARTNERSHIP_MANAGER)
        .select_related("user", "organisation")
        .order_by("organisation__code")
        .first()
    )
    assert manager is not None
    own = manager.organisation.partnership_id

    user = manager.user
    seen: dict[str, list[int]] = {
        "sessions": list(
            TeachingSession.objects.visible_to(user).values_list("hei__partnership", flat=True)
        ),
        "applications": list(
            PeApplication.objects.visible_to(user).values_list(
                "organisation__partnership", flat=True
            )
        ),
        "attendance": list(
            AttendanceWeek.objects.visible_to(user).values_list(
                "placement__organisation__partnership", flat=True
            )
        ),
        "allocation runs": list(
            AllocationRun.objects.visible_to(user).values_list("partnership", flat=True)
        ),
        "CPD surveys": list(
            CpdNeedsSurvey.objects.visible_to(user).values_list("partnership", flat=True)
        ),
        "preferences": list(
            StudentPreference.objects.visible_to(user).values_list(
                "student__hei__partnership", flat=True
            )
        ),
        "shadowing": list(
            Shadowing.objects.visible_to(user).values_list(
                "practitioner_teacher__person__organisation__partnership", flat=True
            )
        ),
        "outside CPD": list(
            OutsideCpd.objects.visible_to(user).values_list(
                "person__organisation__partnership", flat=True
            )
        ),
    }
    for what, partnerships in seen.items():
        assert set(partnerships) == {own}, what
    # causes for concern: not the manager's (docs/0029) but the placement organisation's,
    # whose coordinator raised each
    concerns = CauseForConcern.objects.unscoped("test").select_related("placement", "raised_by")
    assert concerns
    for concern in concerns:
        assert concern.raised_by is not None
        theirs = CauseForConcern.objects.visible_to(concern.raised_by)
        assert set(theirs.values_list("placement__organisation", flat=True)) == {
            concern.placement.organisation_id
        }
