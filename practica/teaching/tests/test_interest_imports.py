"""The ``expressions-of-interest`` import kind: past expressions with the line manager's
answer, no link sent; answer and time go together; an export imports back unchanged."""

from __future__ import annotations

import pytest
from django.core import mail

from practica.accounts import permissions
from practica.imports.registry import get_importer
from practica.imports.testing import as_csv, import_text
from practica.organisations.tests.factories import OrganisationFactory, PersonFactory
from practica.teaching.models import ExpressionOfInterest, PractitionerTeacher

pytestmark = pytest.mark.django_db

HEADER = (
    "email,submitted_at,knowledge,skills,experience,areas,other_areas,line_manager_name,"
    "line_manager_email,line_manager_agrees,line_manager_comment,answered_at\n"
)
ROWS = (
    "sam@mc.test,2019-10-03 09:30,Care proceedings,Presenting,8 years,"
    "child_protection;court_skills,,Jo Bloggs,jo@mc.test,yes,,2019-10-05 14:00\n"
    "kim@mc.test,2019-10-04 10:00,Mental capacity,Role play,5 years,,Housing,Al Smith,"
    "al@mc.test,,,\n"
)


@pytest.fixture
def people() -> None:
    organisation = OrganisationFactory.create(code="MC")
    PersonFactory.create(organisation=organisation, email="sam@mc.test")
    PersonFactory.create(organisation=organisation, email="kim@mc.test")


@pytest.mark.usefixtures("people")
def test_past_expressions_are_recorded_with_the_answer_and_no_link() -> None:
    errors, _result = import_text(("expressions-of-interest", HEADER + ROWS))

    assert errors == []
    sam, kim = ExpressionOfInterest.objects.unscoped("test").order_by("submitted_at")
    assert (sam.line_manager_agrees, sam.answered_at is not None) == (True, True)
    assert sorted(area.code for area in sam.areas.all()) == ["child_protection", "court_skills"]
    assert (kim.line_manager_agrees, kim.answered_at, kim.other_areas) == (None, None, "Housing")
    assert sam.agreement_token_hash is None
    assert kim.agreement_token_hash is None
    assert mail.outbox == []
    # each joins their employer's directory, as an expression made in Practica does
    assert PractitionerTeacher.objects.unscoped("test").count() == 2


@pytest.mark.usefixtures("people")
def test_an_answer_without_its_time_is_refused() -> None:
    errors, _result = import_text(
        ("expressions-of-interest", HEADER + ROWS.replace(",yes,,2019-10-05 14:00", ",yes,,"))
    )

    assert len(errors) == 1
    assert "row 2, column answered_at: " in errors[0]
    assert not ExpressionOfInterest.objects.unscoped("test").exists()


@pytest.mark.usefixtures("people")
def test_an_exported_file_imports_back_unchanged() -> None:
    import_text(("expressions-of-interest", HEADER + ROWS))

    exported = as_csv(get_importer("expressions-of-interest").export_rows(permissions.OPERATOR))
    _errors, result = import_text(("expressions-of-interest", exported))

    assert result.counts() == {"create": 0, "update": 0, "unchanged": 2}
    _errors, changed = import_text(
        ("expressions-of-interest", exported.replace("Role play", "Group work"))
    )
    assert changed.counts() == {"create": 0, "update": 1, "unchanged": 1}
