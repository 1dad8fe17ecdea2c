"""Fixtures for browser tests: headless Debian Chromium, a fresh context per test, the demo data.

Every page a test displays is checked (axe, one h1, title, console errors); see ``helpers``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabase
from playwright.sync_api import Browser, Page, Playwright, Response, sync_playwright
from pytest_django import DjangoDbBlocker
from pytest_django.live_server_helper import LiveServer

from practica.demo.data import DemoLogin, load_demo

from .helpers import AXE_SOURCE, audit_page, check_page, forget_page

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Note whether the test itself failed, so the page audit does not report it twice."""
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an event loop running in the test thread, so Django would
    refuse ORM calls there (SynchronousOnlyOperation). Django documents this variable for such
    cases; it is set only while browser tests run (this conftest covers only them)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium is not at {CHROMIUM}; run `make chromium` (Debian package 'chromium')."
        )
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def page(
    request: pytest.FixtureRequest,
    browser: Browser,
    live_server: LiveServer,
    django_db_serialized_rollback: None,
) -> Iterator[Page]:
    """A tab in a new browser context (no cookies shared between tests) on the live server.

    ``page.goto`` checks every page it opens. At the end, the test fails if the browser loaded a
    page that was never checked (use ``helpers.follow``/``submit`` for clicks that navigate).
    Serialized rollback restores the migrations' data (service areas) that a flush removes.
    """
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    context.add_init_script(script=AXE_SOURCE)
    tab = context.new_page()
    audit = audit_page(tab, live_server.url)
    goto = tab.goto

    def checked_goto(url: str, **kwargs: Any) -> Response | None:
        response = goto(url, **kwargs)
        check_page(tab)
        return response

    tab.goto = checked_goto  # type: ignore[method-assign]  # every page visit is checked
    try:
        yield tab
    finally:
        context.close()
        forget_page(tab)
    if request.node.stash.get(CALL_FAILED, True):
        return
    unchecked = audit.unchecked()
    assert not unchecked, (
        f"pages were shown but never checked (navigate with visit/follow/submit): {unchecked}"
    )
    assert not audit.problems, "errors in the browser console:\n" + "\n".join(audit.problems)


@dataclass(frozen=True)
class DemoSnapshot:
    """The test database with the demo partnership loaded, copied with SQLite's backup API."""

    database: sqlite3.Connection | None  # None: not in-memory SQLite, so load per test
    logins: list[DemoLogin]


@pytest.fixture(scope="session")
def demo_snapshot(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[DemoSnapshot]:
    """Load the demo once per session and keep a copy of the database.

    The whole demo (with the domain apps' records) takes far too long to load for every test.
    Django clones in-memory SQLite test databases the same way (``sqlite3.Connection.backup``).
    On another database (e.g. PRACTICA_DATABASE_URL=postgres://...) each test loads the demo
    instead.
    """
    with django_db_blocker.unblock():
        database = connections[DEFAULT_DB_ALIAS]
        if not (isinstance(database, SQLiteDatabase) and database.is_in_memory_db()):
            snapshot = DemoSnapshot(None, [])
        else:
            _reset_to_migrations_data()
            logins = load_demo()
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(copy)
            _empty_database()  # as every transactional test leaves it
            snapshot = DemoSnapshot(copy, logins)
    yield snapshot
    if snapshot.database is not None:
        snapshot.database.close()


@pytest.fixture
def demo(
    live_server: LiveServer, django_db_serialized_rollback: None, demo_snapshot: DemoSnapshot
) -> list[DemoLogin]:
    """The demo partnership (``practica.demo.data.load_demo``) in the live server's database."""
    if demo_snapshot.database is None:
        return load_demo()
    connection.ensure_connection()
    assert not connection.in_atomic_block, "the demo is copied in only outside transactions"
    demo_snapshot.database.backup(connection.connection)
    return demo_snapshot.logins


def _empty_database() -> None:
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)


def _reset_to_migrations_data() -> None:
    """Empty the database and restore what the migrations put in it (as serialized rollback)."""
    _empty_database()
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        connection.creation.deserialize_db_from_string(contents)
