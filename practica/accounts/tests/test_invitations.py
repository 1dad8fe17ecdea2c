from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts import services
from practica.accounts.models import Invitation, Membership, Role, User
from practica.core.models import Organisation


def test_coordinator_invites_and_the_email_carries_a_single_use_link(
    client: Client,
    alice: User,
    org_a: Organisation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation-create"),
            {"email": "New.Person@Example.test", "role": Role.PRACTICE_EDUCATOR},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.unscoped("test").get()
    assert invitation.email == "new.person@example.test"
    assert invitation.organisation == org_a
    assert len(mail.outbox) == 1
    assert "/accounts/invitations/accept/" in mail.outbox[0].body


def test_the_token_is_stored_only_as_a_hash(org_a: Organisation, alice: User) -> None:
    invitation, token = services.invite(
        actor=alice, organisation=org_a, email="x@example.test", role="student", send=False
    )
    assert len(token) >= 43  # 32 random bytes, 256 bits
    assert token not in invitation.token_hash


def test_accepting_creates_the_user_with_the_role_and_signs_in(
    client: Client, org_a: Organisation, alice: User
) -> None:
    _invitation, token = services.invite(
        actor=alice, organisation=org_a, email="new@example.test", role="student", send=False
    )
    url = reverse("accounts:invitation-accept", args=[token])
    page = client.get(url)
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cache-Control"] == "no-store"
    response = client.post(
        url, {"first_name": "Nia", "last_name": "Okoro", "password": "a long enough passphrase"}
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.test")
    assert (
        Membership.objects.unscoped("test")
        .filter(user=user, organisation=org_a, role="student")
        .exists()
    )
    assert client.get(reverse("home")).status_code == 200
    # single use
    assert client.get(url).status_code == 404


def test_a_weak_password_is_refused_and_nothing_is_created(
    client: Client, org_a: Organisation, alice: User
) -> None:
    _invitation, token = services.invite(
        actor=alice, organisation=org_a, email="new@example.test", role="student", send=False
    )
    response = client.post(
        reverse("accounts:invitation-accept", args=[token]),
        {"first_name": "Nia", "last_name": "Okoro", "password": "password"},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not User.objects.filter(email="new@example.test").exists()
    assert Invitation.objects.unscoped("test").get().accepted_at is None


def test_an_expired_invitation_does_not_work(
    client: Client, org_a: Organisation, alice: User
) -> None:
    invitation, token = services.invite(
        actor=alice, organisation=org_a, email="new@example.test", role="student", send=False
    )
    Invitation.objects.unscoped("test").filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert client.get(reverse("accounts:invitation-accept", args=[token])).status_code == 404


def test_an_unknown_token_gets_404(client: Client, db: None) -> None:
    assert client.get(reverse("accounts:invitation-accept", args=["nope"])).status_code == 404


def test_a_second_waiting_invitation_for_the_same_role_is_refused(
    org_a: Organisation, alice: User
) -> None:
    services.invite(
        actor=alice, organisation=org_a, email="x@example.test", role="student", send=False
    )
    with pytest.raises(ValidationError, match="already has an invitation waiting"):
        services.invite(
            actor=alice, organisation=org_a, email="X@example.test", role="student", send=False
        )
    assert Invitation.objects.unscoped("test").count() == 1


def test_an_unknown_role_is_refused(org_a: Organisation, alice: User) -> None:
    with pytest.raises(ValidationError, match="is not a role"):
        services.invite(
            actor=alice, organisation=org_a, email="x@example.test", role="boss", send=False
        )


def test_an_existing_user_gains_the_role_in_the_new_organisation(
    org_b: Organisation, charlie: User, alice: User
) -> None:
    invitation, _ = services.invite(
        actor=charlie, organisation=org_b, email=alice.email, role="academic", send=False
    )
    services.accept_invitation_signed_in(invitation=invitation, user=alice)
    assert set(alice.memberships.values_list("organisation__code", "role")) == {
        ("AAA", "coordinator"),
        ("BBB", "academic"),
    }


def test_invitation_list_shows_only_own_organisation(
    client: Client, alice: User, charlie: User, org_a: Organisation, org_b: Organisation
) -> None:
    services.invite(
        actor=alice, organisation=org_a, email="ours@example.test", role="student", send=False
    )
    services.invite(
        actor=charlie, organisation=org_b, email="theirs@example.test", role="student", send=False
    )
    client.force_login(alice)
    page = client.get(reverse("accounts:invitation-list")).content.decode()
    assert "ours@example.test" in page
    assert "theirs@example.test" not in page


def test_a_coordinator_cannot_invite_a_partnership_manager(
    org_a: Organisation, alice: User
) -> None:
    with pytest.raises(ValidationError, match="Only a partnership manager can give"):
        services.invite(
            actor=alice,
            organisation=org_a,
            email="boss@example.test",
            role="partnership_manager",
            send=False,
        )
    assert not Invitation.objects.unscoped("test").exists()


def test_the_invite_form_does_not_offer_partnership_manager_to_a_coordinator(
    client: Client, alice: User
) -> None:
    client.force_login(alice)
    page = client.get(reverse("accounts:invitation-create")).content.decode()
    assert 'value="coordinator"' in page
    assert 'value="partnership_manager"' not in page
    response = client.post(
        reverse("accounts:invitation-create"),
        {"email": "boss@example.test", "role": "partnership_manager"},
    )
    assert response.status_code == 200
    assert not Invitation.objects.unscoped("test").exists()


def test_a_coordinator_cannot_grant_roles_in_another_organisation(
    alice: User, org_b: Organisation
) -> None:
    with pytest.raises(ValidationError, match="You cannot give roles in Beta University"):
        services.grant_membership(actor=alice, user=alice, organisation=org_b, role="coordinator")
    assert not Membership.objects.unscoped("test").filter(organisation=org_b).exists()


def test_an_empty_invitation_form_says_what_to_enter(client: Client, alice: User) -> None:
    client.force_login(alice)
    page = client.post(reverse("accounts:invitation-create"), {}).content.decode()
    assert "Enter the e-mail address" in page
    assert "Select the role" in page
