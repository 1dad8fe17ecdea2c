"""Every page of the practice educators, CPD, time audit, placements, questionnaires, teaching
and organisations areas, in Chromium, through axe (issues 6, 12 and 15).

``PAGES`` names, for every route of the ``NAMESPACES``, a demo user who may see it and how to find its URL parameters in the demo
partnership; one test per route opens it signed in as that user (``visit`` runs axe, the
h1/title checks and the console check). Routes that are not HTML pages are in ``NOT_PAGES``
with a reason, and each is exercised the way a browser uses it. A plain test fails when a route
of those namespaces is in neither table, so a new page cannot go unchecked. ``FORM_ERRORS``
submits a handful of forms empty or wrong and checks the error summary (which goes through axe
as well).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from practica.accounts.models import User
from practica.core import academic_years
from practica.core.models import AcademicYear, Location, Organisation, Person, Team
from practica.demo.data import DemoLogin
from practica.educators.models import (
    PeApplication,
    PepsCohort,
    PepsEnrolment,
    PracticeEducator,
    PracticeEducatorActivity,
    SelectionCriterion,
)
from practica.educators.recruitment import services as educator_services
from practica.educators.register import services as register_services
from practica.educators.register.models import ActivityKind
from practica.learning.events import services as event_services
from practica.learning.events.models import Event, Registration
from practica.learning.events.models import RegistrationStatus as Status
from practica.learning.outside.services import record_outside_cpd
from practica.learning.surveys import services as survey_services
from practica.learning.surveys.models import CpdNeedsSurvey
from practica.placements import services as placement_services
from practica.placements.allocation_models import AllocationRun, PlacementQuota
from practica.placements.during import services as during_services
from practica.placements.during.models import CauseForConcern
from practica.placements.models import Placement, PlacementOffer, PlacementStatus
from practica.placements.runs import services as run_services
from practica.questionnaires import services as questionnaire_services
from practica.questionnaires.models import Invitation
from practica.teaching.directory import services as directory_services
from practica.teaching.models import (
    ConsentKind,
    ContributorConsent,
    Expertise,
    LivedExperienceContributor,
    PractitionerDiversity,
    PractitionerTeacher,
    RequestOffer,
    TeachingRequest,
    TeachingSession,
)
from practica.teaching.sessions import services as teaching_services
from practica.timeaudit import services as timeaudit_services
from practica.timeaudit.models import AuditEnrolment, TimeAudit
from tests.routes import routes

from .helpers import audit_of, check_page, expect_error_summary, follow, submit, visit

pytestmark = pytest.mark.browser

NAMESPACES = (
    "educators",
    "learning",
    "timeaudit",
    "placements",
    "questionnaires",
    "teaching",
    "organisations",
)

MANAGER = "manager@demo.practica.test"
MEDWAY = "coordinator.mc@demo.practica.test"  # Medway is the partnership's lead organisation
KENT = "coordinator.kcc@demo.practica.test"
ACADEMIC = "academic@demo.practica.test"
PE = "pe@demo.practica.test"
FORUM = "Quarterly joint practice educator forum – next quarter"  # Medway's, upcoming
PAST_FORUM = "Quarterly joint practice educator forum – February 2020"  # Kent's

Kwargs = dict[str, Any]


def _first[T](found: T | None, what: str) -> T:
    assert found is not None, f"the demo partnership has no {what}"
    return found


# --- URL parameters from the demo partnership ----------------------------------------------


def none() -> Kwargs:
    return {}


def medway() -> Kwargs:
    return {"pk": Organisation.objects.unscoped("test").get(code="MC").pk}


def medway_team() -> Kwargs:
    team = Team.objects.unscoped("test").filter(organisation__code="MC").order_by("pk").first()
    return {"pk": _first(team, "Medway team").pk}


def medway_location() -> Kwargs:
    location = (
        Location.objects.unscoped("test").filter(teams__organisation__code="MC").order_by("pk")
    )
    return {"pk": _first(location.first(), "Medway team's location").pk}


def medway_person() -> Kwargs:
    person = (
        Person.objects.unscoped("test")
        .filter(organisation__code="MC", team__isnull=False)
        .order_by("pk")
        .first()
    )
    return {"pk": _first(person, "Medway person in a team").pk}


def kent_time_audit() -> Kwargs:
    audit = TimeAudit.objects.unscoped("test").filter(organisation__code="KCC").order_by("pk")
    return {"pk": _first(audit.first(), "Kent time audit").pk}


def kent_enrolment() -> AuditEnrolment:
    enrolments = AuditEnrolment.objects.unscoped("test").filter(
        audit__organisation__code="KCC", placement__isnull=False
    )
    return _first(enrolments.select_related("placement").order_by("pk").first(), "enrolment")


def kent_time_audit_weeks() -> Kwargs:
    return {"pk": kent_enrolment().pk}


def kent_logged_week() -> Kwargs:
    enrolment = kent_enrolment()
    return {"pk": enrolment.pk, "week": enrolment.first_week.isoformat()}  # type: ignore[union-attr]  # linked to a placement with dates


def medway_educator() -> Kwargs:
    educator = (
        PracticeEducator.objects.unscoped("test")
        .filter(person__organisation__code="MC", peps_stage="stage2")
        .order_by("pk")
    )
    return {"pk": _first(educator.first(), "Medway Stage 2 practice educator").pk}


def medway_open_activity() -> Kwargs:
    activity = (
        PracticeEducatorActivity.objects.unscoped("test")
        .filter(educator__person__organisation__code="MC", ended_on__isnull=True)
        .order_by("pk")
    )
    return {"pk": _first(activity.first(), "open activity in Medway").pk}


def medway_cohort() -> Kwargs:
    """This year's Medway Stage 1 cohort (with candidates still enrolled)."""
    cohort = (
        PepsCohort.objects.unscoped("test")
        .filter(organisation__code="MC", enrolments__outcome="enrolled")
        .order_by("-academic_year__start_year", "stage")
    )
    return {"pk": _first(cohort.first(), "Medway cohort with candidates").pk}


def medway_enrolment() -> Kwargs:
    enrolment = (
        PepsEnrolment.objects.unscoped("test")
        .filter(cohort__organisation__code="MC", outcome="enrolled")
        .order_by("pk")
    )
    return {"pk": _first(enrolment.first(), "Medway enrolment without an outcome").pk}


def medway_open_application() -> Kwargs:
    """The application waiting for its panel interview: line manager heard, panel set."""
    application = (
        PeApplication.objects.unscoped("test")
        .filter(organisation__code="MC", decision="", support_given_at__isnull=False)
        .order_by("pk")
    )
    return {"pk": _first(application.first(), "Medway application at interview").pk}


def medway_criterion() -> Kwargs:
    criterion = (
        SelectionCriterion.objects.unscoped("test").filter(organisation__code="MC").order_by("pk")
    )
    return {"pk": _first(criterion.first(), "Medway selection criterion").pk}


def support_token() -> Kwargs:
    """A fresh line-manager link for the Medway application still waiting for one."""
    application = _first(
        PeApplication.objects.unscoped("test")
        .filter(organisation__code="MC", decision="", support_given_at__isnull=True)
        .first(),
        "Medway application waiting for its line manager",
    )
    token = educator_services.request_line_manager_support(
        actor=None, application=application, send=False
    )
    return {"token": token}


TEACHER = "teacher@demo.practica.test"  # a Kent practitioner teacher, not on the register
LINE_MANAGER = "linemanager@demo.practica.test"  # the teacher's line manager


def line_managers_request() -> Kwargs:
    """The teacher's application, waiting for the demo line manager's support."""
    application = _first(
        PeApplication.objects.unscoped("test")
        .filter(line_manager_email=LINE_MANAGER, support_given_at__isnull=True)
        .first(),
        "application waiting for the demo line manager",
    )
    return {"pk": application.pk}


def teachers_application() -> Kwargs:
    """The practitioner teacher's own expression of interest, with the academic on its panel."""
    application = (
        PeApplication.objects.unscoped("test").filter(applicant__user__email=TEACHER).first()
    )
    return {"pk": _first(application, "application of the practitioner teacher").pk}


def academics_panel() -> Kwargs:
    application = PeApplication.objects.unscoped("test").filter(
        panel_members__person__user__email=ACADEMIC
    )
    return {"pk": _first(application.first(), "selection panel the academic sits on").pk}


def not_applied_yet() -> Kwargs:
    """The practitioner teacher before they applied: the form (the demo has them applied)."""
    PeApplication.objects.unscoped("test").filter(applicant__user__email=TEACHER).delete()
    return {}


def forum() -> Kwargs:
    return {"pk": _first(Event.objects.unscoped("test").filter(title=FORUM).first(), FORUM).pk}


def pe_outside_cpd(evidence: tuple[str, bytes] | None = None) -> Kwargs:
    """A piece of CPD the practice educator login did outside Practica (the demo has none)."""
    user = User.objects.get(email=PE)
    entry = record_outside_cpd(
        actor=user,
        person=Person.objects.unscoped("test").get(user=user),
        title="Safeguarding adults e-learning",
        done_on=timezone.localdate() - datetime.timedelta(days=30),
        hours=Decimal("3"),
        provider="Kent and Medway Safeguarding Adults Board",
        evidence=evidence,
    )
    return {"pk": entry.pk}


def past_forum() -> Kwargs:
    return {
        "pk": _first(Event.objects.unscoped("test").filter(title=PAST_FORUM).first(), PAST_FORUM).pk
    }


def survey() -> Kwargs:
    """The 2019/20 survey: closed, with the demo's answers (the PE login's among them)."""
    found = CpdNeedsSurvey.objects.unscoped("test").filter(academic_year__start_year=2019).first()
    return {"pk": _first(found, "2019/20 CPD-needs survey").pk}


def open_survey() -> Kwargs:
    """This year's survey, open today and not yet answered (the demo has only 2019/20's)."""
    today = timezone.localdate()
    year = academic_years.academic_year_of(today)
    found = CpdNeedsSurvey.objects.unscoped("test").filter(academic_year__start_year=year).first()
    if found is None:
        found = survey_services.create_cpd_needs_survey(
            actor=None,
            partnership=Organisation.objects.unscoped("test").get(code="MC").partnership,
            academic_year=academic_years.format_academic_year(year),
            title="Practice educator CPD needs",
            opens_on=today,
            closes_on=today + datetime.timedelta(days=28),
            topics=["Reflective supervision", "Unconscious bias"],
        )
    return {"pk": found.pk}


def medway_change_report() -> Kwargs:
    """A change a Medway practice educator reported (the demo has none waiting)."""
    educator = PracticeEducator.objects.unscoped("test").get(pk=medway_educator()["pk"])
    report = register_services.report_change(
        actor=None,
        educator=educator,
        changed_on=timezone.localdate(),
        activities_started=[
            kind
            for kind in ActivityKind.values
            if not educator.activities.filter(kind=kind, ended_on__isnull=True).exists()
        ][:1],
    )
    return {"pk": report.pk}


# --- placements: the demo student's first placement at Medway, in progress -------------------

UOK = "coordinator.uok@demo.practica.test"
STUDENT = "student@demo.practica.test"


def demo_placement() -> Placement:
    found = (
        Placement.objects.unscoped("test")
        .filter(student__person__email=STUDENT, status=PlacementStatus.IN_PROGRESS)
        .select_related("student", "academic_year")
        .first()
    )
    return _first(found, "placement of the student login in progress")


def the_placement() -> Kwargs:
    return {"pk": demo_placement().pk}


def the_student() -> Kwargs:
    return {"pk": demo_placement().student_id}


def placement_ending_early() -> Kwargs:
    return {"pk": demo_placement().pk, "step": "end-early"}


def midpoint_review() -> Kwargs:
    return {"pk": demo_placement().pk, "kind": "midpoint"}


def medway_offer() -> Kwargs:
    offer = PlacementOffer.objects.unscoped("test").filter(organisation__code="MC")
    return {"pk": _first(offer.order_by("pk").first(), "Medway placement offer").pk}


def medway_quota() -> Kwargs:
    """The demo's quota per university: Canterbury Christ Church University's students with
    Medway in 2019/20."""
    quota = PlacementQuota.objects.unscoped("test").filter(provider__code="MC")
    return {"pk": _first(quota.order_by("pk").first(), "Medway quota").pk}


def placement_link() -> Kwargs:
    token = placement_services.create_placement_link(
        placement=demo_placement(), email="onsite.supervisor@example.test"
    )
    return {"token": token}


def attendance_link() -> Kwargs:
    placement = demo_placement()
    token = during_services.create_sign_off_link(
        placement=placement, email="off-site.educator@example.test"
    )
    return {"token": token}


def concern() -> CauseForConcern:
    placement = demo_placement()
    return during_services.raise_concern(
        actor=User.objects.get(email=UOK),
        placement=placement,
        acting_in=placement.student.hei_id,  # the student's university: raised as their tutor
        concern="Missed two supervision sessions.",
    )


def raised_concern() -> Kwargs:
    return {"pk": concern().pk}


def concern_meeting() -> Kwargs:
    return {"pk": concern().pk, "step": "meeting"}


def open_window() -> Kwargs:
    """This year's preference window of the student login's university, open today."""
    today = timezone.localdate()
    year = academic_years.academic_year_of(today)
    window = during_services.open_preference_window(
        actor=None,
        hei=Organisation.objects.unscoped("test").get(code="UOK"),
        academic_year=AcademicYear.objects.get(start_year=year),
        opens_on=today,
        closes_on=today + datetime.timedelta(days=28),
    )
    return {"pk": window.pk}


def allocation_run() -> AllocationRun:
    """A finished run of the University of Kent's students in the demo's latest year of
    offers (run here, without the background worker)."""
    offers = PlacementOffer.objects.unscoped("test").order_by("-academic_year__start_year")
    year = _first(offers.first(), "placement offer").academic_year
    hei = Organisation.objects.unscoped("test").get(code="UOK")
    run = AllocationRun.objects.unscoped("test").create(
        partnership=hei.partnership, organisation=hei, academic_year=year
    )
    run_services.execute_run(run)
    return run


def finished_run() -> Kwargs:
    return {"pk": allocation_run().pk}


# --- questionnaires: one the demo sent, with answers ------------------------------------------


def sent_invitation() -> Invitation:
    found = Invitation.objects.filter(used=False).select_related("distribution__version")
    return _first(found.order_by("pk").first(), "questionnaire invitation not yet answered")


def sent_questionnaire() -> Kwargs:
    return {"pk": sent_invitation().distribution.version.questionnaire_id}


def its_version() -> Kwargs:
    version = sent_invitation().distribution.version
    return {"pk": version.questionnaire_id, "number": version.number}


def its_distribution() -> Kwargs:
    distribution = sent_invitation().distribution
    return {"pk": distribution.version.questionnaire_id, "distribution": distribution.pk}


def answer_link() -> Kwargs:
    return {"token": questionnaire_services.issue_token(sent_invitation())}


# --- practitioner teaching: Kent's directory, Canterbury's contributors, UoK's requests -------

CCCU = "coordinator.cccu@demo.practica.test"
CONTRIBUTOR = "contributor@demo.practica.test"


def the_teacher() -> Kwargs:
    """The demo practitioner teacher's entry in Kent's directory."""
    found = PractitionerTeacher.objects.unscoped("test").filter(person__user__email=TEACHER)
    return {"pk": _first(found.first(), "entry of the practitioner teacher login").pk}


def agreement_link() -> Kwargs:
    """A line manager's fresh link to agree to the demo practitioner teacher's interest."""
    _interest, token = directory_services.express_interest(
        actor=None,
        person=Person.objects.unscoped("test").get(user__email=TEACHER),
        knowledge="Care proceedings",
        skills="Group work",
        experience="Eight years in a children's team",
        areas=list(Expertise.objects.order_by("code")[:1]),
        line_manager_name="Lin Manager",
        line_manager_email=LINE_MANAGER,
        send=False,
    )
    return {"token": token}


def canterbury_contributor() -> Kwargs:
    """The contributor login's entry in Canterbury's directory (listed with consent)."""
    found = LivedExperienceContributor.objects.unscoped("test").filter(
        person__user__email=CONTRIBUTOR
    )
    return {"pk": _first(found.first(), "entry of the contributor login").pk}


def contributors_consent() -> Kwargs:
    found = ContributorConsent.objects.unscoped("test").filter(
        contributor__person__user__email=CONTRIBUTOR,
        kind=ConsentKind.DIRECTORY,
        withdrawn_on__isnull=True,
    )
    return {"pk": _first(found.first(), "consent of the contributor login").pk}


def _request(topic: str) -> TeachingRequest:
    found = TeachingRequest.objects.unscoped("test").filter(topic=topic)
    return _first(found.first(), f"request for {topic}")


def waiting_request() -> Kwargs:
    """This year's request still waiting for practitioners."""
    return {"pk": _request("Direct work with children").pk}


def filled_request() -> Kwargs:
    return {"pk": _request("Life story work").pk}


def offered_request() -> Kwargs:
    return {"pk": _request("Working with fathers").pk}


def offer_to_accept() -> Kwargs:
    offer = RequestOffer.objects.unscoped("test").filter(request__topic="Working with fathers")
    return {"pk": _first(offer.first(), "offer waiting for the academic").pk, "step": "accept"}


def offer_to_confirm() -> Kwargs:
    offer = RequestOffer.objects.unscoped("test").filter(
        request__topic="Child protection conferences",
        practitioner_teacher__person__user__email=TEACHER,
    )
    return {"pk": _first(offer.first(), "offer waiting for the teacher").pk, "step": "confirm"}


def offer_link_token() -> Kwargs:
    """The link a practitioner without an account gets to confirm an accepted offer."""
    offer = _first(
        RequestOffer.objects.unscoped("test")
        .filter(request__topic="Child protection conferences")
        .first(),
        "accepted offer",
    )
    return {"token": teaching_services.create_offer_link(offer=offer, email=offer_email(offer))}


def offer_email(offer: RequestOffer) -> str:
    return offer.practitioner_teacher.person.email


def scheduled_session() -> TeachingSession:
    """The filled request's session, scheduled for next week."""
    found = TeachingSession.objects.unscoped("test").filter(request__topic="Life story work")
    return _first(found.first(), "scheduled session")


def the_scheduled_session() -> Kwargs:
    return {"pk": scheduled_session().pk}


def delivering_it() -> Kwargs:
    return {"pk": scheduled_session().pk, "step": "deliver"}


def teachers_delivered_session() -> Kwargs:
    """A 2019/20 session at UoK of the demo practitioner teacher, with feedback."""
    found = TeachingSession.objects.unscoped("test").filter(
        hei__code="UOK",
        contributors__practitioner_teacher__person__user__email=TEACHER,
        academic_year__start_year=2019,
        kind="teaching",
    )
    return {"pk": _first(found.order_by("date").first(), "delivered session of the teacher").pk}


def feedback_link() -> Kwargs:
    """The feedback link of a session delivered today (links close some days after)."""
    session = scheduled_session()
    session.date = timezone.localdate()
    session.save(update_fields=["date"])
    teaching_services.mark_session_delivered(actor=None, session=session)
    return {"token": teaching_services.feedback_token(session)}


# --- every page: route name -> (who looks at it, its URL parameters) ----------------------

Anonymous = None
PAGES: dict[str, tuple[str | None, Callable[[], Kwargs]]] = {
    # the register
    "educators:register": (MEDWAY, none),
    "educators:create": (MEDWAY, none),
    "educators:my-profile": (PE, none),
    "educators:lapsing": (KENT, none),
    "educators:lapsing-message": (KENT, none),
    "educators:reviews-due": (KENT, none),
    "educators:change-list": (MEDWAY, none),
    "educators:change-report": (MEDWAY, medway_change_report),
    "educators:report-change": (PE, none),
    "educators:shared-register": (ACADEMIC, none),
    "educators:currency-rule": (MEDWAY, none),
    "educators:detail": (MEDWAY, medway_educator),
    "educators:edit": (MEDWAY, medway_educator),
    "educators:review": (MEDWAY, medway_educator),
    "educators:activity-add": (MEDWAY, medway_educator),
    "educators:activity-end": (MEDWAY, medway_open_activity),
    # PEPS training
    "educators:cohort-list": (MEDWAY, none),
    # the time audit (Kent's, finished: the week's page corrects a logged week)
    "timeaudit:audit-list": (KENT, none),
    "timeaudit:audit-detail": (KENT, kent_time_audit),
    "timeaudit:audit-create": (KENT, none),
    "timeaudit:enrolment-add": (KENT, kent_time_audit),
    "timeaudit:enrolment-detail": (KENT, kent_time_audit_weeks),
    "timeaudit:log-week": (KENT, kent_logged_week),
    "educators:cohort-create": (MEDWAY, none),
    "educators:cohort-detail": (MEDWAY, medway_cohort),
    "educators:enrol": (MEDWAY, medway_cohort),
    "educators:outcome": (MEDWAY, medway_enrolment),
    # recruitment and selection
    "educators:application-list": (MEDWAY, none),
    "educators:application-create": (MEDWAY, none),
    "educators:application-detail": (MEDWAY, medway_open_application),
    "educators:application-edit": (MEDWAY, medway_open_application),
    "educators:application-panel": (MEDWAY, medway_open_application),
    "educators:application-interview": (MEDWAY, medway_open_application),
    "educators:application-scores": (MEDWAY, medway_open_application),
    "educators:application-decision": (MEDWAY, medway_open_application),
    "educators:criterion-list": (MEDWAY, none),
    "educators:criterion-create": (MEDWAY, none),
    "educators:criterion-edit": (MEDWAY, medway_criterion),
    "educators:line-manager-support": (Anonymous, support_token),
    # an applicant's own pages, and a selection panel member's
    "educators:apply": (TEACHER, not_applied_yet),
    "educators:my-applications": (TEACHER, none),
    "educators:my-application": (TEACHER, teachers_application),
    "educators:my-application-statement": (TEACHER, teachers_application),
    "educators:panel-list": (ACADEMIC, none),
    "educators:support-request-list": (LINE_MANAGER, none),
    "educators:support-request-answer": (LINE_MANAGER, line_managers_request),
    "educators:panel-application": (ACADEMIC, academics_panel),
    "educators:panel-scores": (ACADEMIC, academics_panel),
    # CPD events and the needs survey
    "learning:event-list": (PE, none),
    "learning:event-create": (KENT, none),
    "learning:event-detail": (PE, forum),
    "learning:event-edit": (MEDWAY, forum),
    "learning:event-attendance": (KENT, past_forum),
    "learning:event-book": (KENT, past_forum),
    "learning:update-training": (MEDWAY, none),
    "learning:my-cpd-record": (PE, none),
    "learning:outside-cpd-add": (PE, none),
    "learning:outside-cpd-edit": (PE, pe_outside_cpd),
    "learning:survey-list": (MANAGER, none),
    "learning:survey-create": (MEDWAY, none),
    "learning:survey-detail": (MANAGER, survey),
    "learning:survey-respond": (PE, open_survey),
    "learning:survey-send": (MEDWAY, open_survey),
    "learning:survey-edit": (MEDWAY, survey),
    # placements: students (a university's), offers (a council's), the lifecycle
    "placements:student-list": (UOK, none),
    "placements:student-detail": (UOK, the_student),
    "placements:student-profile": (UOK, the_student),
    "placements:student-checks": (UOK, the_student),
    "placements:check-record": (UOK, the_student),
    "placements:skills-days-record": (UOK, the_student),
    "placements:offer-list": (MEDWAY, none),
    "placements:offer-create": (MEDWAY, none),
    "placements:offer-detail": (MEDWAY, medway_offer),
    "placements:offer-edit": (MEDWAY, medway_offer),
    "placements:placement-list": (MEDWAY, none),
    "placements:placement-request": (UOK, none),
    "placements:placement-detail": (MEDWAY, the_placement),
    "placements:placement-step": (MEDWAY, placement_ending_early),
    "placements:placement-link": (Anonymous, placement_link),
    "placements:attendance-link": (Anonymous, attendance_link),
    # during the placement
    "placements:placement-during": (MEDWAY, the_placement),
    "placements:attendance-log": (PE, the_placement),  # the placement's practice educator
    "placements:review-record": (MEDWAY, midpoint_review),
    "placements:observation-add": (MEDWAY, the_placement),
    "placements:concern-raise": (MEDWAY, the_placement),
    "placements:concern-detail": (MEDWAY, raised_concern),
    "placements:concern-step": (MEDWAY, concern_meeting),
    "placements:my-preferences": (STUDENT, none),
    "placements:preferences-submit": (STUDENT, open_window),
    "placements:preference-window-create": (UOK, none),
    "placements:preference-window-detail": (UOK, open_window),
    "placements:evaluations": (MEDWAY, none),
    "placements:evaluation": (MEDWAY, the_placement),
    # allocation runs
    "placements:allocation-list": (UOK, none),
    "placements:allocation-detail": (UOK, finished_run),
    "placements:allocation-confirm": (UOK, finished_run),
    # quotas per university (the providing organisation's)
    "placements:quota-list": (MEDWAY, none),
    "placements:quota-create": (MEDWAY, none),
    "placements:quota-edit": (MEDWAY, medway_quota),
    "placements:quota-remove": (MEDWAY, medway_quota),
    # questionnaires (the partnership's, kept by its manager) and a personal answer link
    "questionnaires:list": (MANAGER, none),
    "questionnaires:create": (MANAGER, none),
    "questionnaires:detail": (MANAGER, sent_questionnaire),
    "questionnaires:edit": (MANAGER, sent_questionnaire),
    "questionnaires:version": (MANAGER, its_version),
    "questionnaires:distribute": (MANAGER, sent_questionnaire),
    "questionnaires:distribution": (MANAGER, its_distribution),
    "questionnaires:results": (MANAGER, sent_questionnaire),
    "questionnaires:respond": (Anonymous, answer_link),
    # practitioner teachers (Kent's directory) and lived-experience contributors (Canterbury's)
    "teaching:pt-list": (KENT, none),
    "teaching:pt-create": (KENT, none),
    "teaching:pt-reviews": (KENT, none),
    "teaching:pt-mine": (TEACHER, none),
    "teaching:pt-diversity": (TEACHER, none),
    "teaching:pt-interest": (TEACHER, none),
    "teaching:pt-agree": (Anonymous, agreement_link),
    "teaching:pt-readiness": (MEDWAY, none),
    "teaching:pt-detail": (KENT, the_teacher),
    "teaching:pt-edit": (KENT, the_teacher),
    "teaching:pt-review": (KENT, the_teacher),
    "teaching:pt-shadowing": (KENT, the_teacher),
    "teaching:contributor-list": (CCCU, none),
    "teaching:contributor-create": (CCCU, none),
    "teaching:contributor-mine": (CONTRIBUTOR, none),
    "teaching:contributor-detail": (CCCU, canterbury_contributor),
    "teaching:contributor-edit": (CCCU, canterbury_contributor),
    "teaching:contributor-consent": (CCCU, canterbury_contributor),
    "teaching:consent-withdraw": (CCCU, contributors_consent),
    # the request protocol (the University of Kent's academic asks Kent) and the sessions
    "teaching:contact-list": (MANAGER, none),
    "teaching:contact-set": (KENT, none),
    "teaching:request-list": (ACADEMIC, none),
    "teaching:request-create": (ACADEMIC, none),
    "teaching:request-detail": (ACADEMIC, offered_request),
    "teaching:request-offer": (KENT, waiting_request),
    "teaching:request-contributor-add": (ACADEMIC, waiting_request),
    "teaching:request-change": (ACADEMIC, waiting_request),
    "teaching:request-cancel": (ACADEMIC, waiting_request),
    "teaching:offer-step": (ACADEMIC, offer_to_accept),
    "teaching:offer-link": (Anonymous, offer_link_token),
    "teaching:session-list": (ACADEMIC, none),
    "teaching:my-sessions": (TEACHER, none),
    "teaching:session-detail": (ACADEMIC, the_scheduled_session),
    "teaching:session-feedback": (ACADEMIC, teachers_delivered_session),
    "teaching:session-contributor-add": (ACADEMIC, the_scheduled_session),
    "teaching:session-observe": (ACADEMIC, teachers_delivered_session),
    "teaching:session-step": (ACADEMIC, delivering_it),
    "teaching:feedback": (Anonymous, feedback_link),
    # organisations, teams, people and the audit (Medway's; the audit is the manager's)
    "organisations:organisation-list": (MEDWAY, none),
    "organisations:organisation-detail": (MEDWAY, medway),
    "organisations:organisation-edit": (MEDWAY, medway),
    "organisations:team-list": (MEDWAY, none),
    "organisations:team-create": (MEDWAY, none),
    "organisations:team-detail": (MEDWAY, medway_team),
    "organisations:team-edit": (MEDWAY, medway_team),
    "organisations:location-create": (MEDWAY, none),
    "organisations:location-edit": (MEDWAY, medway_location),
    "organisations:person-list": (MEDWAY, none),
    "organisations:person-create": (MEDWAY, none),
    "organisations:person-detail": (MANAGER, medway_person),
    "organisations:person-edit": (MEDWAY, medway_person),
    "organisations:audit": (MANAGER, none),
    "organisations:retention": (MANAGER, none),
}

# Pages that redirect to another page (which is the one checked); any other route that lands
# anywhere but its own URL (the sign-in page, say) fails the sweep.
LANDS_ELSEWHERE = {
    "educators:my-profile": r"/educators/\d+/",
    "teaching:pt-mine": r"/teaching/practitioner-teachers/\d+/",
    "teaching:contributor-mine": r"/teaching/contributors/\d+/",
}

# Routes that are not pages of their own, each exercised in ``test_not_a_page`` below.
NOT_PAGES: dict[str, str] = {
    "learning:event-calendar": "an iCalendar (.ics) download, not HTML",
    "learning:outside-cpd-evidence": "the evidence file's download, not HTML",
    "learning:outside-cpd-remove": "POST only: the Remove button on the entry's form",
    "learning:event-register": "POST only: the Register button on the event page",
    "learning:event-cancel": "POST only: the Cancel my place button on the event page",
    "learning:registration-attendance": "POST only (htmx): swaps one attendance status in place",
    "educators:application-request-support": "POST only: the button that e-mails the link",
    "placements:allocation-again": "POST only: the Run the allocation again button",
    "placements:allocation-constraint-add": "POST only: the Save the rule form on a run's page",
    "placements:allocation-constraint-remove": "POST only: the Remove button of a pin or forbid",
    "placements:attendance-sign-off": "POST only: the practice educator's Sign off button",
    "questionnaires:draft": "POST only: the Edit the questions button (opens a draft version)",
    "timeaudit:enrolment-remove": "POST only: the Remove button of an enrolment with no weeks logged",
    "teaching:pt-diversity-withdraw": "POST only: the Withdraw my consent button",
    "organisations:person-subject-access": "POST only: the subject access ZIP download",
}


def namespace_routes() -> set[str]:
    return {route.name for route in routes() if route.name.split(":", 1)[0] in NAMESPACES}


def test_every_route_of_the_namespaces_is_in_the_sweep() -> None:
    names = namespace_routes()
    missing = sorted(names - set(PAGES) - set(NOT_PAGES))
    assert not missing, f"add these routes to PAGES (or NOT_PAGES) in {__file__}: {missing}"
    stale = sorted((set(PAGES) | set(NOT_PAGES)) - names)
    assert not stale, f"these routes no longer exist: {stale}"
    assert not set(PAGES) & set(NOT_PAGES)


# --- signing in -----------------------------------------------------------------------------


def sign_in_as(page: Page, email: str) -> None:
    """A signed-in session for ``email`` in the page's browser context, without the sign-in
    form (its pages are checked in test_pages_accessible.py): the sweep opens many pages."""
    client = Client()
    client.force_login(User.objects.get(email=email))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session,
                "url": audit_of(page).base_url,
            }
        ]
    )


# Elements wider than the window, outside two-dimensional content (tables, which scroll inside
# their own wrapper; charts; code), which WCAG 1.4.10 Reflow exempts. Waits two frames first, for resize observers (Chart.js) to run.
OVERFLOWING = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const element of document.querySelectorAll("body *")) {
    if (element.closest(".practica-table-scroll, pre, canvas")) continue;
    const box = element.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) {
      found.push(`${element.tagName.toLowerCase()}.${element.className}: ${Math.round(box.right)}px`);
    }
  }
  for (const wrapper of document.querySelectorAll(".practica-table-scroll")) {
    const scrolls = wrapper.scrollWidth > wrapper.clientWidth + 1;
    if (scrolls && !(wrapper.tabIndex === 0 && wrapper.getAttribute("aria-label"))) {
      found.push("a table that scrolls sideways, but not reachable by keyboard with a name");
    }
  }
  return found.slice(0, 5);
}"""


def assert_reflows(page: Page) -> None:
    """At 320 CSS pixels wide (400% zoom of 1280) nothing but tables and charts needs scrolling
    sideways: WCAG 1.4.10, which axe does not check."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        overflowing = page.evaluate(OVERFLOWING)
    finally:
        if size is not None:
            page.set_viewport_size(size)
    assert not overflowing, f"{page.url} is wider than 320px: {overflowing}"


def open_route(page: Page, route_name: str) -> None:
    email, kwargs = PAGES[route_name]
    if email is not None:
        sign_in_as(page, email)
    path = reverse(route_name, kwargs=kwargs())
    visit(page, path)
    lands = LANDS_ELSEWHERE.get(route_name, re.escape(path))
    assert re.fullmatch(re.escape(audit_of(page).base_url) + lands, page.url), (
        f"{path} led to {page.url}"
    )
    assert_reflows(page)


# --- the sweep --------------------------------------------------------------------------------


@pytest.mark.parametrize("route_name", sorted(PAGES))
def test_page(page: Page, demo: list[DemoLogin], route_name: str) -> None:
    open_route(page, route_name)


# --- the same pages in other states ------------------------------------------------------


def kent_lapsed_educator() -> Kwargs:
    educator = (
        PracticeEducator.objects.unscoped("test")
        .filter(person__organisation__code="KCC", last_training_date__isnull=False)
        .order_by("last_training_date", "pk")
    )
    return {"pk": _first(educator.first(), "Kent practice educator with old training").pk}


def kent_independent_educator() -> Kwargs:
    educator = PracticeEducator.objects.unscoped("test").filter(
        person__organisation__code="KCC", independent=True
    )
    return {"pk": _first(educator.order_by("pk").first(), "independent Kent PE").pk}


def medway_application(**filters: Any) -> Callable[[], Kwargs]:
    def kwargs() -> Kwargs:
        found = (
            PeApplication.objects.unscoped("test")
            .filter(organisation__code="MC", **filters)
            .order_by("pk")
        )
        return {"pk": _first(found.first(), f"Medway application with {filters}").pk}

    return kwargs


def medway_past_cohort() -> Kwargs:
    cohort = PepsCohort.objects.unscoped("test").filter(
        organisation__code="MC", academic_year__start_year=2018
    )
    return {"pk": _first(cohort.order_by("stage").first(), "Medway 2018/19 cohort").pk}


def full_workshop() -> Kwargs:
    title = "Writing the final placement report"
    return {"pk": _first(Event.objects.unscoped("test").filter(title=title).first(), title).pk}


# name -> (route, who looks at it, its URL parameters): what the table above does not show
OTHER_STATES: dict[str, tuple[str, str, Callable[[], Kwargs]]] = {
    "my profile, not on the register": ("educators:my-profile", TEACHER, none),
    "apply, already at Stage 2": ("educators:apply", PE, none),
    "apply, with an open application": ("educators:apply", TEACHER, none),
    "my applications, none yet": ("educators:my-applications", TEACHER, not_applied_yet),
    "register, partnership manager": ("educators:register", MANAGER, none),
    "lapsing, partnership manager": ("educators:lapsing", MANAGER, none),
    "stage 2 register, university coordinator": (
        "educators:shared-register",
        "coordinator.uok@demo.practica.test",
        none,
    ),
    "profile, lapsed": ("educators:detail", KENT, kent_lapsed_educator),
    "profile, independent": ("educators:detail", KENT, kent_independent_educator),
    "cohort, with outcomes": ("educators:cohort-detail", MEDWAY, medway_past_cohort),
    "applications, partnership manager": ("educators:application-list", MANAGER, none),
    "application, waiting for the line manager": (
        "educators:application-detail",
        MEDWAY,
        medway_application(support_given_at__isnull=True),
    ),
    "application, accepted": (
        "educators:application-detail",
        MEDWAY,
        medway_application(decision="accepted"),
    ),
    "application, not accepted": (
        "educators:application-detail",
        MEDWAY,
        medway_application(decision="rejected"),
    ),
    "events, coordinator": ("learning:event-list", MEDWAY, none),
    "event, full with a waiting list": ("learning:event-detail", PE, full_workshop),
    "event, past, to its organiser": ("learning:event-detail", KENT, past_forum),
    "event, upcoming, to its organiser": ("learning:event-detail", MEDWAY, forum),
    "attendance, before the event": ("learning:event-attendance", MEDWAY, forum),
    "CPD record, practitioner teacher": (
        "learning:my-cpd-record",
        TEACHER,
        none,
    ),
    "surveys, practice educator": ("learning:survey-list", PE, none),
    "survey, to a practice educator who answered": ("learning:survey-detail", PE, survey),
    "survey, open, to a practice educator": ("learning:survey-detail", PE, open_survey),
    "survey answers, already given": ("learning:survey-respond", PE, survey),
    "survey, open, to its coordinator": ("learning:survey-detail", MEDWAY, open_survey),
    "survey sending, once it has closed": ("learning:survey-send", MEDWAY, survey),
    "offer, to its practitioner to confirm": ("teaching:offer-step", TEACHER, offer_to_confirm),
    "sessions, practitioner teacher lead": ("teaching:session-list", KENT, none),
    "requests, practitioner teacher lead": ("teaching:request-list", KENT, none),
    "request, filled": ("teaching:request-detail", ACADEMIC, filled_request),
    "session, delivered, to its practitioner": (
        "teaching:session-detail",
        TEACHER,
        teachers_delivered_session,
    ),
    "session feedback, to its practitioner": (
        "teaching:session-feedback",
        TEACHER,
        teachers_delivered_session,
    ),
    "contributor entry, to the contributor": (
        "teaching:contributor-detail",
        CONTRIBUTOR,
        canterbury_contributor,
    ),
    "practitioner teachers, partnership manager": ("teaching:pt-list", MANAGER, none),
}


@pytest.mark.parametrize("state", list(OTHER_STATES))
def test_page_in_another_state(page: Page, demo: list[DemoLogin], state: str) -> None:
    route_name, email, kwargs = OTHER_STATES[state]
    sign_in_as(page, email)
    path = reverse(route_name, kwargs=kwargs())
    visit(page, path)
    assert page.url == audit_of(page).base_url + path, f"{path} led to {page.url}"
    assert_reflows(page)


# --- forms sent empty or wrong --------------------------------------------------------------


def fill(values: dict[str, str]) -> Callable[[Page], None]:
    """Type these values (by element id) over what the form shows."""

    def fill_in(page: Page) -> None:
        for element_id, value in values.items():
            page.locator(f"#{element_id}").fill(value)

    return fill_in


def _passed_without_a_date(page: Page) -> None:
    page.get_by_label("Passed", exact=True).check()
    fill({"id_outcome_date_0": "", "id_outcome_date_1": "", "id_outcome_date_2": ""})(page)


def _no_panel(page: Page) -> None:
    for box in page.locator("input[name=members]").all():
        box.uncheck()


NEXT_YEAR = str(timezone.localdate().year + 1)
# route name -> (what to fill in wrong, the button, messages the error summary must show)
FORM_ERRORS: dict[str, tuple[Callable[[Page], None], str, tuple[str, ...]]] = {
    "educators:create": (
        fill({}),
        "Save",
        ("Choose a person above, or give the new person's name",),
    ),
    "educators:edit": (fill({"id_stage2_date_0": "32"}), "Save", ("Enter a real date",)),
    "educators:review": (
        fill({"id_reviewed_on_0": "", "id_reviewed_on_1": "", "id_reviewed_on_2": ""}),
        "Record the review",
        ("Enter the date of the review",),
    ),
    "educators:activity-add": (fill({}), "Save", ("Enter the date the activity started",)),
    "educators:activity-end": (
        fill({"id_ended_on_0": "", "id_ended_on_1": "", "id_ended_on_2": ""}),
        "Save",
        ("Enter the date the activity ended",),
    ),
    "educators:currency-rule": (fill({"id_months_since_student": "-1"}), "Save", ()),
    "educators:cohort-create": (fill({}), "Save", ()),
    "educators:enrol": (fill({}), "Save", ()),
    "educators:outcome": (
        _passed_without_a_date,
        "Save outcome",
        ("Give the date of the outcome.",),
    ),
    "educators:application-create": (fill({}), "Save", ()),
    "educators:application-edit": (
        fill({"id_statement": "", "id_line_manager_email": "not an address"}),
        "Save",
        (),
    ),
    "educators:application-panel": (_no_panel, "Save", ()),
    "educators:application-interview": (
        fill({"id_date_0": "", "id_date_1": "", "id_date_2": "", "id_time": "25:00"}),
        "Save",
        (),
    ),
    "educators:application-scores": (fill({}), "Save scores", ()),
    "educators:apply": (
        fill({"id_line_manager_email": "not an address"}),
        "Send my application",
        ("Enter your written statement",),
    ),
    "educators:my-application-statement": (
        fill({"id_statement": ""}),
        "Save",
        ("Enter your written statement",),
    ),
    "educators:panel-scores": (fill({}), "Save scores", ()),
    "educators:application-decision": (fill({}), "Record the decision", ()),
    "educators:criterion-create": (fill({}), "Save", ()),
    "educators:criterion-edit": (fill({"id_title": ""}), "Save", ()),
    "educators:line-manager-support": (
        fill({}),
        "Send my statement",
        ("Enter your support statement",),
    ),
    "learning:event-create": (
        fill(
            {
                "id_title": "A forum on a day that does not exist",
                "id_date_0": "30",
                "id_date_1": "2",
                "id_date_2": NEXT_YEAR,
            }
        ),
        "Save",
        ("must be a real date",),
    ),
    "learning:event-edit": (fill({"id_title": ""}), "Save", ()),
    "learning:survey-create": (fill({"id_title": ""}), "Save", ()),
    "learning:survey-edit": (fill({"id_topics": ""}), "Save", ()),
    "learning:survey-respond": (fill({}), "Send answers", ("Choose how you prefer to learn",)),
}


@pytest.mark.parametrize("route_name", sorted(FORM_ERRORS))
def test_form_errors(page: Page, demo: list[DemoLogin], route_name: str) -> None:
    change, button, messages = FORM_ERRORS[route_name]
    open_route(page, route_name)
    change(page)
    submit(page, button)  # checks the page that comes back with axe
    expect_error_summary(page, *messages)
    assert_reflows(page)
    # each error in the summary links to a field that is on the page
    for link in page.locator(".govuk-error-summary a").all():
        target = link.get_attribute("href") or ""
        assert target.startswith("#"), target
        expect(page.locator(f"[id='{target[1:]}']")).to_have_count(1)


# --- the routes that are not pages ------------------------------------------------------------


def _calendar(page: Page) -> None:
    sign_in_as(page, PE)
    url = reverse("learning:event-calendar", kwargs=forum())
    response = page.request.get(url)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "attachment" in response.headers["content-disposition"]
    body = response.text()
    assert body.startswith("BEGIN:VCALENDAR")
    assert f"SUMMARY:{FORUM}" in body.replace("\r\n ", "")
    # the event page links to it
    visit(page, reverse("learning:event-detail", kwargs=forum()))
    link = page.get_by_role("link", name="Add to your calendar (.ics file)")
    expect(link).to_have_attribute("href", url)


def _register(page: Page) -> None:
    sign_in_as(page, PE)
    visit(page, reverse("learning:event-detail", kwargs=forum()))
    submit(page, "Register")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"You are registered for {FORUM}."
    )
    assert (
        Registration.objects.unscoped("test")
        .filter(event__title=FORUM, person__user__email=PE, status=Status.REGISTERED)
        .exists()
    )


def _cancel(page: Page) -> None:
    event = Event.objects.unscoped("test").get(title=FORUM)
    person = User.objects.get(email=PE).person
    event_services.register_for_event(actor=None, event=event, person=person)
    sign_in_as(page, PE)
    visit(page, reverse("learning:event-detail", kwargs={"pk": event.pk}))
    submit(page, "Cancel my place")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Your registration for {FORUM} is cancelled."
    )
    assert (
        not Registration.objects.unscoped("test")
        .filter(event=event, person=person, status=Status.REGISTERED)
        .exists()
    )


def _mark_attendance(page: Page) -> None:
    registration = (
        Registration.objects.unscoped("test")
        .filter(event__title=PAST_FORUM, status=Status.REGISTERED, attended="yes")
        .select_related("person")
        .order_by("pk")
        .first()
    )
    registration = _first(registration, "attendee of the February 2020 forum")
    sign_in_as(page, KENT)
    visit(page, reverse("learning:event-attendance", kwargs=past_forum()))
    status = page.locator(f"#attendance-{registration.pk}")
    name = registration.person.full_name
    page.get_by_role("button", name=re.compile(rf"^Did not attend\W+{re.escape(name)}$")).click()
    expect(status).to_contain_text(f"{name}: did not attend")  # swapped in place
    check_page(page)
    registration.refresh_from_db()
    assert registration.attended == "no"


def _request_support(page: Page) -> None:
    application = PeApplication.objects.unscoped("test").get(
        organisation__code="MC", decision="", support_given_at__isnull=True
    )
    sign_in_as(page, MEDWAY)
    visit(page, reverse("educators:application-detail", kwargs={"pk": application.pk}))
    follow(page, page.get_by_role("button", name="Send the line manager a new link"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Link sent to {application.line_manager_email}."
    )


def _run_again(page: Page) -> None:
    run = allocation_run()
    sign_in_as(page, UOK)
    visit(page, reverse("placements:allocation-detail", kwargs={"pk": run.pk}))
    submit(page, "Run the allocation again")
    expect(page.locator("h1")).to_contain_text("students of University of Kent")
    assert AllocationRun.objects.unscoped("test").filter(pk__gt=run.pk).exists()


def _pin(page: Page) -> None:
    run = allocation_run()
    sign_in_as(page, UOK)
    visit(page, reverse("placements:allocation-detail", kwargs={"pk": run.pk}))
    student = page.locator("#id_student option:not([value=''])").first
    ref = (student.text_content() or "").split()[0]
    page.locator("#id_student").select_option(student.get_attribute("value") or "")
    offer = page.locator("#id_offer option:not([value=''])").first
    page.locator("#id_offer").select_option(offer.get_attribute("value") or "")
    page.get_by_label("Forbidden: never place the student here").check()
    submit(page, "Save the rule")
    expect(page.get_by_role("button", name=f"Remove the rule for {ref}")).to_be_visible()


def _unpin(page: Page) -> None:
    run = allocation_run()
    proposal = _first(run.proposals.select_related("student", "offer").first(), "proposal")
    run_services.set_constraint(
        actor=None, run=run, student=proposal.student, offer=proposal.offer, kind="forbid"
    )
    sign_in_as(page, UOK)
    visit(page, reverse("placements:allocation-detail", kwargs={"pk": run.pk}))
    name = f"Remove the rule for {proposal.student.student_ref}"
    follow(page, page.get_by_role("button", name=name))
    expect(page.get_by_role("button", name=name)).to_have_count(0)


def _sign_off(page: Page) -> None:
    placement = demo_placement()
    starts = _first(placement.starts_on, "start of the demo placement")
    monday = starts + datetime.timedelta(days=(7 - starts.weekday()) % 7)
    week = during_services.log_attendance(
        actor=User.objects.get(email=STUDENT),
        placement=placement,
        week_starting=monday,
        days=Decimal(5),
    )
    sign_in_as(page, PE)
    visit(page, reverse("placements:placement-during", kwargs={"pk": placement.pk}))
    follow(page, page.get_by_role("button", name=re.compile(r"^Sign off")).first)
    week.refresh_from_db()
    assert week.signed_off


def _draft(page: Page) -> None:
    sign_in_as(page, MANAGER)
    visit(page, reverse("questionnaires:detail", kwargs=sent_questionnaire()))
    follow(page, page.get_by_role("button", name="Edit the questions"))
    assert re.search(r"/questionnaires/\d+/versions/\d+/$", page.url), page.url


def _outside_evidence(page: Page) -> None:
    certificate = b"%PDF-1.4\n%certificate\n%%EOF\n"
    url = reverse("learning:outside-cpd-evidence", kwargs=pe_outside_cpd(("cert.pdf", certificate)))
    sign_in_as(page, PE)
    response = page.request.get(url)
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/pdf")
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.body() == certificate


def _outside_remove(page: Page) -> None:
    kwargs = pe_outside_cpd()
    sign_in_as(page, PE)
    visit(page, reverse("learning:outside-cpd-edit", kwargs=kwargs))
    submit(page, "Remove this from your CPD record")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Safeguarding adults e-learning is removed from your CPD record."
    )


def _remove_enrolment(page: Page) -> None:
    audit = TimeAudit.objects.unscoped("test").get(**kent_time_audit())
    educator = _first(
        PracticeEducator.objects.unscoped("test")
        .filter(person__organisation__code="KCC")
        .exclude(time_audit_enrolments__audit=audit)
        .select_related("person")
        .order_by("pk")
        .first(),
        "Kent practice educator outside the time audit",
    )
    timeaudit_services.enrol_educator(actor=None, audit=audit, practice_educator=educator)
    sign_in_as(page, KENT)
    visit(page, reverse("timeaudit:audit-detail", kwargs={"pk": audit.pk}))
    name = f"Remove {educator.person.full_name} from the audit"
    follow(page, page.get_by_role("button", name=name))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"{educator.person.full_name} is no longer in {audit.name}."
    )
    expect(page.get_by_role("button", name=name)).to_have_count(0)


def _diversity_withdraw(page: Page) -> None:
    teacher = PractitionerTeacher.objects.unscoped("test").get(pk=the_teacher()["pk"])
    directory_services.record_own_diversity(
        actor=User.objects.get(email=TEACHER), teacher=teacher, consent=True, age_band="30_39"
    )
    sign_in_as(page, TEACHER)
    visit(page, reverse("teaching:pt-diversity"))
    submit(page, "Withdraw and delete my answers")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your consent is withdrawn and your answers are deleted."
    )
    answers = PractitionerDiversity.objects.unscoped("test").get(practitioner_teacher=teacher)
    assert answers.withdrawn_on is not None
    assert (answers.age_band, answers.gender) == ("", "")


def _subject_access(page: Page) -> None:
    sign_in_as(page, MANAGER)
    visit(page, reverse("organisations:person-detail", kwargs=medway_person()))
    with page.expect_download() as download:
        page.get_by_role("button", name="Download everything we hold about this person").click()
    assert download.value.suggested_filename.endswith(".zip")


NOT_PAGE_CHECKS: dict[str, Callable[[Page], None]] = {
    "organisations:person-subject-access": _subject_access,
    "teaching:pt-diversity-withdraw": _diversity_withdraw,
    "learning:outside-cpd-evidence": _outside_evidence,
    "learning:outside-cpd-remove": _outside_remove,
    "learning:event-calendar": _calendar,
    "learning:event-register": _register,
    "learning:event-cancel": _cancel,
    "learning:registration-attendance": _mark_attendance,
    "educators:application-request-support": _request_support,
    "placements:allocation-again": _run_again,
    "placements:allocation-constraint-add": _pin,
    "placements:allocation-constraint-remove": _unpin,
    "placements:attendance-sign-off": _sign_off,
    "questionnaires:draft": _draft,
    "timeaudit:enrolment-remove": _remove_enrolment,
}


def test_every_route_that_is_not_a_page_has_a_check() -> None:
    assert set(NOT_PAGE_CHECKS) == set(NOT_PAGES)


@pytest.mark.parametrize("route_name", sorted(NOT_PAGES))
def test_not_a_page(page: Page, demo: list[DemoLogin], route_name: str) -> None:
    NOT_PAGE_CHECKS[route_name](page)


def test_a_wide_table_scrolls_in_its_own_named_region_at_320px(
    page: Page, demo: list[DemoLogin]
) -> None:
    """The register's table is wider than a 320px window: it scrolls inside its wrapper, which
    the keyboard reaches and a screen reader names after the caption; the page does not."""
    sign_in_as(page, MEDWAY)
    visit(page, reverse("educators:register"))
    page.set_viewport_size({"width": 320, "height": 640})
    region = page.get_by_role("region", name=re.compile(r"\(scrolls sideways\)$"))
    expect(region.first).to_be_visible()
    assert region.first.get_attribute("tabindex") == "0"
    assert page.evaluate("document.documentElement.scrollWidth") <= 321


def test_the_audit_goes_to_older_entries_and_back(
    page: Page, demo: list[DemoLogin], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The audit's Older and Newer links (keyset cursors in the address) lead to pages that
    pass the same checks, with the filters kept; a link changed by hand shows the newest."""
    from practica.organisations import audit

    monkeypatch.setattr(audit, "PAGE_ROWS", 5)  # the live server runs in this process
    sign_in_as(page, MANAGER)
    visit(page, reverse("organisations:audit") + "?what=%2B")
    first = page.locator("tbody tr").all_inner_texts()
    follow(page, page.get_by_role("link", name="Older entries"))
    assert "older_than=" in page.url
    assert "what=%2B" in page.url
    assert_reflows(page)
    assert not set(page.locator("tbody tr").all_inner_texts()) & set(first)
    follow(page, page.get_by_role("link", name="Newer entries"))
    assert page.locator("tbody tr").all_inner_texts() == first
    visit(page, reverse("organisations:audit") + "?older_than=changed-by-hand")
    expect(page.get_by_text("The page link could not be read")).to_be_visible()
