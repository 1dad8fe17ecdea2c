"""Setting up a time audit by hand, as the ``time-audits`` import does: a coordinator starts an
audit run by the organisation they act for, enrols practice educators one by one (each linked to
their placement of the audit's type and year when there is one) and takes out one who has logged
no week; nobody else may."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from practica.accounts.models import Role
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.organisations.tests.factories import OrganisationFactory, PersonFactory, member
from practica.placements.tests.factories import PlacementFactory, year_2019
from practica.timeaudit.models import AuditEnrolment, TimeAudit
from practica.timeaudit.tests.factories import (
    AuditEnrolmentFactory,
    TimeAuditFactory,
    TimeLogFactory,
)

pytestmark = pytest.mark.django_db


def test_a_coordinator_starts_an_audit_run_by_their_organisation(client: Client) -> None:
    organisation = OrganisationFactory.create()
    client.force_login(member(Role.COORDINATOR, organisation))
    form = {
        "name": "PE time audit 2019",
        "academic_year": year_2019().pk,
        "placement_type": "final_100",
    }

    response = client.post(reverse("timeaudit:audit-create"), form)

    audit = TimeAudit.objects.unscoped("test").get()
    assert response["Location"] == reverse("timeaudit:audit-detail", args=[audit.pk])
    assert (audit.name, audit.organisation, audit.academic_year.label) == (
        "PE time audit 2019",
        organisation,
        "2019/20",
    )
    again = client.post(reverse("timeaudit:audit-create"), {**form, "name": "pe TIME audit 2019"})
    assert again.status_code == 200
    assert "already runs a time audit of this name" in again.text
    assert TimeAudit.objects.unscoped("test").count() == 1


def test_the_partnership_manager_reads_audits_but_starts_none(client: Client) -> None:
    client.force_login(member(Role.PARTNERSHIP_MANAGER, OrganisationFactory.create()))
    assert "Start a time audit" not in client.get(reverse("timeaudit:audit-list")).text
    assert client.get(reverse("timeaudit:audit-create")).status_code == 403


def test_an_educator_enrolled_by_hand_is_linked_to_their_placement_of_that_type_and_year(
    client: Client,
) -> None:
    audit = TimeAuditFactory.create(name="PE time audit")
    educator = PracticeEducatorFactory.create(person__organisation=audit.organisation)
    placement = PlacementFactory.create(
        confirmed=True, organisation=audit.organisation, practice_educator=educator
    )
    PlacementFactory.create(  # their first placement, of another type: not the audit's
        confirmed=True,
        organisation=audit.organisation,
        practice_educator=educator,
        placement_type="first_70",
        days=70,
    )
    without = PracticeEducatorFactory.create(person__organisation=audit.organisation)
    client.force_login(member(Role.COORDINATOR, audit.organisation))
    url = reverse("timeaudit:enrolment-add", args=[audit.pk])

    client.post(url, {"practice_educator": educator.pk})
    response = client.post(url, {"practice_educator": without.pk}, follow=True)

    enrolments = {e.practice_educator: e for e in AuditEnrolment.objects.unscoped("test")}
    assert enrolments[educator].placement == placement
    assert enrolments[without].placement is None
    assert (
        "not linked to a placement: they have no final placement (100 days) of 2019/20"
        in response.text
    )
    # an enrolled educator is no longer offered, and cannot be enrolled twice
    page = client.get(url)
    assert educator.person.full_name not in page.text
    refused = client.post(url, {"practice_educator": educator.pk})
    assert refused.status_code == 200
    assert AuditEnrolment.objects.unscoped("test").count() == 2


def test_only_educators_of_the_audits_partnership_the_coordinator_sees_are_offered(
    client: Client,
) -> None:
    audit = TimeAuditFactory.create()
    ours = PracticeEducatorFactory.create(person__organisation=audit.organisation)
    elsewhere = PracticeEducatorFactory.create(person=PersonFactory.create())
    client.force_login(member(Role.COORDINATOR, audit.organisation))
    url = reverse("timeaudit:enrolment-add", args=[audit.pk])

    page = client.get(url)

    assert ours.person.full_name in page.text
    assert elsewhere.person.full_name not in page.text
    assert client.post(url, {"practice_educator": elsewhere.pk}).status_code == 200
    assert not AuditEnrolment.objects.unscoped("test").exists()


def test_coordinators_of_another_organisation_cannot_enrol_or_remove(client: Client) -> None:
    enrolment = AuditEnrolmentFactory.create()
    other = OrganisationFactory.create(partnership=enrolment.audit.organisation.partnership)
    client.force_login(member(Role.COORDINATOR, other))
    add = reverse("timeaudit:enrolment-add", args=[enrolment.audit.pk])
    assert client.get(add).status_code == 404
    remove = reverse("timeaudit:enrolment-remove", args=[enrolment.pk])
    assert client.post(remove).status_code == 404
    assert AuditEnrolment.objects.unscoped("test").count() == 1


def test_an_enrolment_without_logged_weeks_is_removed_and_one_with_them_stays(
    client: Client,
) -> None:
    unlogged = AuditEnrolmentFactory.create()
    logged = AuditEnrolmentFactory.create(audit=unlogged.audit)
    TimeLogFactory.create(enrolment=logged)
    client.force_login(member(Role.COORDINATOR, unlogged.audit.organisation))
    detail = client.get(reverse("timeaudit:audit-detail", args=[unlogged.audit.pk]))
    assert detail.text.count("govuk-button--warning") == 1  # only the unlogged one's button

    client.post(reverse("timeaudit:enrolment-remove", args=[unlogged.pk]))
    refused = client.post(reverse("timeaudit:enrolment-remove", args=[logged.pk]), follow=True)

    assert list(AuditEnrolment.objects.unscoped("test")) == [logged]
    assert "has logged 1 week: an enrolment with logged weeks stays in the audit" in refused.text
    assert client.get(reverse("timeaudit:enrolment-remove", args=[logged.pk])).status_code == 405
