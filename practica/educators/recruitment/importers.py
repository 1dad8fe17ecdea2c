"""Import kinds of recruitment: ``selection-criteria``, ``pe-applications`` and
``pe-application-scores``; see docs/0004-imports.md for the framework."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from practica.accounts.models import User
from practica.core import selectors as core_selectors
from practica.core.models import Organisation
from practica.educators.recruitment import services
from practica.educators.recruitment.models import (
    ApplicationScore,
    Decision,
    PeApplication,
    SelectionCriterion,
)
from practica.educators.register.importers import DATE_HELP
from practica.educators.training.importers import STAGE
from practica.imports import lookups
from practica.imports import parsers as p
from practica.imports.framework import (
    NATURAL_KEY,
    Column,
    ImportContext,
    Importer,
    as_columns,
    key_of,
    model_problems,
)
from practica.imports.registry import register_importer

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


@register_importer
class SelectionCriterionImporter(Importer):
    kind = "selection-criteria"
    title = "Practice educator selection criteria"
    description = (
        "The criteria an organisation publishes for selecting practice educator candidates, "
        "found by organisation and title."
    )
    columns = [
        Column("organisation", p.organisation, required=True, help="Code of the organisation"),
        Column("title", p.text(max_length=200), required=True, example="Reflective practice"),
        Column("description", p.text(max_length=5000), help="What the panel looks for"),
        Column(
            "max_score",
            p.integer(minimum=1, maximum=100),
            help="Empty: 5",
            example="5",
            default=5,
        ),
        Column(
            "position",
            p.integer(minimum=0, maximum=32767),
            help="Order on the score sheet",
            default=0,
        ),
        Column(
            "in_use",
            p.yes_no,
            help="yes | no (empty: yes)",
            example="yes",
            default=True,
            source="is_active",
        ),
    ]
    natural_key = ("organisation", "title")
    depends_on = ("organisations",)

    def find(self, values: dict[str, Any], ctx: ImportContext) -> SelectionCriterion | None:
        return (
            SelectionCriterion.objects.unscoped(NATURAL_KEY)
            .filter(organisation=values["organisation"], title__iexact=values["title"])
            .first()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> SelectionCriterion:
        fields = self._fields(values)
        criterion = services.create_selection_criterion(
            actor=ctx.actor,
            organisation=values["organisation"],
            title=values["title"],
            description=fields["description"],
            max_score=fields["max_score"],
            position=fields["position"],
        )
        if not fields["is_active"]:
            return self.update(criterion, values, ctx)
        return criterion

    def update(
        self, obj: SelectionCriterion, values: dict[str, Any], ctx: ImportContext
    ) -> SelectionCriterion:
        return services.update_selection_criterion(
            actor=ctx.actor, criterion=obj, title=values["title"], **self._fields(values)
        )

    def _fields(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "description": values["description"] or "",
            "max_score": values["max_score"],
            "position": values["position"],
            "is_active": values["in_use"],
        }

    def records(self, viewer: Viewer) -> QuerySet[SelectionCriterion]:
        return (
            SelectionCriterion.objects.visible_to(viewer, "manage")
            .select_related("organisation")
            .order_by("organisation__code", "title")
        )


def _applicant_key(values: dict[str, Any]) -> tuple[Any, ...]:
    return key_of(values, ("email", "stage", "submitted_at"))


def _applications_named(values: dict[str, Any]) -> QuerySet[PeApplication]:
    """The application a row names by applicant, stage and when it was made (one at most)."""
    return PeApplication.objects.unscoped(NATURAL_KEY).filter(
        applicant__email__address=values["email"],
        stage=int(values["stage"]),
        created_at=values["submitted_at"],
    )


def _application_key(path: str = "") -> list[Column]:
    """The columns that name an application; ``path`` leads from the record to it."""
    return [
        Column(
            "email",
            p.email,
            required=True,
            help="The applicant's e-mail address",
            source=f"{path}applicant.email",
        ),
        Column(
            "organisation",
            p.organisation,
            required=True,
            help="The applicant's employer's code",
            source=f"{path}organisation",
        ),
        Column("stage", STAGE, required=True, help="1 | 2", example="1", source=f"{path}stage"),
        Column(
            "submitted_at",
            p.date_time,
            required=True,
            help="When the application was made, like 2019-03-04 10:30",
            example="2019-03-04 10:30",
            source=f"{path}created_at",
        ),
    ]


@register_importer
class PeApplicationImporter(Importer):
    kind = "pe-applications"
    title = "Applications to be a practice educator"
    description = (
        "Applications to train for PEPS Stage 1 or 2, at whatever point each reached: the "
        "written application, the line manager's answer, the selection panel and interview, "
        "and the decision with its feedback letter. Nothing is e-mailed by the import. The "
        "panel's scores go in a file of application scores."
    )
    columns = [
        *_application_key(),
        Column("statement", p.text(max_length=20000), required=True),
        Column("line_manager_name", p.text(max_length=200), required=True),
        Column("line_manager_email", p.email, required=True),
        Column("line_manager_supports", p.yes_no, help="yes | no (empty: not answered yet)"),
        Column("line_manager_statement", p.text(max_length=20000)),
        Column("support_given_at", p.date_time, help="When the line manager answered"),
        Column(
            "panel",
            p.email_list,
            help="Panel members' e-mails, one per line or separated by ;",
            source=lambda application: [
                member.person.email for member in application.panel_members.all()
            ],
        ),
        Column("interview_at", p.date_time, help="The panel interview"),
        Column("decision", p.choice(Decision), help=" | ".join(Decision.values)),
        Column("decided_on", p.date, help=DATE_HELP),
        Column(
            "decided_by",
            p.user_email,
            help="E-mail of the user who recorded the decision",
            source="decided_by.email",
        ),
        Column("feedback_letter", p.text(max_length=20000)),
        Column("feedback_sent_to", p.email, help="Where the letter was e-mailed, if it was"),
    ]
    natural_key = ("email", "stage", "submitted_at")
    depends_on = ("organisations", "people", "users", "practice-educators", "peps-enrolments")

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return _applicant_key(values)

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        organisation = values["organisation"]
        problems = model_problems(
            PeApplication(**self._fields(values, decided_by=None)),
            exclude=["organisation", "applicant", "decided_by", "enrolment"],
            default="decision",
        )
        if not isinstance(organisation, Organisation):
            return problems
        if not ctx.is_pending("people", values["email"]):
            applicant = lookups.person(ctx, email=values["email"])
            if applicant is None:
                problems.append(("email", "no such person; add them in a people file first."))
            elif applicant.organisation_id != organisation.pk:
                problems.append(
                    (
                        "email",
                        f"this person does not work for {organisation.code}."
                        if core_selectors.may_know_of(ctx.viewer, applicant)
                        else lookups.EMAIL_NOT_USABLE,
                    )
                )
        for email in values["panel"] or []:
            if not ctx.is_pending("people", email) and lookups.person(ctx, email=email) is None:
                problems.append(("panel", f"no person has the e-mail address {email}."))
        return problems

    def _fields(self, values: dict[str, Any], *, decided_by: User | None) -> dict[str, Any]:
        return {
            "stage": int(values["stage"]),
            "statement": values["statement"],
            "line_manager_name": values["line_manager_name"],
            "line_manager_email": values["line_manager_email"],
            "line_manager_supports": values["line_manager_supports"],
            "line_manager_statement": values["line_manager_statement"] or "",
            "support_given_at": values["support_given_at"],
            "interview_at": values["interview_at"],
            "decision": values["decision"] or "",
            "decided_on": values["decided_on"],
            "decided_by": decided_by,
            "feedback_letter": values["feedback_letter"] or "",
            "feedback_sent_to": values["feedback_sent_to"] or "",
        }

    def find(self, values: dict[str, Any], ctx: ImportContext) -> PeApplication | None:
        # not remembered: this kind changes the applications it finds (ImportContext.remember)
        return (
            _applications_named(values)
            .select_related("applicant", "decided_by")
            .prefetch_related("panel_members__person")
            .first()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> PeApplication:
        applicant = lookups.person(ctx, email=values["email"])
        panel = [lookups.person(ctx, email=email) for email in values["panel"] or []]
        if applicant is None or None in panel:  # checked before applying
            raise ValidationError({"email": "The applicant or a panel member was not found."})
        decider = None
        if values["decided_by"]:
            decider = User.objects.filter(email__address=values["decided_by"]).first()
        fields = self._fields(values, decided_by=decider)
        del fields["stage"]
        try:
            return services.record_pe_application(
                actor=ctx.actor,
                record=services.RecordedApplication(
                    applicant=applicant,
                    stage=int(values["stage"]),
                    created_at=values["submitted_at"],
                    panel=[member for member in panel if member is not None],
                    **fields,
                ),
            )
        except ValidationError as error:
            raise as_columns(error, {"applicant": "email"}, "decision") from error

    def update(
        self, obj: PeApplication, values: dict[str, Any], ctx: ImportContext
    ) -> PeApplication:
        return self.create(values, ctx)

    def records(self, viewer: Viewer) -> QuerySet[PeApplication]:
        return (
            PeApplication.objects.visible_to(viewer, "manage")
            .select_related("applicant", "organisation", "decided_by")
            .prefetch_related("panel_members__person")
            .order_by("applicant__email", "stage", "created_at")
        )


@register_importer
class ApplicationScoreImporter(Importer):
    kind = "pe-application-scores"
    title = "Selection panels' scores"
    description = (
        "The panel's score of an application against each published criterion, with its "
        "comment: one row per application and criterion. The application is found as in the "
        "file of applications; the criterion by its title."
    )
    columns = [
        *_application_key("application."),
        Column(
            "criterion",
            p.text(max_length=200, ignore_case=True),  # finds the criterion; never renames it
            required=True,
            help="The criterion's title",
            source="criterion.title",
        ),
        Column("score", p.integer(minimum=0, maximum=100), required=True, example="4"),
        Column("comment", p.text(max_length=5000)),
    ]
    natural_key = ("email", "stage", "submitted_at", "criterion")
    depends_on = ("pe-applications", "selection-criteria")

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return (*_applicant_key(values), *key_of(values, ("criterion",)))

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        organisation = values["organisation"]
        if not isinstance(organisation, Organisation):
            return []
        problems: list[tuple[str, str]] = []
        if (
            not ctx.is_pending("pe-applications", *_applicant_key(values))
            and self._application(values, ctx) is None
        ):
            problems.append(
                ("submitted_at", "no application of this person, stage and time is recorded.")
            )
        if not ctx.is_pending("selection-criteria", organisation, values["criterion"]):
            criterion = self._criterion(values, ctx)
            if criterion is None:
                problems.append(
                    ("criterion", f"{organisation.code} publishes no criterion with this title.")
                )
            elif values["score"] > criterion.max_score:
                problems.append(
                    ("score", f"The highest score for {criterion} is {criterion.max_score}.")
                )
        return problems

    # The row's application and criterion are looked up once (check_row, find and create
    # share them): this kind changes scores, never the records it looks up.
    def _application(self, values: dict[str, Any], ctx: ImportContext) -> PeApplication | None:
        return ctx.remember(
            ("pe-application", *_applicant_key(values)),
            lambda: _applications_named(values).select_related("applicant", "organisation").first(),
        )

    def _criterion(self, values: dict[str, Any], ctx: ImportContext) -> SelectionCriterion | None:
        return ctx.remember(
            ("selection-criterion", *key_of(values, ("organisation", "criterion"))),
            lambda: (
                SelectionCriterion.objects.unscoped(NATURAL_KEY)
                .filter(organisation=values["organisation"], title__iexact=values["criterion"])
                .first()
            ),
        )

    def find(self, values: dict[str, Any], ctx: ImportContext) -> ApplicationScore | None:
        application, criterion = self._application(values, ctx), self._criterion(values, ctx)
        if application is None or criterion is None:
            return None
        return application.scores.filter(criterion=criterion).first()

    def create(self, values: dict[str, Any], ctx: ImportContext) -> ApplicationScore:
        application, criterion = self._application(values, ctx), self._criterion(values, ctx)
        if application is None or criterion is None:  # checked before applying
            raise ValidationError({"criterion": "The application or criterion was not found."})
        return services.record_application_score(
            actor=ctx.actor,
            application=application,
            criterion=criterion,
            score=values["score"],
            comment=values["comment"] or "",
        )

    def update(
        self, obj: ApplicationScore, values: dict[str, Any], ctx: ImportContext
    ) -> ApplicationScore:
        return self.create(values, ctx)

    def records(self, viewer: Viewer) -> QuerySet[ApplicationScore]:
        applications = PeApplication.objects.visible_to(viewer, "manage")
        return (
            ApplicationScore.objects.unscoped(NATURAL_KEY)
            .filter(application__in=applications)
            .select_related("application__applicant", "application__organisation", "criterion")
            .order_by(
                "application__applicant__email",
                "application__stage",
                "application__created_at",
                "criterion__title",
            )
        )
