from django.contrib import admin
from django.urls import include, path

from practica.core import health
from practica.organisations import views as organisation_views

urlpatterns = [
    path("", organisation_views.home, name="home"),
    path("accounts/", include("practica.accounts.urls")),
    path("", include("practica.organisations.urls")),
    path("placements/", include("practica.placements.urls")),
    path("educators/", include("practica.educators.urls")),
    path("learning/", include("practica.learning.urls")),
    path("teaching/", include("practica.teaching.urls")),
    path("setup/", include("practica.onboarding.urls")),
    path("questionnaires/", include("practica.questionnaires.urls")),
    path("imports/", include("practica.imports.urls")),
    path("reports/", include("practica.reports.urls")),
    path("api/", include("practica.api.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),  # for monitoring; no sign-in
]
