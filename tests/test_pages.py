"""The site plan as readers meet it: the short layer, the version record, the sub-processor notices.

Driven through pages.plan() (no MkDocs): what each page says, in both languages.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from generator.content import load_notice
from generator.pages import plan
from generator.releases import load_verified_log, make_release
from generator.render import render_notice
from generator.summary import render_summary
from tests import factories as f

TODAY = dt.date(2026, 1, 1)
ATOM = {"a": "http://www.w3.org/2005/Atom"}


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """v1 (2025-01-01) replaced by v2 (2025-06-01, in force), v3 announced for 2026-03-01 adding a sub-processor."""
    content = f.write_content(tmp_path_factory.mktemp("pages") / "content")
    d = f.data()
    d["organisation"]["roles"]["processor"] = {"description": {"nb": "Vi fører regnskap.", "en": "We keep accounts."}, "sub_processors": ["m365"]}
    f.write_content(content, d)
    make_release(content, effective=dt.date(2025, 1, 1), announced=dt.date(2024, 12, 1))
    d["retention"][0]["period"] = "P5Y"
    f.write_content(content, d)
    make_release(content, effective=dt.date(2025, 6, 1), announced=dt.date(2025, 4, 1))
    d["recipients"].append({"id": "postmark", "name": "Postmark <b>Ltd</b>", "kind": "processor", "service": {"nb": "e-postutsending.", "en": "sending e-mail."}, "locations": ["US"], "transfer": {"safeguard": "scc"}})
    d["organisation"]["roles"]["processor"]["sub_processors"].append("postmark")
    f.write_content(content, d)
    make_release(content, effective=dt.date(2026, 3, 1), announced=dt.date(2025, 12, 15))
    notice = load_notice(content)
    return {p.src_uri: p for p in plan(notice, load_verified_log(content), today=TODAY, site_url="https://example.org/p/")}


def test_short_layer_comes_first_and_links_the_right_to_object():
    notice = f.notice()
    for lang, heading, say_no in (("nb", "## Kort fortalt {#summary}", "Slik sier du nei"), ("en", "## In short {#summary}", "How to say no")):
        text = render_notice(notice, lang)
        assert text.index(heading) < text.index("{#controller}")  # before the detail
        summary = render_summary(notice, lang)
        assert say_no in summary and "](#right-object)" in summary
        # Every link in the short layer lands on a section of the full text.
        for anchor in {part.split(")")[0] for part in summary.split("](#")[1:]}:
            assert "{#" + anchor + "}" in text, anchor


def test_short_layer_names_each_purpose_and_the_transfers():
    notice = f.notice()
    summary = render_summary(notice, "en")
    for purpose in notice.purposes:
        assert f"[{purpose.name('en')}](#purpose-{purpose.id.replace('_', '-')})" in summary
    assert ("Transferred outside the EU/EEA" in summary) == bool(notice.transfers)


def test_a_version_frozen_before_the_short_layer_gets_it_on_the_current_page_only(pages):
    current = pages["en/index.md"].content
    assert "{#summary}" in current  # the fixture's releases were rendered with it; and the current page always has it
    assert current.count("{#summary}") == 1


def test_each_version_says_from_when_until_when_it_was_in_force(pages):
    assert "In force from 1 January 2025 up to and including 31 May 2025" in pages["en/versions/1/index.md"].content
    assert "Gjaldt fra 1.\u00a0januar 2025" not in pages["nb/versions/1/index.md"].content  # spaces are the HTML's job
    assert "Gjaldt fra 1. januar 2025 til og med 31. mai 2025" in pages["nb/versions/1/index.md"].content
    assert "It has been in force since 1 June 2025" in pages["en/versions/2/index.md"].content
    assert "takes effect on 1 March 2026" in pages["en/versions/3/index.md"].content
    assert pages["en/versions/1/index.md"].meta["print_footer"] == "Version 1 · In force from 1 January 2025 up to and including 31 May 2025"
    assert pages["en/index.md"].meta["print_footer"] == "Version 2 · In force from 1 June 2025"


def test_versions_table_has_until_class_and_what_changed(pages):
    table = pages["en/versions/index.md"].content
    assert "| Version | Effective from | In force until | Announced | Status | Class | Changes |" in table
    row1 = next(line for line in table.splitlines() if line.startswith("| [Version 1]"))
    assert "31 May 2025" in row1 and "First published version." in row1
    row2 = next(line for line in table.splitlines() if line.startswith("| [Version 2]"))
    assert "](2/changes/index.md)" in row2 and "| – |" in row2  # still in force: no end date


def test_change_log_marks_the_upcoming_version(pages):
    log = pages["en/changelog/index.md"].content
    v3, v2 = log.index("## Version 3"), log.index("## Version 2")
    assert "Upcoming – takes effect on 1 March 2026" in log[v3:v2]
    assert "Upcoming" not in log[v2:]


def test_superseded_versions_are_left_out_of_search_and_the_current_notice_comes_first(pages):
    assert pages["en/versions/1/index.md"].meta["search"] == {"exclude": True}
    assert pages["en/versions/2/index.md"].meta["search"] == {"exclude": True}  # the same text as en/
    assert pages["en/versions/3/index.md"].meta["search"] == {"exclude": False}
    assert pages["en/versions/3/index.md"].title == "Version 3 (upcoming)"
    assert pages["nb/index.md"].meta["search"]["boost"] > 1


def test_what_changed_speaks_plainly_and_labels_both_links(pages):
    text = pages["nb/versions/2/changes/index.md"].content
    assert "[Les versjon 2 (ny)](../index.md)" in text and "[Les versjon 1 (forrige)](../../1/index.md)" in text
    assert "Regel" not in text and "`" not in text  # no rule ids for the public


def test_sub_processor_page_announces_additions_with_their_date_and_escapes_names(pages):
    text = pages["en/subprocessors/index.md"].content
    announced = text[text.index("{#announced}") :]
    assert "**Postmark &lt;b&gt;Ltd&lt;/b&gt;** becomes a sub-processor on 1 March 2026 (sending e-mail, the United States)." in announced
    assert "Announced on 15 December 2025." in announced
    assert text.index("{#announced}") < text.index("{#subprocessor-changes}")  # before how to object
    assert "Postmark" not in text[: text.index("{#announced}")]  # today's list is today's


def test_sub_processor_feed_per_language(pages):
    for lang, word in (("nb", "underdatabehandler fra 1. mars 2026"), ("en", "becomes a sub-processor on 1 March 2026")):
        root = ET.fromstring(pages[f"{lang}/subprocessors/feed.xml"].content)
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
        [entry] = root.findall("a:entry", ATOM)
        assert word in entry.find("a:summary", ATOM).text
        assert "<b>" in entry.find("a:summary", ATOM).text  # XML-escaped in the file, the name as written once parsed
        assert entry.find("a:link", ATOM).get("href") == f"https://example.org/p/{lang}/versions/3/changes/"
        assert root.find("a:link[@rel='self']", ATOM).get("href") == f"https://example.org/p/{lang}/subprocessors/feed.xml"


def test_a_text_frozen_before_the_short_layer_gets_it_after_its_version_header():
    from generator.render import Stamp
    from generator.summary import insert_summary

    notice = f.notice()
    text = render_notice(notice, "nb", Stamp(1, dt.date(2025, 1, 1), dt.date(2024, 12, 1)))
    summary = render_summary(notice, "nb")
    frozen = text.replace(summary + "\n\n", "")  # as released before the short layer existed
    assert "{#summary}" not in frozen
    shown = insert_summary(frozen, notice, "nb")
    assert shown.index("{.notice-stamp}") < shown.index("## Kort fortalt {#summary}") < shown.index("{#controller}")
    assert insert_summary(shown, notice, "nb") == shown  # never twice
