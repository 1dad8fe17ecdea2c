"""A URL configuration with a view that fails, for the error-page tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail that must not reach the page")


urlpatterns = [path("broken/", broken), path("", include("practica.urls"))]
