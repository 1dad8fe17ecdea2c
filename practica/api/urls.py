"""``/api/v1/`` (the router), ``/api/schema/`` (OpenAPI 3) and ``/api/docs/`` (Swagger UI)."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.module_loading import module_has_submodule
from django.views.decorators.csrf import csrf_exempt
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


@csrf_exempt  # it changes nothing, and must answer any method in the API's shape
def not_found(request: HttpRequest) -> JsonResponse:
    """Any other address under /api/ (``/api/v1/teams/-1/``) answers in the API's error shape,
    not with the site's HTML 404 page."""
    return JsonResponse({"detail": "There is no API endpoint at this address."}, status=404)


app_name = "api"
urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", login_required(ApiDocsView.as_view()), name="docs"),
    re_path(r"", not_found),  # last, and unnamed: no route of its own in the access tables
]
