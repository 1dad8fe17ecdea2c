import datetime
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models, transaction

from practica.accounts.models import Membership, Role
from practica.core.models import OrganisationKind, Person
from practica.demo.generate import SCALES, GenerationError, Scale, generate
from practica.educators.register.models import PracticeEducator
from practica.educators.register.selectors import educators_visible_to
from practica.learning.events.models import Registration
from practica.placements.models import Placement
from practica.timeaudit.models import TimeLog

TODAY = datetime.date(2026, 3, 2)  # in the spring term: some placements done, some going on
COVERED = [
    "accounts.User",
    "accounts.Membership",
    "core.Partnership",
    "core.Organisation",
    "core.Location",
    "core.Team",
    "core.Person",
    "educators.PracticeEducator",
    "educators.PracticeEducatorActivity",
    "educators.PepsCohort",
    "educators.PepsEnrolment",
    "learning.Event",
    "learning.Registration",
    "placements.Student",
    "placements.PlacementOffer",
    "placements.Placement",
    "timeaudit.TimeAudit",
    "timeaudit.AuditEnrolment",
    "timeaudit.TimeLog",
]


def _rows(label: str) -> list[Any]:
    model: type[models.Model] = apps.get_model(label)
    return list(model._base_manager.all())


@pytest.mark.django_db
def test_tiny_scale_writes_rows_of_every_covered_model_each_with_its_history() -> None:
    counts = generate(scale=SCALES["tiny"], years=3, seed=3, today=TODAY)

    assert sorted(counts) == sorted(COVERED)
    for label in COVERED:
        model = apps.get_model(label)
        assert counts[label] > 0, label
        assert model._base_manager.count() >= counts[label], label
        if hasattr(model, "history"):
            assert model.history.count() >= counts[label], label


@pytest.mark.django_db
def test_every_generated_record_passes_its_models_validation() -> None:
    generate(scale=SCALES["tiny"], years=3, seed=4)  # today: the dates cannot be in the future

    for label in COVERED:
        for row in _rows(label):
            # unique fields and constraints were checked by the database when it was written
            row.full_clean(validate_unique=False, validate_constraints=False)


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """The generated records by their natural keys (no ids, which differ between runs)."""
    return {
        "people": sorted(
            Person.objects.unscoped("test").values_list(
                "organisation__code", "team__name", "first_name", "last_name", "email", "job_title"
            ),
            key=str,
        ),
        "educators": sorted(
            PracticeEducator.objects.unscoped("test").values_list(
                "person__email",
                "peps_stage",
                "stage1_date",
                "stage2_date",
                "independent",
                "last_student_date",
                "last_training_date",
            ),
            key=str,
        ),
        "placements": sorted(
            Placement.objects.unscoped("test").values_list(
                "student__student_ref",
                "organisation__code",
                "team__name",
                "academic_year__start_year",
                "placement_type",
                "status",
                "starts_on",
                "practice_educator__person__email",
                "offer__slots",
            ),
            key=str,
        ),
        "registrations": sorted(
            Registration.objects.unscoped("test").values_list(
                "event__title", "event__starts_at", "person__email", "status", "attended"
            ),
            key=str,
        ),
        "time logs": sorted(
            TimeLog.objects.unscoped("test").values_list(
                "enrolment__practice_educator__person__email",
                "week_start",
                "daytime_hours",
                "ooh_hours",
            ),
            key=str,
        ),
    }


@pytest.mark.django_db
def test_the_same_seed_generates_the_same_records() -> None:
    snapshots = []
    for _run in range(2):
        with transaction.atomic():
            generate(scale=SCALES["tiny"], years=2, seed=11, today=TODAY)
            snapshots.append(_snapshot())
            transaction.set_rollback(True)  # as if into a fresh database

    assert all(snapshots[0].values())
    assert snapshots[0] == snapshots[1]


@pytest.mark.django_db
def test_a_seed_already_generated_is_refused() -> None:
    generate(scale=SCALES["tiny"], seed=5, today=TODAY)

    with pytest.raises(GenerationError, match="already been generated"):
        generate(scale=SCALES["tiny"], seed=5, today=TODAY)


@pytest.mark.django_db
def test_a_coordinator_of_a_generated_la_sees_only_their_own_practice_educators() -> None:
    generate(scale=SCALES["tiny"].scaled(1.5), seed=6, today=TODAY)
    memberships = Membership.objects.unscoped("test").filter(
        role=Role.COORDINATOR, organisation__kind=OrganisationKind.LOCAL_AUTHORITY
    )
    first, second = (m for m in memberships.select_related("user", "organisation")[:2])

    seen = list(educators_visible_to(first.user, today=TODAY))

    assert seen
    assert {educator.person.organisation_id for educator in seen} == {first.organisation_id}
    assert not PracticeEducator.objects.visible_to(first.user).filter(
        person__organisation=second.organisation
    )


def test_scaled_multiplies_every_count_and_keeps_at_least_one() -> None:
    tiny = SCALES["tiny"]

    assert tiny.scaled(2).pes_per_la == 2 * tiny.pes_per_la
    assert tiny.scaled(0.01) == Scale(**dict.fromkeys(vars(tiny), 1))
    with pytest.raises(GenerationError):
        tiny.scaled(0)


def test_national_scale_is_about_the_size_of_england() -> None:
    national = SCALES["national"]
    las = national.partnerships * national.las_per_partnership
    heis = national.partnerships * national.heis_per_partnership

    assert 140 <= las <= 160
    assert 70 <= heis <= 90
    assert 23_000 <= las * national.pes_per_la <= 27_000
    assert 14_000 <= heis * national.students_per_hei <= 16_000
    assert 17_000 <= las * national.slots_per_la <= 19_000


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--scale", "galactic"], "Unknown scale 'galactic'"),
        (["--scale", "tiny", "--years", "0"], "--years must be at least 1"),
        (["--scale", "tiny", "--seed", "-1"], "Choose a seed from 0"),
    ],
)
def test_the_command_refuses_bad_input_clearly(arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("generate", *arguments)


@pytest.mark.django_db
def test_the_command_prints_progress_and_the_counts(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("generate", "--scale", "tiny", "--seed", "9")

    out = capsys.readouterr().out
    assert "[partnerships] 1/1" in out
    assert "placements.Placement" in out
