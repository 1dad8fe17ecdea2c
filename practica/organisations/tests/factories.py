"""factory-boy factories for tests (and anything that needs realistic throwaway records)."""

from __future__ import annotations

import datetime
import time

import factory
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from practica.accounts.models import Invitation, Membership, Role, User
from practica.core.models import Location, Organisation, Partnership, Person, ServiceArea, Team


class PartnershipFactory(DjangoModelFactory[Partnership]):
    class Meta:
        model = Partnership
        django_get_or_create = ("name",)

    name = "Test teaching partnership"


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    partnership = factory.SubFactory(PartnershipFactory)
    code = factory.Sequence(lambda n: f"ORG{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "local_authority"


class LocationFactory(DjangoModelFactory[Location]):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Office {n}")


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    service_area = factory.LazyFunction(lambda: ServiceArea.objects.get(code="childrens"))


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"person{n}@example.test")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.COORDINATOR


class InvitationFactory(DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.test")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PRACTICE_EDUCATOR
    token_hash = factory.Sequence(lambda n: f"{n:064d}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


def member(role: str, organisation: Organisation, **user_fields: object) -> User:
    """A new user holding ``role`` in ``organisation``."""
    user = UserFactory.create(**user_fields)
    MembershipFactory.create(user=user, organisation=organisation, role=role)
    return user


def with_two_factor(user: User) -> tuple[TOTPDevice, list[str]]:
    """Sets up two-factor authentication for ``user`` through the services, as the set-up page
    does. Returns the authenticator device and the recovery codes."""
    from practica.accounts import services

    device = services.start_totp_setup(user=user)
    return services.confirm_totp_device(user=user, code=next_code(device))


def next_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show for ``device`` that Practica accepts next:
    the current one, or the following time step's if the current one was used already (a
    code works once). Reads the device afresh, so it can be called again after a sign-in."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.drift += device.last_t + 1 - totp.t()
    return f"{totp.token():0{device.digits}d}"
