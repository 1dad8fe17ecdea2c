"""The practitioner-teaching pages under one namespace, ``teaching:``, each area's routes from
its own sub-package (docs/0032)."""

from django.urls import include, path

app_name = "teaching"
urlpatterns = [
    path("", include("practica.teaching.directory.urls")),
    path("", include("practica.teaching.sessions.urls")),
]
