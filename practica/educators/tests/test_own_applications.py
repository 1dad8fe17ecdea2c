"""A practitioner's own expression of interest: who may apply, what is sent, what they see."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts import permissions
from practica.accounts.models import Role, User
from practica.core.models import Organisation, Person
from practica.educators.models import ApplicationScore, PeApplication
from practica.educators.recruitment import selectors, services
from practica.educators.rules import APPLY
from practica.educators.tests.factories import (
    PeApplicationFactory,
    PracticeEducatorFactory,
    SelectionCriterionFactory,
    person_with_login,
)
from practica.organisations.tests.factories import PersonFactory

FORM = {
    "statement": "I have supervised two shadowing students and want to take a placement.",
    "line_manager_name": "Lin Manager",
    "line_manager_email": "lin.manager@example.test",
}


@pytest.fixture
def practitioner(org_a: Organisation) -> Person:
    return person_with_login(Role.PRACTITIONER_TEACHER, org_a, first_name="Pat")


def submit(person: Person, **changes: object) -> PeApplication:
    assert person.user is not None
    fields = {**FORM, "stage": 1, **changes}
    return services.submit_own_pe_application(actor=person.user, applicant=person, **fields)  # type: ignore[arg-type]  # the test passes the form's fields through


# --- who may apply ------------------------------------------------------------------------


def test_a_practitioner_with_a_person_record_may_apply(practitioner: Person) -> None:
    assert practitioner.user is not None
    found = permissions.person_acting_for_self(practitioner.user, APPLY, PeApplication)
    assert found == practitioner


def test_a_coordinator_applies_through_nobody_but_records_applications(alice: User) -> None:
    assert not permissions.can_in(alice, APPLY, PeApplication)


def test_a_role_in_another_organisation_does_not_let_someone_apply(
    org_a: Organisation, org_b: Organisation
) -> None:
    """The role must be held in the organisation of the person record: that organisation
    receives the application."""
    person = person_with_login(Role.ACADEMIC, org_b)
    assert person.user is not None
    from practica.organisations.tests.factories import MembershipFactory

    MembershipFactory.create(user=person.user, organisation=org_a, role=Role.PRACTICE_EDUCATOR)
    assert permissions.person_acting_for_self(person.user, APPLY, PeApplication) is None


def test_a_user_without_a_person_record_cannot_apply(bob: User) -> None:
    assert permissions.person_acting_for_self(bob, APPLY, PeApplication) is None


def test_the_stage_follows_from_the_register(org_a: Organisation) -> None:
    newcomer = PersonFactory.create(organisation=org_a)
    stage1 = PracticeEducatorFactory.create(person__organisation=org_a, stage1=True)
    stage2 = PracticeEducatorFactory.create(person__organisation=org_a)
    assert selectors.stage_to_apply_for(newcomer) == 1
    assert selectors.stage_to_apply_for(stage1.person) == 2
    assert selectors.stage_to_apply_for(stage2.person) is None


# --- the service --------------------------------------------------------------------------


def test_applying_records_the_application_and_emails_the_line_manager_after_commit(
    practitioner: Person, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        application = submit(practitioner)
    assert application.organisation == practitioner.organisation
    assert application.support_token_hash
    assert [m.to for m in mail.outbox] == [["lin.manager@example.test"]]
    assert "/educators/support/" in mail.outbox[0].body
    assert application.history.first().history_user == practitioner.user


def test_an_applicant_cannot_name_themselves_as_line_manager(practitioner: Person) -> None:
    with pytest.raises(ValidationError, match="not your own"):
        submit(practitioner, line_manager_email=practitioner.email.upper())
    assert not PeApplication.objects.unscoped("test").exists()


def test_an_empty_statement_is_refused(practitioner: Person) -> None:
    with pytest.raises(ValidationError, match="Write your statement"):
        submit(practitioner, statement="   ")


def test_a_second_open_application_is_refused(practitioner: Person) -> None:
    submit(practitioner)
    with pytest.raises(ValidationError, match="already has an open application"):
        submit(practitioner)
    assert PeApplication.objects.unscoped("test").count() == 1


def test_the_applicant_rewrites_their_statement_and_the_link_still_works(
    practitioner: Person,
) -> None:
    application = submit(practitioner)
    token_hash = application.support_token_hash
    assert practitioner.user is not None
    services.update_own_pe_statement(
        actor=practitioner.user, application=application, statement="A better statement."
    )
    application.refresh_from_db()
    assert application.statement == "A better statement."
    assert application.support_token_hash == token_hash


def test_the_statement_cannot_change_after_the_decision(practitioner: Person, alice: User) -> None:
    application = submit(practitioner)
    services.decide_pe_application(
        actor=alice, application=application, decision="rejected", feedback_letter="Not now."
    )
    assert practitioner.user is not None
    with pytest.raises(ValidationError, match="decision has been made"):
        services.update_own_pe_statement(
            actor=practitioner.user, application=application, statement="Changed"
        )


# --- the pages ----------------------------------------------------------------------------


def test_a_practitioner_applies_and_the_coordinator_sees_it(
    client: Client, practitioner: Person, alice: User
) -> None:
    assert practitioner.user is not None
    client.force_login(practitioner.user)
    page = client.get(reverse("educators:apply")).content.decode()
    assert "PEPS Stage 1" in page
    response = client.post(reverse("educators:apply"), FORM)
    application = PeApplication.objects.unscoped("test").get()
    assert response["Location"] == reverse("educators:my-application", args=[application.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for the line manager" in page
    assert "What happens next" in page

    client.force_login(alice)
    listing = client.get(reverse("educators:application-list")).content.decode()
    assert practitioner.full_name in listing


def test_a_bad_address_is_refused_and_nothing_is_lost(client: Client, practitioner: Person) -> None:
    assert practitioner.user is not None
    client.force_login(practitioner.user)
    response = client.post(reverse("educators:apply"), {**FORM, "line_manager_email": "lin@"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter an e-mail address like name@example.org" in page
    assert FORM["statement"] in page  # what they wrote is still there
    assert not PeApplication.objects.unscoped("test").exists()


def test_the_service_refusal_shows_on_the_page(client: Client, practitioner: Person) -> None:
    assert practitioner.user is not None
    client.force_login(practitioner.user)
    response = client.post(
        reverse("educators:apply"), {**FORM, "line_manager_email": practitioner.email}
    )
    assert "not your own" in response.content.decode()
    assert not PeApplication.objects.unscoped("test").exists()


def test_the_apply_page_explains_a_missing_person_record(client: Client, bob: User) -> None:
    client.force_login(bob)
    page = client.get(reverse("educators:apply")).content.decode()
    assert "not linked to a person record" in page
    assert 'name="statement"' not in page


def test_the_apply_page_points_to_an_open_application(client: Client, practitioner: Person) -> None:
    application = submit(practitioner)
    assert practitioner.user is not None
    client.force_login(practitioner.user)
    page = client.get(reverse("educators:apply")).content.decode()
    assert "already have an open application" in page
    assert reverse("educators:my-application", args=[application.pk]) in page


def test_a_stage_2_practice_educator_is_told_there_is_nothing_to_apply_for(
    client: Client, org_a: Organisation
) -> None:
    educator = PracticeEducatorFactory.create(
        person=person_with_login(Role.PRACTICE_EDUCATOR, org_a)
    )
    assert educator.person.user is not None
    client.force_login(educator.person.user)
    page = client.get(reverse("educators:apply")).content.decode()
    assert "already hold PEPS Stage 2" in page


def test_my_applications_lists_only_my_own(
    client: Client, practitioner: Person, org_a: Organisation
) -> None:
    mine = submit(practitioner)
    other = PeApplicationFactory.create(organisation=org_a)
    assert practitioner.user is not None
    assert list(selectors.own_applications_of(practitioner.user)) == [mine]
    client.force_login(practitioner.user)
    page = client.get(reverse("educators:my-applications")).content.decode()
    assert reverse("educators:my-application", args=[mine.pk]) in page
    assert reverse("educators:my-application", args=[other.pk]) not in page
    own_page = reverse("educators:my-application", args=[other.pk])
    assert client.get(own_page).status_code == 404
    # nor does applying open the coordinators' pages
    detail = reverse("educators:application-detail", args=[mine.pk])
    assert client.get(detail).status_code == 404


def test_my_applications_offers_to_apply_only_to_those_who_may(
    client: Client, practitioner: Person, alice: User
) -> None:
    assert practitioner.user is not None
    client.force_login(practitioner.user)
    assert (
        reverse("educators:apply")
        in client.get(reverse("educators:my-applications")).content.decode()
    )
    client.force_login(alice)
    page = client.get(reverse("educators:my-applications")).content.decode()
    assert reverse("educators:apply") not in page
    assert "You have not applied" in page


def test_the_applicant_sees_neither_scores_nor_comments(
    client: Client, practitioner: Person, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    application = submit(practitioner)
    services.set_selection_panel(
        actor=alice,
        application=application,
        members=[PersonFactory.create(organisation=org_b)],
    )
    services.schedule_panel_interview(
        actor=alice, application=application, interview_at=timezone.now()
    )
    criterion = SelectionCriterionFactory.create(organisation=org_a)
    services.record_application_scores(
        actor=alice, application=application, scores={criterion: (2, "Hesitant on theory")}
    )
    assert ApplicationScore.objects.unscoped("test").exists()
    assert practitioner.user is not None
    client.force_login(practitioner.user)
    url = reverse("educators:my-application", args=[application.pk])
    page = client.get(url).content.decode()
    assert "Arranged" in page
    assert "Hesitant on theory" not in page
    assert criterion.title not in page

    services.decide_pe_application(
        actor=alice, application=application, decision="rejected", feedback_letter="Apply again."
    )
    page = client.get(url).content.decode()
    assert "Not accepted" in page
    assert "Apply again." in page
    assert "Hesitant on theory" not in page


def test_the_applicant_changes_their_statement_on_its_page(
    client: Client, practitioner: Person
) -> None:
    application = submit(practitioner)
    assert practitioner.user is not None
    client.force_login(practitioner.user)
    url = reverse("educators:my-application-statement", args=[application.pk])
    response = client.post(url, {"statement": ""})
    assert "Enter your written statement" in response.content.decode()
    response = client.post(url, {"statement": "Rewritten."})
    assert response["Location"] == reverse("educators:my-application", args=[application.pk])
    application.refresh_from_db()
    assert application.statement == "Rewritten."


def test_changing_the_statement_after_the_decision_is_refused_on_the_page(
    client: Client, practitioner: Person, alice: User
) -> None:
    application = submit(practitioner)
    services.decide_pe_application(
        actor=alice, application=application, decision="rejected", feedback_letter="Not now."
    )
    assert practitioner.user is not None
    client.force_login(practitioner.user)
    url = reverse("educators:my-application-statement", args=[application.pk])
    response = client.post(url, {"statement": "Changed"})
    assert "decision has been made" in response.content.decode()
    application.refresh_from_db()
    assert application.statement == FORM["statement"]


def test_an_applicant_whose_memberships_ended_sees_nothing(practitioner: Person) -> None:
    submit(practitioner)
    assert practitioner.user is not None
    practitioner.user.memberships.update(is_active=False)
    permissions.forget(practitioner.user)
    assert not selectors.own_applications_of(practitioner.user).exists()
