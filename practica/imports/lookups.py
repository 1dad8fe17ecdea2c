"""The records that import files name by natural key, looked up once per run: a team or a
location by name within its organisation, a service area by code, a person by e-mail address
(or, without one, by organisation and name).

Each lookup is remembered through ``ImportContext.remember``, so ``check_row``, ``find`` and
``create`` of a row, and every later row naming the same record, share one query. An importer
that changes the records it looks up uses ``find_person`` while applying (see ``remember``).
Names are matched without regard to case, as the cells that give them are compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection
from django.db.models.functions import Lower

from practica.core import selectors as core_selectors
from practica.core.models import Location, Organisation, Person, ServiceArea, Team
from practica.imports import suggestions
from practica.imports.framework import NATURAL_KEY, ImportContext
from practica.imports.suggestions import words


def _organisation_key(organisation: Organisation | str) -> Any:
    if isinstance(organisation, Organisation):
        return organisation.pk
    return organisation.strip().upper()


def team(ctx: ImportContext, organisation: Any, name: str) -> Team | None:
    """The organisation's team with this name; None when it has none (or the organisation is
    still pending, created by an earlier file of the batch)."""
    if not isinstance(organisation, Organisation):
        return None
    return ctx.remember(
        ("team", organisation.pk, name.strip().lower()),
        lambda: (
            Team.objects.unscoped(NATURAL_KEY)
            .filter(organisation=organisation, name__iexact=name.strip())
            .first()
        ),
    )


def unknown_team(ctx: ImportContext, organisation: Organisation, name: str, then: str) -> str:
    """What to say when ``organisation`` has no team ``name``: the nearest names it has, and
    ``then`` (what to do about it)."""
    teams: dict[str, str] = ctx.remember(
        ("team-names", organisation.pk),
        lambda: {
            team_name: team_name
            for team_name in Team.objects.unscoped(NATURAL_KEY)
            .filter(organisation=organisation)
            .values_list("name", flat=True)
        },
    )
    hint = suggestions.did_you_mean(name, teams)
    return f"{organisation.code} has no team “{name}”.{hint} {then}".rstrip()


def location(ctx: ImportContext, organisation: Any, name: str) -> Location | None:
    """The organisation's location with this name; None when it has none (or the organisation
    is still pending)."""
    if not isinstance(organisation, Organisation):
        return None
    return ctx.remember(
        ("location", organisation.pk, name.strip().lower()),
        lambda: (
            Location.objects.unscoped(NATURAL_KEY)
            .filter(organisation=organisation, name__iexact=name.strip())
            .first()
        ),
    )


def service_area(ctx: ImportContext, text: str) -> ServiceArea | None:
    """The service area with this code (``childrens``, ``adults``, …) or name (“Adult
    services”, in any case), or None."""
    wanted = words(text)
    return ctx.remember(
        ("service_area", wanted),
        lambda: next(
            (a for a in ServiceArea.objects.all() if wanted in (a.code, words(a.name))), None
        ),
    )


def service_area_names(ctx: ImportContext) -> dict[str, str]:
    """Every service area's code → its name, for a message naming the choices."""
    return ctx.remember(
        ("service_area", "names"),
        lambda: dict(ServiceArea.objects.values_list("code", "name")),
    )


def person(
    ctx: ImportContext,
    *,
    email: str | None,
    organisation: Organisation | str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
) -> Person | None:
    """``find_person``, remembered for the run."""
    if email:
        key: tuple[Any, ...] = ("person", email.strip().lower())
    elif not isinstance(organisation, Organisation | str):
        return None  # no organisation, or one an earlier file of the batch creates
    else:
        key = (
            "person",
            "",
            _organisation_key(organisation),
            (first_name or "").strip().lower(),
            (last_name or "").strip().lower(),
        )
    return ctx.remember(
        key,
        lambda: find_person(
            email=email, organisation=organisation, first_name=first_name, last_name=last_name
        ),
    )


def find_person(
    *,
    email: str | None,
    organisation: Organisation | str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
) -> Person | None:
    """The person with this e-mail address or, without one, the person of this organisation
    (or organisation code) with this name and no address: how the people kind finds a person,
    and how the kinds that name a person find them."""
    people = Person.objects.unscoped(NATURAL_KEY).select_related("organisation", "team")
    if email:
        return people.filter(email__address=email.strip()).first()
    if organisation is None:
        return None
    where = (
        {"organisation": organisation}
        if isinstance(organisation, Organisation)
        else {"organisation__code__iexact": organisation.strip()}
    )
    return people.filter(
        **where, first_name__iexact=first_name, last_name__iexact=last_name, email=""
    ).first()


# addresses per query when many people are looked up at once, where the database limits a
# query's parameters (SQLite)
CHUNK = 500


def chunks[T](wanted: Sequence[T]) -> Iterator[Sequence[T]]:
    """``wanted`` in parts of ``CHUNK`` where the database limits a query's parameters; on
    PostgreSQL (no limit) in one part: a look-up of many thousand keys is then one query,
    which PostgreSQL answers with one pass over the table (a hash of the keys) where a query
    per 500 keys read the whole table again for each (docs/0025 section 10)."""
    if connection.features.max_query_params is None:
        if wanted:
            yield wanted
        return
    for start in range(0, len(wanted), CHUNK):
        yield wanted[start : start + CHUNK]


# a person's organisation and team, fetched beside the people looked up at once: a query for
# each (``prefetch_related``) gives every person of a team the same team, where a join
# (``select_related``) built a copy of it for each person (most of the time of looking up
# thousands of people went on building those copies)
SHARED_RELATED = ("organisation", "team")


def people_by_email(emails: Iterable[str], *, related: Iterable[str] = ()) -> dict[str, Person]:
    """The people with these addresses, by address in lower case: what ``find_person`` finds
    for each, in one query (``chunks``; a few addresses are answered from the ``lower(email)``
    index), with the ``related`` records (``select_related``) besides their organisation and
    team."""
    wanted = sorted({email.strip().lower() for email in emails if email and email.strip()})
    found: dict[str, Person] = {}
    people = (
        Person.objects.unscoped(NATURAL_KEY)
        .prefetch_related(*SHARED_RELATED)
        .exclude(email="")
        .annotate(address=Lower("email"))
        .order_by()  # found by address: the model's ordering would only sort them
    )
    if related := tuple(related):
        people = people.select_related(*related)
    for chunk in chunks(wanted):
        for person in people.filter(address__in=chunk):
            found[person.email.lower()] = person
    return found


def remember_people(ctx: ImportContext, emails: Iterable[str]) -> None:
    """``person`` answered for all these addresses at once: each found person, and None for
    each address no one has. (An address beyond ASCII is left to ``person``: Python's and the
    database's lower case may differ there.)"""
    wanted = {email.strip().lower() for email in emails if email and email.strip()}
    found = people_by_email(wanted)
    for email in wanted:
        if email in found or email.isascii():
            ctx.cache.setdefault(("person", email), found.get(email))


def remember_teams(ctx: ImportContext, organisations: Iterable[Any]) -> None:
    """``team`` answered at once for every team of these organisations (those not yet
    created, still pending, are skipped; names beyond ASCII are left to ``team``, as
    addresses are to ``person``). A team's name is unique in its organisation in any case."""
    ids = {o.pk for o in organisations if isinstance(o, Organisation)}
    for found in Team.objects.unscoped(NATURAL_KEY).filter(organisation__in=ids):
        if found.name.isascii():
            ctx.cache[("team", found.organisation_id, found.name.strip().lower())] = found


def email_in_use(ctx: ImportContext, person: Person) -> str:
    """The cell message for an e-mail address that ``person``, of an organisation the row may
    not change, already has: it names them only to an importer who may see them, and otherwise
    says no more than that the address cannot be used (issue 15)."""
    if core_selectors.may_know_of(ctx.viewer, person):
        return (
            f"is the e-mail address of {person.full_name} of {person.organisation.name}, "
            "whom this row cannot change."
        )
    return EMAIL_NOT_USABLE


EMAIL_NOT_USABLE = (
    "cannot be used for this row. Check it is the person's own address; if it is, ask a "
    "partnership manager."
)
