"""Whole builds through the real `privacy-notice build`, asserting on the HTML a reader gets."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import pytest

from generator.content import load_notice
from generator.releases import load_log, make_release
from generator.render import SECTION_ORDER, anchor
from tests import factories as f
from tests.site import REPO, build, mkdocs_yml, page, third_party_references

pytestmark = pytest.mark.build
TODAY = "2026-01-01"


@pytest.fixture(scope="module")
def draft_site(tmp_path_factory) -> Path:
    """Content that was never released: the site shows it as a draft."""
    root = tmp_path_factory.mktemp("draft")
    d = f.data()
    d["purposes"][0]["description"] = {
        "nb": "Vi svarer på spørsmål. <script>alert('x')</script>",
        "en": "We answer [questions](javascript:alert(1)). <img src=https://evil.example/x.png onerror=alert(1)>",
    }
    f.write_content(root / "content", d)
    build(mkdocs_yml(root), today=TODAY)
    return root / "site"


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """Three releases: v1 superseded, v2 (significant) in force on TODAY, v3 announced for 2026-03-01."""
    root = tmp_path_factory.mktemp("released")
    content = f.write_content(root / "content")
    make_release(content, effective=dt.date(2025, 1, 1), announced=dt.date(2024, 12, 1))
    d = f.data()
    d["retention"][0]["period"] = "P5Y"
    d["recipients"].append({"id": "mailchimp", "name": "Intuit Mailchimp", "kind": "processor", "service": {"nb": "nyhetsbrev", "en": "newsletters"}, "locations": ["US"], "transfer": {"safeguard": "scc"}})
    d["purposes"][0]["recipients"].append("mailchimp")
    f.write_content(content, d)
    make_release(content, effective=dt.date(2025, 6, 1), announced=dt.date(2025, 4, 1))
    d["recipients"][0]["service"] = {"nb": "e-post, kalender og dokumenter", "en": "e-mail, calendar and documents"}
    f.write_content(content, d)
    make_release(content, effective=dt.date(2026, 3, 1), announced=dt.date(2025, 12, 15))
    build(mkdocs_yml(root), today=TODAY)
    return root


def test_both_languages_with_their_lang_attribute(draft_site):
    for lang in ("nb", "en"):
        html = page(draft_site, f"{lang}/index.html")
        assert html.find("html")[0]["lang"] == lang
    assert "Personvernerklæring" in page(draft_site, "nb/index.html").text
    assert "Privacy notice" in page(draft_site, "en/index.html").text
    assert "Søk" in page(draft_site, "nb/index.html").text or page(draft_site, "nb/index.html").find("input", placeholder="Søk")


def test_hreflang_pairs_point_at_each_translation(released):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {u.find("s:loc", ns).text: {l.get("hreflang"): l.get("href") for l in u.findall("x:link", ns)} for u in ET.parse(released / "site/sitemap.xml").getroot()}
    base = "https://example.org/privacy/"
    for path in ("nb/", "en/versions/1/", "nb/versions/2/changes/", "en/changelog/"):
        other = path.replace("nb/", "xx/").replace("en/", "nb/").replace("xx/", "en/")
        assert urls[base + path] == {"nb": base + (path if path.startswith("nb") else other), "en": base + (path if path.startswith("en") else other)}
    for lang in ("nb", "en"):  # the switch links carry hreflang too
        switch = {a["hreflang"] for a in page(released / "site", f"{lang}/index.html").find("a") if "md-select__link" in a.get("class", "")}
        assert switch == {"nb", "en"}


def test_every_section_is_present_with_language_neutral_anchors(draft_site):
    for lang in ("nb", "en"):
        ids = page(draft_site, f"{lang}/index.html").ids()
        expected = {anchor(s) for s in SECTION_ORDER if s not in ("security", "marketing")}  # the fixture has neither
        assert expected <= ids, expected - ids


def test_one_table_row_per_recipient(released):
    html = (released / "site/en/versions/2/index.html").read_text(encoding="utf-8")
    section = html[html.index('id="recipients"') : html.index('id="transfers"')]
    rows = re.findall(r"<tr>", section)
    assert len(rows) - 1 == 2  # header + Microsoft + Mailchimp
    assert "Intuit Mailchimp" in section and "Standard contractual clauses" in section


def test_dates_in_each_languages_own_form(released):
    assert "1. juni 2025" in page(released / "site", "nb/versions/2/index.html").text
    assert "1 June 2025" in page(released / "site", "en/versions/2/index.html").text


def test_durations_in_words(draft_site):
    assert "3 år etter siste kontakt" in page(draft_site, "nb/index.html").text
    assert "3 years after the last contact" in page(draft_site, "en/index.html").text


def test_unreleased_content_is_marked_as_draft(draft_site):
    assert "Utkast – ikke publisert" in page(draft_site, "nb/index.html").text


def test_nothing_is_loaded_from_another_host(draft_site, released):
    assert third_party_references(draft_site) == []
    assert third_party_references(released / "site") == []


def test_script_and_links_from_yaml_are_inert(draft_site):
    nb = (draft_site / "nb/index.html").read_text(encoding="utf-8")
    en = (draft_site / "en/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in nb and "&lt;script&gt;alert" in nb
    assert "javascript:" not in en
    assert "evil.example" not in " ".join(a.get("src", "") for a in page(draft_site, "en/index.html").find("img"))


def test_language_switch_lands_on_the_same_page(released):
    site = released / "site"
    for path in ("nb/versions/1/index.html", "nb/changelog/index.html", "nb/index.html"):
        links = [a for a in page(site, path).find("a") if "md-select__link" in a.get("class", "")]
        target = {a["hreflang"]: a["href"] for a in links}["en"]
        resolved = urljoin("https://example.org/privacy/" + path, target)
        assert resolved == "https://example.org/privacy/" + path.replace("nb/", "en/", 1).replace("index.html", "")


def test_current_version_is_shown_with_the_upcoming_one_announced(released):
    html = page(released / "site", "en/index.html")
    assert "Version 2" in html.text
    assert "takes effect on 1 March 2026" in html.text
    assert any(a.get("href", "").endswith("versions/3/") for a in html.find("a"))


def test_superseded_version_has_a_banner_linking_to_the_current(released):
    html = page(released / "site", "nb/versions/1/index.html")
    assert "er erstattet" in html.text
    hrefs = [a.get("href") for a in html.find("a")]
    assert "../../" in hrefs
    assert "Versjon 1" in html.text and "1. januar 2025" in html.text


def test_released_text_is_served_exactly_as_frozen(released):
    frozen = (released / "content/releases/1/en.md").read_text(encoding="utf-8")
    assert "Version 1" in frozen
    html = page(released / "site", "en/versions/1/index.html").text
    assert "Effective from 1 January 2025" in html


def test_change_log_lists_each_release_with_its_class(released):
    for lang, significant in (("nb", "Vesentlig endring"), ("en", "Significant change")):
        text = page(released / "site", f"{lang}/changelog/index.html").text
        assert text.index("3") < text.index("2") < text.rindex("1")  # newest first
        assert significant in text
    assert "Intuit Mailchimp" in page(released / "site", "en/changelog/index.html").text


def test_what_changed_page_has_structured_changes_and_word_diff(released):
    html = (released / "site/en/versions/2/changes/index.html").read_text(encoding="utf-8")
    text = page(released / "site", "en/versions/2/changes/index.html").text
    # The public reads plain words: the class, not the reviewer's rule ids.
    assert "Significant change" in text and "retention_longer" not in html and "recipient_added_abroad" not in html
    assert "Read version 2 (new)" in text and "Read version 1 (previous)" in text
    assert "<del>3</del>" in html and "<ins>5</ins>" in html


def test_atom_feed_per_language(released):
    for lang in ("nb", "en"):
        root = ET.parse(released / f"site/{lang}/feed.xml").getroot()
        ns = {"a": "http://www.w3.org/2005/Atom"}
        entries = root.findall("a:entry", ns)
        assert len(entries) == 3
        assert entries[0].find("a:link", ns).get("href") == f"https://example.org/privacy/{lang}/versions/3/"


def test_json_export_per_version(released):
    data = json.loads((released / "site/versions/2.json").read_text(encoding="utf-8"))
    assert data["version"] == 2 and data["effective"] == "2025-06-01" and data["significant"] is True
    assert data["content"]["organisation"]["name"] == "Fjelltopp Regnskap AS"
    assert {c["rule"] for c in data["changes"]} >= {"retention_longer", "recipient_added_abroad"}


def test_pages_are_never_written_into_docs_dir(draft_site):
    assert list((draft_site.parent / "content/pages").iterdir()) == []


def test_tampered_version_fails_the_build_naming_the_file_and_keeps_the_old_site(tmp_path):
    content = f.write_content(tmp_path / "content")
    make_release(content, effective=dt.date(2025, 1, 1), announced=dt.date(2024, 12, 1))
    config = mkdocs_yml(tmp_path)
    build(config, today=TODAY)
    before = (tmp_path / "site/en/index.html").read_bytes()
    frozen = content / "releases/1/nb.md"
    frozen.write_text(frozen.read_text(encoding="utf-8") + "\nEndret i ettertid.\n", encoding="utf-8")
    result = build(config, today=TODAY, check=False)
    assert result.returncode != 0
    assert "releases/1/nb.md" in result.stderr and "must not change" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "site/en/index.html").read_bytes() == before


def test_invalid_content_fails_the_build_with_located_errors(tmp_path):
    d = f.data()
    d["purposes"][0]["retention"] = "three_yaers"
    f.write_content(tmp_path / "content", d)
    result = build(mkdocs_yml(tmp_path), check=False)
    assert result.returncode != 0
    assert re.search(r"notice\.yaml:\d+:\d+: purposes\[customer_service\]\.retention: unknown id 'three_yaers'.*did you mean 'three_years'", result.stderr)
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


SHIPPED = [REPO / "content", *sorted((REPO / "examples").glob("*/"))]


@pytest.fixture(scope="module", params=SHIPPED, ids=lambda p: p.parent.name + "/" + p.name)
def shipped(request, tmp_path_factory):
    """The repository's own content and each example, built exactly as shipped (at a pinned date)."""
    root = tmp_path_factory.mktemp("shipped")
    build(mkdocs_yml(root, content=str(request.param)), today="2026-12-01")
    in_force = load_log(request.param).current(dt.date(2026, 12, 1))
    notice = in_force.notice if in_force else load_notice(request.param)  # what the current page shows
    return root / "site", notice


def test_shipped_content_builds_in_both_languages_with_every_section(shipped):
    site, notice = shipped
    for lang in notice.languages:
        html = page(site, f"{lang}/index.html")
        assert html.find("html")[0]["lang"] == lang
        ids = html.ids()
        for section in ("controller", "data", "purposes", "recipients", "retention", "cookies", "rights", "right-object", "complaints", "changes", "contact"):
            assert section in ids, (lang, section)
    assert third_party_references(site) == []


def test_shipped_content_has_one_row_per_recipient(shipped):
    site, notice = shipped
    for lang in notice.languages:
        html = (site / f"{lang}/index.html").read_text(encoding="utf-8")
        section = html[html.index('id="recipients"') : html.index('id="transfers"')]
        assert section.count("<tr>") - 1 == len(notice.recipients)


def test_repository_content_shows_its_history_and_the_announced_version(shipped):
    site, notice = shipped
    if not (site / "nb/versions/4/index.html").exists():
        pytest.skip("this shipped folder has no release history")
    assert "Versjon 3" in page(site, "nb/index.html").text  # in force on 2026-12-01
    assert "gjelder fra 4. januar 2027" in page(site, "nb/index.html").text  # version 4 announced
    log = page(site, "en/changelog/index.html").text
    assert "Significant change" in log and "Minor change" in log
    assert "Meldingssentralen AS" in page(site, "en/versions/4/changes/index.html").text
