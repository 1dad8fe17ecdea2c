"""SECURITY.md §11: the subject access export cannot forget a model. These tests find every
relation to a person on their own (from ``apps.get_models()``) and fail when one is neither
exported by ``core.subject_access`` nor named in its exclusions with a reason."""

from __future__ import annotations

import re

from django.apps import apps
from django.db import models

from practica.accounts.models import User
from practica.core.models import Person
from practica.organisations.subject_access import (
    ACTOR,
    ACTOR_RELATIONS,
    EXCLUDED,
    EXCLUDED_RELATIONS,
    SECRET_FIELDS,
    SUBJECT,
    names_a_person,
    relations,
)


def people_models() -> set[type[models.Model]]:
    """Person, User and their one-to-one extensions, found without the module under test."""
    found: set[type[models.Model]] = {Person, User}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.one_to_one and field.related_model in {Person, User}:
                found.add(model)
    return found


def every_relation_to_a_person() -> set[str]:
    targets = people_models()
    return {
        f"{model._meta.label_lower}.{field.name}"
        for model in apps.get_models()
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if field.related_model in targets
    }


def test_every_relation_to_a_person_is_exported_or_excluded_with_a_reason() -> None:
    classified = {relation.key: relation for relation in relations()}
    missing = sorted(every_relation_to_a_person() - set(classified))
    assert not missing, f"organisations/subject_access.py does not cover: {missing}"
    for key, relation in classified.items():
        if relation.kind in {EXCLUDED, ACTOR}:
            assert relation.reason.strip(), f"{key} is left out without a reason"


def test_the_lists_of_exceptions_name_no_relation_that_is_gone() -> None:
    known = every_relation_to_a_person()
    assert set(EXCLUDED_RELATIONS) <= known
    assert set(ACTOR_RELATIONS) <= known
    assert not set(EXCLUDED_RELATIONS) & set(ACTOR_RELATIONS)


def test_an_unlisted_relation_is_exported_in_full_by_default() -> None:
    """A new model that points at a person needs nothing from its author to be exported."""
    exported = {r.key for r in relations() if r.kind == SUBJECT}
    assert {
        "learning.registration.person",
        "educators.peapplication.applicant",
        "educators.panelmember.person",
        "educators.practiceeducatoractivity.educator",
        "learning.cpdneedssurveymailing.recipients",
        "core.subjectaccessexport.person",
    } <= exported


SECRET_LOOKING = re.compile(r"password|secret|hash|(^|_)key$|(^|_)token$")


def test_every_secret_looking_field_of_an_exported_model_is_left_out() -> None:
    exported_models = {r.model for r in relations() if r.kind == SUBJECT} | people_models()
    suspicious = {
        f"{model._meta.label_lower}.{field.name}"
        for model in exported_models
        for field in model._meta.concrete_fields
        if SECRET_LOOKING.search(field.name)
    }
    assert suspicious <= set(SECRET_FIELDS), sorted(suspicious - set(SECRET_FIELDS))


def test_the_secret_fields_listed_exist() -> None:
    for key in SECRET_FIELDS:
        app_label, model_name, field_name = key.split(".")
        apps.get_model(app_label, model_name)._meta.get_field(field_name)


def test_a_linked_row_that_names_a_person_is_shown_by_id_only() -> None:
    from practica.educators.models import PeApplication
    from practica.learning.events.models import Event

    assert names_a_person(PeApplication)
    assert not names_a_person(Event)
    assert not names_a_person(User)  # staff who acted are named, as in every history
