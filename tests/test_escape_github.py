"""GitHub-flavoured Markdown: text from content reaches a pull-request comment inert.

GitHub renders comments as GFM (tables, strikethrough, raw HTML) and then links some plain text:
@user and @org/team mentions, #12, owner/repo#12, GH-12, commit hashes, URLs and e-mail addresses
(but not inside code spans). markdown-it-py renders the Markdown part the way GitHub does; the
linking GitHub adds afterwards is checked with the patterns below on the rendered text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.diff import diff
from generator.escape import github_markdown
from generator.review import as_markdown_report, fit, review
from tests import factories as f
from tests.markup import parse
from tests.test_review import MARKDOWN

#: What GitHub turns into a link or a ping in rendered text.
GITHUB_AUTOLINKS = {
    "mention": re.compile(r"(?<![A-Za-z0-9`])@[A-Za-z0-9]"),
    "issue": re.compile(r"(?<![A-Za-z0-9&])#\d"),
    "repo issue": re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+#\d"),
    "GH-": re.compile(r"\bGH-\d", re.IGNORECASE),
    "url": re.compile(r"(https?|ftp)://|(mailto|xmpp):[A-Za-z0-9]", re.IGNORECASE),
    "www": re.compile(r"\bwww\.", re.IGNORECASE),
    "e-mail": re.compile(r"[A-Za-z0-9._+-]@[A-Za-z0-9-]+\.[A-Za-z]"),
    "commit": re.compile(r"\b[0-9a-fA-F]{7,40}\b"),
}

HOSTILE = "@acme/legal | #1 <img src=x>"


def autolinks(text: str) -> list[str]:
    return [name for name, pattern in GITHUB_AUTOLINKS.items() if pattern.search(text)]


def expected(text: str) -> str:
    """What a reader should see: the text itself, on one line (controls as spaces, no bidi overrides)."""
    text = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)
    return "".join(c for c in text if c not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


PIECES = list("@#/:|<>[]()!*_~`\\&;=-.+ \n\r\t\x00\x1b\u2028\u202egGhHwW") + ["GH-12", "www.", "https://", "@org/team", "owner/repo#3", "deadbeef1", "&amp;", "<img src=x>"]
ANY_TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=15).map("".join)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_escaped_text_renders_literally_inert_and_on_one_line(text):
    escaped = github_markdown(text)
    assert "\n" not in escaped and "\r" not in escaped
    for markdown, wrapper in (
        (escaped, "p"),
        (f"| a | b |\n|---|---|\n| {escaped} | x |", "td"),
        (f"> <ins>{escaped}</ins>", "ins"),
    ):
        rendered = parse(MARKDOWN.render(markdown))
        tags = {tag for tag, _ in rendered.tags}
        assert tags <= {"p", "table", "thead", "tbody", "tr", "th", "td", "blockquote", "ins"}, (text, tags)
        shown = "".join(rendered.text)
        if wrapper == "td":
            assert sum(1 for tag, _ in rendered.tags if tag == "tr") == 2  # the header and one row: no forged rows
        visible = shown.replace("\u2060", "")
        want = expected(text).replace("\u2060", "").strip()
        assert want in visible, (text, visible)
        assert autolinks(shown) == [], (text, shown)


def test_known_github_triggers_are_broken():
    for text in ("@octocat", "@acme/legal", "#12", "owner/repo#3", "GH-4", "gh-4", "https://evil.example", "www.evil.example", "a@b.no", "0123456789abcdef"):
        shown = "".join(parse(MARKDOWN.render(github_markdown(text))).text)
        assert shown.replace("\u2060", "").strip() == text
        assert autolinks(shown) == [], text


def hostile_notice() -> dict:
    d = f.data()
    d["recipients"][0]["name"] = HOSTILE
    d["recipients"][0]["service"] = {
        "nb": "e-post\nCustomer notification required: no",
        "en": "e-mail [click](https://evil.example) ![x](https://evil.example/x.png) @octocat GH-4 owner/repo#3 <b>bold</b> | x",
    }
    d["purposes"][0]["name"] = {"nb": "Kundeservice @team", "en": "Customer service `code` #5"}
    d["cookies"][0]["name"] = "sid`| @x #9"
    return d


def test_a_comment_with_hostile_content_pings_nobody_and_links_only_the_tool():
    base, new = f.notice(), f.notice(hostile_notice())
    report = review(base, new, diff(base, new), base_label="main @octocat #7", today=dt.date(2025, 1, 1), branch=True)
    markdown = as_markdown_report(report)
    assert "Customer notification required: yes" in markdown.splitlines()[0]  # a recipient renamed is a new party
    for text in (markdown, fit(markdown + "x" * 70000, 60000, "https://ci.example/run/1")):
        rendered = parse(MARKDOWN.render(text))
        links = [attrs.get("href") for tag, attrs in rendered.tags if tag == "a"]
        assert all(link == "https://ci.example/run/1" for link in links), links
        assert not [tag for tag, _ in rendered.tags if tag in ("img", "b", "script", "iframe")]
        shown = "".join(rendered.text)
        assert autolinks(shown) == [], [m.group(0) for p in GITHUB_AUTOLINKS.values() for m in p.finditer(shown)]
        lines = [line.strip() for line in shown.splitlines()]
        assert sum(1 for line in lines if line.startswith("Customer notification required")) == 1
        visible = shown.replace("\u2060", "")
        assert HOSTILE in visible and "&lt;" not in visible  # shown as written, nothing escaped twice
        text_part = visible[visible.index("Text as readers see it") :]
        assert f"Mottakere: Microsoft Ireland Operations Ltd {HOSTILE}" in text_part


def test_the_compared_with_label_in_a_no_change_headline_is_inert():
    # With no change the headline names what was compared: a ref or path the user gave, not content.
    base = f.notice()
    report = review(base, base, diff(base, base), base_label="main @octocat #7 <img src=x>", today=dt.date(2025, 1, 1), branch=True)
    markdown = as_markdown_report(report)
    rendered = parse(MARKDOWN.render(markdown))
    assert not [tag for tag, _ in rendered.tags if tag in ("a", "img")]
    first = "".join(rendered.text).splitlines()[0]
    assert first.startswith("Customer notification required: no") and autolinks(first) == []
    assert "main @octocat #7 <img src=x>" in first.replace("\u2060", "")
