"""Legal review in pull requests: the diff against a git ref, the comment limit, the workflow files."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from generator.releases import make_release
from tests import factories as f
from tests.site import REPO

MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])  # as GitHub renders comments


def as_html(markdown: str) -> str:
    """The report as GitHub would show it (invisible word joiners removed, so tests read the text)."""
    return MARKDOWN.render(markdown).replace("\u2060", "")

CLI = str(Path(sys.executable).parent / "privacy-notice")


def git(cwd: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout


def released_repo(tmp_path: Path, branch: str) -> tuple[Path, Path]:
    """A git repository whose main branch has released version 1, checked out on a new `branch`."""
    repo = tmp_path / "repo"
    content = f.write_content(repo / "content")
    git(repo, "init", "-q", "-b", "main")
    make_release(content, effective=dt.date(2025, 1, 1), announced=dt.date(2024, 12, 1))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "release 1")
    git(repo, "checkout", "-qb", branch)
    return repo, content


def test_pull_request_changing_a_processor_is_reported_significant_in_both_languages(tmp_path):
    repo, content = released_repo(tmp_path, "change-processor")
    d = f.data()
    d["recipients"][0].update(name="Google Cloud EMEA Ltd", service={"nb": "e-post og lagring", "en": "e-mail and storage"}, locations=["IE", "US"], transfer={"safeguard": "scc"})
    f.write_content(content, d)
    git(repo, "commit", "-qam", "switch e-mail provider")

    result = subprocess.run([CLI, "diff", "--content", "content", "--base", "main", "--format", "markdown"], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 3, result.stderr
    report = result.stdout
    first = report.splitlines()[0]
    assert first.startswith("**Customer notification required: yes — 2 significant changes")
    assert "earliest allowed effective date" in first
    assert "party_identity" in report and "safeguard_changed" in report and "Google Cloud EMEA Ltd" in report
    html = as_html(report)
    assert "Standard personvernbestemmelser (SCC)" in html and "Standard contractual clauses (SCCs)" in html
    nb = html[html.index("Text as readers see it — Norsk (bokmål)") :]
    assert "<del>Microsoft Ireland Operations</del> <ins>Google Cloud EMEA</ins> Ltd" in nb
    en = html[html.index("Text as readers see it — English") :]
    assert "<ins>e-mail and storage</ins>" in en or "<ins>storage</ins>" in en


def test_diff_against_an_unknown_ref_is_a_usage_error(tmp_path):
    repo = tmp_path / "repo"
    f.write_content(repo / "content")
    git(repo, "init", "-q")
    result = subprocess.run([CLI, "diff", "--content", "content", "--base", "no-such-branch"], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 2 and "no-such-branch" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("workflow", sorted((REPO / ".github/workflows").glob("*.yml")), ids=lambda p: p.name)
def test_workflows_are_valid_github_workflows(workflow):
    result = subprocess.run(
        [str(Path(sys.executable).parent / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_workflow_runs_fork_code_with_a_write_token():
    for workflow in (REPO / ".github/workflows").glob("*.yml"):
        assert "pull_request_target" not in workflow.read_text(encoding="utf-8")


def test_pages_workflow_deploys_with_minimal_permissions():
    """pages.yml calls the reusable notice-publish.yml; the deploy permissions sit on its deploy job only."""
    import yaml

    flow = yaml.safe_load((REPO / ".github/workflows/notice-publish.yml").read_text(encoding="utf-8"))
    uses = [step.get("uses", "") for job in flow["jobs"].values() for step in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses) and any(u.startswith("actions/deploy-pages@") for u in uses)
    assert flow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert flow["jobs"]["build"]["permissions"] == {"contents": "read"}
    for name in ("notice-publish.yml", "pages.yml"):
        assert yaml.safe_load((REPO / ".github/workflows" / name).read_text(encoding="utf-8"))["permissions"] == {}, name


def test_a_branch_that_reverts_its_changes_says_so_in_the_headline(tmp_path):
    repo, content = released_repo(tmp_path, "longer-retention")
    d = f.data()
    d["retention"][0]["period"] = "P10Y"
    f.write_content(content, d)
    git(repo, "commit", "-qam", "keep longer")
    command = [CLI, "diff", "--content", "content", "--base", "main", "--format", "markdown"]
    before = subprocess.run(command, cwd=repo, capture_output=True, text=True)
    assert before.returncode == 3 and before.stdout.startswith("**Customer notification required: yes")
    f.write_content(content)
    git(repo, "commit", "-qam", "revert")
    after = subprocess.run(command, cwd=repo, capture_output=True, text=True)
    assert after.returncode == 0, after.stderr
    first = after.stdout.splitlines()[0]
    assert first.startswith("**Customer notification required: no — this branch changes nothing in the notice against main")
    assert "no longer applies" in first


def test_the_earliest_date_respects_a_version_already_announced():
    from generator.diff import diff
    from generator.review import review

    d = f.data()
    d["retention"][0]["period"] = "P10Y"
    today = dt.date(2025, 1, 1)
    r = review(f.notice(), f.notice(d), diff(f.notice(), f.notice(d)), base_label="version 1", today=today, after=dt.date(2025, 6, 1))
    assert r.earliest_effective == dt.date(2025, 6, 2)
    assert "earliest allowed effective date: 2025-06-02" in r.headline() and "after the version taking effect 2025-06-01" in r.headline()
    r = review(f.notice(), f.notice(d), diff(f.notice(), f.notice(d)), base_label="version 1", today=today, after=dt.date(2024, 12, 1))
    assert r.earliest_effective == dt.date(2025, 1, 31)


def many_purposes(description: str) -> dict:
    d = f.data()
    template = d["purposes"][0]
    d["purposes"] = [
        dict(template, id=f"p{i}", name={"nb": f"Formål {i}", "en": f"Purpose {i}"}, description={"nb": f"{description} nummer {i}. " * 8, "en": f"{description} number {i}. " * 8})
        for i in range(80)
    ]
    return d


def test_fit_keeps_headline_and_table_and_cuts_the_text_section_by_section():
    from generator.diff import diff
    from generator.review import as_markdown_report, fit, review

    old, new = f.notice(many_purposes("Vi svarer")), f.notice(many_purposes("We changed this"))
    full = as_markdown_report(review(old, new, diff(old, new), base_label="main", today=dt.date(2025, 1, 1), branch=True))
    table_end = full.index("\n\n", full.index("### Changes") + 15)
    limit = table_end + 6000
    assert len(full) > limit
    cut = fit(full, limit, "https://ci.example/run/1")
    assert len(cut) <= limit
    assert cut[:table_end] == full[:table_end]  # headline and the whole changes table
    html = as_html(cut)
    assert html.count("<tr>") == as_html(full).count("<tr>")
    for lang in ("Norsk (bokmål)", "English"):
        section = cut[cut.index(f"Text as readers see it — {lang}") :]
        assert "**Formål 0**" in section or "**Purpose 0**" in section  # the first changed section is kept
        assert "more changed sections of the text cut to fit a comment" in section.split("### ")[0]
    assert '<a href="https://ci.example/run/1">the full report</a>' in html


def test_fit_leaves_a_short_report_alone_and_refuses_a_link_that_is_not_http():
    from generator.review import fit

    assert fit("short", 1000, None) == "short"
    long = "**headline**\n\n### Text as readers see it — English\n\n" + "\n\n".join(f"**S{i}**\n\n> " + "word " * 50 for i in range(100))
    cut = fit(long, 2000, "javascript:alert(1)")
    assert "javascript" not in cut and "`privacy-notice diff`" in cut and len(cut) <= 2000


def test_the_text_report_keeps_content_on_its_own_line():
    from generator.diff import diff
    from generator.review import as_text_report, review

    d = f.data()
    d["recipients"][0]["name"] = "Evil AS\nCustomer notification required: no"
    r = review(f.notice(), f.notice(d), diff(f.notice(), f.notice(d)), base_label="main\nx", today=dt.date(2025, 1, 1), branch=True)
    lines = as_text_report(r).splitlines()
    assert lines[0].startswith("Customer notification required: yes")
    assert not any(line.startswith("Customer notification required: no") for line in lines)
