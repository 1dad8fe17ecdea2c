"""Helpers for browser tests: every page a test displays is checked before the test moves on.

A page is checked by :func:`check_page`: axe-core (WCAG 2.0–2.2 A and AA rules), one ``h1``, a
``<title>`` of the form "Page – Practica", copy without backticks or snake_case words (outside
``<code>``), and no console error, uncaught exception or Content-Security-Policy violation since
the last check.

Use :func:`visit` (or ``page.goto``, which the ``page`` fixture wraps) to open a URL, and
:func:`follow` / :func:`submit` for clicks that load a new page. The ``page`` fixture counts the
documents the browser loads and fails the test if any of them was never checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Error, Locator, Page, Response, expect

from practica.demo.data import DEMO_PASSWORD
from practica.imports.registry import all_importers
from practica.reports.registry import all_reports

FACTORY_PASSWORD = (
    "correct horse battery staple"  # practica.organisations.tests.factories.UserFactory's password
)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
}
TITLE = re.compile(r"^\S.* – Practica$")
# axe-core, loaded into every document of a test's browser context by an init script.
AXE_SOURCE = Axe().axe_script
# One round trip per check. The document is marked once checked, so that checking the same
# document twice does not count as checking two.
CHECK_SCRIPT = """async (options) => {
  if (typeof window.axe === "undefined") return {axe: false};
  const results = await window.axe.run(document, options);
  const already = window.__practicaChecked === true;
  window.__practicaChecked = true;
  return {
    axe: true,
    already,
    violations: results.violations,
    headings: Array.from(document.querySelectorAll("h1"), (h1) => h1.innerText),
    title: document.title,
    copy: (() => {
      const body = document.body.cloneNode(true);
      body.querySelectorAll("code, pre, kbd, script, style, [hidden]").forEach((e) => e.remove());
      return body.textContent;
    })(),
  };
}"""
# Page copy speaks to people: no command-line syntax (backticks, --options) or internal codes
# (snake_case words, the slugs of import kinds and reports) outside <code>, where a
# spreadsheet's column names are shown as typed.
MACHINE_WORDS = re.compile(r"`|(?<![\w-])--[a-z][\w-]*|\b[a-z][a-z0-9]*_[a-z0-9_]+\b")


def machine_words(copy: str) -> list[str]:
    """The command-line syntax and internal codes in ``copy``, a page's text."""
    slugs = {importer.kind for importer in all_importers()} | {r.name for r in all_reports()}
    found = set(MACHINE_WORDS.findall(copy))
    for slug in (slug for slug in slugs if "-" in slug):
        if re.search(rf"(?<![\w/-]){re.escape(slug)}(?![\w/-])", copy):
            found.add(slug)
    return sorted(found)


@dataclass
class Audit:
    """What one page (browser tab) has loaded, logged and had checked."""

    base_url: str
    loads: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # (url, status) of documents a test expects to fail, whose console line is not a problem.
    expected_statuses: set[tuple[str, int]] = field(default_factory=set)
    # The page's own goto, before the `page` fixture wrapped it with a check.
    goto: Callable[..., Response | None] | None = None

    def on_load(self, page: Page) -> None:
        self.loads.append(page.url)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        text, url = message.text, message.location.get("url", "")
        for expected_url, status in self.expected_statuses:
            if url == expected_url and f"status of {status}" in text:
                return
        shown = message.page.url if message.page else "?"
        self.problems.append(f"console error on {shown} (from {url or 'the page'}): {text}")

    def on_page_error(self, error: Error) -> None:
        self.problems.append(f"uncaught exception: {error.message}")

    def unchecked(self) -> list[str]:
        """URLs of loaded documents that no check covered (by count: loads minus checks)."""
        missing = len(self.loads) - len(self.checked)
        return self.loads[-missing:] if missing > 0 else []


_audits: dict[int, Audit] = {}


def audit_page(page: Page, base_url: str) -> Audit:
    """Start recording loads and console errors of ``page`` (called by the ``page`` fixture).

    The page's context must load axe-core into every document: ``context.add_init_script``
    with ``AXE_SOURCE``.
    """
    audit = Audit(base_url=base_url.rstrip("/"), goto=page.goto)
    _audits[id(page)] = audit
    page.on("load", audit.on_load)
    page.on("console", audit.on_console)
    page.on("pageerror", audit.on_page_error)
    return audit


def forget_page(page: Page) -> None:
    _audits.pop(id(page), None)


def audit_of(page: Page) -> Audit:
    try:
        return _audits[id(page)]
    except KeyError:
        raise AssertionError(
            "use the browser tests' `page` fixture; this page is not audited"
        ) from None


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" <{violation.get('helpUrl', '')}>"
        )
        for node in violation["nodes"]:
            target = ", ".join(
                " ".join(part) if isinstance(part, list) else part for part in node["target"]
            )
            lines.append(f"    at {target}: {node.get('html', '')[:200]}")
    return "\n".join(lines)


def check_page(page: Page) -> None:
    """Axe (WCAG 2.2 AA), one h1, a proper title, no console errors: on the page now shown."""
    page.wait_for_load_state("load")
    audit = audit_of(page)
    url = page.url
    result = page.evaluate(CHECK_SCRIPT, AXE_OPTIONS)
    assert result["axe"], f"axe-core is not loaded in {url}; open pages with the `page` fixture"
    violations = result["violations"]
    found = format_violations(violations)
    assert not violations, f"axe found accessibility violations on {url}:\n{found}"
    headings = result["headings"]
    assert len(headings) == 1, f"{url} has {len(headings)} h1 elements: {headings!r}"
    title = result["title"]
    assert TITLE.match(title), f"{url} has the title {title!r}, not 'Page – Practica'"
    # the API's reference pages document the machine interface itself
    machine = [] if "/api/" in url else machine_words(result["copy"])
    assert not machine, f"{url} shows command-line syntax or internal codes: {machine}"
    if not result["already"]:
        audit.checked.append(url)
    problems, audit.problems[:] = list(audit.problems), []
    assert not problems, f"errors in the browser console up to {url}:\n" + "\n".join(problems)


def visit(page: Page, path: str, *, status: int = 200) -> Response:
    """Open ``path`` (relative to the live server), expect ``status``, and check the page."""
    audit = audit_of(page)
    if status != 200:
        audit.expected_statuses.add((_absolute(page, path), status))
    response = (audit.goto or page.goto)(path)
    assert response is not None, f"no response for {path}"
    assert response.status == status, f"{path} answered {response.status}, expected {status}"
    check_page(page)
    return response


def follow(page: Page, target: Locator) -> None:
    """Click a link or button that loads a new page, wait for it, and check it."""
    with page.expect_navigation(wait_until="load"):
        target.click()
    check_page(page)


def open_section(page: Page, group: str, label: str) -> None:
    """Open a section through the service navigation: the menu item of its group, then the
    section in the group's sub navigation ("Sections"), or the menu item of the section itself
    when it is the only one of its group the user may open."""
    menu = page.get_by_role("navigation", name="Menu")
    own = menu.get_by_role("link", name=label, exact=True)
    if label != group and own.count():
        follow(page, own)
        return
    follow(page, menu.get_by_role("link", name=group, exact=True))
    section = page.get_by_role("navigation", name="Sections").get_by_role(
        "link", name=label, exact=True
    )
    if section.count() and section.get_attribute("aria-current") != "page":
        follow(page, section)


def submit(page: Page, button: str = "Save") -> None:
    """Press the form button called ``button`` and check the page that comes back."""
    follow(page, page.get_by_role("button", name=button, exact=True))


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real sign-in form and land on the home page."""
    visit(page, "/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    submit(page, "Sign in")


def expect_signed_in_home(page: Page, heading: str) -> None:
    expect(page.locator("h1")).to_have_text(heading)
    assert page.url.rstrip("/") == _absolute(page, "/").rstrip("/"), page.url


def expect_error_summary(page: Page, *messages: str) -> None:
    """The GOV.UK error summary is shown, focused, names each message, and the title says Error."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    for message in messages:
        expect(summary).to_contain_text(message)
    expect(summary).to_be_focused()
    assert page.title().startswith("Error: "), page.title()


def column(page: Page, header: str) -> list[str]:
    """The cells of the column headed ``header`` in the page's one GOV.UK table."""
    table = page.locator("table.govuk-table")
    expect(table).to_have_count(1)
    headers = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    assert header in headers, f"no {header!r} column in {headers!r}"
    index = headers.index(header) + 1
    return [
        text.strip() for text in table.locator(f"tbody tr td:nth-child({index})").all_inner_texts()
    ]


def rows_on_every_page(page: Page, *headers: str) -> list[tuple[str, ...]]:
    """The named columns of every row of a paginated list, following the "Next page" links."""
    rows = list(zip(*(column(page, header) for header in headers), strict=True))
    next_link = page.get_by_role("link", name="Next page")
    while next_link.count():
        follow(page, next_link)
        rows += zip(*(column(page, header) for header in headers), strict=True)
    return rows


def caption_count(page: Page) -> int:
    """The number at the start of the table caption ("42 people")."""
    caption = page.locator("table.govuk-table caption").inner_text()
    match = re.match(r"(\d+) ", caption)
    assert match, f"the caption {caption!r} does not start with a count"
    return int(match.group(1))


def _absolute(page: Page, path: str) -> str:
    return path if path.startswith("http") else audit_of(page).base_url + path
