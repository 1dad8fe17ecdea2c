"""Pages for organisations, teams, locations and people. Thin: parse, call, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseForm
from django.http import HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.models import AuthenticatedRequest
from practica.accounts.permissions import (
    MANAGE,
    SUBJECT_ACCESS,
    VIEW,
    acting_organisation,
    requires_ability,
)
from practica.core import services
from practica.core.forms import submitted
from practica.core.history import history_for
from practica.core.listing import listing
from practica.core.models import (
    AuditEvent,
    Location,
    Organisation,
    Person,
    SubjectAccessChannel,
    Team,
)
from practica.core.scoping import get_visible_or_404
from practica.core.selectors import service_areas
from practica.organisations import audit as audit_log_reading
from practica.organisations import downloads, retention, selectors
from practica.organisations.dashboard import dashboard_for
from practica.organisations.forms import LocationForm, OrganisationForm, PersonForm, TeamForm
from practica.organisations.subject_access import export_subject_access
from practica.reports.lists import download_links, download_response, requested_format


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    if permissions.may_set_up_partnership(request.user):  # a new installation: set it up first
        return redirect("onboarding:task-list")
    return render(request, "organisations/home.html", {"dashboard": dashboard_for(request)})


@login_required
def organisation_list(request: AuthenticatedRequest) -> HttpResponse:
    organisations = selectors.organisations_visible_to(request.user)
    return render(request, "organisations/organisation_list.html", {"organisations": organisations})


@login_required
def organisation_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = get_visible_or_404(Organisation, request.user, pk=pk)
    context = {
        "organisation": organisation,
        "teams": selectors.teams_visible_to(request.user).filter(organisation=organisation),
        "locations": selectors.locations_visible_to(request.user).filter(organisation=organisation),
        "can_manage": permissions.can(request.user, MANAGE, organisation),
        "history": history_for(organisation),
    }
    return render(request, "organisations/organisation_detail.html", context)


@login_required
def organisation_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = get_visible_or_404(Organisation, request.user, MANAGE, pk=pk)
    form = OrganisationForm(
        request.POST if request.method == "POST" else None, instance=organisation
    )
    saved = submitted(
        request,
        form,
        lambda: services.update_organisation(
            actor=request.user, organisation=organisation, **_data(form)
        ),
    )
    if saved is not None:
        messages.success(request, f"{organisation.name} updated.")
        return redirect("organisations:organisation-detail", pk=organisation.pk)
    return render(
        request, "core/form.html", _form_page(form, f"Change {organisation.name}", organisation)
    )


@login_required
@requires_ability(VIEW, Team)
def team_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = {
        key: request.GET.get(key, "").strip() for key in ("search", "organisation", "service_area")
    }
    teams = selectors.teams_visible_to(request.user, **filters)
    sorts = {
        "name": ("Team", "name"),
        "organisation": ("Organisation", "organisation__name"),
        "service_area": ("Service area", "service_area__name"),
        "people": ("People", "person_count"),
    }
    context = {
        "listing": listing(request, teams, sorts=sorts, default_sort="name"),
        "filters": filters,
        "organisations": selectors.organisation_choices(request.user),
        "service_areas": service_areas(),
        "can_create": permissions.can_in(request.user, MANAGE, Team),
    }
    return render(request, "organisations/team_list.html", context)


@login_required
def team_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    team = get_visible_or_404(Team, request.user, pk=pk)
    context = {
        "team": team,
        "people": selectors.people_visible_to(request.user).filter(team=team),
        "can_manage": permissions.can(request.user, MANAGE, team),
        "history": history_for(team),
    }
    return render(request, "organisations/team_detail.html", context)


@login_required
def team_create(request: AuthenticatedRequest) -> HttpResponse:
    organisation = acting_organisation(request, MANAGE, Team)
    form = TeamForm(request.POST if request.method == "POST" else None, organisation=organisation)
    team = submitted(
        request,
        form,
        lambda: services.create_team(actor=request.user, organisation=organisation, **_data(form)),
    )
    if team is not None:
        messages.success(request, f"Team {team.name} added.")
        return redirect("organisations:team-detail", pk=team.pk)
    return render(request, "core/form.html", _form_page(form, f"Add a team to {organisation.name}"))


@login_required
def team_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    team = get_visible_or_404(Team, request.user, MANAGE, pk=pk)
    form = TeamForm(
        request.POST if request.method == "POST" else None,
        instance=team,
        organisation=team.organisation,
    )
    saved = submitted(
        request, form, lambda: services.update_team(actor=request.user, team=team, **_data(form))
    )
    if saved is not None:
        messages.success(request, f"Team {team.name} updated.")
        return redirect("organisations:team-detail", pk=team.pk)
    return render(request, "core/form.html", _form_page(form, f"Change {team.name}", team))


@login_required
def location_create(request: AuthenticatedRequest) -> HttpResponse:
    organisation = acting_organisation(request, MANAGE, Location)
    form = LocationForm(request.POST if request.method == "POST" else None)
    location = submitted(
        request,
        form,
        lambda: services.create_location(
            actor=request.user, organisation=organisation, **_data(form)
        ),
    )
    if location is not None:
        messages.success(request, f"Location {location.name} added.")
        return redirect("organisations:organisation-detail", pk=organisation.pk)
    return render(
        request, "core/form.html", _form_page(form, f"Add a location to {organisation.name}")
    )


@login_required
def location_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    location = get_visible_or_404(Location, request.user, MANAGE, pk=pk)
    form = LocationForm(request.POST if request.method == "POST" else None, instance=location)
    saved = submitted(
        request,
        form,
        lambda: services.update_location(actor=request.user, location=location, **_data(form)),
    )
    if saved is not None:
        messages.success(request, f"Location {location.name} updated.")
        return redirect("organisations:organisation-detail", pk=location.organisation_id)
    return render(request, "core/form.html", _form_page(form, f"Change {location.name}", location))


@login_required
@requires_ability(VIEW, Person)
def person_list(request: AuthenticatedRequest) -> HttpResponseBase:
    filters = {key: request.GET.get(key, "").strip() for key in ("search", "organisation", "team")}
    people = selectors.people_visible_to(request.user, **filters)
    sorts = {
        "name": ("Name", "last_name"),
        "organisation": ("Organisation", "organisation__name"),
        "team": ("Team", "team__name"),
        "email": ("E-mail", "email"),
    }
    page = listing(request, people, sorts=sorts, default_sort="name")
    download = download_response(
        request, downloads.PEOPLE, page.page.paginator.object_list, filters
    )
    if download is not None:
        return download
    context = {
        "listing": page,
        "filters": filters,
        "organisations": selectors.organisation_choices(request.user),
        "can_create": permissions.can_in(request.user, MANAGE, Person),
    }
    return render(request, "organisations/person_list.html", context)


@login_required
def person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(Person, request.user, pk=pk)
    context = {
        "person": person,
        "can_manage": permissions.can(request.user, MANAGE, person),
        "can_export": (can_export := permissions.can(request.user, SUBJECT_ACCESS, person)),
        "exports": person.subject_access_exports.select_related("exported_by")[:10]
        if can_export
        else [],
        "history": history_for(person),
    }
    return render(request, "organisations/person_detail.html", context)


@login_required
def person_subject_access(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A ZIP of everything held about the person (POST: each export is recorded)."""
    person = get_visible_or_404(Person, request.user, SUBJECT_ACCESS, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    export = export_subject_access(
        actor=request.user, person=person, channel=SubjectAccessChannel.PAGE, file_format="zip"
    )
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def person_create(request: AuthenticatedRequest) -> HttpResponse:
    organisation = acting_organisation(request, MANAGE, Person)
    form = PersonForm(request.POST if request.method == "POST" else None, organisation=organisation)
    person = submitted(
        request,
        form,
        lambda: services.create_person(
            actor=request.user, organisation=organisation, **_data(form)
        ),
    )
    if person is not None:
        messages.success(request, f"{person.full_name} added.")
        return redirect("organisations:person-detail", pk=person.pk)
    return render(
        request, "core/form.html", _form_page(form, f"Add a person to {organisation.name}")
    )


@login_required
def person_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_visible_or_404(Person, request.user, MANAGE, pk=pk)
    form = PersonForm(
        request.POST if request.method == "POST" else None,
        instance=person,
        organisation=person.organisation,
    )
    saved = submitted(
        request,
        form,
        lambda: services.update_person(actor=request.user, person=person, **_data(form)),
    )
    if saved is not None:
        messages.success(request, f"{person.full_name} updated.")
        return redirect("organisations:person-detail", pk=person.pk)
    return render(request, "core/form.html", _form_page(form, f"Change {person.full_name}", person))


def _data(form: BaseForm) -> dict[str, Any]:
    """The form's cleaned values for the fields it shows (a ModelForm's own fields)."""
    return {name: form.cleaned_data[name] for name in form.fields}


def _form_page(form: BaseForm, title: str, obj: object | None = None) -> dict[str, Any]:
    cancel = getattr(obj, "get_absolute_url", None)
    return {"form": form, "title": title, "cancel_url": cancel() if cancel else None}


@login_required
@requires_ability(VIEW, AuditEvent)
def audit(request: AuthenticatedRequest) -> HttpResponseBase:
    """Who did what, when and from where in the partnership (read only; GET only)."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    filters, errors = audit_log_reading.filters_from(request.GET)
    partnership_ids = permissions.partnership_ids_for(request.user, VIEW, AuditEvent)
    if requested_format(request) and not errors:
        entries = audit_log_reading.audit_entries(
            request.user, partnership_ids, filters, limit=audit_log_reading.CSV_ROWS
        )
        response = download_response(request, audit_log_reading.DOWNLOAD, entries, filters.labels())
        if response is not None:
            response["Cache-Control"] = "no-store"
            return response
    cursors, unreadable = _audit_cursors(request)
    page = (
        None
        if errors
        else audit_log_reading.audit_page(request.user, partnership_ids, filters, **cursors)
    )
    params = request.GET.copy()
    for name in AUDIT_CURSORS:
        params.pop(name, None)
    context = {
        "page": page,
        "unreadable_link": unreadable,
        "entries": page.entries if page else [],
        "filters": filters,
        "errors": errors,
        "what_choices": audit_log_reading.WHAT_CHOICES,
        "record_kinds": audit_log_reading.record_kinds(),
        "query": params.urlencode(),
        "download_links": download_links(request),
    }
    return render(request, "organisations/audit.html", context)


# the page links' parameters: where the page before or after the one shown ends
AUDIT_CURSORS = ("older_than", "newer_than")


def _audit_cursors(
    request: AuthenticatedRequest,
) -> tuple[dict[str, audit_log_reading.Cursor], bool]:
    """The cursor a page link carries, and whether a link's could not be read (a link cut
    short or changed by hand: the newest entries are shown, and the page says why)."""
    for name in AUDIT_CURSORS:
        text = request.GET.get(name)
        if text:
            try:
                return {name: audit_log_reading.Cursor.parse(text)}, False
            except ValueError:
                return {}, True
    return {}, False


@login_required
@requires_ability(VIEW, AuditEvent)
def retention_plan(request: AuthenticatedRequest) -> HttpResponse:
    """How long personal data is kept, and what will be anonymised next (read only)."""
    today = timezone.localdate()
    planned = retention.plan(
        today=today,
        partnership_ids=permissions.partnership_ids_for(request.user, VIEW, AuditEvent),
    )
    context = {
        "rules": retention.rules(),
        "due": [item for item in planned if item.due_on <= today],
        "coming": [item for item in planned if item.due_on > today],
        "look_ahead_days": retention.LOOK_AHEAD_DAYS,
    }
    return render(request, "organisations/retention.html", context)
