"""Import kinds of questionnaires (docs/0004-imports.md for the framework, docs/0024 for the
engine): their questions (``questionnaires``, one row per question of a version), publishing
their versions (``questionnaire-versions``), and answers (``questionnaire-responses``, one row
per respondent and question) — so past paper and Word evaluations can be loaded, and
``practica export-all`` carries every questionnaire and answer.

A row names its questionnaire by an organisation (its owner; for one of the whole partnership,
any organisation of the partnership — the lead's in an export) and its short name; a version by
its number; a question by its code.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet

from practica.accounts import permissions
from practica.accounts.models import Role
from practica.core.models import Organisation
from practica.imports import lookups
from practica.imports import parsers as p
from practica.imports.framework import (
    NATURAL_KEY,
    Column,
    ImportContext,
    Importer,
    as_columns,
)
from practica.imports.registry import register_importer
from practica.questionnaires import services, subjects
from practica.questionnaires.models import (
    PUBLISHED,
    Answer,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    QuestionType,
    Response,
)
from practica.questionnaires.rules import MANAGE

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

TYPES = list(QuestionType.values)
# what a row says of the question itself (the rest is its questionnaire's)
QUESTION_FIELDS = frozenset({"text", "type", "required", "help", "choices"})
CHANGED_RESPONSE = (
    "differs from the respondent's earlier rows or recorded response; an import does not change "
    "who answered, when or for which organisation."
)


def _questionnaire_of(record: Any) -> Questionnaire:
    if isinstance(record, Question):
        return record.section.version.questionnaire
    if isinstance(record, QuestionnaireVersion):
        return record.questionnaire
    assert isinstance(record, Answer)
    return record.response.version.questionnaire


def _version_of(record: Any) -> QuestionnaireVersion:
    if isinstance(record, Question):
        return record.section.version
    if isinstance(record, QuestionnaireVersion):
        return record
    assert isinstance(record, Answer)
    return record.response.version


def _partnership_code(questionnaire: Questionnaire, viewer: Viewer) -> str:
    """The code that names the questionnaire's owner in a file: its organisation's, or for the
    whole partnership's, the lead's (else the first code ``viewer`` may import for)."""
    if questionnaire.organisation is not None:
        return questionnaire.organisation.code
    lead = questionnaire.partnership.lead_organisation
    if lead is not None:
        return lead.code
    found = (
        Organisation.objects.visible_to(viewer)
        .filter(partnership_id=questionnaire.partnership_id)
        .order_by("code")
        .first()
    )
    return found.code if found else ""


ORGANISATION = Column(
    "organisation",
    p.organisation,
    required=True,
    help="Code of the owning organisation; for a questionnaire of the whole partnership, any "
    "organisation of it (the lead's, in an export)",
    example="MC",
    source=lambda record: _questionnaire_of(record).organisation,
    compared=False,  # names the questionnaire (with its short name); found by partnership
)
QUESTIONNAIRE = Column(
    "questionnaire",
    p.text(max_length=80, ignore_case=True),
    required=True,
    help="The questionnaire's short name",
    example="placement-evaluation-student",
    source=lambda record: _questionnaire_of(record).slug,
    compared=False,
)
VERSION = Column(
    "version",
    p.integer(minimum=1, maximum=999),
    required=True,
    example="1",
    source=lambda record: _version_of(record).number,
    compared=False,
)


def _partnership_key(organisation: Any) -> Any:
    return getattr(organisation, "partnership_id", organisation)


def _questionnaire(values: dict[str, Any]) -> Questionnaire | None:
    organisation = values["organisation"]
    if not isinstance(organisation, Organisation):
        return None
    return (
        Questionnaire.objects.unscoped(NATURAL_KEY)
        .filter(partnership_id=organisation.partnership_id, slug__iexact=values["questionnaire"])
        .select_related("organisation", "partnership")
        .first()
    )


def _version(values: dict[str, Any]) -> QuestionnaireVersion | None:
    questionnaire = _questionnaire(values)
    if questionnaire is None:
        return None
    return questionnaire.versions.filter(number=values["version"]).first()


class QuestionnaireKind(Importer):
    """A kind whose rows name a questionnaire by organisation and short name."""

    def export_row(self, record: Any, viewer: Viewer) -> dict[str, str]:
        row = super().export_row(record, viewer)
        row["organisation"] = _partnership_code(_questionnaire_of(record), viewer)
        return row

    def version_key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return (
            _partnership_key(values.get("organisation")),
            str(values.get("questionnaire") or "").strip().lower(),
            values.get("version"),
        )


def _may_own_whole_partnership(viewer: Viewer, organisation: Organisation) -> bool:
    """Only the partnership manager (or the command line) owns questionnaires of the whole
    partnership (questionnaires/rules.py)."""
    if viewer is permissions.OPERATOR:
        return True
    return any(
        m.role == Role.PARTNERSHIP_MANAGER
        and m.organisation.partnership_id == organisation.partnership_id
        for m in permissions.active_memberships(viewer)
    )


def _choice_labels(question: Question) -> list[str]:
    return [choice.label for choice in question.choices.all()]


@register_importer
class QuestionImporter(QuestionnaireKind):
    kind = "questionnaires"
    title = "Questionnaires"
    description = (
        "Questionnaires and their questions: one row per question of a version, in the order "
        "asked; the questionnaire's name, anonymity and description repeat on each of its "
        "rows. A version is created as a draft; publish it in a file of questionnaire versions."
    )
    columns = [
        ORGANISATION,
        QUESTIONNAIRE,
        Column(
            "name",
            p.text(max_length=200),
            required=True,
            example="Practice Placement Evaluation Tool: student",
            source=lambda q: _questionnaire_of(q).name,
        ),
        Column(
            "whole_partnership",
            p.yes_no,
            default=False,
            help="yes for a questionnaire of the whole partnership",
            example="no",
            source=lambda q: _questionnaire_of(q).organisation is None,
        ),
        Column(
            "anonymous",
            p.yes_no,
            default=False,
            example="no",
            source=lambda q: _questionnaire_of(q).anonymous,
        ),
        Column(
            "description",
            p.text(max_length=2000),
            source=lambda q: _questionnaire_of(q).description,
        ),
        VERSION,
        Column(
            "section",
            p.text(max_length=200),
            required=True,
            example="Supervision",
            source="section.title",
        ),
        Column(
            "question",
            p.text(max_length=60, ignore_case=True),
            required=True,
            help="The question's code, kept from version to version",
            example="supervision-quality",
            source="code",
            compared=False,
        ),
        Column("text", p.text(max_length=500), required=True, example="Supervision was regular"),
        Column(
            "type", p.choice(QuestionType), required=True, help=" | ".join(TYPES), example="likert"
        ),
        Column("required", p.yes_no, default=True, example="yes"),
        Column("help", p.text(max_length=500), source="help_text"),
        Column(
            "choices",
            p.lines,
            help="Answers to choose from, one per line (or the scale's five labels)",
            example="Weekly; Fortnightly; Less often",
            source=_choice_labels,
        ),
    ]
    natural_key = ("organisation", "questionnaire", "version", "question")
    depends_on = ("organisations",)

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return (*self.version_key(values), str(values.get("question") or "").strip().lower())

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        organisation = values["organisation"]
        if not isinstance(organisation, Organisation):
            return []
        if values["whole_partnership"] and not _may_own_whole_partnership(ctx.viewer, organisation):
            return [
                (
                    "whole_partnership",
                    "only the partnership manager adds questionnaires of the whole partnership.",
                )
            ]
        version = _version(values)
        if version is not None and version.is_published and self.find(values, ctx) is None:
            return [("question", PUBLISHED)]
        return []

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Question | None:
        version = _version(values)
        if version is None:
            return None
        return (
            Question.objects.filter(section__version=version, code__iexact=values["question"])
            .select_related("section__version__questionnaire__organisation")
            .prefetch_related("choices")
            .first()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Question:
        organisation: Organisation = values["organisation"]
        questionnaire = _questionnaire(values)
        if questionnaire is None:
            questionnaire = services.create_questionnaire(
                actor=ctx.actor,
                partnership=organisation.partnership,
                organisation=None if values["whole_partnership"] else organisation,
                name=values["name"],
                slug=values["questionnaire"],
                description=values["description"] or "",
                anonymous=values["anonymous"],
            )
        else:
            self._update_questionnaire(questionnaire, values, ctx)
        version = questionnaire.versions.filter(number=values["version"]).first()
        if version is None:
            version = services.add_version(
                actor=ctx.actor, questionnaire=questionnaire, number=values["version"]
            )
        section = version.sections.filter(title=values["section"]).first()
        if section is None:
            section = services.add_section(
                actor=ctx.actor, version=version, title=values["section"]
            )
        try:
            return services.add_question(
                actor=ctx.actor,
                section=section,
                code=values["question"],
                text=values["text"],
                type=values["type"],
                help_text=values["help"] or "",
                required=values["required"],
                choices=values["choices"] or [],
            )
        except ValidationError as error:
            raise as_columns(error, {"help_text": "help"}, "question") from error

    def _update_questionnaire(
        self, questionnaire: Questionnaire, values: dict[str, Any], ctx: ImportContext
    ) -> None:
        if (questionnaire.name, questionnaire.description, questionnaire.anonymous) != (
            values["name"],
            values["description"] or "",
            values["anonymous"],
        ):
            services.update_questionnaire(
                actor=ctx.actor,
                questionnaire=questionnaire,
                name=values["name"],
                description=values["description"] or "",
                anonymous=values["anonymous"],
            )

    def update(self, obj: Question, values: dict[str, Any], ctx: ImportContext) -> Question:
        questionnaire = obj.section.version.questionnaire
        self._update_questionnaire(questionnaire, values, ctx)
        if (questionnaire.organisation is None) != values["whole_partnership"]:
            raise ValidationError({"whole_partnership": "an import does not move a questionnaire."})
        question_fields = [c for c in self.columns if c.name in QUESTION_FIELDS]
        if all(column.same(obj, values[column.name]) for column in question_fields):
            return obj
        try:
            return services.update_question(
                actor=ctx.actor,
                question=obj,
                text=values["text"],
                type=values["type"],
                help_text=values["help"] or "",
                required=values["required"],
                choices=values["choices"] or [],
            )
        except ValidationError as error:
            raise as_columns(error, {"help_text": "help"}, "question") from error

    def records(self, viewer: Viewer) -> QuerySet[Question]:
        return (
            Question.objects.filter(
                section__version__questionnaire__in=Questionnaire.objects.visible_to(viewer, MANAGE)
            )
            .select_related(
                "section__version__questionnaire__organisation",
                "section__version__questionnaire__partnership__lead_organisation",
            )
            .prefetch_related("choices")
            .order_by(
                "section__version__questionnaire__partnership__name",
                "section__version__questionnaire__slug",
                "section__version__number",
                "section__position",
                "section__pk",
                "position",
                "pk",
            )
        )


@register_importer
class VersionImporter(QuestionnaireKind):
    kind = "questionnaire-versions"
    title = "Questionnaire versions"
    description = (
        "When each version of a questionnaire was published: one row per version. A version "
        "with a publication time is published (and never changes after); one without stays a "
        "draft. Its questions come from a questionnaires file."
    )
    columns = [
        ORGANISATION,
        QUESTIONNAIRE,
        VERSION,
        Column(
            "published_at",
            p.date_time,
            help="Date and time, like 2019-09-02 09:00; empty for a draft",
            example="2019-09-02 09:00",
        ),
    ]
    natural_key = ("organisation", "questionnaire", "version")
    depends_on = ("organisations", "questionnaires")

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return self.version_key(values)

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        version = self.find(values, ctx)
        if (
            version is not None
            and version.is_published
            and not self.is_unchanged(version, values, ctx)
        ):
            return [("published_at", PUBLISHED)]
        return []

    def find(self, values: dict[str, Any], ctx: ImportContext) -> QuestionnaireVersion | None:
        return _version(values)

    def create(self, values: dict[str, Any], ctx: ImportContext) -> QuestionnaireVersion:
        raise ValidationError(
            {"version": "this version has no questions; add them in a questionnaires file."}
        )

    def update(
        self, obj: QuestionnaireVersion, values: dict[str, Any], ctx: ImportContext
    ) -> QuestionnaireVersion:
        if values["published_at"] is None:
            return obj
        return services.publish_version(
            actor=ctx.actor, version=obj, published_at=values["published_at"]
        )

    def records(self, viewer: Viewer) -> QuerySet[QuestionnaireVersion]:
        return (
            QuestionnaireVersion.objects.filter(
                questionnaire__in=Questionnaire.objects.visible_to(viewer, MANAGE),
                sections__questions__isnull=False,  # an empty draft has nothing to carry
            )
            .distinct()
            .select_related(
                "questionnaire__organisation", "questionnaire__partnership__lead_organisation"
            )
            .order_by("questionnaire__partnership__name", "questionnaire__slug", "number")
        )


def _respondent(answer: Answer) -> str:
    return answer.response.respondent_ref or services.pseudonym(answer.response)


def _subject_label(response: Response) -> str | None:
    if response.subject_type_id is None or response.subject_id is None:
        return None
    subject_type = ContentType.objects.get_for_id(response.subject_type_id)  # cached
    return f"{subject_type.app_label}.{subject_type.model}"


def _subject_cells(responses: Iterable[Response]) -> None:
    """Notes on each response the (kind, reference) a file names its subject by (empty for
    none, or for a subject no domain names in files), in one query per kind."""
    responses = list(responses)
    pairs = {
        response.pk: (label, response.subject_id)
        for response in responses
        if (label := _subject_label(response)) is not None and response.subject_id is not None
    }
    found = subjects.references_of(pairs.values())
    for response in responses:
        pair = pairs.get(response.pk)
        response._subject_cell = found.get(pair, ("", "")) if pair else ("", "")  # type: ignore[attr-defined]  # noted for the export's two columns


def _subject_cell(answer: Answer) -> tuple[str, str]:
    if not hasattr(answer.response, "_subject_cell"):
        _subject_cells([answer.response])
    cell: tuple[str, str] = answer.response._subject_cell  # type: ignore[attr-defined]  # set just above
    return cell


def _normal(text: str) -> str:
    return " ".join(text.split()).lower()


@register_importer
class ResponseImporter(QuestionnaireKind):
    kind = "questionnaire-responses"
    title = "Questionnaire answers"
    description = (
        "Answers to a published version of a questionnaire, such as past paper or Word "
        "evaluations: one row per respondent and question. The respondent is a reference of "
        "your own (the form's number); their organisation, academic year, day and e-mail "
        "address repeat on each of their rows. Give no e-mail address for an anonymous "
        "questionnaire. Answers are the choices' values or labels (several separated by ;), "
        "1 to 5 for a scale, yes or no, a number or text."
    )
    columns = [
        ORGANISATION,
        QUESTIONNAIRE,
        VERSION,
        Column(
            "respondent",
            p.text(max_length=100, ignore_case=True),
            required=True,
            help="Your reference for the form or respondent",
            example="2019-paper-07",
            source=_respondent,
            compared=False,
        ),
        Column(
            "respondent_organisation",
            p.organisation,
            help="Code of the respondent's organisation",
            example="KCC",
            source="response.organisation",
        ),
        Column(
            "academic_year",
            p.academic_year,
            example="2019/20",
            source="response.academic_year",
        ),
        Column(
            "submitted_on",
            p.date,
            required=True,
            example="2020-06-30",
            source="response.submitted_on",
        ),
        Column(
            "email",
            p.email,
            help="The respondent's e-mail address (not for anonymous questionnaires)",
            source="response.person.email",
        ),
        Column(
            "subject_type",
            p.text(max_length=40, ignore_case=True),
            help="For answers about a record (a questionnaire sent about it): the kind of "
            "record, as the subject column's help says; empty: about nothing in particular",
            source=lambda answer: _subject_cell(answer)[0],
            compared=False,  # one of the respondent's details: check_row compares them
        ),
        Column(
            "subject",
            p.text(max_length=300),
            help="The record the answers are about, named as its kind names it",
            source=lambda answer: _subject_cell(answer)[1],
            compared=False,
        ),
        Column(
            "question",
            p.text(max_length=60, ignore_case=True),
            required=True,
            example="supervision-quality",
            source="question.code",
            compared=False,
        ),
        Column(
            "answer",
            p.text(max_length=5000),
            required=True,
            example="4",
            source=lambda answer: answer.as_cell(),
        ),
    ]
    natural_key = ("organisation", "questionnaire", "version", "respondent", "question")

    @property
    def depends_on(self) -> tuple[str, ...]:  # type: ignore[override]  # the base's class variable; here it grows with the domains
        """The engine's kinds, and each kind whose records answers can be about (a domain
        registers it with its subject reference), so those records are loaded first."""
        own = ("organisations", "people", "questionnaires", "questionnaire-versions")
        return own + tuple(kind for kind in subjects.reference_import_kinds() if kind not in own)

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return (
            *self.version_key(values),
            str(values.get("respondent") or "").strip().lower(),
            str(values.get("question") or "").strip().lower(),
        )

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        organisation = values["organisation"]
        if not isinstance(organisation, Organisation):
            return []
        problems: list[tuple[str, str]] = []
        version = _version(values)
        question_key = (*self.version_key(values), values["question"])
        if version is None:
            if not ctx.is_pending("questionnaires", *question_key):
                problems.append(
                    ("version", "no such questionnaire version; add it in a questionnaires file.")
                )
            return problems
        question = self._question(version, values)
        if question is None:
            problems.append(("question", f"version {version.number} asks no such question."))
        else:
            try:
                services.parse_answers(
                    version, {question.code: self._raw(question, values)}, complete=False
                )
            except ValidationError as error:
                problems.append(("answer", " ".join(error.messages)))
        anonymous = version.questionnaire.anonymous
        if values["email"]:
            if anonymous:
                problems.append(("email", "the questionnaire is anonymous: name no one."))
            elif not ctx.is_pending("people", values["email"]):
                person = lookups.person(ctx, email=values["email"])
                if person is None:
                    problems.append(("email", "no such person; add them in a people file first."))
                elif person.organisation.partnership_id != organisation.partnership_id:
                    problems.append(
                        ("email", "this person is not in the questionnaire's partnership.")
                    )
        problems += self._subject_problems(values, ctx, anonymous=anonymous)
        respondent = self._respondent_details(values, ctx)
        seen = ctx.cache.setdefault(("questionnaire respondents",), {})
        key = (*self.version_key(values), values["respondent"].strip().lower())
        if seen.setdefault(key, respondent) != respondent:
            problems.append(("respondent", CHANGED_RESPONSE))
        response = self._response(version, values)
        if response is not None and self._recorded_details(response) != respondent:
            problems.append(("respondent", CHANGED_RESPONSE))
        return problems

    def _subject_problems(
        self, values: dict[str, Any], ctx: ImportContext, *, anonymous: bool
    ) -> list[tuple[str, str]]:
        kind, text = values["subject_type"] or "", values["subject"] or ""
        if not (kind or text):
            return []
        reference = subjects.reference_kind(kind) if kind else None
        if not kind:
            return [("subject_type", "is empty; say what kind of record the subject is.")]
        if reference is None:
            kinds = ", ".join(subjects.reference_kinds()) or "none"
            return [("subject_type", f"“{kind}” is not a kind answers can be about ({kinds}).")]
        if not text:
            return [("subject", f"is empty; name the {reference.kind} the answers are about.")]
        if anonymous:
            return [("subject", "the questionnaire is anonymous: its answers are about no record.")]
        if self._subject(values, ctx) is None and not reference.pending(text, ctx):
            return [
                (
                    "subject",
                    f"names no {reference.kind} you may load answers about ({reference.help}).",
                )
            ]
        return []

    def _subject(self, values: dict[str, Any], ctx: ImportContext) -> models.Model | None:
        """The record the row's answers are about, if it names one the importer may use."""
        kind, text = values["subject_type"] or "", values["subject"] or ""
        reference = subjects.reference_kind(kind) if kind else None
        if reference is None or not text.strip():
            return None
        return ctx.remember(
            ("questionnaire subject", reference.kind, _normal(text)),
            lambda: reference.find(text, ctx.viewer),
        )

    def _subject_identity(self, values: dict[str, Any], ctx: ImportContext) -> Any:
        record = self._subject(values, ctx)
        if record is not None:
            return (record._meta.label_lower, record.pk)
        kind, text = values["subject_type"] or "", values["subject"] or ""
        return (_normal(kind), _normal(text)) if kind or text else None

    def _respondent_details(self, values: dict[str, Any], ctx: ImportContext) -> tuple[Any, ...]:
        organisation = values["respondent_organisation"]
        year = values["academic_year"]
        return (
            getattr(organisation, "pk", organisation),
            getattr(year, "start_year", None),
            values["submitted_on"],
            (values["email"] or "").lower(),
            self._subject_identity(values, ctx),
        )

    def _recorded_details(self, response: Response) -> tuple[Any, ...]:
        label = _subject_label(response)
        named = label is not None and label in subjects.reference_models()
        return (
            response.organisation_id,
            response.academic_year.start_year if response.academic_year else None,
            response.submitted_on,
            response.person.email.lower() if response.person else "",
            (label, response.subject_id) if named else None,
        )

    def _question(self, version: QuestionnaireVersion, values: dict[str, Any]) -> Question | None:
        return (
            Question.objects.filter(section__version=version, code__iexact=values["question"])
            .prefetch_related("choices")
            .first()
        )

    def _raw(self, question: Question, values: dict[str, Any]) -> services.RawAnswer:
        text = values["answer"] or ""
        if question.type == QuestionType.MULTIPLE:
            return [part.strip() for part in text.split(";") if part.strip()]
        return text

    def _response(self, version: QuestionnaireVersion, values: dict[str, Any]) -> Response | None:
        wanted = values["respondent"].strip()
        found = (
            Response.objects.filter(version=version, respondent_ref__iexact=wanted)
            .select_related("organisation", "academic_year", "person")
            .first()
        )
        if found is not None:
            return found
        # a response given through a link is named by its pseudonym in an export
        if wanted.upper().startswith(services.PSEUDONYM_PREFIX):
            try:
                pk = uuid.UUID(hex=wanted[len(services.PSEUDONYM_PREFIX) :])
            except ValueError:
                return None
            return (
                Response.objects.filter(version=version, respondent_ref="", pk=pk)
                .select_related("organisation", "academic_year", "person")
                .first()
            )
        return None

    def find(self, values: dict[str, Any], ctx: ImportContext) -> Answer | None:
        version = _version(values)
        if version is None:
            return None
        response = self._response(version, values)
        if response is None:
            return None
        return (
            Answer.objects.filter(response=response, question__code__iexact=values["question"])
            .select_related(
                "question__section",
                "response__organisation",
                "response__academic_year",
                "response__person",
                "response__version__questionnaire",
            )
            .first()
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> Answer:
        version = _version(values)
        if version is None:
            raise ValidationError({"version": "no such questionnaire version."})
        question = self._question(version, values)
        if question is None:
            raise ValidationError({"question": f"version {version.number} asks no such question."})
        response = self._response(version, values)
        if response is None:
            person = lookups.person(ctx, email=values["email"]) if values["email"] else None
            try:
                response = services.record_response(
                    actor=ctx.actor,
                    version=version,
                    answers={},
                    respondent_ref=values["respondent"],
                    organisation=values["respondent_organisation"],
                    academic_year=values["academic_year"],
                    submitted_on=values["submitted_on"],
                    person=person,
                    subject=self._subject(values, ctx),
                )
            except ValidationError as error:
                raise as_columns(error, {"respondent_ref": "respondent"}, "respondent") from error
        return self._set(response, question, values, ctx)

    def _set(
        self, response: Response, question: Question, values: dict[str, Any], ctx: ImportContext
    ) -> Answer:
        try:
            answer = services.set_answer(
                actor=ctx.actor,
                response=response,
                question=question,
                value=self._raw(question, values),
            )
        except ValidationError as error:
            raise as_columns(error, {}, "answer") from error
        if answer is None:
            raise ValidationError({"answer": "is empty; leave the row out for no answer."})
        return answer

    def update(self, obj: Answer, values: dict[str, Any], ctx: ImportContext) -> Answer:
        return self._set(obj.response, obj.question, values, ctx)

    def records(self, viewer: Viewer) -> Iterable[Answer]:
        """In the order of the respondent's name in the file (its reference or pseudonym), so
        that a re-imported partnership exports the same file."""
        answers = (
            Answer.objects.filter(
                response__version__questionnaire__in=Questionnaire.objects.visible_to(
                    viewer, MANAGE
                )
            )
            .select_related(
                "question__section",
                "response__organisation",
                "response__academic_year",
                "response__person",
                "response__version__questionnaire__organisation",
                "response__version__questionnaire__partnership__lead_organisation",
            )
            .prefetch_related("question__choices")
        )
        listed = list(answers)
        _subject_cells(answer.response for answer in listed)
        return sorted(
            listed,
            key=lambda answer: (
                answer.response.version.questionnaire.partnership.name,
                answer.response.version.questionnaire.slug,
                answer.response.version.number,
                _respondent(answer).lower(),
                answer.question.section.position,
                answer.question.position,
                answer.question.code,
            ),
        )
