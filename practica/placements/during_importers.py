"""Import kinds of the records kept during a placement (docs/0029): ``preplacement-checks``
(per student), ``attendance``, ``direct-observations``, ``placement-reviews`` and
``causes-for-concern`` (per placement), ``skills-days`` (per student). They record history
as it stands, as the ``placements`` kind does: no e-mails, no lifecycle step."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet

from practica.accounts import permissions
from practica.accounts.grants import MANAGE
from practica.accounts.models import User
from practica.core.models import Organisation
from practica.imports import parsers as p
from practica.imports.framework import (
    NATURAL_KEY,
    Column,
    ImportContext,
    Importer,
    as_columns,
)
from practica.imports.registry import register_importer
from practica.placements.during import services
from practica.placements.during.models import (
    MAX_DAYS_A_WEEK,
    MAX_SKILLS_DAYS_AT_ONCE,
    OPEN_CONCERN_STATUSES,
    OUTCOMES_OF,
    AttendanceWeek,
    CauseForConcern,
    CheckKind,
    ConcernStatus,
    DirectObservation,
    PlacementReview,
    PreplacementCheck,
    RaisedBy,
    ReviewKind,
    ReviewOutcome,
    SkillsDays,
)
from practica.placements.during.rules import CONCERNS, RECORD_PROGRESS
from practica.placements.importers import DATE_HELP, PLACEMENT_TYPES, _key_by_start_year, partner
from practica.placements.models import Placement, PlacementType, Student

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


def _refuse(ctx: ImportContext, what: str) -> str | None:
    if (
        ctx.viewer is permissions.OPERATOR
        or permissions.can_in(ctx.viewer, MANAGE, Student)
        or permissions.can_in(ctx.viewer, MANAGE, Placement)
    ):
        return None
    return f"Only coordinators import {what}."


def _student_columns(path: str = "student") -> list[Column]:
    """The student's natural key; ``path`` leads from the row's record to the student."""
    return [
        Column(
            "hei",
            partner,
            required=True,
            help="Code of the student's university",
            example="CCCU",
            source=f"{path}.hei",
            compared=False,
        ),
        Column(
            "student_ref",
            p.text(max_length=40, ignore_case=True),
            required=True,
            help="The university's reference for the student",
            example="21034567",
            source=f"{path}.student_ref",
            compared=False,
        ),
    ]


def _placement_columns() -> list[Column]:
    """The placement's natural key, as the ``placements`` kind writes it."""
    return [
        *_student_columns("placement.student"),
        Column(
            "academic_year",
            p.academic_year,
            required=True,
            help="Like 2019/20",
            example="2019/20",
            source="placement.academic_year",
            compared=False,
        ),
        Column(
            "placement_type",
            p.choice(PlacementType),
            required=True,
            help=" | ".join(PLACEMENT_TYPES),
            example="final_100",
            source="placement.placement_type",
            compared=False,
        ),
        Column(
            "start_date",
            p.date,
            required=True,
            help="The placement's first day. " + DATE_HELP,
            example="2020-01-06",
            source="placement.starts_on",
            compared=False,
        ),
    ]


PLACEMENT_KEY = ("hei", "student_ref", "academic_year", "placement_type", "start_date")


def _student(values: dict[str, Any], ctx: ImportContext) -> Student | None:
    hei = values["hei"]
    if not isinstance(hei, Organisation):  # an organisation an earlier file adds
        return None
    ref = values["student_ref"].strip()
    return ctx.remember(
        ("student", getattr(hei, "pk", None), ref.lower()),
        lambda: (
            Student.objects.unscoped(NATURAL_KEY).filter(hei=hei, student_ref__iexact=ref).first()
        ),
    )


def _student_problem(values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
    hei = values["hei"]
    if not isinstance(hei, Organisation):
        return []  # its students come with it, checked when they are
    if _student(values, ctx) is None and not ctx.is_pending("students", hei, values["student_ref"]):
        return [
            (
                "student_ref",
                f"{hei.code} has no student with the reference “{values['student_ref']}”.",
            )
        ]
    return []


def _placement(values: dict[str, Any], ctx: ImportContext) -> Placement | None:
    student = _student(values, ctx)
    if student is None:
        return None
    year, kind, start = values["academic_year"], values["placement_type"], values["start_date"]
    return ctx.remember(
        ("placement", student.pk, year.start_year, kind, start),
        lambda: (
            Placement.objects.unscoped(NATURAL_KEY)
            .filter(
                student=student,
                academic_year__start_year=year.start_year,
                placement_type=kind,
                starts_on=start,
            )
            .first()
        ),
    )


def _placement_problem(values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
    year = values["academic_year"]
    if not isinstance(values["hei"], Organisation) or _student(values, ctx) is None:
        return []  # a student an earlier file adds: their placements come with them
    if _placement(values, ctx) is None and not ctx.is_pending(
        "placements",
        values["hei"],
        values["student_ref"],
        year.start_year,
        values["placement_type"],
        values["start_date"],
    ):
        return [
            (
                "start_date",
                f"the student {values['student_ref']} has no {values['placement_type']} "
                f"placement in {year} starting on {values['start_date']:%Y-%m-%d}.",
            )
        ]
    return []


def _placement_or_error(values: dict[str, Any], ctx: ImportContext) -> Placement:
    placement = _placement(values, ctx)
    if placement is None:
        raise ValidationError({"start_date": "The placement was not found."})
    return placement


def _may_not(
    values: dict[str, Any], ctx: ImportContext, what: str, ability: str = RECORD_PROGRESS
) -> list[tuple[str, str]]:
    """A row about a placement (or, for the kinds kept per student, a student) the importing
    user may not keep these records of: ``ability`` on the placement, ``MANAGE`` on the
    student, as the pages ask. Being a coordinator somewhere is not enough (issue 15). One an
    earlier file of the batch adds is checked by its own kind."""
    if "start_date" in values:
        record: Placement | Student | None = _placement(values, ctx)
        column, of = "start_date", "placement"
    else:
        record, column, of, ability = _student(values, ctx), "student_ref", "student", MANAGE
    if ctx.viewer is permissions.OPERATOR or record is None:
        return []
    if permissions.can(ctx.viewer, ability, record):
        return []
    return [(column, f"you cannot record {what} of this {of}.")]


def _in_placement_order[R: models.Model](records: QuerySet[R], *then: str) -> QuerySet[R]:
    """Records of placements as the export writes them: by the placement's key columns (the
    student's university and reference, the year, the type, the start), then ``then``."""
    return records.select_related("placement__student__hei", "placement__academic_year").order_by(
        "placement__student__hei__code",
        "placement__student__student_ref",
        "placement__academic_year__start_year",
        "placement__placement_type",
        "placement__starts_on",
        *then,
    )


@register_importer
class PreplacementCheckImporter(Importer):
    kind = "preplacement-checks"
    title = "Pre-placement checks"
    description = (
        "Students' pre-placement checks (enhanced DBS, occupational health, placement "
        "agreement): when each was done, until when it is valid and its reference. One row per "
        "student and kind of check; a row for a check already recorded renews it."
    )
    columns = [
        *_student_columns(),
        Column(
            "kind",
            p.choice(CheckKind),
            required=True,
            help=" | ".join(CheckKind.values),
            example="dbs",
            compared=False,
        ),
        Column("completed_on", p.date, required=True, help=DATE_HELP, example="2019-06-01"),
        Column("expires_on", p.date, help="Empty: no expiry. " + DATE_HELP, example="2022-06-01"),
        Column("reference", p.text(max_length=60), help="Certificate number or reference"),
    ]
    natural_key = ("hei", "student_ref", "kind")
    depends_on = ("organisations", "students")

    def refuse(self, ctx: ImportContext) -> str | None:
        return _refuse(ctx, "pre-placement checks")

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        problems = _student_problem(values, ctx)
        done, expires = values["completed_on"], values["expires_on"]
        if expires and expires < done:
            problems.append(("expires_on", "is before the day the check was done."))
        return problems or _may_not(values, ctx, "pre-placement checks")

    def find(self, values: dict[str, Any], ctx: ImportContext) -> PreplacementCheck | None:
        student = _student(values, ctx)
        if student is None:
            return None
        return (
            PreplacementCheck.objects.unscoped(NATURAL_KEY)
            .filter(student=student, kind=values["kind"])
            .first()
        )

    def _record(self, values: dict[str, Any], ctx: ImportContext) -> PreplacementCheck:
        student = _student(values, ctx)
        if student is None:
            raise ValidationError({"student_ref": "The student was not found."})
        try:
            return services.record_check(
                actor=ctx.actor,
                student=student,
                kind=values["kind"],
                completed_on=values["completed_on"],
                expires_on=values["expires_on"],
                reference=values["reference"] or "",
            )
        except ValidationError as error:
            raise as_columns(error, {}, "completed_on") from error

    def create(self, values: dict[str, Any], ctx: ImportContext) -> PreplacementCheck:
        return self._record(values, ctx)

    def update(
        self, obj: PreplacementCheck, values: dict[str, Any], ctx: ImportContext
    ) -> PreplacementCheck:
        return self._record(values, ctx)

    def records(self, viewer: Viewer) -> QuerySet[PreplacementCheck]:
        return (
            PreplacementCheck.objects.visible_to(viewer)
            .select_related("student__hei")
            .order_by("student__hei__code", "student__student_ref", "kind", "pk")
        )


@register_importer
class AttendanceImporter(Importer):
    kind = "attendance"
    title = "Placement attendance"
    description = (
        "The days a student attended their placement, a row per week (the Monday it starts), "
        "with who signed the week off and when (empty: not signed off yet; only signed-off "
        "days count). The placement is named as in the placements import."
    )
    columns = [
        *_placement_columns(),
        Column(
            "week_starting",
            p.date,
            required=True,
            help="The Monday of the week. " + DATE_HELP,
            example="2020-01-06",
            compared=False,
        ),
        Column(
            "days",
            p.decimal,
            required=True,
            help=f"Days attended, whole or half, 0 to {MAX_DAYS_A_WEEK}",
            example="4.5",
        ),
        Column("note", p.text(max_length=200), help="A note on the week"),
        Column(
            "signed_off_by_email",
            p.user_email,
            help="The e-mail of the user who signed the week off",
            source="signed_off_by.email",
        ),
        Column(
            "signed_off_at",
            p.date_time,
            help="When it was signed off, like 2020-01-13 09:30 (empty: not yet)",
            example="2020-01-13 09:30",
        ),
    ]
    natural_key = (*PLACEMENT_KEY, "week_starting")
    depends_on = ("organisations", "users", "students", "placements")

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return _key_by_start_year(values, self.natural_key)

    def refuse(self, ctx: ImportContext) -> str | None:
        return _refuse(ctx, "attendance")

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        problems = _student_problem(values, ctx) or _placement_problem(values, ctx)
        if values["signed_off_by_email"] and not values["signed_off_at"]:
            problems.append(("signed_off_at", "is empty; say when the week was signed off."))
        return problems or _may_not(values, ctx, "attendance")

    def find(self, values: dict[str, Any], ctx: ImportContext) -> AttendanceWeek | None:
        placement = _placement(values, ctx)
        if placement is None:
            return None
        return (
            AttendanceWeek.objects.unscoped(NATURAL_KEY)
            .select_related("signed_off_by")
            .filter(placement=placement, week_starting=values["week_starting"])
            .first()
        )

    def _record(
        self, values: dict[str, Any], ctx: ImportContext, week: AttendanceWeek | None
    ) -> AttendanceWeek:
        address = values["signed_off_by_email"]
        signer = User.objects.filter(email__address=address).first() if address else None
        try:
            return services.record_attendance_history(
                actor=ctx.actor,
                placement=_placement_or_error(values, ctx),
                week=week,
                week_starting=values["week_starting"],
                days=values["days"],
                note=values["note"] or "",
                signed_off_by=signer,
                signed_off_at=values["signed_off_at"],
            )
        except ValidationError as error:
            raise as_columns(error, {}, "days") from error

    def create(self, values: dict[str, Any], ctx: ImportContext) -> AttendanceWeek:
        return self._record(values, ctx, None)

    def update(
        self, obj: AttendanceWeek, values: dict[str, Any], ctx: ImportContext
    ) -> AttendanceWeek:
        return self._record(values, ctx, obj)

    def records(self, viewer: Viewer) -> QuerySet[AttendanceWeek]:
        return _in_placement_order(
            AttendanceWeek.objects.visible_to(viewer).select_related("signed_off_by"),
            "week_starting",
            "pk",
        )


@register_importer
class DirectObservationImporter(Importer):
    kind = "direct-observations"
    title = "Direct observations"
    description = (
        "Direct observations of students' practice on placement: the day, who observed and a "
        "summary. The placement is named as in the placements import; a row with the same "
        "placement, day and observer is the same observation."
    )
    columns = [
        *_placement_columns(),
        Column(
            "observed_on",
            p.date,
            required=True,
            help=DATE_HELP,
            example="2020-02-03",
            compared=False,
        ),
        Column(
            "observer",
            p.text(max_length=200, ignore_case=True),
            required=True,
            help="Who observed, e.g. the practice educator",
            example="Pat Educator",
            compared=False,
        ),
        Column("summary", p.text(), help="What was observed and the feedback given"),
    ]
    natural_key = (*PLACEMENT_KEY, "observed_on", "observer")
    depends_on = ("organisations", "students", "placements")

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return _key_by_start_year(values, self.natural_key)

    def refuse(self, ctx: ImportContext) -> str | None:
        return _refuse(ctx, "direct observations")

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        problems = _student_problem(values, ctx) or _placement_problem(values, ctx)
        return problems or _may_not(values, ctx, "direct observations")

    def find(self, values: dict[str, Any], ctx: ImportContext) -> DirectObservation | None:
        placement = _placement(values, ctx)
        if placement is None:
            return None
        return (
            DirectObservation.objects.unscoped(NATURAL_KEY)
            .filter(
                placement=placement,
                observed_on=values["observed_on"],
                observer__iexact=values["observer"].strip(),
            )
            .first()
        )

    def _record(
        self, values: dict[str, Any], ctx: ImportContext, observation: DirectObservation | None
    ) -> DirectObservation:
        try:
            return services.record_observation_history(
                actor=ctx.actor,
                placement=_placement_or_error(values, ctx),
                observation=observation,
                observed_on=values["observed_on"],
                observer=values["observer"],
                summary=values["summary"] or "",
            )
        except ValidationError as error:
            raise as_columns(error, {}, "observed_on") from error

    def create(self, values: dict[str, Any], ctx: ImportContext) -> DirectObservation:
        return self._record(values, ctx, None)

    def update(
        self, obj: DirectObservation, values: dict[str, Any], ctx: ImportContext
    ) -> DirectObservation:
        return self._record(values, ctx, obj)

    def records(self, viewer: Viewer) -> QuerySet[DirectObservation]:
        return _in_placement_order(
            DirectObservation.objects.visible_to(viewer), "observed_on", "observer", "pk"
        )


@register_importer
class PlacementReviewImporter(Importer):
    kind = "placement-reviews"
    title = "Placement meetings and reviews"
    description = (
        "Each placement's learning agreement meeting, midpoint review and final review: the "
        "day held, the outcome and notes. One row per placement and meeting; a row for a "
        "meeting already recorded corrects it. The placement is named as in the placements "
        "import."
    )
    columns = [
        *_placement_columns(),
        Column(
            "kind",
            p.choice(ReviewKind),
            required=True,
            help=" | ".join(ReviewKind.values),
            example="midpoint",
            compared=False,
        ),
        Column("held_on", p.date, required=True, help=DATE_HELP, example="2020-03-16"),
        Column(
            "outcome",
            p.choice(ReviewOutcome),
            required=True,
            help="learning_agreement: agreed | some_concerns; midpoint: on_track | "
            "some_concerns | not_on_track; final: pass | fail",
            example="on_track",
        ),
        Column("notes", p.text(), help="What was agreed or said"),
    ]
    natural_key = (*PLACEMENT_KEY, "kind")
    depends_on = ("organisations", "students", "placements")

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return _key_by_start_year(values, self.natural_key)

    def refuse(self, ctx: ImportContext) -> str | None:
        return _refuse(ctx, "placement meetings and reviews")

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        problems = _student_problem(values, ctx) or _placement_problem(values, ctx)
        if values["outcome"] not in OUTCOMES_OF[values["kind"]]:
            allowed = " | ".join(OUTCOMES_OF[values["kind"]])
            problems.append(("outcome", f"is not an outcome of this meeting ({allowed})."))
        return problems or _may_not(values, ctx, "meetings and reviews")

    def find(self, values: dict[str, Any], ctx: ImportContext) -> PlacementReview | None:
        placement = _placement(values, ctx)
        if placement is None:
            return None
        return (
            PlacementReview.objects.unscoped(NATURAL_KEY)
            .filter(placement=placement, kind=values["kind"])
            .first()
        )

    def _record(self, values: dict[str, Any], ctx: ImportContext) -> PlacementReview:
        try:
            return services.record_review(
                actor=ctx.actor,
                placement=_placement_or_error(values, ctx),
                kind=values["kind"],
                held_on=values["held_on"],
                outcome=values["outcome"],
                notes=values["notes"] or "",
            )
        except ValidationError as error:
            raise as_columns(error, {}, "held_on") from error

    def create(self, values: dict[str, Any], ctx: ImportContext) -> PlacementReview:
        return self._record(values, ctx)

    def update(
        self, obj: PlacementReview, values: dict[str, Any], ctx: ImportContext
    ) -> PlacementReview:
        return self._record(values, ctx)

    def records(self, viewer: Viewer) -> QuerySet[PlacementReview]:
        return _in_placement_order(PlacementReview.objects.visible_to(viewer), "kind", "pk")


@register_importer
class CauseForConcernImporter(Importer):
    kind = "causes-for-concern"
    title = "Causes for concern"
    description = (
        "Causes for concern raised on placements, as they stand: the day raised, in what "
        "capacity, the concern, its status, the meeting, the action plan and the outcome. "
        "Only those who run a placement's concerns (its university's staff and the providing "
        "organisation's coordinators) import or export them. A row with the same placement, day "
        "and capacity is the same concern."
    )
    columns = [
        *_placement_columns(),
        Column(
            "raised_on", p.date, required=True, help=DATE_HELP, example="2020-02-10", compared=False
        ),
        Column(
            "raised_as",
            p.choice(RaisedBy),
            required=True,
            help="Who raised it: " + " | ".join(RaisedBy.values),
            example="practice_educator",
            compared=False,
        ),
        Column("concern", p.text(), required=True, help="What the concern is about"),
        Column(
            "status",
            p.choice(ConcernStatus),
            required=True,
            help=" | ".join(ConcernStatus.values),
            example="raised",
        ),
        Column("meeting_on", p.date, help="The day of the meeting about it. " + DATE_HELP),
        Column("meeting_notes", p.text(), help="Notes of the meeting"),
        Column("action_plan", p.text(), help="The action plan agreed"),
        Column("review_on", p.date, help="The day the action plan is reviewed by. " + DATE_HELP),
        Column("outcome", p.text(), help="How it ended (needed once closed)"),
        Column("closed_on", p.date, help="The day it closed (needed once closed). " + DATE_HELP),
    ]
    natural_key = (*PLACEMENT_KEY, "raised_on", "raised_as")
    depends_on = ("organisations", "students", "placements")

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return _key_by_start_year(values, self.natural_key)

    def refuse(self, ctx: ImportContext) -> str | None:
        if ctx.viewer is permissions.OPERATOR or permissions.can_in(
            ctx.viewer, MANAGE, CauseForConcern
        ):
            return None
        return "Only the coordinators and university staff who run causes for concern import them."

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        problems = _student_problem(values, ctx) or _placement_problem(values, ctx)
        closed = values["status"] not in OPEN_CONCERN_STATUSES
        if closed and not (values["closed_on"] and values["outcome"]):
            problems.append(("status", "is closed: give the day it closed and its outcome."))
        if not closed and values["closed_on"]:
            problems.append(("closed_on", "is given, but the concern is still open."))
        return problems or _may_not(values, ctx, "causes for concern", CONCERNS)

    def find(self, values: dict[str, Any], ctx: ImportContext) -> CauseForConcern | None:
        placement = _placement(values, ctx)
        if placement is None:
            return None
        return (
            CauseForConcern.objects.unscoped(NATURAL_KEY)
            .filter(
                placement=placement,
                raised_on=values["raised_on"],
                raised_as=values["raised_as"],
            )
            .order_by("pk")
            .first()
        )

    def _record(
        self, values: dict[str, Any], ctx: ImportContext, record: CauseForConcern | None
    ) -> CauseForConcern:
        try:
            return services.record_concern_history(
                actor=ctx.actor,
                placement=_placement_or_error(values, ctx),
                record=record,
                raised_on=values["raised_on"],
                raised_as=values["raised_as"],
                concern=values["concern"],
                status=values["status"],
                meeting_on=values["meeting_on"],
                meeting_notes=values["meeting_notes"] or "",
                action_plan=values["action_plan"] or "",
                review_on=values["review_on"],
                outcome=values["outcome"] or "",
                closed_on=values["closed_on"],
            )
        except ValidationError as error:
            raise as_columns(error, {}, "status") from error

    def create(self, values: dict[str, Any], ctx: ImportContext) -> CauseForConcern:
        return self._record(values, ctx, None)

    def update(
        self, obj: CauseForConcern, values: dict[str, Any], ctx: ImportContext
    ) -> CauseForConcern:
        return self._record(values, ctx, obj)

    def records(self, viewer: Viewer) -> QuerySet[CauseForConcern]:
        return _in_placement_order(
            CauseForConcern.objects.visible_to(viewer), "raised_on", "raised_as", "pk"
        )


@register_importer
class SkillsDaysImporter(Importer):
    kind = "skills-days"
    title = "Skills days"
    description = (
        "Skills days students attended at their university (they count towards the "
        "programme's practice days, up to the limit): the day (or first day), how many days "
        "and what about. A row with the same student, day and topic is the same record."
    )
    columns = [
        *_student_columns(),
        Column(
            "held_on",
            p.date,
            required=True,
            help="The day, or the first day. " + DATE_HELP,
            example="2019-10-07",
            compared=False,
        ),
        Column(
            "topic",
            p.text(max_length=200, ignore_case=True),
            required=True,
            help="What the skills days were about",
            example="Communication skills",
            compared=False,
        ),
        Column(
            "days",
            p.decimal,
            required=True,
            help=f"Whole or half days, 0.5 to {MAX_SKILLS_DAYS_AT_ONCE}",
            example="2",
        ),
    ]
    natural_key = ("hei", "student_ref", "held_on", "topic")
    depends_on = ("organisations", "students")

    def refuse(self, ctx: ImportContext) -> str | None:
        return _refuse(ctx, "skills days")

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        return _student_problem(values, ctx) or _may_not(values, ctx, "skills days")

    def find(self, values: dict[str, Any], ctx: ImportContext) -> SkillsDays | None:
        student = _student(values, ctx)
        if student is None:
            return None
        return (
            SkillsDays.objects.unscoped(NATURAL_KEY)
            .filter(
                student=student,
                held_on=values["held_on"],
                topic__iexact=values["topic"].strip(),
            )
            .order_by("pk")
            .first()
        )

    def _record(
        self, values: dict[str, Any], ctx: ImportContext, record: SkillsDays | None
    ) -> SkillsDays:
        student = _student(values, ctx)
        if student is None:
            raise ValidationError({"student_ref": "The student was not found."})
        try:
            return services.record_skills_days_history(
                actor=ctx.actor,
                student=student,
                record=record,
                held_on=values["held_on"],
                days=values["days"],
                topic=values["topic"],
            )
        except ValidationError as error:
            raise as_columns(error, {}, "days") from error

    def create(self, values: dict[str, Any], ctx: ImportContext) -> SkillsDays:
        return self._record(values, ctx, None)

    def update(self, obj: SkillsDays, values: dict[str, Any], ctx: ImportContext) -> SkillsDays:
        return self._record(values, ctx, obj)

    def records(self, viewer: Viewer) -> QuerySet[SkillsDays]:
        return (
            SkillsDays.objects.visible_to(viewer)
            .select_related("student__hei")
            .order_by("student__hei__code", "student__student_ref", "held_on", "topic", "pk")
        )
