"""A record of every import run (checked or applied) and of the records it created or changed."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from practica.core.models import Organisation
from practica.core.scoping import ScopedManager, ScopedModel


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    CHECKING = "checking", "Checking"
    APPLYING = "applying", "Importing"
    CHECKED = "checked", "Checked – nothing written"
    APPLIED = "applied", "Imported"
    FAILED = "failed", "Not imported – errors found"


class ImportRun(ScopedModel):
    """One import of one file (a kind) or of a folder/ZIP of files (kind ``batch``)."""

    kind = models.CharField(max_length=60)
    file_name = models.CharField(max_length=255)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="import_runs",
        help_text="The organisation the importing user was acting for (none from the CLI).",
    )
    only_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Rows for any other organisation are refused (--org).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # when a worker took the run up (a run still checking after its worker stopped is stalled)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=True)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    # the uploaded bytes, kept only until the run has finished (then emptied)
    upload = models.BinaryField(blank=True, default=b"")
    # what the person importing chose (``invite``) and the site address for links in e-mails
    options = models.JSONField(default=dict, blank=True)

    objects: ClassVar[ScopedManager[ImportRun]]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.CHECKED, ImportStatus.APPLIED, ImportStatus.FAILED}

    @property
    def percent_checked(self) -> int:
        if not self.rows_total:
            return 0 if not self.is_finished else 100
        return min(100, round(100 * self.rows_checked / self.rows_total))


class ImportedRecord(models.Model):
    """A record an applied import created or changed (so the records of a run can be listed)."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(max_length=60)
    action = models.CharField(max_length=10, choices=[("create", "Created"), ("update", "Updated")])
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    label = models.CharField(max_length=255)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label
