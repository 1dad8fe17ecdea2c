"""The API documentation page: Swagger UI served from our own static files, rendered under the
site's CSP (no inline script or style, no CDN) and usable with the sign-in session."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Request, expect

from practica.demo.data import DemoLogin

from .helpers import check_page, sign_in, visit

pytestmark = pytest.mark.browser


def test_the_api_docs_render_from_our_own_files_and_try_a_request_with_the_session(
    page: Page, demo: list[DemoLogin]
) -> None:
    requested: list[str] = []

    def remember(request: Request) -> None:
        requested.append(request.url)

    page.on("request", remember)
    sign_in(page, "coordinator.mc@demo.practica.test")

    visit(page, "/api/docs/")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    expect(page.locator("h1")).to_have_text("API documentation")  # Swagger UI adds no other
    expect(page.locator("#operations-tag-teams")).to_be_visible()
    check_page(page)  # again, now that Swagger UI has drawn the operations (axe, CSP, console)

    teams = page.locator("#operations-teams-teams_list")
    teams.locator(".opblock-summary").click()
    teams.get_by_role("button", name="Try it out").click()
    teams.get_by_role("button", name="Execute").click()
    expect(teams.locator(".live-responses-table tr.response .response-col_status")).to_have_text(
        "200"
    )
    expect(teams.locator(".live-responses-table")).to_contain_text("Children's assessment team")
    check_page(page)

    origin = page.url.split("/api/docs/")[0]
    assert requested, "the page made no requests"
    outside = [url for url in requested if not url.startswith(origin)]
    assert not outside, f"the docs page reached outside the site: {outside}"
