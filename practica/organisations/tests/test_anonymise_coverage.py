"""Every text field of a row about a person is either overwritten by anonymisation or kept
with a reason (``organisations/anonymise.py``): a new field cannot be forgotten."""

from __future__ import annotations

from practica.organisations.anonymise import ANONYMISED, KEPT, text_fields
from practica.organisations.subject_access import SUBJECT, relations


def expected() -> dict[str, list[str]]:
    from practica.accounts.models import User
    from practica.core.models import Person

    found = {"core.person": text_fields(Person), "accounts.user": text_fields(User)}
    for relation in relations():
        if relation.kind == SUBJECT and text_fields(relation.model):
            found[relation.key] = text_fields(relation.model)
    return found


def test_every_text_field_about_a_person_is_overwritten_or_kept_with_a_reason() -> None:
    missing = [
        f"{key}.{name}"
        for key, names in expected().items()
        for name in names
        if name not in ANONYMISED.get(key, {}) and name not in KEPT.get(key, {})
    ]
    assert missing == []


def test_no_field_is_both_overwritten_and_kept_and_none_is_gone() -> None:
    fields = expected()
    # answers from fixed choices (diversity monitoring) are overwritten too, though not "text"
    every_field = {
        relation.key: [field.name for field in relation.model._meta.concrete_fields]
        for relation in relations()
        if relation.kind == SUBJECT
    }
    for table in (ANONYMISED, KEPT):
        for key, names in table.items():
            assert key in fields or key in every_field, f"{key} is no longer a relation"
            for name in names:
                known = name in fields.get(key, []) or name in every_field.get(key, [])
                assert known, f"{key}.{name} is no longer a field"
    both = [
        f"{key}.{name}"
        for key in ANONYMISED
        for name in ANONYMISED[key]
        if name in KEPT.get(key, {})
    ]
    assert both == []
