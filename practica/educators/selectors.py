"""Scoped reads of the register, PEPS training and applications; each starts from
``visible_to(user)`` and keeps its query count constant as the register grows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import Case, When
from django.db.models.functions import Coalesce, Greatest

from practica.accounts import permissions
from practica.accounts.grants import VIEW
from practica.accounts.models import Membership
from practica.core.models import (
    AcademicYear,
    Location,
    Organisation,
    OrganisationKind,
    Partnership,
    Person,
    Team,
)
from practica.core.selectors import service_areas
from practica.educators.currency import (
    DEFAULT_RULES,
    Currency,
    CurrencyRules,
    CurrencyStatus,
    review_due_on,
    thresholds,
)
from practica.educators.models import (
    QUALIFIED_STAGES,
    ActivityKind,
    CurrencyRule,
    Outcome,
    PeApplication,
    PepsCohort,
    PepsEnrolment,
    PepsStage,
    PracticeEducator,
    PracticeEducatorActivity,
    SelectionCriterion,
)
from practica.educators.rules import APPLY, READERS, SCORE, SHARED_REGISTER

if TYPE_CHECKING:
    from django.http import QueryDict

    from practica.accounts.permissions import Viewer

NO_DATE = datetime.date(1900, 1, 1)  # stands for "never" in date comparisons


# --- currency rules -----------------------------------------------------------------------


def _as_rules(rule: CurrencyRule | None) -> CurrencyRules:
    if rule is None:
        return DEFAULT_RULES
    return CurrencyRules(
        months_since_student=rule.months_since_student,
        months_since_training=rule.months_since_training,
        warning_months=rule.warning_months,
        review_months=rule.review_months,
    )


# Why some reads below are not narrowed by a viewer (core/scoping.py):
RULES_ARE_PUBLIC = "a partnership's currency rules are no secret to its members' pages"
OF_NARROWED = "activities of practice educators an outer, narrowed query has chosen"
PROFILE = "the applications on a profile whose reader visible_to has already checked"
# choices for a coordinator's form, of the organisation whose record they are changing
FOR_THE_COORDINATOR = "choices in the coordinator's own organisation, behind a MANAGE check"
PANEL = "a panel may include the HEI staff of the partnership (docs/0010, exception 3)"


def currency_rules_for(partnership_id: int) -> CurrencyRules:
    """The partnership's rules, or the PEPS defaults when it has set none."""
    return _as_rules(
        CurrencyRule.objects.unscoped(RULES_ARE_PUBLIC)
        .filter(partnership_id=partnership_id)
        .first()
    )


def currency_rules_by_partnership() -> dict[int, CurrencyRules]:
    rules = {
        rule.partnership_id: _as_rules(rule)
        for rule in CurrencyRule.objects.unscoped(RULES_ARE_PUBLIC)
    }
    return {
        pk: rules.get(pk, DEFAULT_RULES) for pk in Partnership.objects.values_list("pk", flat=True)
    }


# --- annotations shared by every register list --------------------------------------------


def _clock(*names: str) -> Greatest:
    return Greatest(*(Coalesce(name, Value(NO_DATE), output_field=DateField()) for name in names))


def with_currency(queryset: QuerySet[PracticeEducator], today: datetime.date) -> QuerySet[Any]:
    """Annotates ``currency_status`` and ``review_overdue`` exactly as ``currency_of`` and
    ``review_overdue`` decide them, with each PE's own partnership's rules."""
    grouped: dict[CurrencyRules, list[int]] = defaultdict(list)
    for partnership_id, rules in currency_rules_by_partnership().items():
        grouped[rules].append(partnership_id)
    status_whens = [When(~Q(peps_stage__in=QUALIFIED_STAGES), then=Value("not_qualified"))]
    review_whens = [When(reviewed_on__isnull=True, then=Value(True))]
    for rules, partnership_ids in grouped.items():
        limits = thresholds(rules, today)
        ours = Q(person__organisation__partnership_id__in=partnership_ids)
        status_whens.append(
            When(
                ours
                & (
                    Q(student_clock__lt=limits.student_current)
                    | Q(training_clock__lt=limits.training_current)
                ),
                then=Value(CurrencyStatus.LAPSED.value),
            )
        )
        status_whens.append(
            When(
                ours
                & (
                    Q(student_clock__lt=limits.student_not_lapsing)
                    | Q(training_clock__lt=limits.training_not_lapsing)
                ),
                then=Value(CurrencyStatus.LAPSING.value),
            )
        )
        review_whens.append(
            When(ours & Q(reviewed_on__lt=limits.reviewed_in_time), then=Value(True))
        )
    return queryset.annotate(
        student_clock=_clock("last_student_date", "stage1_date", "stage2_date"),
        training_clock=_clock("last_training_date", "stage1_date", "stage2_date"),
    ).annotate(
        currency_status=Case(
            *status_whens, default=Value(CurrencyStatus.CURRENT.value), output_field=CharField()
        ),
        review_overdue=Case(*review_whens, default=Value(False), output_field=BooleanField()),
    )


def _register_queryset(queryset: QuerySet[PracticeEducator], today: datetime.date) -> QuerySet[Any]:
    current = (
        PracticeEducatorActivity.objects.unscoped(OF_NARROWED)
        .filter(PracticeEducatorActivity.current_on(today))
        .order_by("kind")
    )
    return with_currency(
        queryset.select_related(
            "person__organisation",
            "person__team__service_area",
            "person__team__location",
            "service_area",
            "location",
        )
        .prefetch_related(Prefetch("activities", queryset=current, to_attr="current_activities"))
        .annotate(
            area_name=Coalesce("service_area__name", "person__team__service_area__name"),
            place_name=Coalesce("location__name", "person__team__location__name"),
        ),
        today,
    )


def attach_currency(
    educators: list[PracticeEducator], today: datetime.date
) -> list[PracticeEducator]:
    """Sets ``educator.currency_detail`` (status, reasons, lapse date) on each, for display."""
    rules = currency_rules_by_partnership()
    for educator in educators:
        partnership_rules = rules.get(educator.person.organisation.partnership_id, DEFAULT_RULES)
        educator.currency_detail = educator.currency(partnership_rules, today)  # type: ignore[attr-defined]
        educator.review_due = review_due_on(educator.reviewed_on, partnership_rules)  # type: ignore[attr-defined]
    return educators


# --- the register -------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilters:
    """The register's GET parameters: a filtered view can be bookmarked and shared."""

    search: str = ""
    organisation: str = ""
    team: str = ""
    service_area: str = ""
    stage: str = ""
    activity: str = ""
    currency: str = ""
    location: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> RegisterFilters:
        return cls(**{f.name: query.get(f.name, "").strip() for f in fields(cls)})

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def as_dict(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _filter_register(
    queryset: QuerySet[Any], filters: RegisterFilters, today: datetime.date
) -> QuerySet[Any]:
    if filters.search:
        queryset = queryset.filter(
            Q(person__first_name__icontains=filters.search)
            | Q(person__last_name__icontains=filters.search)
            | Q(person__email__icontains=filters.search)
        )
    if filters.organisation:
        queryset = queryset.filter(person__organisation__code__iexact=filters.organisation)
    if filters.team.isdigit():
        queryset = queryset.filter(person__team_id=int(filters.team))
    if filters.service_area:
        queryset = queryset.filter(
            Q(service_area__code=filters.service_area)
            | Q(service_area__isnull=True, person__team__service_area__code=filters.service_area)
        )
    if filters.stage in PepsStage.values:
        queryset = queryset.filter(peps_stage=filters.stage)
    if filters.activity in ActivityKind.values:
        queryset = queryset.filter(
            Exists(
                PracticeEducatorActivity.objects.unscoped(OF_NARROWED).filter(
                    PracticeEducatorActivity.current_on(today),
                    educator=OuterRef("pk"),
                    kind=filters.activity,
                )
            )
        )
    if filters.currency in CurrencyStatus.values:
        queryset = queryset.filter(currency_status=filters.currency)
    if filters.location.isdigit():
        location = int(filters.location)
        queryset = queryset.filter(
            Q(location_id=location) | Q(location__isnull=True, person__team__location_id=location)
        )
    return queryset


def educators_visible_to(
    user: Viewer, *, filters: RegisterFilters | None = None, today: datetime.date
) -> QuerySet[Any]:
    """The register entries ``user`` may read, filtered, with currency and review annotated."""
    queryset = _register_queryset(PracticeEducator.objects.visible_to(user), today)
    return _filter_register(queryset, filters or RegisterFilters(), today)


def lapsing_educators_visible_to(user: Viewer, *, today: datetime.date) -> dict[str, list[Any]]:
    """Qualified PEs who are lapsing (soonest first) or lapsed (most recent first)."""
    educators = list(
        educators_visible_to(user, today=today).filter(
            currency_status__in=[CurrencyStatus.LAPSING, CurrencyStatus.LAPSED]
        )
    )
    attach_currency(educators, today)
    far = datetime.date.max
    lapsing = sorted(
        (e for e in educators if e.currency_status == CurrencyStatus.LAPSING),
        key=lambda e: (e.currency_detail.lapses_on or far, e.person.last_name),
    )
    lapsed = sorted(
        (e for e in educators if e.currency_status == CurrencyStatus.LAPSED),
        key=lambda e: (e.currency_detail.lapses_on or datetime.date.min, e.person.last_name),
        reverse=True,
    )
    return {"lapsing": lapsing, "lapsed": lapsed}


def reviews_overdue_visible_to(user: Viewer, *, today: datetime.date) -> QuerySet[Any]:
    return educators_visible_to(user, today=today).filter(review_overdue=True)


def educator_for(user: Viewer, pk: int, *, ability: str = "view") -> PracticeEducator:
    """The register entry if ``user`` holds ``ability`` on it; 404 otherwise."""
    from practica.core.scoping import get_visible_or_404

    educator: PracticeEducator = get_visible_or_404(PracticeEducator, user, ability, pk=pk)
    return educator


def has_only_own_entry(user: Viewer) -> bool:
    """Whether ``user`` is on the register but may not read it (their navigation shows their
    own profile instead)."""
    pk = getattr(user, "pk", None)
    if pk is None or permissions.can_in(user, VIEW, PracticeEducator):
        return False
    return PracticeEducator.objects.visible_to(user).filter(person__user_id=pk).exists()


@dataclass(frozen=True)
class Profile:
    educator: PracticeEducator
    currency: Currency
    review_due: datetime.date | None
    review_overdue: bool
    activities: list[PracticeEducatorActivity]
    enrolments: list[PepsEnrolment]
    assessing: list[PepsEnrolment]
    applications: list[PeApplication]


def profile_of(educator: PracticeEducator, *, today: datetime.date) -> Profile:
    """Everything the PE's page shows besides history, in a fixed number of queries."""
    rules = currency_rules_for(educator.person.organisation.partnership_id)
    due = review_due_on(educator.reviewed_on, rules)
    return Profile(
        educator=educator,
        currency=educator.currency(rules, today),
        review_due=due,
        review_overdue=due is None or today > due,
        activities=list(educator.activities.all()),
        enrolments=list(
            educator.enrolments.select_related(
                "cohort__academic_year", "cohort__organisation", "assessor__person"
            ).order_by("-cohort__academic_year__start_year", "-cohort__stage")
        ),
        assessing=list(
            educator.assessed_enrolments.select_related(
                "cohort__academic_year", "educator__person"
            ).order_by("-cohort__academic_year__start_year")
        ),
        applications=list(
            PeApplication.objects.unscoped(PROFILE)
            .filter(applicant_id=educator.person_id)
            .order_by("-created_at")
        ),
    )


# --- the partnership's shared Stage 2 register (docs/0010-pe-sharing.md) -------------------


def shared_register_visible_to(
    user: Viewer, *, filters: RegisterFilters | None = None, today: datetime.date
) -> QuerySet[Any]:
    """PEPS Stage 2 practice educators of the partnerships ``user`` may read the shared
    register of (``educators/rules.py``). Only the fields the shared page shows cross
    organisations."""
    queryset = PracticeEducator.objects.visible_to(user, SHARED_REGISTER)
    return _filter_register(
        _register_queryset(queryset, today), filters or RegisterFilters(), today
    )


# --- PEPS training ------------------------------------------------------------------------


def cohorts_visible_to(
    user: Viewer, *, year: str = "", stage: str = "", organisation: str = ""
) -> QuerySet[PepsCohort]:
    cohorts = PepsCohort.objects.visible_to(user).select_related("organisation", "academic_year")
    if year.isdigit():
        cohorts = cohorts.filter(academic_year__start_year=int(year))
    if stage in {"1", "2"}:
        cohorts = cohorts.filter(stage=int(stage))
    if organisation:
        cohorts = cohorts.filter(organisation__code__iexact=organisation)
    return cohorts.annotate(
        candidate_count=Count("enrolments", distinct=True),
        passed_count=Count(
            "enrolments", filter=Q(enrolments__outcome=Outcome.PASSED), distinct=True
        ),
    )


def enrolments_of(cohort: PepsCohort) -> QuerySet[PepsEnrolment]:
    return cohort.enrolments.select_related("educator__person__team", "assessor__person").order_by(
        "educator__person__last_name", "educator__person__first_name"
    )


def enrolment_for(user: Viewer, pk: int, *, ability: str = "view") -> PepsEnrolment:
    from practica.core.scoping import get_visible_or_404

    enrolment: PepsEnrolment = get_visible_or_404(PepsEnrolment, user, ability, pk=pk)
    return enrolment


def candidates_for(cohort: PepsCohort) -> QuerySet[PracticeEducator]:
    """Register entries of the cohort's organisation who may join a cohort of its stage."""
    allowed = (
        [PepsStage.NONE, PepsStage.STAGE1_TRAINING]
        if cohort.stage == 1
        else [PepsStage.STAGE1, PepsStage.STAGE2_TRAINING]
    )
    return (
        PracticeEducator.objects.unscoped(FOR_THE_COORDINATOR)
        .filter(person__organisation_id=cohort.organisation_id, peps_stage__in=allowed)
        .exclude(enrolments__cohort=cohort)
        .select_related("person")
    )


def assessors_for(organisation_id: int) -> QuerySet[PracticeEducator]:
    """Stage 2 PEs of the organisation, who may assess or mentor PEPS candidates."""
    return (
        PracticeEducator.objects.unscoped(FOR_THE_COORDINATOR)
        .filter(person__organisation_id=organisation_id, peps_stage=PepsStage.STAGE2)
        .select_related("person")
    )


# --- recruitment and selection ------------------------------------------------------------

APPLICATION_STATES = {
    "open": ("Open", Q(decision="")),
    "accepted": ("Accepted", Q(decision="accepted")),
    "rejected": ("Not accepted", Q(decision="rejected")),
}


def applications_visible_to(
    user: Viewer, *, state: str = "", stage: str = ""
) -> QuerySet[PeApplication]:
    applications = PeApplication.objects.visible_to(user).select_related(
        "applicant__team", "organisation"
    )
    if state in APPLICATION_STATES:
        applications = applications.filter(APPLICATION_STATES[state][1])
    if stage in {"1", "2"}:
        applications = applications.filter(stage=int(stage))
    return applications


def applicants_for(organisation_id: int) -> QuerySet[Person]:
    return (
        Person.objects.unscoped(FOR_THE_COORDINATOR)
        .filter(organisation_id=organisation_id)
        .select_related("team")
    )


def panel_candidates_for(application: PeApplication) -> QuerySet[Person]:
    """Who may sit on the panel: the organisation's own people, and the coordinators and
    academics of the partnership's universities (docs/0010-pe-sharing.md)."""
    hei_staff = (
        Membership.objects.unscoped(PANEL)
        .filter(
            is_active=True,
            role__in=READERS,
            organisation__kind=OrganisationKind.HEI,
            organisation__partnership_id=application.organisation.partnership_id,
        )
        .values("user_id")
    )
    return (
        Person.objects.unscoped(PANEL)
        .filter(Q(organisation_id=application.organisation_id) | Q(user_id__in=hei_staff))
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name")
    )


def own_applications_of(user: Viewer) -> QuerySet[PeApplication]:
    """The applications ``user`` made or that were recorded for them, newest first."""
    return PeApplication.objects.visible_to(user, APPLY).select_related("organisation")


def stage_to_apply_for(person: Person) -> int | None:
    """The PEPS stage ``person`` may apply for next: 1 until they hold Stage 1, then 2; None
    once they hold Stage 2. ``create_pe_application`` refuses any other stage."""
    educator = (
        PracticeEducator.objects.unscoped("the stage a person holds, for their own application")
        .filter(person=person)
        .first()
    )

    held = educator.peps_stage if educator else PepsStage.NONE
    if held in {PepsStage.NONE, PepsStage.STAGE1_TRAINING}:
        return 1
    if held in {PepsStage.STAGE1, PepsStage.STAGE2_TRAINING}:
        return 2
    return None


def open_own_application(user: Viewer, *, stage: int) -> PeApplication | None:
    """``user``'s own application for ``stage`` still waiting for a decision, if any (the
    service refuses a second one)."""
    return own_applications_of(user).filter(APPLICATION_STATES["open"][1], stage=stage).first()


def panels_of(user: Viewer, *, state: str = "") -> QuerySet[PeApplication]:
    """The applications whose selection panel ``user`` sits on (and no others)."""
    applications = PeApplication.objects.visible_to(user, SCORE).select_related(
        "applicant", "organisation"
    )
    if state in APPLICATION_STATES:
        applications = applications.filter(APPLICATION_STATES[state][1])
    return applications.order_by(F("interview_at").asc(nulls_last=True), "-created_at")


def has_own_applications_page(user: Viewer) -> bool:
    """Whether the navigation offers "My applications": to those who may apply and to anyone
    with an application of their own."""
    from practica.accounts import permissions

    if permissions.person_acting_for_self(user, APPLY, PeApplication) is not None:
        return True
    return own_applications_of(user).exists()


def sits_on_panels(user: Viewer) -> bool:
    return PeApplication.objects.visible_to(user, SCORE).exists()


def own_entry(user: Viewer) -> PracticeEducator | None:
    """The user's own register entry, if they have one."""
    pk = getattr(user, "pk", None)
    if pk is None:
        return None
    return PracticeEducator.objects.visible_to(user).filter(person__user_id=pk).first()


def register_filter_choices(user: Viewer) -> dict[str, Any]:
    """What the register's filter panel offers: the organisations, teams and locations whose
    practice educators ``user`` may see, and every service area."""
    ids = permissions.organisation_ids_for(user, VIEW, PracticeEducator)
    return {
        "organisations": Organisation.objects.visible_to(user).filter(pk__in=ids),
        "teams": Team.objects.visible_to(user)
        .filter(organisation_id__in=ids)
        .select_related("organisation"),
        "locations": Location.objects.visible_to(user)
        .filter(organisation_id__in=ids)
        .select_related("organisation"),
        "service_areas": service_areas(),
    }


def cohort_years_visible_to(user: Viewer) -> list[AcademicYear]:
    """The academic years of the PEPS cohorts ``user`` may see, newest first."""
    cohorts = PepsCohort.objects.visible_to(user).select_related("academic_year")
    return sorted({c.academic_year for c in cohorts}, key=lambda year: -year.start_year)


def currency_rule_of(partnership: Partnership) -> CurrencyRule:
    """The partnership's currency rule, or an unsaved one with the PEPS defaults."""
    return CurrencyRule.objects.unscoped(RULES_ARE_PUBLIC).filter(
        partnership=partnership
    ).first() or CurrencyRule(partnership=partnership)


def active_criteria_of(organisation_id: int) -> QuerySet[SelectionCriterion]:
    """The selection criteria an organisation's panels score against now, in their order."""
    return SelectionCriterion.objects.unscoped(
        "an organisation's published criteria, for the applications it decides"
    ).filter(organisation_id=organisation_id, is_active=True)


def criteria_visible_to(user: Viewer) -> QuerySet[SelectionCriterion]:
    return SelectionCriterion.objects.visible_to(user).select_related("organisation")
