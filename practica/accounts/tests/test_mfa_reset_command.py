"""`practica mfa-reset EMAIL`: a lost phone; the devices go, the history says who, and the user
sets it up again at their next sign-in."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from practica.accounts.models import User
from practica.accounts.tests.conftest import SignIn
from practica.organisations.tests.factories import with_two_factor


def _reset(email: str) -> str:
    out = io.StringIO()
    call_command("mfa-reset", email, stdout=out)
    return out.getvalue()


@pytest.mark.usefixtures("mfa_required")
def test_it_removes_the_devices_and_the_user_sets_it_up_again(
    signed_in: SignIn, alice: User
) -> None:
    with_two_factor(alice)
    output = _reset("ALICE@example.test")
    assert "Two-factor authentication reset for alice@example.test" in output
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not StaticDevice.objects.filter(user=alice).exists()
    response = signed_in(alice).get("/")
    assert response["Location"].startswith(reverse("accounts:two-factor-setup"))


def test_it_is_recorded_in_the_users_history_as_the_command_lines(alice: User) -> None:
    with_two_factor(alice)
    _reset(alice.email)
    alice.refresh_from_db()
    record = alice.history.first()
    assert record.history_change_reason == "Two-factor authentication reset"
    assert record.history_user is None  # the command line
    assert alice.two_factor_since is None


def test_a_user_without_two_factor_is_told_there_was_nothing_to_remove(bob: User) -> None:
    assert "nothing to remove" in _reset(bob.email)


def test_an_unknown_address_is_one_sentence_and_exit_code_2(db: None) -> None:
    with pytest.raises(CommandError) as error:
        _reset("nobody@example.test")
    assert str(error.value) == "There is no user with the e-mail address nobody@example.test."
    assert error.value.returncode == 2
