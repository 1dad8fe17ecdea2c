"""Scoped reads of the practice educator register: entries with their currency and review,
lapsing and overdue lists, a profile, and the partnership's shared Stage 2 register. Each
starts from ``visible_to(user)`` and keeps its query count constant as the register grows."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, overload

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import Case, When
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse

from practica.accounts import permissions
from practica.accounts.grants import MANAGE, VIEW
from practica.core.home import Card
from practica.core.models import Location, Organisation, Partnership, Team
from practica.core.request_memo import remembered
from practica.core.scoping import get_visible_or_404
from practica.core.selectors import service_areas
from practica.educators.abilities import SHARED_REGISTER
from practica.educators.register.currency import (
    DEFAULT_RULES,
    Currency,
    CurrencyRules,
    CurrencyStatus,
    currency_of,
    review_due_on,
    thresholds,
)
from practica.educators.register.models import (
    QUALIFIED_STAGES,
    ActivityKind,
    ChangeReport,
    ChangeStatus,
    CurrencyRule,
    EducatorMessage,
    PepsStage,
    PracticeEducator,
    PracticeEducatorActivity,
)

if TYPE_CHECKING:
    from django.http import QueryDict

    from practica.accounts.permissions import Viewer
    from practica.educators.training.models import PepsEnrolment

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
        educator.currency_detail = educator.currency(partnership_rules, today)  # type: ignore[attr-defined]  # set for the page
        educator.review_due = review_due_on(educator.reviewed_on, partnership_rules)  # type: ignore[attr-defined]  # set for the page
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


def lapsing_educators_visible_to(
    user: Viewer, *, today: datetime.date, filters: RegisterFilters | None = None
) -> dict[str, list[Any]]:
    """Qualified PEs who are lapsing (soonest first) or lapsed (most recent first)."""
    educators = list(
        educators_visible_to(user, today=today, filters=filters).filter(
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


LAPSING_STATUSES = (CurrencyStatus.LAPSING, CurrencyStatus.LAPSED)


def lapsing_counts_visible_to(user: Viewer, *, today: datetime.date) -> dict[str, int]:
    """How many qualified PEs ``user`` may read are lapsing and have lapsed: one COUNT query
    (the home page's cards), not the rows of :func:`lapsing_educators_visible_to`."""
    counts = (
        with_currency(PracticeEducator.objects.visible_to(user), today)
        .order_by()
        .aggregate(
            lapsing=Count("pk", filter=Q(currency_status=CurrencyStatus.LAPSING)),
            lapsed=Count("pk", filter=Q(currency_status=CurrencyStatus.LAPSED)),
        )
    )
    return {"lapsing": counts["lapsing"], "lapsed": counts["lapsed"]}


@dataclass(frozen=True)
class LapsingFilters:
    """The lapsing list's GET parameters: organisation code, team id, lapsing or lapsed."""

    organisation: str = ""
    team: str = ""
    status: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> LapsingFilters:
        values = {f.name: query.get(f.name, "").strip() for f in fields(cls)}
        if values["status"] not in LAPSING_STATUSES:
            values["status"] = ""
        return cls(**values)

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def as_dict(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class LapsingList(Sequence[Any]):
    """The lapsing list in its order, decided from a few columns of every row; the full rows
    (activities, currency detail) are read only for the slice asked for: a page, or a chunk
    at a time for a download or a message. At 20,000 PEs the whole list read as objects took
    seconds for a page showing 25 (issue 16)."""

    CHUNK = 500

    def __init__(self, user: Viewer, ids: list[int], today: datetime.date) -> None:
        self._user, self._ids, self._today = user, ids, today

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return self._rows(self._ids[index])
        return self._rows([self._ids[index]])[0]

    def __iter__(self) -> Iterator[Any]:
        for start in range(0, len(self._ids), self.CHUNK):
            yield from self._rows(self._ids[start : start + self.CHUNK])

    def _rows(self, ids: list[int]) -> list[Any]:
        found = {
            educator.pk: educator
            for educator in educators_visible_to(self._user, today=self._today).filter(pk__in=ids)
        }
        return attach_currency([found[pk] for pk in ids if pk in found], self._today)


def lapsing_list_visible_to(
    user: Viewer, *, filters: LapsingFilters | None = None, today: datetime.date
) -> LapsingList:
    """The lapsing list: qualified PEs who are lapsing (soonest first), then those who have
    lapsed (most recent first), narrowed by ``filters``; each with ``currency_detail``."""
    filters = filters or LapsingFilters()
    register_filters = RegisterFilters(
        organisation=filters.organisation, team=filters.team, currency=filters.status
    )
    queryset = _filter_register(
        with_currency(PracticeEducator.objects.visible_to(user), today), register_filters, today
    )
    rules = currency_rules_by_partnership()
    lapsing: list[tuple[datetime.date, str, int]] = []
    lapsed: list[tuple[datetime.date, str, int]] = []
    for row in queryset.filter(currency_status__in=LAPSING_STATUSES).values(
        "pk",
        "currency_status",
        "peps_stage",
        "stage1_date",
        "stage2_date",
        "last_student_date",
        "last_training_date",
        "person__last_name",
        "person__organisation__partnership_id",
    ):
        currency = currency_of(
            qualified=row["peps_stage"] in QUALIFIED_STAGES,
            stage1_date=row["stage1_date"],
            stage2_date=row["stage2_date"],
            last_student_date=row["last_student_date"],
            last_training_date=row["last_training_date"],
            rules=rules.get(row["person__organisation__partnership_id"], DEFAULT_RULES),
            today=today,
        )
        if row["currency_status"] == CurrencyStatus.LAPSING:
            key = currency.lapses_on or datetime.date.max
            lapsing.append((key, row["person__last_name"], row["pk"]))
        else:
            key = currency.lapses_on or datetime.date.min
            lapsed.append((key, row["person__last_name"], row["pk"]))
    lapsing.sort(key=lambda entry: entry[:2])
    lapsed.sort(key=lambda entry: entry[:2], reverse=True)
    return LapsingList(user, [pk for *_, pk in lapsing + lapsed], today)


def reviews_overdue_visible_to(user: Viewer, *, today: datetime.date) -> QuerySet[Any]:
    return educators_visible_to(user, today=today).filter(review_overdue=True)


def educator_for(user: Viewer, pk: int, *, ability: str = "view") -> PracticeEducator:
    """The register entry if ``user`` holds ``ability`` on it; 404 otherwise."""
    educator: PracticeEducator = get_visible_or_404(PracticeEducator, user, ability, pk=pk)
    return educator


@remembered
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


def profile_of(educator: PracticeEducator, *, today: datetime.date) -> Profile:
    """Everything the PE's page shows besides history, in a fixed number of queries: PEPS
    training comes through the entry's own relations, so the register needs no import of it."""
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


@remembered
def own_entry(user: Viewer) -> PracticeEducator | None:
    """The user's own register entry, if they have one."""
    pk = getattr(user, "pk", None)
    if pk is None:
        return None
    return PracticeEducator.objects.visible_to(user).filter(person__user_id=pk).first()


def register_filter_choices(user: Viewer, *, organisation: str = "") -> dict[str, Any]:
    """What the register's filter panel offers: the organisations whose practice educators
    ``user`` may see, every service area, and the teams and locations of the organisation
    chosen (its ``organisation`` code), or of the only one ``user`` sees. Every team of every
    organisation would be thousands of options at national scale (issue 16)."""
    ids = permissions.organisation_ids_for(user, VIEW, PracticeEducator)
    organisations = Organisation.objects.visible_to(user).filter(pk__in=ids)
    if len(ids) == 1:
        narrowed: Any = ids
    elif organisation:
        narrowed = organisations.filter(code__iexact=organisation).values("pk")
    else:
        narrowed = []
    return {
        "organisations": organisations,
        "teams": Team.objects.visible_to(user).filter(organisation_id__in=narrowed),
        "locations": Location.objects.visible_to(user).filter(organisation_id__in=narrowed),
        "teams_need_organisation": len(ids) > 1 and not organisation,
        "service_areas": service_areas(),
    }


def currency_rule_of(partnership: Partnership) -> CurrencyRule:
    """The partnership's currency rule, or an unsaved one with the PEPS defaults."""
    return CurrencyRule.objects.unscoped(RULES_ARE_PUBLIC).filter(
        partnership=partnership
    ).first() or CurrencyRule(partnership=partnership)


def change_reports_visible_to(user: Viewer, *, status: str = "") -> QuerySet[ChangeReport]:
    """Changes reported to the register that ``user`` may see, newest first."""
    reports = ChangeReport.objects.visible_to(user).select_related(
        "educator__person__organisation", "team", "location", "decided_by"
    )
    return reports.filter(status=status) if status else reports


def change_report_for(user: Viewer, pk: int, *, ability: str = "view") -> ChangeReport:
    return get_visible_or_404(ChangeReport, user, ability, pk=pk)


def changes_waiting_card(request: Any) -> list[Card]:
    """The register's home panel: changes practice educators reported, for coordinators to
    accept (shown only to those who decide them)."""
    user = request.user
    if not permissions.can_in(user, MANAGE, ChangeReport):
        return []
    waiting = change_reports_visible_to(user, status=ChangeStatus.WAITING).count()
    return [
        Card(
            "Changes reported by practice educators",
            waiting,
            reverse("educators:change-list"),
            "Check the changes",
            "No change waiting for you. Practice educators report changes to their team, "
            "location or activities from their own entry.",
            section="Practice educators",
            hint="Accept each change to update the register, or say why not.",
        )
    ]


def educator_messages_visible_to(user: Viewer) -> QuerySet[EducatorMessage]:
    """Messages sent to practice educators that ``user`` may see, newest first, with how many
    each is for (``recipient_count``) and how many of its e-mails have gone (``sent_count``,
    fewer while the worker is sending)."""
    return (
        EducatorMessage.objects.visible_to(user)
        .select_related("sent_by")
        .annotate(
            recipient_count=Count("recipients", distinct=True),
            sent_count=Count("deliveries", distinct=True),
        )
        .order_by("-sent_at", "-pk")
    )
