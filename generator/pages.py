"""Which pages the site has, at which URL, in which language: the site plan, free of MkDocs.

URL layout (paths are the same in every language but for the prefix, so a page and its translation
differ only there, and the language switch always lands on the same page):

    /                              language chooser
    /LANG/                         the version in force (or the draft, before the first release)
    /LANG/versions/                every released version
    /LANG/versions/N/              version N exactly as published; permanent
    /LANG/versions/N/changes/      what changed in N against N-1: the changes and the text diff
    /LANG/changelog/               every release with its date, class and changes in plain words
    /LANG/subprocessors/           for a processor: its sub-processors, as of the version in force,
                                   with the additions and removals announced for later
    /LANG/subprocessors/feed.xml   Atom feed of sub-processor changes
    /LANG/feed.xml                 Atom feed of releases
    /versions/N.json               version N as data
    /versions/N.jsonld             version N in W3C DPV terms (JSON-LD)
    /LANG/draft/                   the working copy, only while previewing (`mkdocs serve`)

Released versions are shown from their frozen text; only the banner and the links above it are added,
and on /LANG/ the short layer when the version was frozen before it existed (summary.insert_summary).
Each page's metadata carries what the theme shows around the text: the version and the dates it is in
force for the print footer, and what search should find (superseded versions are left out).
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from string import Template
from typing import Callable, Iterable, Iterator, Mapping

from .clauses import label
from .diff import Change
from .errors import UsageError
from .escape import front_matter
from .exports import jsonld_text
from .model import Notice
from .releases import Release, ReleaseLog
from .render import Stamp, render_notice, render_subprocessors
from .escape import json_text
from .escape import xml_text as xml_escape  # XML 1.0: markup escaped, forbidden characters replaced
from .safety import escape_text
from .summary import insert_summary
from .textdiff import as_markdown, hunks
from .words import country, listing, long_date


@dataclass(frozen=True)
class Page:
    """One generated file. `key` names the page independently of language, pairing translations."""

    src_uri: str  # e.g. "nb/versions/2/index.md"; MkDocs derives the URL
    lang: str
    key: str
    title: str
    content: str
    meta: Mapping[str, object] = field(default_factory=dict)

    @property
    def is_markdown(self) -> bool:
        return self.src_uri.endswith(".md")


def plan(notice: Notice, log: ReleaseLog, *, today: dt.date, draft: bool = False, site_url: str | None = None) -> list[Page]:
    """Every generated file: the published pages, then (while previewing) the draft pages."""
    return list(each_page(notice, log, today=today, draft=draft, site_url=site_url))


def each_page(notice: Notice, log: ReleaseLog, *, today: dt.date, draft: bool = False, site_url: str | None = None) -> Iterator[Page]:
    """plan, one page at a time: a build hands each to MkDocs and lets it go before the next is made,
    so the pages of a hundred versions (14 MiB of text) are never in memory together."""
    yield from _published(notice, log, today=today, site_url=site_url)
    if draft:
        yield from draft_pages(notice, log, today=today, site_url=site_url)


def published_pages(notice: Notice, log: ReleaseLog, *, today: dt.date, site_url: str | None = None) -> list[Page]:
    """The chooser, then each language's pages, then the JSON exports: everything but the draft."""
    return list(_published(notice, log, today=today, site_url=site_url))


def _published(notice: Notice, log: ReleaseLog, *, today: dt.date, site_url: str | None = None) -> Iterator[Page]:
    yield chooser(notice)
    for lang in notice.languages:
        yield from _Language(notice, log, lang, today, site_url).pages()
    base = (site_url or "/").rstrip("/") + "/"
    for release in log.releases:
        yield Page(f"versions/{release.version}.json", "", f"json-{release.version}", "", export_json(release, log))
        url = f"{base}versions/{release.version}.jsonld"
        yield Page(f"versions/{release.version}.jsonld", "", f"jsonld-{release.version}", "", jsonld_text(release.notice, base=url, version=release.version))


def draft_pages(notice: Notice, log: ReleaseLog, *, today: dt.date, site_url: str | None = None) -> list[Page]:
    """The working copy, one page per language: what a preview shows of an unreleased edit."""
    return [_Language(notice, log, lang, today, site_url).draft_page() for lang in notice.languages]


def working_copy_inputs(notice: Notice, log: ReleaseLog) -> object:
    """All that published_pages reads from the working copy; the rest comes from the frozen releases.

    `mkdocs serve` reuses the published pages while this (and the log) is unchanged, so a new read of
    the working copy in published_pages must be added here. Before the first release the current page
    shows the working copy itself, so it is all of it; so does a language no release has yet."""
    released = {lang for release in log.releases for lang in release.languages}
    if not released.issuperset(notice.languages):
        return notice
    return (notice.languages, notice.default_language, notice.organisation.name)


def require_site_url(log: ReleaseLog, site_url: str | None, config_file: object) -> None:
    """Once a version is released the feeds' ids and links and the JSON-LD base must be absolute."""
    if log.releases and not site_url:
        raise UsageError(f"{config_file}: site_url is not set; the feeds need the site's full address (e.g. site_url: https://ORG.github.io/REPO/)")


def site_files(
    notice: Notice, log: ReleaseLog, *, today: dt.date, draft: bool = False, site_url: str | None = None, prefix: str = "", make: Callable[..., Iterable[Page]] | None = None,
    text: Callable[[Page], str] | None = None,
) -> Iterator[tuple[str, Page, str]]:
    """Every generated file as (path in the site, page, file text): what the MkDocs plugin hands MkDocs
    and what `privacy-notice pages` writes to disk, so another engine can build the same site.

    `prefix` puts the whole notice under a site path (e.g. "privacy"); its absolute links follow.
    `make` replaces `each_page` (same arguments) and `text` replaces `source`: `mkdocs serve` passes
    the ones that reuse what a save did not change (reuse.py).

    One file at a time: a caller that writes each out and keeps only the paths holds one page at once.
    """
    base = (site_url.rstrip("/") + "/" + (prefix + "/" if prefix else "")) if site_url else None
    for page in (make or each_page)(notice, log, today=today, draft=draft, site_url=base):
        path = posixpath.join(prefix, page.src_uri) if prefix else page.src_uri
        yield path, page, (text or source)(page)


def source(page: Page) -> str:
    """A Markdown page with its front matter (title, language, page metadata); any other file as it is."""
    if not page.is_markdown:
        return page.content
    meta = {"title": page.title, "lang": page.lang, **page.meta, "hide": ["navigation"]}
    return front_matter(meta) + "\n" + page.content


def chooser(notice: Notice) -> Page:
    """The root page: one link per language, each labelled in its own language."""
    lines = [f"# {escape_text(notice.organisation.name)}", ""]
    for lang in notice.languages:
        lines.append(f"- [{label('title', lang)} – {label('language_name', lang)}]({lang}/index.md){{hreflang={lang} lang={lang}}}")
    return Page("index.md", notice.default_language, "chooser", escape_text(notice.organisation.name), "\n".join(lines) + "\n")


def _rel(src: str, target: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(src) or ".")


class _Language:
    def __init__(self, notice: Notice, log: ReleaseLog, lang: str, today: dt.date, site_url: str | None):
        self.notice, self.log, self.lang, self.today, self.site_url = notice, log, lang, today, site_url
        self.releases = [r for r in log.releases if lang in r.languages]
        self.current = next((r for r in reversed(self.releases) if r.in_force(today)), None)
        self.upcoming = [r for r in self.releases if not r.in_force(today)]

    def l(self, ident: str, **values: str) -> str:  # noqa: E743 (short on purpose: used everywhere)
        return Template(label(ident, self.lang)).safe_substitute(values)

    def date(self, value: dt.date) -> str:
        return long_date(value, self.lang)

    def uri(self, page: str) -> str:
        return f"{self.lang}/{page}"

    def version_uri(self, release: Release, changes: bool = False) -> str:
        return self.uri(f"versions/{release.version}/{'changes/' if changes else ''}index.md")

    def links(self, src: str) -> str:
        """The line of links above every page of the notice."""
        items = [(self.l("link_current"), self.uri("index.md"))]
        if self.shown[0].organisation.processor:
            items.append((self.l("link_subprocessors"), self.uri("subprocessors/index.md")))
        if self.releases:
            items += [(self.l("link_versions"), self.uri("versions/index.md")), (self.l("link_changelog"), self.uri("changelog/index.md"))]
        return " · ".join(f"[{text}]({_rel(src, target)})" for text, target in items) + "\n{.notice-links}"

    @property
    def shown(self) -> tuple[Notice, Stamp]:
        """The notice the current page shows: the version in force, else the first announced, else the draft."""
        release = self.current or (self.upcoming[0] if self.upcoming else None)
        if release is None:
            return self.notice, Stamp()
        return release.notice, Stamp(release.version, release.effective, release.announced)

    def pages(self) -> Iterator[Page]:
        yield self.current_page()
        if self.shown[0].organisation.processor:
            yield self.subprocessors_page()
            if self.releases:
                yield self.subprocessors_feed()
        if self.releases:
            yield self.versions_page()
            for release in self.releases:
                yield self.version_page(release)
                yield self.changes_page(release)
            yield self.changelog_page()
            yield self.feed()

    def subprocessor_changes(self) -> list[tuple[Release, list[str], list[str]]]:
        """Per release, the sub-processors it adds and removes against the release before it."""
        out = []
        for release in self.releases:
            previous = self.log.previous(release)
            before = _subprocessors(previous.notice) if previous else ()
            after = _subprocessors(release.notice)
            added, removed = [x for x in after if x not in before], [x for x in before if x not in after]
            if previous is not None and (added or removed):
                out.append((release, added, removed))
        return out

    def subprocessor_lines(self, release: Release, added: list[str], removed: list[str], *, markdown: bool = True) -> list[str]:
        """The announcement of each addition and removal: Markdown for the page, plain text for the feed."""
        new, old = release.notice, self.log.previous(release).notice
        text = escape_text if markdown else str

        def say(ident: str, **values: str) -> str:
            template = label(ident, self.lang) if markdown else label(ident, self.lang).replace("**", "")
            return Template(template).safe_substitute(values)

        effective = self.date(release.effective)
        lines = []
        for ident in added:
            r = new.recipient(ident)
            where = listing([country(c, self.lang) for c in r.locations], self.lang)
            service = r.service(self.lang).strip().rstrip(".")
            lines.append(say("subprocessor_added", name=text(r.title(self.lang)), effective=effective, service=text(service), where=where))
        for ident in removed:
            lines.append(say("subprocessor_removed", name=text(old.recipient(ident).title(self.lang)), effective=effective))
        return lines

    def subprocessors_page(self) -> Page:
        """Today's sub-processors, then the additions and removals announced for later (Art. 28(2))."""
        src = self.uri("subprocessors/index.md")
        notice, stamp = self.shown
        text = render_subprocessors(notice, self.lang, stamp)
        announced = []
        for release, added, removed in self.subprocessor_changes():
            if self.status(release) == "upcoming":
                lines = self.subprocessor_lines(release, added, removed)
                announced.append("\n".join(f"- {line}" for line in lines))
                announced.append(self.l("subprocessors_announced_on", announced=self.date(release.announced)))
        section = [f"## {self.l('subprocessors_announced')} {{#announced}}", *(announced or [self.l("subprocessors_none_announced")])]
        if self.releases:
            section.append(f"[{self.l('subprocessors_feed')}]({_rel(src, self.uri('subprocessors/feed.xml'))})")
        # The announcements go right after the table, before the paragraph on how to object.
        head, sep, tail = text.partition("\n## ")
        body = "\n\n".join([self.links(src), head.rstrip(), *section, (sep.lstrip("\n") + tail) if sep else ""])
        return Page(src, self.lang, "subprocessors", self.l("heading_subprocessors"), body, {"print_footer": self.period(self.current) if self.current else ""})

    def subprocessors_feed(self) -> Page:
        """Atom feed of sub-processor changes: one entry per release that adds or removes one."""
        src = self.uri("subprocessors/feed.xml")
        entries = []
        for release, added, removed in reversed(self.subprocessor_changes()):
            plain = " ".join(self.subprocessor_lines(release, added, removed, markdown=False))
            url = self.absolute(f"{self.lang}/versions/{release.version}/changes/")
            title = f"{self.l('version')} {release.version} – {self.l('effective_from').lower()} {self.date(release.effective)}"
            entries.append(_atom_entry(title, url, release.announced, plain))
        updated = max((r.announced for r, _, _ in self.subprocessor_changes()), default=self.releases[0].announced)
        xml = self.atom(src, self.l("subprocessors_feed_title"), self.absolute(self.lang + "/subprocessors/"), updated, entries)
        return Page(src, self.lang, "subprocessors-feed", self.l("subprocessors_feed_title"), xml)

    def draft_page(self) -> Page:
        src = self.uri("draft/index.md")
        text = render_notice(self.notice, self.lang, Stamp())
        return Page(src, self.lang, "draft", self.l("draft"), self.links(src) + "\n\n" + text, {"robots": "noindex"})

    def current_page(self) -> Page:
        src = self.uri("index.md")
        title = self.l("title")
        if self.current is None and not self.upcoming:
            text = render_notice(self.notice, self.lang, Stamp())
            return Page(src, self.lang, "current", title, text, {"print_footer": self.l("draft"), "search": {"boost": 10}})
        shown = self.current or self.upcoming[0]
        banners = []
        for release in self.upcoming:
            if release is shown:
                banners.append(self.banner(self.l("upcoming_only", effective=self.date(release.effective))))
            else:
                target = _rel(src, self.version_uri(release))
                banners.append(self.banner(f"{self.l('upcoming_banner', effective=self.date(release.effective))} [{self.l('version')} {release.version}]({target})."))
        # A version frozen before the short layer existed gets it here, from its own frozen facts; its
        # archived page (/LANG/versions/N/) stays exactly as published.
        text = insert_summary(shown.text(self.lang), shown.notice, self.lang)
        body = "\n\n".join([self.links(src), *banners, text])
        return Page(src, self.lang, "current", title, body, {"print_footer": self.period(shown), "search": {"boost": 10}})

    def banner(self, markdown: str, kind: str = "info") -> str:
        return f"{markdown}\n{{.notice-banner .notice-banner-{kind}}}"

    def until(self, release: Release) -> dt.date | None:
        """The last day `release` was in force: the day before its successor took effect (None if it still is)."""
        later = [r for r in self.releases if r.version > release.version and r.in_force(self.today)]
        return later[0].effective - dt.timedelta(days=1) if later else None

    def period(self, release: Release) -> str:
        """"In force from X until Y" / "In force from X" / "Takes effect on X", with the version."""
        effective = self.date(release.effective)
        status = self.status(release)
        if status == "upcoming":
            text = self.l("takes_effect", effective=effective)
        elif status == "superseded" and self.until(release):
            text = self.l("in_force_from_to", effective=effective, until=self.date(self.until(release)))
        else:
            text = self.l("in_force_from", effective=effective)
        return f"{self.l('version')} {release.version} · {text}"

    def status(self, release: Release) -> str:
        if not release.in_force(self.today):
            return "upcoming"
        return "current" if release is self.current else "superseded"

    def version_page(self, release: Release) -> Page:
        src = self.version_uri(release)
        status = self.status(release)
        banners = []
        if status == "superseded" and self.current:
            until = self.until(release)
            period = self.l("in_force_from_to", effective=self.date(release.effective), until=self.date(until)) if until else ""
            banners.append(
                self.banner(
                    f"**{period}.** {self.l('replaced_see') if period else self.l('superseded_banner', effective=self.date(release.effective))} [{self.l('link_current').lower()} ({self.l('version').lower()} {self.current.version})]({_rel(src, self.uri('index.md'))}).",
                    "superseded",
                )
            )
        elif status == "current":
            banners.append(self.banner(self.l("current_self", effective=self.date(release.effective)), "current"))
        elif status == "upcoming":
            text = self.l("upcoming_self", effective=self.date(release.effective))
            if self.current:
                text += f" [{self.l('version')} {self.current.version}]({_rel(src, self.version_uri(self.current))})."
            banners.append(self.banner(text))
        more = (
            f"[{self.l('link_changes')}]({_rel(src, self.version_uri(release, changes=True))}) · "
            f"[{self.l('link_json')}]({_rel(src, f'versions/{release.version}.json')}) · "
            f"[JSON-LD (DPV)]({_rel(src, f'versions/{release.version}.jsonld')})"
        )
        body = "\n\n".join([self.links(src), *banners, release.text(self.lang), "---", more])
        # Search finds the notice in force at /LANG/ and announced versions, labelled in their title; not
        # the superseded ones, nor this archive copy of the version in force (the same text as /LANG/).
        meta = {"status": status, "print_footer": self.period(release), "search": {"exclude": status != "upcoming"}}
        title = f"{self.l('version')} {release.version}"
        if status == "upcoming":
            title += f" ({self.l('upcoming_badge').lower()})"
        return Page(src, self.lang, f"version-{release.version}", title, body, meta)

    def change_line(self, change: Change) -> str:
        line = escape_text(change.explanation[self.lang])
        if change.drift:
            langs = listing([label("language_name", x) for x in change.drift], self.lang)
            line += " " + f"*{self.l('drift_flag', langs=langs)}*"
        if change.reclassified:
            r = change.reclassified
            line += " " + f"*{self.l('reclassified', who=escape_text(r.approved_by), reason=escape_text(r.reason))}*"
        return line

    def changes_page(self, release: Release) -> Page:
        src = self.version_uri(release, changes=True)
        changes = self.log.diff(release)
        previous = self.log.previous(release)
        lines = [self.links(src), f"# {self.l('changes_title')} {release.version}", self.summary(release)]
        lines.append(f"## {self.l('structured_changes')} {{#changes}}")
        if previous is None:
            lines.append(self.l("first_version"))
        elif not changes:
            lines.append(self.l("no_changes"))
        else:
            # The public reads the change and its class in plain words; rule ids are for reviewers (review.py).
            rows = [f"| {self.change_line(c)} | {self.l(c.cls)} |" for c in sorted(changes.changes, key=lambda c: (not c.significant, c.key))]
            lines.append("\n".join([f"| {self.l('col_change')} | {self.l('col_class')} |", "|---|---|", *rows]))
        if previous is not None and self.lang in previous.languages:
            found = hunks(previous.text(self.lang), release.text(self.lang))
            lines += [f"## {self.l('text_diff')} {{#text-diff}}", self.l("text_diff_explained"), as_markdown(found) or self.l("no_changes")]
        links = f"[{self.l('link_new_version', version=str(release.version))}]({_rel(src, self.version_uri(release))})"
        if previous is not None:
            links += f" · [{self.l('link_old_version', version=str(previous.version))}]({_rel(src, self.version_uri(previous))})"
        lines.insert(3, links + "\n{.notice-version-links}")
        title = f"{self.l('changes_title')} {release.version}"
        return Page(src, self.lang, f"changes-{release.version}", title, "\n\n".join(lines))

    def summary(self, release: Release) -> str:
        cls = "significant" if release.significant else "minor"
        dates = f"{self.l('effective_from')} {self.date(release.effective)} · {self.l('announced')} {self.date(release.announced)}"
        return f"**{self.l(cls)}.** {self.l(cls + '_explained')} {dates}."

    def versions_page(self) -> Page:
        src = self.uri("versions/index.md")
        rows = []
        for release in reversed(self.releases):
            status = self.l(f"{self.status(release)}_badge")
            until = self.until(release)
            changes = f"[{self.l('link_changes')}]({_rel(src, self.version_uri(release, changes=True))})" if self.log.previous(release) else self.l("first_version")
            rows.append(
                f"| [{self.l('version')} {release.version}]({_rel(src, self.version_uri(release))}) | {self.date(release.effective)} | "
                f"{self.date(until) if until else '–'} | {self.date(release.announced)} | {status} | "
                f"{self.l('significant' if release.significant else 'minor')} | {changes} |"
            )
        header = [self.l(k) for k in ("col_version", "col_effective", "col_until", "col_announced", "col_status", "col_class", "col_what_changed")]
        table = "\n".join(["| " + " | ".join(header) + " |", "|---" * len(header) + "|", *rows])
        body = "\n\n".join([self.links(src), f"# {self.l('versions_title')}", table, f"[{self.l('link_feed')}]({_rel(src, self.uri('feed.xml'))})"])
        return Page(src, self.lang, "versions", self.l("versions_title"), body)

    def changelog_page(self) -> Page:
        src = self.uri("changelog/index.md")
        blocks = [self.links(src), f"# {self.l('changelog_title')}", f"[{self.l('link_feed')}]({_rel(src, self.uri('feed.xml'))})"]
        for release in reversed(self.releases):
            changes = self.log.diff(release)
            blocks.append(f"## {self.l('version')} {release.version} – {self.date(release.effective)} {{#v{release.version}}}")
            if self.status(release) == "upcoming":
                blocks.append(self.banner(self.l("upcoming_mark", effective=self.date(release.effective))))
            blocks.append(self.summary(release))
            if self.log.previous(release) is None:
                blocks.append(self.l("first_version"))
            else:
                ordered = sorted(changes.changes, key=lambda c: (not c.significant, c.key))
                blocks.append("\n".join(f"- {'**' + self.l('significant') + ':** ' if c.significant else ''}{self.change_line(c)}" for c in ordered) or self.l("no_changes"))
            blocks.append(f"[{self.l('link_changes')}]({_rel(src, self.version_uri(release, changes=True))})")
        return Page(src, self.lang, "changelog", self.l("changelog_title"), "\n\n".join(blocks))

    def absolute(self, path: str) -> str:
        base = (self.site_url or "/").rstrip("/") + "/"
        return base + path

    def feed(self) -> Page:
        """An Atom feed a customer can subscribe to: one entry per release, newest first."""
        src = self.uri("feed.xml")
        entries = []
        for release in reversed(self.releases):
            url = self.absolute(f"{self.lang}/versions/{release.version}/")
            changes = self.log.diff(release)
            lines = [c.explanation[self.lang] for c in changes.changes if self.log.previous(release)] or [label("first_version", self.lang)]
            summary = f"{self.l('significant' if release.significant else 'minor')}. {self.l('effective_from')} {self.date(release.effective)}. " + " ".join(lines)
            title = f"{self.l('version')} {release.version} – {self.l('effective_from').lower()} {self.date(release.effective)}"
            entries.append(_atom_entry(title, url, release.announced, summary))
        xml = self.atom(src, self.l("feed_title"), self.absolute(self.lang + "/changelog/"), self.releases[-1].announced, entries)
        return Page(src, self.lang, "feed", self.l("feed_title"), xml)

    def atom(self, src: str, title: str, alternate: str, updated: dt.date, entries: list[str]) -> str:
        org = self.notice.organisation.name
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{self.lang}">\n'
            f"  <title>{xml_escape(title)} – {xml_escape(org)}</title>\n"
            f"  <id>{xml_escape(self.absolute(src))}</id>\n"
            f'  <link rel="self" href="{xml_escape(self.absolute(src))}"/>\n'
            f'  <link rel="alternate" href="{xml_escape(alternate)}"/>\n'
            f"  <updated>{updated.isoformat()}T00:00:00Z</updated>\n"
            f"  <author><name>{xml_escape(org)}</name></author>\n" + "\n".join(entries) + ("\n" if entries else "") + "</feed>\n"
        )


def _atom_entry(title: str, url: str, updated: dt.date, summary: str) -> str:
    return (
        "  <entry>\n"
        f"    <title>{xml_escape(title)}</title>\n"
        f'    <link rel="alternate" href="{xml_escape(url)}"/>\n'
        f"    <id>{xml_escape(url)}</id>\n"
        f"    <updated>{updated.isoformat()}T00:00:00Z</updated>\n"
        f"    <summary>{xml_escape(summary)}</summary>\n"
        "  </entry>"
    )


def _subprocessors(notice: Notice) -> tuple[str, ...]:
    processor = notice.organisation.processor
    return processor.sub_processors if processor else ()


def export_json(release: Release, log: ReleaseLog) -> str:
    """Version N as data: its dates, checksums, changes and the frozen content."""
    changes = log.diff(release) if log.previous(release) else None
    source = release.data
    data = {
        "version": release.version,
        "announced": release.announced.isoformat(),
        "effective": release.effective.isoformat(),
        "significant": release.significant,
        "sha256": {key: f.sha256 for key, f in release.files.items()},
        "changes": [
            {"key": c.key, "kind": c.kind, "class": c.cls, "rule": c.rule, "explanation": dict(c.explanation), "drift": list(c.drift)}
            for c in (changes.changes if changes else ())
        ],
        "content": source,
    }
    return json_text(data, compact=True) + "\n"  # compact: see jsonld_text
