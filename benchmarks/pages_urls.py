"""Practica's URLs plus one trivial view, the baseline of ``bench_pages`` (same middleware)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from practica.urls import urlpatterns as practica_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial, name="bench-trivial"), *practica_urlpatterns]
