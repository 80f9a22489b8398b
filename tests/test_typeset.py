"""Typesetting for phones: what must not break across lines, and tables whose cells name their column."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.safety import LinkPolicy
from generator.typeset import NBSP, Typeset, nonbreaking


@pytest.mark.parametrize(
    "text, kept",
    [
        ("bokføringsloven § 13 gjelder", "§ 13"),
        ("etter §§ 5-1 og 5-2", "§§ 5-1"),
        ("fra 4. januar 2027", "4. januar 2027"),
        ("from 4 January 2027 on", "4 January 2027"),
        ("i 5 år etter kjøpet", "5 år"),
        ("for 3 years and 6 months", "6 months"),
        ("betal kr 1 500 innen", "kr 1 500"),
        ("org.nr. 927 461 536", "927 461 536"),
        ("ring +47 55 21 40 00 i dag", "+47 55 21 40 00"),
        ("artikkel art. 6 nr. 1 bokstav f", "art. 6"),
        ("artikkel art. 6 nr. 1 bokstav f", "nr. 1"),
        ("artikkel art. 6 nr. 1 bokstav f", "bokstav f"),
    ],
)
def test_units_a_line_must_not_split(text, kept):
    assert kept.replace(" ", NBSP) in nonbreaking(text)


def test_ordinary_words_still_break():
    assert nonbreaking("I 2024 hadde vi 12 ansatte i Bergen") == "I 2024 hadde vi 12 ansatte i Bergen"


@given(st.text())
def test_only_spaces_ever_change(text):
    out = nonbreaking(text)
    assert len(out) == len(text)
    assert all(a == b or (a == " " and b == NBSP) for a, b in zip(text, out))


def html(source: str) -> str:
    return markdown.markdown(source, extensions=["tables", LinkPolicy(), Typeset()])


def test_every_cell_carries_its_column_name_and_wide_tables_are_marked():
    out = html("| Navn | Varighet |\n|---|---|\n| `_ga_ABC123DEF` | 2 år |")
    assert '<td data-label="Navn">' in out and '<td data-label="Varighet">2\u00a0år</td>' in out
    assert "data-wide" not in out
    wide = html("| a | b | c | d | e |\n|---|---|---|---|---|\n| 1 | 2 | 3 | 4 | 5 |")
    assert "<table data-wide" in wide


def test_long_identifiers_break_after_separators_and_code_keeps_its_spaces():
    out = html("Cookie `_ga_ABC123DEF_long` and `a b 5 år`.")
    assert "<code>_<wbr />ga_<wbr />ABC123DEF_<wbr />long</code>" in out
    assert "<code>a b 5 år</code>" in out  # code is shown as written


def test_markup_from_content_stays_escaped():
    out = html("Navn &lt;script&gt; § 13")
    assert "&lt;script&gt;" in out and "<script>" not in out
