"""The MkDocs plugin driven through MkDocs' own events, as mkdocs build and serve call them."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from tests import factories as f
from tests.site import mkdocs_yml


@pytest.fixture
def config(tmp_path):
    f.write_content(tmp_path / "content")
    return load_config(str(mkdocs_yml(tmp_path)))


def plugin_of(config):
    return config.plugins["privacy-notice"]


def run_until_files(config, command="build"):
    """MkDocs' own event dispatch, as `mkdocs build` / `mkdocs serve` run it up to the files stage."""
    config.plugins.on_startup(command=command, dirty=False)
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(Files([]), config=config)
    return plugin_of(config), config, files


def test_config_watches_content_and_adds_the_markdown_features_the_notice_needs(config, tmp_path):
    _, config, _ = run_until_files(config)
    assert str((tmp_path / "content").resolve()) in config.watch
    for name in ("tables", "attr_list", "toc"):
        assert name in config.markdown_extensions
    assert any(type(e).__name__ == "LinkPolicy" for e in config.markdown_extensions)


def test_pages_are_generated_outside_the_docs_folder_and_the_scratch_goes_after_the_build(config, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    docs = sorted(Path(config.docs_dir).rglob("*")) if Path(config.docs_dir).exists() else []
    plugin, config, files = run_until_files(config)
    uris = {file.src_uri for file in files}
    assert {"index.md", "nb/index.md", "en/index.md"} <= uris
    assert all(file.generated_by == "privacy-notice" for file in files if file.src_uri.endswith(".md"))
    page = files.get_file_from_path("nb/index.md")
    assert Path(page.abs_src_path).is_relative_to(tmp_path / "tmp") and "# " in page.content_string
    assert (sorted(Path(config.docs_dir).rglob("*")) if Path(config.docs_dir).exists() else []) == docs
    plugin.on_build_error(error=RuntimeError("a later plugin failed"))
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_temporary_folder_that_cannot_be_made_is_one_line_naming_tmpdir(config, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    with pytest.raises(PluginError) as caught:
        run_until_files(config)
    assert "TMPDIR" in str(caught.value) and "\n" not in str(caught.value)


def test_draft_pages_only_while_serving(config):
    _, _, built = run_until_files(config, "build")
    assert "nb/draft/index.md" not in {x.src_uri for x in built}
    _, _, served = run_until_files(config, "serve")
    assert {"nb/draft/index.md", "en/draft/index.md"} <= {x.src_uri for x in served}


def test_each_page_gets_its_language_and_its_translations(config):
    plugin, config, files = run_until_files(config)
    file = files.get_file_from_path("en/index.md")
    page = Page(None, file, config)
    page.read_source(config)
    config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
    assert page.meta["lang"] == "en"
    assert [(a["lang"], a["link"]) for a in page.meta["alternates"]] == [("nb", "nb/"), ("en", "en/")]


def test_invalid_content_is_a_plugin_error_listing_every_problem(tmp_path):
    d = f.data()
    d["organisation"]["emial"] = "x@y.no"
    d["purposes"][0]["legal_basis"] = "contrakt"
    f.write_content(tmp_path / "content", d)
    config = load_config(str(mkdocs_yml(tmp_path)))
    with pytest.raises(PluginError) as error:
        run_until_files(config)
    message = str(error.value)
    assert "did you mean 'email'" in message and "did you mean 'contract'" in message
    assert message.index("emial") < message.index("contrakt")  # file order


def test_header_shows_the_organisation_and_its_logo_from_the_content(tmp_path):
    d = f.data()
    d["organisation"]["logo"] = "brand/logo.svg"
    content = f.write_content(tmp_path / "content", d)
    (content / "brand").mkdir()
    (content / "brand" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    config = load_config(str(mkdocs_yml(tmp_path)))
    _, config, files = run_until_files(config)
    assert config.site_name == "Fjelltopp Regnskap AS"
    assert config.theme["logo"] == "assets/images/organisation-logo.svg"
    assert files.get_file_from_path("assets/images/organisation-logo.svg").content_bytes.startswith(b"<svg")
    assert config.extra["generator"] is False  # no "Made with Material for MkDocs"


@pytest.mark.parametrize("make", ["missing", "outside"])
def test_a_logo_that_is_missing_or_outside_the_content_folder_is_refused(tmp_path, make):
    d = f.data()
    d["organisation"]["logo"] = "logo.svg"
    content = f.write_content(tmp_path / "content", d)
    if make == "outside":
        (tmp_path / "secret.svg").write_text("not for publishing", encoding="utf-8")
        (content / "logo.svg").symlink_to(tmp_path / "secret.svg")
    config = load_config(str(mkdocs_yml(tmp_path)))
    with pytest.raises(PluginError, match="organisation.logo"):
        run_until_files(config)


def test_search_stems_every_language_of_the_notice(tmp_path):
    f.write_content(tmp_path / "content")
    path = mkdocs_yml(tmp_path)
    path.write_text(path.read_text().replace('  - search:\n      lang: ["no", en]\n', "  - search\n"))
    assert "lang: [" not in path.read_text()  # a site that says nothing about search languages
    config = load_config(str(path))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)  # Material's search takes the theme's language: ["no"]
    config.plugins.on_files(Files([]), config=config)
    assert sorted(config.plugins["material/search"].config.lang) == ["en", "no"]
