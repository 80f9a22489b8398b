"""Every escaping function of generator/escape.py, fed arbitrary text and read back by a real parser
for its format: the parser must see exactly one text node / value / cell holding the text, never markup."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from generator import escape

# Any text, lone surrogates and control characters included, plus the pieces attacks are made of.
PIECES = ["<", ">", "&", '"', "'", "</script>", "<img src=x onerror=alert(1)>", "]]>", "&amp;", "&#58;", "\r\n", "\n",
          "Bcc: x@evil.test", "\x1b[2K", "\x1b]0;t\x07", "\x9b", "\u202e", "\udc80", "=1+2", "@SUM(A1)", "[a](http://x)",
          "![i](http://x/i.png)", "*", "_", "`", "# ", "- ", "1. ", "|", "www.evil.test", "https://evil.test", "\\", "\x00", "\ufffe"]
TEXT = st.lists(st.one_of(st.text(), st.sampled_from(PIECES)), max_size=8).map("".join)


def _unsurrogate(value: str) -> str:
    return escape._SURROGATE.sub(escape.REPLACEMENT, value)


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.attrs = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append(dict(attrs))

    def handle_endtag(self, tag):
        self.tags.append("/" + tag)

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.tags.append("!--")


@given(TEXT)
def test_html_text_is_one_text_node(value):
    out = escape.html_text(value)
    out.encode("utf-8")
    parser = _Collect()
    parser.feed(f"<p>{out}</p>")
    parser.close()
    assert parser.tags == ["p", "/p"]
    assert "".join(parser.text) == escape._clean(value)


@given(TEXT)
def test_html_attribute_is_one_attribute(value):
    out = escape.html_attribute(value)
    for quote in ('"', "'"):
        parser = _Collect()
        parser.feed(f"<a title={quote}{out}{quote}>x</a>")
        parser.close()
        assert parser.tags == ["a", "/a"]
        assert parser.attrs == [{"title": escape._clean(value)}]


@given(TEXT)
def test_xml_text_parses_back(value):
    out = escape.xml_text(value)
    root = ET.fromstring(f'<?xml version="1.0" encoding="utf-8"?><feed title="{out}"><t>{out}</t></feed>'.encode("utf-8"))
    assert [child.tag for child in root] == ["t"]
    expected = escape._XML_NONCHAR.sub(escape.REPLACEMENT, escape._clean(value))
    assert (root[0].text or "") == expected
    assert root.get("title") == expected.replace("\n", " ").replace("\t", " ")  # XML normalises attribute whitespace


@given(st.recursive(st.none() | st.booleans() | st.integers() | TEXT, lambda inner: st.lists(inner) | st.dictionaries(TEXT, inner), max_leaves=10))
def test_json_round_trips_and_is_safe_in_a_script(value):
    out = escape.json_text(value)
    out.encode("utf-8")
    assert "<" not in out and ">" not in out and "&" not in out
    assert json.loads(out) == value


@given(st.lists(TEXT, min_size=1, max_size=4))
def test_csv_cells_read_back_and_never_start_a_formula(cells):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([escape.csv_cell(c) for c in cells])
    out.getvalue().encode("utf-8")
    (row,) = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert len(row) == len(cells)
    for cell, original in zip(row, cells):
        assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))
        assert cell.removeprefix("'") == escape._clean(original) or cell == escape._clean(original)


@given(TEXT)
def test_email_header_is_one_line(value):
    from email import message_from_string
    from email.policy import default

    subject = escape.email_header(value)
    subject.encode("utf-8")
    message = message_from_string(f"Subject: {subject}\nTo: a@example.test\n\nbody\n", policy=default)
    assert list(message.keys()) == ["Subject", "To"]
    assert message["To"] == "a@example.test"
    assert "\n" not in subject and "\r" not in subject


_COMMONMARK = MarkdownIt("commonmark", {"html": True, "linkify": False})


@given(TEXT)
def test_email_markdown_renders_as_its_own_text(value):
    out = escape.email_markdown(value)
    out.encode("utf-8")
    tokens = _COMMONMARK.parse(f"- {out}\n")
    inline = [t for t in tokens if t.type == "inline"]
    kinds = {child.type for t in inline for child in t.children or []}
    assert kinds <= {"text"}, kinds  # no link, image, emphasis, code, html, break
    shown = "".join(child.content for t in inline for child in t.children)
    expected = " ".join(escape._LINE_BREAKS.sub(" ", escape._clean(value)).split())
    # The escaper adds word joiners (U+2060) to break up addresses; the input may hold some of its own.
    assert shown.replace("\u2060", "") == expected.replace("\u2060", "")


@given(TEXT)
def test_terminal_shows_no_control_character(value):
    for keep in (False, True):
        out = escape.terminal(value, keep_newlines=keep)
        out.encode("utf-8")
        allowed = "\n" if keep else ""
        assert all(ch == allowed or (ord(ch) >= 0x20 and not 0x7F <= ord(ch) <= 0x9F) for ch in out)
        assert not any(ch in out for ch in escape.BIDI_CONTROLS)


def test_terminal_shows_escape_sequences_visibly():
    assert escape.terminal("x\x1b[2K\rvalid") == "x\\x1b[2K\\x0dvalid"
    assert escape.terminal("a\nb", keep_newlines=True) == "a\nb"


def test_examples_from_the_issue():
    assert escape.email_header("Acme AS\r\nBcc: everyone@example.test") == "Acme AS Bcc: everyone@example.test"
    assert escape.csv_cell("=HYPERLINK(\"http://x\")").startswith("'=")
    assert escape.html_text("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"


# -- front matter -------------------------------------------------------------------------------

_YAML_PIECES = ["---", "...", "\n---\n", ": ", "- ", "#", "!!python/name:os.system", "&a", "*a", "{", "}", "[", "]", ",", "\u2028", "\u2029",
                "\x85", "\ufeff", "\ufffe", "\uffff", "yes", "no", "~", "null", "1e5", "0x1F", "'", '"', "\\", "\t", "\U0001f600"]
_YAML_TEXT = st.lists(st.one_of(st.text(), st.sampled_from(_YAML_PIECES)), max_size=6).map("".join)
_META = st.recursive(
    st.one_of(_YAML_TEXT, st.booleans(), st.integers(), st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_YAML_TEXT, inner, max_size=3)),
    max_leaves=8,
)


def _cleaned(value):
    if isinstance(value, str):
        return escape._clean(value)
    if isinstance(value, dict):
        return {escape._clean(k): _cleaned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    return value


@given(st.dictionaries(_YAML_TEXT, _META, max_size=5), _YAML_TEXT)
def test_front_matter_reads_back_as_mkdocs_reads_it_whatever_it_holds(meta, body):
    from mkdocs.utils.meta import get_data

    page = escape.front_matter(meta) + "\n" + "# Body\n"
    text, read = get_data(page)
    expected = _cleaned(meta)
    if len({escape._clean(k) for k in meta}) != len(meta):
        return  # two keys that clean to the same text: the last one wins, as in any mapping
    assert read == expected and text.strip() == "# Body"
