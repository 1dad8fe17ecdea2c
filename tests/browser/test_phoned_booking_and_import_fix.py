"""Two everyday jobs in the browser (issue 11): a coordinator books a place at a forum for a
practice educator who telephoned, and a coordinator fixes a bad import in one round — every
problem of the file listed at once, with the nearest valid values, then the corrected file
imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from practica.core.models import Team
from practica.demo.data import DemoLogin
from practica.educators.register.models import PracticeEducator
from practica.learning.events.models import Event, Registration, RegistrationStatus

pytestmark = pytest.mark.browser

helpers = pytest.importorskip("tests.browser.helpers")
check_page, expect_error_summary = helpers.check_page, helpers.expect_error_summary
follow, sign_in, submit, visit = helpers.follow, helpers.sign_in, helpers.submit, helpers.visit

MEDWAY = "coordinator.mc@demo.practica.test"
FORUM = "Quarterly joint practice educator forum – next quarter"  # Medway's, upcoming


def test_a_coordinator_books_a_place_for_someone_who_telephoned(
    page: Page, demo: list[DemoLogin]
) -> None:
    event = Event.objects.unscoped("test").get(title=FORUM)
    caller = (
        PracticeEducator.objects.unscoped("test")
        .filter(person__organisation__code="MC", person__email__contains="@")
        .exclude(person__registrations__event=event)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
        .first()
    )
    assert caller is not None, "the demo has a Medway practice educator not yet registered"
    sign_in(page, MEDWAY)
    visit(page, f"/learning/events/{event.pk}/attendance/")
    follow(page, page.get_by_role("link", name="Book a place for someone"))
    expect(page.locator("h1")).to_have_text("Book a place for someone")
    check_page(page)

    page.get_by_label("E-mail address").fill("nobody@example.test")
    submit(page, "Save")
    expect_error_summary(page, "Nobody in the partnership has this e-mail address in Practica.")
    check_page(page)

    page.get_by_label("E-mail address").fill(caller.person.email.upper())  # as read out
    submit(page, "Save")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"{caller.person.full_name} is registered for {FORUM}."
    )
    expect(page.locator("main")).to_contain_text(caller.person.full_name)
    check_page(page)
    booked = Registration.objects.unscoped("test").get(event=event, person=caller.person)
    assert booked.status == RegistrationStatus.REGISTERED


def test_a_coordinator_fixes_a_bad_import_in_one_round(
    page: Page, demo: list[DemoLogin], tmp_path: Path
) -> None:
    bad = tmp_path / "teams.csv"
    bad.write_text(
        "organisation,name,service_area,location\n"
        "MEDWAY,Fostering team,childrens,Gillingham\n"  # the council's name, not its code
        "MC,Hospital discharge team,adlts,Chatham\n",  # a typing slip
        encoding="utf-8",
    )
    sign_in(page, MEDWAY)
    visit(page, "/imports/teams/")
    page.get_by_label("Spreadsheet (CSV or Excel .xlsx)").set_input_files(bad)
    page.get_by_label("Check the file – nothing is imported yet").check()
    submit(page, "Continue")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Nothing was imported: 2 problems found")
    expect(summary).to_contain_text("MEDWAY")
    expect(summary).to_contain_text("MC")  # the code it meant, suggested
    expect(summary).to_contain_text("adlts")
    check_page(page)
    assert not Team.objects.unscoped("test").filter(name="Fostering team").exists()

    follow(page, page.get_by_role("link", name="Upload a corrected file"))
    good = tmp_path / "teams-corrected.csv"
    good.write_text(bad.read_text().replace("MEDWAY,", "MC,").replace("adlts", "adults"))
    page.get_by_label("Spreadsheet (CSV or Excel .xlsx)").set_input_files(good)
    page.get_by_label("Check and import it, if every row is right").check()
    submit(page, "Continue")
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("2 created")
    check_page(page)
    names = set(
        Team.objects.unscoped("test")
        .filter(organisation__code="MC", name__in=["Fostering team", "Hospital discharge team"])
        .values_list("name", flat=True)
    )
    assert names == {"Fostering team", "Hospital discharge team"}
