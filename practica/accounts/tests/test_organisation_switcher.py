from django.test import Client
from django.urls import reverse

from practica.accounts import services
from practica.accounts.models import Membership, User
from practica.core.models import Organisation


def test_switching_changes_the_organisation_acted_in(
    client: Client, alice: User, org_b: Organisation
) -> None:
    services.grant_membership(actor=None, user=alice, organisation=org_b, role="coordinator")
    client.force_login(alice)
    other = Membership.objects.unscoped("test").get(user=alice, organisation=org_b)
    response = client.post(
        reverse("accounts:switch-organisation"), {"membership": other.pk}, follow=True
    )
    assert "Coordinator – Beta University" in response.content.decode()
    # creating a team now creates it in the organisation switched to
    client.post(reverse("organisations:team-create"), {"name": "New team", "service_area": 1})
    assert org_b.teams.filter(name="New team").exists()


def test_switching_to_someone_elses_membership_gets_404(
    client: Client, alice: User, charlie: User
) -> None:
    client.force_login(alice)
    theirs = Membership.objects.unscoped("test").get(user=charlie)
    assert (
        client.post(reverse("accounts:switch-organisation"), {"membership": theirs.pk}).status_code
        == 404
    )
