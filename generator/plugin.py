"""The MkDocs plugin: a thin shell that puts the site plan (pages.py) into MkDocs as generated files.

Each page is written to a private temporary folder as it is planned and read from there by MkDocs,
as a hand-written page would be, so a build never holds every page's text at once. It never writes
into docs_dir (that would make `mkdocs serve` rebuild forever) and never patches
MkDocs: each page carries its language in its front matter, which the theme override of Material's
partials/language.html reads to set <html lang> and Material's own UI strings. The overrides ship in
the package and the plugin registers them with Material itself, so a site needs only
`theme: material` and the plugin; it never replaces a page the site already has.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

from . import clauses
from .clauses import label
from .config import PrivacyNoticeConfig
from .content import RELEASES_FILE, load_notice, locate_content
from .errors import ContentError, NoticeError
from .files import Scratch, guard_output, write_marker
from .pages import Page, require_site_url, site_files
from .records import write_records
from .releases import RELEASES_DIR, build_date, load_verified_log, missing_urls
from .reuse import Reuse
from .safety import LinkPolicy, sanitise_html
from .typeset import Typeset

#: Markdown features the rendered notice relies on: tables, {#anchor} and {.class} attributes, permalinks.
REQUIRED_EXTENSIONS = ("tables", "attr_list", "toc")

#: Our stylesheet, inside the theme overrides.
STYLESHEET = "assets/stylesheets/notice.css"


def theme_dir() -> Path:
    """The theme overrides: inside the wheel as generator/theme; in a checkout the top-level theme/."""
    here = Path(__file__).resolve().parent
    bundled = here / "theme"
    return bundled if bundled.is_dir() else here.parent / "theme"


#: lunr's name for a language where it differs from ours (lunr stems bokmål as "no").
LUNR_LANGUAGES = {"nb": "no", "nn": "no"}


def _search_languages(languages, config: MkDocsConfig) -> None:
    """Material's search stems every language the notice is published in, not only the theme's."""
    search = config.plugins.get("material/search")
    if search is None or search.config.lang is None:
        return
    for code in languages:
        lunr = LUNR_LANGUAGES.get(code, code)
        if lunr not in search.config.lang:
            search.config.lang.append(lunr)


@contextlib.contextmanager
def _plugin_errors() -> Iterator[None]:
    """Our errors as MkDocs' PluginError: MkDocs shows its message, in one line per problem, no traceback."""
    try:
        yield
    except ContentError as exc:
        raise PluginError("invalid content:\n" + "\n".join(str(p) for p in exc.problems)) from None
    except NoticeError as exc:
        raise PluginError(str(exc)) from None


def _search_index(config: MkDocsConfig):
    """Material's search index of this build (its list of entries), or None where there is none or
    its shape is not the one this version of Material has (then a preview's search finds only the
    pages rebuilt on a save, as before)."""
    search = config.plugins.get("material/search")
    index = getattr(search, "search_index", None)
    return index if isinstance(getattr(index, "entries", None), list) else None


def _use_theme(config: MkDocsConfig) -> None:
    """Register our templates and CSS with Material, and check what the notice depends on.

    Our overrides go after the site's own custom_dir (which may still override them) and before
    Material's templates. No Google Fonts: the site loads nothing from other hosts.
    """
    theme = config.theme
    if theme.name != "material":
        raise PluginError(f"privacy-notice needs theme: material in {config.config_file_path} (found {theme.name or 'a theme without a name'})")
    ours = str(theme_dir())
    if ours not in theme.dirs:
        custom = theme.custom_dir
        at = 1 if custom and theme.dirs and theme.dirs[0] == custom else 0
        theme.dirs.insert(at, ours)
    font = theme.get("font")
    if font is not False:
        if _font_configured(config) and not _self_hosts_fonts(config):
            raise PluginError(
                f"{config.config_file_path}: theme.font loads Google Fonts, a request to a third-party host; "
                "set font: false, or enable Material's privacy plugin to host the fonts yourself"
            )
        if not _self_hosts_fonts(config):
            theme["font"] = False
    if STYLESHEET not in [str(css) for css in config.extra_css]:
        config.extra_css.append(STYLESHEET)


def _font_configured(config: MkDocsConfig) -> bool:
    """Whether mkdocs.yml itself names a font (Material's default, Roboto from Google, is replaced quietly)."""
    from .document import read_document

    try:
        data = read_document(Path(config.config_file_path)).data
    except (NoticeError, OSError, TypeError):
        return False
    theme = data.get("theme") if isinstance(data, dict) else None
    return isinstance(theme, dict) and theme.get("font") not in (None, False)


def _self_hosts_fonts(config: MkDocsConfig) -> bool:
    return any(name in config.plugins for name in ("material/privacy", "privacy"))


class PrivacyNoticePlugin(BasePlugin[PrivacyNoticeConfig]):
    def __init__(self) -> None:
        self.command = "build"
        self.pages: dict[str, Page] = {}
        self.reuse: Reuse | None = None
        self.scratch: Scratch | None = None  # this build's generated pages, until MkDocs has read them

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps one plugin instance across `mkdocs serve` rebuilds.
        self.command = command
        # A save under `mkdocs serve` rebuilds what can have changed (reuse.py); a build renders everything.
        if self.reuse is not None:
            self.reuse.close()
        self.reuse = Reuse(dirty=dirty) if command == "serve" else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        _use_theme(config)
        self.prefix = self.config.prefix
        self.content_path = (Path(config.config_file_path).parent / self.config.content).resolve()
        if str(self.content_path) not in config.watch:
            config.watch.append(str(self.content_path))
        if self.reuse is not None and str(clauses.LIBRARY) not in config.watch:
            config.watch.append(str(clauses.LIBRARY))  # a save to the clause library shows in the preview
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        config.mdx_configs.setdefault("toc", {}).setdefault("permalink", True)
        config.markdown_extensions.append(LinkPolicy())
        config.markdown_extensions.append(Typeset())
        # Truthy but not a list: Material then shows the language switch (our partials/alternate.html,
        # which links the same page in the other language) but emits no site-wide hreflang links of its
        # own; main.html adds the per-page ones.
        # A site that has its own language list keeps it (our partial falls back to it on its own pages).
        if not config.extra.get("alternate"):
            config.extra["alternate"] = True
        config.extra.setdefault("generator", False)  # no "Made with Material for MkDocs" line: the site is the organisation's
        self._guard_outputs(config)
        return config

    def _guard_outputs(self, config: MkDocsConfig) -> None:
        """Refuse, before MkDocs empties anything, a site_dir or records_dir that is not a place for output."""
        if self.command != "build":
            return  # `mkdocs serve` builds into a temporary folder of its own
        from .site import protected_paths

        project = Path(config.config_file_path).parent
        try:
            guard_output(Path(config.site_dir), project=project, protected=protected_paths(config), what="site folder")
            if self.config.records_dir:
                records = project / self.config.records_dir
                protected = {**protected_paths(config), "the site folder": Path(config.site_dir)}
                docs = {"the docs folder": protected.pop("the docs folder")}  # records may live in docs/: never published
                guard_output(records, project=project, protected=protected, what="records folder", enclosing=docs)
        except NoticeError as exc:
            raise PluginError(str(exc)) from None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self._clear_scratch()
        if self.reuse is not None:
            self.reuse.start(config)
        with _plugin_errors():
            paths = locate_content(self.content_path)
            notice = load_notice(self.content_path)
            log = self.reuse.log(paths.root) if self.reuse is not None else load_verified_log(paths.root)
            require_site_url(log, config.site_url, config.config_file_path)
        self.log = log
        self.notice = notice
        self._leave_out_sources(files, paths, config)
        draft = self.config.draft == "always" or (self.config.draft == "serve" and self.command == "serve")
        self.pages = {}
        self.translations: dict[str, list[str]] = {}  # page key -> its path in each language
        self.languages = notice.languages
        make, text = (self.reuse.plan, self.reuse.source) if self.reuse is not None else (None, None)
        with _plugin_errors():  # the plan reads frozen files as it goes: one it cannot read is located here too
            self._add_pages(site_files(notice, log, today=build_date(), draft=draft, site_url=config.site_url, prefix=self.prefix, make=make, text=text), files, config)
        if self.reuse is None:
            log.forget()  # a build is done with every version's content; records read what they need again
        self._chrome(notice, paths.root, files, config)
        _search_languages(notice.languages, config)
        self.files = files
        return files

    def _add_pages(self, generated, files: Files, config: MkDocsConfig) -> None:
        reused: dict[str, File] = {}
        if self.reuse is not None:
            generated = list(generated)
            reused = self.reuse.files([(path, page) for path, page, _ in generated], config, files)
        for path, page, text in generated:
            self._refuse_to_replace(files, path, config)
            self.pages[path] = replace(page, content="")  # what is needed later: its key and language
            if page.is_markdown:
                self.translations.setdefault(page.key, []).append(path)
            if path in reused:
                files.append(reused[path])
                continue
            # Written out, not held: MkDocs reads each page once, as it reads a hand-written one.
            # The sidebar is hidden (one language per page); links between pages are in the text.
            written = self._scratch_file(path, text)
            files.append(File.generated(config, path, abs_src_path=written, inclusion=InclusionLevel.NOT_IN_NAV))

    def _scratch_file(self, path: str, text: str) -> str:
        if self.scratch is None:
            self.scratch = Scratch()
        return self.scratch.put(path, text.encode("utf-8"))

    def _clear_scratch(self) -> None:
        if self.scratch is not None:
            self.scratch.close()
            self.scratch = None

    def _refuse_to_replace(self, files: Files, path: str, config: MkDocsConfig) -> None:
        """A page the site already has (hand-written) is never replaced by a generated one."""
        existing = files.get_file_from_path(path)
        if existing is not None and existing.generated_by != "privacy-notice":
            hint = "" if self.prefix else " (or set the plugin's prefix option, e.g. prefix: privacy)"
            where = Path(config.docs_dir, path)
            where = where.relative_to(Path(config.config_file_path).parent) if where.is_relative_to(Path(config.config_file_path).parent) else where
            raise PluginError(f"{where.as_posix()}: the privacy notice would replace this page; move it{hint}")

    def _chrome(self, notice, root: Path, files: Files, config: MkDocsConfig) -> None:
        """The header shows the organisation from the content, and its logo if it has one. Inside an
        existing site (the prefix option) the header is the site's own: its name and logo stay."""
        org = notice.organisation
        if self.prefix:
            return
        config.site_name = org.name
        if org.logo:
            root = root.resolve()
            path = (root / org.logo).resolve()
            if not path.is_relative_to(root):  # a symlink out of the content folder would publish any file
                raise PluginError(f"organisation.logo: {org.logo} is outside the content folder")
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise PluginError(f"organisation.logo: cannot read {path}: {exc.strerror}") from None
            uri = "assets/images/organisation-logo" + Path(org.logo).suffix.lower()
            files.append(File.generated(config, uri, content=data))
            config.theme["logo"] = uri

    def _leave_out_sources(self, files: Files, paths, config: MkDocsConfig) -> None:
        """A content folder inside docs_dir must not publish its sources: the notice's YAML, the release
        log, the frozen versions and the internal records would otherwise be copied into the site."""
        root = paths.root.resolve()
        sources = {paths.notice.resolve(), (root / RELEASES_FILE).resolve()}
        folders = [(root / RELEASES_DIR).resolve()]
        if self.config.records_dir:
            folders.append((Path(config.config_file_path).parent / self.config.records_dir).resolve())
        for file in list(files):
            if file.generated_by is not None or not file.abs_src_path:
                continue
            where = Path(file.abs_src_path).resolve()
            if where in sources or any(where.is_relative_to(folder) for folder in folders):
                files.remove(file)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Fail the build if it dropped a URL an earlier release published: those links are in e-mails.
        Then write the internal records beside (never inside) the site."""
        self._clear_scratch()  # every page has been read and every file copied
        if self.reuse is not None:
            index = _search_index(config)
            self.reuse.remember(self.files, search=index.entries if index is not None else None)
        missing = missing_urls(self.log, Path(config.site_dir) / self.prefix)
        if missing:
            raise PluginError(f"the build no longer serves {len(missing)} published URL(s): {', '.join(missing)}")
        write_marker(Path(config.site_dir))
        if self.config.records_dir and self.command == "build":
            write_records(self.notice, self.log, Path(config.config_file_path).parent / self.config.records_dir)

    def on_page_content(self, html: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """Second layer: whatever the renderer let through, the page content is cut down to an
        allow-list (safety.sanitise_html) before Material wraps it in its own page chrome."""
        return sanitise_html(html)

    def on_build_error(self, *, error: Exception) -> None:
        self._clear_scratch()

    def on_shutdown(self) -> None:
        self._clear_scratch()
        if self.reuse is not None:
            self.reuse.close()

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        if self.reuse is not None:
            self.reuse.templates(env)
            index = _search_index(config)
            if index is not None and not self.reuse.dirty:  # with --dirty, Material keeps its last index itself
                index.entries.extend(self.reuse.search_entries())
        return env

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        spec = self.pages.get(page.file.src_uri)
        if spec is None:
            return markdown
        # Title, language and the rest of page.meta come from the page's front matter (pages.source).
        page.meta["alternates"] = self._alternates(spec)
        return markdown

    def _alternates(self, spec: Page) -> list[dict[str, str]]:
        """The same page in every language, for the language switch and hreflang links."""
        key = "current" if spec.key == "chooser" else spec.key
        out = []
        for path in self.translations.get(key, ()):
            other = self.pages[path]
            file = self.files.get_file_from_path(path)
            out.append({"lang": other.lang, "name": label("language_name", other.lang), "link": file.url})
        return sorted(out, key=lambda a: self.languages.index(a["lang"]) if a["lang"] in self.languages else 99)
