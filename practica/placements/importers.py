"""Import kinds of students and placements: ``students``, ``travel-times``,
``placement-offers`` and ``placements`` (docs/0004-imports.md, docs/0022-placements-domain.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.functions import Lower

from practica.accounts import permissions
from practica.accounts.grants import MANAGE
from practica.core import services as core_services
from practica.core.models import Organisation, OrganisationKind, Person, Team
from practica.educators.register.models import PracticeEducator
from practica.imports import lookups
from practica.imports import parsers as p
from practica.imports.framework import (
    KEEP,
    NATURAL_KEY,
    Action,
    BulkApplyError,
    Column,
    ImportCellError,
    ImportContext,
    Importer,
    Pending,
    as_columns,
    key_of,
)
from practica.imports.registry import register_importer
from practica.placements import services
from practica.placements.allocation_models import PlacementQuota
from practica.placements.models import (
    CONFIRMED_STATUSES,
    DAYS_RANGE,
    FILLING_STATUSES,
    SLOTS_MAX,
    TRAVEL_LIMIT_MINUTES,
    TRAVEL_TIME_MINUTES_MAX,
    YEARS_OF_STUDY,
    Placement,
    PlacementOffer,
    PlacementStatus,
    PlacementType,
    Route,
    Student,
    StudentStage,
    TravelTime,
    default_days,
)
from practica.placements.runs import services as run_services

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

ROUTES = list(Route.values)
QUOTA_MAX = 100_000
STAGES = list(StudentStage.values)


# --- organisations of the partnership, not only the importer's own --------------------------


def _parse_partner(value: str, ctx: ImportContext) -> Any:
    """An organisation of the importer's partnerships by its code (a university named on a
    placement, a student's employer): named, not written to, so any of the partnership's."""
    code = value.strip().upper()
    organisation = ctx.remember(
        ("partner", code),
        lambda: Organisation.objects.unscoped(NATURAL_KEY).filter(code=code).first(),
    )
    if organisation is None:
        if ctx.is_pending("organisations", code):
            return Pending("organisations", (code,))
        raise ImportCellError(f"there is no organisation with the code “{code}”.")
    if ctx.viewer is not permissions.OPERATOR:
        partnerships = {
            m.organisation.partnership_id for m in permissions.active_memberships(ctx.viewer)
        }
        if organisation.partnership_id not in partnerships:
            raise ImportCellError(f"there is no organisation with the code “{code}”.")
    return organisation


partner = p.Cell(_parse_partner, format=lambda organisation: organisation.code)
DATE_HELP = "A date like 2020-01-06 or 06/01/2020"
PLACEMENT_TYPES = list(PlacementType.values)
STATUSES = list(PlacementStatus.values)
DAYS_HELP = "Days each placement lasts (empty: 70 for first_70, 100 for final_100)"


def _team_problem(
    values: dict[str, Any], ctx: ImportContext, column: str = "team"
) -> list[tuple[str, str]]:
    organisation, name = values["organisation"], values[column]
    if not name or not isinstance(organisation, Organisation):
        return []
    if lookups.team(ctx, organisation, name) is None and not ctx.is_pending(
        "teams", organisation, name
    ):
        return [(column, lookups.unknown_team(ctx, organisation, name, "Add it first."))]
    return []


def _team(values: dict[str, Any], ctx: ImportContext) -> Team | None:
    if not values["team"]:
        return None
    return lookups.team(ctx, values["organisation"], values["team"])


def _educator(address: str | None) -> PracticeEducator | None:
    if not address:
        return None
    return (
        PracticeEducator.objects.unscoped(NATURAL_KEY)
        .select_related("person")
        .filter(person__email__address=address)
        .first()
    )


def _people_problems(values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
    problems = []
    address = values["practice_educator_email"]
    if address and _educator(address) is None and not ctx.is_pending("practice-educators", address):
        problems.append(
            (
                "practice_educator_email",
                f"no practice educator on the register has the e-mail address {address}.",
            )
        )
    address = values["onsite_supervisor_email"]
    if (
        address
        and lookups.person(ctx, email=address) is None
        and not ctx.is_pending("people", address)
    ):
        problems.append(
            ("onsite_supervisor_email", f"no one in Practica has the e-mail address {address}.")
        )
    return problems


# what comparing a row with its student reads
STUDENT_RELATED = ("person__organisation", "person__team", "hei", "employer", "employer_team")


def students_by_key(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], Student]:
    """The students these rows name, by their natural key (``StudentImporter.key_of``): what
    ``find`` finds for each, in one query per university (``lookups.chunks``).
    (A reference beyond ASCII is left to ``find``, as addresses are to ``lookups.person``.)"""
    wanted: dict[int, set[str]] = {}
    for values in rows:
        hei, ref = values["hei"], values["student_ref"].strip().lower()
        if isinstance(hei, Organisation) and ref.isascii():
            wanted.setdefault(hei.pk, set()).add(ref)
    students = (
        Student.objects.unscoped(NATURAL_KEY)
        .select_related("person")
        # shared by many students: each fetched once, not a copy for every student (lookups)
        .prefetch_related(
            *(f"person__{name}" for name in lookups.SHARED_RELATED),
            "hei",
            "employer",
            "employer_team",
        )
        .annotate(ref=Lower("student_ref"))
        .order_by()  # found by key: the model's ordering would only sort them
    )
    found: dict[tuple[Any, ...], Student] = {}
    for hei_id, refs in wanted.items():
        for chunk in lookups.chunks(sorted(refs)):
            for student in students.filter(hei_id=hei_id, ref__in=chunk):
                key = key_of({"hei": student.hei, "student_ref": student.student_ref}, KEY)
                found[key] = student
    return found


KEY = ("hei", "student_ref")


def _plain(values: dict[str, Any]) -> bool:
    return bool(values["first_name"].isascii() and values["last_name"].isascii())


def _bare_key(hei: Organisation, values: dict[str, Any]) -> tuple[Any, ...]:
    return (hei.pk, values["first_name"].strip().lower(), values["last_name"].strip().lower())


def _bare_people(rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], Person]:
    """``StudentImporter._person_without_email`` for these rows (without addresses) at once:
    each university's one bare person of a name, by (university id, names in lower case);
    names beyond ASCII are left to it."""
    heis = {values["hei"].pk for values in rows if isinstance(values["hei"], Organisation)}
    if not heis:
        return {}
    candidates: dict[tuple[Any, ...], list[Person]] = {}
    for person in Person.objects.unscoped(NATURAL_KEY).filter(
        organisation__in=heis,
        email="",
        user__isnull=True,
        team__isnull=True,
        job_title="",
        student__isnull=True,
    ):
        if person.first_name.isascii() and person.last_name.isascii():
            key = (person.organisation_id, person.first_name.lower(), person.last_name.lower())
            candidates.setdefault(key, []).append(person)
    return {key: people[0] for key, people in candidates.items() if len(people) == 1}


def _student_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """``services.change_student``'s arguments among ``StudentImporter._fields``."""
    names = ("route", "year_of_study", "home_location", "travel_limit_minutes")
    return {name: fields[name] for name in names}


@register_importer
class StudentImporter(Importer):
    kind = "students"
    title = "Students"
    description = (
        "Students of the partnership's universities: their route, year of study, home town and "
        "the longest journey they can make to a placement. A student who is already in Practica "
        "as a person of the university (same e-mail address) keeps that record."
    )
    columns = [
        Column(
            "student_ref",
            p.text(max_length=40, ignore_case=True),  # found without case, never renamed
            required=True,
            help="The university's reference for the student",
            example="21034567",
        ),
        Column(
            "hei",
            p.organisation,
            required=True,
            help="Code of the student's university",
            example="CCCU",
        ),
        Column(
            "first_name",
            p.text(max_length=100),
            required=True,
            example="Amira",
            source="person.first_name",
        ),
        Column(
            "last_name",
            p.text(max_length=100),
            required=True,
            example="Khan",
            source="person.last_name",
        ),
        Column(
            "email",
            p.email,
            help="The student's e-mail address",
            example="ak123@uni.ac.uk",
            source="person.email",
        ),
        Column("route", p.choice(Route), required=True, help=" | ".join(ROUTES), example="ba"),
        Column(
            "year_of_study",
            p.integer(minimum=YEARS_OF_STUDY[0], maximum=YEARS_OF_STUDY[1]),
            required=True,
            help=f"{YEARS_OF_STUDY[0]} to {YEARS_OF_STUDY[1]}",
            example="2",
        ),
        Column("home_location", p.text(max_length=120), help="Town", example="Whitstable"),
        Column(
            "travel_limit_minutes",
            p.integer(minimum=TRAVEL_LIMIT_MINUTES[0], maximum=TRAVEL_LIMIT_MINUTES[1]),
            help="Longest journey to a placement, one way, in minutes",
            example="60",
        ),
        Column(
            "programme",
            p.text(max_length=120),
            help="Programme of study",
            example="BA (Hons) Social Work",
            keep_if_missing=True,
        ),
        Column(
            "stage",
            p.choice(StudentStage),
            help="Placement needed next: " + " | ".join(STAGES),
            example="first_70",
            keep_if_missing=True,
        ),
        Column(
            "employer",
            partner,
            help="Code of an apprentice's or sponsored student's employer",
            keep_if_missing=True,
        ),
        Column(
            "employer_team",
            p.text(max_length=200, ignore_case=True),
            help="The team they work in (they are not placed there)",
            source="employer_team.name",
            keep_if_missing=True,
        ),
    ]
    natural_key = ("hei", "student_ref")
    depends_on = ("organisations", "teams", "people")

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        employer, team = values["employer"], values["employer_team"]
        if team and isinstance(employer, Organisation):
            problems = _team_problem({"organisation": employer, "team": team}, ctx)
            if problems:
                return [("employer_team", problems[0][1])]
        elif team and not employer and employer is not KEEP:
            return [("employer", "is empty; name the employer of the student's team.")]
        return self._check_student(values, ctx)

    def _check_student(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        hei = values["hei"]
        if isinstance(hei, Organisation) and hei.kind != OrganisationKind.HEI:
            return [
                ("hei", f"{hei.name} ({hei.code}) is not a university; students belong to one.")
            ]
        email = values["email"]
        if not email:
            return []
        key = self.key_of(values)
        seen = ctx.cache.setdefault("students: e-mail addresses", {})
        if seen.setdefault(email, key) != key:
            return [("email", "is the e-mail address of another student in this file.")]
        person = ctx.remember(
            ("student-person", email.strip().lower()),
            lambda: (
                Person.objects.unscoped(NATURAL_KEY)
                .filter(email__address=email)
                .select_related("student", "student__hei")
            ).first(),
        )
        if person is None:
            return []
        student: Student | None = getattr(person, "student", None)
        if (
            student is not None
            and self.key_of({"hei": student.hei, "student_ref": student.student_ref}) == key
        ):
            return []
        if isinstance(hei, Organisation) and person.organisation_id == hei.pk:
            if student is not None:
                return [("email", f"is the e-mail address of student {student.student_ref}.")]
            return []  # a person of the university becomes the student
        return [("email", lookups.email_in_use(ctx, person))]

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Student | None:
        def lookup() -> Student | None:
            return (
                Student.objects.unscoped(NATURAL_KEY)
                .filter(hei=values["hei"], student_ref__iexact=values["student_ref"])
                .select_related(*STUDENT_RELATED)
                .first()
            )

        # while checking, prefetch has looked every student of the file up; while applying,
        # rows change students, so nothing is remembered then
        if ctx.applying:
            return lookup()
        return ctx.remember(("student", *self.key_of(values)), lookup)

    def prefetch(self, rows: list[dict[str, Any]], ctx: ImportContext) -> None:
        """The students, people and teams ``check_row`` and ``find`` look up, once per file
        (docs/0025)."""
        found = students_by_key(rows)
        for values in rows:
            key = self.key_of(values)
            if isinstance(values["hei"], Organisation) and values["student_ref"].isascii():
                ctx.cache.setdefault(("student", *key), found.get(key))
        emails = {values["email"].strip().lower() for values in rows if values["email"]}
        # a student's person is the person with their address (fetched with their student
        # and its university): only the other addresses are looked up (docs/0025 section 10)
        people = {
            address: student.person
            for student in found.values()
            if (address := student.person.email.lower()) in emails
        }
        people.update(
            lookups.people_by_email(emails - people.keys(), related=("student", "student__hei"))
        )
        for email in emails:
            if email in people or email.isascii():
                ctx.cache.setdefault(("student-person", email), people.get(email))
        lookups.remember_teams(ctx, {values["employer"] for values in rows})

    def apply_all(
        self, rows: list[tuple[int, dict[str, Any]]], ctx: ImportContext
    ) -> list[tuple[Student, Action]]:
        """The rows in bulk (``placements.services.save_students``): each student found,
        compared and changed as ``find``, ``is_unchanged``, ``create`` and ``update`` do one
        by one."""
        students = students_by_key([values for _number, values in rows])
        emails = {values["email"].strip().lower() for _n, values in rows if values["email"]}
        people = lookups.people_by_email(emails, related=("student",))
        lookups.remember_teams(ctx, {values["employer"] for _number, values in rows})
        bare = _bare_people([values for _number, values in rows if not values["email"]])
        changes = services.StudentChanges()
        applied: list[tuple[Student, Action]] = []
        claimed: set[int] = set()  # people who become students: each once
        for _number, values in rows:
            hei, email = values["hei"], (values["email"] or "").strip().lower()
            if not isinstance(hei, Organisation) or any(
                isinstance(values[name], Pending) for name in ("employer",)
            ):
                raise BulkApplyError  # an organisation created by an earlier file: one by one
            if not (email + values["student_ref"]).isascii():
                raise BulkApplyError  # looked up one by one (see lookups.remember_people)
            student = students.get(self.key_of(values))
            if student is not None and self.is_unchanged(student, values, ctx):
                continue
            fields = self._fields(values)
            person = people.get(email) if email else None
            if student is None:
                if email:
                    if person is not None and person.organisation_id != hei.pk:
                        raise BulkApplyError  # create() says which row, one by one
                else:
                    person = bare.get(_bare_key(hei, values))
                    if person is None and not _plain(values):
                        person = self._person_without_email(hei, values)
                if person is None:
                    person = core_services.change_person(
                        Person(organisation=hei),
                        first_name=fields["first_name"],
                        last_name=fields["last_name"],
                        email=fields["email"],
                    )
                    changes.people_created.append(person)
                else:
                    if person.pk in claimed:
                        raise BulkApplyError
                    claimed.add(person.pk)
                    services.refuse_a_student(person)
                    changes.people_changed.append(
                        core_services.change_person(
                            person,
                            first_name=fields["first_name"],
                            last_name=fields["last_name"],
                            email=fields["email"] or person.email,
                            job_title=person.job_title,
                            team=person.team,
                        )
                    )
                student = services.change_student(
                    Student(person=person, hei=hei, student_ref=fields["student_ref"].strip()),
                    **_student_fields(fields),
                )
                changes.created.append(student)
                applied.append((student, "create"))
            else:
                if person is not None and person.pk != student.person_id:
                    raise BulkApplyError  # the address is someone else's: update() says so
                changes.people_changed.append(
                    core_services.change_person(
                        student.person,
                        first_name=fields["first_name"],
                        last_name=fields["last_name"],
                        email=fields["email"],
                        job_title=student.person.job_title,
                        team=student.person.team,
                    )
                )
                changes.changed.append(services.change_student(student, **_student_fields(fields)))
                applied.append((student, "update"))
            details = self._details(student, values, ctx)
            if details is not None:
                changes.details.append((student, details))
        services.save_students(actor=ctx.actor, changes=changes)
        return applied

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Student:
        hei: Organisation = values["hei"]
        if values["email"]:
            person = lookups.person(ctx, email=values["email"])
            if person is not None and person.organisation_id != hei.pk:
                raise ValidationError({"email": lookups.email_in_use(ctx, person)})
        else:
            person = self._person_without_email(hei, values)
        student = services.create_student(actor=ctx.actor, person=person, **self._fields(values))
        return self._placement_details(student, values, ctx)

    def _placement_details(
        self, student: Student, values: dict[str, Any], ctx: ImportContext
    ) -> Student:
        details = self._details(student, values, ctx)
        if details is None:
            return student
        return services.set_placement_details(actor=ctx.actor, student=student, **details)

    def _details(
        self, student: Student, values: dict[str, Any], ctx: ImportContext
    ) -> dict[str, Any] | None:
        """The placement details the row gives ``student`` (``set_placement_details``'s
        arguments), or None when they are what the student has."""
        names = ("programme", "stage", "employer", "employer_team")
        if all(values[name] is KEEP for name in names):
            return None

        def kept(name: str) -> Any:
            return getattr(student, name) if values[name] is KEEP else values[name]

        employer = kept("employer")
        team = student.employer_team
        if values["employer_team"] is not KEEP:
            team = None
            if values["employer_team"] and isinstance(employer, Organisation):
                team = lookups.team(ctx, employer, values["employer_team"])
        if (kept("programme") or "", kept("stage") or "", employer, team) == (
            student.programme,
            student.stage,
            student.employer,
            student.employer_team,
        ):
            return None
        return {
            "programme": kept("programme") or "",
            "stage": kept("stage") or "",
            "employer": employer or None,
            "employer_team": team,
        }

    def _person_without_email(self, hei: Organisation, values: dict[str, Any]) -> Person | None:
        """The university's one bare person record of this name (no e-mail address, login,
        team or job title, and not a student yet), as a ``people`` file of the same export
        creates it; None when there is none, or more than one to choose from."""
        candidates = list(
            Person.objects.unscoped(NATURAL_KEY).filter(
                organisation=hei,
                first_name__iexact=values["first_name"],
                last_name__iexact=values["last_name"],
                email="",
                user__isnull=True,
                team__isnull=True,
                job_title="",
                student__isnull=True,
            )[:2]
        )
        return candidates[0] if len(candidates) == 1 else None

    def update(self, obj: Student, values: dict[str, Any], ctx: ImportContext) -> Student:
        fields = self._fields(values)
        del fields["hei"], fields["student_ref"]
        student = services.update_student(actor=ctx.actor, student=obj, **fields)
        return self._placement_details(student, values, ctx)

    def _fields(self, values: dict[str, Any]) -> dict[str, Any]:
        details = ("programme", "stage", "employer", "employer_team")
        return {
            **{name: value for name, value in values.items() if name not in details},
            "email": values["email"] or "",
            "home_location": values["home_location"] or "",
        }

    def records(self, viewer: Viewer) -> QuerySet[Student]:
        return (
            Student.objects.visible_to(viewer)
            .select_related("person", "hei", "employer", "employer_team")
            .order_by("hei__code", "student_ref")
        )


def _key_by_start_year(values: dict[str, Any], names: tuple[str, ...]) -> tuple[Any, ...]:
    """The natural key with the academic year as its start year: while a file is checked, a
    year not yet recorded is an unsaved AcademicYear, without the id the key would compare."""
    year = values.get("academic_year")
    return key_of({**values, "academic_year": getattr(year, "start_year", year)}, names)


def _days_problems(values: dict[str, Any], lasts: str) -> list[tuple[str, str]]:
    days, kind = values["days"], values["placement_type"]
    if days is None:
        if default_days(kind) is None:
            return [("days", f"is empty; say how many days {lasts}.")]
        return []
    low, high = DAYS_RANGE[kind]
    if not low <= days <= high:
        label = PlacementType(kind).label
        if low == high:
            return [("days", f"a {label.lower()} lasts {low} days.")]
        return [("days", f"a {label.lower()} lasts {low} to {high} days.")]
    return []


@register_importer
class TravelTimeImporter(Importer):
    kind = "travel-times"
    title = "Journey times"
    description = (
        "Journey times between towns, one way, in minutes: what the placement pages and the "
        "allocation check students' longest journeys against. A journey recorded one way "
        "counts both ways unless the way back has its own row. Journeys are shared by the "
        "whole installation; without one, an estimate from the towns' coordinates is used."
    )
    columns = [
        Column(
            "from_location",
            p.text(max_length=120, ignore_case=True),
            required=True,
            help="Town",
            example="Chatham",
            compared=False,
        ),
        Column(
            "to_location",
            p.text(max_length=120, ignore_case=True),
            required=True,
            help="Town",
            example="Maidstone",
            compared=False,
        ),
        Column(
            "minutes",
            p.integer(minimum=0, maximum=TRAVEL_TIME_MINUTES_MAX),
            required=True,
            help="Minutes, one way",
            example="35",
        ),
    ]
    natural_key = ("from_location", "to_location")

    def refuse(self, ctx: ImportContext) -> str | None:
        if (
            ctx.viewer is permissions.OPERATOR
            or permissions.can_in(ctx.viewer, MANAGE, PlacementOffer)
            or permissions.can_in(ctx.viewer, MANAGE, Student)
        ):
            return None
        return "Only coordinators import journey times."

    def find(self, values: dict[str, Any], ctx: ImportContext) -> TravelTime | None:
        return TravelTime.objects.filter(
            from_location__iexact=values["from_location"].strip(),
            to_location__iexact=values["to_location"].strip(),
        ).first()

    def create(self, values: dict[str, Any], ctx: ImportContext) -> TravelTime:
        return services.record_travel_time(actor=ctx.actor, **values)

    def update(self, obj: TravelTime, values: dict[str, Any], ctx: ImportContext) -> TravelTime:
        return services.record_travel_time(actor=ctx.actor, **values)

    def records(self, viewer: Viewer) -> QuerySet[TravelTime]:
        return TravelTime.objects.order_by(Lower("from_location"), Lower("to_location"))


@register_importer
class PlacementOfferImporter(Importer):
    kind = "placement-offers"
    title = "Placement offers"
    description = (
        "The placements an organisation offers for an academic year: a team (or another "
        "setting, such as a school) taking a number of students on placements of one type, "
        "for the routes it accepts."
    )
    columns = [
        Column(
            "organisation",
            p.organisation,
            required=True,
            help="Code of the providing organisation",
            example="MC",
            compared=False,
        ),
        Column(
            "team",
            p.text(max_length=200, ignore_case=True),
            help="A team of the organisation (or leave empty and name the setting)",
            example="Child protection team",
            source="team.name",
            compared=False,
        ),
        Column(
            "academic_year",
            p.academic_year,
            required=True,
            help="Like 2019/20",
            example="2019/20",
            compared=False,
        ),
        Column(
            "placement_type",
            p.choice(PlacementType),
            required=True,
            help=" | ".join(PLACEMENT_TYPES),
            example="final_100",
            compared=False,
        ),
        Column(
            "days",
            p.integer(minimum=1, maximum=200),
            help=DAYS_HELP,
            example="100",
            blank_keeps=True,
        ),
        Column(
            "slots",
            p.integer(minimum=1, maximum=SLOTS_MAX),
            required=True,
            help="How many students",
            example="2",
        ),
        Column(
            "service_area",
            p.service_area,
            help="childrens | adults | mental_health | other (empty: the team's)",
            blank_keeps=True,
        ),
        Column(
            "location",
            p.text(max_length=120, ignore_case=True),
            help="A location of the organisation (empty: the team's)",
            source="location.name",
            blank_keeps=True,
        ),
        Column(
            "routes",
            p.multi_choice(Route),
            help="Routes accepted, e.g. ba;ma (empty: every route)",
            example="ba;ma",
        ),
        Column(
            "setting",
            p.text(max_length=120, ignore_case=True),
            help="Another setting than a team, e.g. a school",
            keep_if_missing=True,
            compared=False,
        ),
        Column("starts_on", p.date, help=DATE_HELP, keep_if_missing=True),
        Column("ends_on", p.date, help=DATE_HELP, keep_if_missing=True),
        Column(
            "practice_educator_email",
            p.email,
            help="The practice educator's e-mail",
            source="practice_educator.person.email",
            keep_if_missing=True,
        ),
        Column(
            "practice_educator_offsite",
            p.yes_no,
            help="yes | no",
            default=False,
            keep_if_missing=True,
        ),
        Column(
            "onsite_supervisor_email",
            p.email,
            help="The on-site supervisor's e-mail",
            source="onsite_supervisor.email",
            keep_if_missing=True,
        ),
    ]
    natural_key = ("organisation", "team", "setting", "academic_year", "placement_type")
    depends_on = ("organisations", "locations", "teams", "people", "practice-educators")

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return _key_by_start_year(values, self.natural_key)

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        problems = _team_problem(values, ctx)
        organisation = values["organisation"]
        if not values["team"] and not values["setting"]:
            problems.append(
                ("team", "is empty; name the team or the setting that offers placements.")
            )
        if isinstance(organisation, Organisation) and organisation.is_hei:
            problems.append(
                (
                    "organisation",
                    f"{organisation.name} ({organisation.code}) is a university; placements are offered by the organisations that provide them.",
                )
            )
        location = values["location"]
        if (
            location
            and isinstance(organisation, Organisation)
            and lookups.location(ctx, organisation, location) is None
            and not ctx.is_pending("locations", organisation, location)
        ):
            problems.append(
                ("location", f"{organisation.code} has no location “{location}”; add it first.")
            )
        problems += _people_problems(self._known(values), ctx)
        return problems + _days_problems(values, "each placement lasts")

    @staticmethod
    def _known(values: dict[str, Any]) -> dict[str, Any]:
        return {name: (None if value is KEEP else value) for name, value in values.items()}

    def find(self, values: dict[str, Any], ctx: ImportContext) -> PlacementOffer | None:
        organisation = values["organisation"]
        if not isinstance(organisation, Organisation):
            return None
        offers = PlacementOffer.objects.unscoped(NATURAL_KEY).filter(
            organisation=organisation,
            academic_year__start_year=values["academic_year"].start_year,
            placement_type=values["placement_type"],
            setting__iexact=(values["setting"] or "").strip(),
        )
        if values["team"]:
            offers = offers.filter(team__name__iexact=values["team"].strip())
        else:
            offers = offers.filter(team__isnull=True)
        return offers.select_related(
            "team", "location", "service_area", "practice_educator__person", "onsite_supervisor"
        ).first()

    def _fields(
        self, values: dict[str, Any], ctx: ImportContext, offer: PlacementOffer | None
    ) -> dict[str, Any]:
        def kept(name: str, current: Any) -> Any:
            return current if values[name] is KEEP else values[name]

        organisation = values["organisation"]
        location = None
        if values["location"]:
            location = lookups.location(ctx, organisation, values["location"])
        elif offer is not None:
            location = offer.location
        fields = {
            "placement_type": values["placement_type"],
            "slots": values["slots"],
            "days": values["days"]
            or (
                offer.days
                if offer is not None and offer.placement_type == values["placement_type"]
                else None
            ),
            "team": _team(values, ctx),
            "setting": kept("setting", offer.setting if offer else "") or "",
            "service_area": values["service_area"] or (offer.service_area if offer else None),
            "location": location,
            "starts_on": kept("starts_on", offer.starts_on if offer else None),
            "ends_on": kept("ends_on", offer.ends_on if offer else None),
            "routes": values["routes"] or [],
            "practice_educator": _educator(values["practice_educator_email"])
            if values["practice_educator_email"] is not KEEP
            else (offer.practice_educator if offer else None),
            "practice_educator_offsite": kept(
                "practice_educator_offsite", offer.practice_educator_offsite if offer else False
            )
            or False,
            "onsite_supervisor": (
                lookups.find_person(email=values["onsite_supervisor_email"])
                if values["onsite_supervisor_email"]
                else None
            )
            if values["onsite_supervisor_email"] is not KEEP
            else (offer.onsite_supervisor if offer else None),
        }
        return fields

    def create(self, values: dict[str, Any], ctx: ImportContext) -> PlacementOffer:
        return services.create_offer(
            actor=ctx.actor,
            organisation=values["organisation"],
            academic_year=values["academic_year"],
            **self._fields(values, ctx, None),
        )

    def update(
        self, obj: PlacementOffer, values: dict[str, Any], ctx: ImportContext
    ) -> PlacementOffer:
        return services.update_offer(actor=ctx.actor, offer=obj, **self._fields(values, ctx, obj))

    def records(self, viewer: Viewer) -> QuerySet[PlacementOffer]:
        return (
            PlacementOffer.objects.visible_to(viewer, MANAGE)
            .select_related(
                "organisation",
                "team",
                "academic_year",
                "service_area",
                "location",
                "practice_educator__person",
                "onsite_supervisor",
            )
            .order_by(
                "organisation__code",
                "academic_year__start_year",
                "placement_type",
                "team__name",
                "setting",
                "pk",
            )
        )


@register_importer
class PlacementImporter(Importer):
    kind = "placements"
    title = "Placements"
    description = (
        "Students' placements as they stand, including those from before Practica: the "
        "student (by university and reference), the providing organisation and team, the year, "
        "type, days, dates, practice educator and on-site supervisor, and the status. Rows are "
        "recorded as they are, without e-mails; a placement fills the offer of its team, year "
        "and type where there is exactly one."
    )
    columns = [
        Column(
            "student_ref",
            p.text(max_length=40, ignore_case=True),
            required=True,
            help="The university's reference for the student",
            example="21034567",
            source="student.student_ref",
            compared=False,
        ),
        Column(
            "student_route",
            p.choice(Route),
            required=True,
            help=" | ".join(ROUTES) + " (as the student's record has it)",
            example="ba",
            source="student.route",
            compared=False,
        ),
        Column(
            "hei",
            partner,
            required=True,
            help="Code of the student's university",
            example="CCCU",
            source="student.hei",
            compared=False,
        ),
        Column(
            "organisation",
            p.organisation,
            required=True,
            help="Code of the providing organisation",
            example="MC",
        ),
        Column(
            "team",
            p.text(max_length=200, ignore_case=True),
            help="A team of the organisation",
            example="Child protection team",
            source="team.name",
        ),
        Column(
            "academic_year",
            p.academic_year,
            required=True,
            help="Like 2019/20",
            example="2019/20",
            compared=False,
        ),
        Column(
            "placement_type",
            p.choice(PlacementType),
            required=True,
            help=" | ".join(PLACEMENT_TYPES),
            example="final_100",
            compared=False,
        ),
        Column(
            "days",
            p.integer(minimum=1, maximum=200),
            help=DAYS_HELP,
            example="100",
            blank_keeps=True,
        ),
        Column(
            "start_date",
            p.date,
            help=DATE_HELP,
            example="2020-01-06",
            source="starts_on",
            compared=False,
        ),
        Column("end_date", p.date, help=DATE_HELP, example="2020-06-05", source="ends_on"),
        Column(
            "practice_educator_email",
            p.email,
            help="The practice educator's e-mail",
            source="practice_educator.person.email",
        ),
        Column(
            "onsite_supervisor_email",
            p.email,
            help="The on-site supervisor's e-mail",
            source="onsite_supervisor.email",
        ),
        Column(
            "status",
            p.choice(PlacementStatus),
            required=True,
            help=" | ".join(STATUSES),
            example="completed",
        ),
        Column(
            "setting",
            p.text(max_length=120),
            help="Another setting than a team, e.g. a school",
            keep_if_missing=True,
        ),
        Column(
            "ended_reason",
            p.text(),
            help="Why it ended early (status ended_early)",
            keep_if_missing=True,
        ),
    ]
    natural_key = ("hei", "student_ref", "academic_year", "placement_type", "start_date")

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return _key_by_start_year(values, self.natural_key)

    depends_on = (
        "organisations",
        "teams",
        "people",
        "students",
        "practice-educators",
        "placement-offers",
    )

    def _student(self, values: dict[str, Any], ctx: ImportContext) -> Student | None:
        hei = values["hei"]
        if not isinstance(hei, Organisation):
            return None
        return ctx.remember(
            ("student", hei.pk, values["student_ref"].strip().lower()),
            lambda: (
                Student.objects.unscoped(NATURAL_KEY)
                .select_related("person")
                .filter(hei=hei, student_ref__iexact=values["student_ref"].strip())
                .first()
            ),
        )

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        problems = _team_problem(values, ctx) + _people_problems(values, ctx)
        hei, organisation = values["hei"], values["organisation"]
        if isinstance(organisation, Organisation) and organisation.is_hei:
            problems.append(
                (
                    "organisation",
                    f"{organisation.name} ({organisation.code}) is a university; name the organisation that provides the placement.",
                )
            )
        student = self._student(values, ctx)
        if (
            isinstance(hei, Organisation)
            and student is None
            and not ctx.is_pending("students", hei, values["student_ref"])
        ):
            problems.append(
                (
                    "student_ref",
                    f"{hei.code} has no student with the reference “{values['student_ref']}”.",
                )
            )
        if student is not None and student.route != values["student_route"]:
            problems.append(("student_route", f"is not the student's route, {student.route}."))
        problems += _days_problems(values, "the placement lasts")
        ended = values["status"] == PlacementStatus.ENDED_EARLY
        if ended and not values["ended_reason"]:
            problems.append(("ended_reason", "is empty; say why the placement ended early."))
        if values["status"] in CONFIRMED_STATUSES and not (
            values["start_date"] and values["end_date"]
        ):
            problems.append(
                ("start_date", f"a {values['status']} placement has its start and end dates.")
            )
        start, end = values["start_date"], values["end_date"]
        if start and end and end < start:
            problems.append(("end_date", "is before the start date."))
        return problems

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Placement | None:
        student = self._student(values, ctx)
        if student is None:
            return None
        return (
            Placement.objects.unscoped(NATURAL_KEY)
            .filter(
                student=student,
                academic_year__start_year=values["academic_year"].start_year,
                placement_type=values["placement_type"],
                starts_on=values["start_date"],
            )
            .select_related(
                "team", "practice_educator__person", "onsite_supervisor", "student__hei"
            )
            .first()
        )

    def _record(
        self, values: dict[str, Any], ctx: ImportContext, placement: Placement | None
    ) -> Placement:
        student = self._student(values, ctx) if ctx.applying else None
        if student is None:
            hei = values["hei"]
            student = (
                Student.objects.unscoped(NATURAL_KEY)
                .filter(hei=hei, student_ref__iexact=values["student_ref"].strip())
                .first()
            )
        if student is None:
            raise ValidationError({"student_ref": "The student was not found."})
        team = _team(values, ctx)
        setting = values["setting"]
        if setting is KEEP:
            setting = placement.setting if placement is not None else ""
        reason = values["ended_reason"]
        if reason is KEEP:
            reason = placement.ended_reason if placement is not None else ""
        days = values["days"] or (
            placement.days
            if placement is not None and placement.placement_type == values["placement_type"]
            else None
        )
        supervisor = (
            lookups.find_person(email=values["onsite_supervisor_email"])
            if values["onsite_supervisor_email"]
            else None
        )
        fields = {
            "student": student,
            "organisation": values["organisation"],
            "academic_year": values["academic_year"],
            "placement_type": values["placement_type"],
            "status": values["status"],
            "days": days,
            "team": team,
            "setting": setting or "",
            "starts_on": values["start_date"],
            "ends_on": values["end_date"],
            "practice_educator": _educator(values["practice_educator_email"]),
            "onsite_supervisor": supervisor,
            "ended_reason": reason or "",
        }
        fields["offer"] = self._offer(fields)
        try:
            return services.record_placement(actor=ctx.actor, placement=placement, **fields)
        except ValidationError as error:
            raise as_columns(error, COLUMN_OF_FIELD, "status") from error

    @staticmethod
    def _offer(fields: dict[str, Any]) -> PlacementOffer | None:
        """The one offer of the placement's team (or setting), year and type that takes the
        student's route; none when there is none, or several."""
        if fields["status"] not in FILLING_STATUSES:
            return None
        offers = list(
            PlacementOffer.objects.unscoped(NATURAL_KEY).filter(
                organisation=fields["organisation"],
                team=fields["team"],
                setting__iexact=fields["setting"],
                academic_year=fields["academic_year"],
                placement_type=fields["placement_type"],
            )[:2]
        )
        if len(offers) == 1 and offers[0].accepts(fields["student"].route):
            return offers[0]
        return None

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Placement:
        return self._record(values, ctx, None)

    def update(self, obj: Placement, values: dict[str, Any], ctx: ImportContext) -> Placement:
        return self._record(values, ctx, obj)

    def records(self, viewer: Viewer) -> QuerySet[Placement]:
        return (
            Placement.objects.visible_to(viewer, MANAGE)
            .select_related(
                "student__hei",
                "organisation",
                "team",
                "academic_year",
                "practice_educator__person",
                "onsite_supervisor",
            )
            .order_by(
                "student__hei__code",
                "student__student_ref",
                "academic_year__start_year",
                "placement_type",
                "starts_on",
                "pk",
            )
        )


COLUMN_OF_FIELD = {
    "starts_on": "start_date",
    "ends_on": "end_date",
    "practice_educator": "practice_educator_email",
    "onsite_supervisor": "onsite_supervisor_email",
    "student": "student_ref",
    "offer": "team",
}


# --- quotas per university (docs/0028-allocation-runs.md, "Quotas") ---------------------------


@register_importer
class PlacementQuotaImporter(Importer):
    kind = "placement-quotas"
    title = "Quotas per university"
    description = (
        "The most of a university's students placed with a providing organisation (or, with "
        "the organisation left empty, with any providing organisation) in an academic year. "
        "Every allocation run of the year keeps them. A providing organisation's coordinators "
        "import its quotas; the partnership manager any."
    )
    columns = [
        Column(
            "hei",
            partner,
            required=True,
            help="Code of the university",
            example="UOK",
            compared=False,
        ),
        Column(
            "organisation",
            partner,
            help="Code of the providing organisation (empty: any providing organisation)",
            example="MC",
            source="provider",
            compared=False,
        ),
        Column(
            "academic_year",
            p.academic_year,
            required=True,
            help="Like 2019/20",
            example="2019/20",
            compared=False,
        ),
        Column(
            "limit",
            p.integer(minimum=0, maximum=QUOTA_MAX),
            required=True,
            help="The most students placed, 0 or more",
            example="4",
        ),
    ]
    natural_key = ("hei", "organisation", "academic_year")
    depends_on = ("organisations",)

    def refuse(self, ctx: ImportContext) -> str | None:
        if ctx.viewer is permissions.OPERATOR or permissions.can_in(
            ctx.viewer, MANAGE, PlacementQuota
        ):
            return None
        return (
            "Only a providing organisation's coordinators and the partnership manager import "
            "quotas."
        )

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return _key_by_start_year(values, self.natural_key)

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        hei, provider = values["hei"], values["organisation"]
        problems = []
        if isinstance(hei, Organisation) and not hei.is_hei:
            problems.append(("hei", f"{hei.name} ({hei.code}) is not a university."))
        if isinstance(provider, Organisation) and provider.is_hei:
            problems.append(
                (
                    "organisation",
                    f"{provider.name} ({provider.code}) is a university; name the organisation "
                    "that provides the placements, or leave it empty for any.",
                )
            )
        if (
            isinstance(hei, Organisation)
            and isinstance(provider, Organisation)
            and hei.partnership_id != provider.partnership_id
        ):
            problems.append(("organisation", "is not of the university's partnership."))
        if ctx.viewer is not permissions.OPERATOR and not problems:
            may = ctx.remember(
                ("quota-keepers",),
                lambda: permissions.organisation_ids_for(ctx.viewer, MANAGE, PlacementQuota),
            )
            if isinstance(provider, Organisation) and provider.pk not in may:
                problems.append(
                    (
                        "organisation",
                        f"you cannot keep quotas of {provider.name} ({provider.code}).",
                    )
                )
            elif provider is None and isinstance(hei, Organisation) and hei.pk not in may:
                problems.append(
                    (
                        "organisation",
                        "is empty; only the partnership manager keeps quotas with any "
                        "providing organisation: name yours.",
                    )
                )
        return problems

    def find(self, values: dict[str, Any], ctx: ImportContext) -> PlacementQuota | None:
        hei, provider = values["hei"], values["organisation"]
        if not isinstance(hei, Organisation) or isinstance(provider, Pending):
            return None
        return (
            PlacementQuota.objects.unscoped(NATURAL_KEY)
            .filter(
                hei=hei,
                provider=provider,
                academic_year__start_year=values["academic_year"].start_year,
            )
            .select_related("hei", "provider", "academic_year")
            .first()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> PlacementQuota:
        return self._save(values, ctx, None)

    def update(
        self, obj: PlacementQuota, values: dict[str, Any], ctx: ImportContext
    ) -> PlacementQuota:
        return self._save(values, ctx, obj)

    def _save(
        self, values: dict[str, Any], ctx: ImportContext, quota: PlacementQuota | None
    ) -> PlacementQuota:
        hei = values["hei"]
        return run_services.save_quota(
            actor=ctx.actor,
            partnership=hei.partnership,
            hei=hei,
            provider=values["organisation"],
            academic_year=values["academic_year"],
            limit=values["limit"],
            quota=quota,
        )

    def records(self, viewer: Viewer) -> QuerySet[PlacementQuota]:
        return (
            PlacementQuota.objects.visible_to(viewer, MANAGE)
            .select_related("hei", "provider", "academic_year")
            .order_by("hei__code", "provider__code", "academic_year__start_year", "pk")
        )
