"""The import kinds ``practitioner-teachers`` and ``lived-experience-contributors``: labels
accepted for choices, expertise separated by semicolons, and an export that imports back."""

from __future__ import annotations

import datetime

import pytest

from practica.accounts import permissions
from practica.accounts.models import Role
from practica.imports.registry import get_importer
from practica.imports.testing import as_csv, import_text
from practica.organisations.tests.factories import OrganisationFactory, TeamFactory, member
from practica.teaching.models import (
    ConsentKind,
    ContributorConsent,
    LivedExperienceContributor,
    PractitionerStatus,
    PractitionerTeacher,
)
from practica.teaching.tests.factories import LivedExperienceContributorFactory

pytestmark = pytest.mark.django_db

PT_HEADER = "email,first_name,last_name,organisation,team,service_area,expertise,status\n"


def _teacher(email: str) -> PractitionerTeacher:
    return (
        PractitionerTeacher.objects.unscoped("test")
        .select_related("person__team")
        .get(person__email=email)
    )


def test_practitioner_teachers_import_with_labels_and_semicolon_separated_expertise() -> None:
    organisation = OrganisationFactory.create(code="MC")
    TeamFactory.create(organisation=organisation, name="Child protection team")

    errors, _result = import_text(
        (
            "practitioner-teachers",
            PT_HEADER + "sam@example.test,Sam,Okafor,MC,Child protection team,childrens,"
            "Court skills; child_protection,In training\n"
            "ali@example.test,Ali,Khan,MC,,adults,,active\n",
        )
    )

    assert errors == []
    sam = _teacher("sam@example.test")
    assert sam.status == PractitionerStatus.IN_TRAINING
    assert sam.person.team is not None
    assert sam.person.team.name == "Child protection team"
    assert {area.code for area in sam.expertise.all()} == {"court_skills", "child_protection"}
    assert _teacher("ali@example.test").status == PractitionerStatus.ACTIVE


def test_unknown_expertise_and_statuses_are_named() -> None:
    OrganisationFactory.create(code="MC")

    errors, _result = import_text(
        (
            "practitioner-teachers",
            PT_HEADER + "sam@example.test,Sam,Okafor,MC,,,astrology,retired\n",
        )
    )

    assert any("astrology" in error for error in errors)
    assert any("retired" in error for error in errors)


def test_a_university_cannot_hold_practitioner_teachers() -> None:
    OrganisationFactory.create(code="UNI", kind="hei")
    errors, _result = import_text(
        ("practitioner-teachers", PT_HEADER + "sam@example.test,Sam,Okafor,UNI,,,,active\n")
    )
    assert any("not a university" in error for error in errors)


def test_exported_practitioner_teachers_import_unchanged() -> None:
    organisation = OrganisationFactory.create(code="MC")
    import_text(
        (
            "practitioner-teachers",
            PT_HEADER
            + "sam@example.test,Sam,Okafor,MC,,childrens,court_skills;assessment,active\n",
        )
    )
    rows = get_importer("practitioner-teachers").export_rows(permissions.OPERATOR)

    errors, result = import_text(("practitioner-teachers", as_csv(rows)))

    assert errors == []
    assert result.counts() == {"create": 0, "update": 0, "unchanged": 1}
    assert rows[0]["expertise"] == "assessment;court_skills"
    assert organisation.pk == _teacher("sam@example.test").person.organisation_id


def test_contributors_import_with_their_consent_to_being_listed() -> None:
    OrganisationFactory.create(code="CCCU", kind="hei")

    errors, _result = import_text(
        (
            "lived-experience-contributors",
            "hei,email,first_name,last_name,consent_date,areas\n"
            "CCCU,jo@example.test,Jo,Bright,01/10/2019,Lived experience of services;mental_health\n",
        )
    )

    assert errors == []
    contributor = LivedExperienceContributor.objects.unscoped("test").get(
        person__email="jo@example.test"
    )
    consent = ContributorConsent.objects.unscoped("test").get(contributor=contributor)
    assert (consent.kind, consent.given_on) == (ConsentKind.DIRECTORY, datetime.date(2019, 10, 1))
    assert {area.code for area in contributor.areas.all()} == {"lived_experience", "mental_health"}


def test_exported_contributors_import_unchanged_and_withdrawn_ones_are_not_exported() -> None:
    hei = OrganisationFactory.create(code="CCCU", kind="hei")
    LivedExperienceContributorFactory.create(hei=hei, shared=True)
    LivedExperienceContributorFactory.create(hei=hei, listed=False)
    importer = get_importer("lived-experience-contributors")

    rows = importer.export_rows(permissions.OPERATOR)
    errors, result = import_text(("lived-experience-contributors", as_csv(rows)))

    assert len(rows) == 1
    assert "share_with_partners" not in rows[0]  # the contributor-consents file carries it
    assert errors == []
    assert result.counts() == {"create": 0, "update": 0, "unchanged": 1}


def test_university_staff_export_only_their_own_contributors() -> None:
    hei = OrganisationFactory.create(kind="hei")
    other = OrganisationFactory.create(kind="hei", partnership=hei.partnership)
    ours = LivedExperienceContributorFactory.create(hei=hei)
    LivedExperienceContributorFactory.create(hei=other, shared=True)
    coordinator = member(Role.COORDINATOR, hei)

    rows = get_importer("lived-experience-contributors").export_rows(coordinator)

    assert [row["email"] for row in rows] == [ours.person.email]
