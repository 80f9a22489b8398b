"""Legal review in pull requests: the diff against a git ref, the comment limit, the workflow files."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.releases import make_release
from generator.review import fit
from tests import factories as f
from tests.site import REPO

CLI = str(Path(sys.executable).parent / "privacy-notice")


def git(cwd: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout


def test_pull_request_changing_a_processor_is_reported_significant_in_both_languages(tmp_path):
    repo = tmp_path / "repo"
    content = f.write_content(repo / "content")
    git(repo, "init", "-q", "-b", "main")
    make_release(content, effective=dt.date(2025, 1, 1), announced=dt.date(2024, 12, 1))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "release 1")
    git(repo, "checkout", "-qb", "change-processor")
    d = f.data()
    d["recipients"][0].update(name="Google Cloud EMEA Ltd", service={"nb": "e-post og lagring", "en": "e-mail and storage"}, locations=["IE", "US"], transfer={"safeguard": "scc"})
    f.write_content(content, d)
    git(repo, "commit", "-qam", "switch e-mail provider")

    result = subprocess.run([CLI, "diff", "--content", "content", "--base", "main", "--format", "markdown"], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 3, result.stderr
    report = result.stdout
    first = report.splitlines()[0]
    assert first.startswith("**Customer notification required: yes — 1 significant change")
    assert "earliest allowed effective date" in first
    assert "safeguard_changed" in report and "Google Cloud EMEA Ltd" in report
    assert "Standard personvernbestemmelser (SCC)" in report and "Standard contractual clauses (SCCs)" in report
    nb = report[report.index("Norsk (bokmål)\n") :]
    assert "<del>Microsoft Ireland Operations</del> <ins>Google Cloud EMEA</ins> Ltd" in nb
    en = report[report.index("— English") :]
    assert "<ins>e-mail and storage</ins>" in en or "<ins>storage</ins>" in en


def test_diff_against_an_unknown_ref_is_a_usage_error(tmp_path):
    repo = tmp_path / "repo"
    f.write_content(repo / "content")
    git(repo, "init", "-q")
    result = subprocess.run([CLI, "diff", "--content", "content", "--base", "no-such-branch"], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 2 and "no-such-branch" in result.stderr and "Traceback" not in result.stderr


def test_fit_cuts_at_sections_keeps_the_headline_and_links_the_full_report():
    report = "**Customer notification required: yes**\n\n### Changes\n\n" + "row\n" * 50 + "\n### Text\n\n" + "word " * 20000
    cut = fit(report, 1000, "https://ci.example/run/1")
    assert len(cut) <= 1000
    assert cut.startswith("**Customer notification required: yes**")
    assert "### Changes" in cut and "### Text" not in cut
    assert "https://ci.example/run/1" in cut
    assert fit("short", 1000, None) == "short"


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
