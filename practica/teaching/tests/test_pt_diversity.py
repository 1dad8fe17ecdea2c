"""A practitioner teacher's own diversity monitoring answers: recorded by them alone with their
consent, cleared when they withdraw it, never shown one by one to anyone else, and counted per
local authority by the ``pt-directory-diversity`` report with small numbers suppressed."""

from __future__ import annotations

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from practica.accounts.models import Role, User
from practica.api.services import create_api_token
from practica.core.models import Organisation
from practica.organisations.anonymise import anonymise_person
from practica.organisations.tests.factories import OrganisationFactory, member
from practica.reports.registry import get_report, parse_params, run_report
from practica.teaching.directory import services
from practica.teaching.models import PractitionerDiversity, PractitionerStatus, PractitionerTeacher
from practica.teaching.tests.factories import PractitionerTeacherFactory

pytestmark = pytest.mark.django_db

ASIAN = "Asian, Asian British or Asian Welsh"


def _teacher(organisation: Organisation, **fields: object) -> tuple[PractitionerTeacher, User]:
    user = member(Role.PRACTITIONER_TEACHER, organisation)
    teacher = PractitionerTeacherFactory.create(
        person__organisation=organisation, person__user=user, **fields
    )
    return teacher, user


def _answer(organisation: Organisation, **answers: str) -> PractitionerTeacher:
    teacher, user = _teacher(organisation)
    services.record_own_diversity(actor=user, teacher=teacher, consent=True, **answers)
    return teacher


def _counts(viewer: User, characteristic: str, **filters: str) -> dict[tuple[str, str], int | str]:
    """Each count as the report gives it: the number where shown, else why it is hidden."""
    report = get_report("pt-directory-diversity")
    result = run_report(report, viewer, parse_params(report, filters))
    return {
        (row["organisation"], row["answer"]): (
            row["hidden"] if row["practitioner_teachers"] is None else row["practitioner_teachers"]
        )
        for row in result.as_json()["rows"]
        if row["characteristic"] == characteristic
    }


def test_a_practitioner_records_their_own_answers_with_their_consent() -> None:
    teacher, user = _teacher(OrganisationFactory.create())

    answers = services.record_own_diversity(
        actor=user, teacher=teacher, consent=True, ethnic_group="asian", age_band="40_49"
    )

    assert (answers.ethnic_group, answers.disability, answers.age_band) == ("asian", "", "40_49")
    assert answers.in_force
    assert PractitionerDiversity.objects.visible_to(user).get() == answers


def test_it_refuses_answers_without_consent() -> None:
    teacher, user = _teacher(OrganisationFactory.create())

    with pytest.raises(ValidationError, match="agree to your answers being counted"):
        services.record_own_diversity(actor=user, teacher=teacher, consent=False, gender="man")

    assert not PractitionerDiversity.objects.unscoped("test").exists()


def test_nobody_else_records_them_not_even_their_coordinator() -> None:
    organisation = OrganisationFactory.create()
    teacher, _user = _teacher(organisation)
    coordinator = member(Role.COORDINATOR, organisation)

    with pytest.raises(ValidationError, match="Only the practitioner teacher themself"):
        services.record_own_diversity(
            actor=coordinator, teacher=teacher, consent=True, gender="woman"
        )


def test_nobody_else_reads_them_one_by_one() -> None:
    organisation = OrganisationFactory.create()
    _answer(organisation, ethnic_group="asian")

    for role in (Role.COORDINATOR, Role.PARTNERSHIP_MANAGER, Role.PRACTITIONER_TEACHER):
        assert not PractitionerDiversity.objects.visible_to(member(role, organisation)).exists()


def test_withdrawing_clears_the_answers_and_they_are_no_longer_counted() -> None:
    organisation = OrganisationFactory.create()
    teacher, user = _teacher(organisation)
    services.record_own_diversity(
        actor=user, teacher=teacher, consent=True, ethnic_group="white", disability="no"
    )
    manager = member(Role.PARTNERSHIP_MANAGER, organisation)
    assert _counts(manager, "Ethnic group")[(organisation.name, "Answered")] == "fewer than 5"

    services.withdraw_own_diversity(actor=user, teacher=teacher)

    answers = PractitionerDiversity.objects.unscoped("test").get()
    assert (answers.ethnic_group, answers.disability, answers.gender, answers.age_band) == (
        "",
        "",
        "",
        "",
    )
    assert answers.withdrawn_on is not None
    assert (organisation.name, "Answered") not in _counts(manager, "Ethnic group")
    # answering again gives consent afresh
    services.record_own_diversity(actor=user, teacher=teacher, consent=True, gender="woman")
    answers.refresh_from_db()
    assert answers.in_force
    assert answers.gender == "woman"


def test_the_report_suppresses_small_counts_and_any_that_would_give_them_away() -> None:
    organisation = OrganisationFactory.create(name="Medway Council")
    for _ in range(5):
        _answer(organisation, ethnic_group="white")
    for _ in range(2):
        _answer(organisation, ethnic_group="asian")
    _teacher(organisation)  # no answers, no consent: not counted
    _answer(organisation, gender="man")  # answered another question only
    manager = member(Role.PARTNERSHIP_MANAGER, organisation)

    counts = _counts(manager, "Ethnic group")

    assert counts[("Medway Council", "Answered")] == 7
    assert counts[("Medway Council", ASIAN)] == "fewer than 5"
    # 7 answered less the 5 shown would give the hidden 2 away
    assert counts[("Medway Council", "White")] == "not shown"
    assert counts[("Medway Council", "Prefer not to say")] == 0
    assert counts[("All local authorities", ASIAN)] == "fewer than 5"


def test_shown_counts_are_numbers_and_hidden_ones_are_empty_with_the_reason() -> None:
    organisation = OrganisationFactory.create(name="Medway Council")
    for _ in range(6):
        _answer(organisation, disability="no")
    _answer(organisation, disability="yes")
    report = get_report("pt-directory-diversity")
    manager = member(Role.PARTNERSHIP_MANAGER, organisation)

    result = run_report(report, manager, parse_params(report, {})).as_json()

    rows = {
        row["answer"]: row
        for row in result["rows"]
        if (row["organisation"], row["characteristic"]) == ("Medway Council", "Disability")
    }
    assert (rows["Answered"]["practitioner_teachers"], rows["Answered"]["hidden"]) == (7, "")
    assert (rows["Yes"]["practitioner_teachers"], rows["Yes"]["hidden"]) == (None, "fewer than 5")
    assert (rows["No"]["practitioner_teachers"], rows["No"]["hidden"]) == (None, "not shown")
    assert {c["id"]: c["type"] for c in result["columns"]}["practitioner_teachers"] == "integer"


def test_it_counts_only_the_organisations_the_viewer_may_read_and_not_those_who_left() -> None:
    ours = OrganisationFactory.create(name="Medway Council", code="MC")
    theirs = OrganisationFactory.create(
        name="Kent County Council", code="KCC", partnership=ours.partnership
    )
    for _ in range(5):
        _answer(ours, disability="no")
        _answer(theirs, disability="no")
    left = _answer(theirs, disability="yes")
    left.status = PractitionerStatus.LEFT
    left.save()

    coordinator = _counts(member(Role.COORDINATOR, ours), "Disability")
    manager = _counts(member(Role.PARTNERSHIP_MANAGER, ours), "Disability")

    assert {organisation for organisation, _ in coordinator} == {
        "Medway Council",
        "All local authorities",
    }
    assert manager[("Kent County Council", "No")] == 5
    assert manager[("Kent County Council", "Yes")] == 0
    assert manager[("All local authorities", "No")] == 10
    only_kent = _counts(member(Role.PARTNERSHIP_MANAGER, ours), "Disability", organisation="KCC")
    assert only_kent[("All local authorities", "No")] == 5


def test_the_page_cli_and_api_show_the_same_suppressed_counts(client: Client) -> None:
    organisation = OrganisationFactory.create(name="Medway Council")
    for _ in range(6):
        _answer(organisation, age_band="30_39")
    _answer(organisation, age_band="60_over")
    manager = member(Role.PARTNERSHIP_MANAGER, organisation)
    expected = run_report(
        get_report("pt-directory-diversity"),
        manager,
        parse_params(get_report("pt-directory-diversity"), {}),
    ).as_json()

    client.force_login(manager)
    page = client.get(reverse("reports:report-detail", args=["pt-directory-diversity"]))
    out = io.StringIO()
    call_command(
        "report", "pt-directory-diversity", "--format", "json", "--user", manager.email, stdout=out
    )
    api = APIClient()
    api.credentials(
        HTTP_AUTHORIZATION=f"Token {create_api_token(actor=None, user=manager, name='t')[1]}"
    )
    response = api.get(reverse("api:report-detail", args=["pt-directory-diversity"]))

    assert page.status_code == 200
    assert "fewer than 5" in page.content.decode()
    assert json.loads(out.getvalue())["rows"] == expected["rows"]
    assert response.json()["rows"] == expected["rows"]


def test_the_practitioner_answers_and_withdraws_on_their_own_page(client: Client) -> None:
    organisation = OrganisationFactory.create()
    _teacher_entry, user = _teacher(organisation)
    client.force_login(user)
    url = reverse("teaching:pt-diversity")

    refused = client.post(url, {"ethnic_group": "black"})
    saved = client.post(url, {"ethnic_group": "black", "gender": "woman", "consent": "on"})

    assert refused.status_code == 200
    assert "agree to your answers being counted" in refused.content.decode()
    assert saved.status_code == 302
    assert PractitionerDiversity.objects.visible_to(user).get().ethnic_group == "black"
    assert "Withdraw and delete my answers" in client.get(url).content.decode()
    client.post(reverse("teaching:pt-diversity-withdraw"))
    assert PractitionerDiversity.objects.visible_to(user).get().ethnic_group == ""


def test_the_answers_are_not_on_the_directory_entry_others_read(client: Client) -> None:
    organisation = OrganisationFactory.create()
    teacher = _answer(organisation, ethnic_group="asian")
    client.force_login(member(Role.COORDINATOR, organisation))

    page = client.get(reverse("teaching:pt-detail", args=[teacher.pk])).content.decode()
    own_page_for_others = client.get(reverse("teaching:pt-diversity"))

    assert ASIAN not in page
    assert "diversity monitoring" not in page
    assert own_page_for_others.status_code == 404


def test_anonymising_a_practitioner_leaves_no_diversity_answer() -> None:
    teacher = _answer(OrganisationFactory.create(), ethnic_group="asian", gender="woman")

    anonymise_person(actor=None, person=teacher.person)

    answers = PractitionerDiversity.objects.unscoped("test").get(practitioner_teacher=teacher)
    assert (answers.ethnic_group, answers.disability, answers.gender, answers.age_band) == (
        "",
        "",
        "",
        "",
    )


def test_with_no_answers_the_report_has_no_rows_rather_than_a_table_of_noughts() -> None:
    organisation = OrganisationFactory.create()
    _teacher(organisation)  # in the directory, but has not answered
    manager = member(Role.PARTNERSHIP_MANAGER, organisation)
    assert _counts(manager, "Ethnic group") == {}
