"""Upload pages per import kind, the run's progress page and the history of runs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render

from practica.accounts.models import AuthenticatedRequest
from practica.core.listing import listing
from practica.core.scoping import get_visible_or_404
from practica.imports import rules, selectors, services
from practica.imports.forms import BatchUploadForm, UploadForm
from practica.imports.framework import Importer
from practica.imports.models import ImportRun, ImportStatus
from practica.imports.registry import get_importer
from practica.imports.templates_xlsx import template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _importer_for(request: AuthenticatedRequest, kind: str) -> Importer:
    if not selectors.may_import(request.user):
        raise PermissionDenied
    try:
        return get_importer(kind)
    except LookupError:
        raise Http404("No such import kind") from None


def _queue(request: AuthenticatedRequest, form: UploadForm, kind: str) -> HttpResponse:
    uploaded = form.cleaned_data["file"]
    run = services.queue_upload(
        actor=request.user,
        organisation=request.membership.organisation if request.membership else None,
        kind=kind,
        file_name=uploaded.name or "upload",
        content=uploaded.read(),
        dry_run=form.cleaned_data["action"] == "check",
        options=form.options(base_url=request.build_absolute_uri("/")[:-1]),
    )
    return redirect("imports:run-detail", pk=run.pk)


@login_required
def kind_list(request: AuthenticatedRequest) -> HttpResponse:
    importers = selectors.importers_for(request.user)
    if not importers:
        raise PermissionDenied
    return render(request, "imports/kind_list.html", {"importers": importers})


@login_required
def upload(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    importer = _importer_for(request, kind)
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        invites=importer.sends_invitations,
    )
    if request.method == "POST" and form.is_valid():
        return _queue(request, form, importer.kind)
    return render(request, "imports/upload.html", {"importer": importer, "form": form})


@login_required
def upload_batch(request: AuthenticatedRequest) -> HttpResponse:
    """Several kinds at once: a ZIP of files named after their kinds, or a workbook with a
    sheet per kind, imported in dependency order as one batch (all or nothing)."""
    importers = selectors.importers_for(request.user)
    if not importers:
        raise PermissionDenied
    form = BatchUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        invites=True,
    )
    if request.method == "POST" and form.is_valid():
        return _queue(request, form, services.BATCH)
    return render(request, "imports/upload_batch.html", {"importers": importers, "form": form})


@login_required
def template(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    importer = _importer_for(request, kind)
    response = HttpResponse(template_workbook(importer), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{importer.kind}-template.xlsx"'
    return response


@login_required
def run_list(request: AuthenticatedRequest) -> HttpResponse:
    if not selectors.may_import(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    runs = selectors.import_runs_visible_to(request.user, status=status)
    sorts = {
        "started": ("Started", "created_at"),
        "file": ("File", "file_name"),
        "kind": ("Kind", "kind"),
    }
    context = {
        "listing": listing(request, runs, sorts=sorts, default_sort="-started"),
        "failed_only": status == ImportStatus.FAILED,
    }
    return render(request, "imports/run_list.html", context)


@login_required
def run_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    run = get_visible_or_404(ImportRun, request.user, pk=pk)
    partial = bool(getattr(request, "htmx", False))  # an htmx poll asks for the status only
    template_name = "imports/includes/run_status.html" if partial else "imports/run_detail.html"
    records = run.records.all()[:200] if run.status == "applied" else []
    context = {
        "run": run,
        "records": records,
        "stalled": selectors.is_stalled(run),
        "no_worker": selectors.waits_for_a_worker(run),
        "may_start_again": rules.may_start_again(request.user, run),
    }
    return render(request, template_name, context)


@login_required
def run_retry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    run = get_visible_or_404(ImportRun, request.user, pk=pk)  # outsiders get 404 on any method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        retried = services.retry_stalled_run(actor=request.user, run=run)
    except ValueError as error:
        messages.info(request, str(error))
        return redirect("imports:run-detail", pk=run.pk)
    return redirect("imports:run-detail", pk=retried.pk)


@login_required
def run_import(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    run = get_visible_or_404(ImportRun, request.user, pk=pk)  # outsiders get 404 on any method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        imported = services.import_checked_run(actor=request.user, run=run)
    except ValueError as error:
        messages.info(request, str(error))
        return redirect("imports:run-detail", pk=run.pk)
    return redirect("imports:run-detail", pk=imported.pk)
