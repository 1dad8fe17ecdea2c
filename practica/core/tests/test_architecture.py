"""The shape every app keeps (docs/0016-app-order.md, docs/0017-fail-loud-scoping.md): views
never query models, and every query that reads all organisations says why."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
INVENTORY = Path(__file__).with_name("unscoped_uses.txt")


def _modules() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    )


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("views.py")), ids=_name)
def test_views_call_selectors_and_never_query_models(path: Path) -> None:
    tree = ast.parse(path.read_text())
    queries = [
        f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager"}
    ]
    assert not queries, f"{_name(path)} queries models itself; ask a selector: {queries}"


def _constants(tree: ast.Module, *, follow: bool = True) -> dict[str, str]:
    """The module's text constants, and those it imports from other Practica modules."""
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in tree.body if follow else []:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("practica."):
            source = PACKAGE.parent / (node.module or "").replace(".", "/")
            path = (
                source.with_suffix(".py")
                if source.with_suffix(".py").exists()
                else source / "__init__.py"
            )
            if path.exists():
                imported = _constants(ast.parse(path.read_text()), follow=False)
                constants.update(
                    {
                        alias.asname or alias.name: imported[alias.name]
                        for alias in node.names
                        if alias.name in imported
                    }
                )
    return constants


def unscoped_uses() -> list[str]:
    """Every ``.unscoped(reason)`` and ``unscoped_block(reason)`` outside tests, as
    ``path: reason`` (a reason given as a module constant is read from it)."""
    uses = []
    for path in _modules():
        tree = ast.parse(path.read_text())
        constants = _constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            function = node.func
            called = (
                function.attr
                if isinstance(function, ast.Attribute)
                else getattr(function, "id", "")
            )
            if called not in {"unscoped", "unscoped_block"} or path.name == "scoping.py":
                continue
            argument = node.args[0] if node.args else None
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                reason = argument.value
            elif isinstance(argument, ast.Name) and argument.id in constants:
                reason = constants[argument.id]
            else:
                reason = f"!! line {node.lineno}: give the reason as text or a module constant"
            uses.append(f"{_name(path)}: {reason}")
    return sorted(uses)


def test_every_unscoped_query_gives_a_reason_of_its_own() -> None:
    short = [
        use for use in unscoped_uses() if len(use.split(": ", 1)[1].split()) < 4 or "!!" in use
    ]
    assert not short, "Say why no viewer applies, in a few words:\n" + "\n".join(short)


def test_the_unscoped_queries_are_the_reviewed_ones() -> None:
    """A new ``.unscoped()`` (or a changed reason) changes this list on purpose: add its line
    to unscoped_uses.txt, where review sees it; a removed one is taken out the same way."""
    found = unscoped_uses()
    listed = [
        line for line in INVENTORY.read_text().splitlines() if line and not line.startswith("#")
    ]
    added = sorted(set(found) - set(listed))
    removed = sorted(set(listed) - set(found))
    counts = {use: (found.count(use), listed.count(use)) for use in set(found) | set(listed)}
    changed = sorted(use for use, (now, then) in counts.items() if now != then and now and then)
    assert not (added or removed or changed), (  # noqa: PT018 - one report of the three lists
        "unscoped_uses.txt is out of date (python -m practica.core.tests.test_architecture "
        "rewrites it):\n"
        + "".join(f"  + {use}\n" for use in added)
        + "".join(f"  - {use}\n" for use in removed)
        + "".join(f"  ~ {use} (now {counts[use][0]}, listed {counts[use][1]})\n" for use in changed)
    )


HEADER = """\
# Every query that reads all organisations' rows, with the reason it gives (core/scoping.py).
# Checked by test_architecture.py; after reviewing a change, rewrite this list with
#   .venv/bin/python -m practica.core.tests.test_architecture
"""

if __name__ == "__main__":
    INVENTORY.write_text(HEADER + "".join(f"{use}\n" for use in unscoped_uses()))


def test_addresses_are_looked_up_the_way_their_indexes_are_built() -> None:
    """``email__iexact`` reads the whole table on PostgreSQL; ``email__address`` uses the
    lower(email) index (practica/core/addresses.py, docs/0025)."""
    found = [_name(path) for path in _modules() if "email__iexact" in path.read_text()]
    assert not found, f"use email__address, not email__iexact, in: {found}"
