"""A column's help shows the codes to type in <code>, the rest as escaped text."""

from __future__ import annotations

from practica.imports.templatetags.imports_tags import codes, kind_title


def test_code_words_are_marked_and_the_rest_escaped() -> None:
    shown = codes("Placement needed next: shadowing | first_70 | final_100 <b>")
    assert shown == (
        "Placement needed next: shadowing | <code>first_70</code> | <code>final_100</code> "
        "&lt;b&gt;"
    )


def test_text_without_codes_is_only_escaped() -> None:
    assert codes("yes | no & maybe") == "yes | no &amp; maybe"


def test_a_kind_is_called_by_its_title() -> None:
    assert kind_title("placement-offers") == "placement offers"
    assert kind_title("batch") == "several files"
    assert kind_title("no-such-kind") == "no-such-kind"
