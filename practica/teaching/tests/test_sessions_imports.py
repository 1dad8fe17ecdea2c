"""The teaching-sessions and admissions-interviews import kinds: one row per practitioner per
session; rows naming the same session make one; importing again changes nothing; what is
exported imports back the same."""

from __future__ import annotations

from decimal import Decimal

import pytest

from practica.accounts.permissions import OPERATOR
from practica.imports.registry import get_importer
from practica.imports.testing import as_csv, import_text
from practica.teaching.models import PeerObservation, SessionContributor, TeachingSession
from practica.teaching.tests.sessions_world import World, make_world

pytestmark = pytest.mark.django_db

TEACHING = (
    "hei,date,module,title,status,hours,practitioner_email,organisation,service_area\n"
    "UNI,2019-11-14,Adults,Mental capacity,delivered,2,pat@shire.test,LA1,adults\n"
    "UNI,2019-11-14,Adults,Mental capacity,delivered,2,other@borough.test,LA2,childrens\n"
    "UNI,2019-11-21,Adults,Safeguarding,scheduled,,noacc@shire.test,LA1,\n"
)
INTERVIEWS = (
    "hei,date,length,status,practitioner_email,organisation\n"
    "UNI,2020-01-22,full,delivered,pat@shire.test,LA1\n"
    "UNI,2020-01-22,full,delivered,other@borough.test,LA2\n"
    "UNI,2020-01-23,half,scheduled,noacc@shire.test,LA1\n"
)


@pytest.fixture
def world() -> World:
    return make_world()


def test_rows_with_the_same_session_make_one_session_with_each_practitioner(world: World) -> None:
    errors, _result = import_text(("teaching-sessions", TEACHING))
    assert errors == []
    sessions = TeachingSession.objects.unscoped("test").order_by("date")
    assert [(s.title, s.status, s.hours, s.contributors.count()) for s in sessions] == [
        ("Mental capacity", "delivered", Decimal(2), 2),
        ("Safeguarding", "scheduled", Decimal(2), 1),
    ]
    borough = SessionContributor.objects.unscoped("test").get(practitioner_teacher=world.other_pt)
    assert borough.organisation == world.la2
    assert borough.service_area is not None
    assert borough.service_area.code == "childrens"


def test_interview_rows_give_half_and_full_days_with_their_default_hours(world: World) -> None:
    errors, _result = import_text(("admissions-interviews", INTERVIEWS))
    assert errors == []
    sessions = TeachingSession.objects.unscoped("test").order_by("date")
    assert [(s.kind, s.hours, s.contributors.count()) for s in sessions] == [
        ("interview_full", Decimal(6), 2),
        ("interview_half", Decimal(4), 1),
    ]


def test_importing_the_same_file_again_changes_nothing(world: World) -> None:
    import_text(("teaching-sessions", TEACHING))
    _errors, result = import_text(("teaching-sessions", TEACHING))
    assert result.counts() == {"create": 0, "update": 0, "unchanged": 3}


def test_an_unknown_practitioner_is_named_by_row_and_column(world: World) -> None:
    errors, _result = import_text(
        ("teaching-sessions", TEACHING.replace("noacc@shire.test", "nobody@shire.test"))
    )
    assert errors == [
        "row 4, column practitioner_email: no such person; add them in a people file first."
    ]
    assert not TeachingSession.objects.unscoped("test").exists()


@pytest.mark.parametrize(
    ("kind", "text"), [("teaching-sessions", TEACHING), ("admissions-interviews", INTERVIEWS)]
)
def test_what_is_exported_imports_back_unchanged(world: World, kind: str, text: str) -> None:
    import_text((kind, text))
    exported = as_csv(get_importer(kind).export_rows(OPERATOR))
    _errors, result = import_text((kind, exported))
    assert result.counts() == {"create": 0, "update": 0, "unchanged": 3}


OBSERVATIONS = (
    "hei,date,module,title,practitioner_email,observed_on,observer,strengths,areas_to_develop\n"
    "UNI,2019-11-14,Adults,Mental capacity,pat@shire.test,2019-11-14,prof@uni.test,"
    "Real cases,More time for questions\n"
    "UNI,2019-11-14,Adults,Mental capacity,other@borough.test,2019-11-15,,Clear,Slower\n"
)


def test_peer_observations_are_imported_onto_the_sessions_of_the_same_batch(
    world: World,
) -> None:
    errors, _result = import_text(
        ("teaching-sessions", TEACHING), ("peer-observations", OBSERVATIONS)
    )

    assert errors == []
    observations = PeerObservation.objects.unscoped("test").order_by("observed_on")
    assert [
        (o.practitioner_teacher, o.observer, o.strengths, o.session.title) for o in observations
    ] == [
        (world.pt_with_account, world.academic, "Real cases", "Mental capacity"),
        (world.other_pt, None, "Clear", "Mental capacity"),
    ]
    exported = as_csv(get_importer("peer-observations").export_rows(OPERATOR))
    _errors, again = import_text(("peer-observations", exported))
    assert again.counts() == {"create": 0, "update": 0, "unchanged": 2}


def test_a_peer_observation_of_someone_not_on_the_session_is_refused(world: World) -> None:
    import_text(("teaching-sessions", TEACHING))

    errors, _result = import_text(
        ("peer-observations", OBSERVATIONS.replace("other@borough.test", "noacc@shire.test"))
    )
    unknown_session, _ = import_text(
        ("peer-observations", OBSERVATIONS.replace("Mental capacity", "Court skills"))
    )

    (error,) = errors
    assert "row 3, column practitioner_email: " in error
    assert "did not teach this session" in error
    assert "row 2, column date: no such teaching session" in unknown_session[0]
    assert not PeerObservation.objects.unscoped("test").exists()
