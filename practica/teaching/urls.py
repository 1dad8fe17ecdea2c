"""The practitioner teaching pages under one namespace, ``teaching:``, each area's routes from
its own sub-package."""

from django.urls import include, path

app_name = "teaching"
urlpatterns = [
    path("", include("practica.teaching.directory.urls")),
]
