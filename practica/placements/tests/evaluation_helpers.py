"""Placements to evaluate, and answers to send, for the placement evaluation tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from practica.accounts.models import Role, User
from practica.core.models import Organisation
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.organisations.tests.factories import PersonFactory, TeamFactory, member
from practica.placements.models import Placement, PlacementStatus, Route
from practica.placements.tests.factories import PlacementFactory, StudentFactory
from practica.questionnaires import services
from practica.questionnaires.models import Invitation, QuestionnaireVersion, QuestionType


def completed_placement(
    provider: Organisation,
    hei: Organisation,
    *,
    route: str = Route.BA,
    team: Any = None,
    supervisor: bool = False,
) -> Placement:
    """A completed final placement of ``hei``'s student with ``provider``, with a practice
    educator (and an on-site supervisor if asked), everyone with an e-mail address."""
    student = StudentFactory.create(hei=hei, route=route)
    educator = PracticeEducatorFactory.create(person=PersonFactory.create(organisation=provider))
    return PlacementFactory.create(
        student=student,
        organisation=provider,
        team=team or TeamFactory.create(organisation=provider),
        status=PlacementStatus.COMPLETED,
        starts_on=datetime.date(2020, 1, 6),
        ends_on=datetime.date(2020, 6, 5),
        practice_educator=educator,
        onsite_supervisor=PersonFactory.create(organisation=provider) if supervisor else None,
    )


def answers(version: QuestionnaireVersion, scale: str = "4", yes: str = "yes") -> dict[str, Any]:
    """An answer to every question: ``scale`` on every scale, ``yes`` to yes-or-no questions."""
    given: dict[str, Any] = {}
    for question in services.questions_of(version):
        options = [value for value, _label in question.options()]
        if question.type == QuestionType.LIKERT:
            given[question.code] = scale
        elif question.type == QuestionType.YES_NO:
            given[question.code] = yes
        elif question.type == QuestionType.SINGLE:
            given[question.code] = options[0]
        elif question.type == QuestionType.MULTIPLE:
            given[question.code] = [options[0]]
        elif question.type == QuestionType.NUMBER:
            given[question.code] = "5"
        else:
            given[question.code] = "Fine."
    return given


def answer(invitation: Invitation, scale: str = "4", yes: str = "yes") -> None:
    services.submit_response(
        invitation=invitation, answers=answers(invitation.distribution.version, scale, yes)
    )


@dataclass
class People:
    la_coordinator: User
    other_la_coordinator: User
    hei_coordinator: User
    hei_academic: User
    manager: User


def people(la: Organisation, other_la: Organisation, hei: Organisation) -> People:
    return People(
        member(Role.COORDINATOR, la),
        member(Role.COORDINATOR, other_la),
        member(Role.COORDINATOR, hei),
        member(Role.ACADEMIC, hei),
        member(Role.PARTNERSHIP_MANAGER, la),
    )
