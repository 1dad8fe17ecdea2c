"""What a practice educator's navigation offers: their CPD record, and applications only while
there is a stage left to apply for."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from practica.accounts.models import Role, User
from practica.core.models import Organisation
from practica.educators.models import PepsStage
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.organisations.tests.factories import member


def _pe_user(org: Organisation, stage: str, email: str) -> User:
    user = member(Role.PRACTICE_EDUCATOR, org, email=email)
    educator = PracticeEducatorFactory.create(
        person__organisation=org, person__email=email, stage1=stage == PepsStage.STAGE1
    )
    assert educator.peps_stage == stage
    educator.person.user = user
    educator.person.save()
    return user


def _navigation(client: Client) -> list[str]:
    """The sections the navigation offers (in the menu, or in its group's sub navigation)."""
    return [item.label for item in client.get(reverse("home")).context["nav_sections"]]


def test_a_practice_educator_finds_their_cpd_record_in_the_navigation(
    client: Client, org_a: Organisation
) -> None:
    client.force_login(_pe_user(org_a, PepsStage.STAGE1, "pe1@example.test"))
    assert "My CPD record" in _navigation(client)


def test_a_coordinator_not_on_the_register_has_no_cpd_record_link(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    assert "My CPD record" not in _navigation(client)


def test_a_stage_2_practice_educator_is_not_offered_applications(
    client: Client, org_a: Organisation
) -> None:
    client.force_login(_pe_user(org_a, PepsStage.STAGE2, "pe2@example.test"))
    assert "My applications" not in _navigation(client)
    page = client.get(reverse("educators:my-applications")).content.decode()
    assert "Apply to be a practice educator" not in page


def test_a_stage_1_practice_educator_is_offered_stage_2(
    client: Client, org_a: Organisation
) -> None:
    client.force_login(_pe_user(org_a, PepsStage.STAGE1, "pe1b@example.test"))
    assert "My applications" in _navigation(client)
