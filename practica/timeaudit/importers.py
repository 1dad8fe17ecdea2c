"""Import kinds of the time audit: ``time-audits`` (one row per practice educator enrolled;
the audit is created when new) and ``time-logs`` (one row per educator and week)
(docs/0004-imports.md, docs/0030-time-audit.md)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from practica.accounts import permissions
from practica.accounts.grants import MANAGE
from practica.core.models import Organisation
from practica.educators.register.models import PracticeEducator
from practica.imports import parsers as p
from practica.imports.framework import (
    KEEP,
    NATURAL_KEY,
    Column,
    ImportCellError,
    ImportContext,
    Importer,
    as_columns,
)
from practica.imports.registry import register_importer
from practica.placements.models import PlacementType
from practica.timeaudit import services
from practica.timeaudit.models import (
    ACTIVITY_FIELDS,
    WEEK_HOURS_MAX,
    Activity,
    AuditEnrolment,
    TimeAudit,
    TimeLog,
    format_hours,
)

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

DATE_HELP = "The Monday the week starts on, like 2020-01-06 or 06/01/2020"


def _parse_hours(value: str, ctx: ImportContext) -> Decimal:
    hours: Decimal = p.decimal.parse(value, ctx)
    if hours < 0:
        raise ImportCellError("hours cannot be negative.")
    if hours > WEEK_HOURS_MAX:
        raise ImportCellError(f"a week holds at most {format_hours(WEEK_HOURS_MAX)} hours.")
    if hours != hours.quantize(Decimal("0.01")):
        raise ImportCellError("give hours to at most two decimal places, like 7.25.")
    return hours


hours = p.Cell(_parse_hours, format=format_hours)


def _educator(ctx: ImportContext, address: str) -> PracticeEducator | None:
    """The practice educator on the register with this e-mail address, if the importer's
    partnership holds them."""
    educator = ctx.remember(
        ("practice educator", address.strip().lower()),
        lambda: (
            PracticeEducator.objects.unscoped(NATURAL_KEY)
            .select_related("person__organisation")
            .filter(person__email__address=address.strip())
            .first()
        ),
    )
    if educator is None or ctx.viewer is permissions.OPERATOR:
        return educator
    partnerships = {
        m.organisation.partnership_id for m in permissions.active_memberships(ctx.viewer)
    }
    return educator if educator.person.organisation.partnership_id in partnerships else None


def _owner(values: dict[str, Any], ctx: ImportContext) -> Organisation | None:
    """The organisation that runs the audit: the row's, else the educator's employer."""
    if isinstance(values.get("organisation"), Organisation):
        owner: Organisation = values["organisation"]
        return owner
    educator = _educator(ctx, values["email"]) if values.get("email") else None
    return educator.person.organisation if educator is not None else None


def _audit(ctx: ImportContext, owner: Organisation | None, name: str) -> TimeAudit | None:
    if owner is None:
        return None
    return ctx.remember(
        ("time audit", owner.pk, name.strip().lower()),
        lambda: (
            TimeAudit.objects.unscoped(NATURAL_KEY)
            .select_related("academic_year")
            .filter(organisation=owner, name__iexact=name.strip())
            .first()
        ),
    )


@register_importer
class TimeAuditImporter(Importer):
    kind = "time-audits"
    title = "Time audits"
    description = (
        "The practice educators taking part in a time audit, one row each: the audit's name, "
        "academic year and type of placement, and the educator's e-mail address. The audit is "
        "created when it is new, run by the organisation named (or the educator's employer); "
        "each educator is linked to their placement of that type and year when there is one."
    )
    columns = [
        Column(
            "name",
            p.text(max_length=200, ignore_case=True),
            required=True,
            help="The audit's name",
            example="PE time audit 2019",
            source="audit.name",
            compared=False,
        ),
        Column(
            "academic_year",
            p.academic_year,
            required=True,
            help="Like 2019/20",
            example="2018/19",
            source="audit.academic_year",
        ),
        Column(
            "placement_type",
            p.choice(PlacementType),
            required=True,
            help=" | ".join(PlacementType.values),
            example="final_100",
            source="audit.placement_type",
        ),
        Column(
            "email",
            p.email,
            required=True,
            help="The practice educator's e-mail address, as on the register",
            example="pe@council.gov.uk",
            source="practice_educator.person.email",
            compared=False,
        ),
        Column(
            "organisation",
            p.organisation,
            help="Code of the organisation that runs the audit (empty: the educator's employer)",
            example="KCC",
            source="audit.organisation",
            compared=False,
        ),
    ]
    natural_key = ("organisation", "name", "email")
    depends_on = ("organisations", "people", "practice-educators", "placements")

    def refuse(self, ctx: ImportContext) -> str | None:
        if ctx.viewer is permissions.OPERATOR or permissions.can_in(ctx.viewer, MANAGE, TimeAudit):
            return None
        return "Only coordinators import time audits."

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        educator = _educator(ctx, values["email"])
        if educator is None:
            if ctx.is_pending("practice-educators", values["email"]):
                return []
            return [
                (
                    "email",
                    f"no practice educator on the register has the address {values['email']}.",
                )
            ]
        owner = _owner(values, ctx)
        if (
            owner is not None
            and ctx.viewer is not permissions.OPERATOR
            and owner.pk not in permissions.organisation_ids_for(ctx.viewer, MANAGE, TimeAudit)
        ):
            return [("organisation", f"you cannot import time audits for {owner.name}.")]
        audit = _audit(ctx, owner, values["name"])
        if audit is None:
            seen = ctx.cache.setdefault("time-audits: new audits", {})
            audit_key = (owner.pk if owner else None, values["name"].strip().lower())
            kind = (values["academic_year"].start_year, values["placement_type"])
            if seen.setdefault(audit_key, kind) != kind:
                return [("name", "names an audit of another year or type earlier in this file.")]
            return []
        problems = []
        if audit.academic_year.start_year != values["academic_year"].start_year:
            problems.append(
                ("academic_year", f"the audit “{audit.name}” is of {audit.academic_year.label}.")
            )
        if audit.placement_type != values["placement_type"]:
            problems.append(
                (
                    "placement_type",
                    f"the audit “{audit.name}” is of {audit.get_placement_type_display().lower()}s.",
                )
            )
        return problems

    def find(self, values: dict[str, Any], ctx: ImportContext) -> AuditEnrolment | None:
        educator = _educator(ctx, values["email"])
        audit = _audit(ctx, _owner(values, ctx), values["name"])
        if educator is None or audit is None:
            return None
        return (
            AuditEnrolment.objects.unscoped(NATURAL_KEY)
            .filter(audit=audit, practice_educator=educator)
            .first()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> AuditEnrolment:
        educator = _educator(ctx, values["email"])
        owner = _owner(values, ctx)
        if educator is None or owner is None:
            raise ValidationError({"email": "The practice educator was not found."})
        audit = _audit(ctx, owner, values["name"])
        if audit is None:
            audit = services.create_audit(
                actor=ctx.actor,
                organisation=owner,
                name=values["name"],
                academic_year=values["academic_year"],
                placement_type=values["placement_type"],
            )
            ctx.cache[("time audit", owner.pk, values["name"].strip().lower())] = audit
        try:
            return services.enrol_educator(actor=ctx.actor, audit=audit, practice_educator=educator)
        except ValidationError as error:
            raise as_columns(error, {"practice_educator": "email"}, "email") from error

    def update(
        self, obj: AuditEnrolment, values: dict[str, Any], ctx: ImportContext
    ) -> AuditEnrolment:
        return obj  # the row only names the enrolment: nothing of it changes

    def records(self, viewer: Viewer) -> QuerySet[AuditEnrolment]:
        return (
            AuditEnrolment.objects.visible_to(viewer, MANAGE)
            .select_related(
                "audit__organisation", "audit__academic_year", "practice_educator__person"
            )
            .order_by(
                "audit__organisation__code",
                "audit__name",
                "practice_educator__person__email",
                "pk",
            )
        )


ACTIVITY_COLUMNS = {activity: f"{activity}_hours" for activity in ACTIVITY_FIELDS}


@register_importer
class TimeLogImporter(Importer):
    kind = "time-logs"
    title = "Time audit logs"
    description = (
        "The hours practice educators spent on practice educator work, one row per educator "
        "and week: the audit's name, the educator's e-mail address, the Monday the week "
        "starts on, the hours in the working day and out of hours, and optionally the hours "
        "per activity (they add up to the week's hours). A week already logged is corrected; "
        "its history keeps the earlier figures."
    )
    columns = [
        Column(
            "audit",
            p.text(max_length=200, ignore_case=True),
            required=True,
            help="The audit's name",
            example="PE time audit 2019",
            source="enrolment.audit.name",
            compared=False,
        ),
        Column(
            "email",
            p.email,
            required=True,
            help="The practice educator's e-mail address",
            example="pe@council.gov.uk",
            source="enrolment.practice_educator.person.email",
            compared=False,
        ),
        Column(
            "week_start",
            p.date,
            required=True,
            help=DATE_HELP,
            example="2019-01-07",
            compared=False,
        ),
        Column("daytime_hours", hours, required=True, help="Hours in the working day", example="7"),
        Column("ooh_hours", hours, required=True, help="Hours out of hours", example="0.5"),
        *[
            Column(
                column,
                hours,
                help=f"Hours of {Activity(activity).label.lower()} (optional)",
                keep_if_missing=True,
            )
            for activity, column in ACTIVITY_COLUMNS.items()
        ],
    ]
    natural_key = ("audit", "email", "week_start")
    depends_on = ("time-audits",)

    def refuse(self, ctx: ImportContext) -> str | None:
        if ctx.viewer is permissions.OPERATOR or permissions.can_in(ctx.viewer, MANAGE, TimeLog):
            return None
        return "Only coordinators import time logs."

    def _enrolment(self, values: dict[str, Any], ctx: ImportContext) -> AuditEnrolment | None:
        """The enrolment in the audit of this name that the importer runs, of this educator."""
        name, address = values["audit"].strip(), values["email"].strip()

        def lookup() -> AuditEnrolment | None:
            enrolments = (
                AuditEnrolment.objects.unscoped(NATURAL_KEY)
                .select_related("audit", "placement")
                .filter(
                    audit__name__iexact=name,
                    practice_educator__person__email__address=address,
                )
            )
            if ctx.viewer is not permissions.OPERATOR:
                enrolments = enrolments.filter(
                    audit__organisation__in=permissions.organisation_ids_for(
                        ctx.viewer, MANAGE, TimeAudit
                    )
                )
            found = list(enrolments[:2])
            return found[0] if len(found) == 1 else None

        return ctx.remember(("time audit enrolment", name.lower(), address.lower()), lookup)

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        if self._enrolment(values, ctx) is None:
            name, address = values["audit"].strip().lower(), values["email"].strip().lower()
            pending = ctx.pending.get("time-audits", set())
            if any(key[1:] == (name, address) for key in pending):
                return []
            return [
                (
                    "email",
                    f"{values['email']} is not enrolled in a time audit called “{values['audit']}” "
                    "that you run; enrol them first (time audits).",
                )
            ]
        return []

    def find(self, values: dict[str, Any], ctx: ImportContext) -> TimeLog | None:
        enrolment = self._enrolment(values, ctx)
        if enrolment is None:
            return None
        return enrolment.logs.filter(week_start=values["week_start"]).first()

    def _record(self, values: dict[str, Any], ctx: ImportContext, log: TimeLog | None) -> TimeLog:
        enrolment = self._enrolment(values, ctx)
        if enrolment is None:
            raise ValidationError({"email": "The practice educator's enrolment was not found."})
        activities: dict[str, Decimal | None] = {}
        for activity, column in ACTIVITY_COLUMNS.items():
            value = values[column]
            if value is KEEP:
                value = getattr(log, column) if log is not None else None
            activities[activity] = value
        try:
            if log is None:
                return services.log_week(
                    actor=ctx.actor,
                    enrolment=enrolment,
                    week_start=values["week_start"],
                    daytime_hours=values["daytime_hours"],
                    ooh_hours=values["ooh_hours"],
                    activities=activities,
                )
            return services.correct_week(
                actor=ctx.actor,
                log=log,
                daytime_hours=values["daytime_hours"],
                ooh_hours=values["ooh_hours"],
                activities=activities,
            )
        except ValidationError as error:
            raise as_columns(error, COLUMN_OF_FIELD, "week_start") from error

    def create(self, values: dict[str, Any], ctx: ImportContext) -> TimeLog:
        return self._record(values, ctx, None)

    def update(self, obj: TimeLog, values: dict[str, Any], ctx: ImportContext) -> TimeLog:
        return self._record(values, ctx, obj)

    def records(self, viewer: Viewer) -> QuerySet[TimeLog]:
        return (
            TimeLog.objects.visible_to(viewer, MANAGE)
            .select_related("enrolment__audit", "enrolment__practice_educator__person")
            .order_by(
                "enrolment__audit__name",
                "enrolment__practice_educator__person__email",
                "week_start",
                "pk",
            )
        )


COLUMN_OF_FIELD = {"enrolment": "email", **{c: c for c in ACTIVITY_COLUMNS.values()}}
