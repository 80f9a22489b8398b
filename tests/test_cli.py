"""`privacy-notice check`, --version and --help, run as the installed console script a user runs."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import __version__
from tests.notice_text import MINIMAL, replace_once, where

CLI = str(Path(sys.executable).parent / "privacy-notice")
PROBLEM = re.compile(r"^content/notice\.yaml:[1-9][0-9]*:[1-9][0-9]*: \S.*$")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with content/notice.yaml, a copy of the minimal fixture."""
    (tmp_path / "content").mkdir()
    shutil.copy(MINIMAL, tmp_path / "content" / "notice.yaml")
    return tmp_path


def test_check_on_the_fixture_file_exits_0(tmp_path):
    result = run("check", str(MINIMAL), cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == f"{MINIMAL}: valid, 0 warnings.\n"


def test_check_defaults_to_the_content_folder(project):
    result = run("check", cwd=project)
    assert (result.returncode, result.stdout, result.stderr) == (0, "content: valid, 0 warnings.\n", "")


def test_valid_content_with_warnings_says_how_many_next_to_valid(project):
    from tests import factories as f

    d = f.data()
    d["purposes"][0]["description"]["en"] = "We never store data outside the EU."  # lint_outside_eu, a warning
    f.write_content(project / "content", d)
    result = run("check", cwd=project)
    assert result.returncode == 0 and result.stdout == "content: valid, 1 warning.\n"
    assert "lint_outside_eu" in result.stderr and result.stderr.count("\n") == 1


def test_check_on_a_broken_copy_prints_one_line_per_problem_and_exits_1(project):
    path = project / "content" / "notice.yaml"
    text = replace_once(MINIMAL.read_text(encoding="utf-8"), "legal_basis: contract", "legal_basis: concent")
    text = replace_once(text, "  website: https", "  webside: https")
    text = replace_once(text, '"916 752 342"', '"916 752 343"')
    path.write_text(text, encoding="utf-8")
    before = snapshot(project)

    result = run("check", "content", cwd=project)

    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    org, web, basis = where(text, '"916 752 343"'), where(text, "webside"), where(text, "legal_basis: concent", "concent")
    assert lines == [
        f"content/notice.yaml:{org[0]}:{org[1]}: organisation.org_number: '916 752 343' is not a valid organisation number (its check digit is wrong)",
        f"content/notice.yaml:{web[0]}:{web[1]}: organisation.webside: unknown field 'webside'; did you mean 'website'?",
        f"content/notice.yaml:{basis[0]}:{basis[1]}: purposes[customer_service].legal_basis: 'concent' is not allowed; choose one of: "
        "consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests; did you mean 'consent'?",
        "3 problems found.",
    ]
    assert snapshot(project) == before  # check never writes


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", id="binary"),
        pytest.param(b"a: " + b"[" * 50_000 + b"]" * 50_000 + b"\n", id="deep-nesting"),
        pytest.param(b'a: &a ["lol", "lol"]\nb: &b [*a, *a]\nc: [*b, *b]\n', id="alias-bomb"),
        pytest.param(b"", id="empty"),
        pytest.param(b"languages:\n\tavailable: [nb]\n", id="tab"),
        pytest.param(b"- just\n- a list\n", id="list"),
        pytest.param(b"languages: {available: [nb, en], default: nb}\n", id="mostly-missing"),
        pytest.param(b"languages: {available: {}, default: []}\norganisation: []\npurposes: [[], {}, 1]\n", id="wrong-types"),
    ],
)
def test_bad_input_never_produces_a_traceback(project, content):
    (project / "content" / "notice.yaml").write_bytes(content)
    result = run("check", cwd=project)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    *problems, summary = result.stderr.splitlines()
    assert problems and all(PROBLEM.match(line) for line in problems), result.stderr
    assert re.fullmatch(r"[1-9][0-9]* problems? found\.", summary)


def test_problems_are_counted(project):
    path = project / "content" / "notice.yaml"
    path.write_text(replace_once(MINIMAL.read_text(encoding="utf-8"), "legal_basis: contract", "legal_basis: concent"), encoding="utf-8")
    assert run("check", cwd=project).stderr.splitlines()[-1] == "1 problem found."


def test_missing_path_is_a_usage_error(tmp_path):
    result = run("check", "nowhere", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "privacy-notice: nowhere: no such file or folder\n"


def test_a_folder_without_a_notice_is_a_usage_error(tmp_path):
    (tmp_path / "content").mkdir()
    result = run("check", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "privacy-notice: content: no notice.yaml in this folder\n"


@pytest.mark.parametrize("args", [("check", "a", "b"), ("check", "--frobnicate"), ("frobnicate",), ("release",), ("release", "--effective", "2025-02-30"), ("diff", "--limit", "x")])
def test_wrong_arguments_are_one_line_and_exit_2(tmp_path, args):
    result = run(*args, cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert re.fullmatch(r"privacy-notice: [^\n]+ \(see privacy-notice( \w+)? --help\)\n", result.stderr), result.stderr


def test_no_command_shows_the_help(tmp_path):
    result = run(cwd=tmp_path)
    assert result.returncode == 2
    assert "usage: privacy-notice" in result.stdout


def test_version(tmp_path):
    result = run("--version", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"privacy-notice {__version__}\n", "")
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", __version__)


def test_help_mentions_check_and_the_exit_codes(tmp_path):
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert re.search(r"^\s+check\s+validate", result.stdout, re.MULTILINE)
    assert "file:line:column: field: message" in result.stdout
    assert "2 wrong usage" in result.stdout


def test_check_help_explains_the_path(tmp_path):
    result = run("check", "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "content folder or notice file (default: content)" in result.stdout

