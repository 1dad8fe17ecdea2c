"""The peer-observation form lists a session's practitioners by name in a fixed number of
queries (issue 16: one person query per practitioner teacher before)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.teaching.tests.factories import SessionContributorFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db


def test_the_observation_form_makes_as_many_queries_for_five_practitioners_as_for_two(
    client: Client, charlie: User, org_a: Organisation, org_b: Organisation
) -> None:
    session = TeachingSessionFactory.create(hei=org_b)
    SessionContributorFactory.create_batch(
        2, session=session, practitioner_teacher__person__organisation=org_a
    )
    client.force_login(charlie)
    url = reverse("teaching:session-observe", args=[session.pk])
    client.get(url)  # warms the caches
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    SessionContributorFactory.create_batch(
        3, session=session, practitioner_teacher__person__organisation=org_a
    )
    with CaptureQueriesContext(connection) as five:
        page = client.get(url).content.decode()

    assert len(five) == len(two)
    assert page.count('<option value="') >= 5
