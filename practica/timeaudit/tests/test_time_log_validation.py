"""Every bad weekly entry is refused with a message that says what is wrong (issue 13): hours
below 0 or above 80 a week, a day that is not a Monday, a week before the placement starts or
not started yet, a week logged twice (the database refuses it too), a split by activity that
does not add up. A correction keeps the earlier figures in the log's history."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from practica.educators.tests.factories import PracticeEducatorFactory
from practica.placements.tests.factories import PlacementFactory
from practica.timeaudit import services
from practica.timeaudit.models import AuditEnrolment, TimeLog
from practica.timeaudit.tests.factories import STARTS_ON, AuditEnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment() -> AuditEnrolment:
    return AuditEnrolmentFactory.create()


def log(enrolment: AuditEnrolment, **changes: object) -> TimeLog:
    values: dict[str, object] = {
        "week_start": STARTS_ON,
        "daytime_hours": Decimal(7),
        "ooh_hours": Decimal(1),
        **changes,
    }
    return services.log_week(actor=None, enrolment=enrolment, **values)  # type: ignore[arg-type]


def refused(enrolment: AuditEnrolment, **changes: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        log(enrolment, **changes)
    assert not TimeLog.objects.unscoped("test").exists()
    return caught.value.message_dict


def test_a_week_in_range_is_logged(enrolment: AuditEnrolment) -> None:
    logged = log(enrolment, daytime_hours=Decimal("7.5"), ooh_hours=Decimal(0))
    assert logged.total_hours == Decimal("7.5")


def test_negative_hours_are_refused(enrolment: AuditEnrolment) -> None:
    errors = refused(enrolment, daytime_hours=Decimal(-1))
    assert "Hours cannot be negative." in errors["daytime_hours"]


def test_more_than_80_hours_in_a_week_are_refused(enrolment: AuditEnrolment) -> None:
    errors = refused(enrolment, daytime_hours=Decimal(60), ooh_hours=Decimal(30))
    assert errors["ooh_hours"] == [
        "60 daytime and 30 out-of-hours hours make 90: a week holds at most 80 hours of "
        "practice educator work."
    ]


def test_80_hours_exactly_are_accepted(enrolment: AuditEnrolment) -> None:
    assert log(enrolment, daytime_hours=Decimal(70), ooh_hours=Decimal(10)).total_hours == 80


def test_a_week_must_start_on_a_monday(enrolment: AuditEnrolment) -> None:
    errors = refused(enrolment, week_start=datetime.date(2020, 1, 8))
    assert errors["week_start"] == [
        "Give the Monday the week starts on (Monday 6 January 2020), not Wednesday 8 January 2020."
    ]


def test_a_week_before_the_placement_starts_is_refused(enrolment: AuditEnrolment) -> None:
    errors = refused(enrolment, week_start=datetime.date(2019, 12, 30))
    assert errors["week_start"] == [
        "The placement starts on 6 January 2020: log weeks from the week beginning 6 January 2020."
    ]


def test_the_week_the_placement_starts_in_counts_even_before_its_first_day() -> None:
    educator = PracticeEducatorFactory.create()
    placement = PlacementFactory.create(
        confirmed=True, practice_educator=educator, starts_on=datetime.date(2020, 1, 8)
    )
    enrolment = AuditEnrolmentFactory.create(
        audit__organisation=placement.organisation,
        practice_educator=educator,
        placement=placement,
    )
    assert log(enrolment, week_start=datetime.date(2020, 1, 6)).week_start.day == 6


def test_a_week_not_started_yet_is_refused(enrolment: AuditEnrolment) -> None:
    today = datetime.date.today()
    next_monday = today + datetime.timedelta(days=7 - today.weekday())
    errors = refused(enrolment, week_start=next_monday + datetime.timedelta(days=7))
    assert errors["week_start"] == ["This week has not started yet: log it once it has."]


def test_a_week_logged_twice_is_refused_with_a_way_forward(enrolment: AuditEnrolment) -> None:
    log(enrolment)
    with pytest.raises(ValidationError) as caught:
        log(enrolment, daytime_hours=Decimal(3))
    assert caught.value.messages == [
        "This week is already logged: change that entry instead of adding another."
    ]
    assert TimeLog.objects.unscoped("test").get().daytime_hours == 7


def test_the_database_itself_keeps_one_entry_per_educator_and_week(
    enrolment: AuditEnrolment,
) -> None:
    log(enrolment)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeLog.objects.bulk_create(
            [TimeLog(enrolment=enrolment, week_start=STARTS_ON, daytime_hours=1, ooh_hours=0)]
        )


def test_the_database_refuses_more_than_80_hours(enrolment: AuditEnrolment) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeLog.objects.bulk_create(
            [TimeLog(enrolment=enrolment, week_start=STARTS_ON, daytime_hours=50, ooh_hours=31)]
        )


def test_a_split_by_activity_must_add_up_to_the_week(enrolment: AuditEnrolment) -> None:
    errors = refused(enrolment, activities={"supervision": Decimal("1.5"), "portfolio": Decimal(2)})
    assert errors["other_hours"] == [
        "The hours by activity add up to 3.5, but the week's hours (daytime and out of hours) "
        "are 8: make them the same, or leave the activities empty."
    ]


def test_a_split_that_adds_up_is_kept(enrolment: AuditEnrolment) -> None:
    logged = log(enrolment, activities={"supervision": Decimal("1.5"), "other": Decimal("6.5")})
    assert logged.is_split
    assert logged.activity_hours()["supervision"] == Decimal("1.5")
    assert logged.activity_hours()["observation"] is None


def test_a_placement_of_another_educator_is_refused() -> None:
    enrolment = AuditEnrolmentFactory.create()
    other = PlacementFactory.create(
        confirmed=True, practice_educator=PracticeEducatorFactory.create()
    )
    with pytest.raises(ValidationError) as caught:
        services.link_placement(actor=None, enrolment=enrolment, placement=other)
    assert caught.value.message_dict["placement"] == [
        "Choose a placement this practice educator supervises."
    ]


def test_a_correction_keeps_the_earlier_figures_in_history(enrolment: AuditEnrolment) -> None:
    logged = log(enrolment)
    services.correct_week(
        actor=None, log=logged, daytime_hours=Decimal(9), ooh_hours=Decimal("0.5")
    )
    figures = [(h.daytime_hours, h.ooh_hours) for h in logged.history.order_by("history_date")]
    assert figures == [(Decimal(7), Decimal(1)), (Decimal(9), Decimal("0.5"))]


def test_enrolling_finds_the_educators_placement_of_the_audits_type_and_year() -> None:
    enrolment = AuditEnrolmentFactory.create()
    placement = enrolment.placement
    assert placement is not None
    other = services.enrol_educator(
        actor=None,
        audit=services.create_audit(
            actor=None,
            organisation=enrolment.audit.organisation,
            name="Second audit",
            academic_year=enrolment.audit.academic_year,
            placement_type="final_100",
        ),
        practice_educator=enrolment.practice_educator,
    )
    assert other.placement == placement
