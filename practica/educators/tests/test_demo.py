"""The demo register matches the case study (seeds/002) and loads once."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.utils import timezone

from practica.accounts.permissions import OPERATOR
from practica.demo.data import load_demo
from practica.educators.models import (
    PeApplication,
    PepsCohort,
    PepsEnrolment,
    PracticeEducator,
    PracticeEducatorActivity,
    SelectionCriterion,
)
from practica.educators.register.selectors import educators_visible_to

MODELS = (
    PracticeEducator,
    PracticeEducatorActivity,
    PepsCohort,
    PepsEnrolment,
    PeApplication,
    SelectionCriterion,
)


def stage2_share(code: str) -> float:
    register = PracticeEducator.objects.unscoped("test").filter(person__organisation__code=code)
    return register.filter(peps_stage="stage2").count() / register.count()


@pytest.mark.django_db
def test_the_demo_register_has_the_case_studys_figures_and_obeys_the_rules() -> None:
    load_demo()
    medway = PracticeEducator.objects.unscoped("test").filter(person__organisation__code="MC")
    kent = PracticeEducator.objects.unscoped("test").filter(person__organisation__code="KCC")
    assert medway.count() == 59
    assert stage2_share("MC") > 0.6
    assert not medway.filter(independent=True).exists()
    assert kent.count() > 200
    assert 0.7 < stage2_share("KCC") < 0.8
    assert 1 <= kent.filter(independent=True).count() <= 10

    cohorts = {
        (c.organisation.code, c.academic_year.label, c.stage): c.n
        for c in PepsCohort.objects.unscoped("test")
        .select_related("organisation", "academic_year")
        .annotate(n=Count("enrolments"))
    }
    assert cohorts[("MC", "2019/20", 1)] == 10
    assert cohorts[("MC", "2019/20", 2)] == 8
    assert cohorts[("MC", "2018/19", 1)] + cohorts[("MC", "2018/19", 2)] == 14
    assert cohorts[("KCC", "2018/19", 1)] == 47
    assert cohorts[("KCC", "2018/19", 2)] == 22
    assert cohorts[("KCC", "2019/20", 1)] == 33
    assert cohorts[("KCC", "2019/20", 2)] == 28

    statuses = set(
        educators_visible_to(OPERATOR, today=timezone.localdate()).values_list(
            "currency_status", flat=True
        )
    )
    assert {"current", "lapsing", "lapsed"} <= statuses
    assert set(PeApplication.objects.unscoped("test").values_list("decision", flat=True)) == {
        "",
        "accepted",
        "rejected",
    }
    assert (
        PracticeEducator.objects.unscoped("test")
        .filter(person__user__email="pe@demo.practica.test")
        .exists()
    )

    # the register is bulk-loaded: it must obey the same rules as the services
    for model in (PracticeEducator, PracticeEducatorActivity, PepsEnrolment):
        for record in model._base_manager.all():
            record.full_clean()


@pytest.mark.django_db
def test_loading_the_demo_twice_adds_nothing() -> None:
    load_demo()
    counts = [model._base_manager.count() for model in MODELS]
    load_demo()
    assert [model._base_manager.count() for model in MODELS] == counts


@pytest.mark.django_db
def test_the_demo_teacher_has_applied_and_the_demo_academic_sits_on_the_panel() -> None:
    from practica.accounts.models import User
    from practica.educators.recruitment.selectors import own_applications_of, panels_of

    load_demo()
    teacher = User.objects.get(email="teacher@demo.practica.test")
    academic = User.objects.get(email="academic@demo.practica.test")
    (application,) = own_applications_of(teacher)
    assert application.decision == ""
    assert application.interview_at is not None
    assert application in panels_of(academic)
    assert application.organisation.code == "KCC"
