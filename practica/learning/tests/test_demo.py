"""The demo's events, attendance and CPD-needs survey."""

from __future__ import annotations

import pytest

from practica.demo.data import load_demo
from practica.learning.events.models import Event, EventKind, Registration
from practica.learning.surveys.models import CpdNeedsRating, CpdNeedsResponse, CpdNeedsSurvey

MODELS = (Event, Registration, CpdNeedsSurvey, CpdNeedsResponse, CpdNeedsRating)


@pytest.mark.django_db
def test_a_second_load_adds_nothing() -> None:
    load_demo()
    counts = [model._base_manager.count() for model in MODELS]
    histories = [model.history.count() for model in MODELS]
    load_demo()
    assert [model._base_manager.count() for model in MODELS] == counts
    assert [model.history.count() for model in MODELS] == histories


@pytest.mark.django_db
def test_the_demo_has_the_2019_20_forums_workshops_survey_and_a_full_upcoming_event() -> None:
    load_demo()
    forums = Event.objects.unscoped("test").filter(
        kind=EventKind.JOINT_PE_FORUM, starts_at__year__lt=2021
    )
    assert [(e.starts_at.month, e.theme) for e in forums.order_by("starts_at")] == [
        (11, "Reflective supervision"),
        (2, "BAME students' issues, struggling and failing students, unconscious bias"),
    ]
    for forum in forums:
        kinds = {forum.organisation.kind} | {o.kind for o in forum.co_facilitators.all()}
        assert kinds == {"local_authority", "hei"}
        assert forum.registrations.filter(attended="yes").count() >= 40
    workshops = (
        Event.objects.unscoped("test").filter(kind=EventKind.PT_WORKSHOP).order_by("starts_at")
    )
    assert [w.starts_at.strftime("%Y-%m") for w in workshops] == ["2019-09", "2019-10", "2020-01"]
    survey = CpdNeedsSurvey.objects.unscoped("test").get()
    assert survey.academic_year.label == "2019/20"
    assert survey.responses.count() >= 30
    assert survey.responses.filter(person__user__email="pe@demo.practica.test").exists()
    full = Event.objects.unscoped("test").get(title="Writing the final placement report")
    assert not full.has_started
    assert full.registrations.filter(status="registered").count() == full.capacity
    assert full.registrations.filter(status="waitlisted").exists()
