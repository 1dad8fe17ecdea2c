"""Recruitment and selection: application, panel with an HEI member, scores, decision."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from practica.accounts.models import Role, User
from practica.core.models import Organisation
from practica.educators.models import (
    Outcome,
    PeApplication,
    PepsCohort,
    PepsStage,
    PracticeEducator,
)
from practica.educators.recruitment import services
from practica.educators.tests.factories import (
    PeApplicationFactory,
    PepsCohortFactory,
    PracticeEducatorFactory,
    SelectionCriterionFactory,
)
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    member,
)

DECIDED_ON = datetime.date(2020, 2, 10)  # academic year 2019/20: training starts in 2020/21


def ready_application(org_a: Organisation, org_b: Organisation, **fields: object) -> PeApplication:
    """An application with support, an HEI panel member, an interview and every score."""
    application = PeApplicationFactory.create(organisation=org_a, **fields)
    application.line_manager_supports = True
    application.support_given_at = timezone.now()
    application.save()
    hei_academic = PersonFactory.create(organisation=org_b)
    services.set_selection_panel(
        actor=None,
        application=application,
        members=[PersonFactory.create(organisation=org_a), hei_academic],
    )
    services.schedule_panel_interview(
        actor=None, application=application, interview_at=timezone.now()
    )
    criteria = [SelectionCriterionFactory.create(organisation=org_a) for _ in range(2)]
    services.record_application_scores(
        actor=None, application=application, scores=dict.fromkeys(criteria, (4, "Good"))
    )
    return application


def test_a_stage_2_application_needs_stage_1(org_a: Organisation) -> None:
    person = PersonFactory.create(organisation=org_a)
    with pytest.raises(ValidationError, match="needs PEPS Stage 1 before applying for Stage 2"):
        services.create_pe_application(
            actor=None,
            applicant=person,
            stage=2,
            statement="…",
            line_manager_name="Lin",
            line_manager_email="lin@example.test",
        )


def test_someone_with_stage_1_applies_for_stage_2_not_1(org_a: Organisation) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a, stage1=True)
    with pytest.raises(ValidationError, match="already holds PEPS Stage 1"):
        services.create_pe_application(
            actor=None,
            applicant=educator.person,
            stage=1,
            statement="…",
            line_manager_name="Lin",
            line_manager_email="lin@example.test",
        )


def test_a_second_open_application_for_the_same_stage_is_refused(org_a: Organisation) -> None:
    application = PeApplicationFactory.create(organisation=org_a)
    with pytest.raises(ValidationError, match="already has an open application"):
        services.create_pe_application(
            actor=None,
            applicant=application.applicant,
            stage=1,
            statement="Again",
            line_manager_name="Lin",
            line_manager_email="lin@example.test",
        )


def test_a_panel_without_a_university_member_is_refused(org_a: Organisation) -> None:
    application = PeApplicationFactory.create(organisation=org_a)
    with pytest.raises(ValidationError, match="at least one member from a university"):
        services.set_selection_panel(
            actor=None,
            application=application,
            members=[PersonFactory.create(organisation=org_a)],
        )
    assert not application.panel_members.exists()


def test_a_panel_member_from_outside_the_partnership_is_refused(
    org_a: Organisation, org_b: Organisation
) -> None:
    application = PeApplicationFactory.create(organisation=org_a)
    elsewhere = OrganisationFactory.create(
        partnership=PartnershipFactory.create(name="Elsewhere"), kind="hei"
    )
    with pytest.raises(ValidationError, match="is not in the teaching partnership"):
        services.set_selection_panel(
            actor=None,
            application=application,
            members=[
                PersonFactory.create(organisation=org_b),
                PersonFactory.create(organisation=elsewhere),
            ],
        )


def test_changing_the_panel_replaces_its_members(org_a: Organisation, org_b: Organisation) -> None:
    application = PeApplicationFactory.create(organisation=org_a)
    first, second = PersonFactory.create_batch(2, organisation=org_b)
    services.set_selection_panel(actor=None, application=application, members=[first])
    services.set_selection_panel(actor=None, application=application, members=[second])
    assert list(application.panel_members.values_list("person", flat=True)) == [second.pk]


def test_the_interview_waits_for_the_panel(org_a: Organisation) -> None:
    application = PeApplicationFactory.create(organisation=org_a)
    with pytest.raises(ValidationError, match="Choose the selection panel first"):
        services.schedule_panel_interview(
            actor=None, application=application, interview_at=timezone.now()
        )


def test_a_score_above_the_criterion_maximum_is_refused(
    org_a: Organisation, org_b: Organisation
) -> None:
    application = ready_application(org_a, org_b)
    criterion = SelectionCriterionFactory.create(organisation=org_a, max_score=5)
    with pytest.raises(ValidationError, match=r"highest score for .* is 5"):
        services.record_application_scores(
            actor=None, application=application, scores={criterion: (6, "")}
        )
    assert not application.scores.filter(criterion=criterion).exists()


def test_another_organisations_criterion_is_refused(
    org_a: Organisation, org_b: Organisation
) -> None:
    application = ready_application(org_a, org_b)
    theirs = SelectionCriterionFactory.create(organisation=org_b)
    with pytest.raises(ValidationError, match="organisation's own criteria"):
        services.record_application_scores(
            actor=None, application=application, scores={theirs: (1, "")}
        )


def test_accepting_enrols_the_applicant_in_next_years_cohort(
    alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    application = ready_application(org_a, org_b)
    services.decide_pe_application(
        actor=alice,
        application=application,
        decision="accepted",
        feedback_letter="Congratulations.",
        today=DECIDED_ON,
    )
    application.refresh_from_db()
    enrolment = application.enrolment
    assert enrolment is not None
    assert enrolment.cohort.academic_year.label == "2020/21"
    assert (enrolment.cohort.stage, enrolment.cohort.organisation) == (1, org_a)
    assert enrolment.outcome == Outcome.ENROLLED
    educator = PracticeEducator.objects.unscoped("test").get(person=application.applicant)
    assert educator.peps_stage == PepsStage.STAGE1_TRAINING


def test_accepting_uses_the_existing_cohort(
    alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    cohort = PepsCohortFactory.create(organisation=org_a, academic_year__start_year=2020, stage=1)
    application = ready_application(org_a, org_b)
    services.decide_pe_application(
        actor=alice,
        application=application,
        decision="accepted",
        feedback_letter="Welcome.",
        today=DECIDED_ON,
    )
    assert PepsCohort.objects.unscoped("test").count() == 1
    assert cohort.enrolments.count() == 1


def test_accepting_without_the_line_managers_support_is_refused(
    alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    application = ready_application(org_a, org_b)
    application.line_manager_supports = False
    application.save()
    with pytest.raises(ValidationError, match="without the line manager's support"):
        services.decide_pe_application(
            actor=alice, application=application, decision="accepted", feedback_letter="…"
        )
    application.refresh_from_db()
    assert application.decision == ""
    assert not PepsCohort.objects.unscoped("test").exists()


def test_accepting_needs_a_score_for_every_criterion(
    alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    application = ready_application(org_a, org_b)
    SelectionCriterionFactory.create(organisation=org_a, title="Reflective practice")
    with pytest.raises(ValidationError, match="a score against every published criterion"):
        services.decide_pe_application(
            actor=alice, application=application, decision="accepted", feedback_letter="…"
        )


def test_turning_down_needs_only_the_feedback_letter(alice: User, org_a: Organisation) -> None:
    application = PeApplicationFactory.create(organisation=org_a)
    with pytest.raises(ValidationError, match="Write the feedback letter"):
        services.decide_pe_application(
            actor=alice, application=application, decision="rejected", feedback_letter=" "
        )
    services.decide_pe_application(
        actor=alice,
        application=application,
        decision="rejected",
        feedback_letter="Thank you; please reapply next year.",
    )
    application.refresh_from_db()
    assert (application.decision, application.decided_by) == ("rejected", alice)
    assert application.enrolment is None


def test_a_decision_is_final(alice: User, org_a: Organisation) -> None:
    application = PeApplicationFactory.create(organisation=org_a)
    services.decide_pe_application(
        actor=alice, application=application, decision="rejected", feedback_letter="No."
    )
    with pytest.raises(ValidationError, match="A decision has been made"):
        services.decide_pe_application(
            actor=alice, application=application, decision="accepted", feedback_letter="Yes."
        )
    with pytest.raises(ValidationError, match="A decision has been made"):
        services.update_pe_application(
            actor=alice,
            application=application,
            statement="Changed",
            line_manager_name="X",
            line_manager_email="x@example.test",
        )


def test_the_panel_offers_hei_staff_of_the_partnership_only(
    org_a: Organisation, org_b: Organisation
) -> None:
    from practica.educators.recruitment.selectors import panel_candidates_for

    application = PeApplicationFactory.create(organisation=org_a)
    academic = member(Role.ACADEMIC, org_b)
    academic_person = PersonFactory.create(organisation=org_b, user=academic)
    student = PersonFactory.create(organisation=org_b)
    elsewhere = OrganisationFactory.create(
        partnership=PartnershipFactory.create(name="Elsewhere"), kind="hei"
    )
    outsider = PersonFactory.create(organisation=elsewhere, user=member(Role.ACADEMIC, elsewhere))
    candidates = set(panel_candidates_for(application))
    assert academic_person in candidates
    assert application.applicant in candidates
    assert student not in candidates
    assert outsider not in candidates
