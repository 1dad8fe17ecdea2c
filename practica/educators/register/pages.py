"""What every practice educator page shares: the sub navigation, whose tabs each area adds
(``add_tab``, from ``EducatorsConfig.ready``), and the context of a form page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.forms import BaseForm
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.grants import VIEW
from practica.accounts.models import AuthenticatedRequest


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url_name: str
    # shown to those who hold ``ability`` on some ``model`` record
    model: type[Model]
    ability: str = VIEW


_TABS: list[Tab] = []


def add_tab(tab: Tab) -> None:
    """Adds ``tab`` after those added before it (once: a second add is ignored)."""
    if tab not in _TABS:
        _TABS.append(tab)


def tabs(request: AuthenticatedRequest, active: str) -> dict[str, Any]:
    """The MOJ sub navigation of the practice educator pages, by what the user may see."""
    shown: dict[tuple[str, type[Model]], bool] = {}
    visible = []
    for tab in _TABS:
        key = (tab.ability, tab.model)
        if key not in shown:
            shown[key] = permissions.can_in(request.user, tab.ability, tab.model)
        if shown[key]:
            visible.append((tab.key, tab.label, tab.url_name))
    return {"tabs": visible, "active_tab": active}


def today() -> datetime.date:
    return timezone.localdate()


def form_page(form: BaseForm, title: str, cancel_url: str, **extra: Any) -> dict[str, Any]:
    """The context of ``core/form.html``."""
    return {"form": form, "title": title, "cancel_url": cancel_url, **extra}


def form_data(form: BaseForm, *names: str) -> dict[str, Any]:
    """The named cleaned values, as keyword arguments for a service."""
    return {name: form.cleaned_data[name] for name in names}
