"""Typesetting for phones: what must not break across lines, and tables whose cells name their column."""

from __future__ import annotations

import re

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.safety import LinkPolicy
from generator.typeset import _MONTHS, _UNITS, NBSP, Typeset, nonbreaking


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


_WORDS = st.sampled_from(["§", "§§", "1", "27", "2027", "500", "+47", "٣", "a", "f", "x", "art", "art.", "Art.", "nr.", "no", "bokstav", "ledd",
                           "kap.", "januar", "May", "år", "days", "kr", "EUR", "€", "%", "é"])


@given(st.one_of(st.text(), st.lists(_WORDS, max_size=8).map(" ".join), st.lists(_WORDS.filter(lambda w: not any(c.isdigit() for c in w)), max_size=8).map(" ".join)))
def test_one_pass_of_all_rules_reads_as_each_rule_applied_in_turn(text):
    # The rules as first written, each its own substitution; nonbreaking runs them as one pattern.
    assert nonbreaking(text) == _one_rule_at_a_time(text)


_SPELLED_OUT = (
    (r"(§§?) (?=\d)", r"\1"),
    (r"\b(\d{1,2}\.?) (?=(?:" + _MONTHS + r")\b)", r"\1"),
    (r"\b(" + _MONTHS + r") (?=\d{4}\b)", r"\1"),
    (r"(\d) (?=(?:" + _UNITS + r")(?!\w))", r"\1"),
    (r"(?:\b(kr\.?|NOK|EUR|USD|SEK|DKK|GBP)|([€$])) (?=\d)", r"\1\2"),
    (r"(?<=\d) (?=\d{3}(?!\d))", ""),
    (r"(?<=\+\d\d) (?=\d)|(?<=\d\d) (?=\d\d(?!\d))", ""),
    (r"\b((?:[Aa]rt|nr|no|bokstav|ledd|kap)\.?) (?=\d|[a-h]\b)", r"\1"),
)


def _one_rule_at_a_time(text: str) -> str:
    for pattern, kept in _SPELLED_OUT:
        text = re.sub(pattern, kept + NBSP, text)
    return text


@pytest.mark.parametrize("word", ["art", "Art.", "nr", "nr.", "no", "bokstav", "ledd", "kap."])
def test_a_reference_by_letter_alone_is_typeset(word):
    # The one rule whose match needs no digit: "bokstav f" in a text without numbers.
    assert nonbreaking(f"etter {word} f i loven") == f"etter {word}{NBSP}f i loven"


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


_EDGED = st.tuples(st.sampled_from(["", " "]), st.lists(_WORDS, max_size=4).map(" ".join), st.sampled_from(["", " "])).map("".join)


@given(st.lists(st.one_of(st.text(), _EDGED), min_size=1, max_size=8))
def test_a_page_typeset_in_one_pass_reads_as_each_text_typeset_alone(texts):
    # The treeprocessor joins a page's texts to run the rules once; no rule may reach across texts.
    import xml.etree.ElementTree as ET

    from generator.typeset import _Typeset

    root = ET.Element("div")
    paragraph = ET.SubElement(root, "p")
    paragraph.text = texts[0]
    for i, text in enumerate(texts[1:]):
        child = ET.SubElement(paragraph, "em" if i % 2 else "strong")
        if i % 2:
            child.text = text
        else:
            child.tail = text
    _Typeset(None).run(root)
    seen = [paragraph.text] + [child.text if i % 2 else child.tail for i, child in enumerate(paragraph)]
    assert seen == [nonbreaking(text) for text in texts]


def test_nothing_inside_pre_script_or_style_is_touched_and_what_follows_them_is():
    import xml.etree.ElementTree as ET

    from generator.typeset import _Typeset

    root = ET.Element("div")
    for tag in ("pre", "script", "style"):
        block = ET.SubElement(root, tag)
        block.text = "5 år"
        inner = ET.SubElement(block, "span")
        inner.text, inner.tail = "5 år", "5 år"
        block.tail = "5 år"
    _Typeset(None).run(root)
    for block in root:
        assert (block.text, block[0].text, block[0].tail) == ("5 år", "5 år", "5 år")
        assert block.tail == f"5{NBSP}år"
