from django.urls import path

from practica.organisations import views

app_name = "organisations"
urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation-detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation-edit"),
    path("teams/", views.team_list, name="team-list"),
    path("teams/new/", views.team_create, name="team-create"),
    path("teams/<int:pk>/", views.team_detail, name="team-detail"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team-edit"),
    path("locations/new/", views.location_create, name="location-create"),
    path("locations/<int:pk>/edit/", views.location_edit, name="location-edit"),
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path(
        "people/<int:pk>/subject-access/",
        views.person_subject_access,
        name="person-subject-access",
    ),
    path("audit/", views.audit, name="audit"),
    path("audit/retention/", views.retention_plan, name="retention"),
]
