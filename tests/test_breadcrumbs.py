"""Issue 11: breadcrumbs or a back link on every detail and form page.

Walks the URL configuration. Every route whose address stands above another route's must have a
breadcrumb label (core/breadcrumbs.py) or be a navigation section, so a new page gets its trail.
Then every page is opened by someone who may see it — object pages through their app's outsider
fixture (tests/access.py) signed in as a member of the object's own organisation, the others
with a role the role matrix gives 200 — and an HTML page must show GOV.UK breadcrumbs or a back
link, unless it is named in ``WITHOUT_TRAIL`` with its reason.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from practica.accounts.models import Role, User
from practica.core.breadcrumbs import registered
from practica.core.models import Organisation
from practica.core.navigation import SECTIONS
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    member,
)
from tests.access_tables import OBJECT_ROUTES, PUBLIC, ROLE_MATRIX

TRAIL = re.compile(r'class="govuk-(breadcrumbs|back-link)"')

# Pages with no trail, and why.
WITHOUT_TRAIL: dict[str, str] = {
    "home": "the home page is the top of every trail",
    # the menu and the sub navigation show where a section's own page is
    **{section.url_name: "a navigation section" for section in SECTIONS},
}


def _patterns(
    patterns: list[URLPattern | URLResolver], namespace: str = "", prefix: str = ""
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _patterns(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif entry.name:
            found.append((f"{namespace}{entry.name}", prefix + str(entry.pattern)))
    return found


def test_every_page_above_another_has_a_breadcrumb_label() -> None:
    routes = _patterns(get_resolver().url_patterns)
    sections = {section.url_name for section in SECTIONS}
    missing = sorted(
        {
            name
            for name, pattern in routes
            if pattern.endswith("/")
            and not name.startswith("api:")  # JSON, not pages
            and name not in sections
            and name != "home"
            and name not in PUBLIC
            and any(
                other != pattern and other.startswith(pattern) and other.endswith("/")
                for _n, other in routes
            )
            and not registered(name)
        }
    )
    assert not missing, f"Register a breadcrumb label (core/breadcrumbs.py) for: {missing}"


class NotAPageError(Exception):
    """The route answers GET with something other than a page: an action that only takes POST
    (405), or a file (a calendar entry, a download)."""


def _opened(client: Client, url: str) -> str | None:
    """The page's HTML if it opens as a page for the signed-in user, else None."""
    response = client.get(url)
    if response.status_code == 405:
        raise NotAPageError
    if response.status_code != 200:
        return None
    if not response["Content-Type"].startswith("text/html"):
        raise NotAPageError
    return response.content.decode()


def _open_as_someone_who_may(client: Client, url: str) -> str | None:
    """Opens ``url`` as each user the fixture made, then as each role of each organisation,
    until one may see it."""
    for user in User.objects.all():
        client.force_login(user)
        if (page := _opened(client, url)) is not None:
            return page
    for organisation in Organisation.objects.unscoped("every organisation the fixture made"):
        for role in ROLES_TO_TRY:
            client.force_login(member(role, organisation))
            if (page := _opened(client, url)) is not None:
                return page
    return None


ROLES_TO_TRY = list(Role)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route_name", sorted(name for name in OBJECT_ROUTES if not name.startswith("api:"))
)
def test_every_object_page_shows_a_trail(client: Client, route_name: str) -> None:
    home = OrganisationFactory.create(partnership=PartnershipFactory.create(name="Ours"))
    url = reverse(route_name, kwargs=OBJECT_ROUTES[route_name](home))
    try:
        page = _open_as_someone_who_may(client, url)
    except NotAPageError:
        return
    if page is None:
        assert route_name in NOT_OPENED, f"Nobody the fixture made could open {url}"
        return
    assert route_name not in NOT_OPENED, f"{route_name} opens now: take it out of NOT_OPENED"
    assert TRAIL.search(page), f"{url} has no breadcrumbs or back link"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route_name",
    sorted(
        name
        for name in ROLE_MATRIX
        if name not in WITHOUT_TRAIL and name not in PUBLIC and not name.startswith("api:")
    ),
)
def test_every_other_page_shows_a_trail(client: Client, route_name: str) -> None:
    # an organisation of each kind, the first the partnership's lead; each role of each comes
    # with a person record (their own pages need one)
    partnership = PartnershipFactory.create()
    for kind in ("local_authority", "hei"):
        organisation = OrganisationFactory.create(partnership=partnership, kind=kind)
        for role in ROLES_TO_TRY:
            PersonFactory.create(organisation=organisation, user=member(role, organisation))
    partnership.lead_organisation = (
        Organisation.objects.unscoped("test").filter(kind="local_authority").get()
    )
    partnership.save()
    try:
        page = _open_as_someone_who_may(client, reverse(route_name))
    except NotAPageError:
        return
    if page is None:
        assert route_name in NOT_OPENED, f"Nobody could open {route_name}"
        return
    assert route_name not in NOT_OPENED, f"{route_name} opens now: take it out of NOT_OPENED"
    assert TRAIL.search(page), f"{route_name} has no breadcrumbs or back link"


# Pages nobody these tests make may open, and why; their trails come from the same base
# template. A page here that starts opening fails the test, so the list only shrinks.
_APPLICANT = "only the applicant opens it; the outsider fixture's applicant has no sign-in"
_CONTRIBUTOR = (
    "a lived-experience contributor's record opens only to the staff they consented to work "
    "with; the outsider fixture gives no consent"
)
_ONBOARDING = (
    "the set-up wizard opens only to a superuser before any organisation exists; each of its "
    "pages has a back link to the set-up tasks (onboarding/tests)"
)
_TWO_FACTOR = "opens only in the middle of setting up or using an authenticator app"
NOT_OPENED: dict[str, str] = {
    "teaching:pt-diversity": "only a practitioner teacher with a directory entry, whom the "
    "sweep's members are not",
    "educators:my-application": _APPLICANT,
    "educators:my-application-statement": _APPLICANT,
    "educators:panel-application": "only the panel members, whom the fixture does not name",
    "educators:panel-scores": "only the panel members, whom the fixture does not name",
    "educators:support-request-answer": "only the line manager the request names",
    "educators:report-change": "only a practice educator with an entry on the register",
    "learning:survey-respond": "only while the survey is open; the fixture's survey is not",
    "placements:attendance-log": "only the student's practice educator, whom the fixture lacks",
    "placements:attendance-sign-off": "only the student's practice educator, as above",
    "placements:preferences-submit": "only a student, in an open preference window",
    "placements:my-preferences": "only a student with a student record",
    "teaching:consent-withdraw": _CONTRIBUTOR,
    "teaching:contributor-consent": _CONTRIBUTOR,
    "teaching:contributor-detail": _CONTRIBUTOR,
    "teaching:contributor-edit": _CONTRIBUTOR,
    "accounts:two-factor-recovery-codes": _TWO_FACTOR,
    "accounts:two-factor-turn-off": _TWO_FACTOR,
    "accounts:two-factor-verify": _TWO_FACTOR,
    **{
        f"onboarding:{name}": _ONBOARDING
        for name in (
            "check",
            "coordinators",
            "done",
            "lead",
            "members",
            "partnership",
            "task-list",
            "year",
        )
    },
}
