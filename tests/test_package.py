"""The package as an adopter gets it: the wheel built from this checkout, installed into a fresh
virtual environment in a temporary folder, used with no file from this repository.

To stay fast and offline, the fresh environment installs only the wheel (--no-deps) and finds the
dependencies (MkDocs, Material, ...) in the test environment's site-packages through a .pth line.
That line does not run the test environment's own .pth files, so the editable install of this
checkout stays invisible: `generator` is imported from the wheel (asserted below).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.site import page, third_party_references

pytestmark = pytest.mark.build
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("hatchling", reason="hatchling builds the wheel without build isolation (test extra)")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(out), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    (found,) = out.glob("privacy_notice-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    python = root / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True, text=True)
    where = subprocess.run([python, "-c", "import generator; print(generator.__file__)"], check=True, capture_output=True, text=True, cwd=root).stdout
    assert where.startswith(str(root)), f"generator imported from {where}, not from the installed wheel"
    return root


def run(venv: Path, cwd: Path, *args: str, today: str | None = None, ok: bool = True) -> subprocess.CompletedProcess:
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8"}
    if today:
        env["SOURCE_DATE_EPOCH"] = str(int(dt.datetime.fromisoformat(today + "T12:00:00+00:00").timestamp()))
    result = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True)
    if ok:
        assert result.returncode in (0, 3), f"{args}: exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def test_the_wheel_carries_everything_the_plugin_needs(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("generator/theme/main.html", "generator/theme/partials/language.html", "generator/theme/partials/alternate.html",
                   "generator/theme/assets/stylesheets/notice.css", "generator/schema/notice.schema.json",
                   "generator/schema/releases.schema.json", "generator/library/clauses.yaml", "generator/starter/content/notice.yaml"):
        assert needed in names, needed
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    metadata = next(zipfile.ZipFile(wheel).read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    assert "Classifier: Framework :: MkDocs" in metadata and "Project-URL: Source" in metadata


def test_twine_check_is_clean(wheel):
    pytest.importorskip("twine", reason="twine is in the test extra")
    result = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(wheel)], capture_output=True, text=True)
    assert result.returncode == 0 and "PASSED" in result.stdout, result.stdout + result.stderr


def test_from_an_empty_folder_init_check_build_release_diff_notify(venv, tmp_path):
    repo = tmp_path / "company"
    repo.mkdir()
    run(venv, repo, "privacy-notice", "init", "--site-url", "https://example.org/privacy/")
    check = run(venv, repo, "privacy-notice", "check", ok=False)
    assert check.returncode == 1 and "art13_2_f_automated_decisions" in check.stderr  # the starter's gaps, named
    notice = repo / "content" / "notice.yaml"
    notice.write_text(notice.read_text() + "automated_decisions: []\n")

    build = run(venv, repo, "python", "-m", "mkdocs", "build", "--strict", today="2026-11-20")
    assert "end of life" in build.stderr  # Material's own warning, not hidden
    site = repo / "site"
    assert page(site, "nb/index.html").find("html")[0]["lang"] == "nb"
    assert page(site, "en/index.html").find("html")[0]["lang"] == "en"
    assert third_party_references(site) == []
    assert (site / "assets/stylesheets/notice.css").is_file()

    run(venv, repo, "privacy-notice", "release", "--effective", "2026-12-01", "--announced", "2026-11-01")
    notice.write_text(notice.read_text().replace("period: P1Y", "period: P3Y"))
    diff = run(venv, repo, "privacy-notice", "diff")
    assert diff.returncode == 3 and "retention_longer" in diff.stdout
    run(venv, repo, "privacy-notice", "release", "--effective", "2027-01-04", "--announced", "2026-11-20")
    ours = run(venv, repo, "privacy-notice", "build", today="2026-11-20")
    assert "end of life on May 5, 2027" in ours.stderr and "privacy-notice pages OUT/" in ours.stderr  # shown, with our answer
    assert (site / "nb/versions/2/index.html").is_file()
    assert "<id>https://example.org/privacy/en/feed.xml</id>" in (site / "en/feed.xml").read_text()

    for written in ("content/notice.yaml", "content/releases.yaml", "content/releases/2/notice.yaml"):
        first = (repo / written).read_text().splitlines()[0]
        target = (repo / written).parent / first.split("$schema=", 1)[1]
        assert target.resolve().is_file() and target.resolve().is_relative_to(repo), written  # resolves inside the repo

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    notify = run(venv, elsewhere, "privacy-notice", "notify", "-f", str(repo / "mkdocs.yml"))
    assert "https://example.org/privacy/nb/versions/2/" in notify.stdout and "Subject:" in notify.stdout


def test_added_to_an_existing_site_its_own_pages_survive(venv, tmp_path):
    site = tmp_path / "docs-site"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Our product documentation\n")
    (site / "docs" / "setup.md").write_text("# Setup\n")
    run(venv, site, "privacy-notice", "init", "sub")  # a notice to publish, without touching the site
    (site / "content").mkdir()
    (site / "sub" / "content" / "notice.yaml").rename(site / "content" / "notice.yaml")
    config = "site_name: Docs\nsite_url: https://docs.example.org/\ntheme:\n  name: material\nplugins:\n  - search\n  - privacy-notice:\n      prefix: privacy\n"
    (site / "mkdocs.yml").write_text(config)
    run(venv, site, "python", "-m", "mkdocs", "build")
    out = site / "site"
    assert "Our product documentation" in page(out, "index.html").text
    assert "Setup" in page(out, "setup/index.html").text
    assert page(out, "privacy/nb/index.html").find("html")[0]["lang"] == "nb"
    assert third_party_references(out, own_host="docs.example.org") == []

    (site / "mkdocs.yml").write_text(config.replace("      prefix: privacy\n", ""))
    refused = run(venv, site, "privacy-notice", "build", ok=False)
    assert refused.returncode != 0 and "docs/index.md: the privacy notice would replace this page" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert "Our product documentation" in page(out, "index.html").text  # the published site is untouched


def test_another_theme_is_refused_in_one_line(venv, tmp_path):
    run(venv, tmp_path, "privacy-notice", "init")
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text().replace("name: material", "name: mkdocs"))
    result = run(venv, tmp_path, "privacy-notice", "build", ok=False)
    assert result.returncode == 1 and "needs theme: material" in result.stderr and "Traceback" not in result.stderr
