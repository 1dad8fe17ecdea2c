"""The browser tests' copy check finds command-line syntax and internal codes in page text."""

from __future__ import annotations

import pytest

from tests.browser.helpers import machine_words


@pytest.mark.parametrize(
    ("copy", "found"),
    [
        ("Checking practice-educators", ["practice-educators"]),
        ("Run `practica import` again", ["`"]),
        ("Use practica import --no-invite", ["--no-invite"]),
        ("Fill in stage1_date", ["stage1_date"]),
        ("See the cpd-events report", ["cpd-events"]),
    ],
)
def test_machine_words_are_found(copy: str, found: list[str]) -> None:
    assert machine_words(copy) == found


@pytest.mark.parametrize(
    "copy",
    [
        "Your e-mail address",
        "A co-facilitating organisation",
        "Practice educators – Practica",
        "Download as CSV",
    ],
)
def test_plain_english_passes(copy: str) -> None:
    assert machine_words(copy) == []
