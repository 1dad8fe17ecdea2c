"""Every look-up of a person or a login by e-mail address goes through the ``address`` lookup
(core/addresses.py), which the unique indexes on ``lower(email)`` can answer. On PostgreSQL
the real queries are EXPLAINed over a table big enough for the planner to choose; the plans
differ on SQLite, so only the matching (not the plan) is checked there."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from practica.accounts.models import User
from practica.core.models import Organisation, Person
from practica.educators.register.importers import educator_with_email
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.imports.lookups import find_person
from practica.organisations.tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

ROWS = 3_000  # enough that reading the whole table costs the planner more than the index


def test_the_address_lookup_ignores_letter_case_and_never_matches_no_address(
    org_a: Organisation,
) -> None:
    person = PersonFactory.create(organisation=org_a, email="Ada.Lovelace@Example.test")
    PersonFactory.create(organisation=org_a, email="")

    assert list(
        Person.objects.unscoped("test").filter(email__address="ada.LOVELACE@example.TEST")
    ) == [person]
    assert not Person.objects.unscoped("test").filter(email__address="").exists()
    assert find_person(email="ADA.lovelace@example.test") == person


def test_the_address_lookup_works_through_a_relation(org_a: Organisation) -> None:
    educator = PracticeEducatorFactory.create(
        person=PersonFactory.create(organisation=org_a, email="grace@example.test")
    )
    assert educator_with_email("GRACE@example.test") == educator
    assert educator_with_email("someone.else@example.test") is None


def test_a_login_is_found_by_its_address_in_any_letter_case() -> None:
    user = UserFactory.create(email="linus@example.test")
    assert User.objects.get_by_natural_key("Linus@Example.TEST") == user


def _plan_of(look_up: Callable[[], object], table: str) -> str:
    """The plan PostgreSQL makes for the query ``look_up`` sends to ``table``."""
    with CaptureQueriesContext(connection) as queries:
        look_up()
    (sql,) = [q["sql"] for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def many_people(org_a: Organisation) -> None:
    Person.objects.bulk_create(
        Person(
            organisation=org_a,
            first_name="P",
            last_name=str(n),
            email=f"person{n}@example.test" if n % 3 else "",
        )
        for n in range(ROWS)
    )
    User.objects.bulk_create(User(email=f"user{n}@example.test") for n in range(ROWS))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_person")
        cursor.execute("ANALYZE accounts_user")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="EXPLAIN's plans are PostgreSQL's to read"
)
@pytest.mark.usefixtures("many_people")
def test_person_and_login_look_ups_by_address_use_the_lower_email_indexes(
    org_a: Organisation,
) -> None:
    PracticeEducatorFactory.create(
        person=PersonFactory.create(organisation=org_a, email="pe@example.test")
    )

    plans = {
        "imports.lookups.find_person": _plan_of(
            lambda: find_person(email="Person7@Example.test"), "core_person"
        ),
        "educators' educator_with_email": _plan_of(
            lambda: educator_with_email("PE@example.test"), "educators_practiceeducator"
        ),
        "the login backend's get_by_natural_key": _plan_of(
            lambda: User.objects.get_by_natural_key("User7@Example.test"),
            "accounts_user",
        ),
    }

    assert "person_email_unique" in plans["imports.lookups.find_person"], plans
    assert "person_email_unique" in plans["educators' educator_with_email"], plans
    assert (
        "user_email_unique_case_insensitive" in plans["the login backend's get_by_natural_key"]
    ), plans


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="EXPLAIN's plans are PostgreSQL's to read"
)
@pytest.mark.usefixtures("many_people")
def test_iexact_reads_the_whole_table_which_is_why_the_address_lookup_exists() -> None:
    plan = _plan_of(
        lambda: (
            Person.objects.unscoped("test").filter(email__iexact="person7@example.test").first()
        ),
        "core_person",
    )
    assert "person_email_unique" not in plan
    assert "Seq Scan" in plan
