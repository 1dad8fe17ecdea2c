"""The admin site: Django's admin for Practica's administrators (superusers, ``is_staff``),
whose pages read every organisation's records."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from practica.core.scoping import unscoped_block


class PracticaAdminSite(admin.AdminSite):
    """Django's admin for Practica's administrators (superusers only, ``is_staff``)."""

    site_header = "Practica administration"

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        wrapped = super().admin_view(view, cacheable)

        @wraps(view)
        def unscoped_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            with unscoped_block("Django's admin is for Practica's administrators, who see all"):
                response: HttpResponse = wrapped(request, *args, **kwargs)
                # a template response renders later, outside the block, unless rendered here
                if isinstance(response, TemplateResponse) and not response.is_rendered:
                    response.render()
                return response

        return unscoped_view
