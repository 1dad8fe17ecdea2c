"""Custom error pages without technical detail, and the security headers on every response."""

from __future__ import annotations

from django.test import Client, override_settings

from practica.accounts.models import User


@override_settings(ROOT_URLCONF="tests.error_urls")
def test_a_server_error_shows_the_friendly_page_and_no_traceback(db: None) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with Practica" in html
    assert "secret detail" not in html
    assert "Traceback" not in html


def test_the_not_found_page_is_practicas_own(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "<title>" in response.content.decode()


def test_the_forbidden_page_is_practicas_own(client: Client, bob: User) -> None:
    client.force_login(bob)
    response = client.get("/teams/new/")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()


def test_security_headers_are_set(client: Client, db: None) -> None:
    response = client.get("/accounts/sign-in/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_page_template_carries_inline_script_or_style() -> None:
    """CSP forbids them; this keeps templates honest before a browser ever sees them."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "practica"
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text()
        if re.search(
            r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text
        ) or re.search(r"\sstyle=\"", text):
            offenders.append(str(template.relative_to(root)))
    assert offenders == []


def test_a_nul_character_in_the_query_is_a_clear_400(client: Client, alice: User) -> None:
    client.force_login(alice)
    for url in [
        "/teams/?search=%00",
        "/people/?search=a%00b",
        "/reports/organisation-summary/?organisation=%00",
    ]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert "NUL" in response.content.decode()


def test_an_enormous_team_id_in_a_filter_is_ignored(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert client.get("/people/", {"team": "9" * 40}).status_code == 200
