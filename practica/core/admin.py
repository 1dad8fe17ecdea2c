from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from practica.core.models import (
    AcademicYear,
    AuditEvent,
    Location,
    Organisation,
    Partnership,
    Person,
    ServiceArea,
    Team,
)


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "lead_organisation"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "partnership"]
    search_fields = ["code", "name"]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "service_area"]
    list_filter = ["organisation", "service_area"]


@admin.register(Location)
class LocationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "postcode"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "email", "organisation", "team"]
    search_fields = ["last_name", "first_name", "email"]


admin.site.register(ServiceArea)
admin.site.register(AcademicYear)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # django-stubs' generic admin
    """Read only: nobody adds, changes or deletes an audit event, administrators included."""

    list_display = ["at", "action", "user", "partnership", "what", "address"]
    list_filter = ["action", "partnership"]
    readonly_fields = ["at", "user", "partnership", "action", "what", "address"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
