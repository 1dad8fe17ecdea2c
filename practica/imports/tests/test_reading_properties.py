"""Property tests: no file, however odd, crashes the reader; CSV tables written as Practica
writes them (cells neutralised, ``core.formulas``) read back exactly."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from practica.core.formulas import neutralise
from practica.imports.reading import UnreadableFileError, read_table


@given(st.binary(max_size=2048))
@settings(max_examples=300, deadline=None)
def test_arbitrary_bytes_are_read_or_refused_with_a_message(content: bytes) -> None:
    message = ""
    try:
        table = read_table("upload.csv", content)
    except UnreadableFileError as error:
        message = str(error)
        assert message.startswith("upload.csv ")
    else:
        assert isinstance(table.headers, list)


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).map(
    str.strip
)


@given(
    st.lists(st.lists(cell, min_size=3, max_size=3), min_size=1, max_size=30),
    st.sampled_from(["utf-8", "utf-8-sig"]),
)
@settings(max_examples=150, deadline=None)
def test_csv_tables_round_trip(rows: list[list[str]], encoding: str) -> None:
    header = ["alpha", "beta", "gamma"]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *([neutralise(c) for c in row] for row in rows)])
    table = read_table("t.csv", buffer.getvalue().encode(encoding))
    assert table.headers == header
    expected = [row for row in rows if any(cells for cells in row)]
    assert [cells for _number, cells in table.rows] == expected
