"""Two people with a record of every kind that names a person, each on the other's selection
panel: what the subject access tests export and compare; and the same two people with their
ids laid out so that one's ids in one table are the other's ids in another."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.utils import timezone
from django.utils.text import capfirst

from practica.accounts.models import Role
from practica.api.services import create_api_token
from practica.core.models import Organisation, Person
from practica.educators.models import ApplicationScore, PeApplication, PepsCohort
from practica.educators.tests.factories import (
    ActivityFactory,
    PanelMemberFactory,
    PeApplicationFactory,
    PepsCohortFactory,
    PepsEnrolmentFactory,
    PracticeEducatorFactory,
    SelectionCriterionFactory,
)
from practica.learning.surveys import services as learning
from practica.learning.surveys.models import CpdNeedsSurvey
from practica.learning.tests.factories import RegistrationFactory
from practica.organisations.tests.factories import PersonFactory, member
from practica.placements.tests.factories import StudentFactory


@dataclass
class Held:
    """The rows made for one person, by model label."""

    person: Person
    application: PeApplication
    ids: dict[str, set[int]]


def cpd_survey(organisation: Organisation) -> CpdNeedsSurvey:
    today = timezone.localdate()
    return learning.create_cpd_needs_survey(
        actor=None,
        partnership=organisation.partnership,
        academic_year="2019/20",
        title="Practice educator CPD needs",
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
        topics=["Reflective supervision", "Unconscious bias"],
    )


def everything_for(
    organisation: Organisation, survey: CpdNeedsSurvey, first_name: str, last_name: str
) -> Held:
    # the login carries the person's own name: a random one from the factory could be the other
    # person's ("Quinn" is one of Faker's surnames) and make an export of theirs look leaky
    user = member(
        Role.PRACTICE_EDUCATOR,
        organisation,
        email=f"{first_name.lower()}@example.test",
        first_name=first_name,
        last_name=last_name,
    )
    person: Person = PersonFactory.create(
        organisation=organisation,
        user=user,
        first_name=first_name,
        last_name=last_name,
        email=user.email,
    )
    educator = PracticeEducatorFactory.create(person=person)
    activity = ActivityFactory.create(educator=educator)
    cohort = PepsCohort.objects.unscoped("test").filter(
        organisation=organisation
    ).first() or PepsCohortFactory.create(organisation=organisation)
    enrolment = PepsEnrolmentFactory.create(educator=educator, cohort=cohort)
    registration = RegistrationFactory.create(person=person, event__organisation=organisation)
    response = learning.submit_cpd_needs_response(
        actor=None,
        survey=survey,
        person=person,
        interest={topic.pk: 4 for topic in survey.topics.all()},
        preferred_format="forum",
    )
    application = PeApplicationFactory.create(
        organisation=organisation, applicant=person, statement=f"{first_name}'s statement"
    )
    score = ApplicationScore.objects.create(
        application=application,
        criterion=SelectionCriterionFactory.create(organisation=organisation),
        score=4,
        comment=f"{first_name} reflects well",
    )
    student = StudentFactory.create(person=person, hei=organisation)
    token, _raw = create_api_token(actor=user, user=user, name=f"{first_name}'s laptop")
    return Held(
        person,
        application,
        {
            "educators.practiceeducator": {educator.pk},
            "educators.practiceeducatoractivity": {activity.pk},
            "educators.pepsenrolment": {enrolment.pk},
            "learning.registration": {registration.pk},
            "learning.cpdneedsresponse": {response.pk},
            "learning.cpdneedsrating": set(response.ratings.values_list("pk", flat=True)),
            "educators.peapplication": {application.pk},
            "educators.applicationscore": {score.pk},
            "placements.student": {student.pk},
            "api.apitoken": {token.pk},
            # a change they made themselves: their login is the history_user of its version
            "api.historicalapitoken": {token.pk},
            "accounts.membership": set(user.memberships.values_list("pk", flat=True)),
        },
    )


def sit_on_panel(held: Held, other: Held) -> int:
    """``held``'s person sits on the panel of ``other``'s application; the row's id."""
    row = PanelMemberFactory.create(application=other.application, person=held.person)
    held.ids["educators.panelmember"] = {row.pk}
    return int(row.pk)


def exported_ids(document: dict[str, Any]) -> dict[str, set[int]]:
    """Row ids by model label, of sections and of the parts nested in their records."""
    part_labels = {
        capfirst(str(model._meta.verbose_name_plural)): model._meta.label_lower
        for model in apps.get_models()
    }
    found: dict[str, set[int]] = {}
    for section in document["sections"]:
        for record in section["records"]:
            found.setdefault(section["model"], set()).add(record["id"])
            for title, rows in record.get("parts", {}).items():
                found.setdefault(part_labels[title], set()).update(row["id"] for row in rows)
    return found


# ---------------------------------------------------------------------------------------------
# Ids laid out across tables. On SQLite every test's ids start again at 1, so a person's row
# has the same id in most tables and a lookup that takes an id from the wrong table still finds
# their own row; on PostgreSQL the ids depend on the tests that ran before. These helpers set
# where each table's ids go next, on both.

BAND = 1_000  # more ids than one person's records take in any one table


def auto_id_tables() -> list[tuple[str, str]]:
    """(table, id column) of every table whose ids the database hands out, history and
    many-to-many tables included, in a fixed order."""
    return sorted(
        {
            (model._meta.db_table, model._meta.pk.column)
            for model in apps.get_models(include_auto_created=True)
            if isinstance(model._meta.pk, models.AutoField)
            and model._meta.pk.column
            and model._meta.managed
        }
    )


def _sequence(cursor: Any, table: str, column: str) -> str:
    cursor.execute(
        "SELECT pg_get_serial_sequence(%s, %s)", [connection.ops.quote_name(table), column]
    )
    (name,) = cursor.fetchone()
    return str(name)


def highest_id_handed_out() -> int:
    """The highest id any of ``auto_id_tables()`` holds or has handed out (PostgreSQL does not
    take back the ids of rows rolled back)."""
    highest = 0
    quoted = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in auto_id_tables():
            # S608: the names come from the model registry, quoted
            cursor.execute(f"SELECT MAX({quoted(column)}) FROM {quoted(table)}")  # noqa: S608
            highest = max(highest, cursor.fetchone()[0] or 0)
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT pg_sequence_last_value(%s::regclass)",
                    [_sequence(cursor, table, column)],
                )
                highest = max(highest, cursor.fetchone()[0] or 0)
            elif connection.vendor == "sqlite":
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                highest = max(highest, row[0] if row else 0)
    return highest


def next_ids(tables: Iterable[tuple[str, str]], first: int) -> None:
    """The next row inserted into each of ``tables`` gets the id ``first``. ``first`` must be
    above every id the table holds (SQLite never hands out a lower one)."""
    with connection.cursor() as cursor:
        for table, column in tables:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(%s::regclass, %s, false)",
                    [_sequence(cursor, table, column), first],
                )
            elif connection.vendor == "sqlite":
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [first - 1, table]
                )
                if not cursor.rowcount:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                        [table, first - 1],
                    )
            else:
                raise NotImplementedError(f"Laying out ids on {connection.vendor} is not written.")


@dataclass(frozen=True)
class Crossing:
    """One way of laying out the ids: the tables whose position in ``auto_id_tables()`` has
    ``bit`` equal to ``side`` are the lower ones, the rest the upper ones, and Quinn's rows in a
    lower table get the ids Pat's rows have in the upper tables (``people_with_crossed_ids``).
    Any two tables differ in some bit, so over ``Crossing.all()`` — two per bit — Pat's ids in
    any table A are Quinn's ids in any other table B, and Quinn's in A are Pat's in B."""

    bit: int
    side: int

    @staticmethod
    def all() -> list[Crossing]:
        bits = max(1, (len(auto_id_tables()) - 1).bit_length())
        return [Crossing(bit, side) for bit in range(bits) for side in (0, 1)]

    def lower(self, tables: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [t for i, t in enumerate(tables) if (i >> self.bit) & 1 == self.side]

    def __str__(self) -> str:
        return f"bit{self.bit}-side{self.side}"


def people_with_crossed_ids(organisation: Organisation, crossing: Crossing) -> tuple[Held, Held]:
    """Pat and Quinn with a record of every kind, each on the other's panel, Pat made first:
    Pat's rows take ids from ``base`` in the lower tables and from ``base + BAND`` in the upper
    ones, Quinn's from ``base + BAND`` in the lower tables and ``base + 2 * BAND`` in the upper
    ones, so that Pat's n-th row in an upper table and Quinn's n-th row in a lower table share
    their id."""
    tables = auto_id_tables()
    lower = crossing.lower(tables)
    upper = [t for t in tables if t not in lower]
    survey = cpd_survey(organisation)
    base = highest_id_handed_out() + 1
    next_ids(lower, base)
    next_ids(upper, base + BAND)
    pat = everything_for(organisation, survey, "Pat", "Subjectson")
    next_ids(lower, base + BAND)
    next_ids(upper, base + 2 * BAND)
    quinn = everything_for(organisation, survey, "Quinn", "Otherly")
    next_ids(tables, base + 3 * BAND)  # where ids carry on after this test, on PostgreSQL too
    sit_on_panel(pat, quinn)
    sit_on_panel(quinn, pat)
    person_table = (Person._meta.db_table, Person._meta.pk.column)
    planned = base + (BAND if person_table in upper else 0)
    assert pat.person.pk == planned, f"the ids were not laid out: person {pat.person.pk}"
    return pat, quinn
