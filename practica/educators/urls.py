"""The practice educator pages under one namespace, ``educators:``, each area's routes from its
own sub-package."""

from django.urls import include, path

app_name = "educators"
urlpatterns = [
    path("", include("practica.educators.register.urls")),
    path("", include("practica.educators.training.urls")),
    path("", include("practica.educators.recruitment.urls")),
]
