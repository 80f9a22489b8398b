"""Standard wording: a change to our clause library (or labels, templates, package version) reaches
readers without any change in the content; the review shows it and a release may publish it alone."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from generator import clauses
from generator.diff import standard_wording
from generator.releases import ReleaseError, load_log, make_release, plan_release
from generator.review import as_markdown_report, as_text_report, review_release
from tests import factories as f
from tests.test_review import as_html

ERASURE_NB = "Du kan kreve sletting av opplysninger om deg"
ERASURE_EN = "You can have data about you erased"
INVERTED_NB = "Du kan ikke kreve sletting av opplysninger om deg"
INVERTED_EN = "You cannot have data about you erased"


@pytest.fixture
def library(tmp_path, monkeypatch):
    """A copy of the clause library that a test may edit; the real one stays untouched."""
    copy = tmp_path / "library"
    shutil.copytree(clauses.LIBRARY, copy)
    monkeypatch.setattr(clauses, "LIBRARY", copy)
    clauses.reload()
    yield copy
    clauses.reload()


def invert_erasure(library) -> None:
    path = library / "clauses.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(ERASURE_NB) == 1 and text.count(ERASURE_EN) == 1
    path.write_text(text.replace(ERASURE_NB, INVERTED_NB).replace(ERASURE_EN, INVERTED_EN), encoding="utf-8")
    clauses.reload()


@pytest.fixture
def released(tmp_path):
    content = f.write_content(tmp_path / "content")
    make_release(content, effective=dt.date(2025, 1, 1), announced=dt.date(2024, 12, 1))
    return content


def test_no_library_change_means_no_standard_wording_change(released, library):
    latest = load_log(released).latest
    report = review_release(latest, latest.notice, today=dt.date(2025, 2, 1))
    assert not report.changes
    assert report.headline() == "Customer notification required: no — no change to the notice against version 1 as published"


def test_a_clause_library_edit_is_reported_with_its_sentence_in_both_languages(released, library):
    invert_erasure(library)
    latest = load_log(released).latest
    report = review_release(latest, latest.notice, today=dt.date(2025, 2, 1))
    (change,) = report.changes.changes
    assert (change.key, change.rule, change.cls) == ("standard_wording.right-erasure", "standard_wording", "minor")
    assert ERASURE_NB in change.old["nb"] and INVERTED_NB in change.new["nb"]
    assert ERASURE_EN in change.old["en"] and INVERTED_EN in change.new["en"]
    assert "standard wording" in change.explanation["en"] and "Standardteksten" in change.explanation["nb"]
    assert report.headline().startswith("Customer notification required: no — 1 minor change only")
    html = as_html(as_markdown_report(report))
    assert "Standard wording (no change in the content)" in html
    assert "Du kan <ins>ikke</ins> kreve sletting" in html
    assert "You <del>can</del> <ins>cannot</ins> have data about you erased" in html
    text = as_text_report(report)
    assert "standard_wording.right-erasure" in text and INVERTED_EN in text


def test_release_publishes_standard_wording_alone_and_records_it(released, library):
    with pytest.raises(ReleaseError, match="nothing changed"):
        plan_release(released, effective=dt.date(2025, 3, 1), announced=dt.date(2025, 2, 1))
    invert_erasure(library)
    plan = make_release(released, effective=dt.date(2025, 3, 1), announced=dt.date(2025, 2, 1))
    assert plan.version == 2 and not plan.significant
    log = load_log(released)
    assert INVERTED_EN in log.latest.text("en") and INVERTED_NB in log.latest.text("nb")
    entry = (released / "releases.yaml").read_text(encoding="utf-8")
    assert "standard_wording:" in entry and "change: standard_wording.right-erasure" in entry
    assert INVERTED_EN in entry  # the sentences are part of the record
    # once published, the same wording is no change any more
    assert not review_release(log.latest, log.latest.notice, today=dt.date(2025, 4, 1)).changes


def test_standard_wording_can_be_reclassified_as_significant(released, library):
    from generator.diff import Reclassification

    invert_erasure(library)
    decision = Reclassification("standard_wording.right-erasure", "significant", "changes how the right is exercised", "Kari Jus")
    with pytest.raises(ReleaseError, match="must be announced at least 30 days"):
        plan_release(released, effective=dt.date(2025, 2, 10), announced=dt.date(2025, 2, 1), reclassifications=(decision,))
    plan = plan_release(released, effective=dt.date(2025, 3, 5), announced=dt.date(2025, 2, 1), reclassifications=(decision,))
    assert plan.significant


def test_a_change_in_one_language_of_the_library_is_flagged_as_drift():
    published = {"nb": "## Retter {#rights}\n\nDu kan klage.\n", "en": "## Rights {#rights}\n\nYou may complain.\n"}
    now = {"nb": published["nb"], "en": "## Rights {#rights}\n\nYou may not complain.\n"}
    (change,) = standard_wording(published, now).changes
    assert change.key == "standard_wording.rights" and change.drift == ("en",)
    assert change.old == {"en": "You may complain."} and change.new == {"en": "You may not complain."}


def test_content_and_standard_wording_are_told_apart(released, library):
    invert_erasure(library)
    d = f.data()
    d["purposes"][0]["name"] = {"nb": "Kundestøtte", "en": "Customer support"}
    latest = load_log(released).latest
    report = review_release(latest, f.notice(d), today=dt.date(2025, 2, 1))
    assert sorted(c.rule for c in report.changes.changes) == ["standard_wording", "wording"]


def test_the_change_log_of_a_standard_wording_release_lists_it(released, library):
    invert_erasure(library)
    make_release(released, effective=dt.date(2025, 3, 1), announced=dt.date(2025, 2, 1))
    log = load_log(released)
    (change,) = log.diff(log.latest).changes
    assert (change.key, change.rule, change.cls) == ("standard_wording.right-erasure", "standard_wording", "minor")
    assert "Erasure" in change.explanation["en"] and "Sletting" in change.explanation["nb"]
    assert INVERTED_EN in change.new["en"]


def test_a_label_edit_is_standard_wording_too(released, library):
    path = library / "labels.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("col_recipient: {nb: Mottaker, en: Recipient}") == 1
    path.write_text(text.replace("col_recipient: {nb: Mottaker, en: Recipient}", "col_recipient: {nb: Hvem, en: Who}"), encoding="utf-8")
    clauses.reload()
    latest = load_log(released).latest
    (change,) = review_release(latest, latest.notice, today=dt.date(2025, 2, 1)).changes.changes
    assert change.rule == "standard_wording" and "Who" in change.new["en"] and "Hvem" in change.new["nb"]
