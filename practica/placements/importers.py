"""The ``students`` import kind: students of the partnership's universities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from practica.core.models import Organisation, OrganisationKind, Person
from practica.imports import lookups
from practica.imports import parsers as p
from practica.imports.framework import NATURAL_KEY, Column, ImportContext, Importer
from practica.imports.registry import register_importer
from practica.placements import services
from practica.placements.models import TRAVEL_LIMIT_MINUTES, YEARS_OF_STUDY, Route, Student

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

ROUTES = list(Route.values)


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
        Column("route", p.choice(ROUTES), required=True, help=" | ".join(ROUTES), example="ba"),
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
    ]
    natural_key = ("hei", "student_ref")
    depends_on = ("organisations", "people")

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
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
        person = (
            Person.objects.unscoped(NATURAL_KEY)
            .filter(email__address=email)
            .select_related("student", "student__hei")
        ).first()
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
        return (
            Student.objects.unscoped(NATURAL_KEY)
            .filter(hei=values["hei"], student_ref__iexact=values["student_ref"])
            .select_related("person")
            .first()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Student:
        hei: Organisation = values["hei"]
        if values["email"]:
            person = lookups.person(ctx, email=values["email"])
            if person is not None and person.organisation_id != hei.pk:
                raise ValidationError({"email": lookups.email_in_use(ctx, person)})
        else:
            person = self._person_without_email(hei, values)
        return services.create_student(actor=ctx.actor, person=person, **self._fields(values))

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
        return services.update_student(actor=ctx.actor, student=obj, **fields)

    def _fields(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            **values,
            "email": values["email"] or "",
            "home_location": values["home_location"] or "",
        }

    def records(self, viewer: Viewer) -> QuerySet[Student]:
        return (
            Student.objects.visible_to(viewer)
            .select_related("person", "hei")
            .order_by("hei__code", "student_ref")
        )
