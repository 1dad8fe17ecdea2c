"""The allocation journey (issue 12): a local authority's coordinator imports its offers, a
university's coordinator imports students, runs the allocation, reads why, pins one pair, runs
again and confirms; the placements appear as matched (axe on every page)."""

from __future__ import annotations

import pytest
from playwright.sync_api import FilePayload, Page, expect

from practica.demo.data import DemoLogin
from practica.placements.models import Placement, PlacementStatus

from .helpers import check_page, follow, open_section, sign_in, submit, visit

pytestmark = pytest.mark.browser

YEAR = "2030/31"
OFFERS = (
    "organisation,team,academic_year,placement_type,days,slots,routes\n"
    f"MC,Child protection team,{YEAR},final_100,100,1,ba\n"
    f"MC,Adult safeguarding team,{YEAR},final_100,100,1,ba\n"
)
STUDENTS = (
    "student_ref,hei,first_name,last_name,email,route,year_of_study,home_location,"
    "travel_limit_minutes,stage\n"
    "AL001,UOK,Ada,Lovelace,ada.alloc@example.test,ba,3,Chatham,90,final_100\n"
    "AL002,UOK,Alan,Turing,alan.alloc@example.test,ba,3,Chatham,90,final_100\n"
)


def import_file(page: Page, kind: str, name: str, content: str) -> None:
    visit(page, f"/imports/{kind}/")
    payload = FilePayload(name=name, mimeType="text/csv", buffer=content.encode())
    page.get_by_label("Spreadsheet (CSV or Excel .xlsx)").set_input_files(files=[payload])
    page.get_by_label("Check and import it, if every row is right").check()
    submit(page, "Continue")
    expect(page.locator(".govuk-panel__title")).to_have_text("Imported")


def sign_out(page: Page) -> None:
    follow(page, page.get_by_role("button", name="Sign out"))


def option_value(page: Page, field: str, text: str) -> str:
    value = page.locator(f"#id_{field} option", has_text=text).first.get_attribute("value")
    assert value, f"no {field} option showing {text!r}"
    return value


def test_a_coordinator_allocates_pins_reruns_and_confirms(
    page: Page, demo: list[DemoLogin]
) -> None:
    sign_in(page, "coordinator.mc@demo.practica.test")
    import_file(page, "placement-offers", "offers.csv", OFFERS)
    open_section(page, "Placements", "Placements")
    sections = page.get_by_role("navigation", name="Sections")
    expect(sections.get_by_role("link", name="Placement offers", exact=True)).to_be_visible()
    expect(sections.get_by_role("link", name="Allocation", exact=True)).to_have_count(0)
    sign_out(page)

    sign_in(page, "coordinator.uok@demo.practica.test")
    import_file(page, "students", "students.csv", STUDENTS)
    open_section(page, "Placements", "Allocation")
    page.get_by_label("Academic year").select_option(label=YEAR)
    submit(page, "Start an allocation run")
    expect(page.locator("h1")).to_have_text(f"{YEAR}: students of University of Kent")
    expect(page.locator("#summary")).to_contain_text("Proven optimal")
    proposals = page.locator("table").first
    expect(proposals).to_contain_text("offer accepting BA (Hons) Social Work")
    expect(page.locator("tr", has_text="AL001").first).to_contain_text("Child protection team")
    expect(page.get_by_role("heading", name="Students not placed", exact=False)).to_be_visible()

    # pin Alan to the child protection team, where Ada was proposed, then run again
    page.locator("#id_student").select_option(option_value(page, "student", "AL002"))
    page.locator("#id_offer").select_option(option_value(page, "offer", "Child protection"))
    page.get_by_label("Pinned: always place the student here").check()
    submit(page, "Save the rule")
    expect(page.get_by_role("button", name="Remove the rule for AL002")).to_be_visible()
    submit(page, "Run the allocation again")
    pinned = page.locator("tr", has_text="AL002")
    expect(pinned.first).to_contain_text("Pinned")
    expect(pinned.first).to_contain_text("Child protection team")
    expect(page.locator("tr", has_text="AL001").first).to_contain_text("Adult safeguarding team")
    expect(page.locator("body")).to_contain_text("AL002 pinned to Child protection team")

    follow(page, page.get_by_role("link", name="Review and confirm the proposals"))
    submit(page, "Confirm and record these placements")
    expect(page.locator(".govuk-notification-banner, .govuk-body").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("placements recorded as matched")
    check_page(page)

    alan = Placement.objects.unscoped("test").get(
        student__student_ref="AL002", academic_year__start_year=2030
    )
    assert alan.status == PlacementStatus.MATCHED
    assert alan.team is not None
    assert alan.team.name == "Child protection team"
    visit(page, f"/placements/?year={YEAR}&search=AL002")
    expect(page.locator("tbody")).to_contain_text("Child protection team")
