"""A model's check constraints evaluated in Python, as the database evaluates them.

Django validates a ``CheckConstraint`` by sending its condition to the database (``Q.check``:
one query, inside a savepoint when a transaction is open, per constraint and record). Checking
the rows of a large import that way cost more than everything else it does (docs/0025). The
conditions Practica's models use are simple comparisons of a record's fields with values or
other fields; ``holds`` evaluates those in Python with SQL's three-valued logic (a comparison
with NULL is unknown, and a check constraint is broken only when its condition is false), and
says it cannot tell (None) for anything else, which the caller then leaves to Django.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import operator
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.constants import LOOKUP_SEP


class _CannotTellError(Exception):
    pass


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def holds(constraint: models.BaseConstraint, instance: models.Model) -> bool | None:
    """Whether ``instance`` meets ``constraint`` (a check constraint), or None when the
    condition uses something this module does not evaluate."""
    if not isinstance(constraint, models.CheckConstraint):
        return None
    try:
        return _evaluate(constraint.condition, instance) is not False
    except _CannotTellError:
        return None


def _evaluate(condition: Any, instance: models.Model) -> bool | None:
    if not isinstance(condition, Q):
        if isinstance(condition, tuple) and len(condition) == 2:
            return _lookup(condition[0], condition[1], instance)
        raise _CannotTellError
    results = [_evaluate(child, instance) for child in condition.children]
    if condition.connector == Q.AND:
        value: bool | None = False if False in results else (None if None in results else True)
    elif condition.connector == Q.OR:
        value = True if True in results else (None if None in results else False)
    else:
        raise _CannotTellError
    if condition.negated:
        return None if value is None else not value
    return value


def _lookup(path: str, wanted: Any, instance: models.Model) -> bool | None:
    name, _sep, lookup = path.partition(LOOKUP_SEP)
    lookup = lookup or "exact"
    value = _field_value(name, instance)
    if isinstance(wanted, F):
        wanted = _field_value(str(getattr(wanted, "name", "")), instance)
    elif hasattr(wanted, "resolve_expression"):
        raise _CannotTellError
    if lookup == "isnull":
        return (value is None) == bool(wanted)
    if lookup == "exact" and wanted is None:
        return value is None  # Django writes field=None as IS NULL
    if value is None:
        return None
    if lookup != "exact" and lookup != "in" and isinstance(value, str):
        raise _CannotTellError  # ordering text depends on the database's collation
    if lookup == "in":
        choices = list(wanted)
        if value in choices:
            return True
        return None if None in choices else False
    compare = _COMPARE.get(lookup)
    if compare is None or wanted is None:
        if compare is not None:
            return None
        raise _CannotTellError
    try:
        return compare(value, wanted)
    except TypeError as error:
        raise _CannotTellError from error


def _field_value(name: str, instance: models.Model) -> Any:
    field = _comparable_field(type(instance), name)
    value = getattr(instance, field.attname)
    if value is None:
        return None
    try:
        return field.to_python(value)
    except Exception as error:
        raise _CannotTellError from error


@functools.cache
def _comparable_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The concrete field ``name`` of ``model`` whose values Python compares as the database
    does (asked once per model and name: a model's fields do not change while it runs)."""
    if LOOKUP_SEP in name:
        raise _CannotTellError
    try:
        field = model._meta.get_field(name)
    except Exception as error:
        raise _CannotTellError from error
    if not isinstance(field, models.Field) or not field.concrete:
        raise _CannotTellError
    if isinstance(field, models.CharField | models.TextField) and field.db_collation:
        raise _CannotTellError
    return field


def _refers_to(
    model: type[models.Model], constraint: models.CheckConstraint, excluded: frozenset[str]
) -> bool:
    """Whether ``constraint``'s condition names a field in ``excluded`` (Django's own test, as
    ``CheckConstraint.validate`` uses it), remembered per model, constraint and set of fields:
    checking the rows of an import asks the same question for every row."""
    key = (model, id(constraint), excluded)
    remembered = _REFERS_TO.get(key)
    if remembered is None:
        answer = bool(
            constraint._expression_refs_exclude(model, constraint.condition, set(excluded))  # type: ignore[attr-defined]  # Django's own test, as CheckConstraint.validate uses it
        )
        # the constraint is kept beside its answer, so its id is not another's later
        remembered = _REFERS_TO[key] = (constraint, answer)
    return remembered[1]


_REFERS_TO: dict[
    tuple[type[models.Model], int, frozenset[str]], tuple[models.CheckConstraint, bool]
] = {}


# Field values found valid while proofs are kept (``proofs_kept``): for each field (by model
# and attribute), the values (with their exact type) that its own cleaning accepted unchanged
_PROVEN: contextvars.ContextVar[dict[tuple[type[models.Model], str], set[Any]] | None] = (
    contextvars.ContextVar("proven field values", default=None)
)

# the kinds of field whose ``clean`` (``to_python``, ``validate``, validators) depends on the
# value alone, not on the record or the database (exactly these classes: a subclass may not)
_PURE_FIELDS = (
    models.CharField,
    models.TextField,
    models.EmailField,
    models.SlugField,
    models.URLField,
    models.BooleanField,
    models.DateField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField,
)


@contextlib.contextmanager
def proofs_kept() -> Iterator[None]:
    """Within it (an import's batch: its check and its apply), ``clean_model`` cleans each
    value of a field once: a value a field accepted unchanged is not cleaned by that field
    again, whichever record holds it — so a row checked before it is applied is not
    validated field by field twice, and a value many rows share is validated once. Each
    record's ``clean`` (the rules across fields, and those about related records) and its
    unique and check constraints are still asked for every record, as ``full_clean`` asks
    them (docs/0025 section 9)."""
    token = _PROVEN.set({})
    try:
        yield
    finally:
        _PROVEN.reset(token)


@functools.cache
def _pure_fields(model: type[models.Model]) -> tuple[models.Field[Any, Any], ...]:
    return tuple(field for field in model._meta.concrete_fields if type(field) in _PURE_FIELDS)


def clean_model(
    instance: models.Model,
    *,
    exclude: Iterable[str] = (),
    validate_unique: bool = True,
    validate_constraints: bool = True,
) -> None:
    """``instance.full_clean(...)``, step by step as Django runs it and with the same errors,
    except that while ``proofs_kept`` a field whose value (of the same type) that field
    already accepted unchanged is not cleaned again (see ``proofs_kept``)."""
    excluded = set(exclude)
    proofs = _PROVEN.get()
    proven: set[str] = set()
    unproven: dict[str, tuple[tuple[type[models.Model], str], Any]] = {}
    if proofs is not None:
        for field in _pure_fields(type(instance)):
            if field.name in excluded:
                continue
            value = getattr(instance, field.attname)
            key = (type(instance), field.attname)
            try:
                if (type(value), value) in proofs.get(key, ()):
                    proven.add(field.name)
                    continue
            except TypeError:  # a value that cannot be remembered: cleaned as usual
                continue
            unproven[field.attname] = (key, value)
    errors: dict[str, Any] = {}
    try:
        instance.clean_fields(exclude=excluded | proven)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    # as full_clean: unique fields and constraints only for fields that passed validation
    excluded |= {name for name in errors if name != NON_FIELD_ERRORS}
    if validate_unique:
        try:
            instance.validate_unique(exclude=excluded)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if validate_constraints:
        excluded |= {name for name in errors if name != NON_FIELD_ERRORS}
        try:
            instance.validate_constraints(exclude=excluded)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    if proofs is not None:
        for attname, (key, value) in unproven.items():
            cleaned = getattr(instance, attname)
            if type(cleaned) is type(value) and cleaned == value:  # accepted as it was
                proofs.setdefault(key, set()).add((type(value), value))


def full_clean(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """``instance.full_clean(exclude=exclude)``, with the same errors, in fewer queries: check
    constraints that ``holds`` can tell are evaluated in Python, and a foreign key holding a
    record fetched from the database (with no ``limit_choices_to``) is not looked up again to
    see that it exists; and while ``proofs_kept``, field values already found valid are not
    cleaned again (``clean_model``)."""
    excluded = set(exclude)
    fetched = {
        field.name
        for field in instance._meta.concrete_fields
        if isinstance(field, models.ForeignKey)
        and not field.remote_field.limit_choices_to
        and field.is_cached(instance)
        and (related := getattr(instance, field.name)) is not None
        and related.pk is not None
        and not related._state.adding
    }
    errors: dict[str, Any] = {}
    try:
        clean_model(instance, exclude=excluded | fetched, validate_constraints=False)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    # as full_clean does: a field already wrong is left out of the constraints' checks
    excluded |= {name for name in errors if name != NON_FIELD_ERRORS}
    for model, constraints in instance.get_constraints():
        for constraint in constraints:
            if (
                isinstance(constraint, models.CheckConstraint)
                and excluded
                and _refers_to(model, constraint, frozenset(excluded))
            ):
                continue
            try:
                answer = holds(constraint, instance)
                if answer is None:
                    constraint.validate(model, instance, exclude=excluded)
                elif not answer:
                    raise ValidationError(
                        constraint.get_violation_error_message(),
                        code=constraint.violation_error_code,
                    )
            except ValidationError as error:
                fields: tuple[str, ...] = tuple(getattr(constraint, "fields", ()))
                if getattr(error, "code", None) == "unique" and len(fields) == 1:
                    errors.setdefault(fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
