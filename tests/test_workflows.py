"""The GitHub workflows: GitHub's hardening guidance, checked offline by zizmor and by reading them,
and the callers `init` writes match the reusable workflows they call."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import __version__
from generator.scaffold import REPOSITORY, starter_files

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40} # v\d+(\.\d+)*$")


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # PyYAML reads the key `on` as True
    return data


def workflows() -> dict[str, dict]:
    return {p.name: load(p) for p in sorted(WORKFLOWS.glob("*.yml"))}


def zizmor() -> str:
    found = shutil.which("zizmor") or str(Path(sys.executable).parent / "zizmor")
    if not Path(found).exists():
        pytest.skip("zizmor is not installed (pip install zizmor; it is in the test extra)")
    return found


def test_zizmor_finds_nothing():
    result = subprocess.run([zizmor(), "--offline", str(WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_the_workflows_init_writes_pass_zizmor_but_for_the_tag_of_this_project(tmp_path):
    """They call this project's reusable workflows at the release tag: the one pin an adopter cannot
    get from us as a SHA before the tag exists (README: pin it once the tag is published)."""
    for name, text in starter_files(site_url=None, site_name="x").items():
        if name.startswith(".github/"):
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(text)
    result = subprocess.run([zizmor(), "--offline", "--format", "json", str(tmp_path / ".github/workflows")], capture_output=True, text=True)
    import json

    findings = json.loads(result.stdout)
    assert {f["ident"] for f in findings} <= {"unpinned-uses"}, result.stdout
    for finding in findings:
        assert REPOSITORY in json.dumps(finding)


def test_every_action_is_pinned_to_a_commit_with_its_version():
    for name, text in ((p.name, p.read_text()) for p in WORKFLOWS.glob("*.yml")):
        for line in text.splitlines():
            match = re.match(r"^\s*(?:- )?uses: (.+)$", line)
            if match and not match.group(1).startswith("./"):
                assert PINNED.match(match.group(1)), f"{name}: {line.strip()}"


def test_jobs_have_timeouts_least_permissions_and_no_persisted_credentials():
    for name, flow in workflows().items():
        assert flow.get("permissions") == {}, f"{name}: no default permissions at the top"
        for job_name, job in flow["jobs"].items():
            assert "permissions" in job, f"{name}/{job_name}"
            if "uses" in job:
                continue  # a call: the reusable workflow's jobs are checked themselves
            assert job.get("timeout-minutes", 999) <= 30, f"{name}/{job_name}"
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, f"{name}/{job_name}"
                if step.get("uses", "").startswith("actions/setup-python@"):
                    assert step["with"]["cache"] == "pip", f"{name}/{job_name}"


def test_the_deploy_installs_the_runtime_only():
    publish = workflows()["notice-publish.yml"]
    runs = [s.get("run", "") for s in publish["jobs"]["build"]["steps"]]
    assert 'python -m pip install "$INSTALL"' in runs
    assert not any("[test]" in r or "make " in r for r in runs)
    assert workflows()["pages.yml"]["jobs"]["publish"]["with"]["install"] == "."


def test_pages_rebuild_daily_and_on_push():
    on = workflows()["pages.yml"]["on"]
    assert on["push"]["branches"] == ["main"]
    assert len(on["schedule"]) == 1 and re.fullmatch(r"\d+ \d+ \* \* \*", on["schedule"][0]["cron"])


def test_the_review_runs_on_every_pull_request_push_and_always_updates_its_comment():
    on = workflows()["review.yml"]["on"]
    assert on == {"pull_request": None}  # no paths filter: every push replaces the comment
    steps = {s.get("name"): s for s in workflows()["notice-review.yml"]["jobs"]["review"]["steps"]}
    assert "!cancelled()" in steps["Sticky comment"]["if"] and "!cancelled()" in steps["Diff against the base branch"]["if"]


def test_reusable_workflows_install_this_version_by_default():
    for name in ("notice-publish.yml", "notice-review.yml"):
        call = workflows()[name]["on"]["workflow_call"]
        assert call["inputs"]["install"]["default"] == f"privacy-notice=={__version__}", name


def test_the_callers_init_writes_use_inputs_the_reusable_workflows_have():
    for name, text in starter_files(site_url=None, site_name="x").items():
        if not name.startswith(".github/workflows/"):
            continue
        flow = yaml.safe_load(text)
        for job in flow["jobs"].values():
            target, _, ref = job["uses"].partition("@")
            assert target.startswith(REPOSITORY + "/.github/workflows/") and ref == f"v{__version__}"
            called = load(ROOT / target.removeprefix(REPOSITORY + "/"))
            assert set(job.get("with", {})) <= set(called["on"]["workflow_call"]["inputs"])
            needed = {k for j in called["jobs"].values() for k in (j.get("permissions") or {})}
            assert needed <= set(job["permissions"]), name


def test_workflow_files_are_valid_github_workflows(tmp_path):
    """Against the GitHub workflow schema check-jsonschema ships (offline), ours and the ones init writes."""
    cli = Path(sys.executable).parent / "check-jsonschema"
    if not cli.exists():
        pytest.skip("check-jsonschema is not installed (it is in the test extra)")
    for name, text in starter_files(site_url=None, site_name="x").items():
        if name.startswith(".github/workflows/"):
            (tmp_path / Path(name).name).write_text(text)
    files = [*map(str, WORKFLOWS.glob("*.yml")), *map(str, tmp_path.glob("*.yml"))]
    result = subprocess.run([str(cli), "--builtin-schema", "vendor.github-workflows", *files], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
