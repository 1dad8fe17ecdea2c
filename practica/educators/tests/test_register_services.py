"""Writes to the register: every change validated and recorded with its actor."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.educators.models import PepsStage, PracticeEducator, PracticeEducatorActivity
from practica.educators.register import services
from practica.educators.tests.factories import ActivityFactory, PracticeEducatorFactory
from practica.organisations.tests.factories import LocationFactory, PersonFactory, TeamFactory

TODAY = timezone.localdate()


def test_creating_an_entry_records_who_made_it(alice: User, org_a: Organisation) -> None:
    person = PersonFactory.create(organisation=org_a)
    educator = services.create_practice_educator(
        actor=alice,
        person=person,
        peps_stage=PepsStage.STAGE1,
        stage1_date=datetime.date(2019, 6, 30),
        independent=True,
    )
    assert educator.history.get().history_user == alice
    assert educator.independent is True


def test_a_person_is_on_the_register_once(org_a: Organisation) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a)
    with pytest.raises(ValidationError, match="already on the practice educator register"):
        services.create_practice_educator(actor=None, person=educator.person)
    assert PracticeEducator.objects.unscoped("test").count() == 1


def test_stage_1_needs_the_date_it_was_achieved(org_a: Organisation) -> None:
    person = PersonFactory.create(organisation=org_a)
    with pytest.raises(ValidationError, match="Give the date PEPS Stage 1 was achieved"):
        services.create_practice_educator(actor=None, person=person, peps_stage=PepsStage.STAGE1)
    assert not PracticeEducator.objects.unscoped("test").exists()


def test_stage_2_cannot_come_before_stage_1(org_a: Organisation) -> None:
    person = PersonFactory.create(organisation=org_a)
    with pytest.raises(ValidationError, match="Stage 2 cannot be achieved before Stage 1"):
        services.create_practice_educator(
            actor=None,
            person=person,
            peps_stage=PepsStage.STAGE2,
            stage1_date=datetime.date(2019, 1, 1),
            stage2_date=datetime.date(2018, 1, 1),
        )


def test_a_stage_2_date_is_refused_for_someone_below_stage_2(org_a: Organisation) -> None:
    person = PersonFactory.create(organisation=org_a)
    with pytest.raises(ValidationError, match="only recorded for someone who has achieved Stage 2"):
        services.create_practice_educator(
            actor=None,
            person=person,
            peps_stage=PepsStage.STAGE1,
            stage1_date=datetime.date(2018, 1, 1),
            stage2_date=datetime.date(2019, 1, 1),
        )


def test_an_unknown_stage_is_refused_clearly(org_a: Organisation) -> None:
    person = PersonFactory.create(organisation=org_a)
    with pytest.raises(ValidationError, match="is not a PEPS stage"):
        services.create_practice_educator(actor=None, person=person, peps_stage="stage3")


def test_dates_in_the_future_are_refused(org_a: Organisation) -> None:
    person = PersonFactory.create(organisation=org_a)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.create_practice_educator(
            actor=None, person=person, last_student_date=TODAY + datetime.timedelta(days=1)
        )


def test_the_database_refuses_a_stage_without_its_date(org_a: Organisation) -> None:
    """The constraint holds even for writes that skip validation."""
    person = PersonFactory.create(organisation=org_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeEducator.objects.create(person=person, peps_stage=PepsStage.STAGE2)


def test_a_location_of_another_organisation_is_refused(
    org_a: Organisation, org_b: Organisation
) -> None:
    person = PersonFactory.create(organisation=org_a)
    elsewhere = LocationFactory.create(organisation=org_b)
    with pytest.raises(ValidationError, match="location of the practice educator's organisation"):
        services.create_practice_educator(actor=None, person=person, location=elsewhere)


def test_updating_the_entry_moves_the_person_to_the_new_team(
    alice: User, org_a: Organisation
) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a)
    team = TeamFactory.create(organisation=org_a)
    services.update_practice_educator(
        actor=alice,
        educator=educator,
        peps_stage=educator.peps_stage,
        stage1_date=educator.stage1_date,
        stage2_date=educator.stage2_date,
        independent=True,
        service_area=None,
        location=None,
        last_student_date=educator.last_student_date,
        last_training_date=educator.last_training_date,
        team=team,
    )
    educator.refresh_from_db()
    assert educator.person.team == team
    assert educator.independent is True
    assert educator.history.first().history_user == alice


def test_a_team_of_another_organisation_is_refused(
    org_a: Organisation, org_b: Organisation
) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a)
    with pytest.raises(ValidationError, match="team of the person's organisation"):
        services.create_practice_educator_for(
            actor=None,
            organisation=org_a,
            person=None,
            first_name="New",
            last_name="Person",
            team=TeamFactory.create(organisation=org_b),
        )
    assert PracticeEducator.objects.unscoped("test").get() == educator


def test_adding_someone_new_creates_the_person_too(org_a: Organisation) -> None:
    educator = services.create_practice_educator_for(
        actor=None,
        organisation=org_a,
        person=None,
        first_name=" Nia ",
        last_name="Okoro",
        email="Nia.Okoro@example.test",
        peps_stage=PepsStage.STAGE1_TRAINING,
    )
    assert educator.person.full_name == "Nia Okoro"
    assert educator.person.email == "nia.okoro@example.test"
    assert educator.person.organisation == org_a


def test_someone_of_another_organisation_cannot_be_added(
    org_a: Organisation, org_b: Organisation
) -> None:
    with pytest.raises(ValidationError, match="works for your organisation"):
        services.create_practice_educator_for(
            actor=None, organisation=org_a, person=PersonFactory.create(organisation=org_b)
        )


def test_a_review_records_who_and_when(alice: User, org_a: Organisation) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a)
    services.review_practice_educator(actor=alice, educator=educator, reviewed_on=TODAY)
    educator.refresh_from_db()
    assert (educator.reviewed_on, educator.reviewed_by) == (TODAY, alice)


def test_a_review_cannot_be_dated_in_the_future_or_before_the_last(
    alice: User, org_a: Organisation
) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a, reviewed_on=TODAY)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        services.review_practice_educator(
            actor=alice, educator=educator, reviewed_on=TODAY + datetime.timedelta(days=1)
        )
    with pytest.raises(ValidationError, match="last reviewed later"):
        services.review_practice_educator(
            actor=alice, educator=educator, reviewed_on=TODAY - datetime.timedelta(days=1)
        )


def test_an_activity_of_the_same_kind_cannot_be_open_twice(org_a: Organisation) -> None:
    activity = ActivityFactory.create(educator__person__organisation=org_a)
    with pytest.raises(ValidationError, match="already recorded as"):
        services.start_activity(
            actor=None,
            educator=activity.educator,
            kind=activity.kind,
            started_on=datetime.date(2020, 1, 1),
        )


def test_an_activity_cannot_end_before_it_starts(org_a: Organisation) -> None:
    activity = ActivityFactory.create(
        educator__person__organisation=org_a, started_on=datetime.date(2019, 9, 1)
    )
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        services.end_activity(actor=None, activity=activity, ended_on=datetime.date(2019, 8, 31))
    activity.refresh_from_db()
    assert activity.ended_on is None


def test_setting_current_activities_starts_and_ends_them(org_a: Organisation) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a)
    ActivityFactory.create(educator=educator, kind="asye_assessor")
    services.set_current_activities(
        actor=None, educator=educator, kinds=["student_pe", "peps_assessor"], on=TODAY
    )
    current = educator.activities.filter(ended_on__isnull=True)
    assert sorted(current.values_list("kind", flat=True)) == ["peps_assessor", "student_pe"]
    ended = PracticeEducatorActivity.objects.unscoped("test").get(kind="asye_assessor")
    assert ended.ended_on == TODAY - datetime.timedelta(days=1)  # its last day was yesterday


def test_an_activity_started_today_and_no_longer_listed_is_removed(org_a: Organisation) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a)
    services.set_current_activities(actor=None, educator=educator, kinds=["student_pe"], on=TODAY)
    services.set_current_activities(actor=None, educator=educator, kinds=["amhp_bia_pe"], on=TODAY)
    assert list(educator.activities.values_list("kind", flat=True)) == ["amhp_bia_pe"]
    assert PracticeEducatorActivity.history.filter(kind="student_pe", history_type="-").exists()


def test_an_unknown_activity_is_refused(org_a: Organisation) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a)
    with pytest.raises(ValidationError, match="Unknown activities: juggling"):
        services.set_current_activities(actor=None, educator=educator, kinds=["juggling"], on=TODAY)


def test_the_warning_must_be_shorter_than_the_periods(org_a: Organisation) -> None:
    with pytest.raises(ValidationError, match="shorter than both periods"):
        services.set_currency_rule(
            actor=None,
            partnership=org_a.partnership,
            months_since_student=12,
            months_since_training=24,
            warning_months=12,
            review_months=12,
        )
