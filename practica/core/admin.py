from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from practica.core.models import (
    AcademicYear,
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
