"""Organisations, teams, locations and people: the same selectors and services as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from practica.api.fields import CodeField, ManagedOrganisationField, VisibleRecordField
from practica.api.filters import ListFilters
from practica.api.router import router
from practica.api.viewsets import ReadOnlyScopedViewSet, ScopedViewSet
from practica.core import services
from practica.core.models import (
    Location,
    Organisation,
    OrganisationKind,
    Person,
    ServiceArea,
    Team,
)
from practica.organisations import selectors

# ids are 64-bit in every database Practica runs on; a larger number is refused, not queried
MAX_ID = 2**63 - 1

# ---------------------------------------------------------------------------- organisations


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    partnership = serializers.CharField(source="partnership.name", read_only=True)
    team_count = serializers.IntegerField(read_only=True)
    person_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "kind_label",
            "partnership",
            "team_count",
            "person_count",
        ]
        read_only_fields = fields


class OrganisationInput(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=12, help_text="2 to 12 capital letters or digits.")
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)


@extend_schema_view(
    update=extend_schema(request=OrganisationInput, responses=OrganisationSerializer),
    partial_update=extend_schema(request=OrganisationInput, responses=OrganisationSerializer),
)
class OrganisationViewSet(ReadOnlyScopedViewSet[Organisation]):
    """Organisations of the partnership that you may see; coordinators change their own."""

    model = Organisation
    serializer_class = OrganisationSerializer

    def visible(self, filters: dict[str, Any]) -> QuerySet[Organisation]:
        return selectors.organisations_visible_to(self.request.user)

    def update(self, request: Request, pk: int, partial: bool = False) -> Response:
        organisation = self.get_object_to_manage()
        values = self.parse(OrganisationInput, instance=organisation, partial=partial)
        services.update_organisation(actor=self.actor, organisation=organisation, **values)
        return self.shown(organisation)

    def partial_update(self, request: Request, pk: int) -> Response:
        return self.update(request, pk, partial=True)


# ------------------------------------------------------------------------------------ teams


class TeamSerializer(serializers.ModelSerializer[Team]):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    service_area = serializers.CharField(source="service_area.code", read_only=True)
    service_area_name = serializers.CharField(source="service_area.name", read_only=True)
    location_name = serializers.CharField(source="location.name", read_only=True, allow_null=True)
    person_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Team
        fields = [
            "id",
            "organisation",
            "name",
            "service_area",
            "service_area_name",
            "location",
            "location_name",
            "person_count",
        ]
        read_only_fields = fields


class TeamInput(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    service_area = CodeField(
        slug_field="code",
        queryset=ServiceArea.objects.all(),
        help_text="A service area code, e.g. childrens, adults, mental_health.",
    )
    location = VisibleRecordField(
        model=Location,
        selector=selectors.locations_visible_to,
        required=False,
        allow_null=True,
        help_text="The id of one of the team's organisation's locations, or null.",
    )


class TeamCreateInput(TeamInput):
    organisation = ManagedOrganisationField(model=Team)


class TeamFilters(ListFilters):
    search = serializers.CharField(required=False, max_length=100, help_text="Part of the name.")
    service_area = serializers.CharField(
        required=False, max_length=40, help_text="A service area code, e.g. childrens."
    )


@extend_schema_view(
    create=extend_schema(request=TeamCreateInput, responses={201: TeamSerializer}),
    update=extend_schema(request=TeamInput, responses=TeamSerializer),
    partial_update=extend_schema(request=TeamInput, responses=TeamSerializer),
)
class TeamViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet[Team]):
    """Teams of the organisations you may see; coordinators add and change their own."""

    model = Team
    serializer_class = TeamSerializer
    filters_class = TeamFilters

    def visible(self, filters: dict[str, Any]) -> QuerySet[Team]:
        return selectors.teams_visible_to(
            self.request.user,
            search=filters.get("search", ""),
            service_area=filters.get("service_area", ""),
        )

    def create(self, request: Request) -> Response:
        team = services.create_team(actor=self.actor, **self.parse(TeamCreateInput))
        return self.shown(team, status_code=status.HTTP_201_CREATED)

    def update(self, request: Request, pk: int, partial: bool = False) -> Response:
        team = self.get_object_to_manage()
        services.update_team(
            actor=self.actor, team=team, **self.parse(TeamInput, instance=team, partial=partial)
        )
        return self.shown(team)

    def partial_update(self, request: Request, pk: int) -> Response:
        return self.update(request, pk, partial=True)


# -------------------------------------------------------------------------------- locations


class LocationSerializer(serializers.ModelSerializer[Location]):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    latitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, coerce_to_string=False, read_only=True, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, coerce_to_string=False, read_only=True, allow_null=True
    )

    class Meta:
        model = Location
        fields = ["id", "organisation", "name", "postcode", "latitude", "longitude"]
        read_only_fields = fields


class LocationViewSet(ReadOnlyScopedViewSet[Location]):
    """Towns and offices of the organisations whose teams you may see."""

    model = Location
    serializer_class = LocationSerializer

    def visible(self, filters: dict[str, Any]) -> QuerySet[Location]:
        return selectors.locations_visible_to(self.request.user)


# ----------------------------------------------------------------------------------- people


class PersonSerializer(serializers.ModelSerializer[Person]):
    organisation = serializers.CharField(source="organisation.code", read_only=True)
    full_name = serializers.CharField(read_only=True)
    # plain text: people without an address have "" (not a valid `format: email` value)
    email = serializers.CharField(read_only=True, help_text="E-mail address, or empty.")

    class Meta:
        model = Person
        fields = [
            "id",
            "organisation",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "job_title",
            "team",
        ]
        read_only_fields = fields


class PersonInput(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    job_title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    team = VisibleRecordField(
        model=Team,
        selector=selectors.teams_visible_to,
        required=False,
        allow_null=True,
        help_text="The id of one of the person's organisation's teams, or null.",
    )


class PersonCreateInput(PersonInput):
    organisation = ManagedOrganisationField(model=Person)


class PersonFilters(ListFilters):
    search = serializers.CharField(
        required=False, max_length=100, help_text="Part of the name or e-mail address."
    )
    team = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A team's id."
    )


@extend_schema_view(
    create=extend_schema(request=PersonCreateInput, responses={201: PersonSerializer}),
    update=extend_schema(request=PersonInput, responses=PersonSerializer),
    partial_update=extend_schema(request=PersonInput, responses=PersonSerializer),
)
class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet[Person]):
    """People of the organisations you may see; coordinators add and change their own."""

    model = Person
    serializer_class = PersonSerializer
    filters_class = PersonFilters

    def visible(self, filters: dict[str, Any]) -> QuerySet[Person]:
        team = filters.get("team")
        return selectors.people_visible_to(
            self.request.user,
            search=filters.get("search", ""),
            team="" if team is None else str(team),
        )

    def create(self, request: Request) -> Response:
        person = services.create_person(actor=self.actor, **self.parse(PersonCreateInput))
        return self.shown(person, status_code=status.HTTP_201_CREATED)

    def update(self, request: Request, pk: int, partial: bool = False) -> Response:
        person = self.get_object_to_manage()
        values = self.parse(PersonInput, instance=person, partial=partial)
        services.update_person(actor=self.actor, person=person, **values)
        return self.shown(person)

    def partial_update(self, request: Request, pk: int) -> Response:
        return self.update(request, pk, partial=True)


router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("teams", TeamViewSet, basename="team")
router.register("locations", LocationViewSet, basename="location")
router.register("people", PersonViewSet, basename="person")
