"""Adopting the generator in a company's own repository: init, the plugin in any Material site
(theme, fonts, prefix, existing pages), absolute links, the engine exit and the daily switch."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import get_files

from generator.cli import main
from generator.files import MARKER
from generator.plugin import theme_dir
from generator.releases import make_release
from tests import factories as f
from tests.site import build, mkdocs_yml, page

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def modeline_target(path: Path) -> Path:
    match = MODELINE.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, path
    return (path.parent / match.group(1)).resolve()


# --- init -------------------------------------------------------------------------------------


def test_init_writes_a_starting_point(tmp_path, capsys):
    assert main(["init", str(tmp_path), "--site-url", "https://example.org/privacy/"]) == 0
    for name in ("content/notice.yaml", "content/pages", "mkdocs.yml", ".gitignore", ".pre-commit-config.yaml",
                 ".github/workflows/privacy-notice-pages.yml", ".github/workflows/privacy-notice-review.yml",
                 "schema/notice.schema.json", "schema/releases.schema.json"):
        assert (tmp_path / name).exists(), name
    assert {"site/", "records/"} <= set((tmp_path / ".gitignore").read_text().split())
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "mkdocs.yml").stat().st_mode & 0o777 == 0o666 & ~umask  # readable like any file the user made
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text())
    assert config["site_url"] == "https://example.org/privacy/"
    assert config["theme"]["name"] == "material" and "custom_dir" not in config["theme"]
    hook = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]
    assert hook["entry"].startswith("privacy-notice check") and hook["additional_dependencies"][0].startswith("privacy-notice==")


def test_init_never_replaces_a_file(tmp_path, capsys):
    (tmp_path / "mkdocs.yml").write_text("site_name: Ours\n")
    (tmp_path / ".gitignore").write_text("node_modules/\n")
    assert main(["init", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "mkdocs.yml").read_text() == "site_name: Ours\n"
    assert (tmp_path / ".gitignore").read_text() == "node_modules/\n"
    assert f"kept  {tmp_path / 'mkdocs.yml'}" in out and "add site/ and records/" in out and "add the plugin" in out
    (tmp_path / "content" / "notice.yaml").write_text("edited\n")
    assert main(["init", str(tmp_path)]) == 0
    assert (tmp_path / "content" / "notice.yaml").read_text() == "edited\n"
    assert "wrote" not in capsys.readouterr().out


def test_init_without_site_url_says_where_to_set_it(tmp_path, capsys):
    assert main(["init", str(tmp_path)]) == 0
    text = (tmp_path / "mkdocs.yml").read_text()
    assert "site_url" not in yaml.safe_load(text) and "# site_url: https://ORG.github.io/REPO/" in text


def test_init_refuses_bad_targets_with_one_line(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    assert main(["init", str(tmp_path / "file")]) != 0
    assert main(["init", str(tmp_path / "d"), "--site-url", "example.org"]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "not a folder" in err[0] and "full address" in err[1]


def test_the_starter_notice_is_valid_and_check_names_its_gaps(tmp_path, capsys):
    main(["init", str(tmp_path)])
    capsys.readouterr()
    assert main(["check", str(tmp_path / "content")]) == 1
    err = capsys.readouterr().err
    assert "art13_2_f_automated_decisions" in err  # a legal gap, reported at its field
    assert "is not allowed" not in err and "required property" not in err  # the schema itself is satisfied


def test_every_modeline_the_tool_writes_resolves(tmp_path, capsys):
    main(["init", str(tmp_path), "--site-url", "https://example.org/"])
    content = tmp_path / "content"
    assert modeline_target(content / "notice.yaml") == (tmp_path / "schema" / "notice.schema.json").resolve()
    text = (content / "notice.yaml").read_text().replace("roles:\n", "roles:\n", 1) + "automated_decisions: []\n"
    (content / "notice.yaml").write_text(text)
    make_release(content, effective=dt.date(2027, 1, 4), announced=dt.date(2026, 11, 1))
    for path, schema in ((content / "releases.yaml", "releases"), (content / "releases/1/notice.yaml", "notice")):
        target = modeline_target(path)
        assert target == (tmp_path / "schema" / f"{schema}.schema.json").resolve() and target.is_file(), path


# --- the plugin in any Material site ---------------------------------------------------------


def site(tmp_path: Path, extra: str = "", *, theme: str = "material", plugin: str = "", site_url: str | None = "https://example.org/") -> Path:
    f.write_content(tmp_path / "content")
    lines = ["site_name: Test", f"site_url: {site_url}" if site_url else "", "docs_dir: docs", f"theme:\n  name: {theme}", "plugins:", "  - privacy-notice:", "      content: content"]
    lines += [f"      {line}" for line in plugin.splitlines()]
    (tmp_path / "docs").mkdir(exist_ok=True)
    config = tmp_path / "mkdocs.yml"
    config.write_text("\n".join(lines) + "\n" + extra)
    return config


def files_of(config_file: Path, command: str = "build"):
    config = load_config(str(config_file))
    config.plugins.on_startup(command=command, dirty=False)
    config = config.plugins.on_config(config)
    return config, config.plugins.on_files(get_files(config), config=config)


def test_a_plain_material_site_gets_our_templates_css_and_no_google_fonts(tmp_path):
    config, _ = files_of(site(tmp_path))
    assert config.theme.dirs[0] == str(theme_dir()) and (theme_dir() / "partials" / "language.html").is_file()
    assert "assets/stylesheets/notice.css" in config.extra_css
    assert config.theme["font"] is False


def test_a_sites_custom_dir_still_overrides_ours(tmp_path):
    (tmp_path / "overrides").mkdir()
    config, _ = files_of(site(tmp_path, theme="material\n  custom_dir: overrides"))
    assert config.theme.dirs[:2] == [str((tmp_path / "overrides").resolve()), str(theme_dir())]


@pytest.mark.parametrize("theme", ["mkdocs", "readthedocs"])
def test_another_theme_is_refused_in_one_line(tmp_path, theme):
    with pytest.raises(PluginError) as error:
        files_of(site(tmp_path, theme=theme))
    assert "needs theme: material" in str(error.value) and "\n" not in str(error.value)


def test_a_google_font_is_refused_unless_self_hosted(tmp_path):
    with pytest.raises(PluginError, match="Google Fonts"):
        files_of(site(tmp_path, theme="material\n  font:\n    text: Inter"))


def test_prefix_puts_every_page_under_it_and_keeps_the_sites_own(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Our documentation\n")
    config = site(tmp_path, plugin="prefix: legal/privacy/")
    result = build(config, today="2026-01-01")
    assert result.returncode == 0
    out = tmp_path / "site"
    assert "Our documentation" in page(out, "index.html").text
    assert page(out, "legal/privacy/nb/index.html").find("html")[0]["lang"] == "nb"
    assert page(out, "legal/privacy/en/index.html").find("html")[0]["lang"] == "en"
    links = [a["href"] for a in page(out, "404.html").find("a")]
    assert "/legal/privacy/nb/" in links and "/legal/privacy/en/" in links  # the 404 leads to each language's notice


def test_released_feeds_and_exports_follow_the_prefix(tmp_path):
    config = site(tmp_path, plugin="prefix: privacy")
    make_release(tmp_path / "content", effective=dt.date(2025, 1, 1), announced=dt.date(2024, 12, 1))
    build(config, today="2026-01-01")
    feed = (tmp_path / "site/privacy/nb/feed.xml").read_text()
    assert "<id>https://example.org/privacy/nb/feed.xml</id>" in feed
    assert (tmp_path / "site/privacy/versions/1.json").is_file()


@pytest.mark.parametrize("prefix", ["../up", "a/../b", "with space", "é"])
def test_a_prefix_that_is_not_a_site_path_is_refused(tmp_path, prefix):
    result = build(site(tmp_path, plugin=f"prefix: '{prefix}'"), check=False)
    assert result.returncode != 0 and "not a site path" in result.stderr


def test_a_content_folder_inside_docs_publishes_no_source_file(tmp_path):
    """content: docs/privacy — the YAML, the release log, frozen versions and records stay out of the site."""
    content = f.write_content(tmp_path / "docs" / "privacy")
    make_release(content, effective=dt.date(2025, 1, 1), announced=dt.date(2024, 12, 1))
    (tmp_path / "docs" / "about.md").write_text("# About us\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: T\nsite_url: https://example.org/\ntheme:\n  name: material\nplugins:\n  - privacy-notice:\n      content: docs/privacy\n      prefix: privacy\n      records_dir: docs/records\n")
    build(config, today="2026-01-01")
    published = {p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    assert "about/index.html" in published and "privacy/nb/versions/1/index.html" in published
    leaked = [p for p in published if p.endswith((".yaml", ".yml")) or "/releases/" in p or p.startswith("records/") or "nb.md" in p]
    assert leaked == []


def test_the_plugin_never_replaces_a_page_the_site_has(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Our documentation\n")
    with pytest.raises(PluginError) as error:
        files_of(site(tmp_path))
    message = str(error.value)
    assert message.startswith("docs/index.md: the privacy notice would replace this page") and "prefix" in message
    result = build(site(tmp_path), check=False)
    assert result.returncode != 0 and "docs/index.md" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "site").exists()


def test_feeds_need_site_url_once_released(tmp_path):
    config = site(tmp_path, site_url=None)
    files_of(config)  # nothing released: no feeds, no absolute links needed
    make_release(tmp_path / "content", effective=dt.date(2025, 1, 1), announced=dt.date(2024, 12, 1))
    with pytest.raises(PluginError, match="site_url is not set"):
        files_of(config)


# --- notify -f and absolute links -------------------------------------------------------------


def two_releases(content: Path, *, effective: dt.date, announced: dt.date) -> Path:
    """Version 1 in force from 1 January 2025, then version 2 with a significant change (a longer retention)."""
    f.write_content(content)
    make_release(content, effective=dt.date(2025, 1, 1), announced=dt.date(2024, 12, 1))
    d = f.data()
    d["retention"][0]["period"] = "P5Y"
    f.write_content(content, d)
    make_release(content, effective=effective, announced=announced)
    return content


@pytest.fixture
def released(tmp_path) -> Path:
    root = tmp_path / "repo"
    two_releases(root / "content", effective=dt.date(2025, 6, 1), announced=dt.date(2025, 4, 1))
    return root


def test_notify_reads_the_named_config_from_any_folder(released, tmp_path, monkeypatch, capsys):
    (released / "mkdocs.yml").write_text("site_url: https://notice.example.com/p/\nplugins:\n  - privacy-notice:\n      content: content\n      prefix: privacy\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "mkdocs.yml").write_text("site_url: https://wrong.example.com/\n")
    monkeypatch.chdir(elsewhere)
    assert main(["notify", "-f", str(released / "mkdocs.yml")]) == 0
    out = capsys.readouterr().out
    assert "https://notice.example.com/p/privacy/nb/versions/2/" in out and "wrong.example.com" not in out


def test_notify_refuses_to_write_an_email_without_a_site_address(released, monkeypatch, capsys):
    (released / "mkdocs.yml").write_text("site_name: x\n")
    monkeypatch.chdir(released)
    assert main(["notify"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "site_url" in err[0]
    assert main(["notify", "-f", "missing.yml"]) == 2


# --- the engine exit --------------------------------------------------------------------------


def test_pages_writes_exactly_what_the_plugin_hands_mkdocs(released, tmp_path, capsys):
    config = site(released, plugin="prefix: privacy")
    _, files = files_of(config)
    out = tmp_path / "out"
    assert main(["pages", str(out), "-f", str(config)]) == 0
    pages = [p for p in out.rglob("*") if p.is_file() and p.name != MARKER]  # the marker says the tool owns `out`
    written = {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in pages}
    handed = {file.src_uri: file.content_string for file in files}
    assert written == handed and "privacy/nb/versions/2/index.md" in written
    front, _ = re.match(r"^---\n(.*?)\n---\n(.*)$", written["privacy/en/index.md"], re.S).groups()
    assert yaml.safe_load(front)["lang"] == "en"
    assert main(["pages", str(out), "-f", str(config)]) == 0  # its own earlier output is replaced
    other = tmp_path / "other"
    other.mkdir()
    (other / "mine.txt").write_text("keep")
    assert main(["pages", str(other), "-f", str(config)]) != 0  # never a folder it did not write
    assert "not empty" in capsys.readouterr().err and (other / "mine.txt").read_text() == "keep"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"))))
@example("---")
@example("a\n---\nb")
@example("...\n")
@example("x: y")
@example("'\"")
@example("\u2028 \u2029")
@example("!!python/name:os.system")
def test_front_matter_reads_back_as_mkdocs_reads_it(title):
    from mkdocs.utils.meta import get_data

    from generator.pages import Page, source

    text = source(Page("nb/index.md", "nb", "current", title, "# Body\n", {"status": "current"}))
    body, meta = get_data(text)
    from generator.escape import _clean  # bidi controls, like control characters, become U+FFFD

    assert meta["title"] == _clean(title) and meta["lang"] == "nb" and body.strip() == "# Body"


# --- the site stays current by itself -----------------------------------------------------------


def test_the_daily_rebuild_switches_to_a_version_on_its_effective_date(tmp_path):
    """The same content built the day before and on the effective date (SOURCE_DATE_EPOCH is the
    build date, as the scheduled workflow's build is "today")."""
    two_releases(tmp_path / "content", effective=dt.date(2027, 1, 4), announced=dt.date(2026, 11, 20))
    config = mkdocs_yml(tmp_path)
    build(config, today="2027-01-03")
    before = page(tmp_path / "site", "en/index.html").text
    assert "Version 1" in before and "4 January 2027" in before  # v1 in force, v2 announced
    build(config, today="2027-01-04")
    after = page(tmp_path / "site", "en/index.html").text
    assert "Version 2" in after and "Version 1" not in after.split("Version 2")[0]
    versions = page(tmp_path / "site", "en/versions/index.html").text
    assert versions.index("Version 2") < versions.index("Version 1")


def test_the_pages_folder_builds_without_the_plugin(released, tmp_path, capsys):
    """The engine exit: MkDocs alone (no privacy-notice plugin) builds the written pages, each in its
    language, with every released version and no broken link (strict)."""
    config = site(released)
    out = released / "pages"
    assert main(["pages", str(out), "-f", str(config)]) == 0
    plain = released / "plain.yml"
    plain.write_text(
        "site_name: T\nsite_url: https://example.org/\ndocs_dir: pages\nsite_dir: plain-site\n"
        f"theme:\n  name: material\n  custom_dir: {theme_dir()}\n  font: false\n"
        "markdown_extensions:\n  - tables\n  - attr_list\n  - toc:\n      permalink: true\n"
        "validation:\n  omitted_files: ignore\n"
    )
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(plain)], capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    built = released / "plain-site"
    assert page(built, "nb/versions/2/index.html").find("html")[0]["lang"] == "nb"
    assert page(built, "en/index.html").find("html")[0]["lang"] == "en"
    assert (built / "en/feed.xml").is_file() and (built / "versions/1.json").is_file()
