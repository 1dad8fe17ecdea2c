"""Scoped reads: who sees which register entries, the filters, and currency in the database
agreeing with the pure rules."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practica.accounts import permissions
from practica.accounts.models import Role, User
from practica.core.models import Organisation, ServiceArea
from practica.educators.models import PepsStage, PracticeEducator
from practica.educators.register import selectors, services
from practica.educators.register.currency import CurrencyRules
from practica.educators.register.selectors import RegisterFilters
from practica.educators.rules import SHARED_REGISTER
from practica.educators.tests.factories import ActivityFactory, PracticeEducatorFactory
from practica.organisations.tests.factories import (
    LocationFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    TeamFactory,
    member,
)

TODAY = datetime.date(2020, 1, 15)


def names(queryset: object) -> set[str]:
    return {educator.person.last_name for educator in queryset}  # type: ignore[attr-defined]  # a queryset of register entries


@pytest.fixture
def ours_and_theirs(org_a: Organisation, org_b: Organisation) -> tuple[PracticeEducator, ...]:
    ours = PracticeEducatorFactory.create(person__organisation=org_a, person__last_name="Ours")
    theirs = PracticeEducatorFactory.create(person__organisation=org_b, person__last_name="Theirs")
    return ours, theirs


def test_a_coordinator_sees_only_their_own_organisations_entries(
    alice: User, ours_and_theirs: tuple[PracticeEducator, ...]
) -> None:
    assert names(selectors.educators_visible_to(alice, today=TODAY)) == {"Ours"}


def test_the_partnership_manager_reads_every_organisation_of_the_partnership(
    manager: User, ours_and_theirs: tuple[PracticeEducator, ...]
) -> None:
    elsewhere = OrganisationFactory.create(partnership=PartnershipFactory.create(name="Other"))
    PracticeEducatorFactory.create(person__organisation=elsewhere, person__last_name="Far")
    assert names(selectors.educators_visible_to(manager, today=TODAY)) == {"Ours", "Theirs"}


def test_a_practice_educator_sees_only_their_own_entry(
    bob: User, org_a: Organisation, ours_and_theirs: tuple[PracticeEducator, ...]
) -> None:
    own = PracticeEducatorFactory.create(
        person__organisation=org_a, person__user=bob, person__last_name="Bob"
    )
    assert names(selectors.educators_visible_to(bob, today=TODAY)) == {"Bob"}
    assert selectors.educator_for(bob, own.pk) == own


def test_a_deactivated_user_does_not_see_their_own_entry(bob: User, org_a: Organisation) -> None:
    PracticeEducatorFactory.create(person__organisation=org_a, person__user=bob)
    bob.is_active = False
    bob.save()
    assert not PracticeEducator.objects.visible_to(bob).exists()


def test_nobody_manages_their_own_entry_by_being_on_it(bob: User, org_a: Organisation) -> None:
    PracticeEducatorFactory.create(person__organisation=org_a, person__user=bob)
    assert not PracticeEducator.objects.visible_to(bob, "manage").exists()


def test_an_hei_academic_reads_only_their_own_organisations_entries(
    org_b: Organisation, ours_and_theirs: tuple[PracticeEducator, ...]
) -> None:
    academic = member(Role.ACADEMIC, org_b)
    assert names(selectors.educators_visible_to(academic, today=TODAY)) == {"Theirs"}


def test_the_shared_register_shows_hei_staff_stage_2_pes_of_their_partnership(
    org_a: Organisation, org_b: Organisation
) -> None:
    academic = member(Role.ACADEMIC, org_b)
    PracticeEducatorFactory.create(person__organisation=org_a, person__last_name="Two")
    PracticeEducatorFactory.create(person__organisation=org_a, person__last_name="One", stage1=True)
    elsewhere = OrganisationFactory.create(partnership=PartnershipFactory.create(name="Other"))
    PracticeEducatorFactory.create(person__organisation=elsewhere, person__last_name="Far")
    assert names(selectors.shared_register_visible_to(academic, today=TODAY)) == {"Two"}


def test_the_shared_register_is_not_for_local_authority_staff(
    alice: User, bob: User, org_a: Organisation
) -> None:
    PracticeEducatorFactory.create(person__organisation=org_a)
    assert not permissions.can_in(alice, SHARED_REGISTER, PracticeEducator)
    assert not selectors.shared_register_visible_to(bob, today=TODAY).exists()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (RegisterFilters(search="adeyemi"), {"Adeyemi"}),
        (RegisterFilters(search="baker@"), {"Baker"}),
        (RegisterFilters(stage="stage1"), {"Baker"}),
        (RegisterFilters(activity="asye_assessor"), {"Adeyemi"}),
        (RegisterFilters(service_area="adults"), {"Baker"}),
        (RegisterFilters(currency="lapsed"), {"Clarke"}),
        (RegisterFilters(currency="current"), {"Adeyemi", "Baker"}),
        (RegisterFilters(organisation="AAA"), {"Adeyemi", "Baker", "Clarke"}),
        (RegisterFilters(organisation="ZZZ"), set()),
    ],
)
def test_the_register_filters(
    alice: User, org_a: Organisation, filters: RegisterFilters, expected: set[str]
) -> None:
    adults = ServiceArea.objects.get(code="adults")
    adeyemi = PracticeEducatorFactory.create(
        person__organisation=org_a, person__last_name="Adeyemi"
    )
    ActivityFactory.create(educator=adeyemi, kind="asye_assessor")
    ActivityFactory.create(educator=adeyemi, kind="student_pe", ended_on=datetime.date(2019, 12, 1))
    PracticeEducatorFactory.create(
        person__organisation=org_a,
        person__last_name="Baker",
        person__email="baker@example.test",
        stage1=True,
        service_area=adults,
    )
    PracticeEducatorFactory.create(
        person__organisation=org_a,
        person__last_name="Clarke",
        last_student_date=datetime.date(2016, 1, 1),
    )
    assert names(selectors.educators_visible_to(alice, filters=filters, today=TODAY)) == expected


def test_team_and_location_filters_fall_back_to_the_team(alice: User, org_a: Organisation) -> None:
    place = LocationFactory.create(organisation=org_a, name="Chatham")
    other_place = LocationFactory.create(organisation=org_a, name="Strood")
    team = TeamFactory.create(organisation=org_a, location=place)
    PracticeEducatorFactory.create(
        person__organisation=org_a, person__team=team, person__last_name="Team"
    )
    PracticeEducatorFactory.create(
        person__organisation=org_a, person__team=team, person__last_name="Own", location=other_place
    )
    by_place = selectors.educators_visible_to(
        alice, filters=RegisterFilters(location=str(place.pk)), today=TODAY
    )
    by_team = selectors.educators_visible_to(
        alice, filters=RegisterFilters(team=str(team.pk)), today=TODAY
    )
    assert names(by_place) == {"Team"}
    assert names(by_team) == {"Team", "Own"}


def test_the_database_agrees_with_the_currency_rules(manager: User, org_a: Organisation) -> None:
    """Random dates around every boundary: the annotation equals currency_of for each PE."""
    services.set_currency_rule(
        actor=None,
        partnership=org_a.partnership,
        months_since_student=18,
        months_since_training=24,
        warning_months=2,
        review_months=12,
    )
    rules = CurrencyRules(18, 24, 2, 12)
    rng = random.Random(6)
    base = datetime.date(2017, 1, 1)
    for index in range(60):
        stage = rng.choice([PepsStage.STAGE1, PepsStage.STAGE2, PepsStage.STAGE1_TRAINING])

        def day() -> datetime.date | None:
            return None if rng.random() < 0.1 else base + datetime.timedelta(rng.randint(0, 1100))

        qualified = stage != PepsStage.STAGE1_TRAINING
        PracticeEducator.objects.create(
            person=PersonFactory.create(organisation=org_a, last_name=f"P{index}"),
            peps_stage=stage,
            stage1_date=datetime.date(2016, 1, 31) if qualified else None,
            stage2_date=datetime.date(2016, 2, 29) if stage == PepsStage.STAGE2 else None,
            last_student_date=day(),
            last_training_date=day(),
            reviewed_on=day(),
        )
    for today in [
        datetime.date(2019, 2, 28),
        datetime.date(2019, 8, 31),
        datetime.date(2020, 2, 29),
    ]:
        for educator in selectors.educators_visible_to(manager, today=today):
            expected = educator.currency(rules, today)
            assert educator.currency_status == expected.status, (educator.person, today)
            from practica.educators.register.currency import review_overdue

            assert educator.review_overdue == review_overdue(educator.reviewed_on, rules, today)


def test_lapsing_lists_soonest_first_and_lapsed_latest_first(
    alice: User, org_a: Organisation
) -> None:
    def educator(name: str, last_student: datetime.date) -> None:
        PracticeEducatorFactory.create(
            person__organisation=org_a,
            person__last_name=name,
            stage1_date=datetime.date(2010, 1, 1),
            stage2_date=datetime.date(2011, 1, 1),
            last_student_date=last_student,
            last_training_date=TODAY,
        )

    educator("Later", datetime.date(2018, 3, 20))
    educator("Sooner", datetime.date(2018, 2, 20))
    educator("LongAgo", datetime.date(2015, 1, 1))
    educator("Recently", datetime.date(2017, 12, 1))
    educator("Fine", datetime.date(2019, 6, 1))
    groups = selectors.lapsing_educators_visible_to(alice, today=TODAY)
    assert [e.person.last_name for e in groups["lapsing"]] == ["Sooner", "Later"]
    assert [e.person.last_name for e in groups["lapsed"]] == ["Recently", "LongAgo"]
    # the home page's cards count the same people with one COUNT query, not by reading the rows
    with CaptureQueriesContext(connection) as counted:
        counts = selectors.lapsing_counts_visible_to(alice, today=TODAY)
    assert counts == {"lapsing": 2, "lapsed": 2}
    assert sum("COUNT(" in query["sql"].upper() for query in counted.captured_queries) == 1


def test_the_lapsing_list_keeps_its_order_when_read_a_slice_at_a_time(
    alice: User, org_a: Organisation
) -> None:
    for number in range(6):
        PracticeEducatorFactory.create(
            person__organisation=org_a,
            person__last_name=f"Pe{number}",
            stage1_date=datetime.date(2010, 1, 1),
            stage2_date=datetime.date(2011, 1, 1),
            last_student_date=datetime.date(2018, 2, 1) - datetime.timedelta(days=200 * number),
            last_training_date=TODAY,
        )
    groups = selectors.lapsing_educators_visible_to(alice, today=TODAY)
    expected = [e.person.last_name for e in [*groups["lapsing"], *groups["lapsed"]]]

    listed = selectors.lapsing_list_visible_to(alice, today=TODAY)

    assert len(listed) == 6
    assert [e.person.last_name for e in listed] == expected
    page = listed[2:4]
    assert [e.person.last_name for e in page] == expected[2:4]
    assert {e.currency_detail.status for e in page} <= {"lapsing", "lapsed"}


def test_reviews_overdue_lists_the_never_reviewed_and_the_late(
    alice: User, org_a: Organisation
) -> None:
    PracticeEducatorFactory.create(person__organisation=org_a, person__last_name="Never")
    PracticeEducatorFactory.create(
        person__organisation=org_a,
        person__last_name="Late",
        reviewed_on=datetime.date(2019, 1, 14),
    )
    PracticeEducatorFactory.create(
        person__organisation=org_a,
        person__last_name="OnTime",
        reviewed_on=datetime.date(2019, 1, 15),
    )
    assert names(selectors.reviews_overdue_visible_to(alice, today=TODAY)) == {"Never", "Late"}
