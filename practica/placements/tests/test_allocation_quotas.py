"""Quotas per university (docs/0028-allocation-runs.md, "Quotas"): recorded by the providing
organisation's coordinators or the partnership manager, read by every allocation run of the
year, and named when one leaves a student unplaced."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts.models import Role, User
from practica.core.models import Organisation, Partnership
from practica.core.services import ensure_academic_year
from practica.organisations.tests.factories import (
    LocationFactory,
    OrganisationFactory,
    PartnershipFactory,
    TeamFactory,
    member,
)
from practica.placements.allocation_models import AllocationRun, PlacementQuota, RunStatus
from practica.placements.allocation_runs import build_run
from practica.placements.models import PlacementOffer, PlacementStatus, Student, StudentStage
from practica.placements.runs import services
from practica.placements.tests.factories import (
    PlacementFactory,
    PlacementOfferFactory,
    StudentFactory,
    year_2019,
)

pytestmark = pytest.mark.django_db


def open_offer(provider: Organisation, slots: int = 2) -> PlacementOffer:
    location = provider.locations.filter(name="Dover").first() or LocationFactory.create(
        organisation=provider, name="Dover"
    )
    team = TeamFactory.create(organisation=provider, location=location)
    return PlacementOfferFactory.create(
        organisation=provider, team=team, location=location, slots=slots, routes=[]
    )


def students(hei: Organisation, *refs: str) -> list[Student]:
    return [
        StudentFactory.create(
            hei=hei, student_ref=ref, stage=StudentStage.FINAL_100, home_location="Dover"
        )
        for ref in refs
    ]


def quota(
    hei: Organisation, provider: Organisation | None, limit: int, **fields: Any
) -> PlacementQuota:
    return services.save_quota(
        actor=None,
        partnership=hei.partnership,
        hei=hei,
        provider=provider,
        academic_year=fields.pop("academic_year", None) or year_2019(),
        limit=limit,
        **fields,
    )


# --- recording quotas ---------------------------------------------------------------------------


def test_a_quota_is_recorded_with_its_history(org_a: Organisation, org_b: Organisation) -> None:
    recorded = quota(org_b, org_a, 3)
    assert recorded.sentence() == (
        "At most 3 of Beta University's students placed with Alpha Council in 2019/20"
    )
    assert recorded.history.count() == 1


def test_a_second_quota_for_the_same_university_provider_and_year_is_refused(
    org_a: Organisation, org_b: Organisation
) -> None:
    quota(org_b, org_a, 3)
    with pytest.raises(ValidationError, match="already a quota for this university"):
        quota(org_b, org_a, 5)
    quota(org_b, None, 5)  # with any provider: another quota
    with pytest.raises(ValidationError, match="with any providing organisation"):
        quota(org_b, None, 6)


def test_a_quota_names_a_university_and_a_provider_of_the_partnership_and_no_negative_limit(
    org_a: Organisation, org_b: Organisation
) -> None:
    elsewhere = OrganisationFactory.create(
        partnership=PartnershipFactory.create(name="Elsewhere"), kind="hei"
    )
    with pytest.raises(ValidationError, match="university of your partnership"):
        services.save_quota(
            actor=None,
            partnership=org_b.partnership,
            hei=elsewhere,
            provider=org_a,
            academic_year=year_2019(),
            limit=1,
        )
    with pytest.raises(ValidationError, match="providing organisation of your partnership"):
        quota(org_b, org_b, 1)
    with pytest.raises(ValidationError, match="0 or more"):
        quota(org_b, org_a, -1)


# --- the allocation keeps them ------------------------------------------------------------------


def test_a_quota_of_one_places_one_student_and_names_the_quota_for_the_other(
    org_a: Organisation, org_b: Organisation
) -> None:
    open_offer(org_a, slots=2)
    students(org_b, "B1", "B2")
    quota(org_b, org_a, 1)

    run = build_run(year=year_2019(), partnership=org_b.partnership)

    assert run.result.objective.placed == 1
    (unplaced,) = run.result.unplaced
    assert unplaced.binding == "quota"
    assert unplaced.reason == "the quota of 1 for Beta University with Alpha Council is full"
    assert run.result.optimal


def test_placements_held_already_count_against_the_quota(
    org_a: Organisation, org_b: Organisation
) -> None:
    offer = open_offer(org_a, slots=3)
    (held,) = students(org_b, "P1")
    PlacementFactory.create(
        student=held, organisation=org_a, offer=offer, status=PlacementStatus.MATCHED
    )
    students(org_b, "B1", "B2")
    quota(org_b, None, 2)

    run = build_run(year=year_2019())

    assert run.result.objective.placed == 1
    assert run.quotas == (
        "At most 2 of Beta University's students placed with any providing organisation in "
        "2019/20; 1 placed before this run",
    )


def test_a_run_reads_only_the_quotas_of_its_year_scope_and_partnership(
    org_a: Organisation, org_b: Organisation, other_hei: Organisation
) -> None:
    open_offer(org_a, slots=4)
    students(org_b, "B1", "B2")
    students(other_hei, "C1", "C2")
    quota(org_b, org_a, 1)
    quota(other_hei, None, 0)
    quota(org_b, None, 0, academic_year=ensure_academic_year(start_year=2020))
    other = PartnershipFactory.create(name="Elsewhere")
    stranger = OrganisationFactory.create(partnership=other, kind="hei")
    quota(stranger, None, 0)

    for_b = build_run(year=year_2019(), organisation=org_b, partnership=org_b.partnership)
    assert [q.limit for q in for_b.problem.quotas] == [1]
    whole = build_run(year=year_2019(), partnership=org_b.partnership)
    assert sorted(q.limit for q in whole.problem.quotas) == [0, 1]
    assert whole.result.objective.placed == 1


def test_a_run_page_says_which_quota_left_a_student_unplaced(
    client: Client,
    org_a: Organisation,
    org_b: Organisation,
    charlie: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    open_offer(org_a, slots=2)
    students(org_b, "B1", "B2")
    quota(org_b, org_a, 1)
    client.force_login(charlie)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("placements:allocation-list"), {"academic_year": year_2019().pk}
        )
    run = AllocationRun.objects.unscoped("test").get(pk=response["Location"].split("/")[-2])

    assert run.status == RunStatus.FINISHED
    assert (run.placed, run.unplaced) == (1, 1)
    unplaced = run.unplaced_students.get()
    assert unplaced.binding == "quota"
    page = client.get(run.get_absolute_url()).content.decode()
    assert "The quota of 1 for Beta University with Alpha Council is full" in page
    assert (
        "Quota: At most 1 of Beta University&#x27;s students placed with Alpha Council in "
        "2019/20; 0 placed before this run" in page
    )


def test_practica_allocate_keeps_the_quotas(org_a: Organisation, org_b: Organisation) -> None:
    open_offer(org_a, slots=2)
    students(org_b, "B1", "B2")
    quota(org_b, org_a, 1)
    out = StringIO()

    call_command("allocate", "--year", "2019/20", "--dry-run", "--format", "json", stdout=out)

    data = json.loads(out.getvalue())
    assert data["objective"]["placed"] == 1
    assert data["unplaced"][0]["binding"] == "quota"
    assert "quota of 1 for Beta University" in data["unplaced"][0]["reason"]


# --- the pages ----------------------------------------------------------------------------------


def test_a_providers_coordinator_adds_a_quota_with_their_own_organisation(
    client: Client, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    client.force_login(alice)
    form = client.get(reverse("placements:quota-create")).content.decode()
    assert "Placed with" not in form  # the provider is their own organisation

    response = client.post(
        reverse("placements:quota-create"),
        {"academic_year": year_2019().pk, "hei": org_b.pk, "limit": 2},
    )

    assert response.status_code == 302
    saved = PlacementQuota.objects.unscoped("test").get()
    assert (saved.hei, saved.provider, saved.limit) == (org_b, org_a, 2)
    listed = client.get(response["Location"]).content.decode()
    assert "Beta University" in listed
    assert "Alpha Council" in listed


def test_the_form_says_when_the_quota_exists_already(
    client: Client, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    quota(org_b, org_a, 3)
    client.force_login(alice)
    response = client.post(
        reverse("placements:quota-create"),
        {"academic_year": year_2019().pk, "hei": org_b.pk, "limit": 2},
    )
    assert response.status_code == 200
    assert "There is already a quota for this university" in response.content.decode()
    response = client.post(
        reverse("placements:quota-create"),
        {"academic_year": year_2019().pk, "hei": org_b.pk, "limit": -1},
    )
    assert "Enter how many students, 0 or more." in response.content.decode()


def test_the_partnership_manager_adds_a_quota_with_any_provider_and_changes_it(
    client: Client, manager: User, org_b: Organisation
) -> None:
    client.force_login(manager)
    client.post(
        reverse("placements:quota-create"),
        {"academic_year": year_2019().pk, "hei": org_b.pk, "provider": "", "limit": 4},
    )
    saved = PlacementQuota.objects.unscoped("test").get()
    assert saved.provider is None

    response = client.post(
        reverse("placements:quota-edit", args=[saved.pk]),
        {"academic_year": year_2019().pk, "hei": org_b.pk, "provider": "", "limit": 5},
    )

    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.limit == 5
    assert saved.history.count() == 2


def test_a_quota_is_removed_after_asking(
    client: Client, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    saved = quota(org_b, org_a, 3)
    client.force_login(alice)
    url = reverse("placements:quota-remove", args=[saved.pk])
    assert "Remove the quota" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not PlacementQuota.objects.unscoped("test").exists()


def test_a_universitys_coordinator_reads_its_quotas_but_changes_none(
    client: Client, charlie: User, org_a: Organisation, org_b: Organisation
) -> None:
    saved = quota(org_b, org_a, 3)
    client.force_login(charlie)
    page = client.get(reverse("placements:quota-list")).content.decode()
    assert "Alpha Council" in page
    assert "Add a quota" not in page
    assert reverse("placements:quota-edit", args=[saved.pk]) not in page
    assert client.get(reverse("placements:quota-edit", args=[saved.pk])).status_code == 404


def test_another_providers_coordinator_cannot_see_or_change_the_quota(
    client: Client, org_a: Organisation, org_b: Organisation, partnership: Partnership
) -> None:
    saved = quota(org_b, org_a, 3)
    other = OrganisationFactory.create(partnership=partnership, name="Other Council")
    client.force_login(member(Role.COORDINATOR, other))
    assert "Alpha Council" not in client.get(reverse("placements:quota-list")).content.decode()
    for name in ("placements:quota-edit", "placements:quota-remove"):
        assert client.post(reverse(name, args=[saved.pk])).status_code == 404
    assert PlacementQuota.objects.unscoped("test").get().limit == 3
