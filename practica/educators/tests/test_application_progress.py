"""One ApplicationProgress decides where an application stands: the services refuse exactly the
steps the coordinator's task list does not offer, in every state an application can be in."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.educators.recruitment import services
from practica.educators.recruitment.models import (
    ApplicationScore,
    PeApplication,
    SelectionCriterion,
)
from practica.educators.recruitment.progress import (
    ApplicationProgress,
    Step,
    Support,
    progress_of,
)
from practica.educators.recruitment.tasklist import (
    CANNOT_START,
    COMPLETED,
    NOT_SUPPORTED,
    applicant_steps_for,
    task_list_for,
)
from practica.educators.tests.factories import (
    PanelMemberFactory,
    PeApplicationFactory,
    SelectionCriterionFactory,
)
from practica.organisations.tests.factories import PersonFactory

WRITTEN = "Written application"
SUPPORT = "Line manager's support"
PANEL = "Selection panel"
INTERVIEW = "Panel interview"
SCORES = "Scores against the published criteria"
DECISION = "Decision and feedback letter"
# the task each step's page opens from
TASKS = {
    Step.WRITTEN: WRITTEN,
    Step.PANEL: PANEL,
    Step.INTERVIEW: INTERVIEW,
    Step.SCORES: SCORES,
    Step.DECISION: DECISION,
}


# --- every combination of the value itself -----------------------------------------------


def every_progress() -> list[ApplicationProgress]:
    return [
        ApplicationProgress(
            support=support,
            panel_size=panel_size,
            panel_has_hei=has_hei,
            interview_set=interview,
            criteria=criteria,
            scored=scored,
            decided=decided,
            letter_emailed=decided,
        )
        for support, (panel_size, has_hei), interview, (criteria, scored), decided in (
            itertools.product(
                Support,
                [(0, False), (2, False), (2, True)],
                [False, True],
                [(0, 0), (2, 0), (2, 1), (2, 2)],
                [False, True],
            )
        )
    ]


def _refuses(check: Callable[[], None]) -> bool:
    try:
        check()
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize("progress", every_progress(), ids=str)
def test_a_task_links_to_its_step_exactly_when_the_guard_lets_it_through(
    progress: ApplicationProgress,
) -> None:
    application = PeApplication(pk=1, line_manager_name="Lin", line_manager_email="l@x.test")
    tasks = {task.title: task for task in task_list_for(application, progress)}
    for step, title in TASKS.items():
        offered = tasks[title].url is not None
        assert offered != _refuses(partial(progress.check, step)), step
    # "cannot start yet" is what a step waits for (once decided too)
    assert (tasks[INTERVIEW].status == CANNOT_START) == (
        progress.waits_for(Step.INTERVIEW) is not None and not progress.interview_set
    )
    assert (tasks[SCORES].status == CANNOT_START) == (progress.waits_for(Step.SCORES) is not None)
    earlier_done = all(
        tasks[title].status == COMPLETED for title in (SUPPORT, PANEL, INTERVIEW, SCORES)
    )
    assert _refuses(progress.check_acceptance) != (earlier_done and not progress.decided)
    assert progress.may_accept == (earlier_done and not progress.decided)


@pytest.mark.parametrize("progress", every_progress(), ids=str)
def test_the_applicant_may_change_their_statement_while_the_guard_allows(
    progress: ApplicationProgress,
) -> None:
    application = PeApplication(pk=1, line_manager_name="Lin", line_manager_email="l@x.test")
    statement = applicant_steps_for(application, progress)[0]
    assert (statement.url is not None) == progress.may_take(Step.WRITTEN)
    assert (statement.url is not None) != _refuses(lambda: progress.check(Step.WRITTEN))


# --- real applications, through the services --------------------------------------------

SUPPORTS = ["not requested", "waiting", "supports", "does not support"]
PANELS = ["none", "without a university member", "with a university member"]
SCORED = ["none", "some", "all"]


def _application_in(
    org_a: Organisation,
    org_b: Organisation,
    *,
    support: str,
    panel: str,
    interview: bool,
    scored: str,
) -> tuple[PeApplication, list[SelectionCriterion]]:
    """An application in this state, written straight to the records (as an import may leave
    it), so that no service's guard decides which states exist."""
    now = timezone.now()
    application = PeApplicationFactory.create(organisation=org_a)
    if support == "waiting":
        application.support_token_hash = f"hash-{application.pk}"
        application.support_requested_at = now
        application.support_expires_at = now + datetime.timedelta(days=21)
    elif support != "not requested":
        application.line_manager_supports = support == "supports"
        application.line_manager_statement = "Statement."
        application.support_given_at = now
    if interview:
        application.interview_at = now
    application.save()
    if panel != "none":
        PanelMemberFactory.create(
            application=application, person=PersonFactory.create(organisation=org_a)
        )
    if panel == "with a university member":
        PanelMemberFactory.create(
            application=application, person=PersonFactory.create(organisation=org_b)
        )
    criteria = [SelectionCriterionFactory.create(organisation=org_a) for _ in range(2)]
    for criterion in criteria[: {"none": 0, "some": 1, "all": 2}[scored]]:
        ApplicationScore(application=application, criterion=criterion, score=3).save()
    return application, criteria


def _refused(attempt: Callable[[], Any]) -> bool:
    """Whether the service refuses; what it would have written is rolled back."""

    class UndoError(Exception):
        pass

    try:
        with transaction.atomic():
            attempt()
            raise UndoError
    except ValidationError:
        return True
    except UndoError:
        return False


def _attempts(
    application: PeApplication,
    criteria: list[SelectionCriterion],
    org_b: Organisation,
    alice: User,
) -> dict[str, Callable[[], Any]]:
    """Each step's service, with input it accepts, so only the application's state can stop it."""
    university_member = PersonFactory.create(organisation=org_b)
    return {
        WRITTEN: lambda: services.update_pe_application(
            actor=alice,
            application=application,
            statement="A new statement.",
            line_manager_name=application.line_manager_name,
            line_manager_email=application.line_manager_email,
        ),
        PANEL: lambda: services.set_selection_panel(
            actor=alice, application=application, members=[university_member]
        ),
        INTERVIEW: lambda: services.schedule_panel_interview(
            actor=alice, application=application, interview_at=timezone.now()
        ),
        SCORES: lambda: services.record_application_scores(
            actor=alice, application=application, scores={criteria[0]: (2, "")}
        ),
        DECISION: lambda: services.decide_pe_application(
            actor=alice, application=application, decision="rejected", feedback_letter="Thanks."
        ),
    }


@pytest.mark.parametrize(
    ("support", "panel", "interview", "scored"),
    list(itertools.product(SUPPORTS, PANELS, [False, True], SCORED)),
)
def test_the_services_refuse_exactly_the_steps_the_task_list_does_not_offer(
    alice: User,
    org_a: Organisation,
    org_b: Organisation,
    support: str,
    panel: str,
    interview: bool,
    scored: str,
) -> None:
    application, criteria = _application_in(
        org_a, org_b, support=support, panel=panel, interview=interview, scored=scored
    )
    progress = progress_of(application)
    tasks = {task.title: task for task in task_list_for(application, progress)}
    for title, attempt in _attempts(application, criteria, org_b, alice).items():
        assert _refused(attempt) == (tasks[title].url is None), title
    asked = lambda: services.request_line_manager_support(  # noqa: E731
        actor=alice, application=application, send=False
    )
    assert _refused(asked) == (not progress.may_request_support)
    assert progress.may_request_support == (tasks[SUPPORT].status not in {COMPLETED, NOT_SUPPORTED})
    earlier_done = all(
        tasks[title].status == COMPLETED for title in (SUPPORT, PANEL, INTERVIEW, SCORES)
    )
    accept = lambda: services.decide_pe_application(  # noqa: E731
        actor=alice, application=application, decision="accepted", feedback_letter="Welcome."
    )
    assert _refused(accept) == (not earlier_done)


@pytest.mark.parametrize("decision", ["accepted", "rejected"])
def test_after_the_decision_every_step_is_refused_and_none_is_offered(
    alice: User, org_a: Organisation, org_b: Organisation, decision: str
) -> None:
    application, criteria = _application_in(
        org_a,
        org_b,
        support="supports",
        panel="with a university member",
        interview=True,
        scored="all",
    )
    services.decide_pe_application(
        actor=alice, application=application, decision=decision, feedback_letter="Our decision."
    )
    application.refresh_from_db()
    progress = progress_of(application)
    tasks = task_list_for(application, progress)
    assert [task.url for task in tasks] == [None] * len(tasks)
    for title, attempt in _attempts(application, criteria, org_b, alice).items():
        assert _refused(attempt), title
    assert not progress.may_request_support


def test_progress_takes_two_queries_whatever_the_panel_and_criteria(
    org_a: Organisation, org_b: Organisation, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    application, _criteria = _application_in(
        org_a,
        org_b,
        support="supports",
        panel="with a university member",
        interview=True,
        scored="all",
    )
    for _ in range(4):
        PanelMemberFactory.create(
            application=application, person=PersonFactory.create(organisation=org_b)
        )
        SelectionCriterionFactory.create(organisation=org_a)
    with django_assert_num_queries(2):
        progress = progress_of(application)
    assert (progress.panel_size, progress.panel_has_hei) == (6, True)
    assert (progress.criteria, progress.scored, progress.all_scored) == (6, 2, False)


def test_an_expired_link_counts_as_not_requested(org_a: Organisation) -> None:
    application = PeApplicationFactory.create(organisation=org_a)
    application.support_expires_at = timezone.now() - datetime.timedelta(minutes=1)
    assert progress_of(application).support is Support.NOT_REQUESTED
    application.support_expires_at = timezone.now() + datetime.timedelta(minutes=1)
    assert progress_of(application).support is Support.WAITING


def test_a_panel_without_a_university_member_waits_for_one_before_the_interview(
    alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    application, _criteria = _application_in(
        org_a,
        org_b,
        support="supports",
        panel="without a university member",
        interview=False,
        scored="none",
    )
    with pytest.raises(ValidationError, match="Add a member from a university"):
        services.schedule_panel_interview(
            actor=alice, application=application, interview_at=timezone.now()
        )
