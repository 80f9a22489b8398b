"""The MkDocs plugin: a thin shell that puts the site plan (pages.py) into MkDocs as in-memory files.

It never writes into docs_dir (that would make `mkdocs serve` rebuild forever) and never patches
MkDocs: each page carries its language in page.meta, which the theme override of Material's
partials/language.html reads to set <html lang> and Material's own UI strings.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

from .clauses import label
from .config import PrivacyNoticeConfig
from .content import load_notice, locate_content
from .errors import ContentError, NoticeError
from .pages import Page, plan
from .records import write_records
from .releases import build_date, load_verified_log, missing_urls
from .safety import LinkPolicy
from .typeset import Typeset

#: Markdown features the rendered notice relies on: tables, {#anchor} and {.class} attributes, permalinks.
REQUIRED_EXTENSIONS = ("tables", "attr_list", "toc")


class PrivacyNoticePlugin(BasePlugin[PrivacyNoticeConfig]):
    def __init__(self) -> None:
        self.command = "build"
        self.pages: dict[str, Page] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps one plugin instance across `mkdocs serve` rebuilds.
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.content_path = (Path(config.config_file_path).parent / self.config.content).resolve()
        if str(self.content_path) not in config.watch:
            config.watch.append(str(self.content_path))
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        config.mdx_configs.setdefault("toc", {}).setdefault("permalink", True)
        config.markdown_extensions.append(LinkPolicy())
        config.markdown_extensions.append(Typeset())
        # Truthy but not a list: Material then shows the language switch (our partials/alternate.html,
        # which links the same page in the other language) but emits no site-wide hreflang links of its
        # own; main.html adds the per-page ones.
        config.extra["alternate"] = True
        config.extra["generator"] = False  # no "Made with Material for MkDocs" line: the site is the organisation's
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        try:
            notice = load_notice(self.content_path)
            log = load_verified_log(locate_content(self.content_path).root)
        except ContentError as exc:
            raise PluginError("invalid content:\n" + "\n".join(str(p) for p in exc.problems)) from None
        except NoticeError as exc:
            raise PluginError(str(exc)) from None
        self.log = log
        self.notice = notice
        draft = self.config.draft == "always" or (self.config.draft == "serve" and self.command == "serve")
        self.pages = {}
        self.translations: dict[str, list[Page]] = {}  # page key -> the page in each language
        self.languages = notice.languages
        for page in plan(notice, log, today=build_date(), draft=draft, site_url=config.site_url):
            self.pages[page.src_uri] = page
            if page.is_markdown:
                self.translations.setdefault(page.key, []).append(page)
            files.append(
                File.generated(
                    config,
                    page.src_uri,
                    content=page.content,
                    # The sidebar is hidden (one language per page); links between pages are in the text.
                    inclusion=InclusionLevel.NOT_IN_NAV,
                )
            )
        self._chrome(notice, files, config)
        self.files = files
        return files

    def _chrome(self, notice, files: Files, config: MkDocsConfig) -> None:
        """The header shows the organisation from the content, and its logo if it has one."""
        org = notice.organisation
        config.site_name = org.name
        if org.logo:
            root = locate_content(self.content_path).root.resolve()
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

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Fail the build if it dropped a URL an earlier release published: those links are in e-mails.
        Then write the internal records beside (never inside) the site."""
        missing = missing_urls(self.log, Path(config.site_dir))
        if missing:
            raise PluginError(f"the build no longer serves {len(missing)} published URL(s): {', '.join(missing)}")
        if self.config.records_dir and self.command == "build":
            write_records(self.notice, self.log, Path(config.config_file_path).parent / self.config.records_dir)

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        spec = self.pages.get(page.file.src_uri)
        if spec is None:
            return markdown
        page.meta.update(spec.meta)
        page.meta["lang"] = spec.lang
        page.meta.setdefault("title", spec.title)
        page.meta["hide"] = ["navigation"]
        page.meta["alternates"] = self._alternates(spec)
        return markdown

    def _alternates(self, spec: Page) -> list[dict[str, str]]:
        """The same page in every language, for the language switch and hreflang links."""
        key = "current" if spec.key == "chooser" else spec.key
        out = []
        for other in self.translations.get(key, ()):
            file = self.files.get_file_from_path(other.src_uri)
            out.append({"lang": other.lang, "name": label("language_name", other.lang), "link": file.url})
        return sorted(out, key=lambda a: self.languages.index(a["lang"]) if a["lang"] in self.languages else 99)
