"""Releases are legal records: refusals, atomicity, tamper detection, URL permanence, notifications."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import releases
from generator.errors import ContentError
from generator.notify import notifications
from generator.releases import ReleaseError, load_log, load_verified_log, make_release, missing_urls, verify
from tests import factories as f

D = dt.date
CLI = str(Path(sys.executable).parent / "privacy-notice")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below `folder` with its SHA-256: to prove nothing was written."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return f.write_content(tmp_path / "content")


def edit(content: Path, mutate) -> None:
    d = f.data()
    mutate(d)
    f.write_content(content, d)


def longer_retention(d):
    d["retention"][0]["period"] = "P5Y"


def test_first_release_freezes_source_and_rendered_text_with_checksums(content):
    plan = make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    assert plan.version == 1
    log = load_verified_log(content)
    release = log.latest
    assert (release.version, release.effective, release.announced) == (1, D(2025, 1, 1), D(2024, 12, 1))
    frozen, working = (content / "releases/1/notice.yaml").read_bytes(), (content / "notice.yaml").read_bytes()
    assert frozen.split(b"\n", 1)[1] == working.split(b"\n", 1)[1]  # line 1: the modeline, two folders deeper
    nb = (content / "releases/1/nb.md").read_text(encoding="utf-8")
    assert "Versjon 1" in nb and "1. januar 2025" in nb
    assert "Version 1" in (content / "releases/1/en.md").read_text(encoding="utf-8")
    for frozen in release.files.values():
        assert hashlib.sha256((content / frozen.path).read_bytes()).hexdigest() == frozen.sha256


def test_release_log_keeps_comments_and_key_order(content):
    make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    log_file = content / "releases.yaml"
    log_file.write_text(log_file.read_text(encoding="utf-8").replace("releases:", "# reviewed by legal 2024-12-01\nreleases:"), encoding="utf-8")
    edit(content, longer_retention)
    make_release(content, effective=D(2025, 3, 1), announced=D(2025, 1, 15))
    text = log_file.read_text(encoding="utf-8")
    assert "# reviewed by legal 2024-12-01" in text
    assert text.index("version: 1") < text.index("version: 2")
    first = text[text.index("version: 1") :]
    assert first.index("announced") < first.index("effective") < first.index("files")


def test_release_refuses_when_nothing_changed(content):
    make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    before = snapshot(content)
    with pytest.raises(ReleaseError, match="nothing changed since version 1"):
        make_release(content, effective=D(2025, 6, 1), announced=D(2025, 5, 1))
    assert snapshot(content) == before


def test_release_refuses_an_effective_date_not_after_the_previous(content):
    make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    edit(content, longer_retention)
    before = snapshot(content)
    with pytest.raises(ReleaseError, match="must be after version 1"):
        make_release(content, effective=D(2025, 1, 1), announced=D(2024, 11, 1), short_notice=("x", "y"))
    assert snapshot(content) == before


def test_release_refuses_a_folder_without_log_entry_that_holds_more_than_a_release_writes(content):
    (content / "releases/1").mkdir(parents=True)
    (content / "releases/1/minutes.docx").write_text("not ours", encoding="utf-8")
    with pytest.raises(ReleaseError, match=r"releases/1 is in .*releases/ but not in releases.yaml.*move it out"):
        make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    assert not (content / "releases.yaml").exists()
    assert (content / "releases/1/minutes.docx").read_text(encoding="utf-8") == "not ours"


def test_release_removes_what_an_interrupted_release_left_and_check_reports_it_first(content):
    first = make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    assert first.recovered == ()
    edit(content, longer_retention)
    (content / "releases/2").mkdir()  # killed after the rename, before the log entry (the commit point)
    (content / "releases/2/notice.yaml").write_text("half", encoding="utf-8")
    (content / "releases/.2.staging-x").mkdir()
    (content / ".releases.yaml.tmp1").write_text("half", encoding="utf-8")
    from generator.check import check_all

    problems = [str(p) for p in check_all(content)]
    assert any(re.search(r"releases/2:1:1: .*releases/2/ has no entry in releases.yaml.*privacy-notice release. removes", p) for p in problems), problems
    plan = make_release(content, effective=D(2025, 3, 15), announced=D(2025, 2, 1))
    assert plan.version == 2 and any(r.endswith("releases/2/") for r in plan.recovered)
    assert len(load_verified_log(content).releases) == 2
    assert not list(content.glob(".releases.yaml.*")) and not list((content / "releases").glob(".*"))


def test_significant_change_needs_the_notice_period_unless_overridden_with_a_reason(content):
    make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    edit(content, longer_retention)
    before = snapshot(content)
    with pytest.raises(ReleaseError, match="earliest effective date is 2025-03-03"):
        make_release(content, effective=D(2025, 2, 15), announced=D(2025, 2, 1))
    assert snapshot(content) == before
    make_release(content, effective=D(2025, 2, 15), announced=D(2025, 2, 1), short_notice=("required by a court order", "Kari Jus"))
    assert load_log(content).latest.short_notice == ("required by a court order", "Kari Jus")


def test_minor_change_needs_no_notice_period(content):
    make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    edit(content, lambda d: d["retention"][0].update(period="P2Y"))
    plan = make_release(content, effective=D(2025, 2, 2), announced=D(2025, 2, 1))
    assert not plan.significant


def test_an_error_mid_release_leaves_content_as_it_was(content, monkeypatch):
    make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    edit(content, longer_retention)
    before = snapshot(content)

    def disk_full(path, write):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(releases, "write_atomically", disk_full)
    with pytest.raises(OSError):
        make_release(content, effective=D(2025, 6, 1), announced=D(2025, 4, 1))
    assert snapshot(content) == before
    assert not (content / "releases/2").exists()
    assert not [p for p in (content / "releases").iterdir() if p.name.startswith(".")]


def test_edited_frozen_version_is_detected_naming_the_file(content):
    make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    frozen = content / "releases/1/en.md"
    frozen.write_text(frozen.read_text(encoding="utf-8").replace("Customer service", "Customer care"), encoding="utf-8")
    problems = verify(load_log(content).releases)
    assert len(problems) == 1
    assert problems[0].file.endswith("releases/1/en.md") and "must not change" in problems[0].message
    with pytest.raises(ContentError):
        load_verified_log(content)


def test_diff_verifies_the_version_it_compares_against_and_check_verifies_all(content):
    make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    edit(content, lambda d: d["retention"][0].update(period="P5Y"))
    make_release(content, effective=D(2025, 6, 1), announced=D(2025, 4, 1))
    old = content / "releases/1/notice.json"
    old.write_text(old.read_text(encoding="utf-8").replace("P3Y", "P4Y"), encoding="utf-8")
    assert load_verified_log(content, latest_only=True).latest.version == 2  # a diff against version 2 may go on
    with pytest.raises(ContentError, match="releases/1/notice.json"):
        load_verified_log(content)  # check and build may not
    latest = content / "releases/2/notice.json"
    latest.write_text(latest.read_text(encoding="utf-8").replace("P5Y", "P6Y"), encoding="utf-8")
    with pytest.raises(ContentError, match="releases/2/notice.json"):
        load_verified_log(content, latest_only=True)


def test_deleted_frozen_file_is_detected(content):
    make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    (content / "releases/1/notice.yaml").unlink()
    assert "missing" in verify(load_log(content).releases)[0].message


def test_missing_published_url_is_reported(content, tmp_path):
    make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    log = load_log(content)
    assert "nb/versions/1/" in log.latest.urls and "versions/1.json" in log.latest.urls
    site = tmp_path / "site"
    for url in log.latest.urls:
        target = site / url / "index.html" if url == "" or url.endswith("/") else site / url
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x")
    assert missing_urls(log, site) == []
    (site / "en/versions/1/index.html").unlink()
    assert missing_urls(log, site) == ["/en/versions/1/"]


def test_notification_for_a_significant_release_lists_changes_and_links(content):
    make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    edit(content, longer_retention)
    make_release(content, effective=D(2025, 6, 1), announced=D(2025, 4, 1))
    log = load_log(content)
    found = {n.lang: n for n in notifications(log, log.latest, "https://example.org/privacy", sent=D(2025, 4, 2))}
    assert set(found) == {"nb", "en"}
    nb, en = found["nb"], found["en"]
    assert "1. juni 2025" in nb.subject and "1 June 2025" in en.subject
    assert "3 år" in nb.markdown and "5 år" in nb.markdown
    assert "https://example.org/privacy/en/versions/2/" in en.text
    assert "https://example.org/privacy/en/versions/1/" in en.text
    assert "[" not in en.text  # plain text has no Markdown links


def test_a_new_sub_processor_is_told_once(content):
    def as_processor(d):
        d["organisation"]["roles"]["processor"] = {"description": {"nb": "Vi drifter kundenes systemer.", "en": "We run our customers' systems."}, "sub_processors": ["m365"]}

    def add_mailchimp(d):
        as_processor(d)
        d["recipients"].append({"id": "mailchimp", "name": "Intuit Mailchimp", "kind": "processor", "service": {"nb": "nyhetsbrev", "en": "newsletters"}, "locations": ["IE"]})
        d["organisation"]["roles"]["processor"]["sub_processors"].append("mailchimp")

    edit(content, as_processor)
    make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    edit(content, add_mailchimp)
    make_release(content, effective=D(2025, 6, 1), announced=D(2025, 4, 1))
    log = load_log(content)
    assert {"recipient_added", "sub_processor_added"} <= {c.rule for c in log.diff(log.latest).significant}  # legal sees both rules
    en = next(n for n in notifications(log, log.latest, None) if n.lang == "en")
    assert en.text.count("Intuit Mailchimp") == 1 and "\nNew sub-processors (suppliers that process data for us)\n" in en.text and "* Intuit Mailchimp: Newsletters. The data is processed in Ireland." in " ".join(en.text.split())


def test_minor_release_has_no_notification(content):
    make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    edit(content, lambda d: d["retention"][0].update(period="P2Y"))
    make_release(content, effective=D(2025, 2, 2), announced=D(2025, 2, 1))
    log = load_log(content)
    assert notifications(log, log.latest, None) == []
    out = subprocess.run([CLI, "notify", "--content", str(content)], capture_output=True, text=True)
    assert out.returncode == 0 and "no customer notice is needed" in out.stdout


def test_release_command_refuses_with_one_line_and_writes_nothing(content):
    subprocess.run([CLI, "release", "--content", str(content), "--effective", "2025-01-01", "--announced", "2024-12-01"], check=True, capture_output=True)
    before = snapshot(content)
    out = subprocess.run([CLI, "release", "--content", str(content), "--effective", "2025-06-01"], capture_output=True, text=True)
    assert out.returncode == 1
    assert out.stderr.strip().count("\n") == 0 and "nothing changed" in out.stderr and "Traceback" not in out.stderr
    assert snapshot(content) == before


def test_diff_command_exit_codes(content):
    subprocess.run([CLI, "release", "--content", str(content), "--effective", "2025-01-01", "--announced", "2024-12-01"], check=True, capture_output=True)
    same = subprocess.run([CLI, "diff", "--content", str(content)], capture_output=True, text=True)
    assert same.returncode == 0 and "no change to the notice" in same.stdout
    edit(content, longer_retention)
    changed = subprocess.run([CLI, "diff", "--content", str(content), "--format", "markdown"], capture_output=True, text=True)
    assert changed.returncode == 3
    assert changed.stdout.startswith("**Customer notification required: yes — 1 significant change")
    assert "<del>3</del> <ins>5</ins>" in changed.stdout


def test_a_new_sub_processor_outside_the_eea_is_told_once_with_its_country(content):
    log = released_with_new_sub_processor(content, locations=["US"], transfer={"safeguard": "scc"})
    assert {"recipient_added_abroad", "sub_processor_added"} <= {c.rule for c in log.diff(log.latest).significant}
    en = next(n for n in notifications(log, log.latest, None) if n.lang == "en")
    assert en.text.count("Intuit Mailchimp") == 1
    assert "processed in the United" in en.text and "relies on standard contractual" in en.text  # told with its country and basis


def released_with_new_sub_processor(content, **recipient):
    """Version 1 as a processor with one sub-processor; version 2 adds Mailchimp as a second one."""

    def as_processor(d):
        d["organisation"]["roles"]["processor"] = {"description": {"nb": "Vi drifter kundenes systemer.", "en": "We run our customers' systems."}, "sub_processors": ["m365"]}

    def add_mailchimp(d):
        as_processor(d)
        d["recipients"].append({"id": "mailchimp", "name": "Intuit Mailchimp", "kind": "processor", "service": {"nb": "nyhetsbrev", "en": "newsletters"}, **recipient})
        d["organisation"]["roles"]["processor"]["sub_processors"].append("mailchimp")

    edit(content, as_processor)
    make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    edit(content, add_mailchimp)
    make_release(content, effective=D(2025, 6, 1), announced=D(2025, 4, 1))
    return load_log(content)
