from django.test import Client
from django.urls import reverse

from practica.accounts.models import User
from practica.core.models import Organisation


def test_coordinator_changes_the_name_and_history_shows_who(
    client: Client, alice: User, org_a: Organisation
) -> None:
    client.force_login(alice)
    url = reverse("organisations:organisation-edit", args=[org_a.pk])
    response = client.post(
        url, {"name": "Alpha Borough Council", "code": "AAA", "kind": "local_authority"}
    )
    assert response.status_code == 302
    page = client.get(
        reverse("organisations:organisation-detail", args=[org_a.pk])
    ).content.decode()
    assert "Alpha Borough Council" in page
    assert "Changed" in page
    assert alice.display_name in page
    assert "“Alpha Council” → “Alpha Borough Council”" in page


def test_a_duplicate_code_shows_the_error_and_changes_nothing(
    client: Client, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    client.force_login(alice)
    url = reverse("organisations:organisation-edit", args=[org_a.pk])
    response = client.post(url, {"name": "Alpha Council", "code": "bbb", "kind": "local_authority"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert "An organisation with this code already exists." in response.content.decode()
    org_a.refresh_from_db()
    assert org_a.code == "AAA"
    assert org_a.history.count() == 1
