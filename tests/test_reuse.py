"""`mkdocs serve` reuses what a save cannot change (generator/reuse.py), and the reuse is never stale.

Rebuilds are driven through MkDocs' own build function with one plugin instance kept across them,
as `mkdocs serve` does: a new config per rebuild, `on_startup` once, `on_shutdown` at the end.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from generator import clauses, reuse
from generator.releases import make_release
from tests import factories as f
from tests.site import REPO, mkdocs_yml

SERVE_URL = "http://127.0.0.1:8000/"
TODAY = "2025-08-01"  # version 1 in force, version 2 announced


class Serve:
    """One `mkdocs serve` session, rebuilt on demand."""

    def __init__(self, config_file: Path, site: Path, dirty: bool = False):
        self.config_file, self.site, self.dirty = config_file, site, dirty
        config = self.config()
        config.plugins.on_startup(command="serve", dirty=dirty)
        self.plugins = config.plugins

    def config(self):
        config = load_config(str(self.config_file), site_dir=str(self.site))
        config.site_url = SERVE_URL  # what `mkdocs serve` does
        return config

    def rebuild(self) -> None:
        build(self.config(), serve_url=SERVE_URL, dirty=self.dirty)

    def page(self, path: str) -> str:
        return (self.site / path / "index.html").read_text(encoding="utf-8")

    def close(self) -> None:
        self.plugins.on_shutdown()


@pytest.fixture
def today(monkeypatch):
    epoch = dt.datetime.fromisoformat(TODAY + "T12:00:00+00:00").timestamp()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch)))


@pytest.fixture
def site(tmp_path, today, monkeypatch):
    """A site with two releases, its own copy of the theme and of the clause library."""
    content = f.write_content(tmp_path / "content")
    make_release(content, effective=dt.date(2025, 1, 1), announced=dt.date(2024, 12, 1))
    d = f.data()
    d["organisation"]["email"] = "post@changed.example"
    f.write_content(content, d)
    make_release(content, effective=dt.date(2025, 9, 1), announced=dt.date(2025, 7, 1))
    shutil.copytree(REPO / "theme", tmp_path / "theme")  # the site's own custom_dir, which comes before ours
    config = mkdocs_yml(tmp_path, site_url=SERVE_URL)
    lines = config.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("name: material"))
    lines.insert(at + 1, f"  custom_dir: {tmp_path / 'theme'}")
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copytree(clauses.LIBRARY, tmp_path / "library")
    monkeypatch.setattr(clauses, "LIBRARY", tmp_path / "library")
    clauses.reload()
    yield tmp_path
    clauses.reload()


@pytest.fixture
def serve(site):
    session = Serve(site / "mkdocs.yml", site / "served")
    session.rebuild()
    yield session
    session.close()


def save_notice(site: Path, **changes) -> None:
    d = f.data()
    d["organisation"]["email"] = "post@changed.example"
    d.update(changes)
    f.write_content(site / "content", d)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_save_rebuilds_the_draft_and_reuses_the_released_pages(serve, site):
    version_1 = serve.site / "en/versions/1/index.html"
    before = version_1.stat().st_ino
    d = f.data()
    d["rights"]["contact"]["email"] = "privacy-new@example.org"
    f.write_content(site / "content", d)
    serve.rebuild()
    assert "privacy-new@example.org" in serve.page("en/draft")
    assert "privacy-new@example.org" not in serve.page("en/versions/2")
    # Reused, not rendered again: the same bytes, from the kept copy (not the file MkDocs wrote first).
    assert version_1.stat().st_ino != before
    assert "What changed" in serve.page("en/versions/1")


def outputs(site: Path) -> list[Path]:
    """The pages and data files of a built site (reused folders are symbolic links: followed, as the server does)."""
    found = []
    for folder, _, names in os.walk(site, followlinks=True):
        found += [Path(folder, n).relative_to(site) for n in names if n.endswith((".html", ".json", ".jsonld", ".xml"))]
    return sorted(p for p in found if "search" not in p.parts)


@pytest.mark.parametrize("prefix", ["", "privacy"])
def test_reused_pages_are_the_pages_a_full_build_makes(prefix, site):
    """After saves, every page served equals what a build without reuse makes from the same files,
    also with the notice under a path prefix (where the reused folders are one level deeper)."""
    if prefix:
        edit(site / "mkdocs.yml", "      content: content\n", f"      content: content\n      prefix: {prefix}\n")
    serve = Serve(site / "mkdocs.yml", site / "served")
    serve.rebuild()
    for email in ("a@example.org", "b@example.org"):
        d = f.data()
        d["rights"]["contact"]["email"] = email
        f.write_content(site / "content", d)
        serve.rebuild()
    served = {path: (serve.site / path).read_bytes() for path in outputs(serve.site)}
    # The archived versions' folder is one link (what keeps a save's cost from growing with the history).
    assert (serve.site / prefix / "en/versions").is_symlink()
    # Never a link directly in the site folder: MkDocs' cleaning cannot remove one, and would write through it.
    assert not [p for p in serve.site.iterdir() if p.is_symlink()]
    serve.close()  # MkDocs keeps one plugin instance per process: the build below takes it over
    config = load_config(str(site / "mkdocs.yml"), site_dir=str(site / "full"))
    config.site_url = SERVE_URL
    config.plugins.on_startup(command="build", dirty=False)
    config.plugins["privacy-notice"].config.draft = "always"
    build(config)
    full = {path: (site / "full" / path).read_bytes() for path in outputs(site / "full")}
    assert sorted(served) == sorted(full)
    pages = [p for p in served if p.name != "sitemap.xml"]
    assert len([p for p in pages if p.parts[: 1 + bool(prefix)] == (*([prefix] if prefix else []), "en")]) >= 8
    for path in pages:
        assert served[path] == full[path], path


def test_a_changed_label_in_the_clause_library_shows_on_released_pages(serve, site):
    edit(site / "library/labels.yaml", "en: What changed}", "en: What was changed}")
    serve.rebuild()
    assert "What was changed" in serve.page("en/versions/1")
    assert "What was changed" in serve.page("en/versions/2")


def test_a_dirty_serve_shows_changes_and_keeps_its_copies_intact(site):
    """`mkdocs serve --dirty` writes rebuilt pages over the old files instead of emptying the site."""
    serve = Serve(site / "mkdocs.yml", site / "served", dirty=True)
    try:
        serve.rebuild()
        save_notice(site, rights={**f.data()["rights"], "contact": {"email": "first@example.org"}})
        serve.rebuild()  # released pages reused
        edit(site / "library/labels.yaml", "en: What changed}", "en: What was changed}")
        serve.rebuild()  # released pages built again, over the reused files
        assert "What was changed" in serve.page("en/versions/1")
        edit(site / "library/labels.yaml", "en: What was changed}", "en: What changed}")
        serve.rebuild()
        serve.rebuild()  # reused again
        assert "What was changed" not in serve.page("en/versions/1")
        assert "What changed" in serve.page("en/versions/1")
    finally:
        serve.close()


def used_clause(serve: Serve) -> tuple[str, str]:
    """A library clause the notice uses (its first words are on the draft and on version 1), and those words."""
    draft, released = serve.page("en/draft"), serve.page("en/versions/1")
    text = (clauses.LIBRARY / "clauses.yaml").read_text(encoding="utf-8")
    for ident, value in clauses.read_library("clauses.yaml").items():
        words = " ".join(value["en"].split()[:5])
        if "$" not in words and words in draft and words in released and text.count(words) == 1:
            return ident, words
    raise AssertionError("the notice uses no clause without placeholders")


def test_a_changed_clause_in_the_library_shows_in_the_draft_and_never_in_released_text(serve, site):
    _, words = used_clause(serve)
    edit(site / "library/clauses.yaml", words, "Reworded by the library")
    serve.rebuild()
    assert "Reworded by the library" in serve.page("en/draft")
    assert "Reworded by the library" not in serve.page("en/versions/1")  # released text is frozen
    assert words in serve.page("en/versions/1")


def test_a_company_clause_override_shows_in_the_draft_on_the_next_save(serve, site):
    ident, words = used_clause(serve)
    save_notice(site, clauses={ident: {"nb": "Vår egen tekst om dette.", "en": "Our own wording of this."}})
    serve.rebuild()
    assert "Our own wording of this." in serve.page("en/draft")
    assert words not in serve.page("en/draft")
    assert words in serve.page("en/versions/1")


def test_a_changed_theme_file_shows_on_every_page(serve, site):
    edit(site / "theme/main.html", "{% block site_meta %}\n  {{ super() }}", '{% block site_meta %}\n  {{ super() }}\n  <meta name="theme-test" content="edited">')
    serve.rebuild()
    for path in ("en/versions/1", "en/versions/2/changes", "nb/changelog", "en/draft"):
        assert 'name="theme-test"' in serve.page(path), path


def test_a_new_release_while_serving_updates_the_pages_it_touches(serve, site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2025, 10, 1, 12, tzinfo=dt.timezone.utc).timestamp())))
    serve.rebuild()  # the date moved on: version 2 in force, version 1 superseded by it
    assert "has been replaced" in serve.page("en/versions/1")
    assert "This version has been announced" not in serve.page("en/versions/2")
    save_notice(site, rights={**f.data()["rights"], "contact": {"email": "v3@example.org"}})
    make_release(site / "content", effective=dt.date(2025, 12, 1), announced=dt.date(2025, 9, 20))
    serve.rebuild()
    assert (serve.site / "en/versions/3/index.html").is_file()
    assert 'href="3/"' in serve.page("en/versions")
    assert "v3@example.org" in serve.page("en/versions/3")


def _tamper(site: Path) -> Path:
    frozen = site / "content/releases/1/en.md"
    edit(frozen, "#", "# Tampered")
    return frozen


def _build_error(site: Path) -> str:
    config = load_config(str(site / "mkdocs.yml"), site_dir=str(site / "full"))
    config.plugins.on_startup(command="build", dirty=False)
    with pytest.raises(Abort) as raised:
        build(config)
    return str(raised.value)


@pytest.fixture(params=["read every time", "known by its signature"])
def racy(request, monkeypatch):
    """Files written just before a rebuild are always read again; with no such window, an unchanged
    file is known by its size, inode and times, and the tests below check that a write still shows."""
    if request.param == "known by its signature":
        monkeypatch.setattr(reuse, "RACY_NS", 0)


def test_a_tampered_frozen_file_fails_the_next_rebuild_with_the_builds_error(racy, serve, site, caplog):
    original = (site / "content/releases/1/en.md").read_bytes()
    frozen = _tamper(site)
    with pytest.raises(Abort):
        serve.rebuild()
    served_error = [r.getMessage() for r in caplog.records if "must not change" in r.getMessage()]
    caplog.clear()
    assert served_error and "releases/1/en.md" in served_error[0]
    _build_error(site)
    build_error = [r.getMessage() for r in caplog.records if "must not change" in r.getMessage()]
    assert served_error == build_error
    # Restored: the next save serves again, and the page is the released one.
    frozen.write_bytes(original)
    serve.rebuild()
    assert "Tampered" not in serve.page("en/versions/1")


def test_a_frozen_file_changed_with_its_recorded_checksum_is_read_again(racy, serve, site):
    """The key is the files' bytes, not the checksums the log records: a frozen file changed together
    with its checksum in the log (which verification accepts) shows on the next save."""
    from generator.releases import load_log, sha256

    recorded = load_log(site / "content").releases[0].files["en"].sha256
    frozen = site / "content/releases/1/en.md"
    edit(frozen, "#", "# Rewritten")
    edit(site / "content/releases.yaml", recorded, sha256(frozen))
    serve.rebuild()
    assert "Rewritten" in serve.page("en/versions/1")


def test_serve_watches_the_clause_library_and_a_build_keeps_nothing(serve, site):
    config = serve.config()
    config = config.plugins.on_config(config)
    assert str(clauses.LIBRARY) in config.watch
    serve.close()
    config = load_config(str(site / "mkdocs.yml"), site_dir=str(site / "built"))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    assert str(clauses.LIBRARY) not in config.watch
    assert config.plugins["privacy-notice"].reuse is None


def _search_locations(site: Path) -> set[str]:
    import json

    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    return {entry["location"] for entry in index["docs"]}


def test_after_a_save_the_preview_search_still_finds_the_reused_pages(serve, site):
    first = _search_locations(serve.site)
    assert any(location.startswith("en/#") for location in first), first  # the notice in force is searchable
    d = f.data()
    d["rights"]["contact"]["email"] = "privacy-new@example.org"
    f.write_content(site / "content", d)
    serve.rebuild()
    assert _search_locations(serve.site) == first
    serve.rebuild()  # and again: what was reused is reused with its entries
    assert _search_locations(serve.site) == first
