"""The reviewer's report of a pending change: the line legal reads first, then the detail.

Used by `privacy-notice diff` (pull requests) and shown before `release`. Formats: markdown (PR
comments and job summaries), text (terminals), json (tools).

What readers see change is worked out in two steps (docs/architecture.md, "What the review compares"):
the text as published (the frozen nb.md/en.md of the latest release) against the same frozen content
rendered by today's code is the standard wording (library, labels, templates, package version); that
rendering against the working content is the content change. The text section shows both at once:
published text against the text the next release would publish.

Every text that comes from content passes through escape.github_markdown before it enters the
Markdown report, so a comment pings nobody and links nothing but the tool's own link.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

from .diff import Diff, Reclassification, diff, reclassify, standard_wording
from .escape import github_markdown as gfm
from .escape import json_text
from .model import Notice
from .render import Stamp, render_notice
from .textdiff import Hunk, as_text, hunks

LANGUAGE_NAMES = {"nb": "Norsk (bokmål)", "en": "English"}


@dataclass(frozen=True)
class Review:
    base_label: str  # what we compared against, e.g. "version 2" or "origin/main"
    changes: Diff
    notice_days: int
    today: dt.date
    text_hunks: dict[str, list[Hunk]]  # per language
    after: dt.date | None = None  # the latest version's effective date: the next one must take effect later
    branch: bool = False  # compared with a branch's content (a pull request), not with a release
    next_release: "Review | None" = None  # with a branch: what the next release would change for readers
    version: int | None = None  # the version the next release would be

    @property
    def notification_required(self) -> bool:
        return bool(self.changes.significant)

    @property
    def earliest_effective(self) -> dt.date:
        """Announced today, the change may take effect this day at the earliest: after the notice
        period when it is significant, and after every version already announced."""
        earliest = self.today + dt.timedelta(days=self.notice_days) if self.notification_required else self.today
        if self.after is not None:
            earliest = max(earliest, self.after + dt.timedelta(days=1))
        return earliest

    def headline(self, show: Callable[[str], str] = str) -> str:
        """The one-line verdict; `show` escapes the compared-with label (a ref or path the user gave)
        for the output it goes to."""
        n = len(self.changes.significant)
        if not self.changes:
            if self.branch:
                return (
                    f"Customer notification required: no — this branch changes nothing in the notice against {show(self.base_label)} "
                    "(any earlier report on this pull request no longer applies)"
                )
            return f"Customer notification required: no — no change to the notice against {show(self.base_label)}"
        date = f"earliest allowed effective date: {self.earliest_effective.isoformat()}"
        if n:
            return (
                f"Customer notification required: yes — {n} significant change{'s' if n != 1 else ''}; "
                f"{date} (announced today, {self.notice_days} days' notice"
                + (f", after the version taking effect {self.after.isoformat()})" if self._after_binds() else ")")
            )
        minor = len(self.changes.changes)
        return f"Customer notification required: no — {minor} minor change{'s' if minor != 1 else ''} only; {date}"

    def _after_binds(self) -> bool:
        return self.after is not None and self.earliest_effective == self.after + dt.timedelta(days=1)


def rendered(notice: Notice) -> dict[str, str]:
    return {lang: render_notice(notice, lang, Stamp()) for lang in notice.languages}


def release_changes(
    latest, notice: Notice, reclassifications: tuple[Reclassification, ...] = (), *, published: Mapping[str, str] | None = None
) -> Diff:
    """What the next release would change for readers against `latest` (a releases.Release or None):
    the content changes, then every standard-wording change (published text against the same frozen
    content rendered today). `published`: latest's frozen texts, when the caller has read them already."""
    if latest is None:
        return diff(None, notice, reclassifications)
    langs = [lang for lang in latest.languages if lang in notice.languages]
    published = {lang: published[lang] if published is not None else latest.text(lang) for lang in langs}
    wording = standard_wording(published, {lang: render_notice(latest.notice, lang, Stamp()) for lang in published})
    return reclassify(diff(latest.notice, notice) + wording, reclassifications)


def review_release(latest, notice: Notice, *, today: dt.date) -> Review:
    """The report of the next release against the latest (None: nothing released yet)."""
    if latest is None:
        return review(None, notice, diff(None, notice), base_label="nothing (no release yet)", today=today)
    published = {lang: latest.text(lang) for lang in latest.languages}  # read once, for both steps
    return review(
        latest.notice, notice, release_changes(latest, notice, published=published), base_label=f"version {latest.version} as published",
        today=today, published=published, after=latest.effective, version=latest.version + 1,
    )


def review(
    base: Notice | None,
    new: Notice,
    changes: Diff,
    *,
    base_label: str,
    today: dt.date,
    published: Mapping[str, str] | None = None,
    after: dt.date | None = None,
    branch: bool = False,
    next_release: Review | None = None,
    version: int | None = None,
) -> Review:
    """The report; the text section compares `published` (the frozen text, when the base is a release)
    or else the base rendered today, with the new content rendered today."""
    found = {}
    now = rendered(new)
    for lang in new.languages:
        if published is not None and lang in published:
            before = published[lang]
        else:
            before = render_notice(base, lang, Stamp()) if base is not None and lang in base.languages else ""
        found[lang] = hunks(before, now[lang])
    return Review(base_label, changes, new.changes.notice_days, today, found, after, branch, next_release, version)


# -- Markdown (GitHub) ---------------------------------------------------------------------------

_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


_CODE_MARK = re.compile(r"(?<!\\)`")
_LINK = re.compile(r"(?<!\\)\[([^\]]*)\]\(([^)\s]*)\)")  # our renderer's links: [text](url)


def _words(markdown_words: str) -> str:
    """Words of our rendered Markdown as the text a reader sees, then escaped for GitHub: our code-span
    marks dropped, backslash escapes and HTML entities undone (the renderer escaped content for the site)."""
    plain = _LINK.sub(_link_text, markdown_words)
    return gfm(html.unescape(_MD_ESCAPE.sub(r"\1", _CODE_MARK.sub("", plain))))


def _link_text(match: re.Match) -> str:
    """A link as words: its text, and its address when the text does not already say it."""
    text, url = match.group(1), match.group(2)
    if url.startswith(("tel:", "mailto:")) or url.endswith(text.replace("\\", "")):
        return text
    return f"{text} ({url})"


def hunks_markdown(found: list[Hunk]) -> list[str]:
    """One block per changed section: its heading, then each changed line with deletions struck
    through and insertions underlined (<del>/<ins> are ours; every word is escaped)."""
    blocks = []
    for hunk in found:
        lines = []
        for line in hunk.lines:
            parts = [_words(w) if op == "=" else f"<del>{_words(w)}</del>" if op == "-" else f"<ins>{_words(w)}</ins>" for op, w in line]
            lines.append("> " + " ".join(parts))
        title = f"**{_words(hunk.heading)}**\n\n" if hunk.heading else ""
        blocks.append(title + "\n>\n".join(lines))
    return blocks


def _part_markdown(r: Review, level: str) -> list[str]:
    """The changes table and the sections below it (level: the heading marks of each section)."""
    langs = list(r.text_hunks)
    lines: list[str] = []
    if r.changes:
        lines += [f"{level} Changes", "", "| class | rule | change | " + " | ".join(LANGUAGE_NAMES.get(l, gfm(l)) for l in langs) + " |", "|---|---|---|" + "---|" * len(langs)]
        for c in sorted(r.changes.changes, key=lambda c: (not c.significant, c.key)):
            cls = "**significant**" if c.significant else "minor"
            if c.reclassified:
                cls += f" (reclassified by {gfm(c.reclassified.approved_by)}: {gfm(c.reclassified.reason)})"
            cells = [gfm(c.explanation.get(l, "")) for l in langs]
            lines.append(f"| {cls} | `{c.rule}` | {gfm(c.key)} | " + " | ".join(cells) + " |")
    wording = r.changes.standard_wording
    if wording:
        lines += ["", f"{level} Standard wording (no change in the content)", ""]
        lines.append("Sentences of our standard text that read differently from the published version:")
        for c in wording:
            lines.append("")
            title = " / ".join(dict.fromkeys(c.name.get(l, "") for l in langs if c.name.get(l))) or c.key
            lines.append(f"**{gfm(title)}** ({gfm(c.key)})")
            for lang in langs:
                if lang in c.old or lang in c.new:
                    found = [Hunk("", (tuple(_sentence_ops(c.old.get(lang, ""), c.new.get(lang, ""))),))]
                    lines += ["", f"{LANGUAGE_NAMES.get(lang, gfm(lang))}:", "", *hunks_markdown(found)]
    drift = r.changes.drift
    if drift:
        lines += ["", f"{level} Possible translation drift", ""]
        lines += [f"- {gfm(c.key)}: only {', '.join(LANGUAGE_NAMES.get(l, gfm(l)) for l in c.drift)} changed" for c in drift]
    if r.changes:
        lines += ["", f"{level} Notice period", ""]
        if r.notification_required:
            lines.append(f"Significant changes must be announced at least {r.notice_days} days before they take effect: if announced today ({r.today.isoformat()}), the earliest effective date is **{r.earliest_effective.isoformat()}**.")
        else:
            lines.append(f"No advance notice is needed; the release is logged in the change log. Earliest effective date: **{r.earliest_effective.isoformat()}**.")
        if r.after is not None and r.after >= r.today:
            lines.append(f"The latest version already announced takes effect {r.after.isoformat()}; the next must take effect after it.")
    if not r.changes and not any(r.text_hunks.values()):
        return lines
    for lang, found in r.text_hunks.items():
        blocks = hunks_markdown(found)
        lines += ["", f"{level} Text as readers see it — {LANGUAGE_NAMES.get(lang, gfm(lang))}", ""]
        lines.append("\n\n".join(blocks) if blocks else "_No change to the text._")
    return lines


def _sentence_ops(old: str, new: str):
    from .textdiff import _words as word_ops

    return word_ops(old.replace("\n", " "), new.replace("\n", " "))


def as_markdown_report(r: Review) -> str:
    lines = [f"**{r.headline(gfm)}**", "", f"Compared with: {gfm(r.base_label)}."]
    if r.branch:
        lines[-1] = f"What this branch changes in the content, compared with {gfm(r.base_label)}."
    lines += ["", *_part_markdown(r, "###")]
    if r.next_release is not None:
        n = r.next_release
        lines += ["", f"## The next release{f' (version {n.version})' if n.version else ''}: what readers would see change", ""]
        lines += [f"**{n.headline(gfm)}**", "", f"Compared with {gfm(n.base_label)}: the text readers see now.", ""]
        lines += _part_markdown(n, "###")
    return "\n".join(lines).rstrip() + "\n"


# -- text and JSON -------------------------------------------------------------------------------


def as_text_report(r: Review) -> str:
    lines = [_line(r.headline())]
    lines += _part_text(r)
    if r.next_release is not None:
        lines += ["", f"=== the next release{f' (version {r.next_release.version})' if r.next_release.version else ''} against {r.next_release.base_label} ===", r.next_release.headline()]
        lines += _part_text(r.next_release)
    return "\n".join(lines) + "\n"


def _line(text: str) -> str:
    """A text from content on one terminal line: it cannot start a line of its own."""
    return " ".join(text.splitlines())


def _part_text(r: Review) -> list[str]:
    if not r.changes:
        return []
    lines = [""]
    for c in sorted(r.changes.changes, key=lambda c: (not c.significant, c.key)):
        lines.append(f"{'SIGNIFICANT' if c.significant else 'minor      '}  {_line(c.key)}  [{c.rule}]")
        for lang, text in c.explanation.items():
            lines.append(f"    {lang}: {_line(text)}")
        if c.rule == "standard_wording":
            for lang in c.new:
                lines.append(f"    {lang} was: {' / '.join(c.old.get(lang, '').splitlines())}")
                lines.append(f"    {lang} now: {' / '.join(c.new.get(lang, '').splitlines())}")
        if c.drift:
            lines.append(f"    possible translation drift: only {', '.join(c.drift)} changed")
        if c.reclassified:
            lines.append(f"    reclassified by {_line(c.reclassified.approved_by)}: {_line(c.reclassified.reason)}")
    for lang, found in r.text_hunks.items():
        lines += ["", f"=== text, {LANGUAGE_NAMES.get(lang, lang)} ===", as_text(found) or "(no change)"]
    return lines


def _json(r: Review) -> dict:
    return {
        "base": r.base_label,
        "notification_required": r.notification_required,
        "headline": r.headline(),
        "significant_changes": len(r.changes.significant),
        "earliest_effective": r.earliest_effective.isoformat(),
        "notice_days": r.notice_days,
        "changes": [
            {
                "key": c.key,
                "kind": c.kind,
                "class": c.cls,
                "rule": c.rule,
                "explanation": dict(c.explanation),
                "old": dict(c.old),
                "new": dict(c.new),
                "translation_drift": list(c.drift),
                "reclassified": (
                    {"reason": c.reclassified.reason, "approved_by": c.reclassified.approved_by} if c.reclassified else None
                ),
            }
            for c in r.changes.changes
        ],
        "text_diff": {lang: as_text(found) for lang, found in r.text_hunks.items()},
    }


def as_json_report(r: Review) -> str:
    data = _json(r)
    if r.next_release is not None:
        data["next_release"] = _json(r.next_release)
    return json_text(data, indent=2) + "\n"


FORMATS = {"markdown": as_markdown_report, "text": as_text_report, "json": as_json_report}


# -- fitting a comment -----------------------------------------------------------------------------

_CUTTABLE = ("Text as readers see it", "Standard wording")


@dataclass
class _Section:
    head: str  # the heading line ("" for the part before the first heading)
    body: str
    blocks: list[str] = field(default_factory=list)  # a text section's changed sections, each cuttable

    @property
    def is_text(self) -> bool:
        return any(title in self.head for title in _CUTTABLE)

    def render(self, kept: int | None = None, note: str = "") -> str:
        if kept is None:
            return self.head + self.body
        shown = "\n\n".join(self.blocks[:kept])
        return f"{self.head}\n\n{shown}{note}\n\n"


def fit(markdown: str, limit: int, full_url: str | None) -> str:
    """The report cut to at most `limit` characters (GitHub refuses comments over 65,536): the headlines
    and the changes tables stay whole; the text sections are cut block by block (a changed section of
    the notice at a time), each keeping as many of its first blocks as fit, never all of it dropped
    while its heading is shown; a note in each cut section says how many blocks are left out and
    where the full report is."""
    if len(markdown) <= limit:
        return markdown
    where = f"[the full report]({_url(full_url)})" if full_url and _url(full_url) else "the full report (`privacy-notice diff`)"
    sections = _split(markdown)
    fixed = sum(len(s.render()) for s in sections if not s.is_text)
    texts = [s for s in sections if s.is_text]
    kept = {id(s): 0 for s in texts}

    def note(s: _Section) -> str:
        left = len(s.blocks) - kept[id(s)]
        return f"\n\n_… {left} more changed section{'s' if left != 1 else ''} of the text cut to fit a comment; see {where}._" if left else ""

    def size() -> int:
        return fixed + sum(len(s.render(kept[id(s)], note(s))) for s in texts)

    progress = True
    while progress:  # round robin: each language gets its next block while it fits
        progress = False
        for s in texts:
            if kept[id(s)] < len(s.blocks):
                kept[id(s)] += 1
                if size() > limit:
                    kept[id(s)] -= 1
                else:
                    progress = True
    out = "".join(s.render(kept[id(s)], note(s)) if s.is_text else s.render() for s in sections)
    if len(out) > limit:  # the tables alone are too long: cut rows from the end, say so
        tail = f"\n\n_… cut to fit a comment; see {where}._\n"
        out = out[: max(0, limit - len(tail))].rsplit("\n", 1)[0] + tail
    return out


def _split(markdown: str) -> list[_Section]:
    """The report cut before each heading line (## or ###); a text section's blocks are its
    paragraphs-with-heading as hunks_markdown wrote them."""
    parts = re.split(r"(?m)^(?=#{2,3} )", markdown)
    out = []
    for part in parts:
        if not part:
            continue
        head, _, body = part.partition("\n") if part.startswith("#") else ("", "", part)
        section = _Section(head, ("\n" + body) if head else body)
        if section.is_text:
            section.blocks = [b for b in re.split(r"\n\n(?=\*\*)", body.strip("\n")) if b.strip()]
        out.append(section)
    return out


def _url(url: str) -> str | None:
    """The full report's address as a Markdown link target: http(s) only, nothing that ends the link."""
    if not re.match(r"^https?://[^\s]+$", url):
        return None
    return re.sub(r"[()<>\[\]\\`\"']", lambda m: f"%{ord(m.group(0)):02X}", url)
