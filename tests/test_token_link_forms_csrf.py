"""Pages reached through a secret link are CSRF-protected like every other form (issue 15):
a POST forged on another site is refused with 403, the page's own POST works. They send
``Referrer-Policy: same-origin`` (not ``no-referrer``, with which browsers post ``Origin: null``
and Django's check refuses the page's own form) and ``Cache-Control: no-store``."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from practica.accounts import services as account_services
from practica.accounts.models import Invitation, User
from practica.core.models import Organisation
from practica.educators.models import PeApplication
from practica.educators.recruitment import services as recruitment_services
from practica.educators.tests.factories import PeApplicationFactory, PracticeEducatorFactory
from practica.organisations.tests.factories import PersonFactory
from practica.placements import services as placement_services
from practica.placements.during import services as during_services
from practica.placements.during.models import AttendanceWeek
from practica.placements.models import PlacementLink
from practica.placements.tests.factories import PlacementFactory
from practica.teaching.directory import services as directory_services
from practica.teaching.models import ExpressionOfInterest

# Django REST framework's views check CSRF themselves for session-authenticated requests
# (SessionAuthentication.enforce_csrf); the API's catch-all 404 changes nothing.
CHECKS_ITS_OWN_CSRF = {"api", "admin"}

EVIL = "https://forger.example"


def _views(
    patterns: list[URLPattern | URLResolver], namespace: str = ""
) -> Iterator[tuple[str, Callable[..., Any]]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in CHECKS_ITS_OWN_CSRF:
                continue
            yield from _views(entry.url_patterns, f"{namespace}{entry.namespace or ''}:")
        else:
            yield f"{namespace}{entry.name or entry.pattern}", entry.callback


def test_no_page_outside_the_api_is_exempt_from_csrf_checks() -> None:
    exempt = [
        name
        for name, view in _views(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False)
    ]
    assert exempt == []


@pytest.fixture
def invitation_url(org_a: Organisation, alice: User) -> str:
    _invitation, token = account_services.invite(
        actor=alice, organisation=org_a, email="new@example.test", role="student", send=False
    )
    return reverse("accounts:invitation-accept", args=[token])


@pytest.fixture
def support_url(org_a: Organisation) -> str:
    application = PeApplicationFactory.create(
        organisation=org_a, line_manager_name="Lin Manager", line_manager_email="lin@example.test"
    )
    token = recruitment_services.request_line_manager_support(
        actor=None, application=application, send=False
    )
    return reverse("educators:line-manager-support", args=[token])


@pytest.fixture
def agreement_url(org_a: Organisation) -> str:
    person = PersonFactory.create(organisation=org_a)
    _interest, token = directory_services.express_interest(
        actor=None,
        person=person,
        knowledge="Court work",
        skills="Presenting",
        experience="Child protection",
        areas=[],
        line_manager_name="Lin Manager",
        line_manager_email="lin@example.test",
        send=False,
    )
    return reverse("teaching:pt-agree", args=[token])


@pytest.fixture
def placement_link_url(org_a: Organisation) -> str:
    placement = PlacementFactory.create(organisation=org_a)
    token = placement_services.create_placement_link(placement=placement, email="pe@example.test")
    return reverse("placements:placement-link", args=[token])


@pytest.fixture
def sign_off_url(org_a: Organisation) -> str:
    educator = PracticeEducatorFactory.create(independent=True, person__email="pe@example.test")
    placement = PlacementFactory.create(organisation=org_a, practice_educator=educator)
    AttendanceWeek.objects.create(
        placement=placement, week_starting=datetime.date(2020, 1, 6), days=Decimal(4)
    )
    token = during_services.create_sign_off_link(placement=placement, email="pe@example.test")
    return reverse("placements:attendance-link", args=[token])


ACCEPT = {"first_name": "Nia", "last_name": "Okoro", "password": "a long enough passphrase"}
SUPPORT = {"supports": "yes", "statement": "Has capacity and my support."}
AGREE = {"agrees": "yes"}
SHOW: dict[str, str] = {}


def _sign_off_data() -> dict[str, str]:
    return {"weeks": str(AttendanceWeek.objects.unscoped("test").get().pk)}


def _invitation_accepted() -> bool:
    return bool(Invitation.objects.unscoped("test").get().accepted_at is not None)


def _support_given() -> bool:
    return bool(PeApplication.objects.unscoped("test").get().support_given_at is not None)


def _agreement_given() -> bool:
    return bool(ExpressionOfInterest.objects.unscoped("test").get().answered_at is not None)


def _placement_shown() -> bool:
    return bool(PlacementLink.objects.unscoped("test").get().used_at is not None)


def _week_signed_off() -> bool:
    return bool(AttendanceWeek.objects.unscoped("test").get().signed_off)


PAGES = [
    ("invitation_url", ACCEPT, _invitation_accepted),
    ("support_url", SUPPORT, _support_given),
    ("agreement_url", AGREE, _agreement_given),
    ("placement_link_url", SHOW, _placement_shown),
    ("sign_off_url", None, _week_signed_off),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "data", "done"), PAGES)
def test_a_post_forged_on_another_site_is_refused(
    request: pytest.FixtureRequest,
    page: str,
    data: dict[str, str] | None,
    done: Callable[[], bool],
) -> None:
    url = request.getfixturevalue(page)
    data = _sign_off_data() if data is None else data
    client = Client(enforce_csrf_checks=True)
    assert client.post(url, data, headers={"origin": EVIL}).status_code == 403
    assert client.post(url, data).status_code == 403  # no token, no origin
    client.get(url)  # even with the visitor's own CSRF cookie and token
    token = client.cookies["csrftoken"].value
    forged = {**data, "csrfmiddlewaretoken": token}
    assert client.post(url, forged, headers={"origin": EVIL}).status_code == 403
    assert client.post(url, forged, headers={"origin": "null"}).status_code == 403
    assert not done()


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "data", "done"), PAGES)
@pytest.mark.parametrize("secure", [False, True])
def test_the_pages_own_form_is_accepted(
    request: pytest.FixtureRequest,
    page: str,
    data: dict[str, str] | None,
    done: Callable[[], bool],
    secure: bool,
) -> None:
    url = request.getfixturevalue(page)
    data = _sign_off_data() if data is None else data
    client = Client(enforce_csrf_checks=True)
    form = client.get(url, secure=secure)
    assert form["Referrer-Policy"] == "same-origin"
    assert form["Cache-Control"] == "no-store"
    assert 'name="csrfmiddlewaretoken"' in form.content.decode()
    token = client.cookies["csrftoken"].value
    origin = f"{'https' if secure else 'http'}://testserver"
    response = client.post(
        url, {**data, "csrfmiddlewaretoken": token}, headers={"origin": origin}, secure=secure
    )
    assert response.status_code in {200, 302}
    assert done()
