"""The import framework: importers declare columns and natural keys; this module reads, checks
and applies files, all files of a batch in one transaction. See docs/0004-imports.md."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction

from practica.accounts import permissions
from practica.core import constraint_check
from practica.core.models import Organisation, Person
from practica.imports import suggestions
from practica.imports.reading import UnreadableFileError, read_table

if TYPE_CHECKING:
    from practica.accounts.models import User
    from practica.accounts.permissions import Viewer
    from practica.imports.parsers import Cell

Action = Literal["create", "update", "unchanged"]
# why an importer's natural-key lookups read every organisation (core/scoping.py): a row names
# its record; its organisation is then checked against the importer's (ImportContext.organisation)
NATURAL_KEY = (
    "an import finds the record a row names by its natural key; rows are checked against the "
    "importer's organisations"
)
T = TypeVar("T")


class ImportCellError(Exception):
    """A cell's value is wrong; the message says what is wrong and what is expected."""


@dataclass(frozen=True)
class Pending:
    """A reference to a record that an earlier file of the same batch will create."""

    kind: str
    key: tuple[Any, ...]

    def __str__(self) -> str:
        return " ".join(str(part) for part in self.key)


class _Keep:
    """The value of a ``keep_if_missing`` column that a file leaves out: keep what is there.
    False in a test, like an empty cell, so ``values[name] or default`` still reads well."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


# the types of value that are nothing when empty
_EMPTIED = (str, list, tuple, set, frozenset, dict)


def is_blank(value: Any) -> bool:
    """Whether a value is nothing: None, empty text or an empty collection (an empty cell)."""
    # ``not value`` first: most values compared are text that is not empty (asked for every
    # compared cell of every row, docs/0025 section 10)
    return value is None or (not value and isinstance(value, _EMPTIED))


@dataclass(frozen=True)
class Column:
    """One column of an import kind, which owns its field: its cell type (``parsers``) reads
    the cell's text and writes a value as text, and ``source`` says where a record holds the
    value. From the columns the framework derives an export's rows and whether a record is
    unchanged, so each column is written once."""

    name: str
    cell: Cell
    required: bool = False
    help: str = ""
    example: str = ""
    # A file without this column leaves the records' values as they are (the value is KEEP);
    # a file with it and an empty cell clears them.
    keep_if_missing: bool = False
    # the value of an empty cell (what the record holds when the cell says nothing)
    default: Any = None
    # where a record holds the value: a path of attributes ("person.team.name"; None part way
    # gives None) or a callable of the record; by default the attribute named like the column
    source: str | Callable[[Any], Any] | None = None
    # False: the column is not compared by the framework (it identifies the record, or the
    # importer's is_unchanged compares it with another column); say which where it is set
    compared: bool = True
    # False: not written by an export (the importer then says why)
    exported: bool = True
    # an empty cell records nothing and so changes nothing (the service keeps what is there)
    blank_keeps: bool = False
    # ``source`` (or the name) as attribute names, split once (``read`` is asked for every
    # compared cell of every row)
    _path: tuple[str, ...] = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        if not self.exported and not self.keep_if_missing:
            raise ValueError(
                f"Column {self.name!r} is left out of exports, so it must be keep_if_missing: "
                "re-importing an export would otherwise clear it."
            )
        if not callable(self.source):
            object.__setattr__(self, "_path", tuple((self.source or self.name).split(".")))

    def parse(self, text: str, ctx: ImportContext) -> Any:
        return self.cell.parse(text, ctx)

    def read(self, record: Any) -> Any:
        """The value ``record`` holds for this column."""
        if callable(self.source):
            return self.source(record)
        value = record
        for attribute in self._path:
            if value is None:
                return None
            value = getattr(value, attribute)
        return value

    def write(self, record: Any) -> str:
        """The cell's text for ``record`` in an export (blank for nothing)."""
        return self.cell.write(self.read(record))

    def same(self, record: Any, value: Any) -> bool:
        """Whether a row's parsed ``value`` for this column is what ``record`` holds."""
        if value is KEEP or (self.blank_keeps and is_blank(value)):
            return True
        return self.cell.same(value, self.read(record))


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str | None
    message: str
    file: str | None = None

    def __str__(self) -> str:
        where = [
            part
            for part in (
                self.file,
                self.row and f"row {self.row}",
                self.column and f"column {self.column}",
            )
            if part
        ]
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class RowPlan:
    number: int
    cells: dict[str, str]
    values: dict[str, Any]
    action: Action = "create"


@dataclass
class FilePlan:
    importer: Importer
    name: str
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts


class ImportContext:
    """What the parsers and importers may know: who imports, in which scope, what is pending."""

    def __init__(
        self,
        *,
        actor: User | None,
        viewer: Viewer,
        only_organisation: Organisation | None = None,
        progress: Callable[[int], None] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        self.actor = actor
        self.viewer = viewer
        self.only_organisation = only_organisation
        # what the person importing chose for kinds that have choices (``invite`` for users)
        self.options: dict[str, Any] = dict(options or {})
        self.pending: dict[str, set[tuple[Any, ...]]] = {}
        self.cache: dict[Any, Any] = {}
        self.progress = progress or (lambda _rows: None)
        self.applying = False
        # while ``check_row`` checks a row of an importer that ``compares_before_checking``:
        # whether the row's record already holds every value the row states
        self.row_unchanged = False

    def organisation(self, code: str) -> Organisation | Pending:
        """The organisation with this code, if the importer may write to it."""
        code = code.strip().upper()
        if self.only_organisation is not None and code != self.only_organisation.code:
            raise ImportCellError(
                f"“{code}” is not {self.only_organisation.code}; this import is limited to "
                f"{self.only_organisation.name}."
            )
        organisation = self.remember(
            ("organisation", code),
            lambda: (
                Organisation.objects.unscoped("checked against the importer's scope below")
                .filter(code=code)
                .first()
            ),
        )
        if organisation is None:
            if self.is_pending("organisations", code):
                return Pending("organisations", (code,))
            raise ImportCellError(
                f"there is no organisation with the code “{code}”.{self._organisation_hint(code)}"
            )
        if self.viewer is not permissions.OPERATOR and organisation.pk not in self.manageable():
            raise ImportCellError(f"you cannot import records for {organisation.name} ({code}).")
        return organisation

    def _organisation_hint(self, code: str) -> str:
        """“Did you mean …?” among the organisations the importer may write to."""
        organisations = Organisation.objects.unscoped("suggestions limited to the importer's")
        if self.viewer is not permissions.OPERATOR:
            organisations = organisations.filter(pk__in=self.manageable())
        candidates: dict[str, str] = self.remember(
            ("organisation-suggestions",),
            lambda: {
                org.code: f"{org.code} ({org.name})" for org in organisations.only("code", "name")
            },
        )
        return suggestions.did_you_mean(code, candidates)

    def remember(self, key: tuple[Any, ...], lookup: Callable[[], T]) -> T:
        """``lookup()``, asked once per ``key`` so that check_row, find and create of a row (and
        later rows naming the same record) share one query. Nothing is written while checking,
        so every answer is kept; while applying, rows create records, so a miss (None) is asked
        again. Importers that change the records they look up must not remember them."""
        if key in self.cache:
            remembered: T = self.cache[key]
            return remembered
        found = lookup()
        if found is not None or not self.applying:
            self.cache[key] = found
        return found

    def is_pending(self, kind: str, *key: Any) -> bool:
        """Whether an earlier file of this batch creates the ``kind`` record with this key."""
        return tuple(_key_part(part) for part in key) in self.pending.get(kind, set())

    def manageable(self) -> set[int]:
        """The organisations whose records the importer may write (where they manage people)."""
        manageable: set[int] = self.remember(
            ("manageable",),
            lambda: permissions.organisation_ids_for(self.viewer, permissions.MANAGE, Person),
        )
        return manageable


class Importer:
    """Subclass with the class attributes below, implement ``find``, ``create``, ``update`` and
    ``records``, and decorate with ``practica.imports.registry.register_importer``.
    ``is_unchanged`` and ``export_rows`` come from the columns."""

    kind: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str]
    columns: ClassVar[list[Column]]
    natural_key: ClassVar[tuple[str, ...]]
    depends_on: ClassVar[tuple[str, ...]] = ()
    # whether importing this kind e-mails invitations (the person importing may choose not to)
    sends_invitations: ClassVar[bool] = False
    # True: each row's record is found and compared before ``check_row`` checks the row, which
    # may then see ``ctx.row_unchanged`` and leave out the model's own rules (``model_problems``)
    # for a row whose record already holds its values: nothing is written for that row
    # (docs/0039-unchanged-rows-are-not-validated-again.md)
    compares_before_checking: ClassVar[bool] = False

    def refuse(self, ctx: ImportContext) -> str | None:
        """Why this importing user may not use this kind at all (None: they may)."""
        return None

    def check_row(self, values: dict[str, Any], ctx: ImportContext) -> list[tuple[str, str]]:
        """Problems of a row whose cells each parsed, as (column, message): rules across
        columns or against existing records. Called while checking only; no writes."""
        return []

    def records(self, viewer: Viewer) -> Iterable[Any]:
        """Every record of this kind ``viewer`` may see, ordered by natural key, with what the
        columns read fetched along (``select_related``, ``prefetch_related``)."""
        raise NotImplementedError(f"The {self.kind} import kind cannot export its records yet.")

    def export_rows(self, viewer: Viewer) -> list[dict[str, str]]:
        """Every record of this kind ``viewer`` may see, as rows this importer reads back
        (column name → cell text, blank for nothing), sorted by natural key."""
        return [self.export_row(record, viewer) for record in self.records(viewer)]

    def export_row(self, record: Any, viewer: Viewer) -> dict[str, str]:
        """One record as a row: each exported column's value, written by its cell type."""
        return {column.name: column.write(record) for column in self.columns if column.exported}

    def prefetch(self, rows: list[dict[str, Any]], ctx: ImportContext) -> None:
        """Optional, for speed only: looks up at once what checking these parsed rows of one
        file would otherwise look up row by row, and keeps each answer under the key its
        ``ctx.remember`` uses (so the rows' own look-ups find it there)."""

    def apply_all(
        self, rows: list[tuple[int, dict[str, Any]]], ctx: ImportContext
    ) -> Sequence[tuple[models.Model, Action]] | None:
        """Optional, for speed only: applies every checked row of one file (``(row number,
        values)``) at once, with what ``find``, ``is_unchanged``, ``create`` and ``update`` would
        do row by row, and returns each record written with its action, in row order. None: the
        rows are applied one by one. Raising ``BulkApplyError``, ``ValidationError`` or a
        database error undoes the attempt and applies the rows one by one, which finds the
        failing row and says what is wrong with it, as it always did."""
        return None

    def find(self, values: dict[str, Any], ctx: ImportContext) -> models.Model | None:
        raise NotImplementedError

    def is_unchanged(self, obj: Any, values: dict[str, Any], ctx: ImportContext) -> bool:
        """Whether ``obj`` already holds the row: every compared column the file has states
        what the record holds (a ``keep_if_missing`` column left out of the file is skipped)."""
        return all(
            column.same(obj, values[column.name]) for column in self.columns if column.compared
        )

    def create(self, values: dict[str, Any], ctx: ImportContext) -> models.Model:
        raise NotImplementedError

    def update(self, obj: Any, values: dict[str, Any], ctx: ImportContext) -> models.Model:
        raise NotImplementedError

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return key_of(values, self.natural_key)

    def column(self, name: str) -> Column:
        """This kind's column called ``name``."""
        return next(column for column in self.columns if column.name == name)


def key_of(values: dict[str, Any], names: Iterable[str]) -> tuple[Any, ...]:
    """The comparable key of these values' ``names`` (text without case or surrounding space)."""
    return tuple(_key_part(values.get(name)) for name in names)


def _key_part(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, models.Model):
        return (type(value).__name__, value.pk)
    return value


def check_file(importer: Importer, name: str, content: bytes, ctx: ImportContext) -> FilePlan:
    """Reads and validates every row of one file without writing; collects every error."""
    plan = FilePlan(importer, name)
    refusal = importer.refuse(ctx)
    if refusal:
        plan.errors.append(RowError(None, None, refusal))
        return plan
    try:
        table = read_table(name, content)
    except UnreadableFileError as error:
        plan.errors.append(RowError(None, None, str(error)))
        return plan
    if not table.rows:
        plan.errors.append(RowError(None, None, f"{name} has a header row but no rows below it."))
        return plan
    positions = _match_headers(importer, table.headers, plan)
    # a wrong header does not stop the checks of the columns that are there: every problem of
    # the file is listed at once (the rules across columns wait for a complete header)
    header_wrong = bool(plan.errors)
    for number, index, formula in table.formula_cells:
        column = table.headers[index].strip() if index < len(table.headers) else f"#{index + 1}"
        plan.errors.append(
            RowError(number, column, f"contains a formula ({formula[:40]}); paste values only.")
        )
    formula_rows = {number for number, _index, _formula in table.formula_cells}
    parsed = []
    for position, (number, cells) in enumerate(table.rows, start=1):
        if number in formula_rows:
            continue
        raw = {
            column.name: (
                cells[positions[column.name]] if positions[column.name] < len(cells) else ""
            )
            for column in importer.columns
            if column.name in positions
        }
        parsed.append((position, number, raw, *_parse_row(importer, raw, number, ctx)))
    if header_wrong:
        plan.errors.extend(error for *_, errors in parsed for error in errors)
        return plan
    importer.prefetch([values for *_, values, errors in parsed if not errors], ctx)
    seen: dict[tuple[Any, ...], int] = {}
    for position, number, raw, values, parse_errors in parsed:
        action = None
        if not parse_errors and importer.compares_before_checking:
            action = _action(importer, values, ctx)
        ctx.row_unchanged = action == "unchanged"
        errors = parse_errors or [
            RowError(number, column, message) for column, message in importer.check_row(values, ctx)
        ]
        ctx.row_unchanged = False
        plan.errors.extend(errors)
        if errors:
            continue
        key = importer.key_of(values)
        if key in seen:
            plan.errors.append(
                RowError(
                    number,
                    importer.natural_key[0],
                    f"repeats row {seen[key]} ({', '.join(importer.natural_key)} must be unique in a file).",
                )
            )
            continue
        seen[key] = number
        row = RowPlan(number, raw, values)
        row.action = action or _action(importer, values, ctx)
        plan.rows.append(row)
        if position % 200 == 0:
            ctx.progress(position)
    ctx.progress(len(table.rows))
    ctx.pending.setdefault(importer.kind, set()).update(
        importer.key_of(row.values) for row in plan.rows if row.action == "create"
    )
    return plan


def _match_headers(importer: Importer, headers: list[str], plan: FilePlan) -> dict[str, int]:
    expected = {column.name: column for column in importer.columns}
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = header.strip().lower()
        if not name:
            continue
        if name not in expected:
            known = ", ".join(expected)
            hint = suggestions.did_you_mean(name, {column: column for column in expected})
            plan.errors.append(
                RowError(
                    1,
                    header.strip(),
                    f"is not a column of {importer.kind} imports; the columns are: {known}.{hint}",
                )
            )
        elif name in positions:
            plan.errors.append(RowError(1, header.strip(), "appears twice in the header row."))
        else:
            positions[name] = index
    for column in importer.columns:
        if column.required and column.name not in positions:
            plan.errors.append(
                RowError(1, column.name, "is missing from the header row; it is required.")
            )
    return positions


def _parse_row(
    importer: Importer, raw: dict[str, str], number: int, ctx: ImportContext
) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for column in importer.columns:
        if column.keep_if_missing and column.name not in raw:
            values[column.name] = KEEP
            continue
        if column.required and column.name not in raw:
            continue  # the header row already says the column is missing
        text = raw.get(column.name, "").strip()
        if not text:
            if column.required:
                errors.append(RowError(number, column.name, "is empty; a value is required."))
            values[column.name] = column.default
            continue
        try:
            values[column.name] = column.parse(text, ctx)
        except ImportCellError as error:
            errors.append(RowError(number, column.name, str(error)))
    return values, errors


def _action(importer: Importer, values: dict[str, Any], ctx: ImportContext) -> Action:
    if any(isinstance(value, Pending) for value in values.values()):
        return "create"
    existing = importer.find(values, ctx)
    if existing is None:
        return "create"
    return "unchanged" if importer.is_unchanged(existing, values, ctx) else "update"


@dataclass
class BatchResult:
    plans: list[FilePlan]
    applied: bool
    records: list[tuple[models.Model, Action, str]] = field(default_factory=list)
    apply_errors: list[RowError] = field(default_factory=list)

    @property
    def errors(self) -> list[RowError]:
        named = len(self.plans) > 1
        return [
            RowError(error.row, error.column, error.message, plan.name if named else None)
            for plan in self.plans
            for error in plan.errors
        ] + self.apply_errors

    def counts(self) -> dict[str, int]:
        """Rows to create, update and leave unchanged, as the check found them; an applied
        import that wrote nothing (another import of the same rows got there between this
        one's check and its apply) left every row unchanged and says so."""
        totals = {"create": 0, "update": 0, "unchanged": 0}
        for plan in self.plans:
            for key, value in plan.counts().items():
                totals[key] += value
        if self.applied and not self.records:
            return {"create": 0, "update": 0, "unchanged": sum(totals.values())}
        return totals


def run_batch(
    files: Iterable[tuple[Importer, str, bytes]], ctx: ImportContext, *, dry_run: bool
) -> BatchResult:
    """Checks every file (in the order given), then — unless it is a dry run or anything is
    wrong — applies them all in one transaction. Nothing is written when any row has an error,
    and an error while applying rolls every file back. A field value found valid while
    checking is not validated again while applying (``constraint_check.proofs_kept``)."""
    with constraint_check.proofs_kept():
        return _run_batch(files, ctx, dry_run=dry_run)


def _run_batch(
    files: Iterable[tuple[Importer, str, bytes]], ctx: ImportContext, *, dry_run: bool
) -> BatchResult:
    plans = [check_file(importer, name, content, ctx) for importer, name, content in files]
    result = BatchResult(plans, applied=False)
    if dry_run or any(plan.errors for plan in plans):
        return result
    ctx.applying = True
    ctx.cache.clear()
    try:
        with transaction.atomic():
            for position, plan in enumerate(plans):
                result.records.extend(_apply_file(plan, ctx, first=position == 0))
    except ImportApplyError as error:
        result.records = []
        result.apply_errors = error.errors
        return result
    result.applied = True
    return result


def _apply_file(
    plan: FilePlan, ctx: ImportContext, *, first: bool = False
) -> list[tuple[models.Model, Action, str]]:
    """The file's rows applied at once when its importer can (``apply_all``), else (or when
    that fails, undone) one by one. ``first``: no file of the batch was applied before it."""
    importer = plan.importer
    if type(importer).apply_all is Importer.apply_all:
        return [record for row in plan.rows for record in _apply_row(plan, row, ctx)]
    remembered = dict(ctx.cache)
    try:
        with transaction.atomic():
            rows = []
            for row in plan.rows:
                values, errors = _values_to_apply(plan, row, ctx, first)
                if errors:
                    raise BulkApplyError  # one by one names the row, as it always has
                rows.append((row.number, values))
            applied = importer.apply_all(rows, ctx)
    except (BulkApplyError, ValidationError, DatabaseError):
        applied = None
        ctx.cache.clear()  # as before the attempt: it may have remembered records undone
        ctx.cache.update(remembered)
    if applied is not None:
        return [(record, action, importer.kind) for record, action in applied]
    return [record for row in plan.rows for record in _apply_row(plan, row, ctx)]


def _values_to_apply(
    plan: FilePlan, row: RowPlan, ctx: ImportContext, first: bool
) -> tuple[dict[str, Any], list[RowError]]:
    """For ``apply_all`` (which is given every row before it writes any): the row's values as
    checked when nothing can have changed what its cells name since — the first file of the
    batch (nothing written yet) and values that name only records that exist (none pending,
    none unsaved). Otherwise its cells parsed again, now that the batch's earlier files are
    written (a pending reference must exist now, an academic year is created). Parsing the
    same cells against the same records gives the same values, so this saves reading every
    cell twice (docs/0025 section 8)."""
    if first and _settled(row.values):
        return row.values, []
    return _parse_row(plan.importer, row.cells, row.number, ctx)


def _settled(values: dict[str, Any]) -> bool:
    """Whether no value is pending or an unsaved record (in a list of values either)."""
    for value in values.values():
        for part in value if isinstance(value, list | tuple | set | frozenset) else (value,):
            if isinstance(part, Pending) or (
                isinstance(part, models.Model) and (part._state.adding or part.pk is None)
            ):
                return False
    return True


def _apply_row(
    plan: FilePlan, row: RowPlan, ctx: ImportContext
) -> list[tuple[models.Model, Action, str]]:
    # parsed again: the file's earlier rows, written by now, may be records its cells name
    values, errors = _parse_row(plan.importer, row.cells, row.number, ctx)
    if errors:  # a reference that was pending when checked must exist now
        raise ImportApplyError([RowError(e.row, e.column, e.message, plan.name) for e in errors])
    importer = plan.importer
    try:
        existing = importer.find(values, ctx)
        if existing is None:
            return [(importer.create(values, ctx), "create", importer.kind)]
        if importer.is_unchanged(existing, values, ctx):
            return []
        return [(importer.update(existing, values, ctx), "update", importer.kind)]
    except ValidationError as error:
        raise ImportApplyError(_validation_errors(error, row.number, plan.name)) from error


def as_columns(error: ValidationError, names: dict[str, str], default: str) -> ValidationError:
    """A service's error with its field names turned into an import's column names (``names``
    maps those that differ); errors of no field are put on the ``default`` column."""
    if not hasattr(error, "error_dict"):
        return ValidationError({default: error.messages})
    return ValidationError(
        {
            names.get(name, default if name == "__all__" else name): messages
            for name, messages in error.message_dict.items()
        }
    )


def model_problems(
    instance: models.Model,
    *,
    exclude: Iterable[str],
    default: str,
    names: Mapping[str, str] | None = None,
) -> list[tuple[str, str]]:
    """What the model's own rules (``full_clean``, without the fields in ``exclude``) find
    wrong with an unsaved ``instance`` built from a row, as ``check_row`` problems: each field's
    errors on its column (``names`` maps field names that differ from column names), errors of
    no field on the ``default`` column. So a dry run finds them before anything is written."""
    try:
        # full_clean's checks, with fewer queries (a check per constraint and per record
        # looked up cost more than the rest of checking a row)
        constraint_check.full_clean(instance, exclude=exclude)
    except ValidationError as error:
        return [
            (column, message)
            for column, messages in as_columns(
                error, dict(names or {}), default
            ).message_dict.items()
            for message in messages
        ]
    return []


def _validation_errors(error: ValidationError, number: int, name: str) -> list[RowError]:
    if hasattr(error, "error_dict"):
        return [
            RowError(number, None if field == "__all__" else field, message, name)
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [RowError(number, None, message, name) for message in error.messages]


class BulkApplyError(Exception):
    """Raised by ``Importer.apply_all`` to have its file's rows applied one by one instead."""


class ImportApplyError(Exception):
    """A service refused a row while applying; everything was rolled back."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(str(error) for error in errors))
        self.errors = errors
