"""Refuses page requests whose parameters carry NUL characters: no database stores them in text
(PostgreSQL raises), so they can only be mistakes or probes. The answer is a plain 400. The API
validates its own parameters and answers with field errors in JSON, so it is left to do that."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return self.get_response(request)
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "The address contains a character Practica cannot read (NUL).",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
