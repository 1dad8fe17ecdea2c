"""Past evaluations loaded against their placement: the ``questionnaire-responses`` import
carries a response's subject (``subject_type`` placement, ``subject`` the placement named as the
placements import names it) through the engine's generic hook, and an export of evaluations
answered through links imports back about the same placements."""

from __future__ import annotations

import pytest

from practica.accounts import permissions
from practica.accounts.models import Role
from practica.core.models import Organisation, Partnership
from practica.imports.registry import get_importer
from practica.imports.testing import as_csv, import_text
from practica.organisations.tests.factories import OrganisationFactory, member
from practica.placements import evaluation
from practica.placements.models import Placement
from practica.placements.tests.evaluation_helpers import answer, completed_placement
from practica.questionnaires.models import Answer, Response
from practica.questionnaires.standard import install_standard_questionnaires
from practica.questionnaires.tests.factories import make_questionnaire

pytestmark = pytest.mark.django_db

HEADER = (
    "organisation,questionnaire,version,respondent,respondent_organisation,academic_year,"
    "submitted_on,subject_type,subject,question,answer"
)


@pytest.fixture
def placement(partnership: Partnership, org_a: Organisation, org_b: Organisation) -> Placement:
    install_standard_questionnaires(actor=None, partnership=partnership)
    return completed_placement(org_a, org_b)


def paper_form(placement: Placement, reference: str, respondent: str = "paper-1") -> str:
    lead = "AAA"
    rows = [
        f"{lead},placement-evaluation-student,1,{respondent},AAA,2019/20,2020-06-30,"
        f"placement,{reference},{question},{value}"
        for question, value in (("overall-rating", "5"), ("preparation-meeting", "yes"))
    ]
    return "\n".join([HEADER, *rows]) + "\n"


def test_a_paper_evaluation_loads_about_its_placement(placement: Placement) -> None:
    reference = evaluation.placement_reference(placement)
    assert reference == (
        f"BBB {placement.student.student_ref} 2019/20 final_100 2020-01-06"  # as documented
    )

    errors, _result = import_text(("questionnaire-responses", paper_form(placement, reference)))

    assert errors == []
    response = Response.objects.get(respondent_ref="paper-1")
    assert (response.subject_type.model, response.subject_id) == ("placement", placement.pk)  # type: ignore[union-attr]  # it has one
    # the placements' collation now counts it among the answers about this placement
    about = evaluation.about(
        Response.objects.all(), Placement.objects.unscoped("test").filter(pk=placement.pk)
    )
    assert list(about) == [response]


def test_a_reference_in_other_letter_case_and_spacing_names_the_same_placement(
    placement: Placement,
) -> None:
    reference = f"  bbb   {placement.student.student_ref} 2019/20 FINAL_100 2020-01-06 "
    errors, _result = import_text(("questionnaire-responses", paper_form(placement, reference)))
    assert errors == []
    assert Response.objects.get().subject_id == placement.pk


def test_a_subject_that_names_no_placement_or_no_kind_is_refused(placement: Placement) -> None:
    wrong_year = evaluation.placement_reference(placement).replace("2019/20", "2018/19")
    errors, result = import_text(("questionnaire-responses", paper_form(placement, wrong_year)))
    assert not result.applied
    assert errors[0].startswith("row 2, column subject: names no placement you may load answers")
    bad_kind = paper_form(placement, "x").replace(",placement,x,", ",session,x,")
    errors, _result = import_text(("questionnaire-responses", bad_kind))
    assert errors[0] == (
        "row 2, column subject_type: “session” is not a kind answers can be about (placement)."
    )
    assert not Response.objects.exists()


def test_only_a_placement_whose_evaluations_the_importer_reads_is_found(
    placement: Placement, partnership: Partnership, org_a: Organisation
) -> None:
    reference = evaluation.placement_reference(placement)
    stranger = member(Role.COORDINATOR, OrganisationFactory.create(partnership=partnership))
    assert evaluation.placement_named(reference, stranger) is None
    assert evaluation.placement_named(reference, member(Role.COORDINATOR, org_a)) == placement
    assert evaluation.placement_named(reference, permissions.OPERATOR) == placement
    assert evaluation.placement_named("BBB nobody 2019/20", permissions.OPERATOR) is None


def test_an_anonymous_questionnaires_answers_are_about_no_placement(
    placement: Placement, org_a: Organisation
) -> None:
    make_questionnaire(org_a, name="Anonymous feedback", anonymous=True)
    form = (
        paper_form(placement, evaluation.placement_reference(placement))
        .replace("placement-evaluation-student", "anonymous-feedback")
        .replace("overall-rating", "comments")
    )
    errors, _result = import_text(("questionnaire-responses", form))
    assert "row 2, column subject: the questionnaire is anonymous" in errors[0]


def _export() -> list[dict[str, str]]:
    return get_importer("questionnaire-responses").export_rows(permissions.OPERATOR)


def test_evaluations_answered_through_links_export_and_import_back_about_their_placements(
    placement: Placement,
) -> None:
    evaluation.send_evaluations(actor=None, placements=[placement], send=False)
    for invitation in evaluation.asked_about(placement):
        answer(invitation)
    before = _export()
    assert {row["subject_type"] for row in before} == {"placement"}
    assert {row["subject"] for row in before} == {evaluation.placement_reference(placement)}
    subjects = sorted(pk or 0 for pk in Response.objects.values_list("subject_id", flat=True))

    Answer.objects.all().delete()
    Response.objects.all().delete()
    errors, _result = import_text(("questionnaire-responses", as_csv(before)))

    assert errors == []
    restored = Response.objects.values_list("subject_id", flat=True)
    assert sorted(pk or 0 for pk in restored) == subjects
    assert _export() == before
    again, result = import_text(("questionnaire-responses", as_csv(before)))
    assert again == []
    assert result.counts()["create"] == result.counts()["update"] == 0


def test_the_responses_kind_is_loaded_after_the_placements_it_can_be_about() -> None:
    from practica.imports.registry import all_importers

    order = [importer.kind for importer in all_importers()]
    assert "placements" in get_importer("questionnaire-responses").depends_on
    assert order.index("placements") < order.index("questionnaire-responses")
