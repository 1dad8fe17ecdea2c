"""Import kinds of the directories: ``practitioner-teachers``,
``lived-experience-contributors`` with their ``contributor-consents``, and practitioners'
``expressions-of-interest``
(docs/0004-imports.md for the framework)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet

from practica.accounts.models import User
from practica.core import services as core_services
from practica.core.audit import save_audited
from practica.core.models import Organisation, OrganisationKind, Person, Team
from practica.imports import lookups
from practica.imports import parsers as p
from practica.imports.framework import (
    KEEP,
    NATURAL_KEY,
    Column,
    ImportCellError,
    ImportContext,
    Importer,
)
from practica.imports.person_columns import employer_columns, name_columns
from practica.imports.registry import register_importer
from practica.teaching.directory import services
from practica.teaching.directory.abilities import LISTED
from practica.teaching.directory.models import (
    ConsentKind,
    ContributorConsent,
    Expertise,
    ExpressionOfInterest,
    LivedExperienceContributor,
    PractitionerStatus,
    PractitionerTeacher,
)

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer

DATE_HELP = "A date like 2019-09-30 or 30/09/2019"


# --- expertise: codes or names, separated by semicolons ------------------------------------


def _expertise_by_key(ctx: ImportContext) -> dict[str, Expertise]:
    def load() -> dict[str, Expertise]:
        found: dict[str, Expertise] = {}
        for area in Expertise.objects.all():
            found[area.code.lower()] = area
            found[" ".join(area.name.lower().split())] = area
        return found

    return ctx.remember(("teaching", "expertise"), load)


def _parse_expertise(value: str, ctx: ImportContext) -> list[Expertise]:
    known = _expertise_by_key(ctx)
    parts = [" ".join(part.lower().split()) for part in value.split(";") if part.strip()]
    unknown = [part for part in parts if part not in known]
    if unknown:
        codes = ", ".join(sorted(area.code for area in set(known.values())))
        raise ImportCellError(
            f"“{', '.join(unknown)}” {'is' if len(unknown) == 1 else 'are'} not among the areas "
            f"of expertise: {codes} (separate several with ';')."
        )
    return list({known[part].pk: known[part] for part in parts}.values())


def _expertise_codes(areas: Any) -> frozenset[str]:
    return frozenset(area.code for area in areas)


expertise_cell = p.Cell(
    _parse_expertise,
    format=lambda areas: ";".join(sorted(area.code for area in areas)),
    key=_expertise_codes,
)


def _areas_of(record: Any, relation: str) -> list[Expertise]:
    return list(getattr(record, relation).all())


EXPERTISE_HELP = "Areas of expertise by code or name, separated by ';'"


# --- practitioner teachers ---------------------------------------------------------------


def _team(values: dict[str, Any], ctx: ImportContext) -> Team | None:
    if not values["team"]:
        return None
    return lookups.team(ctx, values["organisation"], values["team"])


@register_importer
class PractitionerTeacherImporter(Importer):
    kind = "practitioner-teachers"
    title = "Practitioner teachers"
    description = (
        "Each local authority's practitioner teacher directory: one row per practitioner, found "
        "by e-mail address (the person is added if they are new). Statuses and areas of "
        "expertise may be given by code or as Practica shows them."
    )
    columns = [
        *name_columns(email="sam.okafor@medway.gov.uk", first_name="Sam", last_name="Okafor"),
        *employer_columns(),
        Column(
            "service_area",
            p.service_area,
            help="childrens | adults | mental_health | other (empty: their team's)",
        ),
        Column(
            "expertise",
            expertise_cell,
            help=EXPERTISE_HELP,
            example="child_protection;court_skills",
            source=lambda teacher: _areas_of(teacher, "expertise"),
        ),
        Column(
            "status",
            p.choice(PractitionerStatus),
            required=True,
            help=" | ".join(PractitionerStatus.values),
            example="active",
        ),
        Column("availability", p.text(max_length=200), keep_if_missing=True),
        Column("modules_taught", p.text(), keep_if_missing=True),
        Column("career_level", p.text(max_length=100), keep_if_missing=True),
        Column("joined_on", p.date, help=DATE_HELP, keep_if_missing=True, blank_keeps=True),
        # an empty reviewed_on records no review, and reviewed_by counts only with it
        Column(
            "reviewed_on",
            p.date,
            help="Last yearly review of the entry (empty: none to record)",
            keep_if_missing=True,
            compared=False,
        ),
        Column(
            "reviewed_by",
            p.user_email,
            help="E-mail of the user who reviewed it (with reviewed_on)",
            keep_if_missing=True,
            source="reviewed_by.email",
            compared=False,
        ),
    ]
    natural_key = ("email",)
    depends_on = ("organisations", "teams", "people", "users")

    def prefetch(self, rows: list[dict[str, Any]], ctx: ImportContext) -> None:
        lookups.remember_people(ctx, (values["email"] for values in rows))
        lookups.remember_teams(ctx, {values["organisation"] for values in rows})

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        organisation = values["organisation"]
        if not isinstance(organisation, Organisation):
            return []  # created by an earlier file of this batch: checked when it exists
        problems: list[tuple[str, str]] = []
        if organisation.kind == OrganisationKind.HEI:
            problems.append(
                (
                    "organisation",
                    "practitioner teachers are held by their employer, not a university.",
                )
            )
        person = lookups.person(ctx, email=values["email"])
        if person is not None and person.organisation_id != organisation.pk:
            problems.append(("email", lookups.email_in_use(ctx, person)))
        team = values["team"]
        if (
            team
            and not ctx.is_pending("teams", organisation, team)
            and lookups.team(ctx, organisation, team) is None
        ):
            problems.append(("team", f"{organisation.code} has no team “{team}”; add it first."))
        if values["reviewed_by"] and not values["reviewed_on"]:
            problems.append(("reviewed_on", "is empty; give the date of the review as well."))
        return problems

    def find(self, values: dict[str, Any], ctx: ImportContext) -> PractitionerTeacher | None:
        return (
            PractitionerTeacher.objects.unscoped(NATURAL_KEY)
            .select_related("person__team", "person__organisation", "service_area", "reviewed_by")
            .filter(person__email__address=values["email"])
            .first()
        )

    def is_unchanged(
        self, obj: PractitionerTeacher, values: dict[str, Any], ctx: ImportContext
    ) -> bool:
        return super().is_unchanged(obj, values, ctx) and not self._review_changes(obj, values)

    def _entry(self, values: dict[str, Any], teacher: PractitionerTeacher | None) -> dict[str, Any]:
        def kept(name: str, default: Any) -> Any:
            value = values[name]
            if value is KEEP or (name == "joined_on" and value is None):
                return getattr(teacher, name) if teacher is not None else default
            return value if value is not None else default

        return {
            "status": values["status"],
            "service_area": values["service_area"],
            "expertise": values["expertise"] or [],
            "availability": kept("availability", ""),
            "modules_taught": kept("modules_taught", ""),
            "career_level": kept("career_level", ""),
            "joined_on": kept("joined_on", None),
        }

    def create(self, values: dict[str, Any], ctx: ImportContext) -> PractitionerTeacher:
        person = lookups.person(ctx, email=values["email"])
        if person is None:
            person = core_services.create_person(
                actor=ctx.actor,
                organisation=values["organisation"],
                first_name=values["first_name"],
                last_name=values["last_name"],
                email=values["email"],
                team=_team(values, ctx),
            )
        else:
            self._update_person(person, values, ctx)
        teacher = services.create_practitioner_teacher(
            actor=ctx.actor, person=person, **self._entry(values, None)
        )
        self._review(teacher, values, ctx)
        return teacher

    def update(
        self, obj: PractitionerTeacher, values: dict[str, Any], ctx: ImportContext
    ) -> PractitionerTeacher:
        if obj.person.organisation_id != values["organisation"].pk:
            raise ValidationError({"email": lookups.email_in_use(ctx, obj.person)})
        self._update_person(obj.person, values, ctx)
        teacher = services.update_practitioner_teacher(
            actor=ctx.actor, teacher=obj, team=obj.person.team, **self._entry(values, obj)
        )
        self._review(teacher, values, ctx)
        return teacher

    def _update_person(self, person: Person, values: dict[str, Any], ctx: ImportContext) -> None:
        team = _team(values, ctx)
        if (person.first_name, person.last_name, person.team) != (
            values["first_name"],
            values["last_name"],
            team,
        ):
            core_services.update_person(
                actor=ctx.actor,
                person=person,
                first_name=values["first_name"],
                last_name=values["last_name"],
                email=person.email,
                job_title=person.job_title,
                team=team,
            )

    def _review_changes(self, teacher: PractitionerTeacher, values: dict[str, Any]) -> bool:
        if values["reviewed_on"] is KEEP or not values["reviewed_on"]:
            return False
        reviewer = teacher.reviewed_by.email.lower() if teacher.reviewed_by else None
        given = values["reviewed_by"] if values["reviewed_by"] is not KEEP else None
        return (teacher.reviewed_on, reviewer) != (values["reviewed_on"], given or None)

    def _review(
        self, teacher: PractitionerTeacher, values: dict[str, Any], ctx: ImportContext
    ) -> None:
        if not self._review_changes(teacher, values):
            return
        reviewer = None
        if values["reviewed_by"] and values["reviewed_by"] is not KEEP:
            reviewer = User.objects.filter(email__address=values["reviewed_by"]).first()
        services.review_practitioner_teacher(
            actor=ctx.actor,
            teacher=teacher,
            reviewed_on=values["reviewed_on"],
            reviewed_by=reviewer,
        )

    def records(self, viewer: Viewer) -> QuerySet[PractitionerTeacher]:
        return (
            PractitionerTeacher.objects.visible_to(viewer, "manage")
            .select_related("person__organisation", "person__team", "service_area", "reviewed_by")
            .prefetch_related("expertise")
            .order_by("person__email")
        )


# --- lived-experience contributors -------------------------------------------------------


def _listing_consent(contributor: LivedExperienceContributor) -> Any:
    return next(
        (c.given_on for c in contributor.consents_now if c.kind == ConsentKind.DIRECTORY),  # type: ignore[attr-defined]  # prefetched by records()
        None,
    )


def _shares(contributor: LivedExperienceContributor) -> bool:
    return any(c.kind == ConsentKind.PARTNERS for c in contributor.consents_now)  # type: ignore[attr-defined]  # prefetched by records()


def _in_force(contributor: LivedExperienceContributor) -> dict[str, ContributorConsent]:
    return {
        consent.kind: consent
        for consent in ContributorConsent.objects.unscoped(NATURAL_KEY).filter(
            contributor=contributor, withdrawn_on__isnull=True
        )
    }


@register_importer
class ContributorImporter(Importer):
    kind = "lived-experience-contributors"
    title = "Lived-experience contributors"
    description = (
        "Each university's directory of lived-experience contributors: one row per contributor "
        "who consented to being listed (consent_date), found by e-mail address. A contributor "
        "who had withdrawn is listed again from the date given. Only those listed are exported."
    )
    columns = [
        Column("hei", p.organisation, required=True, help="The university's code", example="CCCU"),
        *name_columns(email="jo.bright@example.org", first_name="Jo", last_name="Bright"),
        Column(
            "consent_date",
            p.date,
            required=True,
            help="The day they consented to being listed; " + DATE_HELP,
            example="2019-10-01",
            source=_listing_consent,
            compared=False,
        ),
        Column(
            "areas",
            expertise_cell,
            help=EXPERTISE_HELP,
            example="lived_experience;mental_health",
            source=lambda contributor: _areas_of(contributor, "areas"),
        ),
        Column(
            "share_with_partners",
            p.yes_no,
            help="yes | no: they agree to their entry being shared with the local authorities",
            keep_if_missing=True,
            source=_shares,
            compared=False,
            # exports carry the sharing (with its own date) in the contributor-consents file
            exported=False,
        ),
    ]
    natural_key = ("email",)
    depends_on = ("organisations", "people")

    def prefetch(self, rows: list[dict[str, Any]], ctx: ImportContext) -> None:
        lookups.remember_people(ctx, (values["email"] for values in rows))

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        hei = values["hei"]
        if not isinstance(hei, Organisation):
            return []
        problems: list[tuple[str, str]] = []
        if hei.kind != OrganisationKind.HEI:
            problems.append(("hei", f"{hei.code} is not a university."))
        person = lookups.person(ctx, email=values["email"])
        if person is not None and person.organisation_id != hei.pk:
            problems.append(("email", lookups.email_in_use(ctx, person)))
        return problems

    def find(self, values: dict[str, Any], ctx: ImportContext) -> LivedExperienceContributor | None:
        return (
            LivedExperienceContributor.objects.unscoped(NATURAL_KEY)
            .select_related("person", "hei")
            .filter(person__email__address=values["email"])
            .first()
        )

    def is_unchanged(
        self, obj: LivedExperienceContributor, values: dict[str, Any], ctx: ImportContext
    ) -> bool:
        in_force = _in_force(obj)
        shares = values["share_with_partners"]
        return (
            super().is_unchanged(obj, values, ctx)
            and ConsentKind.DIRECTORY in in_force
            and (shares is KEEP or bool(shares) == (ConsentKind.PARTNERS in in_force))
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> LivedExperienceContributor:
        shares = values["share_with_partners"]
        return services.add_contributor(
            actor=ctx.actor,
            hei=values["hei"],
            first_name=values["first_name"],
            last_name=values["last_name"],
            email=values["email"],
            consent_given_on=values["consent_date"],
            share_with_partners=shares is not KEEP and bool(shares),
            areas=values["areas"] or [],
        )

    def update(
        self, obj: LivedExperienceContributor, values: dict[str, Any], ctx: ImportContext
    ) -> LivedExperienceContributor:
        if obj.hei_id != values["hei"].pk:
            raise ValidationError({"email": lookups.email_in_use(ctx, obj.person)})
        contributor = services.update_contributor(
            actor=ctx.actor,
            contributor=obj,
            first_name=values["first_name"],
            last_name=values["last_name"],
            areas=values["areas"] or [],
            payment_preference=obj.payment_preference,
            accessibility_needs=obj.accessibility_needs,
        )
        in_force = _in_force(contributor)
        if ConsentKind.DIRECTORY not in in_force:
            services.give_consent(
                actor=ctx.actor,
                contributor=contributor,
                kind=ConsentKind.DIRECTORY,
                given_on=values["consent_date"],
            )
        shares = values["share_with_partners"]
        if shares is not KEEP:
            if shares and ConsentKind.PARTNERS not in in_force:
                services.give_consent(
                    actor=ctx.actor,
                    contributor=contributor,
                    kind=ConsentKind.PARTNERS,
                    given_on=values["consent_date"],
                )
            elif not shares and ConsentKind.PARTNERS in in_force:
                services.withdraw_consent(actor=ctx.actor, consent=in_force[ConsentKind.PARTNERS])
        return contributor

    def records(self, viewer: Viewer) -> QuerySet[LivedExperienceContributor]:
        """Only contributors listed now: someone who withdrew is exported to no one."""
        now = ContributorConsent.objects.unscoped(
            "the consents of contributors an outer, narrowed query has chosen"
        ).filter(withdrawn_on__isnull=True)
        return (
            LivedExperienceContributor.objects.visible_to(viewer, "manage")
            .filter(LISTED)
            .select_related("person", "hei")
            .prefetch_related("areas", Prefetch("consents", queryset=now, to_attr="consents_now"))
            .order_by("person__email")
        )


def _contributor_by_email(email: str) -> LivedExperienceContributor | None:
    return (
        LivedExperienceContributor.objects.unscoped(NATURAL_KEY)
        .filter(person__email__address=email.lower())
        .first()
    )


@register_importer
class ContributorConsentImporter(Importer):
    """Every consent of the listed contributors beyond the one the contributors file carries
    (being listed, since its consent_date): sharing with the local authorities, recordings,
    and consents withdrawn since, kept as the record of what each agreed to."""

    kind = "contributor-consents"
    title = "Lived-experience contributors' consents"
    description = (
        "What each lived-experience contributor consented to, one row per consent: when they "
        "gave it and, if they withdrew it, when. The contributor is found by e-mail address in "
        "the contributors file; their consent to being listed is that file's consent date. "
        "Consents of contributors who are no longer listed are exported to no one."
    )
    columns = [
        Column(
            "email",
            p.email,
            required=True,
            help="The contributor's e-mail address",
            example="jo.bright@example.org",
            source="contributor.person.email",
        ),
        Column(
            "kind",
            p.choice(ConsentKind),
            required=True,
            help=" | ".join(ConsentKind.values),
            example=ConsentKind.PARTNERS,
        ),
        Column(
            "given_on",
            p.date,
            required=True,
            help="The day they gave it; " + DATE_HELP,
            example="2019-10-01",
        ),
        Column(
            "withdrawn_on",
            p.date,
            help="The day they withdrew it (empty: still in force); " + DATE_HELP,
        ),
    ]
    natural_key = ("email", "kind", "given_on")
    depends_on = ("lived-experience-contributors",)

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        if ctx.is_pending("lived-experience-contributors", values["email"]):
            return []
        if _contributor_by_email(values["email"]) is None:
            return [("email", "no such contributor; add them in a contributors file first.")]
        return []

    def find(self, values: dict[str, Any], ctx: ImportContext) -> ContributorConsent | None:
        return (
            ContributorConsent.objects.unscoped(NATURAL_KEY)
            .filter(
                contributor__person__email__address=values["email"].lower(),
                kind=values["kind"],
                given_on=values["given_on"],
            )
            .first()
        )

    def _save(
        self, consent: ContributorConsent | None, values: dict[str, Any], ctx: ImportContext
    ) -> ContributorConsent:
        contributor = _contributor_by_email(values["email"])
        if contributor is None:
            raise ValidationError({"email": "No such contributor."})
        return services.record_past_consent(
            actor=ctx.actor,
            contributor=contributor,
            kind=values["kind"],
            given_on=values["given_on"],
            withdrawn_on=values.get("withdrawn_on"),
            consent=consent,
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> ContributorConsent:
        return self._save(None, values, ctx)

    def update(
        self, obj: ContributorConsent, values: dict[str, Any], ctx: ImportContext
    ) -> ContributorConsent:
        return self._save(obj, values, ctx)

    def records(self, viewer: Viewer) -> QuerySet[ContributorConsent]:
        """The consents of contributors listed now, but the listing itself (the contributors
        file's consent date)."""
        listed = LivedExperienceContributor.objects.unscoped(
            "the contributors an outer, narrowed query has chosen"
        ).filter(LISTED)
        return (
            ContributorConsent.objects.visible_to(viewer, "manage")
            .filter(contributor__in=listed)
            .exclude(kind=ConsentKind.DIRECTORY, withdrawn_on__isnull=True)
            .select_related("contributor__person")
            .order_by("contributor__person__email", "kind", "given_on", "pk")
        )


# --- expressions of interest -----------------------------------------------------------------

ANSWERS = {"yes": True, "no": False}


def _answer_of(interest: ExpressionOfInterest) -> str:
    agrees = interest.line_manager_agrees
    return "" if agrees is None else "yes" if agrees else "no"


@register_importer
class ExpressionOfInterestImporter(Importer):
    kind = "expressions-of-interest"
    title = "Expressions of interest"
    description = (
        "Practitioners' expressions of interest in the practitioner teacher role (the flyer's "
        "form), with their line manager's answer: one row per expression, found by the "
        "practitioner's e-mail address and when it was sent. No link is sent: a line manager "
        "who has not answered is asked again from Practica."
    )
    columns = [
        Column(
            "email",
            p.email,
            required=True,
            example="sam.okafor@medway.gov.uk",
            source="person.email",
        ),
        Column("submitted_at", p.date_time, required=True, example="2019-10-03 09:30"),
        Column("knowledge", p.text(), required=True, example="Care proceedings"),
        Column("skills", p.text(), required=True, example="Presenting"),
        Column("experience", p.text(), required=True, example="8 years in a children's team"),
        Column(
            "areas",
            expertise_cell,
            help=EXPERTISE_HELP,
            example="child_protection",
            source=lambda interest: _areas_of(interest, "areas"),
        ),
        Column("other_areas", p.text(max_length=300)),
        Column("line_manager_name", p.text(max_length=200), required=True, example="Jo Bloggs"),
        Column("line_manager_email", p.email, required=True, example="jo.bloggs@medway.gov.uk"),
        Column(
            "line_manager_agrees",
            p.choice(list(ANSWERS)),
            help="yes | no (empty: not answered yet)",
            source=_answer_of,
        ),
        Column("line_manager_comment", p.text()),
        Column(
            "answered_at",
            p.date_time,
            help="When the line manager answered (with line_manager_agrees)",
        ),
    ]
    natural_key = ("email", "submitted_at")
    depends_on = ("people", "practitioner-teachers")

    def prefetch(self, rows: list[dict[str, Any]], ctx: ImportContext) -> None:
        lookups.remember_people(ctx, (values["email"] for values in rows))

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        if ctx.is_pending("people", values["email"]):
            return []
        if lookups.person(ctx, email=values["email"]) is None:
            return [("email", "no such person; add them in a people file first.")]
        return []

    def find(self, values: dict[str, Any], ctx: ImportContext) -> ExpressionOfInterest | None:
        person = lookups.person(ctx, email=values["email"])
        if person is None:
            return None
        return (
            ExpressionOfInterest.objects.unscoped(NATURAL_KEY)
            .filter(person=person, submitted_at=values["submitted_at"])
            .first()
        )

    def _answer(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "line_manager_agrees": ANSWERS.get(values.get("line_manager_agrees") or ""),
            "line_manager_comment": values.get("line_manager_comment") or "",
            "answered_at": values.get("answered_at"),
        }

    def create(self, values: dict[str, Any], ctx: ImportContext) -> ExpressionOfInterest:
        person = lookups.person(ctx, email=values["email"])
        if person is None:
            raise ValidationError({"email": "No such person."})
        return services.record_past_interest(
            actor=ctx.actor,
            person=person,
            submitted_at=values["submitted_at"],
            knowledge=values["knowledge"],
            skills=values["skills"],
            experience=values["experience"],
            areas=values.get("areas") or [],
            other_areas=values.get("other_areas") or "",
            line_manager_name=values["line_manager_name"],
            line_manager_email=values["line_manager_email"],
            **self._answer(values),
        )

    def update(
        self, obj: ExpressionOfInterest, values: dict[str, Any], ctx: ImportContext
    ) -> ExpressionOfInterest:
        for field in ("knowledge", "skills", "experience", "line_manager_name"):
            setattr(obj, field, values[field].strip())
        obj.other_areas = (values.get("other_areas") or "").strip()
        obj.line_manager_email = values["line_manager_email"]
        answer = self._answer(values)
        if (answer["line_manager_agrees"] is None) != (answer["answered_at"] is None):
            raise ValidationError(
                {"answered_at": "Give the line manager's answer together with when they gave it."}
            )
        obj.line_manager_agrees = answer["line_manager_agrees"]
        obj.line_manager_comment = answer["line_manager_comment"].strip()
        obj.answered_at = answer["answered_at"]
        if obj.answered_at is not None:
            obj.agreement_token_hash = None  # answered: the link, if any, is spent
        save_audited(obj, actor=ctx.actor)
        obj.areas.set(values.get("areas") or [])
        return obj

    def records(self, viewer: Viewer) -> QuerySet[ExpressionOfInterest]:
        return (
            ExpressionOfInterest.objects.visible_to(viewer, "manage")
            .select_related("person")
            .prefetch_related("areas")
            .order_by("person__email", "submitted_at", "pk")
        )
