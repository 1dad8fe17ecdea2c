"""The audit page's Newer/Older links (keyset pagination, docs/0036-audit-reading.md): they
carry where a page ends, so going through the pages gives every entry once, in order, with the
filters kept, and a link changed by hand shows the newest entries instead of failing."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import User
from practica.core.audit import save_audited
from practica.core.models import AuditAction, AuditEvent, Organisation, Person, Team
from practica.organisations import audit
from practica.organisations.tests.factories import TeamFactory

AUDIT = reverse("organisations:audit")
LINK = re.compile(r'href="\?([^"]*)" rel="(prev|next)"')


@pytest.fixture
def busy_partnership(alice: User, org_a: Organisation) -> None:
    """Entries of three kinds, many of them at the very same moment (so the order must go
    past the time to the kind of record and its id)."""
    moment = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    for n in range(5):
        person = Person(organisation=org_a, first_name="Same", last_name=f"Moment {n}")
        person._history_date = moment  # type: ignore[attr-defined]  # simple_history reads it
        save_audited(person, actor=alice)
    for n in range(4):
        AuditEvent.objects.create(
            user=alice,
            partnership=org_a.partnership,
            action=AuditAction.EXPORT,
            what=f"Export {n}",
            at=moment,
        )
    for n in range(3):
        team: Team = TeamFactory.build(organisation=org_a, name=f"Team {n}")
        team._history_date = moment - datetime.timedelta(seconds=n)  # type: ignore[attr-defined]
        save_audited(team, actor=alice)
    for n in range(2):
        save_audited(
            Person(organisation=org_a, first_name="Later", last_name=f"Person {n}"), actor=alice
        )


def walk(client: Client, query: dict[str, str], rel: str, start: str = "") -> list[list[str]]:
    """The entries ("what") of each page, following the ``rel`` links from ``start``."""
    pages = []
    url = f"{AUDIT}?{start}" if start else AUDIT
    params: dict[str, str] | None = query
    for _ in range(50):
        response = client.get(url, params)
        assert response.status_code == 200
        pages.append([entry.what for entry in response.context["entries"]])
        links = {kind: href for href, kind in LINK.findall(response.content.decode())}
        if rel not in links:
            return pages
        url, params = f"{AUDIT}?{html.unescape(links[rel])}", None
    raise AssertionError("the links went round in a circle")


def test_older_links_give_every_entry_once_in_order(
    client: Client, manager: User, busy_partnership: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.force_login(manager)
    everything = [entry.what for entry in client.get(AUDIT).context["entries"]]
    assert len(everything) >= 14
    monkeypatch.setattr(audit, "PAGE_ROWS", 3)
    pages = walk(client, {}, "next")
    assert len(pages) > 2
    assert all(len(page) == 3 for page in pages[:-1])
    assert [what for page in pages for what in page] == everything


def test_newer_links_go_back_through_the_same_pages(
    client: Client, manager: User, busy_partnership: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit, "PAGE_ROWS", 3)
    client.force_login(manager)
    older = walk(client, {"who": "alice"}, "next")
    # from the oldest page back to the newest
    last = client.get(AUDIT, {"who": "alice"})
    href = ""
    for _ in older[1:]:
        links = {kind: h for h, kind in LINK.findall(last.content.decode())}
        href = html.unescape(links["next"])
        last = client.get(f"{AUDIT}?{href}")
    newer = walk(client, {}, "prev", start=href)
    assert newer == list(reversed(older))


def test_the_links_keep_the_filters(
    client: Client, manager: User, busy_partnership: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit, "PAGE_ROWS", 2)
    client.force_login(manager)
    pages = walk(client, {"what": "+", "record": "core.person"}, "next")
    found = [what for page in pages for what in page]
    assert len(pages) > 2
    assert len(found) == len(set(found)) == 7
    assert all(what.startswith("Person #") for what in found)
    events = walk(client, {"what": AuditAction.EXPORT}, "next")
    assert sorted(what for page in events for what in page) == [f"Export {n}" for n in range(4)]


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        "2026-01-01T00:00:00~core.person~5",  # no offset
        "2026-01-01T00:00:00+00:00~core.nothing~5",
        "2026-01-01T00:00:00+00:00~core.person~-5",
        "2026-01-01T00:00:00+00:00~core.person~99999999999999999999999",
        "2026-13-45T00:00:00+00:00~~5",
        "~~",
        "x" * 500,
    ],
)
@pytest.mark.parametrize("direction", ["older_than", "newer_than"])
def test_a_link_changed_by_hand_shows_the_newest_entries(
    client: Client, manager: User, busy_partnership: None, cursor: str, direction: str
) -> None:
    client.force_login(manager)
    newest = [entry.what for entry in client.get(AUDIT).context["entries"]]
    response = client.get(AUDIT, {direction: cursor})
    assert response.status_code == 200
    assert [entry.what for entry in response.context["entries"]] == newest
    assert "The page link could not be read" in response.content.decode()
