"""Pages at partnership and at national scale (issue 16).

Generates one partnership (``practica generate --scale partnership``), requests every GET page
of the main roles once (the SQL queries each makes), then generates the rest of the national
scale beside it (the other partnerships, another seed) and requests the same pages again: the
query count must not change (a FAIL line when it does), and each page's p95 latency over
``REQUESTS`` requests must stay within ``TARGET`` × the p95 of a trivial view behind the same
middleware, measured in the same run (a FAIL line when it does not). Then each registered
report at national scale for the whole installation: its time and peak memory (tracemalloc).

Generating national scale takes minutes: ``PRACTICA_BENCH_SCALE`` (tiny, demo, partnership,
national; default national) and ``PRACTICA_BENCH_YEARS`` (default 2) choose how much. Each run
generates with seeds not used before in the database (use a fresh one for clean figures).

While working on a page: ``PRACTICA_BENCH_PAGES_SEED=S`` measures the data a ``practica
generate --seed S`` already wrote (its first partnership's logins; nothing generated, so the
query counts are not compared between scales), and ``PRACTICA_BENCH_PAGES_MATCH=text`` only
the pages whose route name holds ``text`` (reports are left out when it is set).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks.__main__ import Result

REQUESTS = 5  # timed requests per page at national scale
TRIVIAL_REQUESTS = 40
TARGET = 3.0  # p95 of a page / p95 of the trivial view
SLOW = 5.0  # seconds: a page slower than this once is not requested again
WHY = "benchmark: picks generated records and logins by their codes"

# plain (parameterless) routes not measured, and why
SKIPPED_PLAIN = {
    "bench-trivial": "the baseline, measured on its own",
    "accounts:login": "a page for signed-out visitors",
    "accounts:logout": "signs out",
    "accounts:password-reset": "a page for signed-out visitors",
    "accounts:password-reset-done": "a page for signed-out visitors",
    "accounts:password-reset-complete": "a page for signed-out visitors",
    "accounts:two-factor-setup": "creates a device for the second factor",
    "accounts:switch-organisation": "changes the session (POST)",
    "api:schema": "the OpenAPI schema: the same at every scale, not data",
    "api:docs": "the API's documentation page, not data",
}


@dataclass(frozen=True)
class Page:
    role: str
    name: str
    url: str


@dataclass
class Measure:
    queries_small: int | None = None
    queries_large: int | None = None
    timings: list[float] = dataclasses.field(default_factory=list)
    skipped: str = ""


def run() -> list[Result]:
    from django.test import override_settings

    from practica.demo.generate import SCALES

    scale_name = os.environ.get("PRACTICA_BENCH_SCALE", "national")
    years = int(os.environ.get("PRACTICA_BENCH_YEARS", "2"))
    if scale_name not in SCALES:
        raise SystemExit(f"PRACTICA_BENCH_SCALE: choose one of {', '.join(SCALES)}")
    # pages a role may not open answer 403/404, which Django logs with a traceback each
    quiet = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.CRITICAL)
    try:
        with override_settings(ROOT_URLCONF="benchmarks.pages_urls", ALLOWED_HOSTS=["testserver"]):
            return _run(SCALES[scale_name], scale_name, years)
    finally:
        for logger, level in zip(quiet, levels, strict=True):
            logger.setLevel(level)


def _run(target: Any, scale_name: str, years: int) -> list[Result]:
    from django.test import Client

    from practica.demo.generate import generate, partnership_name

    existing = os.environ.get("PRACTICA_BENCH_PAGES_SEED", "").strip()
    match = os.environ.get("PRACTICA_BENCH_PAGES_MATCH", "").strip()
    if existing:
        seed = int(existing)
        target = dataclasses.replace(target, partnerships=1)  # nothing more to generate
    else:
        seed = next(
            s
            for s in range(1000, 10_000, 2)
            if not _exists(partnership_name(s, 0)) and not _exists(partnership_name(s + 1, 0))
        )
        one = dataclasses.replace(target, partnerships=1)
        started = time.perf_counter()
        generate(scale=one, years=years, seed=seed)
        print(
            f"pages: generated one partnership ({scale_name} size, {years} years) in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
    _analyse()
    viewers = _viewers(seed)
    pages, skipped = _pages(viewers, seed)
    pages = [page for page in pages if match in page.name]
    clients = {}
    for role, user in viewers.items():
        client = Client()
        client.force_login(user)
        clients[role] = client
    measures = {page: Measure() for page in pages}
    print(f"pages: {len(pages)} role × page pairs; counting their queries", flush=True)
    for page, measure in measures.items():
        status, queries = _count(clients[page.role], page.url)
        if status != 200:
            measure.skipped = f"answers {status} to this role"
        measure.queries_small = queries

    if target.partnerships > 1:
        started = time.perf_counter()
        generate(
            scale=dataclasses.replace(target, partnerships=target.partnerships - 1),
            years=years,
            seed=seed + 1,
        )
        print(
            f"pages: generated {target.partnerships - 1} more partnerships in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
    _analyse()
    trivial = _timings(clients["partnership manager"], "/bench/trivial/", TRIVIAL_REQUESTS)
    trivial_p95 = _p95(trivial)
    print(
        f"pages: trivial view p50 {statistics.median(trivial) * 1000:.1f} ms, "
        f"p95 {trivial_p95 * 1000:.1f} ms ({TRIVIAL_REQUESTS} requests)",
        flush=True,
    )
    print(f"{'role':<20} {'page':<42} {'queries':>11} {'p50 ms':>8} {'p95 ms':>8} {'x trivial':>9}")
    fails, results = [], []
    for page, measure in measures.items():
        if measure.skipped:
            continue
        started = time.perf_counter()
        _status, measure.queries_large = _count(clients[page.role], page.url)
        first = time.perf_counter() - started
        # a page that takes seconds is timed once: five more would only say it again
        measure.timings = (
            [first] if first > SLOW else _timings(clients[page.role], page.url, REQUESTS)
        )
        fails += _line(page, measure, trivial_p95, scale_name)
        p95 = _p95(measure.timings)
        results.append(
            Result(f"page {page.role} {page.name} p95", p95, "trivial view p95", trivial_p95)
        )
    for name, reason in sorted(skipped.items()):
        print(f"skipped {name}: {reason}")
    for page, measure in measures.items():
        if measure.skipped:
            print(f"not measured {page.role} {page.name}: {measure.skipped}")
    for line in fails:
        print(line, flush=True)
    print(f"pages: {len(fails)} FAIL lines", flush=True)
    results.sort(key=lambda result: -result.ratio)
    # the slowest pages, as results
    return results[:3] + ([] if match else _reports(scale_name))


def _analyse() -> None:
    """PostgreSQL's statistics brought up to date after a bulk load, as autovacuum would soon
    do on a real server (without them the planner guesses a few thousand rows for tables of
    tens of thousands, and plans as for a small database)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _exists(name: str) -> bool:
    from practica.core.models import Partnership

    return Partnership.objects.filter(name=name).exists()


def _viewers(seed: int) -> dict[str, Any]:
    from practica.accounts.models import User
    from practica.demo.generate import DOMAIN, seed_tag

    code = f"G{seed_tag(seed)}P00".lower()
    emails = {
        "partnership manager": f"partnership.manager@{code}l00.{DOMAIN}",
        "LA coordinator": f"coordinator@{code}l00.{DOMAIN}",
        "HEI coordinator": f"coordinator@{code}h00.{DOMAIN}",
        "academic": f"academic@{code}h00.{DOMAIN}",
        "practice educator": f"practice.educator@{code}l00.{DOMAIN}",
    }
    return {role: User.objects.get(email=email) for role, email in emails.items()}


def _pages(viewers: dict[str, Any], seed: int) -> tuple[list[Page], dict[str, str]]:
    """Every plain GET route for every role, and one page of each kind of record (of the
    viewer's own organisation, or the LA's, where there is one); the routes left out, why."""
    from django.urls import NoReverseMatch, reverse

    from tests.routes import routes

    objects = _detail_kwargs(seed)
    pages, skipped = [], {}
    for route in routes():
        if route.name in SKIPPED_PLAIN:
            skipped[route.name] = SKIPPED_PLAIN[route.name]
            continue
        for role in viewers:
            if not route.parameters:
                pages.append(Page(role, route.name, reverse(route.name)))
                continue
            pick = objects.get(route.name)
            if pick is None:
                skipped[route.name] = "needs a POST, a token, a step or a record not generated"
                break
            kwargs = pick(role)
            if kwargs is None:
                skipped[route.name] = "no such record generated at this scale"
                break
            try:
                pages.append(Page(role, route.name, reverse(route.name, kwargs=kwargs)))
            except NoReverseMatch:
                skipped[route.name] = "cannot be built from a generated record"
                break
    return pages, skipped


def _detail_kwargs(seed: int) -> dict[str, Callable[[str], dict[str, Any] | None]]:
    """One record of each kind, of the first generated partnership: the LA's (the HEI's for
    university roles' own pages), the PE login's where a PE has one."""
    from practica.core.models import Organisation, Person, Team
    from practica.demo.generate import seed_tag
    from practica.educators.models import PepsCohort, PracticeEducator
    from practica.learning.events.models import Event
    from practica.placements.models import Placement, PlacementOffer
    from practica.reports.registry import all_reports
    from practica.timeaudit.models import AuditEnrolment, TimeAudit

    code = f"G{seed_tag(seed)}P00"
    la = Organisation.objects.unscoped(WHY).get(code=f"{code}L00")
    hei = Organisation.objects.unscoped(WHY).get(code=f"{code}H00")
    university_roles = {"HEI coordinator", "academic"}

    def own(role: str) -> Organisation:
        return hei if role in university_roles else la

    educator = PracticeEducator.objects.unscoped(WHY).get(
        person__email=f"practice.educator@{la.code.lower()}.generated.practica.test"
    )
    placement = (
        Placement.objects.unscoped(WHY)
        .filter(practice_educator=educator, student__hei=hei)
        .order_by("-academic_year__start_year", "pk")
        .first()
    ) or Placement.objects.unscoped(WHY).filter(practice_educator=educator).order_by("pk").first()
    student = placement.student if placement is not None else None

    def first(queryset: Any) -> dict[str, Any] | None:
        row = queryset.order_by("pk").first()
        return {"pk": row.pk} if row is not None else None

    def person(role: str) -> dict[str, Any] | None:
        if role == "practice educator":
            return {"pk": educator.person_id}
        return first(Person.objects.unscoped(WHY).filter(organisation=own(role)))

    picks: dict[str, Callable[[str], dict[str, Any] | None]] = {
        "organisations:organisation-detail": lambda role: {"pk": own(role).pk},
        "api:organisation-detail": lambda role: {"pk": own(role).pk},
        "organisations:team-detail": lambda role: first(
            Team.objects.unscoped(WHY).filter(organisation=own(role))
        ),
        "api:team-detail": lambda role: first(
            Team.objects.unscoped(WHY).filter(organisation=own(role))
        ),
        "api:location-detail": lambda role: first(own(role).locations.all()),
        "organisations:person-detail": person,
        "api:person-detail": person,
        "placements:student-detail": lambda role: {"pk": student.pk} if student else None,
        "placements:student-profile": lambda role: {"pk": student.pk} if student else None,
        "placements:offer-detail": lambda role: first(
            PlacementOffer.objects.unscoped(WHY).filter(organisation=la)
        ),
        "placements:placement-detail": lambda role: {"pk": placement.pk} if placement else None,
        "placements:placement-during": lambda role: {"pk": placement.pk} if placement else None,
        "educators:detail": lambda role: {"pk": educator.pk},
        "educators:cohort-detail": lambda role: first(
            PepsCohort.objects.unscoped(WHY).filter(organisation=la)
        ),
        "learning:event-detail": lambda role: first(
            Event.objects.unscoped(WHY).filter(organisation__partnership=la.partnership)
        ),
        "learning:event-attendance": lambda role: first(
            Event.objects.unscoped(WHY).filter(organisation=la)
        ),
        "timeaudit:audit-detail": lambda role: first(
            TimeAudit.objects.unscoped(WHY).filter(organisation=la)
        ),
        "timeaudit:enrolment-detail": lambda role: first(
            AuditEnrolment.objects.unscoped(WHY).filter(audit__organisation=la)
        ),
    }
    picks |= _activity_kwargs(la, hei, own, student, first)
    reports = [report.name for report in all_reports()]

    def report(role: str) -> dict[str, Any] | None:
        return {"name": reports[0]} if reports else None

    picks["reports:report-detail"] = picks["api:report-detail"] = report
    return picks


def _activity_kwargs(
    la: Any,
    hei: Any,
    own: Callable[[str], Any],
    student: Any,
    first: Callable[[Any], dict[str, Any] | None],
) -> dict[str, Callable[[str], dict[str, Any] | None]]:
    """The pages of what the generated partnership did through its years (the generator's
    ``generate_activity.py``): allocation runs, checks and concerns, evaluations and their
    questionnaires, teaching sessions, practitioner teachers, PE applications, CPD surveys."""
    from django.contrib.contenttypes.models import ContentType

    from practica.educators.recruitment.models import PeApplication
    from practica.learning.surveys.models import CpdNeedsSurvey
    from practica.placements.allocation_models import AllocationRun
    from practica.placements.during.models import CauseForConcern
    from practica.placements.evaluation import SLUGS, STUDENT
    from practica.placements.models import Placement
    from practica.questionnaires.models import Distribution, Questionnaire, Response
    from practica.teaching.directory.models import PractitionerTeacher
    from practica.teaching.sessions.models import TeachingSession

    partnership = la.partnership
    evaluated = (
        Response.objects.filter(
            subject_type=ContentType.objects.get_for_model(Placement),
            subject_id__in=Placement.objects.unscoped(WHY)
            .filter(organisation=la, student__hei=hei)
            .values("pk"),
        )
        .order_by("subject_id")
        .values_list("subject_id", flat=True)
        .first()
    )
    questionnaire = (
        Questionnaire.objects.unscoped(WHY)
        .filter(partnership=partnership, slug=SLUGS[STUDENT])
        .first()
    )
    distribution = (
        Distribution.objects.filter(version__questionnaire=questionnaire).order_by("pk").first()
    )

    concerns = CauseForConcern.objects.unscoped(WHY).filter(placement__organisation=la)

    def session(role: str) -> dict[str, Any] | None:
        return first(
            TeachingSession.objects.unscoped(WHY).filter(hei=hei, contributors__organisation=la)
        )

    return {
        "placements:allocation-detail": lambda role: first(
            AllocationRun.objects.unscoped(WHY).filter(partnership=partnership)
        ),
        "placements:student-checks": lambda role: {"pk": student.pk} if student else None,
        "placements:concern-detail": lambda role: (
            first(concerns.filter(placement__student__hei=hei)) or first(concerns)
        ),
        "placements:evaluation": lambda role: {"pk": evaluated} if evaluated else None,
        "questionnaires:detail": lambda role: {"pk": questionnaire.pk} if questionnaire else None,
        "questionnaires:results": lambda role: {"pk": questionnaire.pk} if questionnaire else None,
        "questionnaires:distribution": lambda role: (
            {"pk": questionnaire.pk, "distribution": distribution.pk}
            if questionnaire and distribution
            else None
        ),
        "teaching:session-detail": session,
        "teaching:session-feedback": session,
        "teaching:pt-detail": lambda role: first(
            PractitionerTeacher.objects.unscoped(WHY).filter(person__organisation=la)
        ),
        "educators:application-detail": lambda role: first(
            PeApplication.objects.unscoped(WHY).filter(organisation=la)
        ),
        "learning:survey-detail": lambda role: first(
            CpdNeedsSurvey.objects.unscoped(WHY).filter(partnership=partnership)
        ),
    }


def _count(client: Any, url: str) -> tuple[int, int]:
    """The response's status and how many SQL statements it ran (counted by a wrapper: Django's
    own query log keeps only the last 9,000)."""
    from django.db import connection

    executed = 0

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal executed
        executed += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        response = client.get(url)
    return response.status_code, executed


def _timings(client: Any, url: str, count: int) -> list[float]:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - started)
    return timings


def _p95(timings: list[float]) -> float:
    if len(timings) < 2:
        return timings[0]
    return statistics.quantiles(timings, n=20, method="inclusive")[18]


def _line(page: Page, measure: Measure, trivial_p95: float, scale_name: str) -> list[str]:
    """Prints the page's line of the table; returns its FAIL lines."""
    p50, p95 = statistics.median(measure.timings), _p95(measure.timings)
    ratio = p95 / trivial_p95
    queries = f"{measure.queries_small}/{measure.queries_large}"
    print(
        f"{page.role:<20} {page.name:<42} {queries:>11} {p50 * 1000:>8.1f} "
        f"{p95 * 1000:>8.1f} {ratio:>9.1f}",
        flush=True,
    )
    fails = []
    if measure.queries_small != measure.queries_large:
        fails.append(
            f"FAIL {page.role} {page.name} ({page.url}): {measure.queries_small} queries at "
            f"partnership scale, {measure.queries_large} at {scale_name} scale"
        )
    if len(measure.timings) == 1:
        fails.append(
            f"FAIL {page.role} {page.name} ({page.url}): {p95:.1f} s for one request "
            f"(more than {SLOW:.0f} s: not timed again)"
        )
    elif ratio > TARGET:
        fails.append(
            f"FAIL {page.role} {page.name} ({page.url}): p95 {p95 * 1000:.0f} ms = "
            f"{ratio:.1f} x the trivial view (target {TARGET:.0f} x)"
        )
    return fails


def _reports(scale_name: str) -> list[Result]:
    """Each report over the whole installation (the command line's operator), once for its
    time and once under tracemalloc for its peak memory."""
    from practica.accounts import permissions
    from practica.reports.registry import ReportParams, all_reports, run_report

    results: list[Result] = []
    for report in all_reports():
        started = time.perf_counter()
        result = run_report(report, permissions.OPERATOR, ReportParams())
        seconds = time.perf_counter() - started
        tracemalloc.start()
        run_report(report, permissions.OPERATOR, ReportParams())
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"report {report.name} at {scale_name} scale: {seconds:.2f} s, "
            f"{len(result.rows)} rows, peak {peak / 1_000_000:.1f} MB",
            flush=True,
        )
    return results
