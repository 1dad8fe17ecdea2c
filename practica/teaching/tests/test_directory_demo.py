"""The demo directories match the case study (seeds/000) and load once."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from practica.demo.data import load_demo
from practica.reports.registry import get_report, parse_params, run_report
from practica.teaching.directory import readiness, selectors
from practica.teaching.models import (
    LivedExperienceContributor,
    PractitionerDiversity,
    PractitionerStatus,
    PractitionerTeacher,
)


@pytest.mark.django_db
def test_the_demo_directories_hold_the_case_studys_pools_and_load_once() -> None:
    load_demo()
    teachers = PractitionerTeacher.objects.unscoped("test")
    contributors = LivedExperienceContributor.objects.unscoped("test")
    counts = (teachers.count(), contributors.count())

    assert teachers.count() > 40  # "over 40 practitioner teachers across all service areas"
    for code in ("MC", "KCC"):
        assert teachers.filter(person__organisation__code=code).count() >= 15
    areas = set(teachers.values_list("person__team__service_area__code", flat=True))
    assert {"childrens", "adults", "mental_health"} <= areas
    assert teachers.filter(status=PractitionerStatus.IN_TRAINING).exists()
    assert teachers.filter(status=PractitionerStatus.ACTIVE).count() >= 20
    users = get_user_model().objects
    tom = teachers.get(person__user__email="teacher@demo.practica.test")
    assert not readiness.steps_of(tom).ready  # the demo practitioner teacher is in training
    for code in ("CCCU", "UOK"):
        assert contributors.filter(hei__code=code).count() >= 8
    coordinator = users.get(email="coordinator.cccu@demo.practica.test")
    listed = selectors.contributors_visible_to(coordinator)
    assert 0 < listed.count() < contributors.filter(hei__code="CCCU").count()  # one withdrew
    la_coordinator = users.get(email="coordinator.mc@demo.practica.test")
    assert 0 < selectors.contributors_visible_to(la_coordinator).count() < contributors.count() - 2
    overdue = selectors.reviews_overdue_visible_to(la_coordinator, today=tom.reviewed_on)  # type: ignore[arg-type]
    assert overdue.exists()

    load_demo()
    assert (teachers.count(), contributors.count()) == counts


@pytest.mark.django_db
def test_the_demo_diversity_report_shows_counts_and_suppresses_small_ones() -> None:
    """Practitioner teachers of both local authorities answered the monitoring questions
    themselves, with consent: the report has figures, some hidden as small numbers."""
    load_demo()
    answered = PractitionerDiversity.objects.unscoped("test").filter(withdrawn_on__isnull=True)
    assert all(a.practitioner_teacher.person.user_id for a in answered)  # their own answers
    report = get_report("pt-directory-diversity")
    manager = get_user_model().objects.get(email="manager@demo.practica.test")

    rows = run_report(report, manager, parse_params(report, {})).as_json()["rows"]

    assert {row["organisation"] for row in rows} == {
        "Medway Council",
        "Kent County Council",
        "All local authorities",
    }
    shown = [row["practitioner_teachers"] for row in rows if row["practitioner_teachers"]]
    assert shown
    assert all(isinstance(count, int) and count >= 5 for count in shown)
    assert any(row["hidden"] == "fewer than 5" for row in rows)
