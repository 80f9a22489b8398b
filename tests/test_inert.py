"""Property: any text a company can put in a name, a description or a clause override is inert in
every output. Whatever hypothesis writes there (that validation accepts), each output is read back
by a real parser for its format: the pages (Markdown as MkDocs renders it, then our sanitiser) by
html.parser, the Atom feeds by xml.etree, the JSON and JSON-LD by json, the record by csv; the text
comes back as text, and no element, attribute or link the company did not write appears."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import markdown
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.consistency import text_problem
from generator.errors import ContentError
from generator.exports import jsonld_text, ropa_csv
from generator.pages import plan
from generator.releases import load_verified_log, make_release
from generator.safety import LinkPolicy, link_allowed, sanitise_html
from tests import factories as f
from tests.markup import parse

PIECES = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>x</a>", "[x](javascript:alert(1))",
          "![i](https://evil.example/i.png)", "<https://evil.example>", "{: onclick=alert(1)}", "{#id .cls}", "&lt;script&gt;", "&#60;b&#62;",
          "\\", "*", "_", "`", "|", "# ", "- ", "1. ", "> ", "---", "]]>", "<!--", "-->", "<![CDATA[", "=cmd|' /C calc'!A0", "@SUM(1)",
          "+1", "-1", "\n", "\n\n", "    code", "$controller", "${version}", "\u00e6\u00f8\u00e5", "\U0001f600", "\u200b"]
# Mostly printable text (control characters are refused by validation, tests/test_corpus.py), sometimes any.
_CHARS = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=12)
TEXT = st.lists(st.one_of(_CHARS, st.sampled_from(PIECES), st.text(max_size=3)), min_size=1, max_size=6).map("".join)
FORBIDDEN_TAGS = {"script", "img", "iframe", "style", "object", "embed", "svg", "math", "form", "input", "link", "meta", "base"}


def _render(markdown_text: str) -> str:
    """The page content as the plugin makes it: MkDocs' Markdown with our extensions, then nh3."""
    md = markdown.Markdown(extensions=["tables", "attr_list", "toc", LinkPolicy()], extension_configs={"toc": {"permalink": True}})
    return sanitise_html(md.convert(markdown_text))


def _words(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=TEXT, description=TEXT, clause=TEXT)
def test_any_text_is_inert_in_every_output(tmp_path_factory, name, description, clause):
    assume(text_problem(name, multiline=False) is None and name.strip())
    assume(text_problem(description, multiline=True) is None and description.strip())
    assume(text_problem(clause, multiline=True) is None and clause.strip())
    d = f.data()
    d["organisation"]["name"] = name
    d["purposes"][0]["name"] = {"nb": name, "en": name}
    d["purposes"][0]["description"] = {"nb": description, "en": description}
    d["clauses"] = {"intro": {"nb": clause, "en": clause}}
    content = f.write_content(tmp_path_factory.mktemp("inert") / "content", d)
    try:
        make_release(content, effective=dt.date(2025, 1, 1), announced=dt.date(2024, 12, 1))
    except ContentError as exc:  # validation refused it: then it never reaches an output
        assume(False), exc
    log = load_verified_log(content)
    release = log.latest
    notice = release.notice
    pages = plan(notice, log, today=dt.date(2025, 6, 1), draft=True, site_url="https://example.org/privacy/")
    assert pages
    name_shown = False
    for page in pages:
        path = page.src_uri
        if page.is_markdown:
            parser = parse(_render(page.content))
            for tag, attrs in parser.tags:
                assert tag not in FORBIDDEN_TAGS, (path, tag)
                assert not any(a.lower().startswith("on") for a in attrs), (path, tag, attrs)
                assert link_allowed(attrs.get("href") or ""), (path, attrs)
            if path == "index.md":
                assert _words(name) in _words("".join(parser.text)), (name, "".join(parser.text)[:500])
                name_shown = True
        elif path.endswith(".xml"):
            feed = ET.fromstring(page.content.encode("utf-8"))
            author = feed.find("{http://www.w3.org/2005/Atom}author/{http://www.w3.org/2005/Atom}name")
            assert author is not None and author.text == name, path
        elif path.endswith(".json"):
            data = json.loads(page.content)
            assert data["content"]["organisation"]["name"] == name
            assert data["content"]["clauses"]["intro"]["en"] == clause
    assert name_shown
    graph = json.loads(jsonld_text(notice, base="https://example.org/privacy/versions/1.jsonld", version=1))
    assert graph["@graph"][0]["dpv:hasName"] == name
    for lang in notice.languages:
        rows = list(csv.reader(io.StringIO(ropa_csv(notice, lang), newline="")))
        purpose = rows[1][0]
        # The name as it is, or behind an apostrophe when it would start a formula (a name may itself start with one).
        assert purpose in (name, "'" + name) and not purpose.startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize("override", ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", '<a href="javascript:alert(1)">x</a>'])
def test_a_clause_override_with_html_is_shown_as_text(tmp_path, override):
    d = f.data()
    d["clauses"] = {"intro": {"nb": override, "en": override}}
    content = f.write_content(tmp_path / "content", d)
    from generator.content import load_notice

    pages = plan(load_notice(content), load_verified_log(content), today=dt.date(2025, 6, 1), draft=True)
    current = next(p for p in pages if p.src_uri == "en/index.md")
    parser = parse(_render(current.content))
    assert override in "".join(parser.text)
    assert not any(tag in ("img", "script") or any(a.startswith("on") for a in attrs) for tag, attrs in parser.tags)


def test_the_sanitiser_removes_script_even_from_html_the_renderer_let_through():
    frozen = '<p>Hei</p><script>alert(1)</script><img src=x onerror=alert(1)><p onclick="x" class="k">ok</p><a href="javascript:x">j</a>'
    out = _render("x") and sanitise_html(frozen)
    assert out == '<p>Hei</p><p class="k">ok</p><a>j</a>'
