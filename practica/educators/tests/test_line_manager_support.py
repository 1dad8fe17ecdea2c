"""The line manager's support link (SECURITY.md §6): random, hashed, in the path, expiring,
single use, not cached and not leaked through the referrer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts.models import User, hash_token
from practica.core.models import Organisation
from practica.educators.models import PeApplication
from practica.educators.recruitment import services
from practica.educators.tests.factories import PeApplicationFactory


@pytest.fixture
def application(org_a: Organisation) -> PeApplication:
    return PeApplicationFactory.create(
        organisation=org_a, line_manager_name="Lin Manager", line_manager_email="lin@example.test"
    )


def test_the_link_is_emailed_to_the_line_manager_after_commit(
    client: Client,
    alice: User,
    application: PeApplication,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("educators:application-request-support", args=[application.pk])
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lin@example.test"]
    assert "/educators/support/" in mail.outbox[0].body


def test_the_token_has_256_bits_and_is_stored_only_as_a_hash(application: PeApplication) -> None:
    token = services.request_line_manager_support(actor=None, application=application, send=False)
    application.refresh_from_db()
    assert len(token) >= 43
    assert application.support_token_hash == hash_token(token)
    assert token not in application.support_token_hash
    history_fields = {field.name for field in application.history.model._meta.fields}
    assert "support_token_hash" not in history_fields


def test_the_line_manager_gives_support_once(client: Client, application: PeApplication) -> None:
    token = services.request_line_manager_support(actor=None, application=application, send=False)
    url = reverse("educators:line-manager-support", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cache-Control"] == "no-store"
    assert application.applicant.full_name in page.content.decode()

    response = client.post(url, {"supports": "yes", "statement": "Has capacity and my support."})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    application.refresh_from_db()
    assert application.line_manager_supports is True
    assert application.line_manager_statement == "Has capacity and my support."
    assert application.support_token_hash is None

    again = client.get(url)
    assert again.status_code == 404
    assert again["Referrer-Policy"] == "same-origin"


def test_an_empty_statement_is_refused_and_the_link_still_works(
    client: Client, application: PeApplication
) -> None:
    token = services.request_line_manager_support(actor=None, application=application, send=False)
    url = reverse("educators:line-manager-support", args=[token])
    response = client.post(url, {"supports": "no", "statement": ""})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    application.refresh_from_db()
    assert application.support_given_at is None
    assert client.get(url).status_code == 200


def test_an_expired_link_does_not_work(client: Client, application: PeApplication) -> None:
    token = services.request_line_manager_support(actor=None, application=application, send=False)
    PeApplication.objects.unscoped("test").filter(pk=application.pk).update(
        support_expires_at=timezone.now() - timedelta(seconds=1)
    )
    url = reverse("educators:line-manager-support", args=[token])
    assert client.get(url).status_code == 404
    assert client.post(url, {"supports": "yes", "statement": "Late"}).status_code == 404
    application.refresh_from_db()
    assert application.support_given_at is None


def test_a_new_link_replaces_the_old_one(client: Client, application: PeApplication) -> None:
    old = services.request_line_manager_support(actor=None, application=application, send=False)
    new = services.request_line_manager_support(actor=None, application=application, send=False)
    assert client.get(reverse("educators:line-manager-support", args=[old])).status_code == 404
    assert client.get(reverse("educators:line-manager-support", args=[new])).status_code == 200


def test_a_changed_line_manager_address_voids_the_link(
    client: Client, application: PeApplication
) -> None:
    token = services.request_line_manager_support(actor=None, application=application, send=False)
    services.update_pe_application(
        actor=None,
        application=application,
        statement=application.statement,
        line_manager_name="New Manager",
        line_manager_email="new.manager@example.test",
    )
    assert client.get(reverse("educators:line-manager-support", args=[token])).status_code == 404


def test_an_unknown_token_gets_404(client: Client, db: None) -> None:
    response = client.get(reverse("educators:line-manager-support", args=["not-a-token"]))
    assert response.status_code == 404


def test_the_link_needs_no_sign_in_but_requesting_it_does(
    client: Client, application: PeApplication
) -> None:
    response = client.post(reverse("educators:application-request-support", args=[application.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    application.refresh_from_db()
    assert application.support_token_hash is None
