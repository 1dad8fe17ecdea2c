"""Every import kind, registered by its app's ``importers`` module from ``AppConfig.ready()``."""

from __future__ import annotations

from practica.imports.framework import Importer

_IMPORTERS: dict[str, Importer] = {}


def register_importer[I: type[Importer]](cls: I) -> I:
    existing = _IMPORTERS.get(cls.kind)
    if existing is not None and type(existing) is not cls:
        raise ValueError(f"Two importers are called {cls.kind!r}")
    _IMPORTERS[cls.kind] = cls()
    return cls


def get_importer(kind: str) -> Importer:
    try:
        return _IMPORTERS[kind]
    except KeyError:
        raise LookupError(
            f"There is no import kind called {kind!r}; the kinds are: {', '.join(sorted(_IMPORTERS))}."
        ) from None


def all_importers() -> list[Importer]:
    return [_IMPORTERS[kind] for kind in dependency_order(list(_IMPORTERS))]


def dependency_order(kinds: list[str]) -> list[str]:
    """The kinds sorted so each comes after the kinds it depends on (stable otherwise)."""
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(kind: str) -> None:
        if kind in ordered:
            return
        if kind in visiting:
            raise ValueError(f"Import kinds depend on each other in a circle at {kind!r}")
        visiting.add(kind)
        for dependency in _IMPORTERS[kind].depends_on:
            if dependency in kinds:
                visit(dependency)
        visiting.discard(kind)
        ordered.append(kind)

    for kind in sorted(kinds):
        visit(kind)
    return ordered
