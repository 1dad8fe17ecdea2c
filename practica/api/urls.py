"""``/api/v1/`` (the router), ``/api/schema/`` (OpenAPI 3) and ``/api/docs/`` (Swagger UI)."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.urls import URLPattern, URLResolver, include, path
from django.utils.module_loading import module_has_submodule
from drf_spectacular.views import SpectacularAPIView

from practica.api import core, reports  # noqa: F401 - register the core and report endpoints
from practica.api.router import router
from practica.api.views import ApiDocsView


def register_app_endpoints() -> None:
    """Import ``practica/<app>/api.py`` of every Practica app, so its viewsets register."""
    for config in apps.get_app_configs():
        if config.name.startswith("practica.") and module_has_submodule(config.module, "api"):
            import_module(f"{config.name}.api")


register_app_endpoints()

app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", login_required(ApiDocsView.as_view()), name="docs"),
]
