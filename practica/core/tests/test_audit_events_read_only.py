"""Audit rows cannot be changed or deleted through Practica (issue 15): not through the model,
a queryset, the admin, the API or any page. Only ``core.audit_log.record`` writes them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.admin.sites import site
from django.test import Client, RequestFactory
from django.urls import reverse

from practica.accounts.models import User
from practica.core import audit_log
from practica.core.models import AuditAction, AuditEvent

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def event(alice: User) -> AuditEvent:
    return audit_log.record(user=alice, action=AuditAction.EXPORT, what="Everything")[0]


def test_a_saved_event_refuses_to_be_saved_again_or_deleted(event: AuditEvent) -> None:
    event.what = "Nothing"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    stored = AuditEvent.objects.unscoped("test").get(pk=event.pk)
    assert stored.what == "Everything"


def test_querysets_refuse_to_update_or_delete_events(event: AuditEvent) -> None:
    events = AuditEvent.objects.unscoped("test")
    with pytest.raises(PermissionError):
        events.update(what="Nothing")
    with pytest.raises(PermissionError):
        events.delete()
    assert events.get().what == "Everything"


def test_the_admin_shows_events_but_cannot_add_change_or_delete_them(
    admin_user: User, event: AuditEvent
) -> None:
    model_admin = site._registry[AuditEvent]
    request = RequestFactory().get("/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)


def test_the_audit_page_answers_only_get(client: Client, manager: User, event: AuditEvent) -> None:
    client.force_login(manager)
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(reverse("organisations:audit")).status_code == 405
    assert AuditEvent.objects.unscoped("test").filter(what="Everything").count() == 1


def test_no_api_route_reaches_audit_events() -> None:
    from practica.api.urls import urlpatterns

    routes = " ".join(str(pattern.pattern) for pattern in urlpatterns)
    assert "audit" not in routes.lower()


def test_only_the_audit_log_module_makes_audit_events() -> None:
    """No view, service or API module builds, changes or deletes an AuditEvent but
    ``core/audit_log.py`` (which only creates them)."""
    writers = []
    for path in (ROOT / "practica").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        if re.search(
            r"(?<!class )AuditEvent\(|AuditEvent\.objects\.(create|update|bulk|get_or_create)", text
        ):
            writers.append(path.relative_to(ROOT).as_posix())
    assert writers == ["practica/core/audit_log.py"]
