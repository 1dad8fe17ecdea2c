"""Entering the second factor after the password: an authenticator code, or a recovery code
that then stops working; wrong codes are refused, recorded for the audit, and django-otp makes
each next try wait."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from practica.accounts.models import User
from practica.accounts.tests.conftest import SignIn
from practica.core.models import AuditAction, AuditEvent
from practica.organisations.tests.factories import next_code, with_two_factor

VERIFY = reverse("accounts:two-factor-verify")


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_right_code_lets_the_user_on_to_where_they_were_going(
    signed_in: SignIn, alice: User
) -> None:
    device, _codes = with_two_factor(alice)
    client = signed_in(alice)
    response = client.post(VERIFY, {"code": next_code(device), "next": "/educators/"})
    assert response.status_code == 302
    assert response["Location"] == "/educators/"
    assert client.get("/educators/").status_code == 200


def test_verifying_gives_the_session_a_new_key(signed_in: SignIn, alice: User) -> None:
    device, _codes = with_two_factor(alice)
    client = signed_in(alice)
    before = client.session.session_key
    client.post(VERIFY, {"code": next_code(device)})
    assert client.session.session_key != before


def test_a_wrong_code_is_refused_with_a_clear_message(signed_in: SignIn, alice: User) -> None:
    device, _codes = with_two_factor(alice)
    client = signed_in(alice)
    response = client.post(VERIFY, {"code": _wrong(next_code(device))})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The code is not right" in page
    assert client.get("/").status_code == 302


def test_codes_right_after_a_wrong_one_wait_their_turn(
    signed_in: SignIn, alice: User, settings: Settings
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # 60 s, not 1 s, after the first wrong code
    device, _codes = with_two_factor(alice)
    client = signed_in(alice)
    client.post(VERIFY, {"code": _wrong(next_code(device))})
    response = client.post(VERIFY, {"code": next_code(device)})
    page = response.content.decode()
    assert re.search(r"Too many wrong codes\. Wait \d+ seconds?, then try again\.", page)
    assert client.get("/").status_code == 302
    # a try while waiting is not checked, so it neither counts nor uses the code up
    assert TOTPDevice.objects.get(user=alice).throttling_failure_count == 1


def test_wrong_recovery_codes_wait_their_turn_too(
    signed_in: SignIn, alice: User, settings: Settings
) -> None:
    """Guessing recovery codes instead of authenticator codes is slowed down the same way."""
    settings.OTP_STATIC_THROTTLE_FACTOR = 60
    _device, codes = with_two_factor(alice)
    client = signed_in(alice)
    client.post(VERIFY, {"code": "notacode1"})
    response = client.post(VERIFY, {"code": codes[0]})
    assert re.search(
        r"Too many wrong codes\. Wait \d+ seconds?, then try again\.", response.content.decode()
    )
    assert client.get("/").status_code == 302
    assert StaticDevice.objects.get(user=alice).throttling_failure_count == 1


def wrong_code_events(user: User) -> list[tuple[str, str]]:
    return [
        (event.what, event.address)
        for event in AuditEvent.objects.unscoped("the test reads every event").filter(
            action=AuditAction.SECOND_FACTOR_FAILED, user=user
        )
    ]


def test_a_wrong_code_is_recorded_for_the_audit_with_the_address_never_the_code(
    signed_in: SignIn, alice: User
) -> None:
    device, _codes = with_two_factor(alice)
    client = signed_in(alice)
    wrong = _wrong(next_code(device))
    client.post(VERIFY, {"code": wrong}, REMOTE_ADDR="198.51.100.7")
    assert wrong_code_events(alice) == [("Wrong code: an authenticator code", "198.51.100.7")]
    stored = " ".join(
        f"{e.what} {e.address}"
        for e in AuditEvent.objects.unscoped("the test reads every event").all()
    )
    assert wrong not in stored


def test_a_wrong_recovery_code_is_recorded_as_one(signed_in: SignIn, alice: User) -> None:
    with_two_factor(alice)
    signed_in(alice).post(VERIFY, {"code": "notacode1"}, REMOTE_ADDR="198.51.100.7")
    assert wrong_code_events(alice) == [("Wrong code: a recovery code", "198.51.100.7")]
    assert "notacode1" not in str(wrong_code_events(alice))


def test_a_right_code_records_no_wrong_code(signed_in: SignIn, alice: User) -> None:
    device, codes = with_two_factor(alice)
    client = signed_in(alice)
    assert client.post(VERIFY, {"code": next_code(device)}).status_code == 302
    client.post(reverse("accounts:logout"))
    assert signed_in(alice).post(VERIFY, {"code": codes[0]}).status_code == 302
    assert wrong_code_events(alice) == []


def test_a_recovery_code_works_once(client: Client, signed_in: SignIn, alice: User) -> None:
    _device, codes = with_two_factor(alice)
    response = signed_in(alice).post(VERIFY, {"code": codes[0].upper()}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "You used a recovery code; 9 left." in response.content.decode()
    client.post(reverse("accounts:logout"))
    response = signed_in(alice).post(VERIFY, {"code": codes[0]})
    assert "The code is not right" in response.content.decode()


def test_an_authenticator_code_works_once(client: Client, signed_in: SignIn, alice: User) -> None:
    device, _codes = with_two_factor(alice)
    code = next_code(device)
    signed_in(alice).post(VERIFY, {"code": code})
    client.post(reverse("accounts:logout"))
    response = signed_in(alice).post(VERIFY, {"code": code})
    assert "The code is not right" in response.content.decode()


def test_a_user_without_two_factor_is_sent_on(signed_in: SignIn, bob: User) -> None:
    response = signed_in(bob).get(f"{VERIFY}?next=/educators/")
    assert response["Location"] == "/educators/"


@pytest.mark.usefixtures("mfa_required")
def test_a_password_reset_does_not_skip_the_code(client: Client, alice: User) -> None:
    with_two_factor(alice)
    client.post(reverse("accounts:password-reset"), {"email": alice.email})
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/\S+/)", str(mail.outbox[0].body))
    assert link
    form_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    new = "brand new passphrase 42"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    assert client.get("/").status_code == 302  # the reset signs nobody in
    response = client.post(
        reverse("accounts:login"), {"username": alice.email, "password": new}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"{VERIFY}?next=/"
    assert "Enter your code" in response.content.decode()
