"""The practice educator register at a phone's, a tablet's and a desktop's width: nothing
scrolls sideways, the filter panel never covers the page (on narrow screens it is closed until
"Show filter" opens it in the page's flow), and at 1280 px the register's columns fit beside
the open filter. Axe runs on every page shown; a screenshot of each width is kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from practica.demo.data import DemoLogin

pytestmark = pytest.mark.browser

helpers = pytest.importorskip("tests.browser.helpers")
check_page, sign_in, visit = helpers.check_page, helpers.sign_in, helpers.visit

COLUMNS = ["Name", "Organisation", "PEPS stage", "Current activities", "Currency"]


def scrolls_sideways(page: Page) -> bool:
    return bool(
        page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    )


def table_scrolls(page: Page) -> bool:
    return bool(
        page.evaluate(
            "[...document.querySelectorAll('.practica-table-scroll')]"
            ".some(wrapper => wrapper.scrollWidth > wrapper.clientWidth + 1)"
        )
    )


@pytest.mark.parametrize("width", [390, 768, 1280])
def test_the_register_fits_the_screen_with_its_filter(
    page: Page, demo: list[DemoLogin], width: int, tmp_path: Path
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "coordinator.mc@demo.practica.test")
    visit(page, "/educators/")
    filter_panel = page.locator(".moj-filter")
    toggle = page.get_by_role("button", name="Show filter")
    headers = page.locator("table.govuk-table thead th").all_inner_texts()
    assert [header.strip() for header in headers] == COLUMNS
    if width < 769:
        expect(filter_panel).to_be_hidden()
        toggle.click()
        expect(filter_panel).to_be_visible()
        box = filter_panel.bounding_box()
        assert box is not None
        assert box["x"] >= 0, "the filter panel starts off the screen"
        assert filter_panel.evaluate("e => getComputedStyle(e.parentElement).position") == (
            "static"
        ), "the filter panel lies over the page"
        expect(page.get_by_role("button", name="Hide filter")).to_be_visible()
        page.get_by_role("button", name="Close").click()
        expect(filter_panel).to_be_hidden()
    else:
        expect(filter_panel).to_be_visible()
        widths = page.evaluate(
            "[...document.querySelectorAll('.practica-table-scroll')].map(w => [w.scrollWidth, "
            "w.clientWidth, [...w.querySelectorAll('thead th')].map(th => th.offsetWidth)])"
        )
        assert not table_scrolls(page), (
            f"the register's columns do not fit beside the filter: {widths}"
        )
        page.get_by_role("button", name="Hide filter").click()
        expect(filter_panel).to_be_hidden()
        page.get_by_role("button", name="Show filter").click()
        expect(filter_panel).to_be_visible()
    assert not scrolls_sideways(page), f"the page scrolls sideways at {width} px"
    page.screenshot(path=str(tmp_path / f"register-{width}.png"), full_page=True)
    check_page(page)


LISTS = [
    "organisations:team-list",
    "organisations:person-list",
    "educators:lapsing",
    "educators:reviews-due",
    "learning:event-list",
    "placements:placement-list",
    "placements:offer-list",
    "imports:run-list",
]


@pytest.mark.parametrize("width", [390, 768, 1280])
def test_every_filtered_list_fits_the_screen(
    page: Page, demo: list[DemoLogin], width: int, tmp_path: Path
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "coordinator.mc@demo.practica.test")
    for name in LISTS:
        visit(page, reverse(name))
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
            " > document.documentElement.clientWidth + 1).slice(-3).map(e => e.outerHTML.slice(0, 120))"
        )
        assert not scrolls_sideways(page), f"{name} scrolls sideways at {width} px: {wide}"
        page.screenshot(path=str(tmp_path / f"{name.replace(':', '-')}-{width}.png"))
