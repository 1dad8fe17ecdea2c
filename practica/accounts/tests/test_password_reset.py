import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from practica.accounts.models import User


def test_password_reset_sends_a_link_that_sets_a_new_password(client: Client, alice: User) -> None:
    client.post(reverse("accounts:password-reset"), {"email": alice.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/\S+/)", str(mail.outbox[0].body))
    assert link
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "brand new passphrase 42", "new_password2": "brand new passphrase 42"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand new passphrase 42")


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client: Client, db: None) -> None:
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_tampered_reset_link_is_refused(client: Client, alice: User) -> None:
    response = client.get(reverse("accounts:password-reset-confirm", args=["MQ", "set-password"]))
    assert "This link has expired or been used" in response.content.decode()
